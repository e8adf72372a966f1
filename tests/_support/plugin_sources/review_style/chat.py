"""Chat integrations: a base class with the event handling, and a
concrete one that only says how to post."""

from __future__ import annotations

import json
import logging
from urllib.request import Request, urlopen

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.log import log_timed
from review_style.conditions import ChangeConditionChoices
from review_style.events import change_closed, change_published

logger = logging.getLogger(__name__)


class ChatForm(IntegrationConfigForm):
    conditions = forms.ConditionsField(ChangeConditionChoices, label="Conditions")
    webhook_url = forms.URLField(
        label="Webhook URL",
        widget=forms.widgets.TextInput(attrs={"size": 60}),
        help_text="The incoming-webhook address of the chat room.",
    )
    channel = forms.CharField(
        label="Channel",
        required=False,
        widget=forms.widgets.TextInput(attrs={"placeholder": "#reviews"}),
    )

    class Meta:
        fieldsets = (
            ("What to post", {"fields": ("conditions",)}),
            ("Where to post", {"fields": ("webhook_url", "channel")}),
        )


class BaseChatIntegration(Integration):
    """Posts a line for every change event to each configuration whose
    conditions match it. Subclasses say how a message looks."""

    config_form_cls = ChatForm

    def initialize(self):
        SignalHook(self, change_published, self._on_change_published)
        SignalHook(self, change_closed, self._on_change_closed)

    def _on_change_published(self, user, change, **kwargs):
        self.notify(
            change=change, text=f"{user} published #{change.id}: {change.summary}"
        )

    def _on_change_closed(self, user, change, close_type=None, **kwargs):
        self.notify(change=change, text=f"{user} closed #{change.id} ({close_type})")

    def notify(self, *, change, text):
        for config in self.get_configs(None):
            if not config.match_conditions(
                form_cls=self.config_form_cls, change=change
            ):
                continue
            payload = self.build_message(text=text, channel=config.get("channel"))
            with log_timed(
                f"Posting change {change.id} to {config.name}", logger=logger
            ):
                body = json.dumps(payload).encode()
                headers = {"Content-Type": "application/json"}
                urlopen(Request(config.get("webhook_url"), body, headers), timeout=10)

    def build_message(self, *, text, channel):
        raise NotImplementedError


class TeamChat(BaseChatIntegration):
    name = "Team chat"
    description = "Posts change events to a chat room."
    default_settings = {"channel": ""}

    def build_message(self, *, text, channel):
        message = {"text": text}
        if channel:
            message["channel"] = channel
        return message
