"""Driving the generated configuration dialog from tests, as a user would.

The ``config_dialog`` pytest fixture (:py:mod:`desktop_app.pytest_plugin`)
returns a :py:class:`ConfigDialogDriver`. It fills fields through their
editors' widgets (typing, clicking, choosing) rather than through the form,
so a test exercises the same path as a person at the keyboard: editor
limits, the values the editors hand to the form, the errors shown.

Only :py:mod:`desktop_app.ui` imports Qt; this module is the test-side
counterpart of :py:mod:`desktop_app.ui.config_dialog`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from desktop_app.config import IntegrationConfig
from desktop_app.ui.config_dialog import ConfigDialog
from desktop_app.ui.editors import Editor

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager
    from desktop_app.ui.main_window import MainWindow

__all__ = ["ConfigDialogDriver", "answer_next_message_box", "open_main_window"]


class ConfigDialogDriver:
    """A test's handle on an open :py:class:`ConfigDialog`.

    Args:
        qtbot: pytest-qt's ``qtbot`` (sends the key presses and clicks).
        dialog (ConfigDialog): The dialog, already shown.

    Attributes:
        dialog (ConfigDialog): The dialog widget itself, for anything the
            driver does not cover.
    """

    def __init__(self, qtbot: Any, dialog: ConfigDialog) -> None:
        self.qtbot = qtbot
        self.dialog = dialog

    # Looking things up ----------------------------------------------------

    def editor(self, name: str) -> Editor:
        """Return the editor of a field (``value()``, ``set_value()``, …).

        Raises:
            KeyError: The form has no such field; the message lists those
                it has, since a typo is the usual cause.
        """
        try:
            return self.dialog.editor(name)
        except KeyError:
            known = ", ".join(self.dialog._editors) or "none"
            raise KeyError(
                f'The dialog has no field "{name}" (fields: {known})'
            ) from None

    def widget(self, name: str) -> QWidget:
        """Return the input widget of a field (its ``objectName`` is ``name``)."""
        return self.editor(name).input

    def values(self) -> dict[str, Any]:
        """Return every field's current raw value, as OK would submit it."""
        return self.dialog.values()

    @property
    def errors(self) -> dict[str, list[str]]:
        """Field name → the messages shown under it (same as
        :py:meth:`field_errors`)."""
        return self.field_errors()

    def field_errors(self) -> dict[str, list[str]]:
        """Return field name → the messages shown under that field."""
        return self.dialog.field_errors()

    def form_errors(self) -> list[str]:
        """Return the form-wide messages shown at the top of the dialog."""
        return self.dialog.form_errors()

    # Acting -----------------------------------------------------------------

    def fill(self, values: Mapping[str, Any]) -> ConfigDialogDriver:
        """Enter values the way a user would, field by field.

        Line edits are cleared and typed into, check boxes clicked, combo
        entries chosen (by value or label), multiple-choice items checked,
        spin boxes typed into. Editors built on other widgets get
        ``editor.set_value(value)``.

        Args:
            values (Mapping): Field name → value.

        Returns:
            ConfigDialogDriver: ``self``, so ``fill(...).press_ok()`` reads well.

        Raises:
            KeyError: A field name is unknown.
            ValueError: The editor cannot take the value (a choice that is
                not offered, a number outside the spin box's range), which a
                user could not enter either.
        """
        for name, value in values.items():
            editor = self.editor(name)
            self._enter(name, editor, value)
        return self

    def press_ok(self) -> IntegrationConfig | None:
        """Click OK.

        Returns:
            IntegrationConfig | None: The configuration saved, or ``None``
            when the form was invalid and the dialog stayed open showing
            its errors (see :py:attr:`errors` and :py:meth:`form_errors`).
        """
        self._click_button(QDialogButtonBox.StandardButton.Ok)
        if self.dialog.result() == QDialog.DialogCode.Accepted:
            return self.dialog.saved_config
        return None

    def press_cancel(self, *, discard: bool = True) -> bool:
        """Click Cancel, answering the "Discard changes?" question if asked.

        Args:
            discard (bool): The answer given when the user changed values:
                ``True`` discards them, ``False`` keeps the dialog open.

        Returns:
            bool: Whether the dialog closed.
        """
        if self.dialog.is_modified():
            answer = (
                QMessageBox.StandardButton.Discard
                if discard
                else QMessageBox.StandardButton.Cancel
            )
            answer_next_message_box(self.qtbot, answer)
        self._click_button(QDialogButtonBox.StandardButton.Cancel)
        return not self.dialog.isVisible()

    def close(self) -> None:
        """Close the dialog without questions (the fixture does it at the end)."""
        if self.dialog.isVisible():
            QDialog.done(self.dialog, QDialog.DialogCode.Rejected)

    # Internals ------------------------------------------------------------

    def _click_button(self, which: QDialogButtonBox.StandardButton) -> None:
        button = self.dialog.button_box.button(which)
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def _enter(self, name: str, editor: Editor, value: Any) -> None:
        widget = editor.input
        if isinstance(widget, QLineEdit):
            self._type_line(widget, value)
        elif isinstance(widget, QPlainTextEdit):
            self._type_text(widget, value)
        elif isinstance(widget, QCheckBox):
            self._check(widget, bool(value))
        elif isinstance(widget, QAbstractSpinBox) and value not in (None, ""):
            self._type_number(name, widget, value)
        elif isinstance(widget, QComboBox):
            self._choose(name, widget, getattr(editor, "values", None), value)
        elif isinstance(widget, QListWidget):
            self._check_items(name, widget, value)
        else:
            # Blank spin boxes and editors this driver does not know.
            editor.set_value(value)
            editor.changed.emit()

    def _type_line(self, edit: QLineEdit, value: Any) -> None:
        edit.setFocus()
        if edit.text():
            edit.selectAll()
            self.qtbot.keyClick(edit, Qt.Key.Key_Backspace)
        text = "" if value is None else str(value)
        if text:
            self.qtbot.keyClicks(edit, text)

    def _type_text(self, edit: QPlainTextEdit, value: Any) -> None:
        edit.setFocus()
        if edit.toPlainText():
            edit.selectAll()
            self.qtbot.keyClick(edit, Qt.Key.Key_Backspace)
        lines = ("" if value is None else str(value)).split("\n")
        for number, line in enumerate(lines):
            if number:
                self.qtbot.keyClick(edit, Qt.Key.Key_Return)
            if line:
                self.qtbot.keyClicks(edit, line)

    def _check(self, box: QCheckBox, checked: bool) -> None:
        if box.isChecked() == checked:
            return
        option = QStyleOptionButton()
        option.initFrom(box)
        indicator = box.style().subElementRect(
            QStyle.SubElement.SE_CheckBoxIndicator, option, box
        )
        self.qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=indicator.center())
        if box.isChecked() != checked:  # a style with an odd hit area
            box.click()

    def _type_number(self, name: str, spin: QAbstractSpinBox, value: Any) -> None:
        if isinstance(spin, QDoubleSpinBox):
            text = spin.textFromValue(float(value))
        else:
            text = str(value)
        line = spin.lineEdit()
        spin.setFocus()
        line.selectAll()
        self.qtbot.keyClick(line, Qt.Key.Key_Backspace)
        self.qtbot.keyClicks(spin, text)
        spin.interpretText()  # what leaving the field does
        shown = spin.value()  # type: ignore[attr-defined]
        if shown != type(shown)(value):
            raise ValueError(
                f'The "{name}" spin box did not accept {value!r} (it shows '
                f"{shown!r}; its range is {spin.minimum()} to {spin.maximum()})"  # type: ignore[attr-defined]
            )

    def _choose(
        self, name: str, combo: QComboBox, values: list[Any] | None, value: Any
    ) -> None:
        # Match the choice's value (what the form stores) or its label.
        if values is None:
            values = [combo.itemData(i) for i in range(combo.count())]
        for index in range(combo.count()):
            if values[index] == value or combo.itemText(index) == value:
                combo.setFocus()
                combo.setCurrentIndex(index)
                return
        raise ValueError(f'"{name}" does not offer {value!r} (it offers {values!r})')

    def _check_items(self, name: str, view: QListWidget, value: Any) -> None:
        wanted = [value] if isinstance(value, str) else list(value or [])
        rows = (view.item(i) for i in range(view.count()))
        # Group headings are rows too, but not choices.
        items = [i for i in rows if i.flags() & Qt.ItemFlag.ItemIsUserCheckable]
        matched: set[int] = set()
        for item_value in wanted:
            for row, item in enumerate(items):
                if item_value in (item.data(Qt.ItemDataRole.UserRole), item.text()):
                    matched.add(row)
                    break
            else:
                offered = [i.data(Qt.ItemDataRole.UserRole) for i in items]
                raise ValueError(
                    f'"{name}" does not offer {item_value!r} (it offers {offered!r})'
                )
        for row, item in enumerate(items):
            state = Qt.CheckState.Checked if row in matched else Qt.CheckState.Unchecked
            if item.checkState() != state:
                item.setCheckState(state)


def answer_next_message_box(
    qtbot: Any,
    button: QMessageBox.StandardButton,
    timeout_ms: int = 5000,
) -> dict[str, Any]:
    """Click ``button`` in the next modal message box, once it shows.

    A modal box blocks in ``exec()``, so the answer is scheduled before the
    action that opens it and runs from the box's own event loop.

    Returns:
        dict: Gets ``"answered": True`` and the box's ``"name"`` once done.
    """
    state: dict[str, Any] = {"answered": False, "name": None, "waited": 0}

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            state["waited"] += 20
            if state["waited"] < timeout_ms:
                QTimer.singleShot(20, poll)
            return
        state["answered"] = True
        state["name"] = box.objectName()
        # None when the box lacks that button (PySide6's stub omits it).
        target: QAbstractButton | None = box.button(button)
        if target is None:
            box.done(int(button.value))
        else:
            qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))

    QTimer.singleShot(0, poll)
    return state


def open_main_window(
    qtbot: Any,
    manager: IntegrationManager,
    *,
    settings_path: str | Path,
    timeout_ms: int = 10_000,
) -> MainWindow:
    """Show a :py:class:`MainWindow` and wait until it is ready to click.

    The window builds its panes in the event-loop turns after its first
    frame (and loads plugins after that, when it does); this waits for its
    ``ready`` signal, so what a test clicks next exists and is on screen.

    Args:
        qtbot: pytest-qt's ``qtbot`` (the window is handed to it).
        manager (IntegrationManager): The manager the window shows.
        settings_path (str | Path): An INI file for the window's layout.
        timeout_ms (int): How long to wait for readiness.

    Returns:
        MainWindow: The shown, ready window.
    """
    from PySide6.QtCore import QSettings

    from desktop_app.ui.main_window import MainWindow

    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    if not window.is_ready:
        with qtbot.waitSignal(window.ready, timeout=timeout_ms):
            pass
    return window
