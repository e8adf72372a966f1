"""Opening the store so that the app always starts, even on a damaged file.

A configuration database can be damaged by a disk error, a sync tool, or a
crash of the machine (not of the app: SQLite survives those). None of these
may keep the app from starting, and none may cost the user the damaged
file: it is moved aside, never deleted, and the most recent backup that passes SQLite's
integrity check takes its place (else the app starts empty). The
:py:class:`RecoveryReport` says what happened in words a user understands;
the window and the command line show its ``message``.

A database written by a newer version of the app is *not* damage: it is
never moved or replaced (that would fork the user's data between the two
versions); :py:class:`~desktop_app.errors.SchemaTooNewError` reaches the
front ends, which offer to open it read-only.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.errors import DatabaseDamagedError, SchemaTooNewError, StoreError
from desktop_app.store import _wal, backup
from desktop_app.store._store import ConfigStore

__all__ = [
    "RecoveryReport",
    "copy_aside",
    "make_routine_backup",
    "move_aside",
    "open_store",
]

logger = logging.getLogger(__name__)

_STAMP = "%Y%m%dT%H%M%SZ"

#: Marks records the front ends show as a notice anyway (see
#: :py:data:`desktop_app._startup.NOTICE_ATTR`); a literal, because the store
#: must not import the start-up module that imports it.
_NOTICE_EXTRA = {"desktop_app_notice": True}


@dataclass(frozen=True)
class RecoveryReport:
    """What :py:func:`open_store` did about a damaged database.

    Attributes:
        damaged_path (pathlib.Path): Where the damaged file now is.
        reason (str): What was wrong with it, in plain words.
        restored_from (pathlib.Path | None): The backup now in use, or
            ``None`` when the app started with an empty database.
        restored_taken (datetime | None): When that backup was taken (UTC).
    """

    damaged_path: Path
    reason: str
    restored_from: Path | None = None
    restored_taken: datetime | None = None
    #: The damage was in the ``-wal`` (the log of recent changes); the
    #: database and its log were *copied* to ``damaged_path``, and what
    #: SQLite could read of them stayed in use.
    wal: bool = False
    #: How many saved changes in the log could not be read, when known.
    lost_commits: int | None = None

    @property
    def message(self) -> str:
        """A paragraph for the user: what happened and where their file is."""
        if self.wal:
            return self._wal_message()
        head = (
            f"Your configuration database was damaged ({self.reason}). "
            f"It was moved to {self.damaged_path}"
        )
        if self.restored_from is None or self.restored_taken is None:
            return (
                f"{head} and the app started with an empty database. "
                f"No usable backup was found."
            )
        when = self.restored_taken.astimezone().strftime("%Y-%m-%d %H:%M")
        return (
            f"{head} and your configurations were restored from the backup "
            f"of {when}. Changes made after that time are lost."
        )

    def _wal_message(self) -> str:
        name = self.damaged_path.name.split(".damaged-")[0]
        if self.lost_commits:
            lost = (
                f"{self.lost_commits} saved change"
                f"{'s' if self.lost_commits != 1 else ''} in it could not be read"
            )
        else:
            lost = "the changes saved last could not be read"
        head = (
            f"The log of recent changes to your configuration database "
            f"({name}-wal) was damaged ({self.reason}): {lost}. The database "
            f"and its log were kept as {self.damaged_path} and "
            f"{self.damaged_path}-wal"
        )
        if self.restored_from is None or self.restored_taken is None:
            return f"{head}; the app goes on with what could be read."
        when = self.restored_taken.astimezone().strftime("%Y-%m-%d %H:%M")
        return (
            f"{head}, and your configurations were restored from the backup "
            f"of {when}, which held more of them."
        )


def open_store(
    path: str | os.PathLike[str],
    *,
    backups: int = backup.DEFAULT_KEEP,
    backup_dir: str | os.PathLike[str] | None = None,
    read_only: bool = False,
    notices: list[str] | None = None,
    routine_backup: bool = True,
) -> tuple[ConfigStore, RecoveryReport | None]:
    """Open the configuration store, recovering from a damaged file.

    Also makes the routine backup, at most once a day (when the newest
    backup is a day old or more), unless ``routine_backup`` is false: then
    the caller makes it later with :py:func:`make_routine_backup` (the
    window does, off the UI thread, once it is on screen). Migrations make
    their own backup first. A routine backup that fails (``backups/`` not
    writable, disk full) is skipped with a notice: it must never keep the
    app from starting.

    A database the user cannot write to (the file, or its folder, where
    SQLite keeps its ``-wal`` and ``-shm``) is opened read-only, with a
    notice, rather than not at all.

    Args:
        path (str | os.PathLike): The database file.
        backups (int): How many backups to keep; ``0`` turns routine backups
            off (a migration still makes one and keeps it).
        backup_dir (str | os.PathLike, optional): Defaults to ``backups/``
            next to the database.
        read_only (bool): Open it read-only whatever its permissions (the
            user asked to, say for a database a newer app wrote). Nothing is
            recovered, migrated or backed up then: that would be a write.
        notices (list[str], optional): Plain-words paragraphs for the user
            are appended here: the database was opened read-only, the
            routine backup was skipped.

    Returns:
        tuple: The open :py:class:`~desktop_app.store.ConfigStore`, and a
        :py:class:`RecoveryReport` when the file was damaged, else ``None``.

    Raises:
        desktop_app.errors.SchemaTooNewError: A newer version of the app
            wrote the file (read-write only); it is left untouched.
        desktop_app.errors.StoreError: The database cannot be opened for a
            reason that is not damage (locked, unreadable folder, a folder
            where the file should be), or even an empty database cannot be
            created.
    """
    path = Path(path)
    told = notices if notices is not None else []
    bdir = Path(backup_dir) if backup_dir else backup.backup_dir_for(path)
    keep = max(backups, 1)
    if path.is_dir():
        raise StoreError(
            f"The configuration database {path} is a folder, not a file; "
            f"move it away or rename it and start again"
        )
    if read_only:
        return ConfigStore(path, read_only=True), None
    why_read_only = _not_writable(path)
    if why_read_only is not None:
        return _open_read_only(path, why_read_only, told), None
    # Before anything opens the file: the first connection rebuilds the
    # wal-index and forgets how many frames the last writer committed.
    mark = _wal.read_index_mark(path)
    # Read-only checks first: a read-write connection to a damaged file
    # deletes its -wal when it closes.
    reason = _damage_of(path, bdir)
    wal_report = _keep_damaged_wal(path, mark) if reason is None else None
    if reason is None:
        try:
            store = ConfigStore(path, backup_dir=bdir, keep_backups=keep)
        except DatabaseDamagedError as e:
            reason = e.reason
        except (sqlite3.Error, OSError) as e:
            if _is_read_only_error(e) and path.is_file():
                return _open_read_only(path, str(e), told), None
            raise StoreError(
                f"Cannot open the configuration database {path}: {_plain(e)}"
            ) from e
        else:
            if wal_report is not None:
                store, wal_report = _restore_if_backup_holds_more(
                    store, wal_report, bdir, keep
                )
                logger.warning("%s", wal_report.message, extra=_NOTICE_EXTRA)
            if routine_backup and backups > 0:
                message = make_routine_backup(store)
                if message is not None:
                    told.append(message)
            return store, wal_report

    # The report's message tells the user; these records are for log files.
    logger.error("The database %s is damaged: %s", path, reason, extra=_NOTICE_EXTRA)
    damaged = move_aside(path)
    for candidate in backup.list_backups(bdir):
        restored = _try_restore(path, candidate, bdir, keep)
        if restored is not None:
            report = RecoveryReport(damaged, reason, candidate.path, candidate.taken)
            logger.warning("%s", report.message, extra=_NOTICE_EXTRA)
            return restored, report
    store = ConfigStore(path, backup_dir=bdir, keep_backups=keep)
    report = RecoveryReport(damaged, reason)
    logger.warning("%s", report.message, extra=_NOTICE_EXTRA)
    return store, report


def _keep_damaged_wal(path: Path, mark: _wal.IndexMark | None) -> RecoveryReport | None:
    """Copy the database and a damaged ``-wal`` aside before SQLite reads
    past the damage (and deletes the log on close).

    The log is read under the database's write lock, so that another
    process's commit in progress never looks like damage. A database that
    cannot be locked or opened is left to the checks that follow.

    Only for a file :py:func:`_damage_of` found sound: the read-write
    connection taking the lock deletes the log of a damaged file on close.
    """
    wal = _wal.wal_path(path)
    if not path.is_file() or not wal.is_file():
        return None
    if path.stat().st_size == 0 or wal.stat().st_size == 0:
        return None  # an emptied database is damage of its own (_damage_of)
    with open(path, "rb") as f:
        if f.read(16) != b"SQLite format 3\0":
            return None
    try:
        conn = sqlite3.connect(path, timeout=5)
    except sqlite3.Error:
        return None
    try:
        conn.isolation_level = None
        conn.execute("BEGIN IMMEDIATE")
        damage = _wal.inspect_wal(path, mark)
        if damage is None:
            return None
        kept = copy_aside(path)
    except (sqlite3.Error, OSError) as e:
        logger.warning("Could not check the log of %s: %s", path, e)
        return None
    finally:
        conn.close()  # rolls back
    logger.error(
        "The log of %s is damaged (%s); kept a copy as %s",
        path,
        damage.reason,
        kept,
        extra=_NOTICE_EXTRA,
    )
    return RecoveryReport(
        kept, damage.reason, wal=True, lost_commits=damage.lost_commits
    )


def _restore_if_backup_holds_more(
    store: ConfigStore, report: RecoveryReport, backup_dir: Path, keep: int
) -> tuple[ConfigStore, RecoveryReport]:
    """After a damaged log, go back to the newest backup when it holds
    everything the database still holds and more.

    "More" is measured per configuration: one the database lacks, or a
    higher revision of it. When each holds something the other lacks, the
    database stays: a restore would lose what was saved after the backup.
    """
    backups = backup.list_backups(backup_dir)
    if not backups:
        return store, report
    newest = backups[0]
    try:
        theirs = _revisions(newest.path)
    except sqlite3.Error as e:
        logger.warning("Cannot compare with backup %s: %s", newest.path, e)
        return store, report
    ours = {r.id: r.revision for r in store.list_configs() if r.id is not None}
    more = any(rev > ours.get(cid, 0) for cid, rev in theirs.items())
    less = any(rev > theirs.get(cid, 0) for cid, rev in ours.items())
    if not more or less:
        return store, report
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{store.path}{suffix}").unlink(missing_ok=True)
    restored = _try_restore(store.path, newest, backup_dir, keep)
    if restored is None:
        reopened = ConfigStore(store.path, backup_dir=backup_dir, keep_backups=keep)
        return reopened, report
    return restored, replace(
        report, restored_from=newest.path, restored_taken=newest.taken
    )


def _revisions(database: Path) -> dict[int, int]:
    uri = database.resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        rows = conn.execute("SELECT id, revision FROM configs").fetchall()
    finally:
        conn.close()
    return {int(cid): int(rev) for cid, rev in rows}


def copy_aside(path: Path, now: datetime | None = None) -> Path:
    """Copy a database and its ``-wal``/``-shm`` to ``X.damaged-T`` names.

    For a damaged log: the database itself stays in use (SQLite reads what
    it can), but the files as they were must survive SQLite deleting the
    log. Copies are private (0600), like the database.

    Returns:
        pathlib.Path: The copy of the main file.
    """
    target = _aside_name(path, now)
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            copy = Path(f"{target}{suffix}")
            backup.create_private_file(copy, truncate=True)
            shutil.copyfile(source, copy)
    return target


def _plain(error: BaseException) -> str:
    """An OS or SQLite error in words, without Python's ``[Errno 13]``."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error)


def _not_writable(path: Path) -> str | None:
    """Why the user cannot write ``path`` (an existing database), or ``None``.

    The folder counts: SQLite creates the ``-wal`` and ``-shm`` files next to
    the database, so a writable file in a read-only folder cannot be
    written either.
    """
    if not path.is_file():
        return None
    if not os.access(path, os.W_OK):
        return "the file is read-only for you"
    if not os.access(path.parent, os.W_OK):
        return f"its folder {path.parent} is read-only for you"
    return None


def _is_read_only_error(error: BaseException) -> bool:
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_READONLY"):
        return True
    return isinstance(error, PermissionError)


def _open_read_only(path: Path, why: str, notices: list[str]) -> ConfigStore:
    store = ConfigStore(path, read_only=True)
    message = (
        f"Your configuration database {path} cannot be written to ({why}), "
        f"so it was opened read-only: you can look at your configurations, "
        f"but not add, change or delete them. Fix its permissions and start "
        f"the app again to make changes."
    )
    logger.warning("%s", message, extra=_NOTICE_EXTRA)
    notices.append(message)
    return store


def make_routine_backup(store: ConfigStore) -> str | None:
    """Make the daily backup if it is due (safe on any thread).

    Returns:
        str | None: The notice to show when it could not be made (a failure
        is a notice, never a failed start), else ``None``.
    """
    if store.read_only or not backup.backup_due(store.backup_dir):
        return None
    try:
        store.backup()
    except (OSError, sqlite3.Error) as e:
        message = (
            f"Today's backup of your configurations was skipped: cannot "
            f"write to {store.backup_dir} ({_plain(e)}). Free some disk space "
            f"or fix the folder's permissions; the app tries again at its "
            f"next start."
        )
        logger.warning("%s", message, extra=_NOTICE_EXTRA)
        return message
    return None


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a damaged database (and its -wal/-shm) out of the way.

    The files keep their pairing (``X.damaged-T`` with ``X.damaged-T-wal``)
    so that SQLite tools opening the moved file still see its log.

    Returns:
        pathlib.Path: The new name of the main file.
    """
    target = _aside_name(path, now)
    for suffix in ("-wal", "-shm", ""):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, f"{target}{suffix}")
    return target


def _aside_name(path: Path, now: datetime | None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    return target


def _damage_of(path: Path, backup_dir: Path) -> str | None:
    if not path.exists():
        return None
    if path.stat().st_size == 0:
        # SQLite treats an empty file as an empty database. With backups
        # around, or a log of changes beside it, an emptied file is far more
        # likely a lost database; SQLite would read the log's pages into an
        # empty file and then delete the log.
        wal = _wal.wal_path(path)
        if wal.is_file() and wal.stat().st_size > 0:
            return "the file is empty, but its log of recent changes is not"
        if backup.list_backups(backup_dir):
            return "the file is empty"
        return None
    try:
        return backup.check_database(path, quick=True)
    except sqlite3.Error as e:
        # Locked or unreadable says nothing about the contents; opening the
        # store will tell damage from a passing problem, and say it to the
        # user (a warning here would say it twice).
        logger.info("Could not check %s before opening it: %s", path, e)
        return None


def _try_restore(
    path: Path, candidate: backup.Backup, backup_dir: Path, keep: int
) -> ConfigStore | None:
    problem = backup.check_database(candidate.path)
    if problem is not None:
        logger.error("Backup %s is not usable: %s", candidate.path, problem)
        return None
    partial = path.with_name(f".{path.name}.restoring")
    backup.create_private_file(partial, truncate=True)
    shutil.copyfile(candidate.path, partial)
    os.replace(partial, path)
    try:
        store = ConfigStore(path, backup_dir=backup_dir, keep_backups=keep)
    except (DatabaseDamagedError, SchemaTooNewError) as e:
        # For example a backup made by a newer app; the backup itself stays.
        logger.error("Backup %s cannot be used: %s", candidate.path, e)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return None
    logger.warning("Restored %s from backup %s", path, candidate.path)
    return store
