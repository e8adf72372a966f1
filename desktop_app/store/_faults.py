"""Turn a ``sqlite3`` error into the :py:class:`StoreError` the user sees.

The one place that decides what a database failure means, for reads and
writes alike. It goes by SQLite's result code, never by the message text:
messages change between SQLite versions and languages, codes do not. The
errors built here carry the file's path and a plain fix, and never a
statement or its parameters, so no setting (or secret) can reach a dialog,
a log or a terminal through them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop_app.errors import (
    DatabaseDamagedError,
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyStoreError,
    StorageIOError,
    StoreError,
)
from desktop_app.store.backup import describe_damage

__all__ = ["store_error"]

_FULL = (sqlite3.SQLITE_FULL,)
# SQLITE_PERM: the operating system refused access to the file.
_READ_ONLY = (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM)
# SQLITE_LOCKED is a lock held by another connection of this process (a
# shared cache); to the user it is the same wait that did not end.
_LOCKED = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_IO = (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN)
_DAMAGED = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def store_error(path: Path, error: sqlite3.Error, busy_timeout: float) -> StoreError:
    """Return the :py:class:`StoreError` subclass that says what ``error``
    means for the user.

    Args:
        path (pathlib.Path): The database file.
        error (sqlite3.Error): What SQLite raised.
        busy_timeout (float): How long the connection waited for a lock, in
            seconds (named in the "locked" message).

    Returns:
        StoreError: A :py:class:`~desktop_app.errors.StorageFaultError`
        subclass for a fault the user can fix (disk full, read-only,
        locked, I/O error), :py:class:`DatabaseDamagedError` for a damaged
        file, or a plain :py:class:`StoreError` naming SQLite's error code.
    """
    name = getattr(error, "sqlite_errorname", None)
    code = getattr(error, "sqlite_errorcode", None)
    # Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DIRECTORY, …)
    # keep their primary code in the low byte.
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in _FULL:
        return DiskFullError(path, name)
    if primary in _READ_ONLY:
        return ReadOnlyStoreError(path, name)
    if primary in _LOCKED:
        return DatabaseLockedError(path, busy_timeout, name)
    if primary in _IO:
        return StorageIOError(path, name)
    if primary in _DAMAGED:
        return DatabaseDamagedError(path, describe_damage(error))
    return StoreError(
        f"The configuration database {path} could not be used "
        f"({name or type(error).__name__})."
    )
