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

from desktop_app.store._sqlite import BUSY_TIMEOUT_MS, configure_connection

__all__ = [
    "BUSY_TIMEOUT_MS",
    "WRITE_OPTION",
    "configure_connection",
    "create_store_engine",
    "create_write_engine",
    "engine_around",
]

#: Execution option that makes a transaction start with ``BEGIN IMMEDIATE``.
WRITE_OPTION = "desktop_app_write"


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

    _begin_explicitly(engine)
    return engine


def _begin_explicitly(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write transaction takes the write lock up front: a deferred one
        # that reads first and writes later can fail with SQLITE_BUSY without
        # waiting, when another process got the lock in between.
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def create_write_engine(path: Path) -> Engine:
    """Create the engine for writes: one connection, transactions that begin
    with ``BEGIN IMMEDIATE``. Callers serialise its use with a lock.
    """
    return create_store_engine(path, single_connection=True).execution_options(
        **{WRITE_OPTION: True}
    )


def engine_around(path: Path, connection: sqlite3.Connection) -> Engine:
    """Create the write engine around the store's already open (and
    configured) write connection.

    The store opens its write connection with the standard ``sqlite3``
    module at start-up (its ``data_version`` tells other processes' commits
    from ours) and only wraps it in SQLAlchemy on the first write, so
    opening the store and reading never import SQLAlchemy. Disposing the
    engine closes ``connection``.

    Args:
        path (pathlib.Path): The database file (for messages; the URL).
        connection (sqlite3.Connection): Made by
            :py:func:`desktop_app.store._sqlite.connect`.

    Returns:
        sqlalchemy.engine.Engine: Single-connection engine whose
        transactions begin with ``BEGIN IMMEDIATE``. Callers serialise its
        use with a lock.
    """
    engine = create_engine(
        f"sqlite:///{path}", creator=lambda: connection, poolclass=StaticPool
    )
    _begin_explicitly(engine)
    return engine.execution_options(**{WRITE_OPTION: True})
