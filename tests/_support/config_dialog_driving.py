"""Driving a ConfigDialog as a user would, shared by the dialog tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QPushButton

from desktop_app.ui.config_dialog import ConfigDialog
from tests._support.qt_driving import on_next_modal


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


def answer_next_message_box(qtbot, button):
    """Click a button of the next modal message box (see ``on_next_modal``).

    Args:
        button: A ``QMessageBox.StandardButton``, or the object name of a
            custom button.

    Returns:
        dict: Filled in when the box shows: its ``name``, ``text`` (with
        the informative text), ``buttons`` (their texts) and ``default``.
    """
    seen = {}

    def answer(box):
        seen["name"] = box.objectName()
        seen["text"] = f"{box.text()} {box.informativeText()}"
        seen["buttons"] = sorted(b.text().replace("&", "") for b in box.buttons())
        default = box.defaultButton()
        seen["default"] = default.text().replace("&", "") if default else None
        target = (
            box.findChild(QPushButton, button)
            if isinstance(button, str)
            else box.button(button)
        )
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)

    on_next_modal(answer, QMessageBox)
    return seen


def child(dialog, cls, name):
    """The dialog's widget of that type and object name (it must exist)."""
    widget = dialog.findChild(cls, name)
    assert widget is not None, name
    return widget


def pick(qtbot, combo: QComboBox, text: str) -> None:
    """Choose a combo box entry with the keyboard, as a user would."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"{text!r} is not in {combo.objectName()}")
