"""``fire`` (and every command) reports a storage failure as one line on
stderr with exit status 1, never a traceback."""

from __future__ import annotations

from desktop_app.store import ConfigRecord, ConfigStore
from tests._support.child_processes import run_cli
from tests._support.storage_faults import SHORT_BUSY_TIMEOUT, exclusive_lock_held


def test_fire_on_a_database_another_program_locks_is_one_line_and_status_1(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("DESKTOP_APP_BUSY_TIMEOUT", SHORT_BUSY_TIMEOUT)
    database = tmp_path / "configs.sqlite3"
    with ConfigStore(database) as store:
        store.save_config(
            ConfigRecord("cli.integration", "cfg", True, {"token": "s3cret-value"})
        )
    with exclusive_lock_held(database):
        result = run_cli(tmp_path, "fire", "config_created")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"desktop-app: error: The configuration database {database} is locked "
        f"by another program (still busy after {float(SHORT_BUSY_TIMEOUT):g} s). "
        f"Wait for it to finish, or close other copies of the app, then try again."
    ]
    assert "s3cret-value" not in result.stderr + result.stdout
    assert result.stdout == ""
