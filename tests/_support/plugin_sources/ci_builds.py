"""A CI-style integration, written the way Review Board's CI integrations
are written, for the tests of the djblets forms API.

It is dropped into a plugins folder by the tests. Its form uses what those
integrations use: ``forms.widgets`` with ``attrs``, an amount-with-unit
widget, a hidden field, the Review Board constructor (``request``,
``instance``), a ``load()`` that disables a field with a reason,
``serialize_``/``deserialize_`` hooks, a save blacklist, an overridden
basic-information fieldset, rich help text, ``add_error()`` and
``self._errors[...] = self.error_class([exception])`` in ``clean()`` after
asking a server, timed with ``log_timed``.
"""

from __future__ import annotations

import json
import logging
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration
from desktop_app.log import log_timed

logger = logging.getLogger(__name__)

#: Written into every configuration by the form, never shown.
FORM_VERSION = "2"


class BuildServerForm(IntegrationConfigForm):
    """Where and how to start builds."""

    basic_info_fieldset = (
        "About this build setup",
        {
            "fields": ("name", "enabled"),
            "description": "Name the setup after the project it builds.",
        },
    )

    server_url = forms.URLField(
        label="Build server",
        help_text=(
            "The address of your build server, for example "
            "<code>https://ci.example.com/</code>. See "
            '<a href="https://example.com/ci-setup">the setup guide</a>.'
        ),
    )
    api_token = forms.CharField(
        label="API token",
        widget=forms.PasswordInput,
        help_text="A token of a build-server user who may start jobs.",
    )
    job_name = forms.CharField(
        label="Job",
        widget=forms.widgets.TextInput(
            attrs={"size": 30, "placeholder": "build-{branch}"}
        ),
    )
    build_config = forms.CharField(
        label="Build config",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
    )
    branches = forms.CharField(
        label="Branches",
        required=False,
        help_text="Branches to build, separated by commas.",
    )
    poll_interval = forms.IntegerField(
        label="Check for results every",
        required=False,
        initial=None,
        widget=forms.widgets.AmountSelectorWidget(
            unit_choices=[
                (1, "seconds"),
                (60, "minutes"),
                (60 * 60, "hours"),
                (None, "Never"),
            ],
            number_attrs={"min": 0},
        ),
    )
    retries = forms.IntegerField(
        label="Retries",
        required=False,
        widget=forms.widgets.NumberInput(attrs={"min": 0, "max": 5}),
    )
    run_manually = forms.BooleanField(
        label="Run builds manually", required=False, initial=False
    )
    form_version = forms.CharField(required=False, widget=forms.HiddenInput)
    last_check = forms.CharField(
        required=False,
        widget=forms.widgets.TextInput(attrs={"readonly": True}),
        help_text="Filled in by the integration; not saved from here.",
    )

    class Meta:
        save_blacklist = ("last_check",)
        fieldsets = (
            (
                "Where to build",
                {
                    "description": (
                        "Builds run on your own server.\n\n"
                        'Read <a href="https://example.com/tokens">how to '
                        "make a token</a> first."
                    ),
                    "fields": ("server_url", "api_token", "job_name"),
                },
            ),
            (
                "How to build",
                {
                    # One paragraph per line, as Review Board's CI forms
                    # write them (djblets' ``paragraphs`` filter).
                    "description": (
                        "Builds start when a change is published.\n"
                        "Each build reports back to the change."
                    ),
                    "fields": ("build_config", "branches", "poll_interval", "retries"),
                    "classes": ("wide",),
                },
            ),
            ("When to build", {"fields": ("run_manually", "last_check")}),
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Review Board's Jenkins form puts a value into initial the same way.
        self.initial["form_version"] = FORM_VERSION
        self.initial["last_check"] = (
            self.instance.get("last_check", "never") if self.instance else "never"
        )

    def load(self):
        # As the CI integrations do when the host lacks a feature.
        self.disabled_fields = ["run_manually"]
        self.disabled_reasons = {
            "run_manually": "Needs a build server that supports manual runs."
        }
        self.fields["run_manually"].initial = False
        super(IntegrationConfigForm, self).load()

    def deserialize_branches_field(self, value):
        return ", ".join(value or [])

    def serialize_branches_field(self, value):
        return [branch.strip() for branch in value.split(",") if branch.strip()]

    def clean(self):
        cleaned_data = super().clean()
        if self._errors:
            return cleaned_data
        request = Request(
            cleaned_data["server_url"].rstrip("/") + "/api/whoami",
            headers={"Authorization": f"token {cleaned_data['api_token']}"},
        )
        with log_timed("Checking the build server", logger=logger):
            try:
                with urlopen(request, timeout=10) as response:
                    user = json.load(response)["user"]
            except HTTPError as e:
                if e.code == 403:
                    self.add_error(
                        "api_token", "Unable to authenticate with this API token."
                    )
                else:
                    self._errors["server_url"] = self.error_class([e])
                return cleaned_data
            except URLError as e:
                self._errors["server_url"] = self.error_class([e])
                return cleaned_data
        cleaned_data["checked_as"] = user
        return cleaned_data


class BuildServerIntegration(Integration):
    """Starts builds of changes on a build server."""

    name = "CI builds"
    description = "Starts builds on your build server."
    config_form_cls = BuildServerForm

    def initialize(self):
        pass
