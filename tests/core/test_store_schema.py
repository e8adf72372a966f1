"""The store's file: connection settings, migrations and lazy Alembic."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.errors import StoreError
from desktop_app.store import SCHEMA_REVISION, ConfigStore
from desktop_app.store._migrate import make_alembic_config
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


def test_connections_use_wal_and_full_sync(tmp_path):
    with (
        ConfigStore(tmp_path / "configs.sqlite3") as store,
        store.engines[0].connect() as conn,
    ):
        pragma = conn.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() == 5000


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

    with (
        ConfigStore(tmp_path / "configs.sqlite3") as store,
        store.engines[0].connect() as conn,
    ):
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
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
        configs[2].name = "Renamed"
        store.save_config(configs[2])
        assert store.get_config(2).revision == 1
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
    with ConfigStore(path) as store, store.engines[0].begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num='9999'"))
    with pytest.raises(StoreError, match="newer version"):
        ConfigStore(path)


def test_opening_a_current_database_and_reading_imports_no_sqlalchemy(tmp_path):
    path = tmp_path / "configs.sqlite3"
    ConfigStore(path).close()
    result = run_python(
        f"""
        import sys
        from desktop_app.store import ConfigStore
        with ConfigStore({str(path)!r}) as store:
            store.list_configs()
            store.list_configs("x", search="a", after=("a", 1), limit=5)
            store.count("x", enabled=True)
            store.count_configs()
            store.has_external_changes()
        heavy = ("alembic", "sqlalchemy")
        print(sorted(m for m in sys.modules if m.split(".")[0] in heavy))
        """
    )
    assert result.stdout.strip() == "[]"


def test_writing_imports_sqlalchemy_but_not_alembic(tmp_path):
    path = tmp_path / "configs.sqlite3"
    ConfigStore(path).close()
    result = run_python(
        f"""
        import sys
        from desktop_app.config import IntegrationConfig
        from desktop_app.store import ConfigStore
        with ConfigStore({str(path)!r}) as store:
            store.save_config(IntegrationConfig("x", name="a"))
        print("sqlalchemy" in sys.modules, "alembic" in sys.modules)
        """
    )
    assert result.stdout.strip() == "True False"


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
