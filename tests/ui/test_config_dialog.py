"""The generated configuration dialog: editors, validation, saving."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
)

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration
from desktop_app.ui.config_dialog import ConfigDialog
from desktop_app.ui.editors import UNCHANGED_SECRET_PLACEHOLDER
from tests._support.config_dialog_driving import (
    answer_next_message_box,
    click_ok,
    open_dialog,
    type_into,
)
from tests._support.sample_integrations import valid_settings


def test_adding_by_typing_shows_errors_saves_nothing_then_saves_when_fixed(
    qtbot, manager, sample
):
    dialog = open_dialog(qtbot, sample)
    assert dialog.windowTitle() == "Add Sample Service"
    type_into(qtbot, dialog, "name", "Team hook")
    type_into(qtbot, dialog, "endpoint_url", "not a url")

    click_ok(qtbot, dialog)

    errors = dialog.field_errors()
    assert errors["endpoint_url"] == ["Enter a valid URL."]
    assert errors["client_id"] == ["This field is required."]
    assert dialog.isVisible()
    assert dialog.saved_config is None
    assert manager.get_integration_configs(sample) == []
    assert dialog.focusWidget() is dialog.findChild(QLineEdit, "endpoint_url")

    type_into(qtbot, dialog, "endpoint_url", "https://hooks.example.com/team")
    type_into(qtbot, dialog, "client_id", "client-7")
    click_ok(qtbot, dialog)

    assert dialog.result() == ConfigDialog.DialogCode.Accepted
    [stored] = manager.get_integration_configs(sample)
    assert stored.name == "Team hook"
    assert stored.enabled is True
    assert stored.settings["endpoint_url"] == "https://hooks.example.com/team"
    assert stored.settings["client_id"] == "client-7"
    assert stored.settings["retries"] == 3  # from default_settings
    assert dialog.saved_config.id == stored.id


def test_new_config_suggests_the_integration_name(qtbot, sample):
    dialog = open_dialog(qtbot, sample)
    assert dialog.findChild(QLineEdit, "name").text() == "Sample Service"


def test_error_text_is_red_and_readable_by_screen_readers(qtbot, sample):
    dialog = open_dialog(qtbot, sample)
    dialog.findChild(QLineEdit, "name").clear()
    click_ok(qtbot, dialog)
    error = dialog.findChild(QLabel, "name_error")
    assert error.isVisible()
    assert error.text() == "This field is required."
    assert "color" in error.styleSheet()
    assert error.accessibleName() == "Error: This field is required."
    name_edit = dialog.findChild(QLineEdit, "name")
    assert name_edit.accessibleDescription() == "This field is required."


def test_every_editor_type_has_its_widget_object_name_label_and_bounds(qtbot, sample):
    dialog = open_dialog(qtbot, sample)
    expected = {
        "name": (QLineEdit, "Name"),
        "enabled": (QCheckBox, "Enabled"),
        "endpoint_url": (QLineEdit, "Endpoint URL"),
        "client_id": (QLineEdit, "Client ID"),
        "token": (QLineEdit, "API token"),
        "retries": (QSpinBox, "Retries"),
        "timeout": (QDoubleSpinBox, "Timeout"),
        "notes": (QPlainTextEdit, "Notes"),
        "level": (QComboBox, "Level"),
        "channels": (QListWidget, "Channels"),
        "log_file": (QLineEdit, "Log file"),
        "verbose": (QCheckBox, "Verbose logging"),
    }
    for name, (widget_cls, label) in expected.items():
        widget = dialog.findChild(widget_cls, name)
        assert widget is not None, name
        assert dialog.editor(name).input is widget
        assert widget.accessibleName() == label
    for name, (_widget_cls, label) in expected.items():
        # Every label points at its input (screen readers and mnemonics
        # follow it), also where the input sits in a row (Browse…) or above
        # a help text; a check box carries its own label.
        if name in ("enabled", "verbose"):
            assert dialog.label(name) is None
        else:
            assert dialog.label(name).text().startswith(label), name
            assert dialog.label(name).buddy() is dialog.editor(name).input
    assert "*" in dialog.label("name").text()  # required
    assert "*" not in dialog.label("timeout").text()  # optional
    retries = dialog.findChild(QSpinBox, "retries")
    assert (retries.minimum(), retries.maximum()) == (0, 10)
    assert retries.value() == 3
    timeout = dialog.findChild(QDoubleSpinBox, "timeout")
    assert timeout.maximum() == 60.0
    assert dialog.editor("timeout").value() is None  # optional, left blank
    assert dialog.findChild(QLineEdit, "name").maxLength() == 255
    assert dialog.findChild(QPushButton, "log_file_browse").text() == "Browse…"
    assert dialog.findChild(QLineEdit, "client_id").toolTip() == "From the service."
    assert dialog.editor("level").value() == "info"
    channels = dialog.findChild(QListWidget, "channels")
    channels.item(1).setCheckState(Qt.CheckState.Checked)
    assert dialog.editor("channels").value() == ["b"]


def test_collapse_fieldset_is_closed_by_default_and_opens_on_an_error(
    qtbot, manager, sample
):
    dialog = open_dialog(qtbot, sample)
    retries = dialog.findChild(QSpinBox, "retries")
    assert not retries.isVisible()
    assert dialog.findChild(QLineEdit, "endpoint_url").isVisible()

    type_into(qtbot, dialog, "name", "x")
    type_into(qtbot, dialog, "endpoint_url", "https://example.com/")
    type_into(qtbot, dialog, "client_id", "c")
    dialog.editor("level").set_value("")
    click_ok(qtbot, dialog)

    assert dialog.field_errors() == {"level": ["This field is required."]}
    assert dialog.findChild(QComboBox, "level").isVisible()


def test_collapsed_section_opens_and_closes_with_its_button(qtbot, sample):
    dialog = open_dialog(qtbot, sample)
    toggle = dialog.findChild(QToolButton, "sectionToggle")
    retries = dialog.findChild(QSpinBox, "retries")
    assert not toggle.isChecked() and not retries.isVisible()

    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert retries.isVisible() and dialog.label("retries").isVisible()
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert not retries.isVisible() and not dialog.label("retries").isVisible()
    # Other sections' rows are left alone.
    assert dialog.findChild(QLineEdit, "endpoint_url").isVisible()


class WideForm(IntegrationConfigForm):
    message = forms.CharField(label="Message template", help_text="Use {name}.")
    channel = forms.CharField(label="Channel")

    class Meta:
        fieldsets = (("Message", {"fields": ("message",), "classes": ("wide",)}),)


class WideIntegration(Integration):
    integration_id = "tests.ui.WideIntegration"
    name = "Wide"
    config_form_cls = WideForm

    def initialize(self):
        pass


def test_wide_section_puts_labels_above_full_width_editors(qtbot, manager):
    wide = manager.register_integration_class(WideIntegration)
    dialog = open_dialog(qtbot, wide)
    message = dialog.findChild(QLineEdit, "message")
    label = dialog.label("message")
    assert label.text().startswith("Message template")
    assert label.buddy() is message

    def left(widget):
        return widget.mapTo(dialog, widget.rect().topLeft())

    # Above its editor and starting where it starts; the editor is wider
    # than one in a labelled row of the same dialog.
    assert left(label).y() < left(message).y()
    assert left(label).x() == left(message).x()
    assert message.width() > dialog.findChild(QLineEdit, "channel").width()
    assert dialog.findChild(QLabel, "message_help").isVisible()

    click_ok(qtbot, dialog)
    assert dialog.field_errors()["message"] == ["This field is required."]
    assert dialog.findChild(QLabel, "message_error").isVisible()


def test_password_is_masked_toggleable_and_a_stored_secret_is_never_shown(
    qtbot, manager, sample
):
    config = manager.create_config(
        sample, name="Secret", settings={**valid_settings(), "token": "s3cr3t"}
    )
    dialog = open_dialog(qtbot, sample, manager.get_config(config.id))
    token = dialog.findChild(QLineEdit, "token")
    assert token.echoMode() == QLineEdit.EchoMode.Password
    assert token.text() == ""
    assert token.placeholderText() == UNCHANGED_SECRET_PLACEHOLDER
    toggle = dialog.editor("token").toggle_action
    toggle.trigger()
    assert token.echoMode() == QLineEdit.EchoMode.Normal
    assert token.text() == ""
    toggle.trigger()
    assert token.echoMode() == QLineEdit.EchoMode.Password

    type_into(qtbot, dialog, "name", "Secret (renamed)")
    click_ok(qtbot, dialog)
    stored = manager.get_config(config.id)
    assert stored.name == "Secret (renamed)"
    assert stored.settings["token"] == "s3cr3t"  # empty input kept it


def test_editing_starts_from_the_config_and_titles_the_dialog(qtbot, manager, sample):
    config = manager.create_config(
        sample, name="Nightly", settings=valid_settings(retries=7, channels=["c"])
    )
    dialog = open_dialog(qtbot, sample, manager.get_config(config.id))
    assert dialog.windowTitle() == "Edit Nightly"
    assert dialog.findChild(QSpinBox, "retries").value() == 7
    assert dialog.editor("channels").value() == ["c"]
    assert not dialog.is_modified()


def test_cancel_with_unsaved_changes_asks_before_discarding(qtbot, sample):
    dialog = open_dialog(qtbot, sample)
    type_into(qtbot, dialog, "name", "Draft")

    seen = answer_next_message_box(qtbot, QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert seen["name"] == "discardChangesBox"
    assert dialog.isVisible()

    seen = answer_next_message_box(qtbot, QMessageBox.StandardButton.Discard)
    dialog.reject()
    assert not dialog.isVisible()
    assert dialog.result() == ConfigDialog.DialogCode.Rejected


def test_cancel_without_changes_closes_at_once(qtbot, sample):
    dialog = open_dialog(qtbot, sample)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_cancelling_a_conflict_shows_it_at_the_top_and_keeps_the_edits(
    qtbot, manager, sample
):
    config = manager.create_config(sample, name="Shared", settings=valid_settings())
    stale = manager.get_config(config.id)
    newer = manager.get_config(config.id)
    newer.name = "Changed elsewhere"
    manager.save_config(newer)
    dialog = open_dialog(qtbot, sample, stale)
    type_into(qtbot, dialog, "name", "Mine")
    seen = answer_next_message_box(qtbot, QMessageBox.StandardButton.Cancel)
    click_ok(qtbot, dialog)
    assert seen["name"] == "configConflictBox"
    assert dialog.isVisible()
    assert dialog.editor("name").value() == "Mine"
    [message] = dialog.form_errors()
    assert "changed elsewhere" in message
    assert manager.get_config(config.id).name == "Changed elsewhere"


def test_a_fifty_field_form_builds_one_editor_per_field(qtbot, manager):
    # How fast is for benchmarks/dialog.py; here: what gets built.
    attrs = {f"field_{i}": forms.CharField(required=False) for i in range(50)}
    form_cls = type("BigForm", (IntegrationConfigForm,), attrs)

    class Big(Integration):
        integration_id = "tests.ui.Big"
        config_form_cls = form_cls

        def initialize(self):
            pass

    big = manager.register_integration_class(Big)
    dialog = ConfigDialog(big)
    qtbot.addWidget(dialog)
    assert len(dialog.findChildren(QLineEdit)) >= 51
    for i in range(50):
        editor = dialog.findChild(QLineEdit, f"field_{i}")
        assert editor is not None, f"field_{i}"


@pytest.mark.parametrize("hint", [forms.Textarea, forms.PasswordInput])
def test_widget_markers_pick_the_text_editor(qtbot, manager, hint):
    form_cls = type(
        "HintForm", (IntegrationConfigForm,), {"body": forms.CharField(widget=hint)}
    )

    class Hinted(Integration):
        integration_id = f"tests.ui.Hinted{hint.__name__}"
        config_form_cls = form_cls

        def initialize(self):
            pass

    dialog = ConfigDialog(manager.register_integration_class(Hinted))
    qtbot.addWidget(dialog)
    expected = QPlainTextEdit if hint is forms.Textarea else QLineEdit
    widget = dialog.editor("body").input
    assert isinstance(widget, expected)
    if hint is forms.PasswordInput:
        assert widget.echoMode() == QLineEdit.EchoMode.Password
