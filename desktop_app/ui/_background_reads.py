"""Store reads that may scan many rows, run off the UI thread.

A filter's page is a substring test over the integration's names: with
few matches SQLite reads every row to fill (or end) the page, 15-20 ms at
100,000 configs, which the UI thread would sit out. The worker thread runs
the read (the store gives each thread its own connection, and SQLite
releases the interpreter while it steps through rows) and the result comes
back to the UI thread as a queued call.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

__all__ = ["BackgroundReads"]

#: Called on the UI thread with the read's result, or with the exception it
#: raised (and ``None`` as the result).
Done = Callable[[Any, BaseException | None], None]


class BackgroundReads(QObject):
    """Runs reads one at a time on a worker thread, in the order given.

    Each read's ``done`` callback runs on the thread this object lives in
    (the UI thread), in a later event-loop turn. Callers tell stale results
    apart themselves (the config list numbers its requests).
    """

    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor: ThreadPoolExecutor | None = None
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def submit(self, read: Callable[[], Any], done: Done) -> None:
        """Run ``read()`` on the worker; then ``done(result, error)`` here."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="desktop-app-reads"
            )

        def run() -> None:
            # Not swallowed: carried to the UI thread, where ``done`` sees it
            # as a read on that thread would have raised it.
            try:
                result, error = read(), None
            except Exception as e:
                result, error = None, e
            # RuntimeError: the Qt object is gone with its window.
            with suppress(RuntimeError):
                self._finished.emit((done, result, error))

        self._executor.submit(run)

    def shutdown(self) -> None:
        """Drop reads not started yet; the one running finishes unheard."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _on_finished(self, item: tuple[Done, Any, BaseException | None]) -> None:
        done, result, error = item
        done(result, error)
