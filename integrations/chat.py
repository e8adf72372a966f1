"""Chat: post a message per picked event to a Slack-compatible incoming
webhook (Slack, Mattermost) or a Discord webhook.

Hand-written rather than through Apprise (which the Notify built-in uses):
see docs/architecture.md, "Chat and Apprise".
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from desktop_app import forms, signals
from desktop_app.config import IntegrationConfig
from desktop_app.forms import IntegrationConfigForm
from desktop_app.resources import static
from integrations._common import (
    event_conditions_field,
    post_json,
    signal_choices,
)
from integrations._posting import PostingIntegration
from integrations._templates import TEST_PAYLOAD, render, template_field

__all__ = ["ChatConfigForm", "ChatIntegration", "chat_body"]

FORMAT_SLACK = "slack"
FORMAT_MATTERMOST = "mattermost"
FORMAT_DISCORD = "discord"


def chat_body(chat_format: str, text: str, channel: str = "") -> dict[str, Any]:
    """Return the JSON body the chosen service expects for one message.

    Slack and Mattermost take ``{"text", "channel"}``; Discord takes
    ``{"content"}`` and has no channel (the webhook URL picks it).
    """
    if chat_format == FORMAT_DISCORD:
        return {"content": text}
    body: dict[str, Any] = {"text": text}
    if channel:
        body["channel"] = channel
    return body


class ChatConfigForm(IntegrationConfigForm):
    """The chat service, the message and the events."""

    #: Its checks are local and quick: run them as the user types.
    live_clean = True

    chat_format = forms.ChoiceField(
        label="Service",
        choices=(
            (FORMAT_SLACK, "Slack"),
            (FORMAT_MATTERMOST, "Mattermost"),
            (FORMAT_DISCORD, "Discord"),
        ),
    )
    url = forms.SecretURLField(
        label="Incoming webhook URL",
        help_text="Create an incoming webhook in your chat service and paste "
        "its URL. Anyone holding it can post, so it is kept like a password.",
    )
    channel = forms.CharField(
        label="Channel",
        required=False,
        max_length=200,
        help_text="Overrides the webhook's default channel (Slack and "
        "Mattermost only), such as #builds.",
    )
    template = template_field(
        "template",
        label="Message",
        textarea=True,
        max_length=4000,
        help_text="What is posted for each event.",
    )
    signals = forms.MultipleChoiceField(
        label="Events", choices=signal_choices, help_text="The events to post."
    )
    conditions = event_conditions_field()
    timeout = forms.FloatField(label="Timeout (seconds)", min_value=0.1, max_value=300)
    retries = forms.IntegerField(label="Retries", min_value=0, max_value=10)

    class Meta:
        fieldsets = (
            (
                "Chat service",
                {
                    "description": "Where messages go.",
                    "fields": ("chat_format", "url", "channel"),
                },
            ),
            (
                "Message",
                {
                    "description": "What is posted, and for which events.",
                    "fields": ("template", "signals", "conditions"),
                },
            ),
            (
                "Advanced",
                {
                    "description": "How long to wait for the service and how "
                    "often to try again.",
                    "fields": ("timeout", "retries"),
                    "classes": ("collapse",),
                },
            ),
        )


class ChatIntegration(PostingIntegration):
    """Posts events to a chat channel."""

    integration_id = "desktop_app.integrations.chat"
    name = "Chat"
    description = "Post a message to Slack, Mattermost or Discord for each event."
    config_form_cls = ChatConfigForm
    default_settings: ClassVar[dict[str, Any]] = {
        "chat_format": FORMAT_SLACK,
        "url": "",
        "channel": "",
        "template": "{summary}",
        "signals": [],
        "conditions": {"mode": "always", "conditions": []},
        "timeout": 10.0,
        "retries": 2,
    }

    @cached_property
    def icon_static_urls(self) -> dict[str, str]:
        return {"1x": static("icons/chat.png"), "2x": static("icons/chat@2x.png")}

    def deliver(
        self, config: IntegrationConfig, signal: str, payload: dict[str, Any]
    ) -> None:
        text = render(config.get("template") or "", signal, payload, config.name)
        body = chat_body(config.get("chat_format"), text, config.get("channel") or "")
        self.run_in_background(
            config,
            post_json,
            config.get("url"),
            body,
            timeout=float(config.get("timeout")),
            retries=0,  # the framework retries, holding no thread meanwhile
            backoff=0.5,
            connections=self.connections_for(config),
            signal=signal,
        )

    def test_config(self, settings: dict[str, Any]) -> str:
        """Post the test event's message once with these settings.

        Returns:
            str: ``'Test message posted (HTTP 200).'``

        Raises:
            DeliveryError: The plain failure ("HTTP 404 Not Found").
        """
        merged = {**self.default_settings, **settings}
        signal = signals.test_event.name
        name = str(merged.get("name") or "")
        text = render(merged["template"] or "", signal, dict(TEST_PAYLOAD), name)
        status = post_json(
            merged["url"],
            chat_body(merged["chat_format"], text, merged.get("channel") or ""),
            timeout=float(merged["timeout"]),
        )
        return f"Test message posted ({status})."
