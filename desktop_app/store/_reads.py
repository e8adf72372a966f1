"""The store's read path: plain parameterised SQL on ``sqlite3`` connections.

Each thread gets its own connection, configured exactly like the write
connection, so the connection settings never depend on which thread ran a
query.

A lone SELECT on an autocommit connection is its own read transaction: it
sees one consistent snapshot and releases it as soon as its rows are
fetched, so a reader never holds the WAL back.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.errors import ConfigNotFoundError
from desktop_app.store._convert import CONFIG_COLUMNS, row_to_record, rows_to_records
from desktop_app.store._records import ConfigRecord
from desktop_app.store._sqlite import connect

__all__ = [
    "ReadConnections",
    "count",
    "count_configs",
    "find_configs",
    "get_config",
    "list_configs",
]

_SELECT = f"SELECT {CONFIG_COLUMNS} FROM configs"

#: A keyset paging position: the ``(name_key, id)`` of the last row read.
PageKey = tuple[str, int]


class ReadConnections:
    """One read connection per thread, all closed by :py:meth:`close`.

    SQLite connections must not be used by two threads at once; a
    thread-local connection needs no lock and keeps its statement cache.

    Args:
        path (pathlib.Path): The database file.
        trace (callable): Returns the statement trace callback to install on
            each new connection (``None``: no tracing), so instrumentation
            added later reaches connections opened later too.
        read_only (bool): Open them read-only, like the store.
        busy_timeout (float | None): Seconds a connection waits for another
            one's lock (``None``: the default).
    """

    def __init__(
        self,
        path: Path,
        trace: Callable[[], Callable[[str], None] | None],
        busy_timeout: float | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        self._path = path
        self._read_only = read_only
        self._trace = trace
        self._busy_timeout = busy_timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []

    def get(self) -> sqlite3.Connection:
        """Return this thread's connection, opening it on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self._path, self._busy_timeout, read_only=self._read_only)
            conn.set_trace_callback(self._trace())
            with self._lock:
                self._all.append(conn)
            self._local.conn = conn
        return conn

    def set_trace(self, callback: Callable[[str], None] | None) -> None:
        """Install a statement trace callback on every open connection."""
        with self._lock:
            for conn in self._all:
                conn.set_trace_callback(callback)

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._local = threading.local()


def _where(
    integration_id: str | None,
    enabled: bool | None,
    search: str | None,
    after: PageKey | None = None,
) -> tuple[str, list[Any]]:
    conditions: list[str] = []
    params: list[Any] = []
    if integration_id is not None:
        conditions.append("integration_id = ?")
        params.append(integration_id)
    if enabled is not None:
        conditions.append("enabled = ?")
        params.append(1 if enabled else 0)
    if search:
        # A plain substring test: no LIKE wildcards to escape.
        conditions.append("instr(name_key, ?) > 0")
        params.append(search.casefold())
    if after is not None:
        # Keyset paging: SQLite compares row values in index order, so the
        # page starts with a seek into ix_configs_list, not by skipping rows.
        conditions.append("(name_key, id) > (?, ?)")
        params.extend(after)
    if not conditions:
        return "", params
    return " WHERE " + " AND ".join(conditions), params


def list_configs(
    conn: sqlite3.Connection,
    integration_id: str | None,
    enabled: bool | None,
    search: str | None,
    offset: int,
    limit: int | None,
    after: PageKey | None,
) -> list[ConfigRecord]:
    """Return records by ``name_key``, then id (see ``ConfigStore``)."""
    where, params = _where(integration_id, enabled, search, after)
    sql = f"{_SELECT}{where} ORDER BY name_key, id"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
    return rows_to_records(conn.execute(sql, params).fetchall())


def name_taken(
    conn: sqlite3.Connection, integration_id: str, name_key: str, except_id: int | None
) -> bool:
    """Whether another config of the integration has this ``name_key``
    (see ``ConfigStore.name_taken``): one seek into ``ix_configs_list``."""
    row = conn.execute(
        "SELECT 1 FROM configs WHERE integration_id = ? AND name_key = ?"
        " AND id != ? LIMIT 1",
        (integration_id, name_key, -1 if except_id is None else except_id),
    ).fetchone()
    return row is not None


def count(
    conn: sqlite3.Connection,
    integration_id: str | None,
    enabled: bool | None,
    search: str | None,
) -> int:
    """Return how many configs match (see ``ConfigStore.count``).

    Without a search, the answer comes from ``config_counts`` (kept exact
    by triggers): one primary-key lookup instead of a scan of the
    integration's rows, which grows with the number of configs.
    """
    if not search:
        # One statement, so total and enabled come from one snapshot.
        sql = "SELECT coalesce(sum(total), 0), coalesce(sum(enabled), 0) "
        sql += "FROM config_counts"
        totals: tuple[str, ...] = ()
        if integration_id is not None:
            sql += " WHERE integration_id = ?"
            totals = (integration_id,)
        total, on = conn.execute(sql, totals).fetchall()[0]
        return int(total if enabled is None else on if enabled else total - on)
    where, params = _where(integration_id, enabled, search)
    rows = conn.execute(f"SELECT count(*) FROM configs{where}", params).fetchall()
    return int(rows[0][0])


def count_configs(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Return ``{integration_id: (total, enabled)}`` from ``config_counts``
    (one row per integration, not a ``GROUP BY`` over every config)."""
    rows = conn.execute(
        "SELECT integration_id, total, enabled FROM config_counts"
    ).fetchall()
    return {integration_id: (total, enabled) for integration_id, total, enabled in rows}


def get_config(conn: sqlite3.Connection, config_id: int) -> ConfigRecord:
    """Return one record.

    Raises:
        desktop_app.errors.ConfigNotFoundError: No such id.
    """
    rows = conn.execute(f"{_SELECT} WHERE id = ?", (config_id,)).fetchall()
    if not rows:
        raise ConfigNotFoundError(config_id)
    return row_to_record(rows[0])


def find_configs(conn: sqlite3.Connection, text: str, limit: int) -> list[ConfigRecord]:
    """Return records whose name or stored settings text contains ``text``
    (ignoring case), by name. Which setting matched, and whether it is one
    the caller may show, is for the caller to check."""
    needle = text.casefold()
    sql = (
        f"{_SELECT} WHERE instr(name_key, ?) > 0 OR instr(casefold(settings), ?) > 0"
        " ORDER BY name_key, id LIMIT ?"
    )
    return rows_to_records(conn.execute(sql, (needle, needle, limit)).fetchall())
