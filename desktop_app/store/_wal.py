"""Telling a damaged ``-wal`` from a normal one, before SQLite reads it.

SQLite replays a write-ahead log up to its last intact commit and silently
ignores the rest, then deletes the log when the last connection closes. That
is right after a crash (the ignored frames were never acknowledged), but
when the log itself was damaged (truncated by a sync tool, garbled by a
disk) acknowledged saves vanish without a word. This module reads the log
the way SQLite's documented file format describes it
(https://www.sqlite.org/fileformat.html, "The Write-Ahead Log") and says
whether commits were lost, so that :py:func:`desktop_app.store.open_store`
can keep the files aside and tell the user.

What counts as damage, and why:

* a log of 1 to 31 bytes, or whose header fails its checksum: SQLite never
  writes either, it ignores the whole log;
* a frame of the log's current generation (same salts) that carries a
  commit mark after the point where checksums stop matching: a commit SQLite
  wrote and acknowledged is unreadable. Frames of an older generation (other
  salts) are normal leftovers of a log SQLite restarted;
* fewer intact frames than the wal-index (``-shm``) of the process that
  wrote them recorded as committed: the log lost its end. Without a
  ``-shm`` a cut at the end looks like a crash in the middle of a write and
  cannot be told from one.

An uncommitted tail (a crash while writing) is not damage: no commit mark.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

__all__ = ["IndexMark", "WalDamage", "inspect_wal", "read_index_mark"]

_HEADER = 32
_FRAME_HEADER = 24
_MAGIC_LE = 0x377F0682
_MAGIC_BE = 0x377F0683
_VERSION = 3007000
#: The wal-index header: two copies of 48 bytes, in the writer's byte order.
_INDEX_HEADER = 48


@dataclass(frozen=True)
class IndexMark:
    """What the wal-index (``-shm``) says the log holds: its frame count
    and salts, read before any connection rebuilds the index."""

    max_frame: int
    salts: bytes


@dataclass(frozen=True)
class WalDamage:
    """Why a ``-wal`` is damaged.

    Attributes:
        reason (str): In plain words.
        lost_commits (int | None): How many commits SQLite will skip, when
            the log shows it.
    """

    reason: str
    lost_commits: int | None = None


def wal_path(database: Path) -> Path:
    """Return the ``-wal`` file of ``database``."""
    return Path(f"{database}-wal")


def read_index_mark(database: Path) -> IndexMark | None:
    """Read the frame count the ``-shm`` recorded, or ``None`` when there is
    no usable one (no file, never initialised, copies that disagree).

    Must run before anything opens the database: the first connection
    rebuilds the index from the log, forgetting what it said.
    """
    try:
        with open(f"{database}-shm", "rb") as f:
            raw = f.read(2 * _INDEX_HEADER)
    except OSError:
        return None
    if len(raw) < 2 * _INDEX_HEADER or raw[:_INDEX_HEADER] != raw[_INDEX_HEADER:]:
        return None
    for order in ("<", ">"):
        version, _unused, _change, is_init = struct.unpack_from(f"{order}IIIB", raw)
        if version == _VERSION and is_init:
            (max_frame,) = struct.unpack_from(f"{order}I", raw, 16)
            return IndexMark(max_frame, raw[32:40])
    return None


def inspect_wal(database: Path, mark: IndexMark | None = None) -> WalDamage | None:
    """Check ``database``'s ``-wal`` and return its damage, or ``None``.

    Call it while holding the database's write lock (or with no other
    process using it): a writer appending frames meanwhile could look like
    damage.

    Args:
        database (pathlib.Path): The database file.
        mark (IndexMark | None): From :py:func:`read_index_mark`, read
            before any connection opened the database.
    """
    try:
        data = wal_path(database).read_bytes()
    except FileNotFoundError:
        return None
    if not data:
        return None
    if len(data) < _HEADER:
        return WalDamage("it is cut short")
    magic, version, page_size, _seq = struct.unpack_from(">IIII", data)
    salts = data[16:24]
    frame_size = _FRAME_HEADER + page_size
    if magic not in (_MAGIC_LE, _MAGIC_BE) or version != _VERSION:
        return _garbled_header(data, frame_size)
    order = "<" if magic == _MAGIC_LE else ">"
    checksum = _checksum(data, 0, 24, order, (0, 0))
    if checksum != struct.unpack_from(">II", data, 24):
        return _garbled_header(data, frame_size)
    offset, frames, valid = _HEADER, 0, 0
    while offset + frame_size <= len(data):
        if data[offset + 8 : offset + 16] != salts:
            break  # an older generation of the log: not ours to read
        checksum = _checksum(data, offset, 8, order, checksum)
        checksum = _checksum(data, offset + _FRAME_HEADER, page_size, order, checksum)
        if checksum != struct.unpack_from(">II", data, offset + 16):
            lost = _count_commits(data, salts, frame_size, start=offset)
            if lost:
                return WalDamage("part of it is garbled", lost)
            break
        frames += 1
        if struct.unpack_from(">I", data, offset + 4)[0]:
            valid = frames  # a commit frame: everything up to here counts
        offset += frame_size
    if mark is not None and mark.salts == salts and mark.max_frame > valid:
        return WalDamage("it is cut short")
    return None


def _garbled_header(data: bytes, frame_size: int) -> WalDamage:
    """SQLite ignores the whole log; its commits are those of the first
    frame's generation (the header's own salts may be the garbled bytes)."""
    lost = None
    if 512 + _FRAME_HEADER <= frame_size <= 65536 + _FRAME_HEADER:
        first = data[_HEADER + 8 : _HEADER + 16]
        lost = _count_commits(data, first, frame_size)
    return WalDamage("its header is garbled", lost)


def _count_commits(
    data: bytes, salts: bytes, frame_size: int, start: int = _HEADER
) -> int:
    """Count the commit frames of generation ``salts`` from ``start``,
    without checking their checksums (they are the ones that fail)."""
    count = 0
    for offset in range(start, len(data) - _FRAME_HEADER + 1, frame_size):
        same_generation = data[offset + 8 : offset + 16] == salts
        if same_generation and data[offset + 4 : offset + 8] != bytes(4):
            count += 1
    return count


def _checksum(
    data: bytes, offset: int, length: int, order: str, seed: tuple[int, int]
) -> tuple[int, int]:
    """SQLite's WAL checksum of ``data[offset:offset + length]`` from
    ``seed`` (pairs of 32-bit words in the log's byte order)."""
    s0, s1 = seed
    words = struct.unpack_from(f"{order}{length // 4}I", data, offset)
    mask = 0xFFFFFFFF
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & mask
        s1 = (s1 + words[i + 1] + s0) & mask
    return s0, s1
