"""Driving a ConfigDialog as a user would, shared by the dialog tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop_app.ui.config_dialog import ConfigDialog


def open_dialog(qtbot, integration, config=None):
    """Open the generated dialog and wait until it is on screen."""
    dialog = ConfigDialog(integration, config)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot, dialog, name, text):
    """Replace a line edit's text by typing."""
    edit = dialog.findChild(QLineEdit, name)
    edit.clear()
    qtbot.keyClicks(edit, text)


def click_ok(qtbot, dialog):
    """Click the dialog's OK button."""
    ok = dialog.button_box.button(dialog.button_box.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
