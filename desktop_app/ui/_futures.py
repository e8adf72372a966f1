"""Following a ``concurrent.futures.Future`` from the UI thread.

Work on the manager's worker (Retry, Send test event, Test, a form's
checks) resolves a future on a worker thread; a queued Qt signal brings its
outcome back to the UI thread, where the callback may touch widgets.

The signal is emitted on one relay object that lives as long as the app,
never on an object of the widget waiting: the widget may be deleted on the
UI thread at the very moment the worker emits, and emitting on a QObject
being destroyed on another thread crashes the process. Whether the widget
is still there is asked on the UI thread, when the outcome arrives.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal

__all__ = ["when_done"]


class _Relay(QObject):
    """Brings finished futures to the UI thread (one per app)."""

    done = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.done.connect(self._deliver)

    @staticmethod
    def _deliver(item: tuple[Callable[[], None]]) -> None:
        item[0]()


_relay: _Relay | None = None
_lock = threading.Lock()


def _the_relay() -> _Relay:
    """The relay, made on the UI thread at first use."""
    global _relay
    with _lock:
        if _relay is None or not shiboken6.isValid(_relay):
            _relay = _Relay()
            app = QCoreApplication.instance()
            if app is not None:
                _relay.moveToThread(app.thread())
        return _relay


def when_done(
    future: Future[Any], parent: QObject, callback: Callable[[Future[Any]], None]
) -> None:
    """Call ``callback(future)`` on the UI thread once it is done.

    Nothing is called when ``parent`` is deleted first (or meanwhile).
    """
    relay = _the_relay()
    # A weak reference: waiting must not keep a closed dialog alive.
    parent_ref = weakref.ref(parent)

    def deliver() -> None:
        target = parent_ref()
        if target is None or not shiboken6.isValid(target):
            return
        callback(future)

    def on_done(f: Future[Any]) -> None:
        relay.done.emit((deliver,))

    future.add_done_callback(on_done)
