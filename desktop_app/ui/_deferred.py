"""Work that can wait for the next event-loop turns, one piece per turn."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

__all__ = ["DeferredQueue"]


class DeferredQueue(QObject):
    """Runs queued callables one per event-loop turn, in order.

    A zero-interval ``QTimer``, not ``QTimer.singleShot(0, …)``: Qt 6 makes
    a zero single shot a posted event, and posted events run back to back
    before any timer or input is handled, so pieces deferred that way still
    add up to one long stall. A zero timer waits behind the timers (and
    input) already due, so the event loop breathes between the pieces.

    Queued callables should be idempotent: a caller that cannot wait runs
    the piece itself, and the queue's later call must then do nothing.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[Callable[[], object]] = []
        self._holds: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timeout)

    def add(self, func: Callable[[], object]) -> None:
        """Run ``func`` in a later event-loop turn (once, however often it
        is added before it runs)."""
        if func not in self._pending:
            self._pending.append(func)
        if not self._holds and not self._timer.isActive():
            self._timer.start()

    def hold(self, reason: str) -> None:
        """Run nothing until :py:meth:`release` is called with ``reason``
        (work that matters more goes first, such as loading plugins)."""
        self._holds.add(reason)
        self._timer.stop()

    def release(self, reason: str) -> None:
        """Drop a hold; the pieces run again once no hold is left."""
        self._holds.discard(reason)
        if not self._holds and self._pending and not self._timer.isActive():
            self._timer.start()

    def pending(self) -> int:
        """How many pieces are still waiting."""
        return len(self._pending)

    def _on_timeout(self) -> None:
        if self._holds:
            return
        if self._pending:
            self._pending.pop(0)()
        if self._pending and not self._holds:
            self._timer.start()
