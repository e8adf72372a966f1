"""Where the app keeps its data.

The data folder comes from, in order: the ``--data-dir`` option, the
``DESKTOP_APP_DATA_DIR`` environment variable, or the platform's user data
folder (``platformdirs``, app name ``desktop-app``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "APP_NAME",
    "DATA_DIR_ENV",
    "DATABASE_NAME",
    "DataPaths",
    "resolve_data_dir",
]

APP_NAME = "desktop-app"
DATA_DIR_ENV = "DESKTOP_APP_DATA_DIR"
DATABASE_NAME = "configs.sqlite3"


def resolve_data_dir(option: str | os.PathLike | None = None) -> Path:
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

    def __init__(self, data_dir: str | os.PathLike) -> None:
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

    def ensure(self) -> DataPaths:
        """Create the data and plugins folders (private to the user)."""
        for folder in (self.data_dir, self.plugins_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self
