"""The store's file: connection settings, migrations, and SQLAlchemy and
Alembic imported only to migrate."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop_app.errors import StoreError
from desktop_app.store import SCHEMA_REVISION, ConfigRecord, ConfigStore
from desktop_app.store._migrate import make_alembic_config, migration_engine
from desktop_app.store._models import Base

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "schema-0001.sqlite3"


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports this checkout."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def assert_store_settings(conn: sqlite3.Connection) -> None:
    def pragma(name):
        return conn.execute(f"PRAGMA {name}").fetchone()[0]

    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == 5000


def test_connections_use_wal_and_full_sync(tmp_path):
    # synchronous, foreign_keys and busy_timeout belong to each connection,
    # so they are read on the store's own ones (private: the store exposes
    # no connection), the write connection and a read connection per thread.
    with ConfigStore(tmp_path / "configs.sqlite3") as store:
        store.save_config(ConfigRecord("x", name="a"))
        assert_store_settings(store._write_conn)
        assert_store_settings(store._reads.get())
        errors = []

        def on_another_thread():
            try:
                assert_store_settings(store._reads.get())
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        thread = threading.Thread(target=on_another_thread)
        thread.start()
        thread.join()
        assert errors == []


def test_wal_mode_is_stored_in_the_file(tmp_path):
    path = tmp_path / "configs.sqlite3"
    ConfigStore(path).close()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_schema_revision_is_alembic_head():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(make_alembic_config())
    assert script.get_heads() == [SCHEMA_REVISION]


def test_new_database_is_at_schema_revision(tmp_path):
    path = tmp_path / "configs.sqlite3"
    ConfigStore(path).close()
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [
        (SCHEMA_REVISION,)
    ]
    raw.close()


def test_migrations_match_the_model(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    path = tmp_path / "configs.sqlite3"
    ConfigStore(path).close()
    engine = migration_engine(path)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_schema_0001_file_upgrades_with_data_intact(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE, path)
    with ConfigStore(path) as store:
        configs = store.list_configs()
        assert [(c.id, c.name, c.enabled, c.revision) for c in configs] == [
            (3, "Nightly report", True, 0),
            (1, "Team chat", True, 0),
            (2, "Älteres Projekt", False, 0),
        ]
        assert configs[0].settings == {
            "to": ["ops@example.com"],
            "hour": 3,
            "html": False,
        }
        assert configs[1].time_added == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
        assert all(c.load_error is None for c in configs)
        # A copy loaded before the upgrade (revision 0) saves cleanly.
        saved = store.save_config(replace(configs[2], name="Renamed"))
        assert saved.revision == 1
        assert store.get_config(2).revision == 1
        assert store.get_config(2).name == "Renamed"
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (
        SCHEMA_REVISION,
    )
    raw.close()


def test_fixture_script_rebuilds_an_equivalent_file(tmp_path):
    sys.path.insert(0, str(FIXTURE.parent))
    try:
        import make_schema_0001
    finally:
        sys.path.remove(str(FIXTURE.parent))
    built = make_schema_0001.build(tmp_path / "rebuilt.sqlite3")

    def dump(path):
        raw = sqlite3.connect(path)
        try:
            return list(raw.iterdump())
        finally:
            raw.close()

    assert dump(built) == dump(FIXTURE)


def test_database_from_a_newer_app_raises_store_error(tmp_path):
    path = tmp_path / "configs.sqlite3"
    ConfigStore(path).close()
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num='9999'")
    raw.close()
    with pytest.raises(StoreError, match="newer version"):
        ConfigStore(path)


def test_opening_reading_and_writing_a_current_database_imports_no_sqlalchemy(
    tmp_path,
):
    path = tmp_path / "configs.sqlite3"
    ConfigStore(path).close()
    result = run_python(
        f"""
        import sys
        from dataclasses import replace
        from desktop_app.errors import ConfigConflictError, StoreError
        from desktop_app.store import ConfigRecord, ConfigStore, open_store
        with ConfigStore({str(path)!r}) as store:
            # Reading.
            store.list_configs()
            store.list_configs("x", search="a", after=("a", 1), limit=5)
            store.count("x", enabled=True)
            store.count_configs()
            store.has_external_changes()
            # Writing, every kind, and the errors a write can raise.
            saved = store.save_config(ConfigRecord("x", name="a", settings={{"n": 1}}))
            updated = store.save_config(replace(saved, name="b"))
            try:
                store.save_config(replace(saved, name="stale"))
            except ConfigConflictError:
                pass
            try:
                store.save_config(ConfigRecord("x", settings={{"bad": object()}}))
            except StoreError:
                pass
            store.save_config(replace(saved, name="c"), force=True)
            stored = store.bulk_insert(
                [ConfigRecord("x", name=f"bulk {{i}}") for i in range(3)]
            )
            store.delete_config(updated.id)
            store.restore_config(updated)
            store.get_config(stored.ids[0])
            store.backup()
        # The app opens its database through open_store.
        store, report = open_store({str(path)!r})
        with store:
            assert report is None
            store.save_config(ConfigRecord("x", name="via open_store"))
            assert store.count() == 5, store.count()
        heavy = ("alembic", "sqlalchemy")
        print(sorted(m for m in sys.modules if m.split(".")[0] in heavy))
        """
    )
    assert result.stdout.strip() == "[]"


def test_migrating_an_old_database_does_import_alembic(tmp_path):
    # The check above would also pass if it could not see these imports.
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE, path)
    result = run_python(
        f"""
        import sys
        from desktop_app.store import ConfigStore
        ConfigStore({str(path)!r}).close()
        print("sqlalchemy" in sys.modules, "alembic" in sys.modules)
        """
    )
    assert result.stdout.strip() == "True True"


def test_store_imports_without_qt():
    result = run_python(
        """
        import sys
        import desktop_app.store
        banned = ("PySide6", "shiboken6")
        print([m for m in sys.modules if m.startswith(banned)])
        """
    )
    assert result.stdout.strip() == "[]"


def raw_rows(path):
    raw = sqlite3.connect(path)
    try:
        return raw.execute(
            "SELECT id, integration_id, name, enabled, settings, time_added, "
            "last_updated FROM configs ORDER BY id"
        ).fetchall()
    finally:
        raw.close()


def test_schema_0001_upgrade_keeps_every_field_and_backs_up_first(tmp_path):
    from desktop_app.store import list_backups

    path = tmp_path / "configs.sqlite3"
    shutil.copyfile(FIXTURE, path)
    before = raw_rows(FIXTURE)
    assert before  # the fixture holds configs
    with ConfigStore(path) as store:
        configs = store.list_configs()
    assert raw_rows(path) == before  # every column byte for byte
    assert sorted(c.id for c in configs) == [row[0] for row in before]
    backups = list_backups(tmp_path / "backups")
    assert len(backups) == 1
    raw = sqlite3.connect(backups[0].path)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (
        "0001",
    )
    raw.close()
    assert raw_rows(backups[0].path) == before
    # Opening the now-current file again makes no further backup.
    ConfigStore(path).close()
    assert len(list_backups(tmp_path / "backups")) == 1


def test_new_database_needs_no_backup(tmp_path):
    ConfigStore(tmp_path / "configs.sqlite3").close()
    assert not (tmp_path / "backups").exists()


def test_known_revisions_match_alembic():
    from alembic.script import ScriptDirectory

    from desktop_app.store._migrate import KNOWN_REVISIONS

    script = ScriptDirectory.from_config(make_alembic_config())
    assert sorted(r.revision for r in script.walk_revisions()) == list(KNOWN_REVISIONS)
