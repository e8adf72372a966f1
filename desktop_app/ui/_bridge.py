"""Bridges from thread-agnostic core notifications into the Qt UI thread.

Blinker signals and activity records may be sent from any thread (the
manager's change watcher, the background worker). Widgets may only be
touched from the UI thread, so every notification is turned into a Qt
signal emitted by a QObject living in the UI thread: Qt queues the call when
it comes from another thread and makes it directly otherwise.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance

from desktop_app import signals
from desktop_app.activity import ActivityLog, ActivityRecord

if TYPE_CHECKING:
    import blinker

    from desktop_app.config import IntegrationConfig
    from desktop_app.integration import Integration
    from desktop_app.manager import IntegrationManager

__all__ = ["ActivityFeed", "ManagerEvents", "UiDispatcher"]


class UiDispatcher(QObject):
    """Runs callables on the thread this object lives in (the UI thread).

    Passed to :py:meth:`IntegrationManager.set_dispatcher` so that changes
    noticed by the watcher thread initialize and shut down integrations on
    the UI thread, where their Qt hooks live.
    """

    _invoke = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._invoke.connect(self._on_invoke, Qt.ConnectionType.QueuedConnection)

    def __call__(self, func: Callable[[], None]) -> None:
        """Queue ``func`` to run on the UI thread."""
        self._invoke.emit(func)

    def _on_invoke(self, func: Callable[[], None]) -> None:
        func()


class ManagerEvents(QObject):
    """The manager's blinker signals as Qt signals, delivered on the UI thread.

    Args:
        manager (IntegrationManager): Only this manager's signals are
            followed, so windows of two managers do not mix.
    """

    #: A configuration was created, updated or deleted: ``(kind, config)``
    #: with ``kind`` one of ``'created'``, ``'updated'``, ``'deleted'``.
    configChanged = Signal(str, object)
    #: An integration was enabled or disabled.
    integrationStateChanged = Signal(object)
    #: Configurations were re-read (another process changed them).
    configsReloaded = Signal()
    #: An integration was registered or unregistered.
    integrationsChanged = Signal()

    def __init__(
        self, manager: IntegrationManager, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._manager = manager
        self._connections: list[tuple[blinker.Signal, Callable[..., None]]] = [
            (signals.config_created, self._on_created),
            (signals.config_updated, self._on_updated),
            (signals.config_deleted, self._on_deleted),
            (signals.integration_enabled, self._on_integration),
            (signals.integration_disabled, self._on_integration),
            (signals.configs_reloaded, self._on_reloaded),
            (signals.integration_registered, self._on_registry),
            (signals.integration_unregistered, self._on_registry),
        ]
        for signal, receiver in self._connections:
            signal.connect(receiver, sender=manager, weak=False)

    def close(self) -> None:
        """Stop following the manager (idempotent)."""
        for signal, receiver in self._connections:
            signal.disconnect(receiver, sender=self._manager)
        self._connections = []

    def _emit(self, qt_signal: SignalInstance, *args: Any) -> None:
        try:
            qt_signal.emit(*args)
        except RuntimeError:  # the Qt object is gone; stop listening
            self.close()

    def _on_created(
        self, sender: Any, config: IntegrationConfig | None = None, **kwargs: Any
    ) -> None:
        self._emit(self.configChanged, "created", config)

    def _on_updated(
        self, sender: Any, config: IntegrationConfig | None = None, **kwargs: Any
    ) -> None:
        self._emit(self.configChanged, "updated", config)

    def _on_deleted(
        self, sender: Any, config: IntegrationConfig | None = None, **kwargs: Any
    ) -> None:
        self._emit(self.configChanged, "deleted", config)

    def _on_integration(
        self, sender: Any, integration: Integration | None = None, **kw: Any
    ) -> None:
        self._emit(self.integrationStateChanged, integration)

    def _on_reloaded(self, sender: Any, **kwargs: Any) -> None:
        self._emit(self.configsReloaded)

    def _on_registry(self, sender: Any, **kwargs: Any) -> None:
        self._emit(self.integrationsChanged)


class BatchedFeed(QObject):
    """Items from any thread, handed to the UI thread in batches.

    A burst of a thousand records must not queue a thousand UI updates:
    items collect in a list and a short single-shot timer hands them over
    together (to :py:meth:`take`, on the UI thread).

    Args:
        interval_ms (int): How long items may wait to be batched.
    """

    _wake = Signal()

    def __init__(self, interval_ms: int = 100, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[Any] = []
        self._lock = threading.Lock()
        self._scheduled = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_flush)
        self._wake.connect(self._timer.start)
        self._unsubscribe: Callable[[], None] | None = None

    def close(self) -> None:
        """Stop following (idempotent)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def collect(self, items: Iterable[Any]) -> None:
        """Queue items for the next batch (any thread)."""
        with self._lock:
            self._pending.extend(items)
            first = not self._scheduled
            self._scheduled = True
        if first:
            try:
                self._wake.emit()
            except RuntimeError:  # the window is gone
                self.close()

    def take(self, batch: list[Any]) -> None:
        """Handle a batch on the UI thread (subclasses)."""
        raise NotImplementedError

    def _on_flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
            self._scheduled = False
        if batch:
            self.take(batch)


class ActivityFeed(BatchedFeed):
    """Activity records, delivered to the UI thread in batches.

    Args:
        log (ActivityLog): The log to follow.
        interval_ms (int): How long records may wait to be batched.
    """

    #: A list of new :py:class:`ActivityRecord`, oldest first.
    recordsArrived = Signal(list)

    def __init__(
        self, log: ActivityLog, interval_ms: int = 100, parent: QObject | None = None
    ) -> None:
        super().__init__(interval_ms, parent)
        self._unsubscribe = log.subscribe(self._on_record)

    def _on_record(self, record: ActivityRecord) -> None:
        self.collect((record,))

    def take(self, batch: list[Any]) -> None:
        self.recordsArrived.emit(batch)
