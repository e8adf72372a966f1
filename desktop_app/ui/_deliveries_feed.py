"""Deliveries for the window: stored ones arrive on the UI thread in
batches, and each configuration's status is kept current.

The manager's delivery log calls subscribers on its writer thread (and the
change watcher's, for other processes' deliveries); this hands them to the
UI thread through a queued signal, a batch at a time, and re-reads the
status of the configurations they touched (one query per batch).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor

from desktop_app.errors import StoreError
from desktop_app.store import Delivery, DeliveryStatus
from desktop_app.ui._bridge import BatchedFeed

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager

__all__ = ["DeliveriesFeed", "status_data", "status_text"]


class DeliveriesFeed(BatchedFeed):
    """Stored deliveries and configuration statuses, on the UI thread.

    Args:
        manager (IntegrationManager): Whose deliveries to follow.
        interval_ms (int): How long deliveries may wait to be batched.
    """

    #: A list of new stored :py:class:`Delivery`, oldest first.
    deliveriesArrived = Signal(list)
    #: The set of configuration ids whose status changed.
    statusesChanged = Signal(set)
    #: A delivery that failed or timed out (one per batch and configuration).
    deliveryFailed = Signal(object)

    def __init__(
        self,
        manager: IntegrationManager,
        interval_ms: int = 100,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(interval_ms, parent)
        self._manager = manager
        self._statuses: dict[int, DeliveryStatus] | None = None
        self._unsubscribe = manager.deliveries.subscribe(self.collect)

    # Statuses ----------------------------------------------------------------

    def status(self, config_id: int) -> DeliveryStatus | None:
        """A configuration's status (``None``: never ran)."""
        return self._all().get(config_id)

    def failing_integrations(self) -> set[str]:
        """Ids of integrations with a configuration whose last delivery
        failed."""
        return {s.integration_id for s in self._all().values() if s.failing}

    def _all(self) -> dict[int, DeliveryStatus]:
        if self._statuses is None:
            try:
                self._statuses = self._manager.get_delivery_statuses()
            except StoreError:
                self._statuses = {}
        return self._statuses

    # Arrivals ------------------------------------------------------------------

    def take(self, batch: list[Delivery]) -> None:
        touched = {d.config_id for d in batch}
        statuses = self._all()
        try:
            fresh = self._manager.get_delivery_statuses(touched)
        except StoreError:
            fresh = {}
        was_failing = {i for i in touched if i in statuses and statuses[i].failing}
        for config_id in touched:
            if config_id in fresh:
                statuses[config_id] = fresh[config_id]
            else:
                statuses.pop(config_id, None)
        self.deliveriesArrived.emit(batch)
        self.statusesChanged.emit(touched)
        newest_failure: dict[int, Delivery] = {}
        for delivery in batch:
            if delivery.failed and delivery.config_id not in was_failing:
                newest_failure[delivery.config_id] = delivery
        for delivery in newest_failure.values():
            self.deliveryFailed.emit(delivery)


def status_text(status: DeliveryStatus | None) -> str:
    """The configurations list's Status column."""
    if status is None:
        return "Never run"
    counts = f"{status.ok_count} ok, {status.failed_count} failed"
    if status.failing:
        message = " ".join(status.last_message.split()) or "failed"
        return f"Failing: {message} ({counts})"
    if status.last_outcome == "skipped":
        return f"Skipped ({counts})"
    return f"OK ({counts})"


def status_data(status: DeliveryStatus | None, role: int) -> object:
    """The Status column's data for a role (text, tooltip, colour)."""
    if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
        return status_text(status)
    if status is None:
        return None
    if role == Qt.ItemDataRole.ToolTipRole:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(status.last_time))
        return (
            f"Last run {when}: {status.last_outcome}\n"
            f"{status.ok_count} succeeded, {status.failed_count} failed"
        )
    if role == Qt.ItemDataRole.ForegroundRole and status.failing:
        return QColor("#d03b3b")
    return None
