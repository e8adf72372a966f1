"""Finding plugins: the drop-in folder and installed distributions.

Installed distributions are found with :py:func:`importlib.metadata.
entry_points`, which reads every distribution's metadata and, with its
``email`` parsing, costs tens of milliseconds to import and run on each
start. The result is cached in the data folder (see
:py:func:`discover_entry_points`), keyed by what it depends on, so a start
with nothing installed or removed does not import it at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop_app.plugins._importing import trusted_folder, write_atomically
from desktop_app.plugins._info import SOURCE_DISTRIBUTION, SOURCE_FOLDER

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginSource",
    "discover_entry_points",
    "discover_folder",
    "fingerprint",
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
    found = []
    for entry in entries:
        if entry.name.startswith(("_", ".")):
            continue
        path = plugins_dir / entry.name
        if entry.name.endswith(".py") and entry.is_file():
            found.append(PluginSource(path.stem, SOURCE_FOLDER, path))
        elif entry.is_dir() and (path / "__init__.py").is_file():
            found.append(PluginSource(entry.name, SOURCE_FOLDER, path))
    return found


def discover_entry_points(cache_file: Path | None = None) -> list[PluginSource]:
    """Return the plugins installed distributions declare, sorted by name.

    A distribution installed twice on ``sys.path`` yields its entry points
    once.

    Args:
        cache_file (Path, optional): Where the last scan is kept. It is used
            only while :py:func:`installed_fingerprint` is unchanged, that is
            while no ``sys.path`` entry, no distribution folder in it and no
            ``entry_points.txt`` changed; otherwise (or when it is missing or
            damaged) the scan runs again and replaces it. ``None`` always
            scans.
    """
    if cache_file is None:
        return _scan_entry_points()
    key = installed_fingerprint()
    cached = _read_cache(cache_file, key)
    if cached is not None:
        return cached
    sources = _scan_entry_points()
    _write_cache(cache_file, key, sources)
    return sources


def installed_fingerprint() -> str:
    """Return a hash of everything the entry-point scan depends on.

    That is the interpreter, the ``sys.path`` entries, the names of the
    ``*.dist-info``/``*.egg-info`` folders in each (installing, upgrading or
    removing a distribution adds, renames or removes one) and the time of
    each one's ``entry_points.txt`` (an edit in place, as an editable
    re-install may do). An entry that is not a folder (a zip file or an
    egg) counts by its own time, and a folder's ``EGG-INFO`` by its
    ``entry_points.txt``. Folder times themselves are left out: the current
    folder (on ``sys.path`` under ``python -m``) changes whenever any file
    in it does. Listing the folders costs a fraction of a millisecond each,
    far less than importing :py:mod:`importlib.metadata`.
    """
    digest = hashlib.sha256()
    digest.update(f"{ENTRY_POINT_GROUP}\0{sys.executable}\0{sys.version}".encode())
    for entry in sys.path:
        folder = entry or "."
        digest.update(b"\0p" + os.fsencode(folder))
        try:
            with os.scandir(folder) as entries:
                infos = sorted(
                    e.name
                    for e in entries
                    if e.name.endswith((".dist-info", ".egg-info"))
                    or e.name == "EGG-INFO"
                )
        except NotADirectoryError:  # a zip file or an egg
            digest.update(_mtime(folder))
            continue
        except OSError:  # missing or not listable: nothing found there
            continue
        for name in infos:
            digest.update(b"\0d" + os.fsencode(name))
            digest.update(_mtime(os.path.join(folder, name, "entry_points.txt")))
    return digest.hexdigest()


def _mtime(path: str) -> bytes:
    try:
        return str(os.stat(path).st_mtime_ns).encode()
    except OSError:
        return b"-"


def _read_cache(cache_file: Path, key: str) -> list[PluginSource] | None:
    # The cache names modules that get imported: only a folder of ours that
    # no one else can write to is believed.
    if not trusted_folder(cache_file.parent):
        return None
    try:
        data = json.loads(cache_file.read_bytes())
        if data.get("key") != key:
            return None
        return [
            PluginSource(
                str(item["name"]),
                SOURCE_DISTRIBUTION,
                module=item["module"],
                version=item["version"],
                distribution=item["distribution"],
            )
            for item in data["sources"]
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # not written yet, or damaged: scan again


def _write_cache(cache_file: Path, key: str, sources: list[PluginSource]) -> None:
    items = [
        {k: v for k, v in asdict(s).items() if k not in ("source", "path")}
        for s in sources
    ]
    write_atomically(
        cache_file, json.dumps({"key": key, "sources": items}).encode("utf-8")
    )


def _scan_entry_points() -> list[PluginSource]:
    # Imported here: the cached path never needs it (nor ``email``).
    import importlib.metadata

    found: dict[str, PluginSource] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in found:
            continue
        dist = getattr(ep, "dist", None)
        found[ep.name] = PluginSource(
            ep.name,
            SOURCE_DISTRIBUTION,
            module=ep.module,
            version=getattr(dist, "version", None),
            distribution=getattr(dist, "name", None),
        )
    return [found[name] for name in sorted(found)]


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
