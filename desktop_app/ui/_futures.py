"""Following a ``concurrent.futures.Future`` from the UI thread.

Work on the manager's worker (Retry, Send test event, Test) resolves a
future on a worker thread; a queued Qt signal brings its outcome back to
the UI thread, where the callback may touch widgets.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Signal

__all__ = ["when_done"]


class _Relay(QObject):
    done = Signal(object)


def when_done(
    future: Future[Any], parent: QObject, callback: Callable[[Future[Any]], None]
) -> None:
    """Call ``callback(future)`` on ``parent``'s thread once it is done.

    Nothing is called when ``parent`` is deleted first.
    """
    relay = _Relay(parent)

    def deliver(value: object) -> None:
        relay.deleteLater()
        callback(future)

    relay.done.connect(deliver)

    def on_done(f: Future[Any]) -> None:
        with contextlib.suppress(RuntimeError):  # the parent (and relay) is gone
            relay.done.emit(f)

    future.add_done_callback(on_done)
