"""One fieldset of a generated form: heading, description, field rows.

Sections are built from the form's normalised
:py:class:`~desktop_app.forms.Fieldset` tuples, as rows of one
``QFormLayout`` that every section of a dialog shares: a widget with two
nested layouts per section made Qt size each section on its own, about a
sixth of building and showing a 50-field dialog, and one layout lines up
the labels of all sections. ``classes`` hints are honoured: ``'collapse'``
makes the section collapsible and closed by default (its rows are hidden
with ``QFormLayout.setRowVisible``), ``'wide'`` puts labels above editors
so editors get the full width.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QSizePolicy,
    QSpacerItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import forms
from desktop_app._rich_text import plain_text, rich_text
from desktop_app.ui._widget_editors import HiddenEditor
from desktop_app.ui.editors import CheckEditor, Editor, create_editor

__all__ = ["FieldsetSection", "error_color", "new_form_layout"]

#: Extra space above each section's heading but the first.
SECTION_GAP = 10


def error_color(widget: QWidget) -> str:
    """Return a red that reads well on the widget's (light or dark) palette."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return "#ff7b72" if dark else "#c62828"


def new_form_layout(parent: QWidget) -> QFormLayout:
    """Return the layout sections are added to, installed on ``parent``."""
    layout = QFormLayout(parent)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return layout


class FieldsetSection:
    """The rows of one fieldset: heading, description, editors, errors.

    Args:
        fieldset (desktop_app.forms.Fieldset): What to show.
        fields (mapping): Field name → bound field, for the fieldset's names.
        layout (QFormLayout): Where the rows go (see
            :py:func:`new_form_layout`); installed on the widget that owns
            them. Rows are appended.

    Attributes:
        editors (dict[str, Editor]): Field name → editor, in display order.
        toggle_button (QToolButton | None): Opens and closes a collapsible
            section.
    """

    def __init__(
        self,
        fieldset: forms.Fieldset,
        fields: Mapping[str, forms.Field],
        layout: QFormLayout,
    ) -> None:
        self.fieldset = fieldset
        self.editors: dict[str, Editor] = {}
        self.form_layout = layout
        parent = layout.parentWidget()
        assert parent is not None, "install the layout on a widget first"
        self._parent = parent
        self._error_labels: dict[str, QLabel] = {}
        self._cells: dict[str, QVBoxLayout] = {}
        self._wide_labels: dict[str, QLabel] = {}
        # Fields hidden by their visible_when.
        self._hidden: set[str] = set()
        # A widget of each row that collapses with the section, by field
        # name (None for rows of no field: the description).
        self._row_widgets: list[tuple[str | None, QWidget]] = []
        # One palette lookup per section, not one per row.
        self._error_color = error_color(parent)
        self._wide = "wide" in fieldset.classes
        self.collapsible = "collapse" in fieldset.classes
        self._expanded = not self.collapsible

        if layout.rowCount():
            layout.addItem(
                QSpacerItem(
                    0, SECTION_GAP, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed
                )
            )
        self.toggle_button: QToolButton | None = None
        if self.collapsible:
            button = QToolButton(parent)
            button.setObjectName("sectionToggle")
            button.setText(fieldset.title or "More options")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setArrowType(Qt.ArrowType.RightArrow)
            _bold(button)
            button.toggled.connect(self._on_toggled)
            layout.addRow(button)
            self.toggle_button = button
        elif fieldset.title:
            title = QLabel(fieldset.title, parent)
            title.setObjectName("sectionTitle")
            _bold(title)
            layout.addRow(title)
        if fieldset.description:
            description = rich_label(
                fieldset.description, parent, lines_are_paragraphs=True
            )
            description.setObjectName("sectionDescription")
            layout.addRow(description)
            self._row_widgets.append((None, description))
        for name in fieldset.fields:
            self._add_row(name, fields[name], parent)
        if self.collapsible:
            self._show_rows(False)

    def _add_row(self, name: str, field: forms.Field, parent: QWidget) -> None:
        editor = create_editor(field, parent)
        self.editors[name] = editor
        if isinstance(editor, HiddenEditor):
            return  # no row: the value is kept, never shown
        layout = self.form_layout
        if isinstance(editor, CheckEditor):
            text = ""  # no label: the check box carries it
        else:
            text = field.label or name
            if field.required:
                text = f"{text} <span style='color:{self._error_color}'>*</span>"
        widget = editor.widget
        if field.help_text:
            # The editor and its help stacked tightly, so the help reads as
            # part of the field, not as a row of its own; an error joins it.
            widget = self._new_cell(name, parent)
            self._cells[name].addWidget(editor.widget)
            help_label = rich_label(field.help_text, widget)
            help_label.setObjectName(f"{name}_help")
            self._cells[name].addWidget(help_label)
        if self._wide and text:
            # Label above the editor, both across the full width.
            label = QLabel(text, parent)
            label.setBuddy(editor.input)
            layout.addRow(label)
            layout.addRow(widget)
            self._row_widgets.append((None, label))
            self._wide_labels[name] = label
        else:
            # The label comes from addRow(text, …), made by Qt with the
            # field as its buddy: a QLabel built from Python per row was a
            # fifth of the dialog's build.
            if text:
                layout.addRow(text, widget)
            else:
                # A check box: QFormLayout sizes the wrapped help, reason or
                # error under it for a narrower width when the row has no
                # label, which left empty lines between the box and them.
                layout.addRow(QLabel(parent), widget)
            made = self._label_of(widget)
            if made is not None and widget is not editor.input:
                made.setBuddy(editor.input)
        self._row_widgets.append((name, widget))

    def _label_of(self, field_widget: QWidget) -> QLabel | None:
        label = self.form_layout.labelForField(field_widget)
        # A check box's row holds an empty label only for the layout.
        return label if isinstance(label, QLabel) and label.text() else None

    def label(self, name: str) -> QLabel | None:
        """Return the label of a field's editor; ``None`` for a check box,
        which carries its own."""
        if name in self._wide_labels:
            return self._wide_labels[name]
        cell = self._cells.get(name)
        if cell is not None:
            row = cell.parentWidget()
            return self._label_of(row) if row is not None else None
        return self._label_of(self.editors[name].widget)

    def is_expanded(self) -> bool:
        """Whether the fields are shown (always, unless collapsible)."""
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        """Open or close a collapsible section."""
        if self.toggle_button is not None:
            self.toggle_button.setChecked(expanded)

    def _on_toggled(self, expanded: bool) -> None:
        assert self.toggle_button is not None
        self.toggle_button.setArrowType(
            Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow
        )
        self._show_rows(expanded)

    def _show_rows(self, shown: bool) -> None:
        self._expanded = shown
        for name, widget in self._row_widgets:
            self.form_layout.setRowVisible(widget, shown and name not in self._hidden)
        for name, label in self._wide_labels.items():
            self.form_layout.setRowVisible(label, shown and name not in self._hidden)

    def set_field_visible(self, name: str, visible: bool) -> None:
        """Show or hide one field's row (its ``visible_when``); a closed
        section keeps it hidden until opened."""
        if visible == (name not in self._hidden):
            return
        if visible:
            self._hidden.discard(name)
        else:
            self._hidden.add(name)
        self._show_rows(self._expanded)

    def set_disabled(self, name: str, reason: str) -> None:
        """Show a field's editor disabled, with why under it (djblets'
        ``disabled_fields`` and ``disabled_reasons``)."""
        editor = self.editors[name]
        editor.widget.setEnabled(False)
        editor.input.setEnabled(False)
        if not reason or isinstance(editor, HiddenEditor):
            return
        label = self.note_label(name, "disabledReason")
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        label.setText(reason)
        label.show()
        editor.input.setToolTip(reason)
        editor.input.setAccessibleDescription(f"Disabled: {plain_text(reason)}")

    def set_errors(self, name: str, messages: list[str]) -> None:
        """Show a field's messages under it (an empty list clears them)."""
        if isinstance(self.editors[name], HiddenEditor):
            return  # shown with the form's own errors by the dialog
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
        label = self.note_label(name, "error")
        label.setStyleSheet(f"color: {self._error_color};")
        self._error_labels[name] = label
        return label

    def find_note(self, name: str, kind: str) -> QLabel | None:
        """Return a field's note label of that kind if it was made."""
        stack = self._cells.get(name)
        parent = stack.parentWidget() if stack is not None else None
        return None if parent is None else parent.findChild(QLabel, f"{name}_{kind}")

    def note_label(self, name: str, kind: str) -> QLabel:
        """Return a hidden, word-wrapped label under a field's editor, made
        on first use (object name ``<field>_<kind>``): for its errors, a
        warning, or the "Reset to default" line."""
        stack = self._cells.get(name)
        if stack is None:
            # A field built without a cell (no help text) gets one now, so
            # its error sits right under it like a help text would.
            editor_widget = self.editors[name].widget
            cell = self._new_cell(name, self._parent)
            self.form_layout.replaceWidget(editor_widget, cell)
            self._cells[name].addWidget(editor_widget)
            # A closed section hid the editor itself; now the cell stands
            # for the row, so the editor shows whenever its row does.
            editor_widget.show()
            self._row_widgets = [
                (n, cell if n == name else w) for n, w in self._row_widgets
            ]
            self.form_layout.setRowVisible(cell, self._expanded)
            stack = self._cells[name]
        found = self.find_note(name, kind)
        if found is not None:
            return found
        label = QLabel("", stack.parentWidget())
        label.setObjectName(f"{name}_{kind}")
        label.setWordWrap(True)
        # Messages are text, even "<urlopen error …>".
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.hide()
        stack.addWidget(label)
        return label

    def _new_cell(self, name: str, parent: QWidget) -> QWidget:
        """Return a new, empty cell that stacks a field's editor, help and
        errors tightly (kept in ``_cells``)."""
        cell = QWidget(parent)
        stack = QVBoxLayout(cell)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(2)
        self._cells[name] = stack
        return cell

    def shown_errors(self) -> dict[str, list[str]]:
        """Return field name → messages currently shown."""
        return {
            name: label.text().split("\n")
            for name, label in self._error_labels.items()
            if label.text()
        }


def rich_label(
    text: str, parent: QWidget, *, lines_are_paragraphs: bool = False
) -> QLabel:
    """Return a wrapping label showing author-written rich text (see
    :py:mod:`desktop_app._rich_text`) whose links open in the browser and
    are reachable with Tab."""
    html = rich_text(text, lines_are_paragraphs=lines_are_paragraphs)
    label = QLabel(html, parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    if "<a " in html:
        # Only labels with links take a place in the Tab order.
        label.setOpenExternalLinks(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    # The palette's secondary text colour: a disabled label would look the
    # same but its links could not be clicked.
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setAccessibleName(plain_text(text))
    return label


def _bold(widget: QWidget) -> None:
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)
