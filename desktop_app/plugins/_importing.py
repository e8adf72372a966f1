"""Importing plugin modules, each under its own name.

A folder plugin ``foo.py`` or ``foo/`` is imported as ``foo``, as an
installed package would be, so ``import foo.sub`` works inside it and the
default integration ids (``"<module>.<ClassName>"``) do not depend on where
the data folder is. The name must be free (see :py:mod:`._names`).

They are never loaded from ``__pycache__``: Python validates cached
bytecode by modification time in whole seconds and by size, so an edit that
keeps the size within the same second would reload the old code. The source
is read on every import instead, and its compiled code is cached in a folder
of the app's own (``cache/plugins`` in the data folder) under a hash of the
source bytes, its path and the interpreter's bytecode version: any edit
misses the cache, and an unchanged plugin skips ``compile()``, which is most
of loading 200 small plugins.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import marshal
import os
import sys
import threading
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.errors import PluginNameClashError
from desktop_app.plugins._names import (
    InstalledNames,
    claim,
    claimed_path,
    release,
)
from desktop_app.plugins._safety import check_module_file_safe

__all__ = [
    "import_distribution_module",
    "import_folder_plugin",
    "remove_modules",
    "trusted_folder",
    "write_atomically",
]

_lock = threading.Lock()


class _SourceOnlyLoader(importlib.machinery.SourceFileLoader):
    """Reads the source every time, never ``__pycache__``; reuses compiled
    code from ``bytecode_dir`` when the source bytes are unchanged.

    Args:
        fullname (str): The module name.
        path (str): The source file.
        bytecode_dir (Path | None): The content-keyed code cache; ``None``
            compiles every time.
        on_source (callable, optional): Called with the SHA-256 (hex) of
            the source bytes about to run, so the caller can remember what
            it loaded without reading and hashing the file a second time.
        source (bytes, optional): The file's bytes, already read by the
            caller (who checked them for declared requirements): used for
            the first load instead of a second read; a reload reads again.
    """

    def __init__(
        self,
        fullname: str,
        path: str,
        bytecode_dir: Path | None,
        on_source: Callable[[str], None] | None = None,
        source: bytes | None = None,
    ) -> None:
        super().__init__(fullname, path)
        self.bytecode_dir = bytecode_dir
        self.on_source = on_source
        self._source = source

    def get_code(self, fullname: str) -> types.CodeType:
        # SourceLoader.get_code would first work out a __pycache__ path and
        # ask path_stats (refused below) for every plugin: straight to the
        # source and the content-keyed cache instead.
        path = self.get_filename(fullname)
        data, self._source = self._source, None
        if data is None:
            data = self.get_data(path)
        source_hash = hashlib.sha256(data).hexdigest()
        if self.on_source is not None:
            self.on_source(source_hash)
        return self._code(data, path, source_hash)

    def path_stats(self, path: str) -> dict[str, Any]:
        # Without stats, SourceLoader.get_code neither reads nor writes
        # __pycache__ (kept for any caller that bypasses get_code above).
        raise OSError("plugins are never loaded from __pycache__")

    def source_to_code(  # type: ignore[override]
        self, data: bytes, path: str, *, _optimize: int = -1
    ) -> types.CodeType:
        return self._code(data, path, hashlib.sha256(data).hexdigest(), _optimize)

    def _code(
        self, data: bytes, path: str, source_hash: str, optimize: int = -1
    ) -> types.CodeType:
        compile_ = super().source_to_code
        if self.bytecode_dir is None or not trusted_folder(self.bytecode_dir):
            return compile_(data, path, _optimize=optimize)
        # Keyed by the source's hash (the bytes are hashed once, above),
        # its path (in tracebacks) and the bytecode version.
        digest = hashlib.sha256(importlib.util.MAGIC_NUMBER)
        digest.update(os.fsencode(path) + b"\0" + source_hash.encode())
        cached = self.bytecode_dir / f"{digest.hexdigest()}.code"
        try:
            code = marshal.loads(cached.read_bytes())
            if isinstance(code, types.CodeType):
                return code
        except (OSError, ValueError, EOFError, TypeError):
            pass  # not cached yet, or a damaged entry: compile again
        code = compile_(data, path, _optimize=optimize)
        write_atomically(cached, marshal.dumps(code))
        return code


def trusted_folder(folder: Path) -> bool:
    """Whether a cache in ``folder`` may be believed: ours and writable by
    no one else (code read from it runs like the plugin itself). A missing
    folder is fine; it is created 0700."""
    try:
        st = folder.stat()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if os.name != "posix":
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def write_atomically(file: Path, data: bytes) -> None:
    """Write a cache entry atomically, creating its folder 0700; a cache
    that cannot be written only costs the next start the work again."""
    partial = file.with_name(f".{file.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial.write_bytes(data)
        os.replace(partial, file)
    except OSError:
        partial.unlink(missing_ok=True)


class _PluginFinder:
    """Finds the submodules of folder plugin packages (``import foo.sub``,
    ``from . import helpers``) with the source-only loader, each file
    checked like the plugin itself (see :py:mod:`._safety`).

    A meta path finder is anything with ``find_spec``; not deriving from
    ``importlib.abc.MetaPathFinder`` spares every start importing
    ``importlib.abc`` (and ``importlib.resources`` with it) for nothing.
    """

    def invalidate_caches(self) -> None:
        """Nothing cached here (``importlib.invalidate_caches`` asks)."""

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        parent_name, _, last = fullname.rpartition(".")
        if not parent_name:
            return None
        top = parent_name.partition(".")[0]
        if claimed_path(top) is None:
            return None
        parent = sys.modules.get(parent_name)
        # A plugin's submodules share its bytecode cache.
        parent_loader = getattr(getattr(parent, "__spec__", None), "loader", None)
        if not isinstance(parent_loader, _SourceOnlyLoader):
            return None  # not a plugin's package (a clash would be refused)
        cache = parent_loader.bytecode_dir
        for folder in getattr(parent, "__path__", None) or ():
            package_init = Path(folder, last, "__init__.py")
            if package_init.is_file():
                check_module_file_safe(top, package_init)
                return _spec(fullname, package_init, package=True, bytecode_dir=cache)
            module_file = Path(folder, last + ".py")
            if module_file.is_file():
                check_module_file_safe(top, module_file)
                return _spec(fullname, module_file, package=False, bytecode_dir=cache)
        return None


_finder = _PluginFinder()


def _spec(
    name: str,
    file: Path,
    *,
    package: bool,
    bytecode_dir: Path | None = None,
    on_source: Callable[[str], None] | None = None,
    source: bytes | None = None,
) -> importlib.machinery.ModuleSpec:
    loader = _SourceOnlyLoader(name, str(file), bytecode_dir, on_source, source)
    spec = importlib.util.spec_from_file_location(
        name,
        file,
        loader=loader,
        submodule_search_locations=[str(file.parent)] if package else None,
    )
    assert spec is not None
    # There is no __pycache__ file (see _SourceOnlyLoader); saying so also
    # spares module_from_spec from working out where one would be.
    spec.cached = None
    return spec


def _install_finder() -> None:
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def import_folder_plugin(
    path: Path,
    module_name: str,
    bytecode_dir: Path | None = None,
    *,
    on_source: Callable[[str], None] | None = None,
    plugin_name: str | None = None,
    installed: InstalledNames | None = None,
    source: bytes | None = None,
) -> types.ModuleType:
    """Import a plugin file or package folder under ``module_name``, its
    own top-level name, which it holds until :py:func:`remove_modules`.

    ``bytecode_dir`` is the content-keyed cache of compiled code (``None``:
    compile every time). For a one-file plugin, ``on_source`` is called
    with the SHA-256 (hex) of the bytes that run, before they run: the
    same value as :py:func:`~desktop_app.plugins._discovery.fingerprint`
    of the file, without a second read (a package's fingerprint covers
    all its files, so it is not called for packages). ``installed`` is the
    listing of ``sys.path`` shared by a run of imports (see
    :py:func:`~desktop_app.plugins._names.claim`). ``source`` is the bytes
    of the file that runs (the package's ``__init__.py``) when the caller
    has read them already: each plugin file is read once.

    Raises:
        PluginNameClashError: The name is another plugin's or an installed
            module's; nothing was imported.
        BaseException: Whatever the plugin's code raises, as is; the module
            is removed from ``sys.modules`` first.
    """
    package = path.is_dir()
    file = path / "__init__.py" if package else path
    with _lock:
        claim(plugin_name or module_name, module_name, path, installed)
        _install_finder()
        spec = _spec(
            module_name,
            file,
            package=package,
            bytecode_dir=bytecode_dir,
            on_source=None if package else on_source,
            source=source,
        )
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        assert spec.loader is not None
        spec.loader.exec_module(module)
    except BaseException:
        remove_modules(module_name, path)
        raise
    return module


def import_distribution_module(module_name: str) -> types.ModuleType:
    """Import the module an entry point names (fresh, if it was dropped).

    Raises:
        PluginNameClashError: A folder plugin holds the module's name.
    """
    holder = claimed_path(module_name)
    if holder is not None:
        raise PluginNameClashError(
            module_name, module_name.partition(".")[0], f"the plugin {holder}"
        )
    importlib.invalidate_caches()
    try:
        return importlib.import_module(module_name)
    except BaseException:
        remove_modules(module_name)
        raise


def remove_modules(module_name: str, owner: Path | None = None) -> list[str]:
    """Drop a module and all its submodules from ``sys.modules``.

    Only the holder's: with ``owner`` (a folder plugin's file or folder),
    only while that plugin holds the name, which is then released; without
    it (an installed distribution's module), only when no folder plugin
    holds the name. So a plugin refused for a clash never takes out the
    module it clashed with.

    Returns:
        list[str]: The names removed.
    """
    top = module_name.partition(".")[0]
    if claimed_path(top) != owner:
        return []
    prefix = module_name + "."
    names = [n for n in list(sys.modules) if n == module_name or n.startswith(prefix)]
    for name in names:
        sys.modules.pop(name, None)
    if owner is not None and module_name == top:
        release(top, owner)
    return names
