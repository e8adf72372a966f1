"""An integration is enabled exactly while it has an enabled configuration."""

from __future__ import annotations

import pytest

from desktop_app import signals
from desktop_app.errors import (
    IntegrationAlreadyRegisteredError,
    IntegrationNotRegisteredError,
    IntegrationRegistrationError,
)
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration

ping = signals.define_signal("tests.lifecycle.ping")


class Counting(Integration):
    name = "Counting"
    default_settings = {"key1": "default"}

    def initialize(self):
        self.initialized = getattr(self, "initialized", 0) + 1
        self.received = []
        SignalHook(self, ping, self._on_ping)

    def shutdown(self):
        self.shut_down = getattr(self, "shut_down", 0) + 1

    def _on_ping(self, **kwargs):
        self.received.append((kwargs, [c.get("key1") for c in self.get_configs()]))


def test_integration_without_configs_stays_disabled(manager):
    integration = manager.register_integration_class(Counting)
    assert not integration.enabled
    assert not ping.receivers


def test_enabled_config_enables_and_connects_hooks(manager):
    integration = manager.register_integration_class(Counting)
    integration.create_config(name="a", enabled=True, save=True)

    assert integration.enabled
    assert integration.initialized == 1
    ping.send("me", value=3)
    assert integration.received == [
        ({"sender": "me", "signal": ping, "value": 3}, ["default"])
    ]


def test_disabling_last_config_shuts_hooks_down(manager):
    integration = manager.register_integration_class(Counting)
    config = integration.create_config(name="a", enabled=True, save=True)

    config.enabled = False
    config.save()

    assert not integration.enabled
    assert integration.shut_down == 1
    assert not integration.hooks
    assert not ping.receivers


def test_deleting_last_enabled_config_disables(manager):
    integration = manager.register_integration_class(Counting)
    first = integration.create_config(name="a", enabled=True, save=True)
    integration.create_config(name="b", enabled=True, save=True)

    first.delete()
    assert integration.enabled
    assert [c.name for c in integration.get_configs()] == ["b"]

    integration.get_configs()[0].delete()
    assert not integration.enabled


def test_existing_enabled_config_enables_on_registration(manager):
    integration = manager.register_integration_class(Counting)
    integration.create_config(name="a", enabled=True, save=True)
    manager.unregister_integration_class(Counting)
    assert not integration.enabled

    again = manager.register_integration_class(Counting)
    assert again.enabled
    assert [c.name for c in again.get_configs()] == ["a"]


def test_enable_and_disable_are_idempotent(manager):
    integration = manager.register_integration_class(Counting)
    integration.enable_integration()
    integration.enable_integration()
    assert integration.initialized == 1
    integration.disable_integration()
    integration.disable_integration()
    assert integration.shut_down == 1


def test_second_registration_of_same_id_is_refused(manager):
    manager.register_integration_class(Counting)

    class Impostor(Integration):
        integration_id = Counting.integration_id

        def initialize(self):
            pass

    with pytest.raises(IntegrationAlreadyRegisteredError) as info:
        manager.register_integration_class(Impostor)
    assert info.value.integration_id == Counting.integration_id
    assert Counting.integration_id in str(info.value)


def test_class_without_initialize_is_refused(manager):
    class Lazy(Integration):
        pass

    with pytest.raises(IntegrationRegistrationError, match="initialize"):
        manager.register_integration_class(Lazy)


@pytest.mark.parametrize("bad_id", ["", "  padded ", 42, "x" * 300])
def test_bad_integration_id_is_refused(manager, bad_id):
    class BadId(Integration):
        integration_id = bad_id

        def initialize(self):
            pass

    with pytest.raises(IntegrationRegistrationError, match="integration_id"):
        manager.register_integration_class(BadId)


def test_not_an_integration_is_refused(manager):
    with pytest.raises(IntegrationRegistrationError):
        manager.register_integration_class(object)


def test_unknown_integration_lookup_names_the_id(manager):
    with pytest.raises(IntegrationNotRegisteredError, match="nope.Missing"):
        manager.get_integration("nope.Missing")


def test_default_integration_id_is_module_and_class():
    assert Counting.integration_id == f"{__name__}.Counting"


def test_configs_survive_unregistration(manager):
    integration = manager.register_integration_class(Counting)
    config = integration.create_config(name="kept", enabled=False, save=True)
    manager.unregister_integration_class(Counting)

    stored = manager.get_integration_configs(Counting.integration_id)
    assert [c.id for c in stored] == [config.id]
    assert stored[0].integration is None


def test_failing_initialize_is_contained_and_reported(manager):
    class Broken(Integration):
        def initialize(self):
            SignalHook(self, ping, lambda **kw: None)
            raise RuntimeError("cannot reach service")

    integration = manager.register_integration_class(Broken)
    integration.create_config(name="a", enabled=True, save=True)

    assert not integration.enabled
    assert not integration.hooks
    assert not ping.receivers
    error, tb = manager.integration_errors[Broken.integration_id]
    assert "cannot reach service" in error
    assert "RuntimeError" in tb


def test_lifecycle_signals_are_sent(manager):
    seen = []

    def on_enabled(sender, integration):
        seen.append(("enabled", integration.integration_id))

    def on_disabled(sender, integration):
        seen.append(("disabled", integration.integration_id))

    signals.integration_enabled.connect(on_enabled)
    signals.integration_disabled.connect(on_disabled)
    try:
        integration = manager.register_integration_class(Counting)
        config = integration.create_config(name="a", enabled=True, save=True)
        config.delete()
    finally:
        signals.integration_enabled.disconnect(on_enabled)
        signals.integration_disabled.disconnect(on_disabled)

    assert seen == [
        ("enabled", Counting.integration_id),
        ("disabled", Counting.integration_id),
    ]


def test_manager_shutdown_disables_everything(db_path):
    from desktop_app.manager import IntegrationManager

    mgr = IntegrationManager(db_path, watch_interval=None)
    integration = mgr.register_integration_class(Counting)
    integration.create_config(name="a", enabled=True, save=True)
    mgr.shutdown()
    assert not integration.enabled
    assert not ping.receivers
