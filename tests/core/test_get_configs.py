"""get_configs(): cached, correct after every change, no SQL on the hot path,
and read-only so no caller can change what the others see."""

from __future__ import annotations

import operator
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from desktop_app import signals
from desktop_app.config import ConfigSnapshot, IntegrationConfig
from desktop_app.errors import (
    ConfigNotBoundError,
    ConfigNotFoundError,
    ReadOnlyConfigError,
)
from desktop_app.integration import Integration
from desktop_app.manager import IntegrationManager


class Service(Integration):
    name = "Service"
    default_settings = {"channel": "#general", "key1": "d"}

    def initialize(self):
        pass


def _count_sql(store):
    """Count the SQL statements the store runs from now on."""
    counter = {"n": 0}

    def count(sql):
        counter["n"] += 1

    store.add_statement_listener(count)
    return counter


def test_get_configs_returns_only_enabled(manager):
    integration = manager.register_integration_class(Service)
    integration.create_config(name="on", enabled=True, save=True)
    integration.create_config(name="off", enabled=False, save=True)

    assert [c.name for c in integration.get_configs()] == ["on"]


def test_config_get_falls_back_to_default_settings(manager):
    integration = manager.register_integration_class(Service)
    config = integration.create_config(
        name="a", enabled=True, settings={"key1": "own"}, save=True
    )
    assert config.get("key1") == "own"
    assert config.get("channel") == "#general"
    assert config.get("missing") is None
    assert config.get("missing", 5) == 5
    config.set("channel", "#dev")
    assert config.get("channel") == "#dev"


def test_repeated_get_configs_runs_no_sql(manager):
    integration = manager.register_integration_class(Service)
    integration.create_config(name="a", enabled=True, save=True)
    integration.get_configs()
    counter = _count_sql(manager.store)

    for _ in range(100):
        integration.get_configs()
        integration.get_configs(channel="#general")
        integration.get_configs(channel="#general")

    assert counter["n"] == 0


def test_save_then_get_configs_runs_no_sql(manager):
    integration = manager.register_integration_class(Service)
    config = integration.create_config(name="a", enabled=True, save=True)
    integration.get_configs()
    counter = _count_sql(manager.store)

    config.set("key1", "changed")
    config.save()
    statements_for_save = counter["n"]
    values = [c.get("key1") for c in integration.get_configs()]

    assert values == ["changed"]
    assert counter["n"] == statements_for_save


def test_filters_match_attributes_and_settings(manager):
    integration = manager.register_integration_class(Service)
    integration.create_config(
        name="dev", enabled=True, settings={"channel": "#dev"}, save=True
    )
    integration.create_config(name="general", enabled=True, save=True)

    assert [c.name for c in integration.get_configs(channel="#dev")] == ["dev"]
    assert [c.name for c in integration.get_configs(channel="#general")] == ["general"]
    assert [c.name for c in integration.get_configs(name="dev")] == ["dev"]


def test_editing_a_returned_config_without_saving_leaves_cache_alone(manager):
    integration = manager.register_integration_class(Service)
    integration.create_config(name="a", enabled=True, save=True)

    editable = manager.get_integration_configs(Service)[0]
    editable.set("key1", "unsaved")

    assert integration.get_configs()[0].get("key1") == "d"


def test_a_snapshot_refuses_changes_and_says_how_to_edit(manager):
    integration = manager.register_integration_class(Service)
    integration.create_config(name="a", enabled=True, save=True)
    snap = integration.get_configs()[0]

    with pytest.raises(ReadOnlyConfigError) as raised:
        snap.set("x", 42)
    assert f"integration.get_config({snap.id})" in str(raised.value)
    assert "save()" in str(raised.value)
    for change in (
        lambda: snap.__setitem__("y", "leak"),
        lambda: snap.update(y="leak"),
        lambda: snap.setdefault("y", "leak"),
        lambda: snap.pop("key1"),
        lambda: snap.clear(),
        lambda: setattr(snap, "name", "renamed"),
        lambda: operator.setitem(snap.settings, "y", "leak"),
    ):
        with pytest.raises(TypeError):
            change()

    again = integration.get_configs()[0]
    assert again.get("x") is None and "y" not in again
    assert again.name == "a"
    assert manager.get_config(snap.id).settings == {}


def test_editing_goes_through_get_config_and_save(manager):
    integration = manager.register_integration_class(Service)
    created = integration.create_config(name="a", enabled=True, save=True)

    config = integration.get_config(created.id)
    config.set("x", 42)
    config.save()

    assert integration.get_configs()[0].get("x") == 42
    assert integration.get_configs()[0].editable().settings == {"x": 42}


def test_get_config_only_returns_the_integrations_own_configs(manager):
    class Other(Service):
        pass

    service = manager.register_integration_class(Service)
    other = manager.register_integration_class(Other)
    theirs = other.create_config(name="theirs", save=True)

    with pytest.raises(ConfigNotFoundError):
        service.get_config(theirs.id)


def test_snapshots_export_their_type_and_overlay_defaults(manager):
    integration = manager.register_integration_class(Service)
    integration.create_config(
        name="a", enabled=True, settings={"key1": "own"}, save=True
    )

    (snap,) = integration.get_configs()

    assert isinstance(snap, ConfigSnapshot)
    assert dict(snap) == {"channel": "#general", "key1": "own"}
    assert dict(snap.settings) == {"key1": "own"}
    assert snap.manager is manager


def test_configs_are_bound_to_the_manager_that_made_them(db_path, tmp_path):
    first = IntegrationManager(db_path, watch_interval=None)
    second = IntegrationManager(tmp_path / "other.sqlite3", watch_interval=None)
    try:
        one = first.register_integration_class(Service)
        two = second.register_integration_class(Service)
        made_by_first = one.create_config(name="first")
        made_by_second = two.create_config(name="second")

        made_by_first.save()
        made_by_second.save()
        fetched = second.get_config(made_by_second.id)
        fetched.set("key1", "changed")
        fetched.save()

        assert [c.name for c in first.get_integration_configs()] == ["first"]
        assert [c.name for c in second.get_integration_configs()] == ["second"]
        assert second.get_config(made_by_second.id).settings == {"key1": "changed"}
    finally:
        first.shutdown()
        second.shutdown()


def test_an_unbound_config_says_how_to_save_it(manager):
    config = IntegrationConfig(Service.integration_id, name="loose")

    with pytest.raises(ConfigNotBoundError, match="create_config"):
        config.save()

    manager.register_integration_class(Service)
    manager.save_config(config)
    config.set("key1", "later")
    config.save()
    assert manager.get_config(config.id).settings == {"key1": "later"}


def test_the_watcher_starts_with_the_manager_not_before(db_path):
    manager = IntegrationManager(db_path, watch_interval=0.05)
    try:
        integration = manager.register_integration_class(Service)
        _write_from_another_process(db_path, Service.integration_id, "remote")
        # Not started: another process's change is only seen when asked.
        seen = threading.Event()
        signals.configs_reloaded.connect(
            lambda sender, **kw: seen.set(), sender=manager, weak=False
        )
        assert not seen.wait(0.3)
        assert not integration.enabled

        dispatched = []

        def dispatch(func):
            dispatched.append(func)
            func()

        manager.start(dispatch)
        assert seen.wait(10)
        assert dispatched and integration.enabled
    finally:
        manager.shutdown()


def test_clear_configs_cache_rereads_store(manager):
    integration = manager.register_integration_class(Service)
    integration.create_config(name="a", enabled=True, save=True)
    assert len(integration.get_configs()) == 1

    manager.clear_configs_cache(Service)
    manager.clear_all_configs_cache()

    assert len(integration.get_configs()) == 1


def _write_from_another_process(db_path, integration_id, name, enabled=True):
    code = textwrap.dedent(
        f"""
        from desktop_app.store import ConfigRecord, ConfigStore
        store = ConfigStore({str(db_path)!r})
        store.save_config(ConfigRecord({integration_id!r}, name={name!r},
                                       enabled={enabled!r}))
        store.close()
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def _wait_for(condition, timeout=10.0):
    """Poll ``condition`` until true or ``timeout`` (a generous bound for a
    busy machine: the test asserts the outcome, not how fast it came)."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_change_from_another_process_is_seen_without_asking(db_path):
    manager = IntegrationManager(db_path, watch_interval=0.05)
    manager.start()
    try:
        integration = manager.register_integration_class(Service)
        integration.create_config(name="mine", enabled=True, save=True)
        assert [c.name for c in integration.get_configs()] == ["mine"]

        _write_from_another_process(db_path, Service.integration_id, "theirs")

        assert _wait_for(
            lambda: (
                sorted(c.name for c in integration.get_configs()) == ["mine", "theirs"]
            )
        )
    finally:
        manager.shutdown()


def test_another_process_enabling_a_config_enables_the_integration(db_path):
    manager = IntegrationManager(db_path, watch_interval=0.05)
    manager.start()
    try:
        integration = manager.register_integration_class(Service)
        assert not integration.enabled

        _write_from_another_process(db_path, Service.integration_id, "remote")
        assert _wait_for(lambda: integration.enabled)
    finally:
        manager.shutdown()


def test_check_for_changes_applies_other_process_writes(db_path):
    manager = IntegrationManager(db_path, watch_interval=None)
    try:
        integration = manager.register_integration_class(Service)
        assert manager.check_for_changes() is False
        _write_from_another_process(db_path, Service.integration_id, "remote")
        assert manager.check_for_changes() is True
        assert integration.enabled
        assert [c.name for c in integration.get_configs()] == ["remote"]
    finally:
        manager.shutdown()
