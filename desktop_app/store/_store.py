"""The configuration store: plain config objects in, plain config objects out.

Everything SQL lives behind this class; the manager and the UI only see
:py:class:`~desktop_app.config.IntegrationConfig` objects. Each method runs
one short transaction, so the file is never locked for longer than a
statement or two and other processes sharing it are not kept waiting.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, IntegrityError

from desktop_app.config import IntegrationConfig
from desktop_app.errors import (
    ConfigConflictError,
    ConfigNotFoundError,
    DatabaseDamagedError,
    StoreError,
)
from desktop_app.store import backup
from desktop_app.store._convert import (
    CONFIG_COLUMNS,
    dump_settings,
    row_to_config,
    rows_to_configs,
)
from desktop_app.store._engine import create_store_engine, create_write_engine
from desktop_app.store._migrate import ensure_current
from desktop_app.store._models import ConfigRow

__all__ = ["ConfigStore"]

logger = logging.getLogger(__name__)

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


class ConfigStore:
    """Integration configurations stored in one SQLite file.

    Opening the store creates the file (and its folders) when needed and
    brings it to the current schema. Use it as a context manager, or call
    :py:meth:`close`.

    The file and its ``-wal``/``-shm`` companions are private to the user
    (0600): a looser mode on an existing file is tightened, since the file is
    the app's own and holds credentials when no keyring is available.

    Args:
        path (str | os.PathLike): The database file.
        backup_dir (str | os.PathLike, optional): Where the backup made
            before a migration goes; ``backups/`` next to the file by default.
        keep_backups (int): How many backups to keep.

    Raises:
        desktop_app.errors.DatabaseDamagedError: The file is not a usable
            database (:py:func:`desktop_app.store.open_store` recovers).
        desktop_app.errors.SchemaTooNewError: A newer app wrote the file.
        desktop_app.errors.StoreError: The database cannot be migrated.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        backup_dir: str | os.PathLike[str] | None = None,
        keep_backups: int = backup.DEFAULT_KEEP,
    ) -> None:
        self._path = Path(path)
        self._backup_dir = (
            Path(backup_dir) if backup_dir else backup.backup_dir_for(self._path)
        )
        self._keep_backups = keep_backups
        self._path.parent.mkdir(parents=True, exist_ok=True)
        _make_private(self._path)
        self._engine: Engine | None = create_store_engine(self._path)
        try:
            try:
                ensure_current(self._engine, self._backup_before_migration)
            except DatabaseError as e:
                if backup.is_damage_error(e.orig):
                    raise DatabaseDamagedError(
                        self._path, backup.describe_damage(e.orig)
                    ) from e
                raise
            # All writes go through one connection, under a lock. SQLite's
            # data_version on that connection then changes only when
            # *another* connection (another process) commits, so our own
            # saves never look like outside changes.
            self._write_engine = create_write_engine(self._path)
            self._write_lock = threading.Lock()
            self._data_version = self._read_data_version()
        except BaseException:
            self._engine.dispose()
            raise

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def backup_dir(self) -> Path:
        """The folder holding this database's backups."""
        return self._backup_dir

    def backup(self) -> Path:
        """Make a backup now (SQLite online backup) and rotate old ones.

        Returns:
            pathlib.Path: The new backup file.
        """
        self._check_open()
        return backup.make_backup(self._path, self._backup_dir, keep=self._keep_backups)

    def _backup_before_migration(self, old_revision: str) -> None:
        path = backup.make_backup(self._path, self._backup_dir, keep=self._keep_backups)
        logger.info(
            "Backed up %s (schema %s) to %s before migrating",
            self._path,
            old_revision,
            path,
        )

    @property
    def engines(self) -> tuple[Engine, Engine]:
        """The read and write SQLAlchemy engines, for instrumentation
        (counting statements in tests and benchmarks); not for queries."""
        return self._check_open(), self._write_engine

    def close(self) -> None:
        """Close all connections. Calling it again does nothing."""
        if self._engine is None:
            return
        with self._write_lock:
            self._write_engine.dispose()
        self._engine.dispose()
        self._engine = None

    def __enter__(self) -> ConfigStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._engine is None else "open"
        return f"<ConfigStore {str(self._path)!r} {state}>"

    # Reading

    def list_configs(
        self,
        integration_id: str | None = None,
        *,
        enabled: bool | None = None,
        search: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[IntegrationConfig]:
        """Return configurations ordered by name (case-insensitive), then id.

        Args:
            integration_id (str | None): Only this integration's configs.
            enabled (bool | None): Only enabled (``True``) or disabled
                (``False``) configs.
            search (str | None): Only configs whose name contains this text,
                ignoring case.
            offset (int): Rows to skip, for paging.
            limit (int | None): At most this many rows.

        Returns:
            list[desktop_app.config.IntegrationConfig]: New plain objects.
            A config whose settings cannot be read is included, with empty
            settings and ``load_error`` set.
        """
        stmt = self._filter(select(*CONFIG_COLUMNS), integration_id, enabled, search)
        stmt = stmt.order_by(func.casefold(ConfigRow.name), ConfigRow.id)
        if offset:
            stmt = stmt.offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._read() as conn:
            return rows_to_configs(conn.execute(stmt))

    def count(
        self,
        integration_id: str | None = None,
        *,
        enabled: bool | None = None,
        search: str | None = None,
    ) -> int:
        """Return how many configs :py:meth:`list_configs` would return
        without paging (for lazy list models)."""
        stmt = self._filter(
            select(func.count()).select_from(_table), integration_id, enabled, search
        )
        with self._read() as conn:
            return conn.execute(stmt).scalar_one()

    def count_configs(self) -> dict[str, tuple[int, int]]:
        """Return ``{integration_id: (total, enabled)}`` in one query.

        Integrations without configs are absent.
        """
        stmt = select(
            ConfigRow.integration_id,
            func.count(),
            func.sum(case((ConfigRow.enabled, 1), else_=0)),
        ).group_by(ConfigRow.integration_id)
        with self._read() as conn:
            return {
                integration_id: (total, int(enabled or 0))
                for integration_id, total, enabled in conn.execute(stmt)
            }

    def get_config(self, config_id: int) -> IntegrationConfig:
        """Return one configuration.

        Raises:
            desktop_app.errors.ConfigNotFoundError: No such id.
        """
        stmt = select(*CONFIG_COLUMNS).where(ConfigRow.id == config_id)
        with self._read() as conn:
            row = conn.execute(stmt).first()
        if row is None:
            raise ConfigNotFoundError(config_id)
        return row_to_config(row)

    # Writing

    def save_config(
        self, config: IntegrationConfig, *, force: bool = False
    ) -> IntegrationConfig:
        """Insert or update a configuration, updating ``config`` in place.

        A new config (``id`` is ``None``) gets its id, both timestamps and
        revision 1. An existing one is only written when the stored revision
        still equals ``config.revision`` (unless ``force``), so a stale copy
        (say, a dialog left open while another process saved) cannot
        silently overwrite newer settings.

        Args:
            config (desktop_app.config.IntegrationConfig): The config.
            force (bool): Overwrite whatever revision is stored.

        Returns:
            desktop_app.config.IntegrationConfig: ``config`` itself.

        Raises:
            desktop_app.errors.StoreError: The settings are not JSON values;
                nothing was written.
            desktop_app.errors.ConfigNotFoundError: The row was deleted.
            desktop_app.errors.ConfigConflictError: The row was saved since
                ``config`` was loaded.
        """
        settings = dump_settings(config)
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "integration_id": config.integration_id,
            "name": config.name,
            "enabled": bool(config.enabled),
            "settings": settings,
            "last_updated": now,
        }
        if config.id is None:
            with self._write() as conn:
                config.id = conn.execute(
                    _INSERT, {**values, "time_added": now, "revision": 1}
                ).scalar_one()
            config.time_added = now
            config.revision = 1
        else:
            revision = self._update(config.id, config.revision, values, force)
            config.revision = revision
        config.last_updated = now
        # The stored settings are now the ones in memory, readable or not.
        config.load_error = None
        return config

    def _update(
        self, config_id: int, expected: int, values: dict[str, Any], force: bool
    ) -> int:
        params = {**values, "b_id": config_id, "b_revision": expected}
        with self._write() as conn:
            revision = conn.execute(
                _UPDATE_FORCED if force else _UPDATE_CHECKED, params
            ).scalar()
            if revision is not None:
                return revision
            actual = conn.execute(_SELECT_REVISION, params).scalar()
        if actual is None:
            raise ConfigNotFoundError(config_id)
        raise ConfigConflictError(config_id, expected, actual)

    def delete_config(self, config_id: int) -> None:
        """Delete a configuration.

        Raises:
            desktop_app.errors.ConfigNotFoundError: No such id.
        """
        with self._write() as conn:
            result = conn.execute(delete(_table).where(_table.c.id == config_id))
        if result.rowcount == 0:
            raise ConfigNotFoundError(config_id)

    def restore_config(self, config: IntegrationConfig) -> IntegrationConfig:
        """Insert a deleted configuration again under its old id.

        Undo of a delete must bring back *the same* configuration: its id is
        how other records (activity, future history) refer to it, so a new
        id would orphan them. ``time_added`` is kept; ``last_updated`` and
        ``revision`` move forward, as for any save.

        Args:
            config (desktop_app.config.IntegrationConfig): The deleted
                config, with its old ``id``.

        Returns:
            desktop_app.config.IntegrationConfig: ``config`` itself.

        Raises:
            desktop_app.errors.StoreError: It has no id, its id is in use
                again, or its settings are not JSON values.
        """
        if config.id is None:
            raise StoreError("Only a configuration that was stored can be restored")
        settings = dump_settings(config)
        now = datetime.now(UTC)
        revision = config.revision + 1
        stmt = insert(_table).values(
            id=config.id,
            integration_id=config.integration_id,
            name=config.name,
            enabled=bool(config.enabled),
            settings=settings,
            time_added=config.time_added or now,
            last_updated=now,
            revision=revision,
        )
        try:
            with self._write() as conn:
                conn.execute(stmt)
        except IntegrityError as e:
            raise StoreError(
                f"Configuration {config.id} cannot be restored: its id is in use"
            ) from e
        config.time_added = config.time_added or now
        config.last_updated = now
        config.revision = revision
        config.load_error = None
        return config

    def bulk_insert(self, configs: Iterable[IntegrationConfig]) -> int:
        """Insert many new configurations in one transaction.

        Much faster than :py:meth:`save_config` in a loop (one transaction,
        multi-row INSERTs). Each config gets its id, timestamps and revision
        1, so it can be saved normally afterwards.

        Args:
            configs (iterable of desktop_app.config.IntegrationConfig): New
                configs (``id`` is ``None``).

        Returns:
            int: How many were inserted.

        Raises:
            desktop_app.errors.StoreError: A config already has an id, or its
                settings are not JSON values; nothing was written.
        """
        configs = list(configs)
        if not configs:
            return 0
        now = datetime.now(UTC)
        rows = []
        for config in configs:
            if config.id is not None:
                raise StoreError(
                    f"Configuration {config.id} is already stored; bulk_insert "
                    f"only inserts new configurations"
                )
            rows.append(
                {
                    "integration_id": config.integration_id,
                    "name": config.name,
                    "enabled": bool(config.enabled),
                    "settings": dump_settings(config),
                    "time_added": now,
                    "last_updated": now,
                    "revision": 1,
                }
            )
        stmt = insert(_table).returning(_table.c.id, sort_by_parameter_order=True)
        with self._write() as conn:
            ids = conn.execute(stmt, rows).scalars().all()
        for config, id_ in zip(configs, ids, strict=True):
            config.id = id_
            config.time_added = config.last_updated = now
            config.revision = 1
            config.load_error = None
        return len(ids)

    # Other processes

    def has_external_changes(self) -> bool:
        """Return whether another connection (another process, another
        store on the same file) committed since the last call.

        This store's own saves do not count. Cheap (no table access) and
        thread-safe; meant to be polled on a timer.
        """
        self._check_open()
        with self._write_lock:
            version = self._read_data_version()
            changed = version != self._data_version
            self._data_version = version
        return changed

    def _read_data_version(self) -> int:
        with self._write_engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA data_version").scalar_one()

    # Helpers

    def _check_open(self) -> Engine:
        if self._engine is None:
            raise StoreError(f"The configuration store {self._path} is closed")
        return self._engine

    def _read(self) -> Connection:
        # A deferred transaction: reads see one consistent snapshot and
        # release it when the block ends.
        return self._check_open().connect()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        self._check_open()
        with self._write_lock, self._write_engine.begin() as conn:
            yield conn

    @staticmethod
    def _filter(
        stmt: Select[Any],
        integration_id: str | None,
        enabled: bool | None,
        search: str | None,
    ) -> Select[Any]:
        conditions: list[ColumnElement[bool]] = []
        if integration_id is not None:
            conditions.append(ConfigRow.integration_id == integration_id)
        if enabled is not None:
            conditions.append(ConfigRow.enabled == enabled)
        if search:
            conditions.append(
                func.casefold(ConfigRow.name).contains(
                    search.casefold(), autoescape=True
                )
            )
        return stmt.where(*conditions) if conditions else stmt


def _make_private(path: Path) -> None:
    """Create the database file 0600, or tighten an existing one's mode.

    SQLite gives the ``-wal`` and ``-shm`` files the database file's mode, so
    getting the main file right covers them when they are created; existing
    ones are tightened here too.
    """
    if not path.exists():
        backup.create_private_file(path)
        return
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
            if mode & 0o077:
                file.chmod(mode & 0o700)
        except FileNotFoundError:
            continue
        except PermissionError:
            logger.warning("Cannot make %s private to its owner", file)
