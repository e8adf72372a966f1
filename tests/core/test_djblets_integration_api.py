"""The rest of djblets' integration API that hosts and integrations call:
``Integration.shutdown_hooks()`` and ``config_template_name``,
``IntegrationManager.is_expired()`` / ``check_expired()``, a
configuration's ``str()``, and ``IntegrationHook.get_integration_manager()``
for a host with its own manager."""

from __future__ import annotations

from desktop_app.extension import Extension
from desktop_app.hooks import IntegrationHook, SignalHook
from desktop_app.integration import Integration
from desktop_app.manager import IntegrationManager
from desktop_app.signals import define_signal

built = define_signal("tests.djblets_api.built")


class Builds(Integration):
    integration_id = "tests.djblets_api.Builds"
    name = "Builds"
    config_template_name = "builds/configure.html"  # a web page; unused here

    def initialize(self):
        self.seen = []
        SignalHook(self, built, lambda **kwargs: self.seen.append(kwargs["n"]))


def test_shutdown_hooks_disconnects_the_integrations_hooks(manager):
    builds = manager.register_integration_class(Builds)
    builds.create_config(name="on", enabled=True, save=True)
    built.send(None, n=1)

    builds.shutdown_hooks()
    built.send(None, n=2)

    assert builds.seen == [1]
    assert Integration.config_template_name is None


def test_a_configuration_reads_as_its_name_and_integration(manager):
    builds = manager.register_integration_class(Builds)
    config = builds.create_config(
        name="Nightly", enabled=True, settings={"token": "s3cret"}, save=True
    )
    [snapshot] = builds.get_configs()

    assert str(config) == f"{snapshot}" == "Nightly (Builds)"
    # An integration that is not loaded: its id stands for it.
    config.integration = None
    assert str(config) == "Nightly (tests.djblets_api.Builds)"


def test_is_expired_and_check_expired_follow_another_process(manager, db_path):
    builds = manager.register_integration_class(Builds)
    builds.create_config(name="ours", enabled=True, save=True)
    assert not manager.is_expired()  # our own saves do not count

    other = IntegrationManager(db_path, watch_interval=None)
    try:
        other.register_integration_class(Builds)
        other.get_integration(Builds).create_config(
            name="theirs", enabled=True, save=True
        )
    finally:
        other.shutdown()

    assert manager.is_expired()
    assert manager.is_expired()  # asking does not reload or forget
    assert [c.name for c in builds.get_configs()] == ["ours"]
    manager.check_expired()
    assert not manager.is_expired()
    assert [c.name for c in builds.get_configs()] == ["ours", "theirs"]


def test_a_hosts_integration_hook_registers_with_its_own_manager(manager, tmp_path):
    # djblets' BaseIntegrationHook asks its subclass for the manager.
    own = IntegrationManager(tmp_path / "host.sqlite3", watch_interval=None)

    class HostIntegrationHook(IntegrationHook):
        @classmethod
        def get_integration_manager(cls):
            return own

    class HostExtension(Extension):
        def initialize(self):
            HostIntegrationHook(self, Builds)

    extension = HostExtension()
    try:
        extension.enable_extension()
        assert own.is_registered(Builds)
        assert not manager.is_registered(Builds)
        extension.disable_extension()
        assert not own.is_registered(Builds)
        assert own.enabled
    finally:
        own.shutdown()
    assert not own.enabled  # djblets' hooks check it before unregistering
    # Without an override, the process-wide manager.
    assert IntegrationHook.get_integration_manager() is manager
