"""The configuration store: frozen records in, frozen records out.

Everything SQL lives behind this class; the manager and the UI only see
:py:class:`~desktop_app.store.ConfigRecord` values. Every runtime query and
write uses the standard ``sqlite3`` module; SQLAlchemy and Alembic are
imported only when a migration is due (:py:mod:`~desktop_app.store._migrate`).
Each method runs one short transaction, so the file is never locked for
longer than a statement or two and other processes sharing it are not kept
waiting.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from desktop_app.errors import DatabaseDamagedError, StoreError
from desktop_app.store import _deliveries, _reads, _writes, backup
from desktop_app.store._convert import dump_settings
from desktop_app.store._faults import store_error
from desktop_app.store._migrate import (
    KNOWN_REVISIONS,
    SCHEMA_REVISION,
    ensure_current,
    read_schema_revision,
)
from desktop_app.store._records import (
    ConfigRecord,
    Delivery,
    DeliveryStatus,
    InsertedBatch,
)
from desktop_app.store._sqlite import connect, default_busy_timeout

__all__ = ["ConfigStore", "StatementListener"]

logger = logging.getLogger(__name__)

#: Called with the SQL text of every statement the store runs.
StatementListener = Callable[[str], None]


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
        read_only (bool): Open the file read-only (``mode=ro``), for a file
            or folder the user cannot write to, or a database a newer app
            wrote: every read works, every write raises
            :py:class:`~desktop_app.errors.StoreError` saying why, and
            nothing on disk changes (no migration, no mode change, no
            folder created).
        busy_timeout (float | None): Seconds to wait for another program's
            lock before giving up with
            :py:class:`~desktop_app.errors.DatabaseLockedError`; ``None``:
            the ``DESKTOP_APP_BUSY_TIMEOUT`` environment variable, else 5.

    Every database failure a method meets, reading or writing, is raised as
    a :py:class:`~desktop_app.errors.StoreError`: a
    :py:class:`~desktop_app.errors.StorageFaultError` subclass (disk full,
    read-only, locked, I/O error) whose message tells the user what to do.
    A raw ``sqlite3`` error never leaves the store.

    Raises:
        desktop_app.errors.DatabaseDamagedError: The file is not a usable
            database (:py:func:`desktop_app.store.open_store` recovers).
        desktop_app.errors.SchemaTooNewError: A newer app wrote the file
            (read-write only: read-only opens it).
        desktop_app.errors.StorageFaultError: The file cannot be opened
            (read-only, locked, I/O error).
        desktop_app.errors.StoreError: The database cannot be migrated, or
            (read-only) does not exist or needs a migration first.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        backup_dir: str | os.PathLike[str] | None = None,
        keep_backups: int = backup.DEFAULT_KEEP,
        read_only: bool = False,
        busy_timeout: float | None = None,
    ) -> None:
        self._path = Path(path)
        self._read_only = read_only
        self._busy_timeout = (
            default_busy_timeout() if busy_timeout is None else busy_timeout
        )
        self._backup_dir = (
            Path(backup_dir) if backup_dir else backup.backup_dir_for(self._path)
        )
        self._keep_backups = keep_backups
        self._listeners: list[StatementListener] = []
        self._write_lock = threading.Lock()
        self._closed = False
        if read_only:
            self._open_read_only()
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        _make_private(self._path)
        # All writes go through one connection, under a lock. SQLite's
        # data_version on that connection then changes only when *another*
        # connection (another process) commits, so our own saves never look
        # like outside changes.
        try:
            self._write_conn = connect(self._path, self._busy_timeout)
        except sqlite3.Error as e:
            _raise_if_damaged(self._path, e)
            raise self._fault(e) from e
        try:
            try:
                ensure_current(
                    self._write_conn, self._path, self._backup_before_migration
                )
                self._data_version = self._read_data_version()
            except Exception as e:
                _raise_if_damaged(self._path, e)
                if isinstance(e, sqlite3.Error):
                    raise self._fault(e) from e
                raise
        except BaseException:
            self._dispose_write()
            raise
        self._reads = _reads.ReadConnections(
            self._path, self._tracer, self._busy_timeout
        )

    def _open_read_only(self) -> None:
        if not self._path.is_file():
            raise StoreError(f"The configuration database {self._path} does not exist")
        try:
            self._write_conn = connect(self._path, self._busy_timeout, read_only=True)
        except sqlite3.DatabaseError as e:
            _raise_if_damaged(self._path, e)
            raise StoreError(
                f"Cannot read the configuration database {self._path}: {e}"
            ) from e
        try:
            revision = read_schema_revision(self._write_conn)
            if revision != SCHEMA_REVISION and revision in KNOWN_REVISIONS + (None,):
                # An older schema lacks columns the reads name, and
                # upgrading it is a write.
                raise StoreError(
                    f"The configuration database {self._path} has the older "
                    f"schema {revision or '(none)'} and cannot be upgraded "
                    f"read-only; open it once read-write to upgrade it"
                )
            self._data_version = self._read_data_version()
        except sqlite3.DatabaseError as e:
            self._dispose_write()
            _raise_if_damaged(self._path, e)
            raise StoreError(
                f"Cannot read the configuration database {self._path}: {e}"
            ) from e
        except BaseException:
            self._dispose_write()
            raise
        self._reads = _reads.ReadConnections(
            self._path, self._tracer, self._busy_timeout, read_only=True
        )

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def read_only(self) -> bool:
        """Whether the store was opened read-only (every write raises
        :py:class:`~desktop_app.errors.StoreError`); front ends disable
        their write controls when it is."""
        return self._read_only

    @property
    def backup_dir(self) -> Path:
        """The folder holding this database's backups."""
        return self._backup_dir

    @property
    def closed(self) -> bool:
        """Whether :py:meth:`close` was called (a read still running on
        another thread then fails, and nobody is left to tell)."""
        return self._closed

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

    # Instrumentation

    def add_statement_listener(self, callback: StatementListener) -> None:
        """Call ``callback(sql)`` for every statement the store runs from now
        on, on any thread: reads, writes, transaction control, migrations.

        Meant for tests and benchmarks that count statements; a listener
        slows every statement down.
        """
        self._check_open()
        self._listeners.append(callback)
        tracer = self._tracer()
        self._reads.set_trace(tracer)
        with self._write_lock:
            self._write_conn.set_trace_callback(tracer)

    def _tracer(self) -> StatementListener | None:
        return self._trace if self._listeners else None

    def _trace(self, sql: str) -> None:
        for listener in list(self._listeners):
            listener(sql)

    def close(self) -> None:
        """Close all connections. Calling it again does nothing."""
        if self._closed:
            return
        self._closed = True
        self._dispose_write()
        self._reads.close()

    def _dispose_write(self) -> None:
        with self._write_lock:
            self._write_conn.close()

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
        state = "closed" if self._closed else "open"
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
        after: tuple[str, int] | None = None,
    ) -> list[ConfigRecord]:
        """Return records ordered by name (case-insensitive), then id.

        Args:
            integration_id (str | None): Only this integration's configs.
            enabled (bool | None): Only enabled (``True``) or disabled
                (``False``) configs.
            search (str | None): Only configs whose name contains this text,
                ignoring case.
            offset (int): Rows to skip, for paging. Skipping costs a read of
                every skipped row; prefer ``after``.
            limit (int | None): At most this many rows.
            after (tuple[str, int] | None): Keyset paging: only configs
                after this ``(name_key, id)`` position, the
                :py:attr:`ConfigRecord.page_key` of the last record of the
                previous page. Reading a page then costs the same at row
                100,000 as at row 0.

        Returns:
            list[ConfigRecord]: A record whose settings cannot be read is
            included, with empty settings and ``load_error`` set.
        """
        with self._reading() as conn:
            return _reads.list_configs(
                conn, integration_id, enabled, search, offset, limit, after
            )

    def count(
        self,
        integration_id: str | None = None,
        *,
        enabled: bool | None = None,
        search: str | None = None,
    ) -> int:
        """Return how many records :py:meth:`list_configs` would return
        without paging (for lazy list models)."""
        with self._reading() as conn:
            return _reads.count(conn, integration_id, enabled, search)

    def find_configs(self, text: str, *, limit: int = 500) -> list[ConfigRecord]:
        """Return up to ``limit`` records whose name or settings text
        contains ``text``, ignoring case, by name (for a search across
        every integration; secret values must be ruled out by the caller).
        """
        with self._reading() as conn:
            return _reads.find_configs(conn, text, limit)

    def name_taken(
        self, integration_id: str, name: str, except_id: int | None = None
    ) -> bool:
        """Whether a config of the integration other than ``except_id`` is
        named ``name``, ignoring case (an index lookup, whatever the
        number of configs)."""
        with self._reading() as conn:
            return _reads.name_taken(conn, integration_id, name.casefold(), except_id)

    def count_configs(self) -> dict[str, tuple[int, int]]:
        """Return ``{integration_id: (total, enabled)}`` in one query.

        Integrations without configs are absent.
        """
        with self._reading() as conn:
            return _reads.count_configs(conn)

    def get_config(self, config_id: int) -> ConfigRecord:
        """Return one record.

        Raises:
            desktop_app.errors.ConfigNotFoundError: No such id.
        """
        with self._reading() as conn:
            return _reads.get_config(conn, config_id)

    # Writing

    def save_config(self, record: ConfigRecord, *, force: bool = False) -> ConfigRecord:
        """Insert or update a configuration and return it as stored.

        A new record (``id`` is ``None``) gets its id, both timestamps and
        revision 1. An existing one is only written when the stored revision
        still equals ``record.revision`` (unless ``force``), so a stale copy
        (say, a dialog left open while another process saved) cannot
        silently overwrite newer settings.

        Args:
            record (ConfigRecord): What to store.
            force (bool): Overwrite whatever revision is stored.

        Returns:
            ConfigRecord: A new record with the id, timestamps and revision
            now stored.

        Raises:
            desktop_app.errors.StoreError: The settings are not JSON values,
                or the database cannot be written; nothing was written.
            desktop_app.errors.ConfigNotFoundError: The row was deleted.
            desktop_app.errors.ConfigConflictError: The row was saved since
                ``record`` was read.
        """
        settings = dump_settings(record)
        with self._write() as conn:
            return _writes.save_config(conn, record, settings, force)

    def delete_config(self, config_id: int) -> None:
        """Delete a configuration.

        Raises:
            desktop_app.errors.ConfigNotFoundError: No such id.
        """
        with self._write() as conn:
            _writes.delete_config(conn, config_id)

    def restore_config(self, record: ConfigRecord) -> ConfigRecord:
        """Insert a deleted configuration again under its old id.

        Undo of a delete must bring back *the same* configuration: its id is
        how other records (activity, future history) refer to it, so a new
        id would orphan them. ``time_added`` is kept; ``last_updated`` and
        ``revision`` move forward, as for any save.

        Returns:
            ConfigRecord: The record as stored again.

        Raises:
            desktop_app.errors.StoreError: It has no id, its id is in use
                again, or its settings are not JSON values.
        """
        if record.id is None:
            raise StoreError("Only a configuration that was stored can be restored")
        settings = dump_settings(record)
        with self._write() as conn:
            return _writes.restore_config(conn, record, settings)

    def bulk_insert(self, records: Iterable[ConfigRecord]) -> InsertedBatch:
        """Insert many new configurations in one transaction.

        Much faster than :py:meth:`save_config` in a loop: one durable
        commit instead of one per record.

        Args:
            records (iterable of ConfigRecord): New records (``id`` is
                ``None``), read once.

        Returns:
            InsertedBatch: The ids they got, in order, and their time stamp;
            each has revision 1.

        Raises:
            desktop_app.errors.StoreError: A record already has an id, or its
                settings are not JSON values; nothing was written.
        """
        with self._write() as conn:
            return _writes.bulk_insert(conn, records)

    def update_and_insert(
        self,
        updates: Iterable[ConfigRecord],
        inserts: Iterable[ConfigRecord],
    ) -> tuple[list[ConfigRecord], InsertedBatch]:
        """Update stored configurations and insert new ones, all in one
        transaction: an import that replaces some configurations and adds
        others is saved whole or not at all.

        Each update is written only if the stored revision still equals the
        record's (no ``force``): a configuration changed or deleted since it
        was read fails the whole write, so an import never overwrites an
        edit it did not see.

        Args:
            updates (iterable of ConfigRecord): Stored records (with ``id``
                and the ``revision`` they were read at) and their new values.
            inserts (iterable of ConfigRecord): New records (``id`` is
                ``None``), read once, as for :py:meth:`bulk_insert`.

        Returns:
            tuple: The updated records as stored (new revisions), in order,
            and the :py:class:`InsertedBatch` of the new ones.

        Raises:
            desktop_app.errors.ConfigNotFoundError: A configuration to update
                was deleted; nothing was written.
            desktop_app.errors.ConfigConflictError: One was saved since it
                was read; nothing was written.
            desktop_app.errors.StoreError: A record has the wrong kind of id,
                or its settings are not JSON values; nothing was written.
        """
        with self._write() as conn:
            updated = _writes.bulk_update(conn, updates)
            return updated, _writes.bulk_insert(conn, inserts)

    # Deliveries

    def add_deliveries(
        self,
        rows: Sequence[Delivery],
        keep: int,
        prune: Iterable[int] | None = None,
        extended: Sequence[tuple[Delivery, int]] = (),
    ) -> list[Delivery]:
        """Store deliveries in one transaction, update each configuration's
        status, and keep only the newest ``keep`` rows of the configurations
        in ``prune`` (default: all in ``rows``).

        Args:
            extended (sequence): ``(row, added)``: stored rows standing for
                runs of identical successes, with their new counts (see
                ``Delivery.repeats``), and how many deliveries each adds.

        Returns:
            list[Delivery]: The rows with their new ids, then the extended
            rows still stored.
        """
        with self._write() as conn:
            return _deliveries.add_deliveries(conn, rows, keep, prune, extended)

    def list_deliveries(
        self,
        config_id: int | None = None,
        *,
        failed_only: bool = False,
        limit: int = 100,
        before: int | None = None,
    ) -> list[Delivery]:
        """Stored deliveries, newest first."""
        with self._reading() as conn:
            return _deliveries.list_deliveries(
                conn, config_id, failed_only, limit, before
            )

    def deliveries_since(self, after: int, limit: int = 1000) -> list[Delivery]:
        """Deliveries with an id above ``after``, oldest first."""
        with self._reading() as conn:
            return _deliveries.list_since(conn, after, limit)

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        """One stored delivery, or ``None``."""
        with self._reading() as conn:
            return _deliveries.get_delivery(conn, delivery_id)

    def delivery_statuses(
        self, config_ids: Iterable[int] | None = None
    ) -> dict[int, DeliveryStatus]:
        """Status per configuration id; configurations that never ran are
        missing."""
        with self._reading() as conn:
            return _deliveries.delivery_statuses(conn, config_ids)

    def last_delivery_id(self) -> int:
        """The newest stored delivery's id (0 when none)."""
        with self._reading() as conn:
            return _deliveries.last_delivery_id(conn)

    def configs_change_counter(self) -> int:
        """A number that changes whenever any process changes ``configs``."""
        with self._reading() as conn:
            return _deliveries.configs_counter(conn)

    # Other processes

    def has_external_changes(self) -> bool:
        """Return whether another connection (another process, another
        store on the same file) committed since the last call.

        This store's own saves do not count. Cheap (no table access) and
        thread-safe; meant to be polled on a timer.
        """
        self._check_open()
        with self._write_lock:
            try:
                version = self._read_data_version()
            except sqlite3.Error as e:
                raise self._fault(e) from e
            changed = version != self._data_version
            self._data_version = version
        return changed

    def _read_data_version(self) -> int:
        return int(self._write_conn.execute("PRAGMA data_version").fetchall()[0][0])

    # Helpers

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"The configuration store {self._path} is closed")

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """Run a read on this thread's connection; a database error becomes
        a :py:class:`StoreError` (see :py:func:`store_error`)."""
        self._check_open()
        try:
            yield self._reads.get()
        except sqlite3.Error as e:
            raise self._fault(e) from e

    def _fault(self, error: sqlite3.Error) -> StoreError:
        return store_error(self._path, error, self._busy_timeout)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one write transaction on the write connection.

        ``BEGIN IMMEDIATE`` takes the write lock up front: a deferred
        transaction that reads first and writes later can fail with
        ``SQLITE_BUSY`` without waiting, when another process got the lock
        in between. A database error becomes the :py:class:`StoreError`
        that says what happened and what to do (:py:func:`store_error`),
        built without the statement or its parameters, so no setting (or
        secret) ends up in it.
        """
        self._check_open()
        if self._read_only:
            raise StoreError(
                f"The configuration database {self._path} is open read-only; "
                f"nothing can be added, changed or deleted"
            )
        with self._write_lock:
            conn = self._write_conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise self._fault(e) from e
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as e:
                _roll_back(conn)
                if isinstance(e, sqlite3.Error):
                    raise self._fault(e) from e
                raise


def _roll_back(conn: sqlite3.Connection) -> None:
    """Roll back what a failed write began. A failing ROLLBACK (the disk
    that failed the write fails it too) must not hide the first error;
    SQLite rolls the transaction back itself when the connection next
    reads, or closes."""
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        logger.warning("Rolling back a failed write failed too", exc_info=True)


def _raise_if_damaged(path: Path, error: Exception) -> None:
    """Raise :py:class:`DatabaseDamagedError` when ``error``, met while
    opening ``path``, means the file is damaged."""
    if isinstance(error, sqlite3.DatabaseError) and backup.is_damage_error(error):
        raise DatabaseDamagedError(path, backup.describe_damage(error)) from error


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
