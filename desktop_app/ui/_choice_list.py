"""A list of check boxes that wraps long labels and can be searched.

Used by the editor of ``MultipleChoiceField`` (the built-ins' Events
picker is one): a label may have a second line (``"Label\\nwhat it
means"``), which is shown, wrapped, never cut off. With more than a few
choices a search box above the list narrows it to the rows whose text (or
value) contains what was typed, and says so when nothing matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = ["SEARCH_FROM", "ChoiceList", "no_matches_text"]

#: With this many choices or more, a search box is shown above the list.
SEARCH_FROM = 7
#: Rows the list shows before it scrolls.
_VISIBLE_ROWS = 6
#: Marks a group heading row (not a choice).
_HEADING_ROLE = Qt.ItemDataRole.UserRole + 1


def no_matches_text(text: str) -> str:
    """The words every filter of the window shows when nothing matches."""
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f"No matches for '{shown}'"


class ChoiceList(QWidget):
    """Check boxes for ``(value, label)`` choices, with an optional search.

    Args:
        grouped: ``(heading, [(value, label), ...])`` pairs (heading
            ``None``: no heading), as ``ChoiceField.grouped_choices`` gives
            them; a label's lines after the first describe the choice.
        name (str): The field's name; the list's ``objectName`` and the
            search box's ``<name>_search``.
        parent (QWidget, optional): The parent widget.
    """

    def __init__(
        self,
        grouped: Iterable[tuple[str | None, list[tuple[Any, str]]]],
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.view = QListWidget(self)
        self.view.setObjectName(name)
        # Wrapped rather than elided or scrolled sideways: the whole label
        # stays readable and the check boxes stay in view.
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.view.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSpacing(2)  # two-line rows stay apart
        for group, pairs in grouped:
            if group is not None:
                heading = QListWidgetItem(group, self.view)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                heading.setData(_HEADING_ROLE, True)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
            for value, label in pairs:
                self._add_choice(value, label)

        self.search: QLineEdit | None = None
        if len(self.items()) >= SEARCH_FROM:
            self.search = QLineEdit(self)
            self.search.setObjectName(f"{name}_search")
            self.search.setPlaceholderText("Search…")
            self.search.setAccessibleName("Search the choices")
            self.search.setClearButtonEnabled(True)
            self.search.textChanged.connect(self.set_search)
            layout.addWidget(self.search)
        layout.addWidget(self.view)
        self.no_matches = QLabel("", self)
        self.no_matches.setObjectName(f"{name}_noMatches")
        self.no_matches.setWordWrap(True)
        self.no_matches.hide()
        layout.addWidget(self.no_matches)
        count = self.view.count()
        if 0 < count <= _VISIBLE_ROWS:
            # A short list ends where its last row does, without a blank
            # band below: its rows' own heights (the style's, at this scale).
            spacing = self.view.spacing()
            rows_height = sum(
                self.view.sizeHintForRow(row) + 2 * spacing for row in range(count)
            )
            self.view.setFixedHeight(rows_height + 2 * self.view.frameWidth())
        else:
            lines = max(
                (item.text().count("\n") + 1 for item in self.items()), default=1
            )
            rows = min(max(count, 1), _VISIBLE_ROWS)
            line = self.view.fontMetrics().lineSpacing()
            self.view.setMinimumHeight(rows * (lines * line + 8) + 6)

    def _add_choice(self, value: Any, label: str) -> None:
        text = str(label)
        item = QListWidgetItem(text, self.view)
        item.setToolTip(f"{text}\n({value})" if str(value) not in text else text)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text.replace("\n", ". "))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)

    def items(self) -> list[QListWidgetItem]:
        """Every choice's row (not the group headings), shown or not."""
        rows = (self.view.item(i) for i in range(self.view.count()))
        return [item for item in rows if not item.data(_HEADING_ROLE)]

    def set_search(self, text: str) -> None:
        """Show only the rows whose text or value contains ``text``."""
        needle = text.strip().casefold()
        shown = 0
        heading: QListWidgetItem | None = None
        for row in range(self.view.count()):
            item = self.view.item(row)
            if item.data(_HEADING_ROLE):
                heading = item
                heading.setHidden(True)  # shown again by its first match
                continue
            haystack = (
                f"{item.text()}\n{item.data(Qt.ItemDataRole.UserRole)}".casefold()
            )
            hidden = bool(needle) and needle not in haystack
            item.setHidden(hidden)
            shown += not hidden
            if not hidden and heading is not None:
                heading.setHidden(False)
        self.no_matches.setText(no_matches_text(text.strip()))
        self.no_matches.setVisible(bool(needle) and shown == 0)
