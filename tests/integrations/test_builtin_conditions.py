"""Built-in integrations honour their configurations' conditions: an event
is delivered to a local HTTP server only when it matches."""

from __future__ import annotations

import json

from desktop_app.testing import ActivityRecorder
from tests._support.saved_configs import save_config

WEBHOOK = "desktop_app.integrations.webhook"


def _rules(mode, *rules):
    return {
        "mode": mode,
        "conditions": [
            dict(zip(("choice", "op", "value"), rule, strict=False)) for rule in rules
        ],
    }


def test_every_builtin_form_has_conditions_over_the_payloads(builtins, manager, ping):
    for integration in manager.get_integrations():
        field = integration.config_form_cls.base_fields.get("conditions")
        if integration.integration_id.startswith("desktop_app.integrations."):
            assert field is not None, integration.integration_id
            ids = [choice.choice_id for choice in field.choices]
            assert ids[0] == "signal"
            assert {"count", "who", "message", "severity"} <= set(ids)


def test_webhook_delivers_only_matching_events(builtins, manager, ping, http_server):
    url, server = http_server
    save_config(
        manager,
        WEBHOOK,
        url=url,
        signals=[ping.name],
        retries=0,
        conditions=_rules("all", ("count", "greater-than", 2), ("who", "is", "ann")),
    )
    ping.send(None, count=1, who="ann")
    ping.send(None, count=5, who="bob")
    ping.send(None, count=3, who="ann")
    assert manager.wait_for_background_work(5)
    assert [json.loads(r["body"])["payload"] for r in server.requests] == [
        {"count": 3, "who": "ann"}
    ]


def test_event_choice_tells_picked_signals_apart(builtins, manager, ping, http_server):
    from desktop_app import signals

    url, server = http_server
    save_config(
        manager,
        WEBHOOK,
        url=url,
        signals=[ping.name, signals.test_event.name],
        retries=0,
        conditions=_rules("any", ("signal", "is", signals.test_event.name)),
    )
    ping.send(None, count=1, who="x")
    signals.test_event.send(None, message="hi", severity="info")
    assert manager.wait_for_background_work(5)
    assert [json.loads(r["body"])["signal"] for r in server.requests] == [
        signals.test_event.name
    ]


def test_bad_stored_rule_skips_the_config_and_says_why(
    builtins, manager, ping, http_server
):
    url, server = http_server
    config = save_config(manager, WEBHOOK, url=url, signals=[ping.name], retries=0)
    editable = manager.get_config(config.id)
    # Stored by hand, past the form: a regular expression that is not one.
    editable.set("conditions", _rules("all", ("who", "matches-regex", "(")))
    editable.save()
    recorder = ActivityRecorder()

    ping.send(None, count=1, who="ann")  # must not raise into the sender

    assert manager.wait_for_background_work(5)
    assert server.requests == []
    # Why, in plain words; and the delivery itself, recorded as skipped.
    [record] = [r for r in recorder.failures if r.outcome == "failed"]
    assert "not a valid regular expression" in record.error
    [skipped] = [r for r in recorder.failures if r.outcome == "skipped"]
    assert skipped.config_id == config.id
    assert record.config_id == config.id
    assert record.signal == ping.name
