"""The store's write path: SQLAlchemy Core statements on the write engine.

Imported on the first write (or by ``ConfigStore.prepare_writes``, which the
window runs in the background after its first paint), never on the way to
the first frame: importing SQLAlchemy costs about a third of start-up.
Every statement also writes ``name_key``, the casefolded name the list is
ordered, paged and searched by, so it can never drift from ``name``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from desktop_app.config import IntegrationConfig
from desktop_app.errors import ConfigConflictError, ConfigNotFoundError, StoreError
from desktop_app.store._models import ConfigRow

__all__ = ["bulk_insert", "delete_config", "restore_config", "save_config"]

_table = ConfigRow.__table__

# Saving is the path users wait on: build its statements once, so each save
# only binds parameters (SQLAlchemy caches their compiled SQL).
_UPDATE_FORCED = (
    update(_table)
    .where(_table.c.id == bindparam("b_id"))
    .values(revision=_table.c.revision + 1)
    .returning(_table.c.revision)
)
_UPDATE_CHECKED = _UPDATE_FORCED.where(_table.c.revision == bindparam("b_revision"))
_SELECT_REVISION = select(_table.c.revision).where(_table.c.id == bindparam("b_id"))
_INSERT = insert(_table).returning(_table.c.id)
_INSERT_MANY_SQL = (
    "INSERT INTO configs (integration_id, name, name_key, enabled, settings,"
    " time_added, last_updated, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_MAX_ID = select(func.max(_table.c.id))
_DELETE = delete(_table).where(_table.c.id == bindparam("b_id"))


def _values(config: IntegrationConfig, settings: str, now: datetime) -> dict[str, Any]:
    return {
        "integration_id": config.integration_id,
        "name": config.name,
        "name_key": config.name.casefold(),
        "enabled": bool(config.enabled),
        "settings": settings,
        "last_updated": now,
    }


def save_config(
    conn: Connection, config: IntegrationConfig, settings: str, force: bool
) -> datetime:
    """Insert or update ``config`` (see ``ConfigStore.save_config``),
    setting its id and revision; returns the save's timestamp."""
    now = datetime.now(UTC)
    values = _values(config, settings, now)
    if config.id is None:
        config.id = conn.execute(
            _INSERT, {**values, "time_added": now, "revision": 1}
        ).scalar_one()
        config.time_added = now
        config.revision = 1
        return now
    params = {**values, "b_id": config.id, "b_revision": config.revision}
    stmt = _UPDATE_FORCED if force else _UPDATE_CHECKED
    revision = conn.execute(stmt, params).scalar()
    if revision is None:
        actual = conn.execute(_SELECT_REVISION, params).scalar()
        if actual is None:
            raise ConfigNotFoundError(config.id)
        raise ConfigConflictError(config.id, config.revision, actual)
    config.revision = revision
    return now


def delete_config(conn: Connection, config_id: int) -> None:
    """Delete a row.

    Raises:
        desktop_app.errors.ConfigNotFoundError: No such id.
    """
    if conn.execute(_DELETE, {"b_id": config_id}).rowcount == 0:
        raise ConfigNotFoundError(config_id)


def restore_config(
    conn: Connection, config: IntegrationConfig, settings: str, now: datetime
) -> None:
    """Insert ``config`` under its old id (see ``ConfigStore.restore_config``).

    Raises:
        desktop_app.errors.StoreError: Its id is in use again.
    """
    values = _values(config, settings, now)
    values.update(
        id=config.id,
        time_added=config.time_added or now,
        revision=config.revision + 1,
    )
    try:
        conn.execute(insert(_table), values)
    except IntegrityError as e:
        raise StoreError(
            f"Configuration {config.id} cannot be restored: its id is in use"
        ) from e


def bulk_insert(
    conn: Connection, configs: Iterable[IntegrationConfig], settings: list[str]
) -> tuple[list[int], datetime]:
    """Insert new configs with one ``executemany``; returns their ids in
    order and the timestamp they were given.

    ``RETURNING id`` in parameter order made SQLAlchemy batch the rows into
    multi-row INSERTs and sort what came back: about 2x a plain
    ``executemany``. Plain is enough to know the ids: ``configs.id`` is an
    ``INTEGER PRIMARY KEY`` without AUTOINCREMENT, so SQLite gives each new
    row ``max(id) + 1``, and this transaction holds the write lock
    (``BEGIN IMMEDIATE``), so nobody else inserts in between. The ids are
    therefore ``max(id) + 1 …`` in order; the max afterwards is checked
    (SQLite picks random ids once the largest possible one is used).

    Raises:
        desktop_app.errors.StoreError: The ids were not consecutive; the
            transaction is rolled back.
    """
    now = datetime.now(UTC)
    # One timestamp for every row, converted once by the column's own type
    # (the text SQLAlchemy would write), and rows as plain tuples for the
    # driver's executemany: SQLAlchemy's per-row, per-column parameter
    # processing was a third of an import of 10,000.
    column_type = _table.c.time_added.type
    stamp = column_type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    when = stamp(now) if stamp is not None else now
    rows = [
        (
            config.integration_id,
            config.name,
            config.name.casefold(),
            bool(config.enabled),
            text,
            when,
            when,
            1,
        )
        for config, text in zip(configs, settings, strict=True)
    ]
    first = (conn.execute(_MAX_ID).scalar() or 0) + 1
    conn.exec_driver_sql(_INSERT_MANY_SQL, rows)
    last = conn.execute(_MAX_ID).scalar()
    if last != first + len(rows) - 1:
        raise StoreError(
            "Cannot insert the configurations in one batch: the database "
            "assigned ids out of sequence"
        )
    return list(range(first, first + len(rows))), now
