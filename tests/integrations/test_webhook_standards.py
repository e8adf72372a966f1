"""The webhook as receivers in the wild check it: signatures verified with
the official ``standardwebhooks`` package, events parsed with the
``cloudevents`` SDK, against a real local HTTP server."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from standardwebhooks import Webhook, WebhookVerificationError

from desktop_app.errors import DeliveryError
from integrations._common import SIGNATURE_HEADER
from integrations._signing import generate_secret
from tests._support.saved_configs import save_config

WEBHOOK = "desktop_app.integrations.webhook"


def _headers(request):
    return {key.lower(): value for key, value in request["headers"].items()}


def test_standard_webhooks_receiver_verifies_each_request(
    builtins, manager, ping, http_server
):
    url, server = http_server
    secret = generate_secret()
    save_config(
        manager, WEBHOOK, url=url, signals=[ping.name], secret=secret, retries=0
    )
    ping.send(None, count=2, who="ann")
    assert manager.wait_for_background_work(5)
    [request] = server.requests
    payload = Webhook(secret).verify(request["body"], _headers(request))
    assert payload["signal"] == ping.name
    assert payload["payload"] == {"count": 2, "who": "ann"}
    assert payload["id"] == _headers(request)["webhook-id"]
    assert SIGNATURE_HEADER not in request["headers"]


def test_a_receiver_with_another_secret_refuses_the_request(
    builtins, manager, ping, http_server
):
    url, server = http_server
    save_config(
        manager,
        WEBHOOK,
        url=url,
        signals=[ping.name],
        secret=generate_secret(),
        retries=0,
    )
    ping.send(None, count=1)
    assert manager.wait_for_background_work(5)
    [request] = server.requests
    with pytest.raises(WebhookVerificationError):
        Webhook(generate_secret()).verify(request["body"], _headers(request))


def test_retries_keep_the_webhook_id_and_every_attempt_verifies(
    builtins, manager, ping, http_server
):
    url, server = http_server
    server.fail_first = 2
    secret = generate_secret()
    save_config(
        manager,
        WEBHOOK,
        url=url,
        signals=[ping.name],
        secret=secret,
        retries=2,
        backoff=0,
    )
    ping.send(None, count=1)
    assert manager.wait_for_background_work(10)
    ping.send(None, count=2)
    assert manager.wait_for_background_work(10)
    ids = [_headers(r)["webhook-id"] for r in server.requests]
    assert server.statuses() == [500, 500, 200, 200]
    assert ids[0] == ids[1] == ids[2] != ids[3]
    receiver = Webhook(secret)
    for request in server.requests:
        receiver.verify(request["body"], _headers(request))


def test_github_style_signing_stays_available(builtins, manager, ping, http_server):
    import hashlib
    import hmac

    url, server = http_server
    save_config(
        manager,
        WEBHOOK,
        url=url,
        signals=[ping.name],
        secret="plain secret",
        signing="github",
        retries=0,
    )
    ping.send(None, count=1)
    assert manager.wait_for_background_work(5)
    [request] = server.requests
    digest = hmac.new(b"plain secret", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"][SIGNATURE_HEADER] == f"sha256={digest}"
    assert "webhook-signature" not in _headers(request)


def test_cloudevents_receiver_parses_the_event(builtins, manager, ping, http_server):
    url, server = http_server
    save_config(
        manager,
        WEBHOOK,
        name="Build hook",
        url=url,
        signals=[ping.name],
        secret=generate_secret(),
        payload_format="cloudevents",
        retries=0,
    )
    when = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    ping.send(None, count=3, who="bo", when=when)
    assert manager.wait_for_background_work(5)
    [request] = server.requests
    headers = _headers(request)
    assert headers["content-type"] == "application/cloudevents+json"
    event = from_http_event(HTTPMessage(headers=headers, body=request["body"]))
    assert event.get_specversion() == "1.0"
    assert event.get_type() == ping.name
    assert event.get_source() == "/desktop-app"
    assert event.get_id() == headers["webhook-id"]
    assert event.get_subject() == "Build hook"
    assert event.get_time() is not None
    assert event.get_data() == {"count": 3, "who": "bo", "when": when.isoformat()}


def test_a_standard_signing_secret_must_be_a_whsec_secret(builtins, manager):
    integration = manager.get_integration(WEBHOOK)
    values = dict(integration.default_settings)
    values.update(name="w", enabled=True, url="https://example.com/hook")
    values.update(signals=["desktop_app.test_event"], secret="not-a-whsec")
    form = integration.config_form_cls(integration, values)
    assert not form.is_valid()
    [message] = form.errors["secret"]
    assert "whsec_" in message and "not-a-whsec" not in message
    values["signing"] = "github"
    assert integration.config_form_cls(integration, values).is_valid()
    values.update(signing="standard", secret=generate_secret())
    assert integration.config_form_cls(integration, values).is_valid()


def test_test_config_reports_success_and_the_plain_failure(
    builtins, manager, http_server
):
    url, server = http_server
    integration = manager.get_integration(WEBHOOK)
    secret = generate_secret()
    message = integration.test_config({"url": url, "secret": secret})
    assert message == "Test event delivered (HTTP 200)."
    [request] = server.requests
    body = Webhook(secret).verify(request["body"], _headers(request))
    assert body["signal"] == "desktop_app.test_event"
    assert body["payload"]["severity"] == "info"

    server.fail_first, server.fail_status = 99, 404
    with pytest.raises(DeliveryError) as caught:
        integration.test_config({"url": url + "?token=hidden", "retries": 5})
    assert "HTTP 404" in str(caught.value)
    assert "hidden" not in str(caught.value)
    assert len(server.requests) == 2  # a test never retries


def test_config_payloads_are_described_not_repr(builtins, manager, http_server):
    from desktop_app import signals

    url, server = http_server
    save_config(
        manager,
        WEBHOOK,
        url=url,
        signals=[signals.config_created.name],
        secret="",
        retries=0,
    )
    save_config(
        manager,
        WEBHOOK,
        name="second",
        url=url,
        signals=["desktop_app.test_event"],
        secret="a secret",
        signing="github",
    )
    assert manager.wait_for_background_work(5)
    bodies = {
        json.loads(r["body"])["payload"]["config"]["name"]: r["body"]
        for r in server.requests
    }
    raw = bodies["second"]
    config = json.loads(raw)["payload"]["config"]
    assert config == {
        "id": config["id"],
        "name": "second",
        "integration_id": WEBHOOK,
        "enabled": True,
    }
    assert isinstance(config["id"], int)
    assert b"<" not in raw and b"a secret" not in raw
