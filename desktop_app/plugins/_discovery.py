"""Finding plugins: the drop-in folder and installed distributions."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from desktop_app.plugins._info import SOURCE_DISTRIBUTION, SOURCE_FOLDER

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginSource",
    "discover_entry_points",
    "discover_folder",
    "fingerprint",
    "is_builtin",
]

logger = logging.getLogger(__name__)

#: The entry point group distributions declare plugins in; the value of
#: each entry point is a module.
ENTRY_POINT_GROUP = "desktop_app.plugins"


@dataclass(frozen=True)
class PluginSource:
    """Where one plugin comes from, before it is imported.

    Attributes:
        name (str): The plugin's name.
        source (str): ``'folder'`` or ``'distribution'``.
        path (Path | None): The ``.py`` file or package folder.
        module (str | None): For a distribution, the module to import.
        version (str | None): For a distribution, its version.
        distribution (str | None): For a distribution, its name.
    """

    name: str
    source: str
    path: Path | None = None
    module: str | None = None
    version: str | None = None
    distribution: str | None = None

    @property
    def key(self) -> str:
        return f"{self.source}:{self.name}"


def discover_folder(plugins_dir: Path) -> list[PluginSource]:
    """Return the plugins in a folder, sorted by name.

    Each ``*.py`` file and each sub-folder with an ``__init__.py`` is one
    plugin. Names starting with ``_`` or ``.`` are skipped, so helpers,
    editor back-ups and ``__pycache__`` never load as plugins.
    """
    # scandir: its entries know file from folder without a stat call each.
    try:
        with os.scandir(plugins_dir) as it:
            entries = sorted(it, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except PermissionError as e:
        # A folder the user cannot read (another user's data folder opened
        # read-only) must not stop the start; its plugins are not loaded.
        logger.warning("Cannot read the plugins folder %s: %s", plugins_dir, e.strerror)
        return []
    files: list[PluginSource] = []
    packages: list[PluginSource] = []
    for entry in entries:
        if entry.name.startswith(("_", ".")):
            continue
        path = plugins_dir / entry.name
        if entry.name.endswith(".py") and entry.is_file():
            files.append(PluginSource(path.stem, SOURCE_FOLDER, path))
        elif entry.is_dir() and (path / "__init__.py").is_file():
            packages.append(PluginSource(entry.name, SOURCE_FOLDER, path))
    # ``foo/`` and ``foo.py`` side by side are two plugins, so the file goes
    # by its file name; both want the module name ``foo``, and the second
    # to load reports the clash.
    package_names = {p.name for p in packages}
    files = [
        PluginSource(f"{f.name}.py", SOURCE_FOLDER, f.path)
        if f.name in package_names
        else f
        for f in files
    ]
    return sorted(files + packages, key=lambda s: s.name)


def discover_entry_points(cache_file: Path | None = None) -> list[PluginSource]:
    """Return the plugins installed distributions declare, sorted by name.

    A distribution installed twice on ``sys.path`` yields its entry points
    once: the first one found, as ``import`` would pick.

    Args:
        cache_file (Path, optional): Where the answer is remembered until
            what is installed changes (see :py:mod:`._entry_point_cache`);
            without it, the distributions are read every time.
    """
    from desktop_app.plugins import _entry_point_cache as cache

    key = cache.fingerprint(ENTRY_POINT_GROUP) if cache_file is not None else None
    entries = None
    if key is not None and cache_file is not None:
        entries = cache.read_cached(cache_file, key)
    if entries is None:
        entries = _scan_entry_points()
        if key is not None and cache_file is not None:
            cache.store(cache_file, key, entries)
    return [
        PluginSource(name, SOURCE_DISTRIBUTION, module=module, distribution=dist)
        for name, module, dist in entries
    ]


def _scan_entry_points() -> list[tuple[str, str, str | None]]:
    """``(name, module, distribution)`` of each entry point in our group."""
    # Imported here: only a start that reads the distributions needs it.
    import importlib.metadata

    found: dict[str, tuple[str, str, str | None]] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in found:
            continue
        dist = getattr(ep, "dist", None)
        # The version is read when shown (PluginInfo.shown_version): it
        # parses the distribution's whole metadata file, on every start.
        found[ep.name] = (ep.name, ep.module, getattr(dist, "name", None))
    return [found[name] for name in sorted(found)]


#: The distribution that ships the built-in integrations (this project).
_OWN_DISTRIBUTION = "desktop-app"
#: The package the built-in integrations live in.
_BUILTIN_PACKAGE = "integrations"


def is_builtin(source: PluginSource) -> bool:
    """True for this project's own integrations: the plugins safe mode keeps.

    Both the distribution and the module must match: another distribution
    could declare an entry point into a package also named ``integrations``.
    """
    if source.source != SOURCE_DISTRIBUTION or not source.module:
        return False
    distribution = re.sub(r"[-_.]+", "-", source.distribution or "").lower()
    package = source.module.partition(".")[0]
    return distribution == _OWN_DISTRIBUTION and package == _BUILTIN_PACKAGE


def fingerprint(path: Path) -> str:
    """Return a hash of a plugin file's or package's contents.

    Content hashes, not modification times: an edit within the same second
    that keeps the size must still count as a change.
    """
    digest = hashlib.sha256()
    try:
        if path.is_file():
            digest.update(path.read_bytes())
        else:
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith((".", "__pycache__"))
                )
                for name in sorted(files):
                    if name.endswith(".py"):
                        file = Path(root, name)
                        digest.update(str(file.relative_to(path)).encode())
                        digest.update(file.read_bytes())
    except OSError:
        # Vanishing while we look: treat as changed; the next scan settles it.
        return ""
    return digest.hexdigest()
