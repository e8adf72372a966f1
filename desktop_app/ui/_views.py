"""Small helpers shared by the window's item views."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

__all__ = ["HeaderedTableModel", "compact_rows"]

_Index = QModelIndex | QPersistentModelIndex


class HeaderedTableModel(QAbstractTableModel):
    """A flat table model whose columns are named by :py:attr:`headers`."""

    #: The column titles, in order.
    headers: ClassVar[tuple[str, ...]] = ()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(  # noqa: N802
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return self.headers[section]
        return None


def compact_rows(view: QTableView) -> None:
    """Give a table rows one text line high (styles default to roomier)."""
    header = view.verticalHeader()
    header.setDefaultSectionSize(view.fontMetrics().height() + 8)
    # Every row is one line: never measure rows, so laying out a list of
    # 100,000 rows costs what laying out 20 does.
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
