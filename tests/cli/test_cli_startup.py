"""What the command line tells the user about the data folder when it starts:
a damaged database, folders others can read, and never a secret."""

from __future__ import annotations

import os

import pytest

from desktop_app._startup import NOTICE_ATTR
from desktop_app.store import ConfigRecord, ConfigStore, open_store
from tests._support.child_processes import run_cli, run_python


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    folder.chmod(0o700)
    return folder


def test_list_on_a_damaged_database_says_so_once_and_carries_on(data_dir):
    (data_dir / "configs.sqlite3").write_bytes(b"this is not a database\0" * 300)

    result = run_cli(data_dir, "list")

    assert result.returncode == 0, result.stderr
    assert "Integrations:" in result.stdout
    [damaged] = data_dir.glob("configs.sqlite3.damaged-*")
    assert damaged.read_bytes().startswith(b"this is not a database")
    lines = [line for line in result.stderr.splitlines() if "damaged" in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("desktop-app: warning: Your configuration database")
    assert str(damaged) in lines[0]
    assert "empty database" in lines[0]
    assert "Traceback" not in result.stderr


def test_a_damaged_database_is_replaced_by_the_latest_backup(data_dir):
    store, _ = open_store(data_dir / "configs.sqlite3")
    store.save_config(ConfigRecord("some.integration", name="kept", enabled=True))
    store.backup()
    store.close()
    with open(data_dir / "configs.sqlite3", "r+b") as f:
        f.truncate(1000)  # a torn copy: the header survives, the pages do not

    result = run_cli(data_dir, "list")

    assert result.returncode == 0, result.stderr
    assert "restored from the backup" in result.stderr
    store = ConfigStore(data_dir / "configs.sqlite3")
    try:
        assert [c.name for c in store.list_configs()] == ["kept"]
    finally:
        store.close()


def test_a_data_folder_others_can_read_is_reported_on_stderr(data_dir):
    data_dir.chmod(0o755)

    result = run_cli(data_dir, "signals")

    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "chmod 700" in line]
    assert warnings == [
        f"desktop-app: warning: The folder {data_dir} can be read by other users "
        f"(mode 755); run 'chmod 700 {data_dir}' to keep your configurations "
        f"private."
    ]


def test_notice_records_carry_the_mark_the_command_line_filters_on():
    # recovery.py and paths.py spell the attribute as a literal.
    import inspect

    from desktop_app import _paths as paths
    from desktop_app.store import recovery

    for module in (paths, recovery):
        assert f'"{NOTICE_ATTR}": True' in inspect.getsource(module)


_LOG_A_SECRET = """
import logging
from desktop_app.__main__ import _setup_logging
from desktop_app.activity import register_secret

_setup_logging()
register_secret("hunter2-very-secret")
try:
    raise ValueError("token hunter2-very-secret was refused")
except ValueError:
    logging.getLogger("some.plugin").exception("login with %s", "hunter2-very-secret")
"""


def test_command_line_logging_never_prints_a_known_secret(tmp_path):
    result = run_python(_LOG_A_SECRET)
    assert result.returncode == 0, result.stderr
    assert "desktop-app: ERROR: login with" in result.stderr
    assert "hunter2-very-secret" not in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_list_shows_a_plugin_refused_for_its_mode_and_exits_0(data_dir):
    plugins = data_dir / "plugins"
    plugins.mkdir()
    plugin = plugins / "shared.py"
    plugin.write_text("raise SystemExit('must never run')\n")
    plugin.chmod(0o666)

    result = run_cli(data_dir, "list")

    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if "shared" in line]
    assert "refused" in line
    assert f"{plugin} is writable by other users (mode 0666)" in line
    assert f"chmod go-w {plugin}" in line
