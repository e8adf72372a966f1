"""Files the app writes for the user: private from the first byte.

Exports and event files hold configuration names, settings and event
payloads, which are the user's business only. So every file the app
creates is 0600 and every folder it creates on the way is 0700. The mode
is given when the file is created (``os.open``), never fixed afterwards:
a file made with the default mode and narrowed later could be opened by
another user in between.

A folder that already exists keeps its mode: it is the user's (their
Documents folder, say), and narrowing it would break whatever else they
keep there.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "make_private_dirs",
    "open_private_append",
    "write_private_text",
]

#: Mode of every file the app creates.
FILE_MODE = 0o600

#: Mode of every folder the app creates.
FOLDER_MODE = 0o700


def make_private_dirs(folder: str | os.PathLike[str]) -> None:
    """Create ``folder`` and its missing parents, each 0700.

    ``mkdir``'s mode is reduced by the umask, so each created folder is set
    to 0700 explicitly; folders that exist are left alone.
    """
    folder = Path(folder)
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # made meanwhile by another writer
            continue
        os.chmod(created, FOLDER_MODE)


def write_private_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` as a new 0600 file.

    The text goes to a temporary file in the same folder, which replaces
    ``path`` once complete: a reader never sees half a file, a failed write
    leaves the old file as it was, and the result is 0600 even when the
    file it replaces was readable by others.

    Raises:
        OSError: The folder cannot be created or written to.
    """
    path = Path(path)
    make_private_dirs(path.parent)
    # mkstemp creates the file 0600 itself.
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".partial", dir=path.parent
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def open_private_append(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` for appending bytes, creating it 0600 if needed.

    Its folder is not created: a folder that went away (an unmounted
    drive) is a failure to report, not a place to start writing anew. An
    existing file keeps its mode: the user may have widened it on purpose
    (a log reader running as another account).

    Raises:
        OSError: The file cannot be created or opened.
    """
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    return os.fdopen(fd, "ab")
