"""get_configs(): cached, correct after every change, no SQL on the hot path."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

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
        from desktop_app.config import IntegrationConfig
        from desktop_app.store import ConfigStore
        store = ConfigStore({str(db_path)!r})
        store.save_config(IntegrationConfig({integration_id!r}, name={name!r},
                                            enabled={enabled!r}))
        store.close()
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_change_from_another_process_is_seen_within_a_second(db_path):
    manager = IntegrationManager(db_path, watch_interval=0.2)
    try:
        integration = manager.register_integration_class(Service)
        integration.create_config(name="mine", enabled=True, save=True)
        assert [c.name for c in integration.get_configs()] == ["mine"]

        _write_from_another_process(db_path, Service.integration_id, "theirs")
        written = time.monotonic()

        names = []
        while time.monotonic() - written < 5:
            names = sorted(c.name for c in integration.get_configs())
            if names == ["mine", "theirs"]:
                break
            time.sleep(0.02)
        assert names == ["mine", "theirs"]
        assert time.monotonic() - written < 1.5
    finally:
        manager.shutdown()


def test_another_process_enabling_a_config_enables_the_integration(db_path):
    manager = IntegrationManager(db_path, watch_interval=0.2)
    try:
        integration = manager.register_integration_class(Service)
        assert not integration.enabled

        _write_from_another_process(db_path, Service.integration_id, "remote")
        deadline = time.monotonic() + 5
        while not integration.enabled and time.monotonic() < deadline:
            time.sleep(0.02)
        assert integration.enabled
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
