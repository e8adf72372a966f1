"""The store's delivery tables: add in batches, prune, list, status.

Rows are added by the manager's delivery writer thread, a batch per
transaction, never on the event path. Each batch also updates the
``delivery_status`` row of every configuration it touches and prunes that
configuration's oldest rows past the bound, in the same short transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from desktop_app.store._records import Delivery, DeliveryStatus

__all__ = [
    "DELIVERY_COLUMNS",
    "add_deliveries",
    "configs_counter",
    "delivery_statuses",
    "get_delivery",
    "last_delivery_id",
    "list_deliveries",
]

DELIVERY_COLUMNS = (
    "id, config_id, integration_id, config_name, signal, time, duration,"
    " outcome, message, attempts, payload, details, repeats, last_time"
)
_INSERT = (
    "INSERT INTO deliveries (config_id, integration_id, config_name, signal,"
    " time, duration, outcome, message, attempts, payload, details, repeats,"
    " last_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_EXTEND = (
    "UPDATE deliveries SET time = ?, repeats = ?, last_time = ?, duration = ?,"
    " payload = ? WHERE id = ? AND config_id = ?"
)
_STATUS = (
    "INSERT INTO delivery_status (config_id, last_outcome, last_time,"
    " last_message, ok_count, failed_count) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (config_id) DO UPDATE SET last_outcome = excluded.last_outcome,"
    " last_time = excluded.last_time, last_message = excluded.last_message,"
    " ok_count = ok_count + excluded.ok_count,"
    " failed_count = failed_count + excluded.failed_count"
)
_PRUNE = (
    "DELETE FROM deliveries WHERE config_id = ? AND id <= (SELECT id FROM"
    " deliveries WHERE config_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)"
)

#: Outcomes counted as failures in the status counts (skipped counts as
#: neither: the configuration's conditions said no).
FAILED_OUTCOMES = ("failed", "timed_out")


def add_deliveries(
    conn: sqlite3.Connection,
    rows: Sequence[Delivery],
    keep: int,
    prune: Iterable[int] | None = None,
    extended: Sequence[tuple[Delivery, int]] = (),
) -> list[Delivery]:
    """Insert rows (their ``id`` is ignored), extend runs, update statuses,
    prune.

    Args:
        keep (int): Rows kept per configuration; older ones are deleted.
        prune (iterable of int, optional): The configurations to prune
            (default: every one in ``rows``).
        extended (sequence): ``(row, added)``: a stored row standing for a
            run of identical successes, with its new ``repeats``,
            ``last_time``, ``duration`` and ``payload``, and how many
            deliveries that adds. A row that is gone meanwhile (pruned, its
            configuration deleted) is not recreated.

    Returns:
        list[Delivery]: The inserted rows with the ids they got, then the
        extended rows still stored.
    """
    stored = _insert(conn, rows) if rows else []
    counted: list[tuple[Delivery, int]] = [(row, row.repeats) for row in rows]
    for row, added in extended:
        cursor = conn.execute(
            _EXTEND,
            (
                row.time,
                row.repeats,
                row.last_time,
                row.duration,
                row.payload,
                row.id,
                row.config_id,
            ),
        )
        if cursor.rowcount:
            stored.append(row)
            counted.append((row, added))
    touched: dict[int, tuple[str, float, str, int, int]] = {}
    for row, count in counted:
        if row.outcome == "skipped":
            continue
        ok = count if row.outcome == "ok" else 0
        failed = count if row.outcome in FAILED_OUTCOMES else 0
        old = touched.get(row.config_id)
        if old is not None:
            ok += old[3]
            failed += old[4]
        touched[row.config_id] = (row.outcome, row.latest, row.message, ok, failed)
    for config_id, status in touched.items():
        conn.execute(_STATUS, (config_id, *status))
    for config_id in {row.config_id for row in rows} if prune is None else prune:
        conn.execute(_PRUNE, (config_id, config_id, keep))
    return stored


def _insert(conn: sqlite3.Connection, rows: Sequence[Delivery]) -> list[Delivery]:
    """Insert rows in one ``executemany``; return them with their ids."""
    # The ids are known without RETURNING: deliveries.id is an INTEGER
    # PRIMARY KEY without AUTOINCREMENT and this transaction holds the
    # write lock, so the rows get max(id) + 1, + 2, … in order.
    first = int(conn.execute("SELECT max(id) FROM deliveries").fetchone()[0] or 0) + 1
    conn.executemany(_INSERT, [row[1:] for row in rows])
    last = int(conn.execute("SELECT max(id) FROM deliveries").fetchone()[0] or 0)
    if last != first + len(rows) - 1:
        # SQLite picks random ids once the largest possible one is used:
        # read them back instead.
        found = conn.execute(
            f"SELECT id FROM deliveries WHERE id >= ? ORDER BY id LIMIT {len(rows)}",
            (first,),
        ).fetchall()
        ids = [r[0] for r in found]
    else:
        ids = list(range(first, last + 1))
    make = tuple.__new__
    return [
        make(Delivery, (new_id, *row[1:]))
        for row, new_id in zip(rows, ids, strict=False)
    ]


def list_deliveries(
    conn: sqlite3.Connection,
    config_id: int | None,
    failed_only: bool,
    limit: int,
    before: int | None = None,
) -> list[Delivery]:
    """Newest first, optionally for one configuration, failures only, or
    older than the delivery id ``before``."""
    where: list[str] = []
    params: list[object] = []
    if config_id is not None:
        where.append("config_id = ?")
        params.append(config_id)
    if failed_only:
        where.append("outcome IN (?, ?)")
        params.extend(FAILED_OUTCOMES)
    if before is not None:
        where.append("id < ?")
        params.append(before)
    sql = f"SELECT {DELIVERY_COLUMNS} FROM deliveries"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(limit)
    return [Delivery._make(r) for r in conn.execute(sql, params).fetchall()]


def list_since(conn: sqlite3.Connection, after: int, limit: int) -> list[Delivery]:
    """Rows with an id above ``after``, oldest first (what is new)."""
    sql = f"SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE id > ? ORDER BY id LIMIT ?"
    return [Delivery._make(r) for r in conn.execute(sql, (after, limit)).fetchall()]


def get_delivery(conn: sqlite3.Connection, delivery_id: int) -> Delivery | None:
    """One row by id, or ``None``."""
    row = conn.execute(
        f"SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE id = ?", (delivery_id,)
    ).fetchone()
    return Delivery._make(row) if row is not None else None


def delivery_statuses(
    conn: sqlite3.Connection, config_ids: Iterable[int] | None
) -> dict[int, DeliveryStatus]:
    """Status of the given configurations (all when ``None``); a
    configuration that never ran has no entry."""
    sql = (
        "SELECT s.config_id, s.last_outcome, s.last_time, s.last_message,"
        " s.ok_count, s.failed_count, c.integration_id FROM delivery_status s"
        " JOIN configs c ON c.id = s.config_id"
    )
    if config_ids is None:
        rows = conn.execute(sql).fetchall()
    else:
        ids = list(config_ids)
        rows = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows += conn.execute(
                f"{sql} WHERE s.config_id IN ({marks})", chunk
            ).fetchall()
    return {r[0]: DeliveryStatus._make(r) for r in rows}


def last_delivery_id(conn: sqlite3.Connection) -> int:
    """The newest delivery's id (0 when there is none)."""
    return int(conn.execute("SELECT max(id) FROM deliveries").fetchone()[0] or 0)


def configs_counter(conn: sqlite3.Connection) -> int:
    """The counter the ``configs`` triggers bump on every change."""
    row = conn.execute(
        "SELECT value FROM change_counters WHERE name = 'configs'"
    ).fetchone()
    return int(row[0]) if row is not None else 0
