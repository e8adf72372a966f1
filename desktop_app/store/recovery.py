"""Opening the store so that the app always starts, even on a damaged file.

A configuration database can be damaged by a disk error, a sync tool, a
crash of the machine (not of the app: SQLite survives those), or a newer
version of the app that the user ran once. None of these may keep the app
from starting, and none may cost the user the damaged file: it is moved
aside, never deleted, and the most recent backup that passes SQLite's
integrity check takes its place (else the app starts empty). The
:py:class:`RecoveryReport` says what happened in words a user understands;
the window and the command line show its ``message``.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.errors import DatabaseDamagedError
from desktop_app.store import backup
from desktop_app.store._store import ConfigStore

__all__ = ["RecoveryReport", "move_aside", "open_store"]

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

    @property
    def message(self) -> str:
        """A paragraph for the user: what happened and where their file is."""
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


def open_store(
    path: str | os.PathLike[str],
    *,
    backups: int = backup.DEFAULT_KEEP,
    backup_dir: str | os.PathLike[str] | None = None,
) -> tuple[ConfigStore, RecoveryReport | None]:
    """Open the configuration store, recovering from a damaged file.

    Also makes the routine backup, at most once a day (when the newest
    backup is a day old or more). Migrations make their own backup first.

    Args:
        path (str | os.PathLike): The database file.
        backups (int): How many backups to keep; ``0`` turns routine backups
            off (a migration still makes one and keeps it).
        backup_dir (str | os.PathLike, optional): Defaults to ``backups/``
            next to the database.

    Returns:
        tuple: The open :py:class:`~desktop_app.store.ConfigStore`, and a
        :py:class:`RecoveryReport` when the file was damaged, else ``None``.

    Raises:
        desktop_app.errors.StoreError: The database cannot be opened for a
            reason that is not damage (locked, unreadable folder), or even an
            empty database cannot be created.
    """
    path = Path(path)
    bdir = Path(backup_dir) if backup_dir else backup.backup_dir_for(path)
    keep = max(backups, 1)
    reason = _damage_of(path, bdir)
    if reason is None:
        try:
            store = ConfigStore(path, backup_dir=bdir, keep_backups=keep)
        except DatabaseDamagedError as e:
            reason = e.reason
        else:
            if backups > 0 and backup.backup_due(bdir):
                store.backup()
            return store, None

    # The report's message tells the user; these records are for log files.
    logger.error(
        "The database %s is damaged: %s", path, reason, extra=_NOTICE_EXTRA
    )
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


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a damaged database (and its -wal/-shm) out of the way.

    The files keep their pairing (``X.damaged-T`` with ``X.damaged-T-wal``)
    so that SQLite tools opening the moved file still see its log.

    Returns:
        pathlib.Path: The new name of the main file.
    """
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in ("-wal", "-shm", ""):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, f"{target}{suffix}")
    return target


def _damage_of(path: Path, backup_dir: Path) -> str | None:
    if not path.exists():
        return None
    if path.stat().st_size == 0:
        # SQLite treats an empty file as an empty database. With backups
        # around, an emptied file is far more likely a lost database.
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
    except DatabaseDamagedError as e:
        # For example a backup made by a newer app; the backup itself stays.
        logger.error("Backup %s cannot be used: %s", candidate.path, e.reason)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return None
    logger.warning("Restored %s from backup %s", path, candidate.path)
    return store
