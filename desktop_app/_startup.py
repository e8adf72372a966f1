"""Opening a data folder the way both front ends need it.

The window and the command line must survive the same problems on start
(a damaged database, a data folder others can read) and tell the user the
same thing about them, each in its own way: the command line on stderr, the
window in a banner. :py:func:`open_app_store` does the opening once, here,
without Qt, and returns what to tell as :py:class:`StartupNotice` objects;
the front ends only choose how to show them.

Log records about the same problems are marked with :py:data:`NOTICE_ATTR`
so a handler that talks to the user (the command line's stderr) can skip
them instead of saying everything twice; log files still get them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.activity import SecretScrubbingFilter

if TYPE_CHECKING:
    from desktop_app._paths import DataPaths
    from desktop_app.store import ConfigStore

__all__ = [
    "NOTICE_ATTR",
    "NOTICE_EXTRA",
    "StartupNotice",
    "install_secret_scrubbing",
    "open_app_store",
]

#: Attribute set on log records whose text the user is shown anyway.
NOTICE_ATTR = "desktop_app_notice"

#: ``extra=`` for :py:meth:`logging.Logger.warning` calls of such records.
NOTICE_EXTRA = {NOTICE_ATTR: True}


@dataclass(frozen=True)
class StartupNotice:
    """Something the user must hear about when the app starts.

    Attributes:
        text (str): One paragraph in plain words.
        folder (pathlib.Path | None): A folder worth opening to act on it
            (where a damaged database was moved), if any.
    """

    text: str
    folder: Path | None = None

    def __str__(self) -> str:
        return self.text


def open_app_store(
    paths: DataPaths, *, read_only: bool = False, defer_backup: bool = False
) -> tuple[ConfigStore, list[StartupNotice]]:
    """Create the data folder if needed and open its configuration store.

    A damaged database never stops the start: :py:func:`desktop_app.store.
    open_store` moves it aside and restores a backup (or starts empty), and
    the notice returned says so, so that no front end can forget to. Nor
    does a database the user cannot write (it opens read-only, see
    :py:attr:`ConfigStore.read_only`) or a backup that cannot be made.

    Args:
        paths (DataPaths): The data folder.
        read_only (bool): Open the database read-only (the user asked to).
        defer_backup (bool): Leave the daily backup to the caller
            (:py:func:`desktop_app.store.recovery.make_routine_backup`), so
            that it does not delay the first frame of the window.

    Returns:
        tuple: The open store, and the notices to show (permission warnings
        about the folders first, then what happened to a damaged database).

    Raises:
        desktop_app.errors.SchemaTooNewError: A newer version of the app
            wrote the database; it was left untouched.
        desktop_app.errors.StoreError: The data folder or the database
            cannot be used at all (the folder is a file, cannot be created,
            the database is a folder); the message is one line, for the
            front ends to show before they stop.
    """
    from desktop_app.errors import StoreError
    from desktop_app.store import open_store

    try:
        paths.ensure()
    except OSError as e:
        raise StoreError(_folder_problem(paths.data_dir, e)) from e
    notices = [StartupNotice(text) for text in paths.permission_warnings]
    told: list[str] = []
    store, report = open_store(
        paths.database,
        backup_dir=paths.backups_dir,
        read_only=read_only,
        notices=told,
        routine_backup=not defer_backup,
    )
    if read_only:
        told.append(
            f"Your configuration database {paths.database} was opened "
            f"read-only, as asked: nothing can be added, changed or deleted."
        )
    notices += [StartupNotice(text) for text in told]
    if report is not None:
        notices.append(StartupNotice(report.message, report.damaged_path.parent))
    return store, notices


def _folder_problem(data_dir: Path, error: OSError) -> str:
    """One line saying why the data folder cannot be used, and the fix."""
    where = Path(error.filename) if error.filename else data_dir
    # The culprit of "not a directory" is the first part of the path that
    # exists, not the folder that was being created.
    for part in (where, *where.parents):
        if part.exists():
            where = part
            break
    if not where.is_dir():
        return (
            f"The data folder {data_dir} cannot be used: {where} is a file, "
            f"not a folder. Move the file away or choose another folder "
            f"with --data-dir"
        )
    reason = (error.strerror or str(error)).lower()
    return (
        f"Cannot create the data folder {data_dir}: {reason} ({where}). "
        f"Create it yourself or choose another folder with --data-dir"
    )


def install_secret_scrubbing(logger: logging.Logger | None = None) -> None:
    """Add a :py:class:`~desktop_app.activity.SecretScrubbingFilter` to every
    handler of ``logger`` (the root logger by default) that lacks one.

    Each filter formats tracebacks with its handler's formatter, so a
    handler that shows none (the command line's) still shows none.

    Filters go on handlers because a logger's own filters do not see records
    of its child loggers; calling this twice adds nothing.
    """
    target = logger if logger is not None else logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, SecretScrubbingFilter) for f in handler.filters):
            handler.addFilter(SecretScrubbingFilter(handler))
