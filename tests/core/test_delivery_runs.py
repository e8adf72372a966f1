"""Identical deliveries in a row are one stored row with a count.

A djblets-style loop over ``get_configs()`` gets a delivery per
configuration on every event; the ones with nothing to say are counted on
the event path and stored as one row per configuration (``repeats``).
Deliveries with the same outcome and message in a row ("HTTP 200", or
skipped for the same reason) are counted the same way; anything else (a
failure, another message, another signal) starts a new row.
"""

from __future__ import annotations

import sqlite3

import pytest

from desktop_app import _delivery_log, _delivery_runs, deliveries
from desktop_app._legacy_handlers import set_ui_thread
from desktop_app.activity import get_activity_log
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.signals import define_signal
from desktop_app.store import ConfigStore
from desktop_app.store._migrate import SCHEMA_REVISION
from tests.core.test_stable_ids import downgrade_to

ticked = define_signal("tests.delivery_runs.ticked")
tocked = define_signal("tests.delivery_runs.tocked")


class Looping(Integration):
    """Loops over every configuration; raises for the one named in
    ``fail_for``; stops early when ``stop_after`` is set on a config."""

    integration_id = "tests.delivery_runs.Looping"

    def initialize(self):
        SignalHook(self, ticked, self.on_ticked)
        SignalHook(self, tocked, self.on_tocked)

    def on_ticked(self, n=0, fail_for=None, **kwargs):
        for config in self.get_configs():
            if config.name == fail_for:
                raise RuntimeError(f"event {n} broke {config.name}")
            if config.get("stop"):
                break

    def on_tocked(self, **kwargs):
        for config in self.get_configs():
            config.get("anything")


def _setup(manager, *names, **settings):
    integration = manager.register_integration_class(Looping)
    return [
        integration.create_config(
            name=name, enabled=True, settings=settings.get(name, {}), save=True
        )
        for name in names
    ]


def _rows(manager, config):
    return [(d.outcome, d.repeats, d.signal) for d in manager.get_deliveries(config.id)]


def test_a_loops_successes_are_one_row_per_configuration_with_a_count(manager):
    first, second = _setup(manager, "first", "second")
    for n in range(40):
        ticked.send(None, n=n)
    assert manager.wait_for_background_work(10)

    for config in (first, second):
        [row] = manager.get_deliveries(config.id)
        assert (row.outcome, row.repeats) == ("ok", 40)
        assert row.time <= row.latest
        assert row.signal == "tests.delivery_runs.ticked"
        assert '"n": 39' in row.payload  # the latest event's payload
    statuses = manager.get_delivery_statuses()
    assert statuses[first.id].ok_count == 40
    assert statuses[second.id].last_outcome == "ok"


def test_a_failure_ends_the_run_and_the_next_success_starts_another(manager):
    first, second = _setup(manager, "first", "second")
    for n in range(5):
        ticked.send(None, n=n)
    ticked.send(None, n=5, fail_for="second")
    for n in range(6, 9):
        ticked.send(None, n=n)
    assert manager.wait_for_background_work(10)

    # Newest first.
    assert _rows(manager, second) == [
        ("ok", 3, "tests.delivery_runs.ticked"),
        ("failed", 1, "tests.delivery_runs.ticked"),
        ("ok", 5, "tests.delivery_runs.ticked"),
    ]
    # The loop reached "first" before "second" raised: it ran 9 times.
    assert _rows(manager, first) == [("ok", 9, "tests.delivery_runs.ticked")]
    status = manager.get_delivery_statuses()[second.id]
    assert (status.ok_count, status.failed_count, status.last_outcome) == (8, 1, "ok")


def test_another_signal_starts_its_own_row(manager):
    [only] = _setup(manager, "only")
    ticked.send(None, n=1)
    ticked.send(None, n=2)
    assert manager.wait_for_background_work(10)
    tocked.send(None)
    assert manager.wait_for_background_work(10)
    ticked.send(None, n=3)
    assert manager.wait_for_background_work(10)
    assert _rows(manager, only) == [
        ("ok", 1, "tests.delivery_runs.ticked"),
        ("ok", 1, "tests.delivery_runs.tocked"),
        ("ok", 2, "tests.delivery_runs.ticked"),
    ]


def test_a_loop_that_stops_early_counts_only_what_it_reached(manager):
    first, stopper, never = _setup(
        manager, "first", "stopper", "never", stopper={"stop": True}
    )
    for n in range(3):
        ticked.send(None, n=n)
    assert manager.wait_for_background_work(10)
    assert _rows(manager, first) == [("ok", 3, "tests.delivery_runs.ticked")]
    assert _rows(manager, stopper) == [("ok", 3, "tests.delivery_runs.ticked")]
    assert manager.get_deliveries(never.id) == []


def test_a_run_grows_across_writes_until_its_window_ends(manager, monkeypatch):
    [only] = _setup(manager, "only")
    for _ in range(3):
        ticked.send(None)
        assert manager.wait_for_background_work(10)
    assert _rows(manager, only) == [("ok", 3, "tests.delivery_runs.ticked")]

    # Past the window, the next success starts a new row.
    monkeypatch.setattr(_delivery_runs, "RUN_WINDOW", 0.0)
    ticked.send(None)
    assert manager.wait_for_background_work(10)
    assert _rows(manager, only) == [
        ("ok", 1, "tests.delivery_runs.ticked"),
        ("ok", 3, "tests.delivery_runs.ticked"),
    ]


def test_the_same_message_in_a_row_is_counted_and_another_starts_a_row(manager):
    class Reporting(Integration):
        integration_id = "tests.delivery_runs.Reporting"

        def initialize(self):
            SignalHook(self, tocked, self.on_tocked)

        def on_tocked(self, status=200, **kwargs):
            for config in self.get_configs():
                deliveries.report(config, message=f"HTTP {status}")

    integration = manager.register_integration_class(Reporting)
    config = integration.create_config(name="says", enabled=True, save=True)
    for status in (200, 200, 200, 201, 200):
        tocked.send(None, status=status)
    assert manager.wait_for_background_work(10)
    rows = manager.get_deliveries(config.id)
    assert [(d.message, d.repeats) for d in rows] == [
        ("HTTP 200", 1),
        ("HTTP 201", 1),
        ("HTTP 200", 3),
    ]


def test_a_listener_between_two_handlers_is_neither_ones_work(manager):
    """A listener that is not an integration's handler runs between two on
    the same signal: what it reports or logs is neither handler's."""
    import logging

    from desktop_app.extension import Extension

    [first] = _setup(manager, "first")

    class Bystander(Extension):
        def initialize(self):
            SignalHook(self, ticked, self.on_ticked)

        def on_ticked(self, **kwargs):
            logging.getLogger("tests.bystander").error("not an integration's")
            deliveries.report(first, message="not mine", ok=False)

    class After(Integration):
        integration_id = "tests.delivery_runs.After"

        def initialize(self):
            SignalHook(self, ticked, self.on_ticked)

        def on_ticked(self, **kwargs):
            for config in self.get_configs():
                config.get("anything")

    bystander = Bystander()
    bystander.enable_extension()
    try:
        after = manager.register_integration_class(After)
        second = after.create_config(name="second", enabled=True, save=True)
        for _ in range(2):
            ticked.send(None)
        assert manager.wait_for_background_work(10)
    finally:
        bystander.disable_extension()
    assert _rows(manager, first) == [("ok", 2, "tests.delivery_runs.ticked")]
    assert _rows(manager, second) == [("ok", 2, "tests.delivery_runs.ticked")]


def test_handlers_sent_from_the_ui_thread_are_counted_the_same(manager):
    [only] = _setup(manager, "only")
    import threading

    set_ui_thread(threading.current_thread())
    try:
        for n in range(5):
            ticked.send(None, n=n)
        assert manager.wait_for_background_work(10)
    finally:
        set_ui_thread(None)
    assert _rows(manager, only) == [("ok", 5, "tests.delivery_runs.ticked")]


def test_the_activity_log_shows_one_row_per_configuration_with_the_count(manager):
    first, second = _setup(manager, "first", "second")
    for n in range(7):
        ticked.send(None, n=n)
    assert manager.wait_for_background_work(10)
    shown = [
        (r.config_name, r.outcome, r.error)
        for r in get_activity_log().records()
        if r.signal == "tests.delivery_runs.ticked"
    ]
    assert sorted(shown) == [("first", "ok", "7 events"), ("second", "ok", "7 events")]


def test_subscribers_hear_of_a_grown_row_under_its_own_id(manager):
    [only] = _setup(manager, "only")
    heard = []
    manager.deliveries.subscribe(heard.extend)
    ticked.send(None)
    assert manager.wait_for_background_work(10)
    ticked.send(None)
    ticked.send(None)
    assert manager.wait_for_background_work(10)
    assert [(d.id, d.repeats) for d in heard] == [
        (heard[0].id, 1),
        (heard[0].id, 3),
    ]


def test_counting_goes_on_after_a_tally_was_retired(manager, monkeypatch):
    monkeypatch.setattr(_delivery_log, "RETIRE_AFTER", 1)
    [only] = _setup(manager, "only")
    ticked.send(None)
    assert manager.wait_for_background_work(10)
    # Idle writer cycles retire the tally the hook holds.
    for _ in range(3):
        assert manager.deliveries.flush(10)
    [hook] = [h for h in manager.get_integration(Looping).hooks if h.signal is ticked]
    assert hook.run_tally is not None and hook.run_tally.retired
    ticked.send(None)
    ticked.send(None)
    assert manager.wait_for_background_work(10)
    assert _rows(manager, only) == [("ok", 3, "tests.delivery_runs.ticked")]


def test_a_run_counted_in_a_retired_tally_is_still_stored(manager):
    [only] = _setup(manager, "only")
    log = manager.deliveries
    integration = manager.get_integration(Looping)
    configs = integration.get_configs()
    tally = log.tally("tests.delivery_runs.ticked", configs, 1)
    # What the writer does when it retires a tally, then a run that counted
    # in it meanwhile hands it back.
    tally.retired = True
    tally.times.append(1_000.0)
    log.adopt(tally)
    assert log.flush(10)
    [row] = manager.get_deliveries(only.id)
    assert (row.outcome, row.repeats, row.time) == ("ok", 1, 1_000.0)


def test_runs_are_stored_across_a_restart_and_a_new_process_starts_a_new_row(
    tmp_path,
):
    db = tmp_path / "runs.sqlite3"
    for _ in range(2):
        manager = IntegrationManager(db, watch_interval=None)
        set_integration_manager(manager)
        try:
            integration = manager.register_integration_class(Looping)
            if not integration.get_configs():
                integration.create_config(name="kept", enabled=True, save=True)
            for n in range(4):
                ticked.send(None, n=n)
        finally:
            manager.shutdown()  # stores what was counted
            set_integration_manager(None)
    with ConfigStore(db) as store:
        rows = store.list_deliveries()
    assert [(d.outcome, d.repeats) for d in rows] == [("ok", 4), ("ok", 4)]


def test_a_database_of_the_previous_schema_gets_the_count_columns(tmp_path):
    db = tmp_path / "old.sqlite3"
    with ConfigStore(db):
        pass
    downgrade_to(db, "0006")
    raw = sqlite3.connect(db)
    raw.execute(
        "INSERT INTO deliveries (config_id, integration_id, config_name, signal,"
        " time, duration, outcome, message, attempts, payload, details)"
        " VALUES (1, 'x.Y', 'old', 'sig', 10.0, 0.1, 'ok', '', 1, '{}', '')"
    )
    raw.commit()
    raw.close()
    with ConfigStore(db) as store:
        [row] = store.list_deliveries()
    assert (row.config_name, row.repeats, row.last_time, row.latest) == (
        "old",
        1,
        None,
        10.0,
    )
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (
        SCHEMA_REVISION,
    )
    raw.close()


@pytest.fixture(autouse=True)
def _no_ui_thread():
    yield
    set_ui_thread(None)


def test_the_deliveries_command_says_how_many_times_a_row_stands_for(tmp_path):
    from desktop_app.store import ConfigRecord, Delivery
    from tests._support.child_processes import run_cli

    tmp_path.chmod(0o700)
    with ConfigStore(tmp_path / "configs.sqlite3") as store:
        config = store.save_config(ConfigRecord("x.Y", name="quiet", enabled=True))
        row = Delivery(
            0,
            config.id,
            "x.Y",
            "quiet",
            "sig",
            1_000.0,
            0.001,
            "ok",
            "",
            1,
            "{}",
            "",
            repeats=3,
            last_time=1_060.0,
        )
        store.add_deliveries([row], keep=500)
    result = run_cli(tmp_path, "deliveries")
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert "quiet (config 1)  sig  ok" in line
    assert "3 times in a row (the last at " in line


def test_skipped_in_a_row_across_writes_grow_one_row_until_another_reason(manager):
    [only] = _setup(manager, "only")
    full = "Not delivered: 3 deliveries to this configuration were already waiting"
    for _ in range(2):  # two writes
        for n in range(3):
            manager.deliveries.record(
                only,
                "tests.delivery_runs.ticked",
                {"n": n},
                "skipped",
                full,
                attempts=0,
            )
        assert manager.deliveries.flush(10)
    quitting = "Not delivered: the app was quitting"
    manager.deliveries.record(
        only, "tests.delivery_runs.ticked", {"n": 9}, "skipped", quitting, attempts=0
    )
    assert manager.deliveries.flush(10)
    rows = manager.get_deliveries(only.id)
    assert [(d.message, d.repeats) for d in rows] == [(quitting, 1), (full, 6)]
    # Deliveries that never ran leave the configuration "never run".
    assert manager.get_delivery_statuses([only.id]) == {}
