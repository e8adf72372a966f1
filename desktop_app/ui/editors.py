"""Editors for form fields: one registry ``field class → editor factory``.

Forms are Qt-free metadata; this module maps them to widgets. Every editor
offers the same small protocol, so dialogs never look at field types:

* ``widget``: what goes into a layout (the input, or a row holding it);
* ``input``: the widget that takes focus, with ``objectName`` equal to the
  field's name and the label as its accessible name;
* ``value()`` / ``set_value(v)``: the raw value for the form, and back;
* ``fits(v)``: whether ``set_value(v)`` can show ``v`` as it is (a stored
  value from before a plugin changed the field's type may not);
* ``changed``: emitted when the user changes the value;
* ``set_error(text)``: mark the input invalid (``None`` clears it).

A new field type needs one :py:func:`register_editor` call. The lookup
walks the field class's MRO, so subclasses use their base's editor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop_app import forms
from desktop_app._rich_text import plain_text
from desktop_app.ui._field_extras import with_field_extras
from desktop_app.ui._icons import eye_icon

__all__ = [
    "UNCHANGED_SECRET_PLACEHOLDER",
    "Editor",
    "EditorFactory",
    "create_editor",
    "editor_factory_for",
    "register_editor",
]

#: Shown in an empty password editor when a secret is already stored.
UNCHANGED_SECRET_PLACEHOLDER = "Unchanged — type to replace"

_INT_LIMIT = 2**31 - 1
_FLOAT_LIMIT = 1e12


class Editor(QObject):
    """Base class of field editors (see the module docstring).

    Args:
        field (desktop_app.forms.Field): The bound field it edits.
        parent (QWidget, optional): Owner of the widgets.
    """

    #: The user changed the value.
    changed = Signal()

    def __init__(self, field: forms.Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.input: QWidget = self._create_input(parent)
        self.widget: QWidget = self.input
        self.input.setObjectName(field.name or "")
        self.input.setAccessibleName(field.label or field.name or "")
        if field.help_text:
            # Help may be rich text (links, <code>); tooltips and screen
            # readers get its words.
            self.input.setToolTip(plain_text(field.help_text))
        # Screen readers hear "Required." as sighted users see the star.
        self.input.setAccessibleDescription(self._description())

    def _description(self) -> str:
        required = "Required." if getattr(self.field, "required", False) else ""
        help_text = plain_text(self.field.help_text) if self.field.help_text else ""
        return " ".join(t for t in (required, help_text) if t)

    def _create_input(self, parent: QWidget | None) -> QWidget:
        raise NotImplementedError

    def value(self) -> Any:
        """Return the raw value, as the form's ``data`` expects it."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show a value (already passed through ``field.to_data``)."""
        raise NotImplementedError

    def fits(self, value: Any) -> bool:
        """Whether :py:meth:`set_value` shows ``value`` as it is, neither
        failing nor silently changing it (clamping a number, picking another
        choice). ``None`` (no value) always fits."""
        return True

    def show_unfit(self) -> None:
        """Show no value, for a stored value that does not fit (see
        :py:meth:`fits`); the dialog says why under the field."""
        self.set_value(None)

    #: The error shown now (``None``: none), so an unchanged state costs
    #: nothing: restyling a widget re-polishes it.
    _shown_error: str | None = None

    def set_error(self, text: str | None) -> None:
        """Mark the input as invalid, for sighted and screen-reader users."""
        text = text or None
        if text == self._shown_error:
            return
        self._shown_error = text
        self.input.setProperty("invalid", bool(text))
        self.input.setAccessibleDescription(text or self._description())
        self.input.setStyleSheet(
            f"#{self.input.objectName()} {{ border: 1px solid #d03b3b; }}"
            if text
            else ""
        )


class LineEditor(Editor):
    """A one-line text edit (text, URL, email)."""

    def _create_input(self, parent: QWidget | None) -> QWidget:
        edit = QLineEdit(parent)
        max_length = getattr(self.field, "max_length", None)
        if max_length:
            edit.setMaxLength(min(max_length, _INT_LIMIT))
        attrs = self.field.widget.attrs if self.field.widget else {}
        if attrs.get("placeholder"):
            edit.setPlaceholderText(str(attrs["placeholder"]))
        edit.textEdited.connect(self.changed)
        self.edit = edit
        return edit

    def value(self) -> str:
        return self.edit.text()

    def fits(self, value: Any) -> bool:
        return value is None or (
            isinstance(value, (str, int, float)) and not isinstance(value, bool)
        )

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class PasswordEditor(LineEditor):
    """A masked line edit with a show/hide toggle.

    A stored secret is never put back into the editor: the form gives an
    empty initial value and keeps the stored secret when the input stays
    empty, so the dialog shows :py:data:`UNCHANGED_SECRET_PLACEHOLDER`.
    """

    def _create_input(self, parent: QWidget | None) -> QWidget:
        edit = super()._create_input(parent)
        assert isinstance(edit, QLineEdit)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.toggle_action = QAction(eye_icon(crossed=False), "Show", edit)
        self.toggle_action.setObjectName(f"{self.field.name}_showPassword")
        self.toggle_action.setCheckable(True)
        self.toggle_action.setToolTip("Show the text typed")
        self.toggle_action.toggled.connect(self._on_toggled)
        edit.addAction(self.toggle_action, QLineEdit.ActionPosition.TrailingPosition)
        return edit

    def set_stored_secret(self, stored: bool) -> None:
        """Say whether a secret is stored (an empty input keeps it)."""
        self.edit.setPlaceholderText(UNCHANGED_SECRET_PLACEHOLDER if stored else "")

    def _on_toggled(self, shown: bool) -> None:
        self.edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.toggle_action.setIcon(eye_icon(crossed=shown))
        self.toggle_action.setText("Hide" if shown else "Show")
        self.toggle_action.setToolTip(
            "Hide the text typed" if shown else "Show the text typed"
        )


class TextAreaEditor(Editor):
    """A multi-line text edit, for the ``Textarea`` widget."""

    def _create_input(self, parent: QWidget | None) -> QWidget:
        edit = QPlainTextEdit(parent)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 5 + 12)
        edit.textChanged.connect(self.changed)
        self.edit = edit
        return edit

    def value(self) -> str:
        return self.edit.toPlainText()

    def fits(self, value: Any) -> bool:
        return value is None or (
            isinstance(value, (str, int, float)) and not isinstance(value, bool)
        )

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class CheckEditor(Editor):
    """A check box; its text is the field's label."""

    def _create_input(self, parent: QWidget | None) -> QWidget:
        box = QCheckBox(self.field.label or "", parent)
        box.toggled.connect(self.changed)
        self.box = box
        return box

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class IntegerEditor(Editor):
    """A spin box with the field's bounds.

    An optional field gets one extra step below its minimum, shown blank,
    that means "no value".
    """

    def _create_input(self, parent: QWidget | None) -> QWidget:
        spin = self._make_spin(parent)
        if self.optional:
            spin.setSpecialValueText(" ")  # the blank step means "no value"
        self.spin = spin
        spin.valueChanged.connect(self.changed)
        return spin

    def _make_spin(self, parent: QWidget | None) -> QSpinBox | QDoubleSpinBox:
        spin = QSpinBox(parent)
        low, high = self._bounds(_INT_LIMIT)
        spin.setRange(int(low), int(high))
        return spin

    def _bounds(self, limit: float) -> tuple[float, float]:
        # Read like max_length above: any field may be registered for
        # this editor, and number fields are not one public class.
        field = self.field
        min_value = getattr(field, "min_value", None)
        max_value = getattr(field, "max_value", None)
        low = min_value if min_value is not None else -limit
        high = max_value if max_value is not None else limit
        self.optional = not field.required
        if self.optional:
            low -= 1
        return low, high

    def _blank_value(self) -> float:
        return self.spin.minimum()

    def value(self) -> Any:
        if self.optional and self.spin.value() == self._blank_value():
            return None
        return self.spin.value()

    def show_unfit(self) -> None:
        """Show a blank box, even for a required field: a number shown in
        place of the stored value would be saved by OK as if the user had
        chosen it. Left blank, OK says the field is required."""
        if not self.optional:
            self.optional = True
            self.spin.setMinimum(self.spin.minimum() - 1)  # type: ignore[arg-type]
            self.spin.setSpecialValueText(" ")
        self.set_value(None)

    def fits(self, value: Any) -> bool:
        if value is None or value == "":
            return True
        if isinstance(value, bool) or not isinstance(value, self._number_types):
            return False
        number = float(value)  # type: ignore[arg-type]
        return bool(self.spin.minimum() <= number <= self.spin.maximum())

    _number_types: tuple[type, ...] = (int,)

    def set_value(self, value: Any) -> None:
        if value is None or value == "":
            low = self._blank_value() if self.optional else max(self.spin.minimum(), 0)
            # An int for a QSpinBox, whose minimum() and maximum() are ints.
            self.spin.setValue(min(low, self.spin.maximum()))  # type: ignore[arg-type]
        else:
            self.spin.setValue(value)


class FloatEditor(IntegerEditor):
    """A decimal spin box with the field's bounds."""

    _number_types = (int, float)

    def _make_spin(self, parent: QWidget | None) -> QSpinBox | QDoubleSpinBox:
        spin = QDoubleSpinBox(parent)
        spin.setDecimals(3)
        low, high = self._bounds(_FLOAT_LIMIT)
        spin.setRange(low, high)
        return spin


class ChoiceEditor(Editor):
    """A combo box; a blank entry first unless a choice's value is blank."""

    def _create_input(self, parent: QWidget | None) -> QWidget:
        combo = QComboBox(parent)
        choices = list(getattr(self.field, "choices", ()))
        if all(value != "" for value, _label in choices):
            choices.insert(0, ("", ""))
        #: The choices' values, by row: kept here rather than as item data
        #: so the combo fills with one addItems() call.
        self.values = [value for value, _label in choices]
        combo.addItems([str(label) for _value, label in choices])
        combo.currentIndexChanged.connect(self.changed)
        self.combo = combo
        return combo

    def value(self) -> Any:
        index = self.combo.currentIndex()
        return self.values[index] if index >= 0 else None

    def fits(self, value: Any) -> bool:
        return value is None or value in self.values

    def set_value(self, value: Any) -> None:
        try:
            index = self.values.index(value)
        except ValueError:
            index = 0
        self.combo.setCurrentIndex(index)


class MultipleChoiceEditor(Editor):
    """A list of check boxes, one per choice, searchable when long (see
    :py:class:`~desktop_app.ui._choice_list.ChoiceList`)."""

    def __init__(self, field: forms.Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.widget = self.choice_list

    def _create_input(self, parent: QWidget | None) -> QWidget:
        from desktop_app.ui._choice_list import ChoiceList

        grouped = getattr(self.field, "grouped_choices", None)
        if grouped is None:
            grouped = [(None, list(getattr(self.field, "choices", ())))]
        self.choice_list = ChoiceList(grouped, self.field.name or "", parent)
        self.view = self.choice_list.view
        self.view.itemChanged.connect(self.changed)
        return self.view

    def _items(self) -> list[QListWidgetItem]:
        return self.choice_list.items()

    def value(self) -> list[Any]:
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def fits(self, value: Any) -> bool:
        if value is None:
            return True
        if not isinstance(value, (list, tuple)):
            return False
        known = [item.data(Qt.ItemDataRole.UserRole) for item in self._items()]
        return all(v in known for v in value)

    def set_value(self, value: Any) -> None:
        selected = list(value or [])
        for item in self._items():
            checked = item.data(Qt.ItemDataRole.UserRole) in selected
            item.setCheckState(
                Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            )


class PathEditor(LineEditor):
    """A line edit with a Browse… button choosing a file or folder."""

    def __init__(self, field: forms.Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        row = QWidget(parent)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        self.browse_button = QPushButton("Browse…", row)
        self.browse_button.setObjectName(f"{field.name}_browse")
        self.browse_button.setAccessibleName(f"Browse for {field.label}")
        self.browse_button.setToolTip(
            f"Choose {field.label or 'a path'} in a file dialog"
        )
        self.browse_button.clicked.connect(self._on_browse)
        layout.addWidget(self.browse_button)
        self.widget = row

    def _on_browse(self) -> None:
        mode = getattr(self.field, "mode", "file")
        title = self.field.label or ""
        current = self.edit.text()
        if mode == "directory":
            path = QFileDialog.getExistingDirectory(self.widget, title, current)
        elif mode == "save":
            path, _ = QFileDialog.getSaveFileName(self.widget, title, current)
        else:
            path, _ = QFileDialog.getOpenFileName(self.widget, title, current)
        if path:
            self.edit.setText(path)
            self.changed.emit()


EditorFactory = Callable[[forms.Field, QWidget | None], Editor]

_registry: dict[type, EditorFactory] = {}


def register_editor(field_cls: type, factory: EditorFactory) -> None:
    """Map a field class (and its subclasses) to an editor factory."""
    _registry[field_cls] = factory


def editor_factory_for(field: forms.Field) -> EditorFactory:
    """Return the factory for a field, walking its class's MRO.

    Raises:
        LookupError: No class in the MRO has an editor.
    """
    for klass in type(field).__mro__:
        factory = _registry.get(klass)
        if factory is not None:
            return factory
    raise LookupError(f"No editor is registered for {type(field).__name__}")


def create_editor(field: forms.Field, parent: QWidget | None = None) -> Editor:
    """Return a new editor for a bound field, with its action buttons and
    preview if it declares any.

    The field's widget marker may ask for another editor than its class's
    (``HiddenInput``, ``AmountSelectorWidget``…), and its ``attrs`` are
    honoured (see :py:mod:`desktop_app.ui._widget_editors`).
    """
    from desktop_app.ui import _widget_editors  # it builds on this module

    factory = _widget_editors.widget_factory(field) or editor_factory_for(field)
    editor = factory(field, parent)
    _widget_editors.apply_widget_attrs(editor)
    return with_field_extras(editor)


def _text_editor(field: forms.Field, parent: QWidget | None) -> Editor:
    # The widget marker picks among the text editors, as Django's does.
    if isinstance(field.widget, forms.PasswordInput):
        return PasswordEditor(field, parent)
    if isinstance(field.widget, forms.Textarea):
        return TextAreaEditor(field, parent)
    return LineEditor(field, parent)


register_editor(forms.Field, LineEditor)
register_editor(forms.CharField, _text_editor)
register_editor(forms.PasswordField, PasswordEditor)
register_editor(forms.PathField, PathEditor)
register_editor(forms.BooleanField, CheckEditor)
register_editor(forms.IntegerField, IntegerEditor)
register_editor(forms.FloatField, FloatEditor)
register_editor(forms.ChoiceField, ChoiceEditor)
register_editor(forms.MultipleChoiceField, MultipleChoiceEditor)

# Last, because the conditions editor builds its rows' value editors with
# this module's registry.
from desktop_app.ui._conditions_editor import ConditionsEditor  # noqa: E402

register_editor(forms.ConditionsField, ConditionsEditor)
