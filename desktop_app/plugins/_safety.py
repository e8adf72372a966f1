"""Refusing plugin code that other users could have changed.

A plugin runs with the user's rights. If another account can write to the
plugins folder, to a plugin file or to a package folder, it can make this
app run its code as the user, so such plugins are refused before import,
with the reason and the fix. POSIX only: Windows ACLs do not map to mode
bits, and the user's profile folder is private there by default.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from desktop_app.errors import PluginUnsafeError

__all__ = ["check_plugin_safe"]

_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH


def check_plugin_safe(name: str, path: Path, plugins_dir: Path) -> None:
    """Raise when others can write to the plugins folder or the plugin.

    Checks the plugins folder, the plugin's file or package folder, and for
    a package every folder and ``.py`` file inside it (any of them is code
    the import may run).

    Args:
        name (str): The plugin's name, for the error.
        path (Path): The plugin's ``.py`` file or package folder.
        plugins_dir (Path): The folder it was found in.

    Raises:
        desktop_app.errors.PluginUnsafeError: Naming the first such path.
    """
    if os.name != "posix":
        return
    for candidate in _code_paths(path, plugins_dir):
        try:
            mode = stat.S_IMODE(candidate.lstat().st_mode)
        except OSError:
            continue  # vanished while we look; the import will report it
        if mode & _WRITABLE_BY_OTHERS:
            raise PluginUnsafeError(name, str(candidate), mode, str(path))


def _code_paths(path: Path, plugins_dir: Path) -> Iterator[Path]:
    yield plugins_dir
    yield path
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for folder in dirs:
                yield Path(root, folder)
            for file in sorted(files):
                if file.endswith(".py"):
                    yield Path(root, file)
