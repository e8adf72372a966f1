"""Messages people read (templates checked where they are typed, defaults
that read like sentences) and payload values converted to JSON by the
documented rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import uuid
from decimal import Decimal
from pathlib import PurePosixPath

import pytest

from desktop_app import forms, signals
from desktop_app.forms import ValidationError
from integrations._common import json_safe
from integrations._templates import (
    check_template,
    preview_template,
    render,
    signal_label,
)
from tests._support.saved_configs import save_config

CHAT = "desktop_app.integrations.chat"
TEST_EVENT = "desktop_app.test_event"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{summary}", "Test event from desktop-app: hi (warning)"),
        ("{signal_label}: {message} ({severity})", "Test event: hi (warning)"),
        ("{config_name} got {payload[message]}", "Deploys got hi"),
        ("{payload}", '{"message": "hi", "severity": "warning"}'),
        ("{{literal}} {signal}", "{literal} desktop_app.test_event"),
    ],
)
def test_templates_fill_payload_fields(template, expected):
    payload = {"message": "hi", "severity": "warning"}
    assert render(template, TEST_EVENT, payload, "Deploys") == expected


def test_a_declared_field_the_event_lacks_renders_empty():
    assert render("[{message}|{severity}]", TEST_EVENT, {}) == "[|]"
    assert render("{summary}", "desktop_app.app_started", {}) == (
        "App started from desktop-app"
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{mesage}", "Unknown name {mesage}. Names you can use:"),
        ("{message", "A brace is not closed"),
        ("{message.__class__}", "is not allowed"),
        ("{config_name[0]}", "is not allowed"),
        ("{message!r}", "without ':' or '!'"),
        ("{}", "Empty braces"),
    ],
)
def test_bad_templates_are_refused_in_plain_words(template, expected):
    with pytest.raises(ValidationError) as caught:
        check_template(template)
    assert expected in " ".join(caught.value.messages)


def test_an_unknown_name_is_an_error_at_the_field_and_nothing_is_saved(
    builtins, manager
):
    integration = manager.get_integration(CHAT)
    values = dict(integration.default_settings)
    values.update(
        name="c",
        enabled=True,
        url="https://chat.example.com/hooks/abc",
        signals=[TEST_EVENT],
        template="{severity}: {mesage}",
    )
    form = integration.config_form_cls(integration, values)
    assert not form.is_valid()
    assert "Unknown name {mesage}" in form.errors["template"][0]
    assert not integration.get_configs()


def test_payload_fields_of_plugin_signals_are_known_names():
    # A field name no other test's signal declares: signals are process-wide.
    signals.define_signal(
        "test.templates.build", payload={"templates_branch": forms.CharField()}
    )
    try:
        check_template("{templates_branch} built")
        assert preview_template(
            "{signal_label} on {templates_branch}", ["test.templates.build"]
        )
        assert preview_template("{templates_branch}", "test.templates.build") == (
            "example templates branch"
        )
    finally:
        signals.unregister_signal("test.templates.build")
    with pytest.raises(ValidationError):
        check_template("{templates_branch} built")


def test_preview_uses_the_first_picked_signals_declared_payload():
    assert preview_template("{summary}", [TEST_EVENT], "x") == (
        "Test event from desktop-app: example message (info)"
    )
    assert preview_template("{signal_label}", []) == "Test event"


def test_signal_labels_fall_back_to_words_from_the_name():
    signals.define_signal("test.templates.review_published")
    try:
        assert signal_label("test.templates.review_published") == "Review published"
    finally:
        signals.unregister_signal("test.templates.review_published")
    assert signal_label("unknown.some-thing_else") == "Some thing else"


def test_built_in_defaults_read_like_sentences(builtins, manager):
    for integration_id, key in (
        (CHAT, "template"),
        ("desktop_app.integrations.notify", "body"),
        ("desktop_app.integrations.desktop_notification", "message"),
    ):
        template = manager.get_integration(integration_id).default_settings[key]
        text = render(template, TEST_EVENT, {"message": "hi", "severity": "warning"})
        assert text == "Test event from desktop-app: hi (warning)", integration_id


def test_chat_posts_the_sentence_and_its_url_is_a_secret(
    builtins, manager, http_server, memory_keyring
):
    from desktop_app._transfer import export_configs

    url, server = http_server
    config = save_config(manager, CHAT, url=url, signals=[TEST_EVENT])
    signals.test_event.send(None, message="hi", severity="warning")
    assert manager.wait_for_background_work(5)
    assert server.bodies() == [{"text": "Test event from desktop-app: hi (warning)"}]
    stored = manager.store.get_config(config.id).settings["url"]
    assert stored != url and "$secret" in stored
    assert url in memory_keyring.entries.values()
    exported = export_configs(manager, [manager.get_config(config.id)])
    assert url not in exported and "127.0.0.1" not in exported


class _Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class _Point:
    x: int
    when: dt.date


class _Opaque:
    pass


class _Named:
    def __str__(self):
        return "a named thing"


def test_json_conversion_rules():
    when = dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC)
    token = uuid.UUID(int=1)
    converted = json_safe(
        {
            "when": when,
            "day": dt.date(2024, 5, 1),
            "wait": dt.timedelta(minutes=1, milliseconds=500),
            "colour": _Colour.RED,
            "path": PurePosixPath("/tmp/x"),
            "id": token,
            "price": Decimal("1.10"),
            "text": b"caf\xc3\xa9",
            "blob": b"\xff\x00",
            "point": _Point(1, dt.date(2024, 1, 2)),
            "tags": {"b", "a"},
            "pair": (1, 2.5),
            "nan": float("nan"),
            3: None,
            "named": _Named(),
            "opaque": _Opaque(),
        }
    )
    assert converted == {
        "when": "2024-05-01T12:30:00+00:00",
        "day": "2024-05-01",
        "wait": 60.5,
        "colour": "red",
        "path": "/tmp/x",
        "id": str(token),
        "price": "1.10",
        "text": "café",
        "blob": {"base64": "/wA="},
        "point": {"x": 1, "when": "2024-01-02"},
        "tags": ["a", "b"],
        "pair": [1, 2.5],
        "nan": "nan",
        "3": None,
        "named": "a named thing",
        "opaque": {"type": f"{__name__}._Opaque"},
    }
    json.dumps(converted)


def test_configurations_and_integrations_are_described_without_settings(
    builtins, manager
):
    config = save_config(
        manager,
        CHAT,
        name="Team",
        url="https://chat.example.com/h/abc",
        signals=[TEST_EVENT],
    )
    [snapshot] = manager.get_integration(CHAT).get_configs()
    described = {
        "id": config.id,
        "name": "Team",
        "integration_id": CHAT,
        "enabled": True,
    }
    assert json_safe(config) == described
    assert json_safe(snapshot) == described
    assert json_safe(manager.get_integration(CHAT)) == {
        "integration_id": CHAT,
        "name": "Chat",
    }


def test_cyclic_payloads_are_cut_off():
    loop: list = []
    loop.append(loop)
    assert "…" in json.dumps(json_safe(loop), ensure_ascii=False)
