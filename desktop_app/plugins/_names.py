"""Who holds a plugin's module name.

Folder plugins import under their own top-level name. Each name is
*claimed* by one plugin file or folder while it is loaded; a name that an
installed module or another plugin already has is a load error
(:py:class:`~desktop_app.errors.PluginNameClashError`), never a silent
shadowing either way, and a plugin only ever removes modules under a name
it holds.
"""

from __future__ import annotations

import functools
import importlib.machinery
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any

from desktop_app.errors import PluginNameClashError

__all__ = ["InstalledNames", "claim", "claimed_path", "folder_module_name", "release"]

_lock = threading.Lock()

#: Top-level module name → the plugin file or folder that holds it now.
_claims: dict[str, Path] = {}


def folder_module_name(name: str) -> str:
    """Return the module name of a folder plugin: its own name, made a
    valid identifier (``my-plugin.py`` is imported as ``my_plugin``)."""
    ident = re.sub(r"\W", "_", name)
    if not ident.isidentifier():
        ident = f"_{ident}"
    return ident


def claimed_path(module_name: str) -> Path | None:
    """The plugin file or folder that holds a top-level module name now."""
    with _lock:
        return _claims.get(module_name.partition(".")[0])


def release(module_name: str, path: Path) -> None:
    """Give the name up, if the plugin at ``path`` holds it."""
    with _lock:
        if _claims.get(module_name) == path:
            del _claims[module_name]


class InstalledNames:
    """What ``sys.path`` offers, listed once for a run of plugin imports.

    Telling a plugin's name from an installed module's asks the path finder,
    which looks in every folder on ``sys.path`` (a ``stat`` of each, per
    plugin). Listing those folders once lets a run of 200 plugins skip that
    lookup for every name no folder holds, which is nearly all of them; a
    name a folder does hold, an entry served by another importer, or a
    ``sys.path`` changed since the listing still gets the full lookup. The
    folders count as they were when listed, at the start of the run: a
    module installed while plugins load is seen by the next run.
    """

    def __init__(self) -> None:
        self._path = list(sys.path)
        #: Casefolded top-level names in the listed folders; None when one
        #: could not be listed (every name then gets the full lookup).
        self._names: set[str] | None = set()
        #: Importers of entries that are not plain folders (a zip, a hook).
        self._others: list[Any] = []
        for entry in self._path:
            try:
                # The path finder files "" (the current folder) under its name.
                key = entry or os.getcwd()
            except OSError:
                continue  # no current folder: nothing to import from it
            importer = sys.path_importer_cache.get(key, self)
            if importer is None:
                continue  # nothing can be imported from it
            if importer is self or not isinstance(
                importer, importlib.machinery.FileFinder
            ):
                if importer is self:
                    self._names = None  # not looked at yet: unknown
                    return
                self._others.append(importer)
                continue
            try:
                with os.scandir(key) as found:
                    self._names.update(
                        e.name.partition(".")[0].casefold() for e in found
                    )
            except FileNotFoundError:
                continue
            except OSError:
                self._names = None
                return

    def may_have(self, module_name: str) -> bool:
        """False only when no entry of ``sys.path`` can provide the name."""
        if self._names is None or sys.path != self._path:
            return True
        if module_name.casefold() in self._names:
            return True
        for importer in self._others:
            find_spec = getattr(importer, "find_spec", None)
            try:
                if find_spec is None or find_spec(module_name) is not None:
                    return True
            except Exception:  # a third-party importer's bug: look properly
                return True
        return False


def claim(
    plugin_name: str,
    module_name: str,
    path: Path,
    installed: InstalledNames | None = None,
) -> None:
    """Reserve the top-level ``module_name`` for the plugin at ``path``;
    claiming it again for the same path is fine (a reload).

    ``installed`` is the listing of ``sys.path`` shared by a run of imports
    (without it, the folders are looked up for this name alone).

    Raises:
        PluginNameClashError: Another plugin holds the name, or an
            installed module (standard library included) has it.
    """
    with _lock:
        holder = _claims.get(module_name)
    if holder == path:
        return
    # Looked up without the lock: finding an installed module may import
    # (importlib's own helpers), and every import asks the plugins' finder,
    # which takes the lock (see claimed_path).
    found = (
        None if holder is not None else _installed_origin(module_name, path, installed)
    )
    with _lock:
        holder = _claims.get(module_name)
        if holder is not None and holder != path:
            raise PluginNameClashError(
                plugin_name, module_name, f"the plugin {holder}", str(path)
            )
        if found is not None:
            raise PluginNameClashError(
                plugin_name,
                module_name,
                f"the installed module {found}",
                str(path),
            )
        _claims[module_name] = path


def _installed_origin(
    module_name: str, path: Path, installed: InstalledNames | None = None
) -> str | None:
    """Where an installed module of that name lives, or None.

    Installed means imported already, built into Python, or found on
    ``sys.path`` in the standard library, a site-packages folder or the
    plugins' own packages folder, or provided by an installed distribution.
    A module that is merely on ``sys.path`` elsewhere (the current folder,
    a project beside its tests) does not count: a plugin author's own copy
    of the plugin is such a file.
    """
    loaded = sys.modules.get(module_name)
    if loaded is not None:
        return getattr(loaded, "__file__", None) or f"{module_name} (loaded)"
    if module_name in sys.builtin_module_names or (
        importlib.machinery.FrozenImporter.find_spec(module_name) is not None
    ):
        return f"{module_name} (built into Python)"
    spec = None
    if installed is None or installed.may_have(module_name):
        spec = importlib.machinery.PathFinder.find_spec(module_name)
    if spec is not None:
        locations = list(spec.submodule_search_locations or [])
        origin = spec.origin or (locations[0] if locations else module_name)
        if _under_installed_folder(origin, path):
            return origin
    found = _found_by_other_finders(module_name)
    if found is not None:
        return found
    return None


def _found_by_other_finders(module_name: str) -> str | None:
    """Where an import finder other than the path one (an editable
    install's, which serves a project folder outside site-packages) would
    load the module from, or None. Asks the finders directly: nothing is
    imported, and the plugins' own finder is skipped."""
    for finder in list(sys.meta_path):
        if finder in (
            importlib.machinery.PathFinder,
            importlib.machinery.BuiltinImporter,
            importlib.machinery.FrozenImporter,
        ) or type(finder).__module__.startswith("desktop_app."):
            continue
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is None:
            continue
        try:
            spec = find_spec(module_name, None)
        except Exception:  # a third-party finder's bug is not a clash
            continue
        if spec is not None:
            return spec.origin or f"{module_name} (an installed package)"
    return None


def _under_installed_folder(origin: str, path: Path) -> bool:
    try:
        found = Path(origin).resolve()
        if found in {path.resolve(), (path / "__init__.py").resolve()}:
            return False  # the plugin itself (its folder is on sys.path)
    except OSError:
        return False
    return any(found.is_relative_to(root) for root in _installed_roots())


def _installed_roots() -> list[Path]:
    """The installed folders, worked out once per ``sys.path`` (one scan
    checks every plugin against them)."""
    return _installed_roots_for(tuple(sys.path))


@functools.lru_cache(maxsize=4)
def _installed_roots_for(_sys_path: tuple[str, ...]) -> list[Path]:
    import site
    import sysconfig

    paths = sysconfig.get_paths()
    roots = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    roots.update(site.getsitepackages())
    roots.add(site.getusersitepackages())
    roots.update(
        entry
        for entry in sys.path
        if Path(entry).name in ("site-packages", "dist-packages", "plugin-deps")
    )
    out = []
    for root in roots:
        try:
            out.append(Path(root).resolve())
        except OSError:
            continue
    return out
