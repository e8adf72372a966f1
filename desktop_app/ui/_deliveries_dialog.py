"""A configuration's recent deliveries, with Retry and Send test event.

Selecting a delivery shows its plain message first; the payload and the
traceback sit behind "Technical details", wrapped. New deliveries of the
configuration (from this process or another) appear as they are stored.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app._durations import human_duration
from desktop_app.errors import DesktopAppError, StoreError
from desktop_app.signals import label_of
from desktop_app.store import Delivery
from desktop_app.ui._futures import when_done
from desktop_app.ui._views import HeaderedTableModel, compact_rows

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager
    from desktop_app.ui._deliveries_feed import DeliveriesFeed

__all__ = ["DeliveriesDialog", "DeliveriesModel", "outcome_text"]

_Index = QModelIndex | QPersistentModelIndex
DELIVERY_ROLE = Qt.ItemDataRole.UserRole + 1
_OUTCOMES = {
    "ok": "OK",
    "failed": "Failed",
    "timed_out": "Timed out",
    "skipped": "Skipped",
}

#: Deliveries listed (the newest).
SHOWN = 200


def outcome_text(delivery: Delivery) -> str:
    """ "OK", "Failed", …; "OK ×250" for a row standing for 250 identical
    successes in a row."""
    word = _OUTCOMES.get(delivery.outcome, delivery.outcome)
    if delivery.repeats > 1:
        return f"{word} ×{delivery.repeats:,}"
    return word


class DeliveriesModel(HeaderedTableModel):
    """Deliveries, newest first."""

    headers = ("When", "Event", "Outcome", "Duration", "Message")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Delivery] = []

    def set_rows(self, rows: list[Delivery]) -> None:
        self.beginResetModel()
        self.rows = rows[:SHOWN]
        self.endResetModel()

    def add_newer(self, rows: list[Delivery]) -> None:
        """Put newer deliveries on top; a row that counted more identical
        successes (same id) is updated where it is."""
        where = {d.id: i for i, d in enumerate(self.rows)}
        fresh: dict[int, Delivery] = {}
        for delivery in rows:
            index = where.get(delivery.id)
            if index is None:
                fresh[delivery.id] = delivery
                continue
            self.rows[index] = delivery
            self.dataChanged.emit(
                self.index(index, 0), self.index(index, len(self.headers) - 1)
            )
        if fresh:
            newest_first = sorted(fresh.values(), key=lambda d: -d.id)
            self.set_rows(newest_first + self.rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        delivery = self.rows[index.row()]
        column = index.column()
        if role == DELIVERY_ROLE:
            return delivery
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(delivery.time))
            if column == 1:
                return label_of(delivery.signal)
            if column == 2:
                return outcome_text(delivery)
            if column == 3:
                return human_duration(delivery.duration)
            return " ".join(delivery.message.split())
        if role == Qt.ItemDataRole.ForegroundRole and delivery.failed:
            return QColor("#d03b3b")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return delivery.signal  # the name, for developers
            if column == 4:
                return delivery.message
            if delivery.repeats > 1:
                return _run_text(delivery)
        return None


class DeliveriesDialog(QDialog):
    """Recent deliveries of one configuration (not modal).

    Args:
        manager (IntegrationManager): Reads, retries and sends.
        feed (DeliveriesFeed): New deliveries as they are stored.
        config_id (int): The configuration.
        name (str): Its name, for the title.
    """

    def __init__(
        self,
        manager: IntegrationManager,
        feed: DeliveriesFeed,
        config_id: int,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("deliveriesDialog")
        self.setWindowTitle(f"Deliveries of {name}")
        self._manager = manager
        self.config_id = config_id
        layout = QVBoxLayout(self)

        self.model = DeliveriesModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("deliveriesView")
        self.view.setAccessibleName("Deliveries")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Wide enough for what the columns hold, in the font in use: a
        # time, an event's label, a run's outcome ("Timed out ×10,000"),
        # a duration.
        metrics = self.view.fontMetrics()
        columns = (
            ("2026-12-31 23:59:59", 150),
            ("", 170),
            ("Timed out ×10,000", 80),
            ("1.25 min", 70),
        )
        for column, (sample, least) in enumerate(columns):
            width = metrics.horizontalAdvance(sample) + 16 if sample else 0
            header.resizeSection(column, max(least, width))
        compact_rows(self.view)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        layout.addWidget(self.view, 2)

        self.empty_label = QLabel("No deliveries yet: it has not run.", self)
        self.empty_label.setObjectName("deliveriesEmpty")
        layout.addWidget(self.empty_label)

        self.message_label = QLabel("", self)
        self.message_label.setObjectName("deliveryMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        layout.addWidget(self.message_label)
        self.details_button = QPushButton("Technical details", self)
        self.details_button.setObjectName("deliveryDetailsButton")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._on_details_toggled)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("deliveryDetails")
        self.details.setAccessibleName("Technical details")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.details.setFont(
            QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        )
        self.details.hide()
        row = QHBoxLayout()
        row.addWidget(self.details_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.details, 1)

        self.status_label = QLabel("", self)
        self.status_label.setObjectName("deliveriesStatus")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.retry_button = buttons.addButton(
            "&Retry", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.retry_button.setObjectName("retryDeliveryButton")
        self.retry_button.setToolTip(
            "Send the selected delivery again to this configuration"
        )
        self.retry_button.clicked.connect(self.retry_selected)
        self.test_button = buttons.addButton(
            "Send test e&vent", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.test_button.setObjectName("sendTestEventButton")
        self.test_button.setToolTip("Send a test event to this configuration only")
        self.test_button.clicked.connect(self.send_test_event)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 520)

        feed.deliveriesArrived.connect(self._on_arrived)
        self.reload()

    # Data ----------------------------------------------------------------------

    def reload(self) -> None:
        """Read the configuration's newest deliveries again."""
        try:
            rows = self._manager.get_deliveries(self.config_id, limit=SHOWN)
        except StoreError as e:
            self.status_label.setText(str(e))
            rows = []
        self.model.set_rows(rows)
        self._after_rows()

    def _on_arrived(self, deliveries: list[Delivery]) -> None:
        mine = [d for d in deliveries if d.config_id == self.config_id]
        if mine:
            selected = self.selected()
            self.model.add_newer(mine)
            self._after_rows(selected.id if selected is not None else None)

    def _after_rows(self, keep: int | None = None) -> None:
        self.empty_label.setVisible(not self.model.rows)
        self.view.setVisible(bool(self.model.rows))
        target = 0
        if keep is not None:
            target = next((i for i, d in enumerate(self.model.rows) if d.id == keep), 0)
        if self.model.rows:
            self.view.selectRow(target)
            # The selected row may have been updated in place (it counted
            # more successes): show what it says now.
            self._show(self.selected())
        else:
            self._show(None)

    def selected(self) -> Delivery | None:
        """The selected delivery."""
        index = self.view.currentIndex()
        return index.data(DELIVERY_ROLE) if index.isValid() else None

    def _on_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._show(current.data(DELIVERY_ROLE) if current.isValid() else None)

    def _show(self, delivery: Delivery | None) -> None:
        self.retry_button.setEnabled(delivery is not None and delivery.outcome != "ok")
        if delivery is None:
            self.message_label.setText("")
            self.details.clear()
            return
        word = outcome_text(delivery)
        attempts = (
            f" after {delivery.attempts} attempts" if delivery.attempts > 1 else ""
        )
        message = delivery.message or ("Delivered." if delivery.outcome == "ok" else "")
        if delivery.repeats > 1:
            message = _run_text(delivery)
            self.message_label.setText(f"<b>{word}</b>: {_escape(message)}")
        else:
            self.message_label.setText(
                f"<b>{word}</b>{attempts} in "
                f"{_escape(human_duration(delivery.duration))}: "
                f"{_escape(message)}"
            )
        self.details.setPlainText(_technical(delivery))

    def _on_details_toggled(self, shown: bool) -> None:
        self.details.setVisible(shown)

    # Actions -------------------------------------------------------------------

    def retry_selected(self) -> None:
        """Send the selected delivery again."""
        delivery = self.selected()
        if delivery is None:
            return
        self._run("Retrying…", lambda: self._manager.retry_delivery(delivery.id))

    def send_test_event(self) -> None:
        """Send a test event to this configuration only."""
        self._run(
            "Sending a test event…",
            lambda: self._manager.send_to_config(self.config_id),
        )

    def _run(self, busy: str, start: Any) -> None:
        try:
            future: Future[str] = start()
        except (DesktopAppError, RuntimeError) as e:
            self.status_label.setText(str(e))
            return
        self.status_label.setText(busy)
        self.retry_button.setEnabled(False)
        self.test_button.setEnabled(False)
        when_done(future, self, self._on_done)

    def _on_done(self, future: Future[str]) -> None:
        self.test_button.setEnabled(True)
        self._show(self.selected())
        error = future.exception()
        if error is not None:
            self.status_label.setText(str(error))
            return
        word = _OUTCOMES.get(future.result(), future.result())
        self.status_label.setText(f"Done: {word}. It is listed at the top.")


def _run_text(delivery: Delivery) -> str:
    """What a row counting identical deliveries stands for, in words."""
    first = time.strftime("%H:%M:%S", time.localtime(delivery.time))
    last = time.strftime("%H:%M:%S", time.localtime(delivery.latest))
    if delivery.outcome == "skipped":
        return (
            f"Skipped {delivery.repeats:,} times in a row, from {first} to {last}. "
            f"{delivery.message}. The payload shown, which Retry sends, is the "
            f"latest one."
        )
    answer = f" ({delivery.message})" if delivery.message else ""
    return (
        f"Delivered {delivery.repeats:,} times in a row{answer}, from {first} to "
        f"{last}, about {human_duration(delivery.duration)} each. The payload "
        f"shown is the latest one."
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _technical(delivery: Delivery) -> str:
    try:
        payload = json.dumps(json.loads(delivery.payload), indent=2, ensure_ascii=False)
    except ValueError:
        payload = delivery.payload
    parts = [
        f"Delivery #{delivery.id} of {delivery.signal} to "
        f"{delivery.config_name} ({delivery.integration_id})",
        f"Outcome: {delivery.outcome}, {delivery.attempts} attempt(s), "
        f"{human_duration(delivery.duration)}"
        + (f", {delivery.repeats:,} times in a row" if delivery.repeats > 1 else ""),
        f"Payload:\n{payload}",
    ]
    if delivery.details:
        parts.append(delivery.details)
    return "\n\n".join(parts)
