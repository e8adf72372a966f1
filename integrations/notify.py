"""Notify: send each picked event to any service Apprise reaches.

Telegram, ntfy, Gotify, email, Matrix, Teams, Pushover, the desktop itself
and 170 more, each named by one Apprise URL. Apprise is imported on first
use (see ``integrations._apprise``), so this built-in costs start-up
nothing.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from desktop_app import forms, signals
from desktop_app.config import IntegrationConfig
from desktop_app.forms import IntegrationConfigForm, ValidationError
from desktop_app.resources import static
from integrations import _apprise
from integrations._common import (
    SignalPickingIntegration,
    event_conditions_field,
    signal_choices,
)
from integrations._templates import TEST_PAYLOAD, render, template_field

__all__ = ["AppriseURLsField", "NotifyConfigForm", "NotifyIntegration"]


class AppriseURLsField(forms.PasswordField):
    """One or more Apprise URLs, separated by spaces, commas or new lines.

    A secret: the URLs carry the services' tokens. Each URL is checked
    with Apprise when the form is cleaned (the first use that imports it).
    """

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            problem = _apprise.check_urls(_apprise.split_urls(value))
            if problem is not None:
                raise ValidationError(problem, code="invalid_url")


class NotifyConfigForm(IntegrationConfigForm):
    """Where notifications go, for which events, and what they say."""

    #: Its checks are local and quick: run them as the user types.
    live_clean = True

    urls = forms.add_field_action(
        AppriseURLsField(
            label="Apprise URLs",
            help_text="One URL per service, such as ntfy://my-topic or "
            "tgram://bot_token/chat_id; separate several with spaces. Press "
            "Services… to pick a service and see its URL form.",
        ),
        forms.FieldAction(
            label="Services…",
            tooltip="Pick a service and see the form of its URL",
            choices=_apprise.service_choices,
            reveal=True,
        ),
    )
    signals = forms.MultipleChoiceField(
        label="Events", choices=signal_choices, help_text="The events to send."
    )
    conditions = event_conditions_field()
    title = template_field(
        "title", label="Title", max_length=250, help_text="The first line."
    )
    body = template_field(
        "body",
        label="Message",
        textarea=True,
        max_length=4000,
        help_text="The text of the notification.",
    )
    timeout = forms.FloatField(label="Timeout (seconds)", min_value=1, max_value=300)

    class Meta:
        fieldsets = (
            (
                "Services",
                {
                    "description": "Where notifications go: any of the 170+ "
                    "services Apprise knows, each named by a URL.",
                    "fields": ("urls", "signals", "conditions"),
                },
            ),
            (
                "Message",
                {
                    "description": "What each notification says.",
                    "fields": ("title", "body"),
                },
            ),
            (
                "Advanced",
                {
                    "description": "How long to wait for each service.",
                    "fields": ("timeout",),
                    "classes": ("collapse",),
                },
            ),
        )


class NotifyIntegration(SignalPickingIntegration):
    """Sends events as notifications through Apprise."""

    integration_id = "desktop_app.integrations.notify"
    name = "Notify"
    description = (
        "Send a notification for each event to Telegram, ntfy, email, Matrix, "
        "Teams and 170 more services (Apprise)."
    )
    config_form_cls = NotifyConfigForm
    default_settings: ClassVar[dict[str, Any]] = {
        "urls": "",
        "signals": [],
        "conditions": {"mode": "always", "conditions": []},
        "title": "{signal_label}",
        "body": "{summary}",
        "timeout": 15.0,
    }

    @cached_property
    def icon_static_urls(self) -> dict[str, str]:
        return {
            "1x": static("icons/notify.png"),
            "2x": static("icons/notify@2x.png"),
        }

    def deliver(
        self, config: IntegrationConfig, signal: str, payload: dict[str, Any]
    ) -> None:
        self.run_in_background(
            config,
            _apprise.notify,
            _apprise.split_urls(config.get("urls") or ""),
            render(config.get("title") or "", signal, payload, config.name),
            render(config.get("body") or "", signal, payload, config.name),
            timeout=float(config.get("timeout")),
            signal=signal,
        )

    def test_config(self, settings: dict[str, Any]) -> str:
        """Send the test event's notification once with these settings.

        Returns:
            str: ``'Sent to 1 service.'``

        Raises:
            DeliveryError: Which service failed and why, without tokens.
        """
        merged = {**self.default_settings, **settings}
        name = str(merged.get("name") or "")
        signal = signals.test_event.name
        return _apprise.notify(
            _apprise.split_urls(merged["urls"] or ""),
            render(merged["title"] or "", signal, TEST_PAYLOAD, name),
            render(merged["body"] or "", signal, TEST_PAYLOAD, name),
            timeout=float(merged["timeout"]),
        )
