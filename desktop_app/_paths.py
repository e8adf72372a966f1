"""Where the app keeps its data.

The data folder comes from, in order: the ``--data-dir`` option, the
``DESKTOP_APP_DATA_DIR`` environment variable, or the platform's user data
folder (``platformdirs``, app name ``desktop-app``).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

__all__ = [
    "APP_NAME",
    "DATA_DIR_ENV",
    "DATABASE_NAME",
    "DataPaths",
    "WRITABLE_BY_OTHERS",
    "folder_problem",
    "resolve_data_dir",
    "trusted_uids",
    "user_name",
]

APP_NAME = "desktop-app"
DATA_DIR_ENV = "DESKTOP_APP_DATA_DIR"
DATABASE_NAME = "configs.sqlite3"

logger = logging.getLogger(__name__)

#: Mode bits that let someone other than the owner change a file or folder.
WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH


def trusted_uids() -> tuple[int, int]:
    """The owners whose files may hold code this app runs: the user and
    root (root can change anything anyway). POSIX only."""
    return (os.geteuid(), 0)


def user_name() -> str:
    """The name ``chown`` should get for this process's user (POSIX)."""
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a uid with no account name (containers): chown takes it
        return str(os.geteuid())


def folder_problem(folder: Path) -> tuple[int, int | None] | None:
    """Return ``(mode, other_owner)`` when others could change a folder.

    ``other_owner`` is the uid of an owner that is neither the user nor
    root, or None when only the mode is the problem. None when the folder
    is safe, missing, or not on POSIX.
    """
    if os.name != "posix":
        return None
    try:
        st = folder.stat()
    except OSError:
        return None
    mode = stat.S_IMODE(st.st_mode)
    if st.st_uid not in trusted_uids():
        return mode, st.st_uid
    if mode & WRITABLE_BY_OTHERS:
        return mode, None
    return None


def resolve_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder to use (not created here)."""
    if option:
        return Path(option).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class DataPaths:
    """The files and folders inside one data folder.

    Args:
        data_dir (Path): The data folder.
    """

    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.data_dir = Path(data_dir)

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def plugins_dir(self) -> Path:
        return self.data_dir / "plugins"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    def ensure(self) -> DataPaths:
        """Create the data, plugins and backups folders, private to the user.

        Folders this call creates get mode 0700. An existing folder's modes
        are *not* changed, only reported in :py:attr:`permission_warnings`
        (and logged): the user may have pointed ``--data-dir`` at a folder
        they share on purpose, and silently changing modes of a folder we
        did not create would surprise them.

        A folder others can *read* is a privacy warning: the database and
        backup files inside are always 0600 (the store enforces that), so it
        exposes names, not contents. A data or plugins folder others can
        *write to* (or that another user owns) is worse: they could swap the
        plugins for their own code, so drop-in plugins are refused (see
        :py:mod:`desktop_app.plugins._safety`) and the warning says so.

        Only the data folder itself is required: a ``plugins/`` or
        ``backups/`` that cannot be created (a read-only data folder) is a
        warning, since the app can still show the configurations.

        Raises:
            OSError: The data folder cannot be created, or is a file.
        """
        #: Plain-words warnings about folders others can access, or that
        #: could not be created.
        self.permission_warnings: list[str] = []
        for folder in (self.data_dir, self.plugins_dir, self.backups_dir):
            if folder.is_dir():
                message = _folder_warning(
                    folder, folder_problem(folder), folder != self.backups_dir
                )
                if message:
                    self._warn(message)
                continue
            if folder != self.data_dir and self.data_dir.is_dir():
                # Inside an existing data folder that may be read-only: the
                # app still starts (its database opens read-only), without
                # plugins or backups.
                try:
                    _make_private_dir(folder)
                except OSError as e:
                    self._warn(
                        f"Cannot create the folder {folder} "
                        f"({(e.strerror or str(e)).lower()}); the app runs "
                        f"without it."
                    )
                continue
            _make_private_dir(folder)
        return self

    def _warn(self, message: str) -> None:
        # Front ends show these as notices; the mark keeps the command line
        # from printing them twice.
        logger.warning("%s", message, extra={"desktop_app_notice": True})
        self.permission_warnings.append(message)


def _make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents) with mode 0700.

    Raises:
        OSError: It cannot be created (a parent is a file or read-only).
    """
    folder.mkdir(parents=True, mode=0o700)
    folder.chmod(0o700)  # mkdir's mode is reduced by the umask


def _folder_warning(
    folder: Path, problem: tuple[int, int | None] | None, holds_plugins: bool
) -> str | None:
    """Return the warning about one existing folder, or None if it is private."""
    if os.name != "posix":
        return None
    if problem is not None:
        mode, owner = problem
        if owner is not None:
            who = f"belongs to another user (uid {owner})"
            fix = f"'chown {user_name()} {folder}' and 'chmod 700 {folder}'"
        else:
            who = f"can be changed by other users (mode {mode:o})"
            fix = f"'chmod 700 {folder}'"
        if holds_plugins:
            return (
                f"Plugins are not loaded from {folder}: the folder {who}, so "
                f"they could make this app run their code. Run {fix}, then "
                f"reload plugins or start the app again."
            )
        return (
            f"The folder {folder} {who}, so they could replace your backups; run {fix}."
        )
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & 0o077:
        return (
            f"The folder {folder} can be read by other users "
            f"(mode {mode:o}); run 'chmod 700 {folder}' to keep "
            f"your configurations private."
        )
    return None
