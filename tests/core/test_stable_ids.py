"""Configurations of drop-in plugins stay attached when the data folder
moves: integration ids no longer hold the folder's path (migration 0005
rewrites the ones stored under the old scheme)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

from desktop_app._commands import open_app
from desktop_app.store import SCHEMA_REVISION, ConfigRecord, ConfigStore
from desktop_app.store._migrate import KNOWN_REVISIONS
from tests._support.child_processes import run_cli
from tests._support.plugin_files import write_plugin


def downgrade_to(db, revision):
    """Take a database back to an older schema with the migrations' own
    downgrades (a database as an older app left it)."""
    from alembic import command

    from desktop_app.store._migrate import make_alembic_config, migration_engine

    engine = migration_engine(db)
    try:
        config = make_alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, revision)
    finally:
        engine.dispose()


PLUGIN = """
from desktop_app import Integration


class Mover(Integration):
    name = "Mover"

    def initialize(self):
        pass
"""

#: An id as the old scheme made it: a hash of the plugins folder's path.
OLD_ID = (
    "desktop_app_plugins.s"
    + hashlib.sha1(b"/home/someone/old place/plugins").hexdigest()[:10]
    + ".mover.Mover"
)


def make_data_dir(root):
    write_plugin(root / "plugins", "mover.py", PLUGIN)
    return root


def test_a_moved_data_folder_keeps_every_configuration(tmp_path):
    first = make_data_dir(tmp_path / "first")
    with open_app(str(first)) as (manager, _plugins):
        mover = manager.get_integration("mover.Mover")
        mover.create_config(name="one", enabled=True, save=True)
        mover.create_config(name="two", enabled=False, save=True)
    moved = tmp_path / "elsewhere" / "moved"
    moved.parent.mkdir()
    shutil.move(first, moved)

    with open_app(str(moved)) as (manager, _plugins):
        mover = manager.get_integration("mover.Mover")
        assert [c.name for c in mover.get_configs()] == ["one"]
        assert manager.count_configs()["mover.Mover"] == (2, 1)
    result = run_cli(moved, "list")
    assert result.returncode == 0, result.stderr
    assert "  mover.Mover  Mover  2 configurations, 1 enabled" in result.stdout


def test_migration_rewrites_ids_of_the_old_scheme(tmp_path):
    data_dir = make_data_dir(tmp_path / "data")
    db = data_dir / "configs.sqlite3"
    with ConfigStore(db) as store:
        for name in ("old one", "old two"):
            store.save_config(ConfigRecord(OLD_ID, name=name, enabled=True))
        store.save_config(ConfigRecord("acme.Pager", name="by hand", enabled=True))
    # Back to 0004: the schema of 0005 is that of 0004 (only the stored ids
    # differ); what 0006 added goes, by its own downgrade.
    downgrade_to(db, "0004")

    with ConfigStore(db) as store:
        by_name = {c.name: c.integration_id for c in store.list_configs()}
        assert store.count_configs() == {"mover.Mover": (2, 2), "acme.Pager": (1, 1)}
    assert by_name == {
        "old one": "mover.Mover",
        "old two": "mover.Mover",
        "by hand": "acme.Pager",
    }
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (
        SCHEMA_REVISION,
    )
    raw.close()
    with open_app(str(data_dir)) as (manager, _plugins):
        names = [c.name for c in manager.get_integration("mover.Mover").get_configs()]
        assert sorted(names) == ["old one", "old two"]


def test_the_stable_ids_revision_is_known_and_the_head_is_current():
    assert "0005" in KNOWN_REVISIONS
    assert KNOWN_REVISIONS[-1] == SCHEMA_REVISION
