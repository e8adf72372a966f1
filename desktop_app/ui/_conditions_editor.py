"""The editor of a ``ConditionsField``: a match mode and rows of rules.

Each row is a choice, an operator and a value editor made by the same
editor registry as every other field (so a number rule gets a spin box, a
choice rule a combo box). The editor's value is the dict the field cleans,
``{'mode': ..., 'conditions': [{'choice', 'op', 'value'}]}``; the field
validates it like any other, and an error naming "Condition N" also marks
that row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app import forms
from desktop_app.conditions import BaseConditionChoice, ConditionSet
from desktop_app.conditions.errors import (
    ConditionChoiceNotFoundError,
    ConditionOperatorNotFoundError,
)
from desktop_app.conditions.operators import BaseConditionOperator
from desktop_app.ui.editors import Editor, create_editor

__all__ = ["ConditionsEditor"]

#: Mode → what the menu says.
MODE_LABELS = {
    ConditionSet.MODE_ALWAYS: "Always (every event)",
    ConditionSet.MODE_ALL: "When all of these conditions hold",
    ConditionSet.MODE_ANY: "When any of these conditions holds",
}

_ROW_IN_ERROR = re.compile(r"^Condition (\d+):")


class _ConditionRow(QWidget):
    """One rule: choice, operator, value and a Remove button."""

    def __init__(self, owner: ConditionsEditor, parent: QWidget) -> None:
        super().__init__(parent)
        self.owner = owner
        self.choice_ids: list[str] = []
        self.operator_ids: list[str] = []
        self.value_editor: Editor | None = None
        #: What a rule the choices no longer know carried, kept as stored.
        self._unknown: dict[str, Any] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.choice_combo = QComboBox(self)
        self.operator_combo = QComboBox(self)
        self.value_slot = QHBoxLayout()
        self.value_slot.setContentsMargins(0, 0, 0, 0)
        self.remove_button = QPushButton("Remove", self)
        layout.addWidget(self.choice_combo, 2)
        layout.addWidget(self.operator_combo, 2)
        layout.addLayout(self.value_slot, 3)
        layout.addWidget(self.remove_button)
        for choice in owner.choices():
            self.choice_ids.append(str(choice.choice_id))
            self.choice_combo.addItem(str(choice.name or choice.choice_id))
        self.choice_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.operator_combo.currentIndexChanged.connect(self._on_operator_changed)
        self.remove_button.clicked.connect(lambda: owner.remove_row(self))

    def focus_order(self) -> list[QWidget]:
        """The row's inputs, in the order Tab visits them."""
        value = [self.value_editor.input] if self.value_editor is not None else []
        return [self.choice_combo, self.operator_combo, *value, self.remove_button]

    def set_number(self, number: int) -> None:
        """Name the row's widgets after its position, for screen readers
        and tests."""
        name = self.owner.field.name or "conditions"
        self.setObjectName(f"{name}_row{number}")
        self.choice_combo.setObjectName(f"{name}_choice{number}")
        self.choice_combo.setAccessibleName(f"Condition {number}: what to check")
        self.operator_combo.setObjectName(f"{name}_operator{number}")
        self.operator_combo.setAccessibleName(f"Condition {number}: how to compare")
        self.remove_button.setObjectName(f"{name}_remove{number}")
        self.remove_button.setAccessibleName(f"Remove condition {number}")
        self.remove_button.setToolTip(f"Remove condition {number}")
        if self.value_editor is not None:
            self.value_editor.input.setObjectName(f"{name}_value{number}")
            self.value_editor.input.setAccessibleName(f"Condition {number}: value")

    # -- reading and writing a rule --------------------------------------

    def set_rule(self, rule: Mapping[str, Any]) -> None:
        """Show a stored rule; one naming a choice or operator that is gone
        stays visible (and is kept as stored) until the user removes it."""
        choice_id = rule.get("choice")
        if isinstance(choice_id, str) and choice_id in self.choice_ids:
            self._unknown = None
            self.choice_combo.setCurrentIndex(self.choice_ids.index(choice_id))
            self._fill_operators()
            op = rule.get("op")
            if isinstance(op, str) and op in self.operator_ids:
                self.operator_combo.setCurrentIndex(self.operator_ids.index(op))
                self._make_value_editor()
                editor = self.value_editor
                if (
                    editor is not None
                    and "value" in rule
                    and not self._show_value(editor, rule["value"])
                ):
                    self._keep_misfit(editor, dict(rule))
                return
            self._show_unknown(dict(rule), choice_known=True)
            return
        self._show_unknown(dict(rule), choice_known=False)

    def _show_unknown(self, rule: dict[str, Any], *, choice_known: bool) -> None:
        self._unknown = rule
        combos = [(self.operator_combo, self.operator_ids, "op")]
        if not choice_known:
            combos.append((self.choice_combo, self.choice_ids, "choice"))
        for combo, ids, key in combos:
            combo.blockSignals(True)
            combo.insertItem(0, f"Unavailable: {rule.get(key)!s:.40}")
            combo.setCurrentIndex(0)
            combo.setToolTip(
                "This condition names something that no longer exists (a "
                "plugin changed). Pick another one, or remove the condition."
            )
            combo.blockSignals(False)
            ids.insert(0, "")
        self._drop_value_editor()

    def rule(self) -> dict[str, Any]:
        """Return the rule as the field cleans it."""
        if self._unknown is not None:
            return dict(self._unknown)
        operator = self._operator()
        rule: dict[str, Any] = {
            "choice": self._choice_id(),
            "op": operator.operator_id if operator is not None else "",
        }
        if self.value_editor is not None:
            rule["value"] = self.value_editor.value()
        return rule

    # -- following the user's picks --------------------------------------

    def _choice_id(self) -> str:
        index = self.choice_combo.currentIndex()
        return self.choice_ids[index] if 0 <= index < len(self.choice_ids) else ""

    def _choice(self) -> BaseConditionChoice | None:
        try:
            return self.owner.field.choices.get_choice(
                self._choice_id(), choice_kwargs=self.owner.field.choice_kwargs
            )
        except ConditionChoiceNotFoundError:
            return None

    def _operator(self) -> BaseConditionOperator | None:
        choice = self._choice()
        index = self.operator_combo.currentIndex()
        if choice is None or not 0 <= index < len(self.operator_ids):
            return None
        try:
            return choice.get_operator(self.operator_ids[index])
        except ConditionOperatorNotFoundError:
            return None

    def _on_choice_changed(self) -> None:
        if self._unknown is not None:
            self._forget_unknown()
        self._fill_operators()
        self._make_value_editor()
        self.owner.changed.emit()

    def _on_operator_changed(self) -> None:
        if self._unknown is not None:
            self._forget_unknown()
            self._fill_operators()
        self._make_value_editor()
        self.owner.changed.emit()

    def _forget_unknown(self) -> None:
        # The user picked something real: drop the "Unavailable" entries.
        self._unknown = None
        for combo, ids in (
            (self.choice_combo, self.choice_ids),
            (self.operator_combo, self.operator_ids),
        ):
            if ids and ids[0] == "":
                combo.setToolTip("")
                combo.blockSignals(True)
                index = combo.currentIndex()
                combo.removeItem(0)
                ids.pop(0)
                combo.setCurrentIndex(max(index - 1, 0))
                combo.blockSignals(False)

    def _fill_operators(self) -> None:
        choice = self._choice()
        previous = (
            self.operator_ids[self.operator_combo.currentIndex()]
            if (0 <= self.operator_combo.currentIndex() < len(self.operator_ids))
            else ""
        )
        self.operator_combo.blockSignals(True)
        self.operator_combo.clear()
        self.operator_ids = []
        for operator in choice.get_operators() if choice is not None else ():
            self.operator_ids.append(operator.operator_id)
            self.operator_combo.addItem(str(operator.name or operator.operator_id))
        if previous in self.operator_ids:
            self.operator_combo.setCurrentIndex(self.operator_ids.index(previous))
        self.operator_combo.blockSignals(False)

    def _make_value_editor(self) -> None:
        """Put the value editor fitting the operator in place, keeping the
        value typed so far when the new editor can show it."""
        kept = self.value_editor.value() if self.value_editor is not None else None
        self._drop_value_editor()
        operator = self._operator()
        value_field = operator.value_field if operator is not None else None
        field = getattr(value_field, "field", None)
        if not isinstance(field, forms.Field):
            return
        editor = create_editor(field, self)
        self.value_editor = editor
        self.value_slot.addWidget(editor.widget)
        self._show_value(editor, kept)
        editor.changed.connect(self.owner.changed)
        self.set_number(self.owner.row_number(self))
        # Keep Tab order row by row: choice, operator, value, Remove.
        QWidget.setTabOrder(self.operator_combo, editor.input)
        QWidget.setTabOrder(editor.input, self.remove_button)

    def _show_value(self, editor: Editor, value: Any) -> bool:
        """Show a value; ``False`` when the editor cannot show it as it is
        (it is then left empty)."""
        try:
            data = editor.field.to_data(value)
            if editor.fits(data):
                editor.set_value(data)
                return True
        except (TypeError, ValueError, OverflowError):
            pass
        editor.set_value(None)
        return False

    def _keep_misfit(self, editor: Editor, rule: dict[str, Any]) -> None:
        # A stored value the editor cannot show (edited by hand, or the
        # choice changed type) is kept as stored, and said, until the user
        # types a new one: saving must not silently change the rule.
        self._unknown = rule
        editor.input.setToolTip(
            f"The stored value {rule.get('value')!r:.60} does not fit here. "
            "Enter a new one."
        )

        def typed() -> None:
            self._unknown = None
            editor.input.setToolTip(editor.field.help_text or "")
            editor.changed.disconnect(typed)

        editor.changed.connect(typed)

    def _drop_value_editor(self) -> None:
        if self.value_editor is not None:
            widget = self.value_editor.widget
            self.value_slot.removeWidget(widget)
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
            self.value_editor.deleteLater()
            self.value_editor = None

    def mark_error(self, bad: bool) -> None:
        """Outline the inputs of the row whose rule the error names."""
        _outline(self.choice_combo, bad)
        _outline(self.operator_combo, bad)
        if self.value_editor is not None:
            _outline(self.value_editor.input, bad)


class ConditionsEditor(Editor):
    """Edits a :py:class:`~desktop_app.forms.ConditionsField`."""

    field: forms.ConditionsField

    def _create_input(self, parent: QWidget | None) -> QWidget:
        name = self.field.name or "conditions"
        box = QWidget(parent)
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        match_label = QLabel("&Match:", box)
        self.mode_combo = QComboBox(box)
        self.mode_combo.setObjectName(f"{name}_mode")
        self.mode_combo.setAccessibleName(f"{self.field.label or name}: when to match")
        self.modes = list(ConditionSet.MODES)
        self.mode_combo.addItems([MODE_LABELS[m] for m in self.modes])
        self.mode_combo.setToolTip(
            "Which events this configuration acts on: every event, or those "
            "that meet all (or any) of the conditions below"
        )
        match_label.setBuddy(self.mode_combo)
        top.addWidget(match_label)
        top.addWidget(self.mode_combo, 1)
        outer.addLayout(top)
        self.rows_box = QWidget(box)
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(12, 0, 0, 0)
        outer.addWidget(self.rows_box)
        self.empty_note = QLabel("No conditions yet. Add one below.", box)
        self.empty_note.setEnabled(False)  # the palette's secondary text
        self.rows_layout.addWidget(self.empty_note)
        self.add_button = QPushButton("Add condition", box)
        self.add_button.setObjectName(f"{name}_add")
        self.add_button.setAccessibleName("Add condition")
        self.add_button.setToolTip("Add a condition to check on each event")
        self.add_button.clicked.connect(self._on_add)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        outer.addLayout(bottom)
        self.rows: list[_ConditionRow] = []
        self.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        box.setFocusProxy(self.mode_combo)
        # As tall as its rows, never stretched by a tall dialog.
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._sync()
        return box

    def choices(self) -> list[BaseConditionChoice]:
        """The choice instances a row offers, in menu order."""
        return list(self.field.choices.get_choices(self.field.choice_kwargs))

    def row_number(self, row: _ConditionRow) -> int:
        """Return a row's 1-based position."""
        return self.rows.index(row) + 1 if row in self.rows else len(self.rows) + 1

    # -- protocol --------------------------------------------------------

    def value(self) -> dict[str, Any]:
        return {
            "mode": self.modes[self.mode_combo.currentIndex()],
            "conditions": [row.rule() for row in self.rows],
        }

    def fits(self, value: Any) -> bool:
        if value is None:
            return True
        if not isinstance(value, Mapping) or value.get("mode") not in self.modes:
            return False
        rules = value.get("conditions") or []
        return isinstance(rules, (list, tuple)) and all(
            isinstance(rule, Mapping) for rule in rules
        )

    def set_value(self, value: Any) -> None:
        for row in list(self.rows):
            self._drop_row(row)
        if not isinstance(value, Mapping):
            value = {"mode": ConditionSet.MODE_ALWAYS, "conditions": []}
        mode = value.get("mode")
        self.mode_combo.blockSignals(True)
        self.mode_combo.setCurrentIndex(
            self.modes.index(mode) if mode in self.modes else 0
        )
        self.mode_combo.blockSignals(False)
        for rule in value.get("conditions") or []:
            if isinstance(rule, Mapping):
                self.add_row().set_rule(rule)
        self._sync()

    def set_error(self, text: str | None) -> None:
        # Outline what the message is about: the rows it names ("Condition
        # 2: ..."), else the mode. A style sheet on the whole box would
        # restyle every child widget.
        self.input.setProperty("invalid", bool(text))
        self.input.setAccessibleDescription(text or self.field.help_text or "")
        bad_rows: set[int] = set()
        for line in (text or "").splitlines():
            match = _ROW_IN_ERROR.match(line)
            if match:
                bad_rows.add(int(match.group(1)))
        for number, row in enumerate(self.rows, start=1):
            row.mark_error(number in bad_rows)
        _outline(self.mode_combo, bool(text) and not bad_rows)

    # -- rows ------------------------------------------------------------

    def add_row(self) -> _ConditionRow:
        """Append a row showing the first choice and its first operator."""
        row = _ConditionRow(self, self.rows_box)
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        row._fill_operators()
        row._make_value_editor()
        row.set_number(len(self.rows))
        # Tab goes through the rows in order, then to "Add condition"; a
        # new widget would otherwise come last in the dialog's tab chain.
        before: QWidget = (
            self.rows[-2].remove_button if len(self.rows) > 1 else self.mode_combo
        )
        for widget in row.focus_order():
            QWidget.setTabOrder(before, widget)
            before = widget
        self._sync()
        return row

    def remove_row(self, row: _ConditionRow) -> None:
        """Remove a row and move the focus to a neighbour."""
        index = self.rows.index(row)
        self._drop_row(row)
        for number, other in enumerate(self.rows, start=1):
            other.set_number(number)
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].choice_combo.setFocus()
        else:
            self.add_button.setFocus()
        self._sync()
        self.changed.emit()

    def _drop_row(self, row: _ConditionRow) -> None:
        self.rows.remove(row)
        self.rows_layout.removeWidget(row)
        row.hide()
        row.setParent(None)  # out of the dialog now, not at the next turn
        row.deleteLater()

    def _on_add(self) -> None:
        if self.modes[self.mode_combo.currentIndex()] == ConditionSet.MODE_ALWAYS:
            # Adding a rule means the user wants rules to count.
            self.mode_combo.setCurrentIndex(self.modes.index(ConditionSet.MODE_ALL))
        row = self.add_row()
        row.choice_combo.setFocus()
        self.changed.emit()

    def _on_mode_changed(self) -> None:
        self._sync()
        self.changed.emit()

    def _sync(self) -> None:
        always = self.modes[self.mode_combo.currentIndex()] == ConditionSet.MODE_ALWAYS
        self.rows_box.setEnabled(not always)
        self.empty_note.setVisible(not always and not self.rows)
        self.rows_box.setVisible(bool(self.rows) or not always)
        self.rows_box.setToolTip(
            "Conditions are not checked while Match is “Always”." if always else ""
        )


def _outline(widget: QWidget, bad: bool) -> None:
    name = widget.objectName()
    widget.setStyleSheet(f"#{name} {{ border: 1px solid #d03b3b; }}" if bad else "")
