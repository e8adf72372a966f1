"""The generated dialog shows whatever errors a form's own code records.

Real integrations (Review Board's CI ones) write
``self._errors[name] = self.error_class([e])`` with the exception they
caught, or let one escape from ``clean()``; the dialog must show text and
stay usable, never fail inside the event loop.
"""

from __future__ import annotations

from urllib.error import URLError

from desktop_app import forms
from desktop_app.integration import Integration
from tests._support.config_dialog_driving import click_ok, open_dialog, type_into


class ReachForm(forms.IntegrationConfigForm):
    server = forms.URLField(label="Server")

    def clean(self):
        cleaned = super().clean()
        if self._errors:
            return cleaned
        if "unreachable" in cleaned["server"]:
            # As a CI integration does with what urlopen() raised.
            self._errors["server"] = self.error_class(
                [URLError("[Errno 111] Connection refused")]
            )
        elif "broken" in cleaned["server"]:
            raise RuntimeError("the check crashed")
        return cleaned


class ReachIntegration(Integration):
    name = "Reach"
    config_form_cls = ReachForm

    def initialize(self):
        pass


def test_exception_object_in_error_class_is_shown_as_text(qtbot, manager):
    integration = manager.register_integration_class(ReachIntegration)
    dialog = open_dialog(qtbot, integration)
    type_into(qtbot, dialog, "server", "https://unreachable.example/")

    click_ok(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.field_errors()["server"] == [
        "<urlopen error [Errno 111] Connection refused>"
    ]
    assert manager.count_configs().get(integration.integration_id, (0, 0))[0] == 0


def test_exception_escaping_clean_is_shown_and_dialog_stays_usable(qtbot, manager):
    integration = manager.register_integration_class(ReachIntegration)
    dialog = open_dialog(qtbot, integration)
    type_into(qtbot, dialog, "server", "https://broken.example/")

    click_ok(qtbot, dialog)

    assert dialog.isVisible()
    (message,) = dialog.form_errors()
    assert "the check crashed" in message
    # Fixed by the user, the same dialog saves.
    type_into(qtbot, dialog, "server", "https://fine.example/")
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert dialog.saved_config.settings["server"] == "https://fine.example/"


class PrefixedForm(forms.IntegrationConfigForm):
    prefix = "ci"
    job = forms.CharField(label="Job")
    marker = forms.CharField(label="Marker", required=False, widget=forms.HiddenInput)

    def clean_marker(self):
        marker = self.cleaned_data["marker"]
        if marker == "stale":
            raise forms.ValidationError("Reopen this configuration.")
        return marker


class PrefixedIntegration(Integration):
    name = "Prefixed"
    config_form_cls = PrefixedForm
    default_settings = {"marker": "stale"}

    def initialize(self):
        pass


def test_prefixed_form_saves_and_hidden_field_errors_show_at_the_top(qtbot, manager):
    integration = manager.register_integration_class(PrefixedIntegration)
    dialog = open_dialog(qtbot, integration)
    type_into(qtbot, dialog, "job", "nightly")

    click_ok(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.form_errors() == ["Marker (not shown): Reopen this configuration."]
    assert "marker" not in dialog.field_errors()

    dialog.editor("marker").set_value("fresh")  # as the form's own code would
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert dialog.saved_config.settings == {"job": "nightly", "marker": "fresh"}
