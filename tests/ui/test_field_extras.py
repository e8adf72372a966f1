"""Per-field buttons and live previews in the generated dialog, driven as a
user would: Generate a webhook secret, pick an Apprise service, watch a
message template's preview while typing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from standardwebhooks import Webhook

from desktop_app.ui._field_extras import ChoicePicker
from integrations.chat import ChatIntegration
from integrations.webhook import WebhookIntegration
from tests._support.config_dialog_driving import click_ok, open_dialog, type_into


@pytest.fixture
def builtin(manager):
    def register(cls):
        manager.register_integration_class(cls)
        return manager.get_integration(cls.integration_id)

    return register


def _close(dialog):
    # Done, not rejected: the test changed values, and closing that way
    # would ask whether to discard them.
    dialog.done(0)


def test_generate_fills_a_standard_webhooks_secret_and_shows_it(
    qtbot, manager, builtin, memory_keyring
):
    dialog = open_dialog(qtbot, builtin(WebhookIntegration))
    type_into(qtbot, dialog, "url", "https://example.com/hook")
    dialog.editor("signals").set_value(["desktop_app.test_event"])
    button = dialog.findChild(QPushButton, "secret_generate")
    assert button.toolTip() and button.accessibleName() == "Generate for Secret"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    edit = dialog.findChild(QLineEdit, "secret")
    secret = edit.text()
    assert secret.startswith("whsec_")
    assert edit.echoMode() == QLineEdit.EchoMode.Normal  # shown, to copy
    Webhook(secret)  # a receiver accepts it as a key
    assert dialog.is_modified()
    click_ok(qtbot, dialog)
    assert dialog.saved_config is not None
    assert dialog.saved_config.get("secret") == secret


def test_a_typed_secret_that_is_not_whsec_is_an_error_at_the_field(
    qtbot, manager, builtin, memory_keyring
):
    dialog = open_dialog(qtbot, builtin(WebhookIntegration))
    type_into(qtbot, dialog, "url", "https://example.com/hook")
    dialog.editor("signals").set_value(["desktop_app.test_event"])
    type_into(qtbot, dialog, "secret", "hunter2")
    click_ok(qtbot, dialog)
    assert dialog.saved_config is None
    [message] = dialog.field_errors()["secret"]
    assert "whsec_" in message and "hunter2" not in message
    _close(dialog)


def test_the_template_preview_follows_typing_and_names_unknown_names(
    qtbot, manager, builtin
):
    dialog = open_dialog(qtbot, builtin(ChatIntegration))
    preview = dialog.findChild(QLabel, "template_preview")
    assert preview.text() == (
        "Preview: Test event from desktop-app: example message (info)"
    )
    editor = dialog.editor("template")
    editor.input.clear()
    qtbot.keyClicks(editor.input, "{config_name}: {severity}")
    assert preview.text() == "Preview: Chat: info"
    type_into(qtbot, dialog, "name", "Team room")
    assert preview.text() == "Preview: Team room: info"
    qtbot.keyClicks(editor.input, " {mesage}")
    assert preview.text().startswith("No preview: Unknown name {mesage}.")
    click_ok(qtbot, dialog)
    assert dialog.saved_config is None
    assert dialog.field_errors()["template"][0].startswith("Unknown name {mesage}.")
    _close(dialog)


def test_the_chat_url_is_masked(qtbot, manager, builtin):
    dialog = open_dialog(qtbot, builtin(ChatIntegration))
    edit = dialog.findChild(QLineEdit, "url")
    assert edit.echoMode() == QLineEdit.EchoMode.Password


def test_services_picker_finds_a_service_and_shows_its_url_forms(qtbot, builtin):
    from integrations._apprise import service_choices

    picker = ChoicePicker(service_choices(), title="Services")
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    qtbot.keyClicks(picker.search, "ntfy")
    shown = [
        picker.list.item(row).text()
        for row in range(picker.list.count())
        if not picker.list.item(row).isHidden()
    ]
    assert shown and "ntfy" in shown[0].lower()
    assert "URL forms:" in picker.detail.toPlainText()
    assert "ntfys://{topic}" in picker.detail.toPlainText()
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    assert picker.chosen is not None and picker.chosen.value.startswith("ntfys://")
    qtbot.keyClicks(picker.search, "no such service at all")
    assert not picker.ok_button.isEnabled()
