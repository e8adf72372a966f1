"""Noticing commits made by other connections, cheaply.

SQLite's ``PRAGMA data_version`` changes on a connection whenever *another*
connection commits to the same file, including connections of other
processes. Polling it on one long-lived connection costs no table access, so
the manager can ask on a timer and reload only when something changed.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from desktop_app.store._engine import BUSY_TIMEOUT_MS

__all__ = ["DataVersionWatcher"]


class DataVersionWatcher:
    """Reports whether the database changed since the last check.

    Its connection is private and never writes, so every commit made by the
    store's own engine counts as "another connection" too: callers see their
    own saves as changes, which costs a reload but never misses one.
    """

    def __init__(self, path: Path) -> None:
        # isolation_level=None: never hold a read transaction open, which
        # would freeze data_version and block WAL checkpoints.
        self._conn = sqlite3.connect(
            path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        self._lock = threading.Lock()
        self._version = self._read()

    def _read(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        """Return whether another connection committed since the last call."""
        with self._lock:
            version = self._read()
            changed = version != self._version
            self._version = version
            return changed

    def close(self) -> None:
        """Close the watcher's connection."""
        with self._lock:
            self._conn.close()
