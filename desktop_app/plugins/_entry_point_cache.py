"""The entry-point scan, remembered until what is installed changes.

Finding installed plugins takes ``importlib.metadata`` (which imports
``email``) and a read of every distribution's ``entry_points.txt``: the
largest single piece of work between the window's first frame and its
populated list, at every start, for an answer that only changes when
something is installed, upgraded or removed. The answer is kept in
``cache/entry-points.json`` of the data folder with a fingerprint of what
it was read from, and believed only while the fingerprint still matches:

- the Python version, the entry-point group and ``sys.path`` itself;
- for each folder on ``sys.path``: its modification time (installing or
  removing a distribution adds or removes a ``*.dist-info`` folder in it;
  pip replaces the folder on an upgrade), and the modification time and
  size of each ``*.dist-info``/``*.egg-info`` folder's ``entry_points.txt``
  (an edit in place, as an editable re-install does);
- for each file on ``sys.path`` (a zip), its modification time and size.

Nothing is cached when an import finder other than the standard path
finder (or the ``importlib_metadata`` backport's, which searches the same
folders) can list distributions: what it serves cannot be fingerprinted
here. Nor while any of those times is less than two seconds old (a file
system with coarse times could give a change made right after this start
the same time). The file is believed only in a folder of ours that no one
else can write, like the plugins' code cache: its module names are
imported. It is written 0600, atomically, when the scan ran.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.machinery
import json
import os
import stat
import sys
import time
from pathlib import Path

from desktop_app._paths import WRITABLE_BY_OTHERS, trusted_uids
from desktop_app._private_files import write_private_text
from desktop_app.plugins._importing import trusted_folder

__all__ = ["CACHE_NAME", "Entry", "fingerprint", "read_cached", "store"]

#: The cache's file name, in the data folder's ``cache`` folder.
CACHE_NAME = "entry-points.json"

#: ``(name, module, distribution)`` of one entry point.
Entry = tuple[str, str, str | None]

_FORMAT = 1
#: Times younger than this are not trusted to tell a later change apart.
_RACY_NS = 2_000_000_000
_META = (".dist-info", ".egg-info")


def fingerprint(group: str) -> str | None:
    """A digest of what the entry points of ``group`` are read from, or
    None when the scan must not be cached now (see the module's notes)."""
    for finder in sys.meta_path:
        if hasattr(finder, "find_distributions") and not _searches_sys_path(finder):
            return None
    parts = [sys.version, group, repr(sys.path)]
    newest = 0
    for entry in sys.path:
        state, mtime = _entry_state(entry)
        parts.append(state)
        newest = max(newest, mtime)
    if time.time_ns() - newest < _RACY_NS:
        return None
    text = "\n".join(parts).encode("utf-8", "surrogateescape")
    return hashlib.sha256(text).hexdigest()


def _searches_sys_path(finder: object) -> bool:
    """Whether a finder's distributions are those in the folders on
    ``sys.path`` (fingerprinted here): the standard path finder, and the
    ``importlib_metadata`` backport's, which packages such as ``keyring``
    bring along and which looks in the same folders the same way."""
    if finder is importlib.machinery.PathFinder:
        return True
    kind = type(finder)
    return (kind.__module__, kind.__name__) == (
        "importlib_metadata",
        "MetadataPathFinder",
    )


def _entry_state(entry: str) -> tuple[str, int]:
    """One ``sys.path`` entry's state as text, and its newest time."""
    root = entry or "."
    try:
        st = os.stat(root)
    except OSError:
        return "-", 0
    if not stat.S_ISDIR(st.st_mode):
        return f"f {st.st_mtime_ns} {st.st_size}", st.st_mtime_ns
    lines = [f"d {os.path.abspath(root)} {st.st_mtime_ns}"]
    newest = st.st_mtime_ns
    is_egg = os.path.basename(root).lower().endswith(".egg")
    try:
        with os.scandir(root) as entries:
            names = sorted(
                e.name
                for e in entries
                if e.name.lower().endswith(_META)
                or (is_egg and e.name.lower() == "egg-info")
            )
    except OSError:
        return lines[0] + " unreadable", newest
    for name in names:
        try:
            found = os.stat(os.path.join(root, name, "entry_points.txt"))
        except OSError:
            lines.append(f"{name} -")
            continue
        lines.append(f"{name} {found.st_mtime_ns} {found.st_size}")
        newest = max(newest, found.st_mtime_ns)
    return "\n".join(lines), newest


def read_cached(file: Path, key: str) -> list[Entry] | None:
    """The entry points stored under ``key``, or None (no cache, another
    fingerprint, a damaged file, or a file or folder others can write)."""
    if not trusted_folder(file.parent):
        return None
    try:
        with open(file, "rb") as f:
            if not _ours(os.fstat(f.fileno())):
                return None  # left by someone else when the folder was open
            data = json.loads(f.read())
    except (OSError, ValueError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("format") != _FORMAT
        or data.get("fingerprint") != key
        or not isinstance(data.get("entry_points"), list)
    ):
        return None
    entries: list[Entry] = []
    for item in data["entry_points"]:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], str)
            and isinstance(item[1], str)
            and (item[2] is None or isinstance(item[2], str))
        ):
            return None
        entries.append((item[0], item[1], item[2]))
    return entries


def _ours(st: os.stat_result) -> bool:
    """Owned by the user (or root) and writable by no one else."""
    if os.name != "posix":
        return True
    return st.st_uid in trusted_uids() and not st.st_mode & WRITABLE_BY_OTHERS


def store(file: Path, key: str, entries: list[Entry]) -> None:
    """Remember ``entries`` under ``key`` (a cache that cannot be written
    only costs the next start the scan)."""
    if not trusted_folder(file.parent):
        return
    data = {"format": _FORMAT, "fingerprint": key, "entry_points": entries}
    with contextlib.suppress(OSError):
        write_private_text(file, json.dumps(data))
