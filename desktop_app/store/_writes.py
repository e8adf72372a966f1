"""The store's write path: parameterised SQL on the write connection.

Each function runs inside a transaction the store has begun with
``BEGIN IMMEDIATE`` and returns new :py:class:`ConfigRecord` values; none
changes its arguments. Every statement also writes ``name_key``, the
casefolded name the list is ordered, paged and searched by, so it can never
drift from ``name``.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from desktop_app.errors import ConfigConflictError, ConfigNotFoundError, StoreError
from desktop_app.store._convert import dump_settings, format_datetime, parse_datetime
from desktop_app.store._records import ConfigRecord, InsertedBatch

__all__ = [
    "bulk_insert",
    "bulk_update",
    "delete_config",
    "restore_config",
    "save_config",
]

_INSERT = (
    "INSERT INTO configs (integration_id, name, name_key, enabled, settings,"
    " last_updated, time_added, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_WITH_ID = (
    "INSERT INTO configs (integration_id, name, name_key, enabled, settings,"
    " last_updated, time_added, revision, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPDATE = (
    "UPDATE configs SET integration_id = ?, name = ?, name_key = ?, enabled = ?,"
    " settings = ?, last_updated = ?, revision = revision + 1 WHERE id = ?"
)
_RETURNING = " RETURNING revision, time_added"


def _values(record: ConfigRecord, settings: str, stamp: str) -> tuple[object, ...]:
    return (
        record.integration_id,
        record.name,
        record.name.casefold(),
        bool(record.enabled),
        settings,
        stamp,
    )


def save_config(
    conn: sqlite3.Connection, record: ConfigRecord, settings: str, force: bool
) -> ConfigRecord:
    """Insert or update ``record`` (see ``ConfigStore.save_config``) and
    return what is now stored."""
    now = datetime.now(UTC)
    stamp = format_datetime(now)
    values = _values(record, settings, stamp)
    if record.id is None:
        (new_id,) = conn.execute(
            _INSERT + " RETURNING id", (*values, stamp, 1)
        ).fetchone()
        return dataclasses.replace(
            record,
            id=new_id,
            time_added=now,
            last_updated=now,
            revision=1,
            load_error=None,
        )
    if force:
        row = conn.execute(_UPDATE + _RETURNING, (*values, record.id)).fetchone()
    else:
        row = conn.execute(
            _UPDATE + " AND revision = ?" + _RETURNING,
            (*values, record.id, record.revision),
        ).fetchone()
    if row is None:
        actual = conn.execute(
            "SELECT revision FROM configs WHERE id = ?", (record.id,)
        ).fetchone()
        if actual is None:
            raise ConfigNotFoundError(record.id)
        raise ConfigConflictError(record.id, record.revision, actual[0])
    return dataclasses.replace(
        record,
        revision=row[0],
        time_added=parse_datetime(row[1]),
        last_updated=now,
        load_error=None,
    )


def delete_config(conn: sqlite3.Connection, config_id: int) -> None:
    """Delete a row.

    Raises:
        desktop_app.errors.ConfigNotFoundError: No such id.
    """
    if conn.execute("DELETE FROM configs WHERE id = ?", (config_id,)).rowcount == 0:
        raise ConfigNotFoundError(config_id)


def restore_config(
    conn: sqlite3.Connection, record: ConfigRecord, settings: str
) -> ConfigRecord:
    """Insert ``record`` under its old id (see ``ConfigStore.restore_config``).

    Raises:
        desktop_app.errors.StoreError: Its id is in use again.
    """
    now = datetime.now(UTC)
    added = record.time_added or now
    revision = record.revision + 1
    values = _values(record, settings, format_datetime(now))
    try:
        conn.execute(
            _INSERT_WITH_ID,
            (*values, format_datetime(added), revision, record.id),
        )
    except sqlite3.IntegrityError as e:
        raise StoreError(
            f"Configuration {record.id} cannot be restored: its id is in use"
        ) from e
    return dataclasses.replace(
        record, time_added=added, last_updated=now, revision=revision, load_error=None
    )


def bulk_insert(
    conn: sqlite3.Connection, records: Iterable[ConfigRecord]
) -> InsertedBatch:
    """Insert new records with one ``executemany``; return the ids they got.

    The records are read once, as the driver asks for rows, so an import of
    10,000 never holds a second copy of them. ``executemany`` cannot return
    ids, but they are known: ``configs.id`` is an ``INTEGER PRIMARY KEY``
    without AUTOINCREMENT, so SQLite gives each new row ``max(id) + 1``, and
    this transaction holds the write lock (``BEGIN IMMEDIATE``), so nobody
    else inserts in between. The ids are therefore ``max(id) + 1 …`` in
    order; the max afterwards is checked (SQLite picks random ids once the
    largest possible one is used).

    Raises:
        desktop_app.errors.StoreError: A record already has an id, its
            settings are not JSON values, or the ids were not consecutive;
            the store's transaction is rolled back.
    """
    now = datetime.now(UTC)
    stamp = format_datetime(now)
    count = 0

    def rows() -> Iterator[tuple[object, ...]]:
        nonlocal count
        for record in records:
            if record.id is not None:
                raise StoreError(
                    f"Configuration {record.id} is already stored; bulk_insert "
                    f"only inserts new configurations"
                )
            count += 1
            yield (*_values(record, dump_settings(record), stamp), stamp, 1)

    first = _max_id(conn) + 1
    conn.executemany(_INSERT, rows())
    if count and _max_id(conn) != first + count - 1:
        raise StoreError(
            "Cannot insert the configurations in one batch: the database "
            "assigned ids out of sequence"
        )
    return InsertedBatch(range(first, first + count), now)


def bulk_update(
    conn: sqlite3.Connection, records: Iterable[ConfigRecord]
) -> list[ConfigRecord]:
    """Update stored records, each only if its revision is still the one
    read (see ``ConfigStore.update_and_insert``); return them as stored.

    Raises:
        desktop_app.errors.ConfigNotFoundError: A row was deleted.
        desktop_app.errors.ConfigConflictError: A row was saved since read.
        desktop_app.errors.StoreError: A record has no id, or its settings
            are not JSON values.
    """
    updated = []
    for record in records:
        if record.id is None:
            raise StoreError(
                "Only a stored configuration can be updated; this one has no id"
            )
        updated.append(save_config(conn, record, dump_settings(record), False))
    return updated


def _max_id(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT max(id) FROM configs").fetchone()
    return int(row[0] or 0)
