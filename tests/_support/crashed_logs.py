"""Leaving what a crash leaves, then damaging the ``-wal`` the way a sync
tool or a disk would (for the WAL damage tests of the store and the CLI)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from desktop_app.store import ConfigRecord, ConfigStore, open_store
from desktop_app.store.backup import list_backups

SUFFIXES = ("", "-wal", "-shm")


def crashed_with_log(tmp_path, *, backup_after_log=False) -> Path:
    """Return a database whose last five saves live only in its -wal."""
    db = tmp_path / "configs.sqlite3"
    store, _ = open_store(db)  # makes the day's backup (empty)
    with store:
        for i in range(3):
            store.save_config(ConfigRecord("tests.X", name=f"early {i}"))
    writer = ConfigStore(db)
    for i in range(5):
        writer.save_config(ConfigRecord("tests.X", name=f"late {i}"))
    if backup_after_log:
        for old in list_backups(tmp_path / "backups"):
            old.path.unlink()
        writer.backup()
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    for suffix in SUFFIXES:
        shutil.copyfile(f"{db}{suffix}", snapshot / f"db{suffix}")
    writer.close()  # checkpoints and deletes the log
    for suffix in SUFFIXES:
        shutil.copyfile(snapshot / f"db{suffix}", f"{db}{suffix}")
    return db


def wal_of(db: Path) -> Path:
    return Path(f"{db}-wal")


def truncate(db):
    os.truncate(wal_of(db), wal_of(db).stat().st_size - 3000)


def garble_middle(db):
    data = bytearray(wal_of(db).read_bytes())
    start = 32 + 2 * (24 + 4096) + 100  # inside the third frame's page
    data[start : start + 100] = bytes(b ^ 0xFF for b in data[start : start + 100])
    wal_of(db).write_bytes(bytes(data))


def garble_header(db):
    data = bytearray(wal_of(db).read_bytes())
    data[20] ^= 0xFF  # a salt: SQLite then ignores the whole log
    wal_of(db).write_bytes(bytes(data))
