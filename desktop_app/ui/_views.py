"""Small helpers shared by the window's item views."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

__all__ = ["compact_rows"]


def compact_rows(view: QTableView) -> None:
    """Give a table rows one text line high (styles default to roomier)."""
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
