"""Webhook: POST each picked event as JSON to a URL.

The body is ``{"signal": ..., "payload": ..., "time": ...}``. With a secret,
the ``X-Desktop-App-Signature`` header carries ``sha256=`` and the hex
HMAC-SHA256 of the body, so the receiver can check the sender.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from desktop_app import forms
from desktop_app.config import IntegrationConfig
from desktop_app.forms import IntegrationConfigForm
from desktop_app.resources import static
from integrations._common import (
    SignalPickingIntegration,
    event_body,
    post_json,
    signal_choices,
)

__all__ = ["WebhookConfigForm", "WebhookIntegration"]


class WebhookConfigForm(IntegrationConfigForm):
    """Where to post, which events, and how hard to try."""

    url = forms.URLField(
        label="Webhook URL",
        help_text="The address that receives a POST request for each event.",
    )
    signals = forms.MultipleChoiceField(
        label="Events",
        choices=signal_choices,
        help_text="The events to send.",
    )
    secret = forms.PasswordField(
        label="Secret",
        required=False,
        help_text="Signs each request (HMAC-SHA256) so the receiver can verify "
        "it came from this app. Leave empty to send unsigned requests.",
    )
    timeout = forms.FloatField(
        label="Timeout (seconds)", min_value=0.1, max_value=300
    )
    retries = forms.IntegerField(
        label="Retries",
        min_value=0,
        max_value=10,
        help_text="Further attempts after a failed one, waiting longer each time.",
    )
    backoff = forms.FloatField(
        label="First retry delay (seconds)",
        min_value=0,
        max_value=60,
        help_text="Doubled before each further retry.",
    )

    class Meta:
        fieldsets = (
            (
                "Destination",
                {
                    "description": "Paste the URL of the service's incoming "
                    "webhook and pick the events it should receive.",
                    "fields": ("url", "signals", "secret"),
                },
            ),
            (
                "Advanced",
                {
                    "description": "How long to wait for the service and how "
                    "often to try again when it does not answer.",
                    "fields": ("timeout", "retries", "backoff"),
                    "classes": ("collapse",),
                },
            ),
        )


class WebhookIntegration(SignalPickingIntegration):
    """Posts events to any HTTP endpoint."""

    integration_id = "desktop_app.integrations.webhook"
    name = "Webhook"
    description = "Send events as JSON to a URL, optionally signed with a secret."
    config_form_cls = WebhookConfigForm
    default_settings: ClassVar[dict[str, Any]] = {
        "url": "",
        "signals": [],
        "secret": "",
        "timeout": 10.0,
        "retries": 3,
        "backoff": 1.0,
    }

    @cached_property
    def icon_static_urls(self) -> dict[str, str]:
        return {
            "1x": static("icons/webhook.png"),
            "2x": static("icons/webhook@2x.png"),
        }

    def deliver(
        self, config: IntegrationConfig, signal: str, payload: dict[str, Any]
    ) -> None:
        self.run_in_background(
            config,
            post_json,
            config.get("url"),
            event_body(signal, payload),
            secret=config.get("secret") or "",
            timeout=float(config.get("timeout")),
            retries=0,  # the framework retries, holding no thread meanwhile
            backoff=float(config.get("backoff")),
            signal=signal,
        )
