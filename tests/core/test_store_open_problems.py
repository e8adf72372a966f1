"""Opening a database the app must not change: one a newer version of the
app wrote, or one opened read-only; and a folder where the file should be."""

from __future__ import annotations

import sqlite3

import pytest

import desktop_app
from desktop_app.errors import SchemaTooNewError, StoreError
from desktop_app.store import ConfigRecord, ConfigStore, open_store
from desktop_app.store.backup import make_backup


def saved(path, *names):
    store, _ = open_store(path)
    with store:
        for name in names:
            store.save_config(ConfigRecord("tests.X", name=name, settings={"n": name}))


def from_newer_app(path, version_number=2_003_001, revision="0099"):
    """What a newer app leaves behind: a schema revision this app does not
    know, and (newer apps record it) its own version."""
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        raw.execute(f"PRAGMA user_version={version_number}")
    raw.close()


def files_of(folder):
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_newer_apps_database_is_never_replaced_by_a_backup(tmp_path):
    db = tmp_path / "configs.sqlite3"
    saved(db, "old")
    make_backup(db)  # what recovery used to put in its place
    saved(db, "made by the newer app")
    from_newer_app(db)
    before = files_of(tmp_path)

    with pytest.raises(SchemaTooNewError) as info:
        open_store(db)

    assert "desktop-app 2.3.1" in str(info.value)
    assert "schema revision 0099" in str(info.value)
    assert "read-only" in str(info.value)
    assert info.value.written_by == "2.3.1"
    assert files_of(tmp_path) == before
    assert not list(tmp_path.glob("*.damaged-*"))


def test_a_newer_database_that_records_no_version_names_its_revision(tmp_path):
    db = tmp_path / "configs.sqlite3"
    saved(db, "a")
    from_newer_app(db, version_number=0, revision="0123")

    with pytest.raises(SchemaTooNewError) as info:
        ConfigStore(db)

    assert info.value.written_by is None
    assert "a newer version of the app (schema revision 0123)" in str(info.value)


def test_the_app_records_its_version_when_it_creates_the_schema(tmp_path):
    db = tmp_path / "configs.sqlite3"
    saved(db)
    raw = sqlite3.connect(db)
    [(number,)] = raw.execute("PRAGMA user_version").fetchall()
    raw.close()
    major, minor, patch = (int(p) for p in desktop_app.__version__.split("."))
    assert number == major * 1_000_000 + minor * 1_000 + patch


def test_a_newer_database_opens_read_only_and_stays_unchanged(tmp_path):
    db = tmp_path / "configs.sqlite3"
    saved(db, "first", "second")
    from_newer_app(db)
    before = files_of(tmp_path)

    store, report = open_store(db, read_only=True)
    with store:
        assert report is None
        assert store.read_only
        assert [r.name for r in store.list_configs()] == ["first", "second"]
        record = store.list_configs()[0]
        with pytest.raises(StoreError, match="read-only"):
            store.save_config(record)
        with pytest.raises(StoreError, match="read-only"):
            store.delete_config(record.id)
        with pytest.raises(StoreError, match="read-only"):
            store.bulk_insert([ConfigRecord("tests.X", name="new")])
        assert not store.has_external_changes()

    after = files_of(tmp_path)
    # SQLite's shared-memory index may appear; the data files do not change.
    after.pop("configs.sqlite3-shm", None)
    after.pop("configs.sqlite3-wal", None)
    assert after == before


def test_a_read_only_store_sees_commits_of_a_writer(tmp_path):
    db = tmp_path / "configs.sqlite3"
    saved(db, "first")
    writer = ConfigStore(db)
    with ConfigStore(db, read_only=True) as reader, writer:
        writer.save_config(ConfigRecord("tests.X", name="second"))
        assert reader.has_external_changes()
        assert [r.name for r in reader.list_configs()] == ["first", "second"]


def test_read_only_cannot_create_or_upgrade_a_database(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        ConfigStore(tmp_path / "missing.sqlite3", read_only=True)
    assert not (tmp_path / "missing.sqlite3").exists()

    old = tmp_path / "old.sqlite3"
    saved(old, "a")
    raw = sqlite3.connect(old)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = '0001'")
    raw.close()
    with pytest.raises(StoreError, match="cannot be upgraded read-only"):
        ConfigStore(old, read_only=True)


def test_a_folder_where_the_database_should_be_is_a_clear_error(tmp_path):
    (tmp_path / "configs.sqlite3").mkdir()

    with pytest.raises(StoreError, match="is a folder, not a file"):
        open_store(tmp_path / "configs.sqlite3")

    assert (tmp_path / "configs.sqlite3").is_dir()
    assert not list(tmp_path.glob("*.damaged-*"))
