"""Action buttons and live previews of fields (see
:py:mod:`desktop_app.forms._field_extras` for what a field declares).

:py:func:`with_field_extras` wraps an editor's widget in a row holding its
buttons and, under it, its preview line. :py:func:`connect_field_extras`
gives them the dialog's current values and refreshes every preview when
any editor changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.forms import ActionChoice, FieldAction, ValidationError
from desktop_app.forms._field_extras import field_actions, field_preview

__all__ = ["ChoicePicker", "FieldExtras", "connect_field_extras", "with_field_extras"]

Values = Callable[[], Mapping[str, Any]]


class FieldExtras(QObject):
    """The buttons and preview of one editor; a child of the editor.

    Attributes:
        buttons (dict[str, QPushButton]): By action label.
        preview_label (QLabel | None): The preview line, if any.
    """

    def __init__(self, editor: Any) -> None:
        super().__init__(editor)
        self.setObjectName(f"{editor.field.name}_extras")
        self._editor = editor
        self._values: Values = lambda: {}
        field = editor.field
        self._preview = field_preview(field)
        parent = editor.widget.parentWidget()
        cell = QWidget(parent)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(editor.widget, 1)
        self.buttons: dict[str, QPushButton] = {}
        for action in field_actions(field):
            button = QPushButton(action.label, cell)
            button.setObjectName(f"{field.name}_{_slug(action.label)}")
            button.setToolTip(action.tooltip)
            button.setAccessibleName(f"{action.label.rstrip('…')} for {field.label}")
            button.setAccessibleDescription(action.tooltip)
            button.clicked.connect(lambda _=False, a=action: self._on_action(a))
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.buttons[action.label] = button
        column.addLayout(row, 1)
        self.preview_label: QLabel | None = None
        if self._preview is not None:
            label = QLabel("", cell)
            label.setObjectName(f"{field.name}_preview")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(f"Preview of {field.label}")
            font = label.font()
            font.setItalic(True)  # tells the example apart from the help text
            label.setFont(font)
            column.addWidget(label)
            self.preview_label = label
        editor.widget = cell

    def bind(self, values: Values) -> None:
        """Read the dialog's current values through ``values`` from now on."""
        self._values = values
        self.refresh()

    def refresh(self) -> None:
        """Recompute the preview from the current values."""
        if self._preview is None or self.preview_label is None:
            return
        try:
            text = "Preview: " + self._preview(self._values())
        except ValidationError as e:
            text = "No preview: " + " ".join(e.messages)
        self.preview_label.setText(text)

    def _on_action(self, action: FieldAction) -> None:
        editor = self._editor
        if action.choices is not None:
            picker = ChoicePicker(
                action.choices(),
                title=f"{action.label.rstrip('…')}",
                parent=editor.widget,
            )
            if picker.exec() != QDialog.DialogCode.Accepted or picker.chosen is None:
                return
            current = str(editor.value() or "").strip()
            new: Any = (
                f"{current} {picker.chosen.value}" if current else picker.chosen.value
            )
        else:
            assert action.run is not None
            new = action.run(self._values())
            if new is None:
                return
        editor.set_value(new)
        toggle = getattr(editor, "toggle_action", None)
        if action.reveal and toggle is not None:
            toggle.setChecked(True)
        editor.input.setFocus()
        editor.changed.emit()


class ChoicePicker(QDialog):
    """A searchable list of entries with the selected one's details.

    Attributes:
        chosen (ActionChoice | None): The entry used, once accepted.
    """

    def __init__(
        self,
        choices: Sequence[ActionChoice],
        *,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("choicePicker")
        self.setWindowTitle(title)
        self.chosen: ActionChoice | None = None
        self._choices = list(choices)
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("choiceSearch")
        self.search.setPlaceholderText("Search")
        self.search.setAccessibleName("Search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        layout.addWidget(self.search)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.list = QListWidget(split)
        self.list.setObjectName("choiceList")
        self.list.setAccessibleName(title)
        for choice in self._choices:
            item = QListWidgetItem(choice.title, self.list)
            item.setData(Qt.ItemDataRole.UserRole, choice)
        self.detail = QPlainTextEdit(split)
        self.detail.setObjectName("choiceDetail")
        self.detail.setAccessibleName("Details")
        self.detail.setReadOnly(True)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Use this form")
        ok.setToolTip("Add the first URL form of this service to the field")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = ok
        layout.addWidget(buttons)
        self.search.setFocus()
        self.list.setCurrentRow(0)
        self.resize(720, 420)

    def _on_search(self, text: str) -> None:
        needle = text.strip().lower()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            choice = item.data(Qt.ItemDataRole.UserRole)
            hidden = bool(needle) and needle not in (
                f"{choice.title}\n{choice.detail}".lower()
            )
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        current = self.list.currentItem()
        if (current is None or current.isHidden()) and first is not None:
            self.list.setCurrentItem(first)
        self.ok_button.setEnabled(first is not None)

    def _on_current(self, item: QListWidgetItem | None, _previous: Any) -> None:
        choice = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.detail.setPlainText(choice.detail if choice is not None else "")

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        super().accept()


def with_field_extras(editor: Any) -> Any:
    """Add its field's action buttons and preview to an editor; returns it."""
    field = editor.field
    if field_actions(field) or field_preview(field) is not None:
        FieldExtras(editor)
    return editor


def connect_field_extras(editors: Mapping[str, Any], values: Values) -> None:
    """Give the extras of these editors the dialog's values, and refresh the
    previews whenever any editor changes."""
    extras = [
        found
        for editor in editors.values()
        if (found := editor.findChild(FieldExtras)) is not None
    ]
    if not extras:
        return
    for editor in editors.values():
        for extra in extras:
            editor.changed.connect(extra.refresh)
    for extra in extras:
        extra.bind(values)


def _slug(label: str) -> str:
    return "".join(ch for ch in label.lower() if ch.isalnum())
