"""Small helpers shared by the window's item views."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView

__all__ = ["compact_rows"]


def compact_rows(view: QTableView) -> None:
    """Give a table rows one text line high (styles default to roomier)."""
    header = view.verticalHeader()
    header.setDefaultSectionSize(view.fontMetrics().height() + 8)
    # Every row is one line: never measure rows, so laying out a list of
    # 100,000 rows costs what laying out 20 does.
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
