"""Refusing plugin code that other users could have changed.

A plugin runs with the user's rights. If another account owns, or can write
to, a plugin file, a package folder, the plugins folder or any folder
between it and the data folder, it can make this app run its code as the
user (in a data folder anyone can write to, another user can swap the whole
``plugins`` folder for one of theirs). Such plugins are refused before
import, with the reason and the fix.

Ownership counts as much as mode bits: a ``0644`` file owned by someone else
is theirs to rewrite. Root may own things, since root can change anything
anyway. A symbolic link is followed only when its target passes the same
checks, and the target's folder too (whoever can write there can replace
the target).

POSIX only: Windows ACLs do not map to mode bits and owners, and the user's
profile folder is private there by default.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from desktop_app._paths import WRITABLE_BY_OTHERS, trusted_uids
from desktop_app.errors import PluginUnsafeError

__all__ = ["check_module_file_safe", "check_plugin_safe"]


def check_plugin_safe(
    name: str,
    path: Path,
    plugins_dir: Path,
    data_dir: Path | None = None,
    *,
    safe_folders: set[Path] | None = None,
) -> None:
    """Raise unless only the user (or root) can change the plugin's code.

    Checks, from the outside in: the data folder and every folder down to
    the plugins folder, the plugins folder, the plugin's file or package
    folder, and for a package every folder and ``.py`` file inside it (any
    of them is code the import may run). Each must be owned by the user or
    root and not writable by group or others.

    Args:
        name (str): The plugin's name, for the error.
        path (Path): The plugin's ``.py`` file or package folder.
        plugins_dir (Path): The folder it was found in.
        data_dir (Path, optional): The data folder holding ``plugins_dir``;
            defaults to its parent.
        safe_folders (set[Path], optional): Folders between the data folder
            and the plugins folder already found safe in this scan, not
            looked at again (each plugin of a scan shares them); the ones
            found safe here are added.

    Raises:
        desktop_app.errors.PluginUnsafeError: Naming the first such path.
    """
    if os.name != "posix":
        return
    top = data_dir if data_dir is not None else plugins_dir.parent
    known = safe_folders if safe_folders is not None else set()
    # The plugins folder is added last, so once it is known every folder
    # above it is: the other plugins of a scan skip working them out.
    folders = (
        []
        if plugins_dir in known
        else [f for f in _folders_down_to(plugins_dir, top) if f not in known]
    )
    for candidate in [*folders, *_code_paths(path)]:
        problem = _problem(candidate)
        if problem is not None:
            unsafe, mode, owner, link = problem
            raise PluginUnsafeError(
                name, str(unsafe), mode, str(path), owner=owner, link=link
            )
    known.update(folders)


def check_module_file_safe(name: str, file: Path) -> None:
    """Raise unless only the user (or root) can change one module file of
    a plugin package and the folder holding it.

    The whole package was checked before its first import; a submodule
    imported later (``import myplugin.late`` in a hook) is checked again
    when it is found, so a file that changed hands since never runs.

    Raises:
        desktop_app.errors.PluginUnsafeError: Naming the file or folder.
    """
    if os.name != "posix":
        return
    for candidate in (file.parent, file):
        problem = _problem(candidate)
        if problem is not None:
            unsafe, mode, owner, link = problem
            raise PluginUnsafeError(
                name, str(unsafe), mode, str(file), owner=owner, link=link
            )


def _problem(path: Path) -> tuple[Path, int, int | None, str | None] | None:
    """Return ``(culprit, mode, other_owner, link)`` or None when safe."""
    try:
        st = path.lstat()
    except OSError:
        return None  # vanished while we look; the import will report it
    if stat.S_ISLNK(st.st_mode):
        # The link's own bits mean nothing; its target and the folder
        # holding the target decide. A dangling link has nothing to run.
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        for real in (target.parent, target):
            found = _problem(real)
            if found is not None:
                culprit, mode, owner, _ = found
                return culprit, mode, owner, str(path)
        return None
    mode = stat.S_IMODE(st.st_mode)
    if st.st_uid not in trusted_uids():
        return path, mode, st.st_uid, None
    if mode & WRITABLE_BY_OTHERS:
        return path, mode, None, None
    return None


def _code_paths(path: Path) -> Iterator[Path]:
    yield path
    if path.is_dir():
        yield from _package_paths(path, set())


def _package_paths(folder: Path, seen: set[Path]) -> Iterator[Path]:
    """Every folder and ``.py`` file inside a package, through links too
    (the import follows them), each real folder once (links may loop)."""
    real = folder.resolve()
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        child = Path(folder, entry.name)
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield child
                yield from _package_paths(child, seen)
        elif entry.name.endswith(".py"):
            yield child


def _folders_down_to(plugins_dir: Path, top: Path) -> list[Path]:
    """The folders from ``top`` down to ``plugins_dir``, outermost first.

    Only ``plugins_dir`` itself when it is not inside ``top``.
    """
    try:
        relative = plugins_dir.relative_to(top)
    except ValueError:
        return [plugins_dir]
    folders = [top]
    for part in relative.parts:
        folders.append(folders[-1] / part)
    return folders
