"""The data folder is 0700; the database, its -wal/-shm and backups 0600."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from desktop_app._paths import DataPaths
from desktop_app.store import ConfigRecord, ConfigStore, open_store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_ensure_creates_private_folders(tmp_path, loose_umask):
    paths = DataPaths(tmp_path / "data").ensure()
    for folder in (paths.data_dir, paths.plugins_dir, paths.backups_dir):
        assert mode(folder) == 0o700
    assert paths.permission_warnings == []


def test_ensure_warns_about_a_loose_existing_folder_without_changing_it(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    paths = DataPaths(folder).ensure()
    assert mode(folder) == 0o755
    assert "chmod 700" in paths.permission_warnings[0]


def test_database_wal_shm_and_backups_are_private(tmp_path, loose_umask):
    paths = DataPaths(tmp_path / "data").ensure()
    store, report = open_store(paths.database)
    with store:
        store.save_config(ConfigRecord("x", name="a"))
        for suffix in ("", "-wal", "-shm"):
            assert mode(f"{paths.database}{suffix}") == 0o600, suffix
        backups = list(paths.backups_dir.iterdir())
        assert backups and all(mode(b) == 0o600 for b in backups)
    assert report is None


def test_opening_tightens_a_loose_database_file(tmp_path):
    db = tmp_path / "configs.sqlite3"
    ConfigStore(db).close()
    db.chmod(0o644)
    ConfigStore(db).close()
    assert mode(db) == 0o600
