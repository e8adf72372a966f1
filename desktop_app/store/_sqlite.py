"""``sqlite3`` connections with the settings every store connection needs.

Every runtime query and write runs on these connections; the engine that
runs a migration configures its connections with the same
:py:func:`configure_connection`.
"""

from __future__ import annotations

import math
import os
import sqlite3
from pathlib import Path

__all__ = [
    "BUSY_TIMEOUT_ENV",
    "BUSY_TIMEOUT_MS",
    "configure_connection",
    "connect",
    "default_busy_timeout",
]

#: How long a connection waits for another one's lock before failing.
BUSY_TIMEOUT_MS = 5000

#: Environment variable that overrides :py:data:`BUSY_TIMEOUT_MS`, in
#: seconds: a database on a slow network share may need longer, and tests
#: of the "locked" message need far shorter.
BUSY_TIMEOUT_ENV = "DESKTOP_APP_BUSY_TIMEOUT"


def default_busy_timeout() -> float:
    """Return the busy timeout in seconds: :py:data:`BUSY_TIMEOUT_ENV` when
    it holds a finite number >= 0, else :py:data:`BUSY_TIMEOUT_MS`."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return BUSY_TIMEOUT_MS / 1000
    if not math.isfinite(value) or value < 0:
        return BUSY_TIMEOUT_MS / 1000
    return value


def _casefold(value: str | None) -> str | None:
    return None if value is None else value.casefold()


def configure_connection(
    dbapi_connection: sqlite3.Connection,
    busy_timeout: float | None = None,
    *,
    read_only: bool = False,
) -> None:
    """Apply the store's settings to one raw SQLite connection.

    Args:
        dbapi_connection (sqlite3.Connection): A newly opened connection.
        busy_timeout (float | None): Seconds to wait for another
            connection's lock; ``None``: :py:func:`default_busy_timeout`.
        read_only (bool): The connection was opened read-only: it must not
            try to switch the journal mode (a write), and ``query_only``
            makes any write fail at once, whatever the file's mode.

    Raises:
        sqlite3.DatabaseError: The file is not a usable database (the
            first statement that touches it fails).
    """
    # Autocommit at the module level: the store (or the migration engine's
    # "begin" hook) decides when a transaction starts. The sqlite3 module otherwise
    # defers BEGIN until the first INSERT/UPDATE and runs DDL and SELECTs
    # outside any transaction; a lone SELECT is its own consistent snapshot.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # First, so that even switching to WAL waits for other processes.
        if busy_timeout is None:
            busy_timeout = default_busy_timeout()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        if read_only:
            cursor.execute("PRAGMA query_only=1")
            # Touch the file now, so that a file SQLite cannot read fails
            # here, not at the first query.
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchall()
        else:
            # WAL lets readers (the UI, other processes) proceed while one
            # writer commits, and keeps commits cheap.
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL may lose the last commits on power loss; FULL
            # syncs the log on every commit, so a configuration the user saved
            # is really saved. Commits are rare, so the cost does not matter.
            cursor.execute("PRAGMA synchronous=FULL")
            # No foreign keys yet, but history and delivery tables will refer to
            # configs; SQLite ignores constraints unless this is on.
            cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()
    # SQLite's lower()/NOCASE only fold ASCII; names are user text. The
    # store keeps a casefolded copy of each name (``name_key``); migrations
    # and ad-hoc queries use this function to compute it.
    dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)


def connect(
    path: Path, busy_timeout: float | None = None, *, read_only: bool = False
) -> sqlite3.Connection:
    """Open and configure a connection to the database file at ``path``.

    The connection may be used from any thread (``check_same_thread`` is
    off); callers make sure only one thread uses it at a time.

    Args:
        path (pathlib.Path): The database file.
        busy_timeout (float | None): Seconds to wait for another
            connection's lock; ``None``: :py:func:`default_busy_timeout`.
        read_only (bool): Open it read-only (``mode=ro``): nothing, not even
            SQLite's ``-wal``/``-shm`` upkeep, may change a file the user
            cannot or must not write. When even that fails because the
            folder is read-only too (SQLite cannot create the ``-shm`` file
            readers of a WAL database share), the file is opened as
            ``immutable``: readable, but another process's later commits go
            unseen, which is all a read-only folder allows.

    Raises:
        sqlite3.DatabaseError: The file cannot be opened as a database.
    """
    if busy_timeout is None:
        busy_timeout = default_busy_timeout()
    if not read_only:
        return _open(str(path), uri=False, read_only=False, busy_timeout=busy_timeout)
    uri = Path(path).resolve().as_uri()
    try:
        return _open(
            f"{uri}?mode=ro", uri=True, read_only=True, busy_timeout=busy_timeout
        )
    except sqlite3.OperationalError as e:
        name = getattr(e, "sqlite_errorname", "") or ""
        if not name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
            raise
    return _open(
        f"{uri}?mode=ro&immutable=1",
        uri=True,
        read_only=True,
        busy_timeout=busy_timeout,
    )


def _open(
    target: str, *, uri: bool, read_only: bool, busy_timeout: float
) -> sqlite3.Connection:
    conn = sqlite3.connect(
        target, timeout=busy_timeout, check_same_thread=False, uri=uri
    )
    try:
        configure_connection(conn, busy_timeout, read_only=read_only)
    except BaseException:
        conn.close()
        raise
    return conn
