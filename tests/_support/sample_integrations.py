"""Sample integrations, forms and signals shared by the window tests."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal

#: A signal the sample integration listens to, with a typed payload.
SAMPLE_SIGNAL_NAME = "tests.ui.thing_happened"
sample_signal = define_signal(
    SAMPLE_SIGNAL_NAME,
    description="Something happened (for the UI tests).",
    payload={
        "title": forms.CharField(label="Title"),
        "count": forms.IntegerField(label="Count", min_value=0, max_value=100),
    },
)


class SampleConfigForm(IntegrationConfigForm):
    endpoint_url = forms.URLField(label="Endpoint URL")
    client_id = forms.CharField(label="Client ID", help_text="From the service.")
    token = forms.PasswordField(label="API token", required=False)
    retries = forms.IntegerField(label="Retries", min_value=0, max_value=10)
    timeout = forms.FloatField(
        label="Timeout", min_value=0.5, max_value=60.0, required=False
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    level = forms.ChoiceField(
        label="Level", choices=[("info", "Info"), ("debug", "Debug")]
    )
    channels = forms.MultipleChoiceField(
        label="Channels",
        choices=[("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")],
        required=False,
    )
    log_file = forms.PathField(label="Log file", mode="save", required=False)
    verbose = forms.BooleanField(label="Verbose logging", required=False)

    class Meta:
        fieldsets = (
            (
                "Connection",
                {
                    "description": "Where to send events.",
                    "fields": ("endpoint_url", "client_id", "token"),
                },
            ),
            (
                "Advanced",
                {
                    "classes": ("collapse",),
                    "fields": (
                        "retries",
                        "timeout",
                        "notes",
                        "level",
                        "channels",
                        "log_file",
                        "verbose",
                    ),
                },
            ),
        )


class SampleIntegration(Integration):
    integration_id = "tests.ui.SampleIntegration"
    name = "Sample Service"
    description = "Posts events to the sample service."
    default_settings = {"retries": 3, "level": "info"}
    config_form_cls = SampleConfigForm
    icon_static_urls: dict[str, str] = {}
    #: What the hook saw, for tests.
    received: list[dict] = []

    def initialize(self):
        SignalHook(self, sample_signal, self._on_thing_happened)

    def _on_thing_happened(self, **kwargs):
        for config in self.get_configs():
            type(self).received.append({"config": config.name, **kwargs})


class OtherIntegration(Integration):
    integration_id = "tests.ui.OtherIntegration"
    name = "Chat Notifier"
    description = "Sends chat messages when reviews are published."

    def initialize(self):
        pass


def write_png(path, size, color):
    """Write a square PNG of one colour and return its path as text."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(color))
    assert image.save(str(path))
    return str(path)


def valid_settings(**overrides):
    """Settings that pass SampleConfigForm, with ``overrides``."""
    values = {
        "endpoint_url": "https://example.com/hook",
        "client_id": "abc",
        "retries": 2,
        "level": "info",
    }
    values.update(overrides)
    return values
