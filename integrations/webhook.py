"""Webhook: POST each picked event as JSON to a URL.

The body is our own JSON shape (``{"signal", "payload", "time", "id"}``,
documented in docs/writing-integrations.md) or a CloudEvents 1.0 event.
With a secret, requests are signed the Standard Webhooks way (or
github-style, ``X-Desktop-App-Signature: sha256=…``), so receivers can
check the sender with off-the-shelf libraries.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from desktop_app import forms, signals
from desktop_app.config import IntegrationConfig
from desktop_app.deliveries import event_time
from desktop_app.forms import IntegrationConfigForm
from desktop_app.resources import static
from integrations._cloudevents import CONTENT_TYPE as CLOUDEVENTS_TYPE
from integrations._cloudevents import cloudevent_body
from integrations._common import (
    event_body,
    event_conditions_field,
    post_json,
    signal_choices,
)
from integrations._posting import PostingIntegration
from integrations._signing import (
    SIGNING_GITHUB,
    SIGNING_STANDARD,
    check_standard_secret,
    delivery_message_id,
    generate_secret,
    new_message_id,
    signer,
)
from integrations._templates import TEST_PAYLOAD

if TYPE_CHECKING:
    from integrations._http import KeepAlive

__all__ = ["WebhookConfigForm", "WebhookIntegration", "send_webhook"]

FORMAT_JSON = "json"
FORMAT_CLOUDEVENTS = "cloudevents"


def send_webhook(
    settings: Mapping[str, Any] | IntegrationConfig,
    signal: str,
    payload: dict[str, Any],
    *,
    message_id: str,
    config_name: str = "",
    retries: int | None = None,
    connections: KeepAlive | None = None,
) -> str:
    """POST one event with a webhook's settings; runs on the worker.

    Args:
        connections (KeepAlive, optional): The configuration's kept-alive
            connections (without: one connection for this request).

    Returns:
        str: ``'HTTP <status>'``.

    Raises:
        DeliveryError: Every attempt failed.
    """
    if settings.get("payload_format") == FORMAT_CLOUDEVENTS:
        body = cloudevent_body(signal, payload, message_id, subject=config_name or None)
        content_type = CLOUDEVENTS_TYPE
    else:
        body = event_body(signal, payload, event_id=message_id)
        content_type = "application/json"
    scheme = settings.get("signing") or SIGNING_STANDARD
    return post_json(
        settings.get("url") or "",
        body,
        sign=signer(scheme, settings.get("secret") or "", message_id),
        content_type=content_type,
        timeout=float(settings.get("timeout") or 10.0),
        retries=int(settings.get("retries") or 0) if retries is None else retries,
        backoff=float(settings.get("backoff") or 0.0),
        connections=connections,
    )


class WebhookConfigForm(IntegrationConfigForm):
    """Where to post, which events, how to sign, and how hard to try."""

    #: Its checks are local and quick: run them as the user types.
    live_clean = True

    url = forms.URLField(
        label="Webhook URL",
        help_text="The address that receives a POST request for each event.",
    )
    signals = forms.MultipleChoiceField(
        label="Events",
        choices=signal_choices,
        help_text="The events to send.",
    )
    conditions = event_conditions_field()
    secret = forms.add_field_action(
        forms.PasswordField(
            label="Secret",
            required=False,
            help_text="Signs each request so the receiver can check it came "
            "from this app (Standard Webhooks: a whsec_ secret; press Generate "
            "and give the same secret to the receiver). Leave empty to send "
            "unsigned requests.",
        ),
        forms.FieldAction(
            label="Generate",
            tooltip="Make a new random whsec_ secret and show it, so you can "
            "copy it to the receiver",
            run=lambda values: generate_secret(),
            reveal=True,
        ),
    )
    signing = forms.ChoiceField(
        label="Signature",
        choices=(
            (SIGNING_STANDARD, "Standard Webhooks (webhook-signature)"),
            (SIGNING_GITHUB, "GitHub style (X-Desktop-App-Signature: sha256=…)"),
        ),
        help_text="How requests are signed when a secret is set. Standard "
        "Webhooks receivers check them with the official libraries.",
    )
    payload_format = forms.ChoiceField(
        label="Payload format",
        choices=(
            (FORMAT_JSON, "JSON (signal, payload, time, id)"),
            (FORMAT_CLOUDEVENTS, "CloudEvents 1.0 (structured mode)"),
        ),
        help_text="CloudEvents suits receivers built with a CloudEvents SDK.",
    )
    timeout = forms.FloatField(label="Timeout (seconds)", min_value=0.1, max_value=300)
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
                    "fields": ("url", "signals", "conditions", "secret"),
                },
            ),
            (
                "Advanced",
                {
                    "description": "How requests are signed and shaped, how "
                    "long to wait for the service and how often to try again "
                    "when it does not answer.",
                    "fields": (
                        "signing",
                        "payload_format",
                        "timeout",
                        "retries",
                        "backoff",
                    ),
                    "classes": ("collapse",),
                },
            ),
        )

    def clean(self) -> dict[str, Any] | None:
        cleaned = self.cleaned_data
        typed = self.data.get("secret")
        # Only a newly typed secret is checked: a stored one was checked
        # when it was typed, or predates Standard Webhooks signing.
        if (
            typed
            and isinstance(typed, str)
            and cleaned.get("signing", SIGNING_STANDARD) == SIGNING_STANDARD
        ):
            problem = check_standard_secret(typed)
            if problem is not None:
                self.add_error("secret", problem)
        return self.cleaned_data


class WebhookIntegration(PostingIntegration):
    """Posts events to any HTTP endpoint."""

    integration_id = "desktop_app.integrations.webhook"
    name = "Webhook"
    description = (
        "Send events as JSON or CloudEvents to a URL, signed the Standard Webhooks way."
    )
    config_form_cls = WebhookConfigForm
    default_settings: ClassVar[dict[str, Any]] = {
        "url": "",
        "signals": [],
        "conditions": {"mode": "always", "conditions": []},
        "secret": "",
        "signing": SIGNING_STANDARD,
        "payload_format": FORMAT_JSON,
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
        # One id per delivery, made here and not per attempt: retries keep
        # it, so receivers can drop duplicates.
        self.run_in_background(
            config,
            send_webhook,
            config,
            signal,
            payload,
            message_id=delivery_message_id(config.id, signal, event_time()),
            config_name=config.name,
            retries=0,  # the framework retries, holding no thread meanwhile
            connections=self.connections_for(config),
            signal=signal,
        )

    def test_config(self, settings: dict[str, Any]) -> str:
        """POST the test event once with these settings, no retries.

        Returns:
            str: ``'Test event delivered (HTTP 200).'``

        Raises:
            DeliveryError: The plain failure ("HTTP 404 Not Found").
        """
        merged = {**self.default_settings, **settings, "retries": 0}
        status = send_webhook(
            merged,
            signals.test_event.name,
            dict(TEST_PAYLOAD),
            message_id=new_message_id(),
            config_name=str(settings.get("name") or ""),
        )
        return f"Test event delivered ({status})."
