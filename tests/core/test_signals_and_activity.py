"""The signal registry and the activity log."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop_app import forms, signals
from desktop_app.activity import ActivityLog


def test_define_signal_twice_returns_same_signal():
    first = signals.define_signal("tests.sig.same", description="First.")
    second = signals.define_signal("tests.sig.same")
    assert first is second
    assert signals.get_signal_info("tests.sig.same").description == "First."


def test_registry_keeps_payload_fields_and_module():
    signals.define_signal(
        "tests.sig.payload",
        description="A review was published.",
        payload={"review_id": forms.IntegerField(label="Review")},
    )
    info = signals.get_signal_info("tests.sig.payload")
    assert list(info.payload) == ["review_id"]
    assert info.module == __name__
    assert "tests.sig.payload" in [i.name for i in signals.get_signal_infos()]


def test_unknown_signal_error_lists_known_names():
    with pytest.raises(KeyError, match="desktop_app.config_created"):
        signals.get_signal("tests.sig.nope")


def test_app_signals_are_defined():
    names = {info.name for info in signals.get_signal_infos()}
    assert {
        "desktop_app.config_created",
        "desktop_app.config_updated",
        "desktop_app.config_deleted",
        "desktop_app.integration_enabled",
        "desktop_app.integration_disabled",
        "desktop_app.app_started",
        "desktop_app.app_stopping",
    } <= names


def test_config_signals_follow_saves(manager):
    from desktop_app.integration import Integration

    class Thing(Integration):
        def initialize(self):
            pass

    seen = []
    receivers = {
        sig: (lambda sender, config, _n=sig.name: seen.append((_n, config.name)))
        for sig in (
            signals.config_created,
            signals.config_updated,
            signals.config_deleted,
        )
    }
    for sig, receiver in receivers.items():
        sig.connect(receiver)
    try:
        config = manager.register_integration_class(Thing).create_config(
            name="x", save=True
        )
        config.save()
        config.delete()
    finally:
        for sig, receiver in receivers.items():
            sig.disconnect(receiver)
    assert seen == [
        ("desktop_app.config_created", "x"),
        ("desktop_app.config_updated", "x"),
        ("desktop_app.config_deleted", "x"),
    ]


def test_activity_log_is_bounded_and_ordered():
    log = ActivityLog(maxlen=3)
    for i in range(5):
        log.record(f"s{i}", "integ", 0.0, 0.1)
    records = log.records()
    assert [r.signal for r in records] == ["s2", "s3", "s4"]
    assert [r.seq for r in records] == [3, 4, 5]
    assert [r.signal for r in log.records(since=4)] == ["s4"]


def test_activity_subscribers_get_new_records_until_unsubscribed():
    log = ActivityLog()
    got = []
    unsubscribe = log.subscribe(got.append)
    log.record("a", "i", 0.0, 0.0, "failed", "boom")
    unsubscribe()
    log.record("b", "i", 0.0, 0.0)
    assert [(r.signal, r.outcome, r.error, r.failed) for r in got] == [
        ("a", "failed", "boom", True)
    ]


def test_core_imports_without_qt():
    code = (
        "import sys, desktop_app, desktop_app.manager, desktop_app.store, "
        "desktop_app.hooks, desktop_app.forms, desktop_app.signals, "
        "desktop_app.activity, desktop_app._worker, desktop_app.extension, "
        "desktop_app._paths\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
