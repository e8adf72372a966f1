"""Editors picked by a field's widget marker, and the widget ``attrs`` hints.

Django lets a form say ``widget=forms.HiddenInput`` or
``widget=AmountSelectorWidget(...)`` on any field; the editor registry in
:py:mod:`desktop_app.ui.editors` maps field classes, so the widget is looked
at first, here. The ``attrs`` that have a meaning on the desktop are
honoured by every editor: ``placeholder``, ``size`` and ``cols`` (width in
characters), ``rows`` (height in lines), ``maxlength``, ``readonly``,
``min``, ``max`` and ``step``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop_app import forms
from desktop_app.ui.editors import (
    CheckEditor,
    ChoiceEditor,
    Editor,
    EditorFactory,
    MultipleChoiceEditor,
)

__all__ = ["AmountEditor", "HiddenEditor", "apply_widget_attrs", "widget_factory"]

#: Widest editor a ``size`` or ``cols`` hint may ask for, in characters.
_MAX_CHARS = 120

_INT_LIMIT = 2**31 - 1


class HiddenEditor(Editor):
    """No editor at all: keeps the value it is given and hands it back.

    Its ``input`` is a widget that is never shown, so the dialog's protocol
    (object name, focus) still holds.
    """

    def _create_input(self, parent: QWidget | None) -> QWidget:
        widget = QWidget(parent)
        widget.hide()
        self._value: Any = None
        return widget

    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any) -> None:
        self._value = value


class AmountEditor(Editor):
    """A number and a unit list, for :py:class:`forms.AmountSelectorWidget`.

    The value is the number times the unit's factor; a unit without a
    factor (such as "Never") means no value and greys the number out.
    """

    def _create_input(self, parent: QWidget | None) -> QWidget:
        widget = self.field.widget
        assert isinstance(widget, forms.AmountSelectorWidget)
        self.amount_widget = widget
        row = QWidget(parent)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.spin = QSpinBox(row)
        self.spin.setRange(0, _INT_LIMIT)
        _apply_number_attrs(self.spin, widget.number_attrs)
        self.unit = QComboBox(row)
        self.unit.setObjectName(f"{self.field.name}_unit")
        self.unit.setAccessibleName(f"{self.field.label or ''} unit")
        for factor, label in widget.unit_choices:
            self.unit.addItem(label, factor)
        layout.addWidget(self.spin)
        layout.addWidget(self.unit)
        layout.addStretch(1)
        self.spin.valueChanged.connect(self.changed)
        self.unit.currentIndexChanged.connect(self._on_unit_changed)
        self._on_unit_changed()
        self._row = row
        # The dialog focuses ``input`` and names it after the field; the
        # number is what the user types first.
        return self.spin

    def __init__(self, field: forms.Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.widget = self._row  # the number and the unit, side by side

    def _on_unit_changed(self) -> None:
        self.spin.setEnabled(self.unit.currentData() is not None)
        self.changed.emit()

    def value(self) -> int | None:
        return self.amount_widget.compress(self.spin.value(), self.unit.currentData())

    def fits(self, value: Any) -> bool:
        if value is None:
            return True
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        amount, _factor = self.amount_widget.decompress(value)
        return amount is not None and 0 <= amount <= self.spin.maximum()

    def set_value(self, value: Any) -> None:
        amount, factor = self.amount_widget.decompress(value)
        if factor is None:
            # No value: the "no value" unit if there is one, else the base
            # unit with the smallest amount.
            index = self.unit.findData(None)
            self.unit.setCurrentIndex(index if index >= 0 else 0)
            self.spin.setValue(self.spin.minimum())
            return
        self.unit.setCurrentIndex(max(self.unit.findData(factor), 0))
        self.spin.setValue(int(amount or 0))


class WidgetChoiceEditor(ChoiceEditor):
    """A combo box whose choices come from a ``Select`` widget, for a field
    that has none of its own (``CharField(widget=Select(choices=...))``)."""

    def _create_input(self, parent: QWidget | None) -> QWidget:
        combo = QComboBox(parent)
        widget = self.field.widget
        choices = list(getattr(widget, "choices", ()))
        if all(value != "" for value, _label in choices):
            choices.insert(0, ("", ""))
        self.values = [value for value, _label in choices]
        combo.addItems([str(label) for _value, label in choices])
        combo.currentIndexChanged.connect(self.changed)
        self.combo = combo
        return combo


def widget_factory(field: forms.Field) -> EditorFactory | None:
    """Return the editor factory a field's widget asks for, or ``None`` to
    use the field class's own."""
    widget = field.widget
    if widget is None:
        return None
    if isinstance(widget, forms.HiddenInput):
        return HiddenEditor
    if isinstance(widget, forms.AmountSelectorWidget):
        return AmountEditor
    if isinstance(widget, forms.CheckboxInput) and not isinstance(
        field, forms.BooleanField
    ):
        return CheckEditor
    if isinstance(widget, forms.Select) and not hasattr(field, "choices"):
        if isinstance(widget, forms.SelectMultiple):
            return None  # a text field cannot hold several values
        return WidgetChoiceEditor if widget.choices else None
    if isinstance(widget, forms.SelectMultiple) and isinstance(
        field, forms.MultipleChoiceField
    ):
        return MultipleChoiceEditor
    return None


def apply_widget_attrs(editor: Editor) -> None:
    """Honour the widget's ``attrs`` on the editor's input."""
    widget = editor.field.widget
    attrs = widget.attrs if widget is not None else {}
    if not attrs:
        return
    target = editor.input
    metrics = target.fontMetrics()
    chars = _whole(attrs.get("size") or attrs.get("cols"))
    if chars:
        width = metrics.averageCharWidth() * min(chars, _MAX_CHARS) + 16
        target.setMinimumWidth(width)
    if isinstance(target, QLineEdit):
        _apply_line_attrs(target, attrs)
    elif isinstance(target, QPlainTextEdit):
        if attrs.get("placeholder"):
            target.setPlaceholderText(str(attrs["placeholder"]))
        if _truthy(attrs.get("readonly")):
            target.setReadOnly(True)
        rows = _whole(attrs.get("rows"))
        if rows:
            target.setFixedHeight(metrics.lineSpacing() * min(rows, 40) + 12)
    elif isinstance(target, (QSpinBox, QDoubleSpinBox)) and not isinstance(
        editor, AmountEditor
    ):
        # An optional number's editor keeps one blank step below its minimum.
        _apply_number_attrs(
            target, attrs, blank_step=bool(getattr(editor, "optional", False))
        )
        if _truthy(attrs.get("readonly")):
            target.setReadOnly(True)


def _apply_line_attrs(edit: QLineEdit, attrs: dict[str, Any]) -> None:
    if attrs.get("placeholder"):
        edit.setPlaceholderText(str(attrs["placeholder"]))
    if _truthy(attrs.get("readonly")):
        edit.setReadOnly(True)
    max_length = _whole(attrs.get("maxlength"))
    if max_length:
        edit.setMaxLength(min(max_length, edit.maxLength()))


def _apply_number_attrs(
    spin: QAbstractSpinBox, attrs: dict[str, Any], *, blank_step: bool = False
) -> None:
    """Narrow a spin box to ``min``/``max`` and give it ``step``; a bound
    outside the field's own range is ignored, so the field's limits win.
    With ``blank_step``, the lowest step means "no value" and stays below
    ``min``."""
    if not isinstance(spin, (QSpinBox, QDoubleSpinBox)):
        return
    convert = int if isinstance(spin, QSpinBox) else float
    low, high = spin.minimum(), spin.maximum()
    for key in ("min", "max", "step"):
        raw = attrs.get(key)
        if raw is None or isinstance(raw, bool):
            continue
        try:
            number = convert(raw)
        except (TypeError, ValueError):
            continue
        if key == "step" and number > 0:
            spin.setSingleStep(number)  # type: ignore[arg-type]
        elif key == "min" and low <= number - blank_step <= high:
            low = number - blank_step
        elif key == "max" and low <= number <= high:
            high = number
    spin.setRange(low, high)  # type: ignore[arg-type]


def _whole(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _truthy(value: Any) -> bool:
    # HTML boolean attributes: present means on ('readonly': 'readonly').
    return value not in (None, False, "false", "False", 0)
