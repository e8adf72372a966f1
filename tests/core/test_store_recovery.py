"""A damaged database never stops the app and never costs the damaged file."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.errors import DatabaseDamagedError, SchemaTooNewError, StoreError
from desktop_app.store import (
    ConfigRecord,
    ConfigStore,
    list_backups,
    make_backup,
    open_store,
)

SETTINGS = {"url": "https://example.com/ü", "n": 7, "tags": ["a", None, 1.5]}


def fill(path: Path, names=("alpha", "beta", "gamma")) -> None:
    with ConfigStore(path) as store:
        for name in names:
            store.save_config(
                ConfigRecord("tests.X", name=name, enabled=True, settings=SETTINGS)
            )


def stored(store: ConfigStore) -> list[tuple[str, bool, dict]]:
    return [(c.name, c.enabled, c.settings) for c in store.list_configs()]


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def truncated(path: Path) -> None:
    fill(path, [f"config {i}" for i in range(150)])
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)


def not_sqlite(path: Path) -> None:
    path.write_text("[settings]\nthis = is an ini file, not SQLite\n" * 50)


def newer_schema(path: Path) -> None:
    fill(path)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()


DAMAGE = {
    "garbage": garbage,
    "truncated": truncated,
    "not_sqlite": not_sqlite,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_file_is_moved_aside_and_backup_restored(tmp_path, damage):
    db = tmp_path / "configs.sqlite3"
    fill(db)
    backup = make_backup(db, keep=5)
    with ConfigStore(db) as store:  # made after the backup: lost on restore
        store.save_config(ConfigRecord("tests.X", name="after backup"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    DAMAGE[damage](db)
    bad_bytes = db.read_bytes()

    store, report = open_store(db)
    with store:
        assert stored(store) == [
            (n, True, SETTINGS) for n in ("alpha", "beta", "gamma")
        ]
    assert report is not None
    assert report.restored_from == backup
    assert report.damaged_path.name.startswith("configs.sqlite3.damaged-")
    assert report.damaged_path.read_bytes() == bad_bytes
    assert str(report.damaged_path) in report.message
    assert "restored from the backup of" in report.message
    assert report.reason in report.message
    assert backup.exists()  # the backup itself is kept


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_file_without_backup_starts_empty(tmp_path, damage):
    db = tmp_path / "configs.sqlite3"
    DAMAGE[damage](db)
    for backup in list_backups(tmp_path / "backups"):
        backup.path.unlink()
    store, report = open_store(db)
    with store:
        assert store.list_configs() == []
        store.save_config(ConfigRecord("tests.X", name="works again"))
    assert report is not None and report.restored_from is None
    assert "started with an empty database" in report.message
    assert report.damaged_path.exists()


def test_config_store_raises_distinct_errors(tmp_path):
    garbage(tmp_path / "a.sqlite3")
    with pytest.raises(DatabaseDamagedError) as info:
        ConfigStore(tmp_path / "a.sqlite3")
    assert info.value.path == tmp_path / "a.sqlite3"
    newer_schema(tmp_path / "b.sqlite3")
    with pytest.raises(SchemaTooNewError, match="newer version") as info:
        ConfigStore(tmp_path / "b.sqlite3")
    assert info.value.revision == "9999"
    assert isinstance(info.value, StoreError)
    # Not damage: nothing may move or replace a newer app's file.
    assert not isinstance(info.value, DatabaseDamagedError)


def test_wal_and_shm_move_with_the_damaged_file(tmp_path):
    db = tmp_path / "configs.sqlite3"
    garbage(db)
    Path(f"{db}-wal").write_bytes(b"wal bytes")
    Path(f"{db}-shm").write_bytes(b"shm bytes")
    store, report = open_store(db)
    store.close()
    assert Path(f"{report.damaged_path}-wal").read_bytes() == b"wal bytes"
    # The -shm is only an index SQLite rebuilds; it moves along too.
    assert Path(f"{report.damaged_path}-shm").exists()


def test_damaged_backup_is_skipped_for_an_older_good_one(tmp_path):
    db = tmp_path / "configs.sqlite3"
    fill(db, ["old but good"])
    now = datetime.now(UTC)
    good = make_backup(db, now=now - timedelta(days=2))
    bad = make_backup(db, now=now - timedelta(days=1))
    bad.write_bytes(os.urandom(4096))
    garbage(db)
    store, report = open_store(db)
    with store:
        assert [c.name for c in store.list_configs()] == ["old but good"]
    assert report.restored_from == good


def test_emptied_file_with_backups_is_restored(tmp_path):
    db = tmp_path / "configs.sqlite3"
    fill(db, ["kept"])
    make_backup(db)
    db.write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store, report = open_store(db)
    with store:
        assert [c.name for c in store.list_configs()] == ["kept"]
    assert report.reason == "the file is empty"


def test_healthy_database_gives_no_report(tmp_path):
    db = tmp_path / "configs.sqlite3"
    fill(db)
    store, report = open_store(db)
    with store:
        assert len(store.list_configs()) == 3
    assert report is None
    assert not list(tmp_path.glob("*.damaged-*"))


# --- backups ----------------------------------------------------------------


def test_open_store_backs_up_at_most_once_a_day(tmp_path):
    db = tmp_path / "configs.sqlite3"
    fill(db)
    for _ in range(3):
        store, _report = open_store(db)
        store.close()
    backups = list_backups(tmp_path / "backups")
    assert len(backups) == 1
    # A day later, the next start makes another.
    old = backups[0].path.with_name("configs-20000101T000000000000Z.sqlite3")
    backups[0].path.rename(old)
    store, _report = open_store(db)
    store.close()
    assert len(list_backups(tmp_path / "backups")) == 2


def test_backups_rotate_keeping_the_newest(tmp_path):
    db = tmp_path / "configs.sqlite3"
    fill(db)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    made = [make_backup(db, keep=5, now=start + timedelta(days=i)) for i in range(8)]
    assert [b.path for b in list_backups(tmp_path / "backups")] == made[:2:-1]
    assert not made[0].exists()


def test_backup_is_a_consistent_private_copy(tmp_path):
    db = tmp_path / "configs.sqlite3"
    fill(db)
    with ConfigStore(db) as store:  # open: WAL holds recent commits
        store.save_config(ConfigRecord("tests.X", name="in the wal"))
        backup = store.backup()
    assert (backup.stat().st_mode & 0o777) == 0o600
    assert not Path(f"{backup}-wal").exists()
    raw = sqlite3.connect(backup)
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert raw.execute("SELECT count(*) FROM configs").fetchone() == (4,)
    raw.close()
