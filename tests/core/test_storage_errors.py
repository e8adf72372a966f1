"""Every database failure a user can meet is a StoreError subclass with a
plain message and a fix: disk full, read-only, locked, I/O error.

The faults are real: SQLite itself fails (a lock held by another
connection, a file-size limit, a full filesystem, a read-only connection).
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import threading

import pytest

from desktop_app.errors import (
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyStoreError,
    StorageFaultError,
    StorageIOError,
    StoreError,
)
from desktop_app.manager import IntegrationManager
from desktop_app.store import ConfigRecord, ConfigStore
from desktop_app.store._faults import store_error
from tests._support.storage_faults import (
    SHORT_BUSY_TIMEOUT,
    exclusive_lock_held,
    fill_up,
    no_file_growth,
    small_filesystem,
    write_lock_held,
)

SECRET = "hunter2-zz9"


@pytest.fixture(autouse=True)
def _short_busy_timeout(monkeypatch):
    monkeypatch.setenv("DESKTOP_APP_BUSY_TIMEOUT", SHORT_BUSY_TIMEOUT)


def _record(**settings):
    return ConfigRecord("tests.Fake", "cfg", True, {"token": SECRET, **settings})


def _assert_plain(error, path):
    text = str(error)
    assert str(path) in text
    assert error.path == path
    assert SECRET not in text
    assert "INSERT" not in text and "UPDATE" not in text
    assert "\n" not in text
    assert text.endswith("try again.")


# The classification itself, on errors SQLite really raised ----------------


def _raised(func):
    with pytest.raises(sqlite3.Error) as info:
        func()
    return info.value


def test_a_full_database_is_disk_full(tmp_path):
    conn = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA max_page_count = 2")
    error = _raised(lambda: conn.execute("INSERT INTO t VALUES (zeroblob(100000))"))
    result = store_error(tmp_path / "a.db", error, 5)
    assert isinstance(result, DiskFullError)
    assert str(result) == (
        f"The disk holding {tmp_path / 'a.db'} is full. "
        f"Free some space, then try again."
    )
    assert result.sqlite_errorname == "SQLITE_FULL"


def test_a_read_only_connection_is_read_only(tmp_path):
    path = tmp_path / "a.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    error = _raised(lambda: conn.execute("INSERT INTO t VALUES (?)", (SECRET,)))
    result = store_error(path, error, 5)
    assert isinstance(result, ReadOnlyStoreError)
    _assert_plain(result, path)
    assert "read-only" in str(result)


def test_a_lock_kept_past_the_timeout_is_locked(tmp_path):
    path = tmp_path / "a.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with write_lock_held(path):
        conn = sqlite3.connect(path, timeout=0, isolation_level=None)
        error = _raised(lambda: conn.execute("BEGIN IMMEDIATE"))
    result = store_error(path, error, 2.5)
    assert isinstance(result, DatabaseLockedError)
    assert result.timeout == 2.5
    assert "locked by another program (still busy after 2.5 s)" in str(result)
    _assert_plain(result, path)


def test_a_failed_write_is_an_io_error(tmp_path):
    path = tmp_path / "a.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    with no_file_growth():
        error = _raised(lambda: conn.execute("INSERT INTO t VALUES (zeroblob(9000))"))
    result = store_error(path, error, 5)
    assert isinstance(result, StorageIOError)
    assert result.sqlite_errorname.startswith("SQLITE_IOERR")
    _assert_plain(result, path)


def test_a_file_that_cannot_be_opened_is_an_io_error(tmp_path):
    path = tmp_path / "missing" / "a.db"
    error = _raised(lambda: sqlite3.connect(path))
    assert isinstance(store_error(path, error, 5), StorageIOError)


def test_other_errors_name_the_code_and_nothing_else(tmp_path):
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute("CREATE TABLE t (x UNIQUE)")
    conn.execute("INSERT INTO t VALUES (?)", (SECRET,))
    error = _raised(lambda: conn.execute("INSERT INTO t VALUES (?)", (SECRET,)))
    result = store_error(tmp_path / "a.db", error, 5)
    assert type(result) is StoreError
    assert "SQLITE_CONSTRAINT" in str(result)
    assert SECRET not in str(result)


# Through the store ------------------------------------------------------


def test_every_write_meets_a_lock_as_database_locked(tmp_path):
    path = tmp_path / "configs.sqlite3"
    with ConfigStore(path) as store:
        saved = store.save_config(_record())
        store.delete_config(saved.id)
        with write_lock_held(path):
            attempts = {
                "save": lambda: store.save_config(_record()),
                "bulk insert": lambda: store.bulk_insert([_record()]),
                "restore": lambda: store.restore_config(saved),
                "delete": lambda: store.delete_config(saved.id),
            }
            for what, attempt in attempts.items():
                with pytest.raises(DatabaseLockedError) as info:
                    attempt()
                _assert_plain(info.value, path)
                assert info.value.timeout == float(SHORT_BUSY_TIMEOUT), what
        # Nothing was half-written, and the store works once the lock goes.
        assert store.list_configs() == []
        assert store.save_config(_record()).id is not None


def test_the_busy_timeout_can_be_given_to_the_store(tmp_path):
    path = tmp_path / "configs.sqlite3"
    with (
        ConfigStore(path, busy_timeout=0.01) as store,
        write_lock_held(path),
        pytest.raises(DatabaseLockedError) as info,
    ):
        store.save_config(_record())
    assert info.value.timeout == 0.01


def test_opening_a_database_another_program_holds_is_database_locked(tmp_path):
    path = tmp_path / "configs.sqlite3"
    ConfigStore(path).close()
    with exclusive_lock_held(path), pytest.raises(DatabaseLockedError) as info:
        ConfigStore(path)
    _assert_plain(info.value, path)


def test_a_write_failing_on_the_disk_is_an_io_error_and_writes_nothing(tmp_path):
    path = tmp_path / "configs.sqlite3"
    with ConfigStore(path) as store:
        store.save_config(_record())
        with no_file_growth(), pytest.raises(StorageIOError) as info:
            store.save_config(_record(big="x" * 20000))
        _assert_plain(info.value, path)
        assert len(store.list_configs()) == 1
        assert store.save_config(_record()).revision == 1


def test_a_full_disk_is_disk_full_and_writes_nothing(tmp_path):
    with small_filesystem(tmp_path) as disk:
        path = disk / "configs.sqlite3"
        with ConfigStore(path) as store:
            store.save_config(_record())
            filler = fill_up(disk)
            with pytest.raises(DiskFullError) as info:
                store.save_config(_record(big="x" * 200_000))
            assert str(info.value) == (
                f"The disk holding {path} is full. Free some space, then try again."
            )
            assert isinstance(info.value, StorageFaultError)
            filler.unlink()
            assert len(store.list_configs()) == 1
            store.save_config(_record(big="x" * 200_000))
            assert len(store.list_configs()) == 2


def test_the_manager_keeps_the_keyring_clean_when_a_save_fails(
    tmp_path, memory_keyring
):
    from tests._support.sample_integrations import SampleIntegration, valid_settings

    path = tmp_path / "configs.sqlite3"
    manager = IntegrationManager(path, watch_interval=None)
    try:
        sample = manager.register_integration_class(SampleIntegration)
        config = sample.create_config(
            name="Hook", settings=valid_settings(token=SECRET), save=False
        )
        with write_lock_held(path), pytest.raises(DatabaseLockedError) as info:
            config.save()
        assert SECRET not in str(info.value)
        assert SECRET not in repr(info.value.__cause__)
        assert memory_keyring.entries == {}
    finally:
        manager.shutdown()


def test_the_file_size_limit_helper_restores_everything(tmp_path):
    before = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.getsignal(signal.SIGXFSZ)
    with no_file_growth():
        pass
    assert resource.getrlimit(resource.RLIMIT_FSIZE) == before
    assert signal.getsignal(signal.SIGXFSZ) == handler


def test_a_read_failing_on_the_file_is_a_store_error(tmp_path):
    path = tmp_path / "configs.sqlite3"
    with ConfigStore(path) as store:
        store.bulk_insert([_record(n=i, pad="p" * 500) for i in range(200)])
        other = sqlite3.connect(path)
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        other.close()
        # Someone cut the file short under the running app.
        os.truncate(path, 8192)
        failures = []

        def read():
            try:
                store.list_configs()
            except Exception as e:  # noqa: BLE001 - what escapes is the point
                failures.append(e)

        # A new thread gets a new read connection, with nothing cached.
        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
    assert len(failures) == 1
    assert isinstance(failures[0], StoreError)
    assert isinstance(failures[0].__cause__, sqlite3.Error)
