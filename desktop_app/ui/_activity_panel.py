"""The activity panel: each signal delivery as it happens.

Records arrive from any thread through
:py:class:`~desktop_app.ui._bridge.ActivityFeed` in batches, so a burst of
deliveries costs one model update. Failures stand out (red, warning icon)
and show their error text and traceback when selected.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app._durations import human_duration
from desktop_app.activity import ActivityLog, ActivityRecord
from desktop_app.signals import label_of
from desktop_app.ui._bridge import ActivityFeed
from desktop_app.ui._views import HeaderedTableModel, compact_rows

__all__ = ["EMPTY_ACTIVITY_TEXT", "ActivityModel", "ActivityPanel"]

#: What the panel says before anything has run.
EMPTY_ACTIVITY_TEXT = (
    "Nothing has run yet. Each time an integration passes on an event, it is "
    "listed here, with what went wrong if it failed. Try it: Tools → Fire "
    "signal…, Test event."
)

_HEADERS = ("Time", "Event", "Integration", "Configuration", "Duration", "Outcome")
_Index = QModelIndex | QPersistentModelIndex

#: How outcomes read in the Outcome column.
_OUTCOME_WORDS = {
    "ok": "ok",
    "failed": "failed",
    "timeout": "timed out",
    "skipped": "skipped",
}

#: The record of a row.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


class ActivityModel(HeaderedTableModel):
    """Activity records, oldest first, at most ``max_rows`` of them.

    Args:
        name_of (callable): Integration id → name to show.
        max_rows (int): Older rows are dropped beyond this.
    """

    headers = _HEADERS

    def __init__(
        self,
        name_of: Callable[[str], str],
        max_rows: int = 5000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._name_of = name_of
        self._max_rows = max_rows
        self._records: list[ActivityRecord] = []
        self._last_seq = 0

    def add_records(self, records: list[ActivityRecord]) -> None:
        """Append new records (ones already shown are skipped)."""
        records = [r for r in records if r.seq > self._last_seq]
        if not records:
            return
        self._last_seq = records[-1].seq
        records = records[-self._max_rows :]
        overflow = len(self._records) + len(records) - self._max_rows
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            del self._records[:overflow]
            self.endRemoveRows()
        first = len(self._records)
        self.beginInsertRows(QModelIndex(), first, first + len(records) - 1)
        self._records.extend(records)
        self.endInsertRows()

    def clear(self) -> None:
        """Forget the rows shown (the activity log keeps its records)."""
        self.beginResetModel()
        self._records = []
        self.endResetModel()

    def record_at(self, row: int) -> ActivityRecord:
        return self._records[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._records)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        column = index.column()
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return record.signal  # the name, for developers
            if column == 5 and record.error:
                return record.error  # the whole message ("HTTP 200 (3 events)")
        if record.failed:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#d03b3b")
            if role == Qt.ItemDataRole.DecorationRole and column == 5:
                return QApplication.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxWarning
                )
            if role == Qt.ItemDataRole.ToolTipRole:
                return record.error
        return None

    def _text(self, record: ActivityRecord, column: int) -> str:
        if column == 0:
            return time.strftime("%H:%M:%S", time.localtime(record.time))
        if column == 1:
            return label_of(record.signal)
        if column == 2:
            return self._name_of(record.integration_id)
        if column == 3:
            return record.config_name or ""
        if column == 4:
            return human_duration(record.duration)
        if record.error:
            return (
                f"{_OUTCOME_WORDS.get(record.outcome, record.outcome)}: {record.error}"
            )
        return _OUTCOME_WORDS.get(record.outcome, record.outcome)


class ActivityPanel(QWidget):
    """The activity list with a filter, Clear, and failure details.

    Args:
        log (ActivityLog): The log to show and follow.
        name_of (callable): Integration id → name to show.
    """

    def __init__(
        self,
        log: ActivityLog,
        name_of: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = ActivityModel(name_of, parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("activityFilter")
        self.filter_edit.setPlaceholderText("Filter activity")
        self.filter_edit.setAccessibleName("Filter activity")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        bar.addWidget(self.filter_edit, 1)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setObjectName("activityClearButton")
        self.clear_button.setToolTip("Empty this list (nothing is undone)")
        self.clear_button.clicked.connect(self._on_clear)
        bar.addWidget(self.clear_button)
        layout.addLayout(bar)
        self.empty_label = QLabel(EMPTY_ACTIVITY_TEXT, self)
        self.empty_label.setObjectName("activityEmptyState")
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.view = QTableView(splitter)
        self.view.setObjectName("activityView")
        self.view.setAccessibleName("Activity")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((70, 190, 130, 130, 75)):
            header.resizeSection(column, width)
        compact_rows(self.view)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.detail = QPlainTextEdit(splitter)
        self.detail.setObjectName("activityDetail")
        self.detail.setAccessibleName("Activity details")
        self.detail.setReadOnly(True)
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.detail.setFont(
            QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        )
        self.detail.setPlaceholderText("Select a failed delivery to see its error.")
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([720, 280])
        layout.addWidget(splitter, 1)

        self.feed = ActivityFeed(log, parent=self)
        self.feed.recordsArrived.connect(self._on_records_arrived)
        self.model.add_records(log.records())
        for signal in (
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.modelReset,
        ):
            signal.connect(self._update_empty_state)
        self._update_empty_state()

    def _update_empty_state(self) -> None:
        self.empty_label.setVisible(self.model.rowCount() == 0)

    def close_feed(self) -> None:
        """Stop following the log (the window is closing)."""
        self.feed.close()

    def _on_records_arrived(self, records: list[ActivityRecord]) -> None:
        bar = self.view.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 2
        self.model.add_records(records)
        if at_bottom:
            self.view.scrollToBottom()

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        record = current.data(RECORD_ROLE) if current.isValid() else None
        if record is None:
            self.detail.clear()
        elif record.failed:
            self.detail.setPlainText(f"{record.error}\n\n{record.traceback}".strip())
        else:
            target = record.integration_id + (
                f", {record.config_name}" if record.config_name else ""
            )
            summary = (
                f"{label_of(record.signal)} ({record.signal}) → {target}: "
                f"{record.outcome} in {human_duration(record.duration)}"
            )
            self.detail.setPlainText(
                f"{summary}\n\n{record.error}" if record.error else summary
            )

    def _on_clear(self) -> None:
        self.model.clear()
        self.detail.clear()
