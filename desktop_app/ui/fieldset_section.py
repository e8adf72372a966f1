"""One fieldset of a generated form: heading, description, field rows.

Sections are built from the form's normalised
:py:class:`~desktop_app.forms.Fieldset` tuples. ``classes`` hints are
honoured: ``'collapse'`` makes the section collapsible and closed by
default, ``'wide'`` puts labels above editors so editors get the full width.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import forms
from desktop_app.ui.editors import CheckEditor, Editor, create_editor

__all__ = ["FieldsetSection", "error_color"]


def error_color(widget: QWidget) -> str:
    """Return a red that reads well on the widget's (light or dark) palette."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return "#ff7b72" if dark else "#c62828"


class FieldsetSection(QWidget):
    """The editors of one fieldset, with their labels, help and errors.

    Args:
        fieldset (desktop_app.forms.Fieldset): What to show.
        fields (mapping): Field name → bound field, for the fieldset's names.
        parent (QWidget, optional): The parent widget.

    Attributes:
        editors (dict[str, Editor]): Field name → editor, in display order.
    """

    def __init__(
        self,
        fieldset: forms.Fieldset,
        fields: Mapping[str, forms.Field],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.fieldset = fieldset
        self.editors: dict[str, Editor] = {}
        self._error_labels: dict[str, QLabel] = {}
        self._cells: dict[str, QVBoxLayout] = {}
        # One palette lookup per section, not one per row.
        self._error_color = error_color(self)
        self.collapsible = "collapse" in fieldset.classes
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)

        self.toggle_button: QToolButton | None = None
        if self.collapsible:
            button = QToolButton(self)
            button.setObjectName("sectionToggle")
            button.setText(fieldset.title or "More options")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setArrowType(Qt.ArrowType.RightArrow)
            _bold(button)
            button.toggled.connect(self._on_toggled)
            outer.addWidget(button)
            self.toggle_button = button
        elif fieldset.title:
            title = QLabel(fieldset.title, self)
            title.setObjectName("sectionTitle")
            _bold(title)
            outer.addWidget(title)

        self.body = QWidget(self)
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(6)
        if fieldset.description:
            description = QLabel(fieldset.description, self.body)
            description.setWordWrap(True)
            description.setObjectName("sectionDescription")
            body_layout.addWidget(description)
        # The rows' layout sits straight in the body: one widget less per
        # section, and editors are created in their final parent.
        rows = self.body
        self.form_layout = QFormLayout()
        self.form_layout.setContentsMargins(0, 0, 0, 0)
        self.form_layout.setFieldGrowthPolicy(
            QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow
        )
        if "wide" in fieldset.classes:
            self.form_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for name in fieldset.fields:
            self._add_row(name, fields[name], rows)
        body_layout.addLayout(self.form_layout)
        outer.addWidget(self.body)
        if self.collapsible:
            self.body.setVisible(False)

    def _add_row(self, name: str, field: forms.Field, rows: QWidget) -> None:
        editor = create_editor(field, rows)
        self.editors[name] = editor
        layout = self.form_layout
        if isinstance(editor, CheckEditor):
            text = ""  # no label: the check box carries it
        else:
            text = field.label or name
            if field.required:
                text = f"{text} <span style='color:{self._error_color}'>*</span>"
        # The label comes from addRow(text, …), made by Qt with the field as
        # its buddy: a QLabel built from Python per row was a fifth of the
        # dialog's build.
        if not field.help_text:
            # Most fields: the editor goes straight into the row. An error
            # label, when one is needed, becomes a row of its own below it.
            layout.addRow(text, editor.widget)
            label = self._label_of(editor.widget)
            if label is not None and editor.widget is not editor.input:
                label.setBuddy(editor.input)
            return
        # The editor and its help stacked tightly, so the help reads as part
        # of the field, not as a row of its own; an error joins the stack.
        cell = QWidget(rows)
        stack = QVBoxLayout(cell)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(2)
        stack.addWidget(editor.widget)
        help_label = QLabel(field.help_text, cell)
        help_label.setObjectName(f"{name}_help")
        help_label.setWordWrap(True)
        help_label.setEnabled(False)  # the palette's secondary text colour
        stack.addWidget(help_label)
        self._cells[name] = stack
        layout.addRow(text, cell)
        label = self._label_of(cell)
        if label is not None:
            label.setBuddy(editor.input)

    def _label_of(self, field_widget: QWidget) -> QLabel | None:
        label = self.form_layout.labelForField(field_widget)
        return label if isinstance(label, QLabel) else None

    def label(self, name: str) -> QLabel | None:
        """Return the label beside a field's editor; ``None`` for a check
        box, which carries its own."""
        cell = self._cells.get(name)
        if cell is not None:
            return self._label_of(cell.parentWidget())
        return self._label_of(self.editors[name].widget)

    def is_expanded(self) -> bool:
        """Whether the fields are shown (always, unless collapsible)."""
        return not self.body.isHidden()

    def set_expanded(self, expanded: bool) -> None:
        """Open or close a collapsible section."""
        if self.toggle_button is not None:
            self.toggle_button.setChecked(expanded)

    def _on_toggled(self, expanded: bool) -> None:
        assert self.toggle_button is not None
        self.toggle_button.setArrowType(
            Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow
        )
        self.body.setVisible(expanded)

    def set_errors(self, name: str, messages: list[str]) -> None:
        """Show a field's messages under it (an empty list clears them)."""
        label = self._error_labels.get(name)
        text = "\n".join(messages)
        if label is None:
            if not messages:
                self.editors[name].set_error(None)
                return
            label = self._error_label(name)
        label.setText(text)
        label.setAccessibleName(f"Error: {text}" if text else "")
        label.setVisible(bool(messages))
        self.editors[name].set_error(text or None)
        if messages:
            self.set_expanded(True)

    def _error_label(self, name: str) -> QLabel:
        # Made with the field's first error: most dialogs never show one.
        stack = self._cells.get(name) or self._wrap_in_cell(name)
        label = QLabel("", stack.parentWidget())
        label.setObjectName(f"{name}_error")
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {self._error_color};")
        label.hide()
        stack.addWidget(label)
        self._error_labels[name] = label
        return label

    def _wrap_in_cell(self, name: str) -> QVBoxLayout:
        # A field built without a cell (no help text) gets one now, so its
        # error sits right under it like a help text would.
        editor_widget = self.editors[name].widget
        cell = QWidget(editor_widget.parentWidget())
        stack = QVBoxLayout(cell)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(2)
        self.form_layout.replaceWidget(editor_widget, cell)
        stack.addWidget(editor_widget)
        cell.show()
        self._cells[name] = stack
        return stack

    def shown_errors(self) -> dict[str, list[str]]:
        """Return field name → messages currently shown."""
        return {
            name: label.text().split("\n")
            for name, label in self._error_labels.items()
            if label.text()
        }


def _bold(widget: Any) -> None:
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)
