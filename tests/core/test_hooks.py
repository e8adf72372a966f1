"""SignalHook: Django-style keyword calls, contained errors, activity."""

from __future__ import annotations

import blinker

from desktop_app.activity import get_activity_log
from desktop_app.extension import Extension
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal

published = define_signal("tests.hooks.published")


class Recorder(Integration):
    def initialize(self):
        self.calls = []
        SignalHook(self, published, self._on_published)

    def _on_published(self, **kwargs):
        self.calls.append(kwargs)


class Exploding(Integration):
    def initialize(self):
        SignalHook(self, published, self._on_published)

    def _on_published(self, **kwargs):
        raise ValueError("service said no")


def test_callback_gets_sender_signal_and_payload_as_keywords(manager):
    integration = manager.register_integration_class(Recorder)
    integration.enable_integration()

    published.send("sender-1", review_id=7)

    assert integration.calls == [
        {"sender": "sender-1", "signal": published, "review_id": 7}
    ]


def test_callback_naming_some_keywords_gets_only_those(manager):
    got = []

    class Picky(Integration):
        def initialize(self):
            SignalHook(self, published, self.handler)

        def handler(self, review_id, sender=None):
            got.append((review_id, sender))

    integration = manager.register_integration_class(Picky)
    integration.enable_integration()
    published.send("s", review_id=1, extra="ignored")
    assert got == [(1, "s")]


def test_sender_filter_limits_delivery(manager):
    got = []
    wanted = object()

    class Filtered(Integration):
        def initialize(self):
            SignalHook(
                self, published, lambda **kw: got.append(kw["sender"]), sender=wanted
            )

    manager.register_integration_class(Filtered).enable_integration()
    published.send(object())
    published.send(wanted)
    assert got == [wanted]


def test_failing_handler_never_reaches_sender_or_other_receivers(manager):
    exploding = manager.register_integration_class(Exploding)
    recorder = manager.register_integration_class(Recorder)
    exploding.enable_integration()
    recorder.enable_integration()

    results = published.send("s")  # must not raise

    assert len(recorder.calls) == 1
    # One receiver stands for all hooks on the signal; it reports a result
    # per hook, None for the one that failed.
    assert [value for _, values in results for value in values] == [None, None]
    failures = [r for r in get_activity_log().records() if r.failed]
    assert len(failures) == 1
    failure = failures[0]
    assert failure.integration_id == Exploding.integration_id
    assert failure.signal == "tests.hooks.published"
    assert failure.error == "ValueError: service said no"
    assert "Traceback" in failure.traceback


def test_failure_is_logged_with_integration_id(manager, caplog):
    manager.register_integration_class(Exploding).enable_integration()
    published.send("s")
    assert Exploding.integration_id in caplog.text


def test_each_delivery_is_recorded(manager):
    manager.register_integration_class(Recorder).enable_integration()
    published.send("s")
    published.send("s")
    records = get_activity_log().records()
    assert [r.outcome for r in records] == ["ok", "ok"]
    assert all(r.integration_id == Recorder.integration_id for r in records)
    assert all(r.duration >= 0 for r in records)


def test_hooks_disconnect_when_disabled(manager):
    integration = manager.register_integration_class(Recorder)
    integration.enable_integration()
    integration.disable_integration()
    published.send("s")
    assert integration.calls == []
    assert not integration.hooks


def test_extension_owns_signal_hooks():
    got = []
    plain = blinker.Signal()

    class Ext(Extension):
        def initialize(self):
            SignalHook(self, plain, lambda **kw: got.append(kw))

    ext = Ext()
    ext.enable_extension()
    plain.send(1)
    ext.disable_extension()
    plain.send(2)
    assert got == [{"sender": 1, "signal": plain}]


def test_hook_rejects_non_signals(manager):
    class Wrong(Integration):
        def initialize(self):
            SignalHook(self, "not a signal", print)

    integration = manager.register_integration_class(Wrong)
    integration.create_config(name="a", enabled=True, save=True)
    assert not integration.enabled
    assert "blinker signal" in manager.integration_errors[Wrong.integration_id][0]
