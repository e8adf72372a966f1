"""A test integration with a password field whose handler fails quoting
the secret: what the secret-handling tests save, deliver and scrub."""

from __future__ import annotations

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal

#: Sent to make every enabled ``Tokened`` configuration fail; with
#: ``background=True`` the failure happens on the background worker.
poked = define_signal("tests.token_integration.poked")


class TokenForm(IntegrationConfigForm):
    url = forms.CharField(required=False)
    token = forms.PasswordField()


class Tokened(Integration):
    config_form_cls = TokenForm

    def initialize(self):
        SignalHook(self, poked, self._on_poked)

    def _on_poked(self, **kwargs):
        for config in self.get_configs():
            if kwargs.get("background"):
                self.run_in_background(config, self._fail, config)
            else:
                self._fail(config)

    def _fail(self, config):
        raise PermissionError(f"server rejected token {config.get('token')}")


def save_form(manager, config=None, **data):
    """Save a ``Tokened`` configuration through its form, as the dialog does."""
    integration = manager.get_integration(Tokened)
    values = {"name": "cfg", "enabled": True, "url": "u"}
    values.update(data)
    return TokenForm(integration, values, config=config).save()
