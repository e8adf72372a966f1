"""An unmodified djblets-style integration, written as Review Board's
Slack/Mattermost integrations are: one handler loops over
``self.get_configs()``, posts to each configuration's URL right there
(without a timeout), and catches and logs its own errors.

``SOURCE`` is the plugin file's text (for tests that load it the way the
app does); importing this module also defines the class, for in-process
tests."""

from __future__ import annotations

SOURCE = """
import json
import logging
import time
import urllib.request

from desktop_app import Integration, IntegrationConfigForm, SignalHook, forms
from desktop_app.signals import test_event

logger = logging.getLogger(__name__)


class ChatForm(IntegrationConfigForm):
    webhook_url = forms.CharField(label="Webhook URL")
    block_seconds = forms.FloatField(required=False)


class ChatIntegration(Integration):
    integration_id = "tests.djblets_style.Chat"
    name = "Old-style chat"
    config_form_cls = ChatForm
    default_settings = {"webhook_url": "", "block_seconds": 0}

    def initialize(self):
        SignalHook(self, test_event, self._on_test_event)

    def _on_test_event(self, message="", **kwargs):
        for config in self.get_configs():
            if config.get("block_seconds"):
                time.sleep(config.get("block_seconds"))
            try:
                data = json.dumps({"text": message}).encode("utf-8")
                urllib.request.urlopen(config.get("webhook_url"), data)
            except Exception as e:
                logger.error("Failed to send notification to %s: %s",
                             config.get("webhook_url"), e)
"""

_namespace: dict[str, object] = {"__name__": "tests._support.djblets_style_plugin"}
exec(compile(SOURCE, "djblets_style_plugin.py", "exec"), _namespace)  # noqa: S102

#: The integration class, for tests in this process.
ChatIntegration = _namespace["ChatIntegration"]
