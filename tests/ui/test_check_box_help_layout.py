"""A check box's help text sits right under it, as tall as its text, like
every other field's: Review Board's CI forms all have a "Run builds
manually" check box with two sentences of help, and the dialog showed a
gap of several empty lines between the two."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration
from tests._support.config_dialog_driving import open_dialog

HELP = (
    "Wait to run this service until manually started. This will add a Run "
    "button to the build entry."
)


class ManualRunsForm(IntegrationConfigForm):
    run_manually = forms.BooleanField(
        label="Run builds manually", required=False, help_text=HELP
    )
    branch = forms.CharField(label="Branch", required=False, help_text=HELP)
    notify = forms.BooleanField(label="Notify", required=False)

    def load(self):
        self.disabled_fields = ["notify"]
        self.disabled_reasons = {"notify": HELP}
        super().load()


class ManualRuns(Integration):
    name = "Manual runs"
    config_form_cls = ManualRunsForm

    def initialize(self):
        pass


def test_check_box_help_is_as_tall_as_a_text_fields_help(qtbot, manager):
    integration = manager.register_integration_class(ManualRuns)
    dialog = open_dialog(qtbot, integration)
    dialog.resize(700, 500)
    qtbot.waitUntil(lambda: dialog.width() == 700)

    check = dialog.editor("run_manually").widget
    check_help = dialog.findChild(QLabel, "run_manually_help")
    text_help = dialog.findChild(QLabel, "branch_help")

    def laid_out():
        return check_help.height() == text_help.height()

    qtbot.waitUntil(laid_out)
    gap = check_help.geometry().top() - check.geometry().bottom()
    assert 0 <= gap <= check.height() // 2


def test_a_disabled_check_boxs_reason_sits_right_under_it(qtbot, manager):
    integration = manager.register_integration_class(ManualRuns)
    dialog = open_dialog(qtbot, integration)
    dialog.resize(700, 500)
    qtbot.waitUntil(lambda: dialog.width() == 700)

    check = dialog.editor("notify").widget
    reason = dialog.findChild(QLabel, "notify_disabledReason")
    text_help = dialog.findChild(QLabel, "branch_help")

    qtbot.waitUntil(lambda: reason.height() == text_help.height())
    gap = reason.geometry().top() - check.geometry().bottom()
    assert 0 <= gap <= check.height() // 2
