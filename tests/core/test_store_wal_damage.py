"""A damaged ``-wal`` (the log of recent changes) is reported and kept aside.

Each test leaves what a crash leaves: the database, its ``-wal`` and its
``-shm`` copied while the writer still holds them (its last saves are in the
log only), then damages the log the way a sync tool or a disk would, and
opens the store again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_app.store import ConfigRecord, ConfigStore, open_store
from tests._support.crashed_logs import (
    SUFFIXES,
    crashed_with_log,
    garble_header,
    garble_middle,
    truncate,
    wal_of,
)


def names(store):
    return [r.name for r in store.list_configs()]


@pytest.mark.parametrize(
    ("damage", "reason", "kept_names"),
    [
        (truncate, "it is cut short", None),
        (garble_middle, "part of it is garbled", ["early 0", "early 1", "early 2"]),
        (garble_header, "its header is garbled", ["early 0", "early 1", "early 2"]),
    ],
)
def test_a_damaged_log_is_kept_aside_and_reported(tmp_path, damage, reason, kept_names):
    db = crashed_with_log(tmp_path)
    damage(db)
    damaged = {suffix: Path(f"{db}{suffix}").read_bytes() for suffix in SUFFIXES}

    store, report = open_store(db)

    with store:
        read = names(store)
    assert report is not None and report.wal
    assert report.reason == reason
    # Both files as they were, next to the database.
    assert report.damaged_path.parent == tmp_path
    assert report.damaged_path.read_bytes() == damaged[""]
    assert Path(f"{report.damaged_path}-wal").read_bytes() == damaged["-wal"]
    assert f"({db.name}-wal) was damaged ({reason})" in report.message
    assert f"kept as {report.damaged_path} and {report.damaged_path}-wal" in (
        report.message
    )
    assert "the app goes on with what could be read" in report.message
    assert read[:3] == ["early 0", "early 1", "early 2"]
    assert len(read) < 8  # what SQLite could not read is gone from the live file
    if kept_names is not None:
        assert read == kept_names
    if report.lost_commits:
        assert f"{report.lost_commits} saved changes in it could not" in report.message


def test_the_notice_counts_the_saves_it_could_not_read(tmp_path):
    db = crashed_with_log(tmp_path)
    garble_header(db)

    store, report = open_store(db)
    store.close()

    assert report.lost_commits == 5
    assert "5 saved changes in it could not be read" in report.message


def test_a_newer_backup_that_holds_more_is_restored(tmp_path):
    db = crashed_with_log(tmp_path, backup_after_log=True)
    garble_middle(db)

    store, report = open_store(db)

    with store:
        assert names(store) == ["early 0", "early 1", "early 2"] + [
            f"late {i}" for i in range(5)
        ]
    assert report.wal and report.restored_from is not None
    assert "restored from the backup of" in report.message
    assert Path(f"{report.damaged_path}-wal").exists()


def test_an_emptied_database_with_a_log_is_kept_aside_even_without_backups(
    tmp_path,
):
    db = crashed_with_log(tmp_path)
    shutil.rmtree(tmp_path / "backups")
    log = wal_of(db).read_bytes()
    db.write_bytes(b"")

    store, report = open_store(db)
    store.close()

    assert report is not None
    assert report.reason == "the file is empty, but its log of recent changes is not"
    assert Path(f"{report.damaged_path}-wal").read_bytes() == log
    assert report.damaged_path.read_bytes() == b""


def test_a_crash_with_an_intact_log_is_not_damage(tmp_path):
    db = crashed_with_log(tmp_path)

    store, report = open_store(db)

    with store:
        assert len(names(store)) == 8
    assert report is None
    assert not list(tmp_path.glob("*.damaged-*"))


def test_a_log_another_process_is_writing_is_not_damage(tmp_path):
    db = tmp_path / "configs.sqlite3"
    store, _ = open_store(db)
    store.close()
    with ConfigStore(db) as writer:
        for i in range(5):
            writer.save_config(ConfigRecord("tests.X", name=f"live {i}"))
        assert wal_of(db).stat().st_size > 0

        second, report = open_store(db)
        second.close()

        assert report is None
        writer.save_config(ConfigRecord("tests.X", name="after"))
    assert not list(tmp_path.glob("*.damaged-*"))
