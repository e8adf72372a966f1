"""An integration whose form shows fields only when others ask for them,
for the live-form tests (visible_when / enabled_when)."""

from __future__ import annotations

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration


class AlertConfigForm(IntegrationConfigForm):
    # Its clean() is local: run it as the user types.
    live_clean = True

    url = forms.URLField(label="Webhook URL")
    auth = forms.ChoiceField(
        label="Authentication",
        choices=[("none", "None"), ("token", "Token"), ("basic", "User and password")],
    )
    token = forms.CharField(label="Token", visible_when={"auth": "token"})
    username = forms.CharField(label="User", visible_when={"auth": "basic"})
    retry = forms.BooleanField(label="Retry failed sends", required=False)
    attempts = forms.IntegerField(
        label="Attempts", min_value=1, max_value=9, enabled_when={"retry": True}
    )

    def clean(self):
        data = super().clean()
        if data and data.get("username", "").lower() == "admin":
            self.add_error("username", "Use a user of its own, not admin.")
        return data


class AlertIntegration(Integration):
    integration_id = "tests.ui.AlertIntegration"
    name = "Alert Service"
    description = "Sends alerts (a form with conditions, for tests)."
    default_settings = {"auth": "none", "attempts": 3}
    config_form_cls = AlertConfigForm

    def initialize(self):
        pass
