"""The webhook integration against a real local HTTP server."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from desktop_app.activity import get_activity_log
from desktop_app.forms import IntegrationConfigForm
from integrations._common import SIGNATURE_HEADER
from tests._support.saved_configs import save_config

WEBHOOK = "desktop_app.integrations.webhook"


def _work_records():
    return [r for r in get_activity_log().records() if r.config_id is not None]


def test_builtins_load_through_entry_points(builtins, manager):
    by_name = {p.name: p for p in builtins.plugins}
    assert set(by_name) == {
        "webhook",
        "chat",
        "event_file",
        "desktop_notification",
        "notify",
    }
    for info in by_name.values():
        assert info.status == "loaded", info.traceback
        assert info.source == "distribution"
        [integration_id] = info.integration_ids
        integration = manager.get_integration(integration_id)
        for key in ("1x", "2x"):
            assert integration.icon_static_urls[key].endswith(".png")
        from pathlib import Path

        assert Path(integration.icon_static_urls["1x"]).is_file()
        form_cls = integration.config_form_cls
        # Its own settings: not the base form's (name, enabled, local_site).
        declared = set(form_cls.base_fields) - set(IntegrationConfigForm.base_fields)
        assert declared == set(integration.default_settings)
        assert any("collapse" in fs.classes for fs in form_cls.fieldsets)
        assert all(fs.description for fs in form_cls.fieldsets)


def test_posts_signed_json_for_picked_signal(builtins, manager, ping, http_server):
    url, server = http_server
    save_config(
        manager,
        WEBHOOK,
        url=url,
        signals=[ping.name],
        secret="s3cret",
        signing="github",
        retries=0,
    )
    when = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    ping.send(None, count=2, who="ann", when=when)
    assert manager.wait_for_background_work(5)
    [request] = server.requests
    body = json.loads(request["body"])
    assert body["signal"] == ping.name
    assert body["payload"] == {"count": 2, "who": "ann", "when": when.isoformat()}
    assert dt.datetime.fromisoformat(body["time"])
    expected = hmac.new(b"s3cret", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"][SIGNATURE_HEADER] == f"sha256={expected}"
    assert request["headers"]["Content-Type"] == "application/json"
    [record] = _work_records()
    assert (record.integration_id, record.outcome, record.signal) == (
        WEBHOOK,
        "ok",
        ping.name,
    )


def test_no_signature_without_secret_and_unpicked_signals_are_ignored(
    builtins, manager, ping, http_server
):
    from desktop_app import signals

    url, server = http_server
    save_config(manager, WEBHOOK, url=url, signals=[ping.name])
    signals.config_updated.send(None, config=None)  # not picked
    ping.send(None, count=1)
    assert manager.wait_for_background_work(5)
    [request] = server.requests
    assert SIGNATURE_HEADER not in request["headers"]


def test_retries_one_after_another_until_the_server_answers(
    builtins, manager, ping, http_server
):
    url, server = http_server
    server.fail_first = 2
    save_config(manager, WEBHOOK, url=url, signals=[ping.name], retries=3, backoff=0.05)
    ping.send(None, count=1)
    assert manager.wait_for_background_work(10)
    # Each attempt is sent only after the previous one was answered.
    assert server.events == [
        ("received", 1),
        ("answered", 1, 500),
        ("received", 2),
        ("answered", 2, 500),
        ("received", 3),
        ("answered", 3, 200),
    ]
    first, *retries = server.requests
    assert [r["body"] for r in retries] == [first["body"]] * 2
    [record] = _work_records()
    assert record.outcome == "ok"


def test_gives_up_after_retries_and_records_the_failure(
    builtins, manager, ping, http_server
):
    url, server = http_server
    server.fail_first = 10
    save_config(manager, WEBHOOK, url=url, signals=[ping.name], retries=1, backoff=0)
    ping.send(None, count=1)
    assert manager.wait_for_background_work(10)
    assert len(server.requests) == 2
    [record] = _work_records()
    assert record.outcome == "failed"
    assert "HTTP 500" in record.error and "after 2 attempts" in record.error


def test_client_errors_are_not_retried(builtins, manager, ping, http_server):
    url, server = http_server
    server.fail_first, server.fail_status = 10, 404
    save_config(manager, WEBHOOK, url=url, signals=[ping.name], retries=3, backoff=0)
    ping.send(None, count=1)
    assert manager.wait_for_background_work(10)
    assert len(server.requests) == 1
    assert "HTTP 404" in _work_records()[0].error


def test_sender_returns_while_the_server_is_still_answering(
    builtins, manager, ping, http_server
):
    url, server = http_server
    server.hold = True
    save_config(manager, WEBHOOK, url=url, signals=[ping.name], timeout=60, retries=0)
    ping.send(None, count=1)
    # send() came back, yet the server holds the request until released: the
    # delivery is still in flight on the background worker.
    assert _work_records() == []
    server.released.set()
    assert manager.wait_for_background_work(10)
    assert server.statuses() == [200]
    [record] = _work_records()
    assert record.outcome == "ok"


def test_a_server_that_does_not_answer_is_reported_as_timed_out(
    builtins, manager, ping, http_server
):
    url, server = http_server
    server.hold = True
    save_config(manager, WEBHOOK, url=url, signals=[ping.name], timeout=0.2, retries=0)
    ping.send(None, count=1)
    assert manager.wait_for_background_work(10)
    assert len(server.requests) == 1
    [record] = _work_records()
    assert record.outcome == "failed"
    assert "timed out" in record.error


def test_changing_the_picked_signals_rehooks(builtins, manager, ping, http_server):
    from desktop_app import signals

    other = signals.define_signal("test.integrations.other")
    try:
        url, server = http_server
        config = save_config(manager, WEBHOOK, url=url, signals=[ping.name])
        config.set("signals", [other.name])
        manager.save_config(config)
        ping.send(None, count=1)
        other.send(None)
        assert manager.wait_for_background_work(5)
        assert [b["signal"] for b in server.bodies()] == [other.name]
        config.enabled = False
        manager.save_config(config)
        other.send(None)
        assert manager.wait_for_background_work(5)
        assert len(server.requests) == 1
    finally:
        signals.unregister_signal("test.integrations.other")
