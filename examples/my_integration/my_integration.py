"""My Integration: the reference guide's ``MyIntegration``, made real.

A drop-in plugin: copy this file into ``<data dir>/plugins`` (and its
``icons/`` folder beside it, if you want the icon) and the app loads it.
When the ``examples.something_happened`` signal fires, every enabled
configuration gets a JSON ``POST`` to its endpoint URL, with its client id in
the ``X-Client-ID`` header. The request runs on the background worker, so a
slow server never blocks the window or the code that sent the signal.

Fire the signal from the window (Tools → Fire signal…) or the command line::

    desktop-app fire examples.something_happened summary="Backup finished"
"""

from __future__ import annotations

import json
import urllib.request
from functools import cached_property
from pathlib import Path
from typing import Any

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal

__all__ = ["MyIntegration", "MyIntegrationConfigForm", "something_happened"]

#: The event this integration reports. The payload fields let the window and
#: the command line build a form for firing it by hand.
something_happened = define_signal(
    "examples.something_happened",
    description="Something worth telling the outside world happened.",
    payload={
        "summary": forms.CharField(label="Summary"),
        "severity": forms.ChoiceField(
            label="Severity",
            choices=[("info", "Info"), ("warning", "Warning"), ("error", "Error")],
            required=False,
        ),
    },
)

_ICONS = Path(__file__).resolve().parent / "icons"


class MyIntegrationConfigForm(IntegrationConfigForm):
    """Where to post, who we are, and how patient to be."""

    endpoint_url = forms.URLField(label="Endpoint URL", required=True)
    client_id = forms.CharField(label="Client ID", required=True, max_length=64)
    timeout = forms.FloatField(
        label="Timeout (seconds)",
        min_value=1,
        max_value=60,
        help_text="How long to wait for the service before giving up.",
    )

    def clean_client_id(self) -> str:
        # Header values cannot hold spaces or line breaks; say so here rather
        # than failing on every delivery.
        client_id = self.cleaned_data["client_id"]
        if any(c.isspace() for c in client_id):
            raise forms.ValidationError("A client ID cannot contain spaces.")
        return client_id

    class Meta:
        fieldsets = (
            (
                None,
                {
                    "description": (
                        "Ask the service's administrator for the endpoint URL "
                        "and a client ID for this computer."
                    ),
                    "fields": ("endpoint_url", "client_id"),
                },
            ),
            ("Advanced", {"fields": ("timeout",), "classes": ("collapse",)}),
        )


class MyIntegration(Integration):
    """Posts each ``examples.something_happened`` event to a web service."""

    integration_id = "examples.MyIntegration"
    name = "My Integration"
    description = "This is my special integration that does stuff."
    default_settings = {
        "endpoint_url": "https://example.com/endpoint/",
        "client_id": "abc123",
        "timeout": 10.0,
    }
    config_form_cls = MyIntegrationConfigForm

    @cached_property
    def icon_static_urls(self) -> dict[str, str]:
        # Beside the plugin file, so the icons travel with it.
        return {
            "1x": str(_ICONS / "my_integration.png"),
            "2x": str(_ICONS / "my_integration@2x.png"),
        }

    def initialize(self) -> None:
        SignalHook(self, something_happened, self._on_something_happened)

    def _on_something_happened(self, summary: str, severity: str = "info") -> None:
        # Names only the payload keywords it uses; SignalHook passes those.
        for config in self.get_configs():
            body = {
                "event": something_happened.name,
                "summary": summary,
                "severity": severity or "info",
                "configuration": config.name,
            }
            self.run_in_background(
                config,
                post_json,
                config.get("endpoint_url"),
                body,
                headers={"X-Client-ID": config.get("client_id")},
                timeout=config.get("timeout"),
                signal=something_happened.name,
            )


def post_json(
    url: str, body: dict[str, Any], *, headers: dict[str, str], timeout: float
) -> int:
    """POST ``body`` as JSON and return the HTTP status.

    Raises:
        urllib.error.HTTPError: The service answered with an error status;
            the worker records it as a failed delivery.
        urllib.error.URLError: The service could not be reached.
    """
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status
