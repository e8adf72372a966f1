"""A CI integration: its form narrows the condition choices, checks the
build server in ``clean()``, and uses the KeyValueForm hooks; its handler
starts a build for each configuration whose conditions match."""

from __future__ import annotations

import json
import logging
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.log import log_timed
from review_style.conditions import BuildableChoices
from review_style.events import change_published

logger = logging.getLogger(__name__)

#: Stored in every configuration by the form, never shown.
FORM_VERSION = "3"


class BuildForm(IntegrationConfigForm):
    conditions = forms.ConditionsField(
        choices=lambda: BuildableChoices(), label="Conditions"
    )
    server_url = forms.URLField(label="Build server")
    api_token = forms.CharField(label="API token", widget=forms.PasswordInput)
    extra_branches = forms.CharField(
        label="Also build",
        required=False,
        help_text="Branch names, separated by commas.",
        widget=forms.widgets.TextInput(attrs={"placeholder": "main, stable"}),
    )
    timeout = forms.IntegerField(
        label="Build timeout",
        required=False,
        widget=forms.widgets.AmountSelectorWidget(
            unit_choices=[(1, "seconds"), (60, "minutes"), (None, "Never")],
            number_attrs={"min": 0},
        ),
    )
    run_manually = forms.BooleanField(label="Run builds manually", required=False)
    form_version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        fieldsets = (
            ("What to build", {"fields": ("conditions",)}),
            ("Where to build", {"fields": ("server_url", "api_token")}),
            ("How to build", {"fields": ("extra_branches", "timeout", "run_manually")}),
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["form_version"] = FORM_VERSION

    def load(self):
        self.disabled_fields = ["run_manually"]
        self.disabled_reasons = {"run_manually": "The build server starts every build."}
        super().load()

    def deserialize_extra_branches_field(self, value):
        return ", ".join(value or [])

    def serialize_extra_branches_field(self, value):
        return [name.strip() for name in value.split(",") if name.strip()]

    def clean(self):
        cleaned_data = super().clean()
        if self._errors:
            return cleaned_data
        assert self.request is None  # no web request on the desktop
        if self.instance is None and cleaned_data["name"].lower() == "default":
            self.add_error("name", "Pick a name that says which project this builds.")
            return cleaned_data
        request = Request(
            cleaned_data["server_url"].rstrip("/") + "/api/whoami",
            headers={"Authorization": f"token {cleaned_data['api_token']}"},
        )
        with log_timed("Checking the build server", logger=logger):
            try:
                urlopen(request, timeout=10).close()
            except HTTPError as e:
                if e.code == 403:
                    self.add_error("api_token", "The build server refused this token.")
                else:
                    self._errors["server_url"] = self.error_class([e])
            except URLError as e:
                self._errors["server_url"] = self.error_class([e])
        return cleaned_data


class ChangeBuilds(Integration):
    name = "Change builds"
    description = "Builds each matching change on your build server."
    config_form_cls = BuildForm

    def initialize(self):
        SignalHook(self, change_published, self._on_change_published)

    def get_matching_configs(self, change):
        return [
            config
            for config in self.get_configs(local_site=None)
            if config.match_conditions(form_cls=self.config_form_cls, change=change)
        ]

    def _on_change_published(self, sender, change, **kwargs):
        for config in self.get_matching_configs(change):
            body = json.dumps(
                {"change": change.id, "branch": change.branch, "config": config.pk}
            ).encode()
            request = Request(
                config.get("server_url").rstrip("/") + "/api/build",
                body,
                {
                    "Content-Type": "application/json",
                    "Authorization": f"token {config.get('api_token')}",
                },
            )
            urlopen(request, timeout=10).close()
