"""Opening the SQLite database with the connection settings the store needs.

Every pooled connection gets the same PRAGMAs, and transactions are begun
explicitly (see :py:func:`create_store_engine`) so that SQLite's locking
behaves predictably when several processes share one file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

__all__ = [
    "BUSY_TIMEOUT_MS",
    "WRITE_OPTION",
    "create_store_engine",
    "create_write_engine",
]

#: How long a connection waits for another one's lock before failing.
BUSY_TIMEOUT_MS = 5000

#: Execution option that makes a transaction start with ``BEGIN IMMEDIATE``.
WRITE_OPTION = "desktop_app_write"


def _casefold(value: str | None) -> str | None:
    return None if value is None else value.casefold()


def configure_connection(dbapi_connection: sqlite3.Connection) -> None:
    """Apply the store's settings to one raw SQLite connection.

    Args:
        dbapi_connection (sqlite3.Connection): A newly opened connection.
    """
    # Let SQLAlchemy's "begin" hook, not the sqlite3 module, decide when a
    # transaction starts: the module otherwise defers BEGIN until the first
    # INSERT/UPDATE and runs DDL and SELECTs outside any transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # First, so that even switching to WAL waits for other processes.
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
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
    # SQLite's lower()/NOCASE only fold ASCII; names are user text.
    dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)


def create_store_engine(path: Path, *, single_connection: bool = False) -> Engine:
    """Create the engine for the database file at ``path``.

    Args:
        path (pathlib.Path): The SQLite file; its folder must exist.

    Returns:
        sqlalchemy.engine.Engine: An engine whose transactions begin with
        ``BEGIN`` (or ``BEGIN IMMEDIATE`` when the :py:data:`WRITE_OPTION`
        execution option is set).
    """
    if single_connection:
        engine = create_engine(
            f"sqlite:///{path}",
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
    else:
        engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        configure_connection(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write transaction takes the write lock up front: a deferred one
        # that reads first and writes later can fail with SQLITE_BUSY without
        # waiting, when another process got the lock in between.
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def create_write_engine(path: Path) -> Engine:
    """Create the engine for writes: one connection, transactions that begin
    with ``BEGIN IMMEDIATE``. Callers serialise its use with a lock.
    """
    return create_store_engine(path, single_connection=True).execution_options(
        **{WRITE_OPTION: True}
    )
