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


def open_app_store(paths: DataPaths) -> tuple[ConfigStore, list[StartupNotice]]:
    """Create the data folder if needed and open its configuration store.

    A damaged database never stops the start: :py:func:`desktop_app.store.
    open_store` moves it aside and restores a backup (or starts empty), and
    the notice returned says so, so that no front end can forget to.

    Args:
        paths (DataPaths): The data folder.

    Returns:
        tuple: The open store, and the notices to show (permission warnings
        about the folders first, then what happened to a damaged database).

    Raises:
        desktop_app.errors.StoreError: The database cannot be opened for a
            reason other than damage (for example a folder the user cannot
            write to).
    """
    from desktop_app.store import open_store

    paths.ensure()
    notices = [StartupNotice(text) for text in paths.permission_warnings]
    store, report = open_store(paths.database, backup_dir=paths.backups_dir)
    if report is not None:
        notices.append(StartupNotice(report.message, report.damaged_path.parent))
    return store, notices


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
