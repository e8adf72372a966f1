"""The reference document's examples, verbatim but for their imports."""

from __future__ import annotations

from functools import cached_property

from desktop_app import forms
from desktop_app.activity import get_activity_log
from desktop_app.extension import Extension
from desktop_app.forms import IntegrationConfigForm
from desktop_app.hooks import IntegrationHook, SignalHook
from desktop_app.integration import Integration
from desktop_app.manager import get_integration_manager
from desktop_app.resources import static
from desktop_app.signals import define_signal

my_signal = define_signal("tests.reference.my_signal")


# --- "A typical integration may look like this" -----------------------------


class MyIntegrationConfigForm(IntegrationConfigForm):
    endpoint_url = forms.CharField(label="Endpoint URL", required=True)
    client_id = forms.CharField(label="Client ID", required=True)

    class Meta:
        fieldsets = (
            (
                None,
                {
                    "description": (
                        "Some useful instructions for the integration. This "
                        "is a good place to tell them what info to gather "
                        "from another service."
                    ),
                    "fields": ("endpoint_url", "client_id"),
                },
            ),
        )


class MyIntegration(Integration):
    name = "My Integration"
    description = "This is my special integration that does stuff."

    default_settings = {
        "endpoint_url": "https://example.com/endpoint/",
        "client_id": "abc123",
    }

    config_form_cls = MyIntegrationConfigForm

    @cached_property
    def icon_static_urls(self):
        return {
            "1x": static("images/my-integration/logo.png"),
            "2x": static("images/my-integration/logo@2x.png"),
        }

    def initialize(self):
        # Here's where you'll begin listening to events.
        pass


# --- "Handling Initialization" / "Querying Configurations" ------------------


class MySignalIntegration(Integration):
    def initialize(self):
        SignalHook(self, my_signal, self._on_my_signal)
        self.seen = []

    def _on_my_signal(self):
        for config in self.get_configs():
            # Do something with this configuration.
            self.seen.append(config.name)


# --- "Registering Your Integration" (extension form) ------------------------


class MyExtensionIntegration(Integration):
    name = "Extension Integration"

    def initialize(self):
        pass


class MyExtension(Extension):
    def initialize(self):
        IntegrationHook(self, MyExtensionIntegration)


def test_typical_integration_registers_with_the_reference_call(manager):
    get_integration_manager().register_integration_class(MyIntegration)

    integration = manager.get_integration(MyIntegration)
    assert integration.integration_id == f"{__name__}.MyIntegration"
    assert integration.name == "My Integration"
    assert integration.icon_static_urls["2x"].endswith(
        "resources/images/my-integration/logo@2x.png"
    )
    assert not integration.enabled  # no configuration yet


def test_config_form_saves_fields_into_settings(manager):
    manager.register_integration_class(MyIntegration)
    integration = manager.get_integration(MyIntegration)

    form = MyIntegrationConfigForm(
        integration,
        data={
            "name": "Production",
            "enabled": True,
            "endpoint_url": "https://hooks.example.com/x",
            "client_id": "client-7",
        },
    )
    assert form.is_valid(), form.errors
    config = form.save()

    stored = manager.get_config(config.id)
    assert stored.name == "Production"
    assert stored.enabled is True
    assert stored.settings == {
        "endpoint_url": "https://hooks.example.com/x",
        "client_id": "client-7",
    }
    assert integration.enabled  # an enabled configuration enables it
    assert [f.title for f in MyIntegrationConfigForm.fieldsets][0] == (
        "Basic Information"
    )


def test_handler_without_arguments_loops_enabled_configs(manager):
    integration = manager.register_integration_class(MySignalIntegration)
    integration.create_config(name="on", enabled=True, save=True)
    integration.create_config(name="off", enabled=False, save=True)

    my_signal.send(None, flag=True)

    assert integration.seen == ["on"]
    assert not [r for r in get_activity_log().records() if r.failed]


def test_extension_registers_its_integration_while_enabled(manager):
    extension = MyExtension()
    extension.enable_extension()
    assert MyExtension.instance is extension
    assert manager.is_registered(MyExtensionIntegration)

    extension.disable_extension()
    assert not manager.is_registered(MyExtensionIntegration)
    assert MyExtension.instance is None


def test_new_config_form_suggests_the_integration_name(manager):
    integration = manager.register_integration_class(MyIntegration)
    form = MyIntegrationConfigForm(integration)
    assert form.initial["name"] == "My Integration"
    assert form.initial["endpoint_url"] == "https://example.com/endpoint/"
