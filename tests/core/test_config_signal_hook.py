"""ConfigSignalHook: the framework loops over the configurations, runs each
on the worker with a time limit and retries, and records one delivery each."""

from __future__ import annotations

import threading

from desktop_app import deliveries
from desktop_app.errors import DeliveryError
from desktop_app.hooks import ConfigSignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal

happened = define_signal("tests.config_hook.happened")


#: Holds a "hang" configuration's callback until set.
release = threading.Event()


class Service(Integration):
    integration_id = "tests.config_hook.Service"
    background_timeout = 5.0
    calls: list = []

    def initialize(self):
        ConfigSignalHook(
            self,
            happened,
            self.handle,
            retries=lambda config: config.get("retries", 0),
            backoff=0.01,
            timeout=lambda config: config.get("timeout"),
        )

    def handle(self, config, what="", **kwargs):
        Service.calls.append((config.name, what))
        mode = config.get("mode", "ok")
        if mode == "fail_twice" and sum(c[0] == config.name for c in Service.calls) < 3:
            raise ConnectionError("connection refused")
        if mode == "client_error":
            error = DeliveryError("http://example.invalid/hook", "HTTP 404 Not Found")
            error.retryable = False
            raise error
        if mode == "hang":
            release.wait(30)
        if mode == "report_failure":
            deliveries.report(config, ok=False, message="The service said no")
            return None
        return f"done {what}"


def _make(manager, **configs):
    Service.calls = []
    integration = manager.register_integration_class(Service)
    made = {}
    for name, settings in configs.items():
        made[name] = integration.create_config(
            name=name, enabled=True, settings=settings, save=True
        )
    return made


def _only(manager, config):
    [delivery] = manager.get_deliveries(config.id)
    return delivery


def test_callback_runs_once_per_enabled_configuration_on_the_worker(manager):
    threads = []
    made = _make(manager, one={}, two={})
    manager.get_integration(Service).create_config(name="off", enabled=False, save=True)
    original = Service.handle

    def spy(self, config, **payload):
        threads.append(threading.current_thread())
        return original(self, config, **payload)

    Service.handle = spy
    try:
        happened.send(None, what="x")
        assert manager.wait_for_background_work(10)
    finally:
        Service.handle = original
    assert sorted(name for name, _ in Service.calls) == ["one", "two"]
    assert threading.main_thread() not in threads
    for config in made.values():
        delivery = _only(manager, config)
        assert (delivery.outcome, delivery.message) == ("ok", "done x")


def test_failures_are_retried_and_the_attempts_recorded(manager):
    made = _make(manager, flaky={"mode": "fail_twice", "retries": 3})
    happened.send(None, what="y")
    assert manager.wait_for_background_work(10)
    delivery = _only(manager, made["flaky"])
    assert (delivery.outcome, delivery.attempts) == ("ok", 3)


def test_giving_up_records_the_last_error_and_attempts(manager):
    made = _make(manager, dead={"mode": "fail_twice", "retries": 1})
    happened.send(None, what="z")
    assert manager.wait_for_background_work(10)
    delivery = _only(manager, made["dead"])
    assert delivery.outcome == "failed" and delivery.attempts == 2
    assert delivery.message == "ConnectionError: connection refused (after 2 attempts)"


def test_an_error_that_says_not_retryable_is_not_retried(manager):
    made = _make(manager, wrong={"mode": "client_error", "retries": 5})
    happened.send(None)
    assert manager.wait_for_background_work(10)
    delivery = _only(manager, made["wrong"])
    assert delivery.attempts == 1 and "HTTP 404" in delivery.message


def test_a_callback_past_its_time_limit_is_recorded_as_timed_out(manager):
    release.clear()
    made = _make(manager, slow={"mode": "hang", "timeout": 0.2})
    try:
        happened.send(None)
        assert manager.wait_for_background_work(10)
    finally:
        release.set()
    delivery = _only(manager, made["slow"])
    assert delivery.outcome == "timed_out"
    assert delivery.message == "No answer within 0.2 s"


def test_report_inside_the_callback_sets_the_outcome(manager):
    made = _make(manager, said_no={"mode": "report_failure", "retries": 3})
    happened.send(None)
    assert manager.wait_for_background_work(10)
    delivery = _only(manager, made["said_no"])
    assert (delivery.outcome, delivery.message, delivery.attempts) == (
        "failed",
        "The service said no",
        1,
    )


def test_the_activity_row_of_a_successful_delivery_carries_its_message(manager):
    from desktop_app.testing import ActivityRecorder

    _make(manager, one={})
    recorder = ActivityRecorder()

    happened.send(None, what="y")
    assert manager.wait_for_background_work(10)
    manager.deliveries.flush(10)

    [row] = [r for r in recorder.records if r.config_name == "one"]
    # "HTTP 200" or the like, shown beside "ok" in the Activity panel.
    assert (row.outcome, row.error, row.traceback) == ("ok", "done y", "")
