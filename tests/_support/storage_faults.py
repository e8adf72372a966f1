"""Real storage faults for tests: a lock another program holds, a file-size
limit that fails writes with an I/O error, a small filesystem that fills up.

No mocks: each makes SQLite itself fail the way it fails for users.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

#: A busy timeout short enough to keep the suite fast (seconds).
SHORT_BUSY_TIMEOUT = "0.05"


@contextmanager
def write_lock_held(database: Path) -> Iterator[sqlite3.Connection]:
    """Hold the database's write lock from another connection, as another
    program saving would, until the block ends."""
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield conn
        conn.execute("ROLLBACK")
    finally:
        conn.close()


@contextmanager
def exclusive_lock_held(database: Path) -> Iterator[None]:
    """Hold an exclusive lock that keeps even readers out (a program using
    ``locking_mode=EXCLUSIVE``). Works only while nothing else has the
    file open."""
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


@contextmanager
def no_file_growth() -> Iterator[None]:
    """Refuse every write that would make a file of this process grow
    (``RLIMIT_FSIZE``), so SQLite's next append to its log fails with an
    I/O error. The limit and the signal handler are restored afterwards."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@contextmanager
def small_filesystem(tmp_path: Path, size: str = "2m") -> Iterator[Path]:
    """Mount a tmpfs of ``size`` under ``tmp_path``; skip the test where
    this machine does not allow mounting."""
    mount_point = tmp_path / f"small-disk-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", mount_point],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {result.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", mount_point], check=False)


def fill_up(folder: Path) -> Path:
    """Write a file in ``folder`` until its filesystem has no space left;
    return it (delete it to free the space again)."""
    filler = folder / "filler"
    chunk = b"\0" * 4096
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                os.write(fd, chunk)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                chunk = chunk[: len(chunk) // 2]
                if not chunk:
                    break
    finally:
        os.close(fd)
    return filler
