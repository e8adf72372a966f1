"""Noticing a start that did not finish, and which plugin it was loading.

A plugin can take the whole process down while it loads (a crash in an
extension module, ``os._exit``, an import that never returns and is
killed). The next start should not do the same again: it should offer safe
mode and name the plugin. So the window writes a small marker file in the
data folder when plugin loading begins, records in it each plugin as it
starts loading, and removes it once loading finished. A marker found at the
next start means the last one did not finish.

The file is opened once, when loading begins, and each plugin's record is
written over the previous one in place, padded with spaces to the longest
record so far (JSON allows trailing white space): one write per plugin, not
a file created and renamed per plugin, which cost more than importing the
plugins themselves. A process that dies between two writes leaves the
previous record whole; a marker that cannot be read still counts as an
unfinished start, with no plugin named.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MARKER_NAME", "LastStart", "StartMarker"]

#: The marker's file name inside the data folder.
MARKER_NAME = "start-in-progress.json"


@dataclass(frozen=True)
class LastStart:
    """What an unfinished start left behind.

    Attributes:
        plugin_key (str | None): The key (``'folder:name'``) of the plugin
            that was loading, if one was.
        plugin_name (str | None): Its name, for the user.
    """

    plugin_key: str | None = None
    plugin_name: str | None = None


class StartMarker:
    """The marker file of one data folder.

    Args:
        data_dir (Path): The data folder.
    """

    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.path = Path(data_dir) / MARKER_NAME
        self._fd: int | None = None
        self._written = 0

    def last_start(self) -> LastStart | None:
        """Return what the previous start left, or None if it finished."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError:
            return LastStart()
        try:
            data = json.loads(text)
        except ValueError:
            return LastStart()
        if not isinstance(data, dict):
            return LastStart()
        key, name = data.get("plugin_key"), data.get("plugin_name")
        return LastStart(
            key if isinstance(key, str) else None,
            name if isinstance(name, str) else None,
        )

    def begin(self) -> None:
        """Write the marker: plugin loading starts now."""
        self.finish()
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError:
            # A marker is a convenience for the next start; a folder we
            # cannot write to is reported elsewhere and must not stop this one.
            return
        self._written = 0
        self._write(None, None)

    def loading(self, key: str, name: str) -> None:
        """Record the plugin about to run code (after :py:meth:`begin`,
        until :py:meth:`finish`; ignored otherwise, e.g. a later reload)."""
        if self._fd is not None:
            self._write(key, name)

    def finish(self) -> None:
        """Remove the marker: the start finished."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _write(self, key: str | None, name: str | None) -> None:
        assert self._fd is not None
        record = json.dumps(
            {"pid": os.getpid(), "plugin_key": key, "plugin_name": name}
        ).encode()
        record = record.ljust(self._written)
        self._written = len(record)
        with contextlib.suppress(OSError):
            os.pwrite(self._fd, record, 0)
