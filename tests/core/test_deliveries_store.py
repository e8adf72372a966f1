"""Deliveries are stored in SQLite: they survive a restart, are bounded per
configuration, give each configuration a status, and go with a deleted
configuration."""

from __future__ import annotations

from desktop_app.hooks import ConfigSignalHook
from desktop_app.integration import Integration
from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.signals import define_signal

fired = define_signal("tests.deliveries.fired")


class Flaky(Integration):
    integration_id = "tests.deliveries.Flaky"

    def initialize(self):
        ConfigSignalHook(self, fired, self.handle)

    def handle(self, config, n=0):
        if config.get("broken"):
            raise ConnectionRefusedError(f"refused event {n}")
        return f"HTTP 200 for {n}"


def _setup(manager):
    integration = manager.register_integration_class(Flaky)
    good = integration.create_config(name="good", enabled=True, save=True)
    bad = integration.create_config(
        name="bad", enabled=True, settings={"broken": True}, save=True
    )
    return good, bad


def _fire(manager, *numbers):
    for n in numbers:
        fired.send(None, n=n)
    assert manager.wait_for_background_work(10)


def test_each_configuration_gets_one_stored_delivery_per_event(manager):
    good, bad = _setup(manager)
    _fire(manager, 1)
    [ok] = manager.get_deliveries(good.id)
    assert (ok.outcome, ok.message, ok.attempts) == ("ok", "HTTP 200 for 1", 1)
    assert ok.signal == "tests.deliveries.fired"
    assert ok.config_name == "good" and ok.payload == '{"n": 1}'
    [failed] = manager.get_deliveries(bad.id)
    assert failed.outcome == "failed"
    assert failed.message == "ConnectionRefusedError: refused event 1"
    assert "Traceback" in failed.details
    assert [d.id for d in manager.get_deliveries(failed_only=True)] == [failed.id]


def test_status_has_last_outcome_and_counts(manager):
    good, bad = _setup(manager)
    assert manager.get_delivery_status(good.id) is None  # never ran
    _fire(manager, 1, 2, 3)
    status = manager.get_delivery_status(good.id)
    assert (status.last_outcome, status.ok_count, status.failed_count) == ("ok", 3, 0)
    status = manager.get_delivery_status(bad.id)
    assert status.failing and status.failed_count == 3
    assert status.last_message == "ConnectionRefusedError: refused event 3"


def test_deliveries_survive_a_restart(db_path):
    first = IntegrationManager(db_path, watch_interval=None)
    set_integration_manager(first)
    good, _bad = _setup(first)
    _fire(first, 7)
    first.shutdown()
    set_integration_manager(None)

    second = IntegrationManager(db_path, watch_interval=None)
    try:
        [delivery] = second.get_deliveries(good.id)
        assert delivery.message == "HTTP 200 for 7"
        assert second.get_delivery_status(good.id).ok_count == 1
    finally:
        second.shutdown()


def test_only_the_newest_deliveries_of_each_configuration_are_kept(manager):
    good, bad = _setup(manager)
    manager.deliveries.keep = 5
    _fire(manager, *range(12))
    kept = manager.get_deliveries(good.id, limit=100)
    assert [d.message for d in kept] == [f"HTTP 200 for {n}" for n in range(11, 6, -1)]
    assert len(manager.get_deliveries(bad.id, limit=100)) == 5
    # The counts are lifetime counts, not what is kept.
    assert manager.get_delivery_status(good.id).ok_count == 12


def test_limit_and_paging_return_newest_first(manager):
    good, _bad = _setup(manager)
    _fire(manager, 1, 2, 3)
    page = manager.get_deliveries(good.id, limit=2)
    assert [d.message[-1] for d in page] == ["3", "2"]
    older = manager.get_deliveries(good.id, limit=2, before=page[-1].id)
    assert [d.message[-1] for d in older] == ["1"]


def test_deleting_a_configuration_deletes_its_deliveries(manager):
    good, bad = _setup(manager)
    _fire(manager, 1)
    manager.delete_config(bad.id)
    assert manager.get_deliveries(bad.id) == []
    assert manager.get_delivery_status(bad.id) is None
    assert len(manager.get_deliveries(good.id)) == 1
