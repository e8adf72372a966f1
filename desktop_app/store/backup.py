"""Backups of the configuration database, made with SQLite's online backup API.

A copy taken with ``sqlite3.Connection.backup`` is a consistent snapshot
even while other connections (another window, the command line) write to
the file, which a plain file copy of a WAL database is not. Backups live in
``<data dir>/backups/configs-<UTC timestamp>.sqlite3``, are private to the
user (0600), and only the newest few are kept.

A backup is first written under a temporary name and renamed when
complete, so a crash while backing up never leaves a half file that looks
like a backup.

A deleted configuration does not live on in the backups. Its keyring entry
goes when it is deleted, but without a keyring its secret is stored in
clear in its row, and every backup taken before the deletion holds that
row. So each new backup is compacted (``VACUUM``: freed pages of deleted
rows are not copied along), and then every older backup loses the rows of
configurations that are no longer in it (matched by id and time added, as
ids can be reused), again compacted, rewritten under a temporary name and
renamed. A backup therefore holds the configurations that existed when it
was taken *and still exist*; restoring one never brings back a deleted
configuration or its secret.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from desktop_app.store._sqlite import default_busy_timeout

__all__ = [
    "BACKUP_DIR_NAME",
    "DEFAULT_KEEP",
    "Backup",
    "backup_dir_for",
    "backup_due",
    "check_database",
    "list_backups",
    "make_backup",
    "prune_deleted_configs",
]

logger = logging.getLogger(__name__)

#: Folder next to the database that holds the backups.
BACKUP_DIR_NAME = "backups"

#: How many backups are kept unless told otherwise.
DEFAULT_KEEP = 5

#: How often :py:func:`desktop_app.store.open_store` makes a routine backup.
BACKUP_INTERVAL = timedelta(days=1)

_PREFIX = "configs-"
_SUFFIX = ".sqlite3"
_STAMP = "%Y%m%dT%H%M%S%fZ"
#: How :py:data:`_STAMP` is read back. Not ``datetime.strptime``: its first
#: use imports ``_strptime`` and compiles its locale regexes, on every start
#: (``open_store`` checks whether a backup is due).
_STAMP_RE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{6})Z")

#: SQLite error names that mean "this file is not (or no longer) a usable
#: database", as opposed to "busy" or "cannot open", which must never get a
#: healthy file moved aside.
_DAMAGE_ERRORS = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


class Backup(NamedTuple):
    """One backup file."""

    #: The file.
    path: Path
    #: When it was taken (UTC).
    taken: datetime


def backup_dir_for(database: Path) -> Path:
    """Return the backups folder of the database file ``database``."""
    return Path(database).parent / BACKUP_DIR_NAME


def list_backups(backup_dir: Path) -> list[Backup]:
    """Return the backups in ``backup_dir``, newest first.

    Files whose names do not parse are ignored (and never rotated away), so a
    file the user put there by hand is safe. A folder that cannot be read
    (another user's) holds no backups as far as the app can tell: that is
    logged, and the routine backup that follows fails with a notice,
    instead of the app failing to start.
    """
    backups = []
    try:
        entries = list(Path(backup_dir).iterdir())
    except FileNotFoundError:
        return []
    except OSError as e:
        logger.warning("Cannot read the backups folder %s: %s", backup_dir, e.strerror)
        return []
    for path in entries:
        name = path.name
        if not (name.startswith(_PREFIX) and name.endswith(_SUFFIX)):
            continue
        stamp = name[len(_PREFIX) : -len(_SUFFIX)]
        taken = _parse_stamp(stamp)
        if taken is None:
            continue
        backups.append(Backup(path, taken))
    backups.sort(key=lambda b: b.taken, reverse=True)
    return backups


def _parse_stamp(stamp: str) -> datetime | None:
    """Read a backup name's time (as ``_STAMP`` wrote it), or ``None``."""
    match = _STAMP_RE.fullmatch(stamp)
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second, micro = map(int, match.groups())
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except ValueError:  # digits, but no such date (month 13, ...)
        return None


def backup_due(
    backup_dir: Path, now: datetime | None = None, interval: timedelta = BACKUP_INTERVAL
) -> bool:
    """Return whether the newest backup is older than ``interval`` (a day).

    A backup dated in the future (the clock was changed) does not block
    backups forever: it counts as due.
    """
    backups = list_backups(backup_dir)
    if not backups:
        return True
    now = now or datetime.now(UTC)
    age = now - backups[0].taken
    return age >= interval or age < timedelta(0)


def make_backup(
    database: Path,
    backup_dir: Path | None = None,
    *,
    keep: int = DEFAULT_KEEP,
    now: datetime | None = None,
) -> Path:
    """Copy ``database`` into the backups folder and drop the oldest copies.

    Args:
        database (pathlib.Path): The live database file (may be in use).
        backup_dir (pathlib.Path, optional): Where backups go; defaults to
            ``backups/`` next to the database.
        keep (int): How many backups to keep, this one included.
        now (datetime, optional): The time to name it by (tests).

    Returns:
        pathlib.Path: The new backup file.
    """
    database = Path(database)
    backup_dir = Path(backup_dir) if backup_dir else backup_dir_for(database)
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = now or datetime.now(UTC)
    target = backup_dir / f"{_PREFIX}{now.astimezone(UTC).strftime(_STAMP)}{_SUFFIX}"
    _write_copy(sqlite3.connect(database, timeout=5), target, _self_contained)
    logger.info("Backed up %s to %s", database, target)
    _rotate(backup_dir, keep)
    prune_deleted_configs(backup_dir, target)
    return target


def prune_deleted_configs(backup_dir: Path, current: Path) -> None:
    """Remove, from every backup in ``backup_dir`` other than ``current``,
    the configurations ``current`` no longer has.

    A configuration is the same in two files when its id and the time it
    was added are the same (a deleted configuration's id can be given to a
    new one). A backup that SQLite reports as damaged cannot restore
    anything and may still hold a deleted secret: it is removed. One that
    cannot be rewritten for another reason (disk full, locked) is kept as
    it is, with a warning, and tried again at the next backup.

    Args:
        backup_dir (pathlib.Path): The backups folder.
        current (pathlib.Path): The backup just made: what still exists.
    """
    try:
        keep = _config_keys(Path(current))
    except sqlite3.Error as e:  # the new backup is fine; pruning waits
        logger.warning("Cannot read the backup %s: %s", current, e)
        return
    for old in list_backups(backup_dir):
        if old.path == Path(current):
            continue
        try:
            _prune_backup(old.path, keep)
        except sqlite3.Error as e:
            if is_damage_error(e):
                logger.warning(
                    "Removing the damaged backup %s: %s", old.path, describe_damage(e)
                )
                old.path.unlink(missing_ok=True)
            else:
                logger.warning(
                    "Cannot remove deleted configurations from the backup %s: %s",
                    old.path,
                    e,
                )
        except OSError as e:
            logger.warning(
                "Cannot remove deleted configurations from the backup %s: %s",
                old.path,
                e.strerror or e,
            )


_KEY_QUERY = "SELECT id, time_added FROM configs"


def _config_keys(path: Path) -> set[tuple[object, object]]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return set(conn.execute(_KEY_QUERY))
    finally:
        conn.close()


def _prune_backup(path: Path, keep: set[tuple[object, object]]) -> None:
    """Rewrite the backup ``path`` without the rows whose key is not in
    ``keep``; leave it untouched when it has none."""
    gone = _config_keys(path) - keep
    if not gone:
        return

    def delete_gone(dest: sqlite3.Connection) -> None:
        with dest:
            dest.executemany(
                "DELETE FROM configs WHERE id = ? AND time_added IS ?", list(gone)
            )

    source = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    _write_copy(source, path, delete_gone)
    logger.info(
        "Removed %d deleted configuration(s) from the backup %s", len(gone), path
    )


def _self_contained(dest: sqlite3.Connection) -> None:
    # A backup is one self-contained file: no -wal beside it.
    dest.execute("PRAGMA journal_mode=DELETE")


def _write_copy(
    source: sqlite3.Connection,
    target: Path,
    change: Callable[[sqlite3.Connection], None],
) -> None:
    """Copy the database ``source`` is connected to into ``target``: SQLite's
    online backup into a private partial file, ``change`` applied to the
    copy, ``VACUUM`` (free pages may still hold deleted rows, and their
    clear secrets), synced, then renamed over ``target``. Closes ``source``.
    """
    partial = target.with_name(f".{target.name}.partial")
    try:
        try:
            create_private_file(partial, truncate=True)
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
                change(dest)
                dest.execute("VACUUM")
            finally:
                dest.close()
        finally:
            source.close()
        _fsync(partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def check_database(path: Path, *, quick: bool = False) -> str | None:
    """Run SQLite's integrity check on ``path``.

    Args:
        path (pathlib.Path): An existing database file.
        quick (bool): Use ``quick_check`` (no index cross-checks), fast
            enough for every start.

    Returns:
        str | None: ``None`` when the file is a sound database, else what is
        wrong, in plain words.

    Raises:
        sqlite3.Error: The file could not be checked for a reason that says
            nothing about its contents (locked, unreadable).
    """
    pragma = "quick_check" if quick else "integrity_check"
    # Read-only: a read-write connection to a damaged file deletes its -wal
    # and -shm when it closes, and those may hold the latest commits.
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=default_busy_timeout())
        try:
            rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        if is_damage_error(e):
            return describe_damage(e)
        raise
    if rows == ["ok"]:
        return None
    return "SQLite's integrity check failed: " + "; ".join(map(str, rows[:3]))


def is_damage_error(error: BaseException) -> bool:
    """Whether a sqlite3 error means the file's contents are damaged."""
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(_DAMAGE_ERRORS)


def describe_damage(error: BaseException) -> str:
    """Plain words for a damage error (SQLite's own text is terse)."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_NOTADB"):
        return "the file is not a SQLite database"
    return f"the file is corrupt: {error}"


def create_private_file(path: Path, *, truncate: bool = False) -> None:
    """Create ``path`` readable and writable by its owner only (0600)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if truncate else 0)
    os.close(os.open(path, flags, 0o600))
    os.chmod(path, 0o600)


def _rotate(backup_dir: Path, keep: int) -> None:
    for old in list_backups(backup_dir)[max(keep, 1) :]:
        logger.info("Removing old backup %s", old.path)
        old.path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
