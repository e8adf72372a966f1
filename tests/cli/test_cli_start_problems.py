"""The command line starts whatever state the data folder is in, or stops
with one line on stderr and status 1; never a traceback, and never a
replaced database.

Permission cases run the command as ``nobody`` (``setpriv``): we run as
root, and permission bits do not stop root. Disk-full runs the command under
``RLIMIT_FSIZE``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from desktop_app._paths import DataPaths
from desktop_app.store import ConfigRecord, open_store
from desktop_app.store.backup import list_backups
from tests._support.child_processes import ROOT, run_cli
from tests._support.crashed_logs import crashed_with_log, garble_header

EVENT_FILE = "desktop_app.integrations.event_file"
NOBODY = 65534

needs_setpriv = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="runs the command as another user (needs root and setpriv)",
)


@pytest.fixture
def shared():
    """A folder under /tmp that ``nobody`` can reach (pytest's tmp_path is
    private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="desktop-app-start-"))
    folder.chmod(0o755)
    (folder / "home").mkdir()
    os.chown(folder / "home", NOBODY, NOBODY)
    yield folder
    shutil.rmtree(folder)


def run_cli_as_nobody(home: Path, data_dir: Path, *args: str):
    env = dict(
        os.environ,
        DESKTOP_APP_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
        HOME=str(home),
    )
    return subprocess.run(
        [
            "setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            sys.executable,
            "-m",
            "desktop_app",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=60,
    )


def one_error_line(result, *fragments):
    """The command failed with status 1 and one ``error`` line, no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("desktop-app: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    for fragment in fragments:
        assert fragment in errors[0]
    return errors[0]


def make_database(data_dir: Path, *names: str) -> Path:
    DataPaths(data_dir).ensure()
    db = data_dir / "configs.sqlite3"
    store, _ = open_store(db)
    with store:
        for name in names:
            store.save_config(ConfigRecord(EVENT_FILE, name=name, enabled=True))
    return db


def test_a_data_folder_that_is_a_file_stops_in_one_line(tmp_path):
    data = tmp_path / "data"
    data.write_text("not a folder")

    result = run_cli(tmp_path, "--data-dir", str(data), "list")

    one_error_line(result, f"{data} is a file, not a folder", "--data-dir")
    assert data.read_text() == "not a folder"


def test_a_data_folder_under_a_file_stops_in_one_line(tmp_path):
    (tmp_path / "parent").write_text("a file where a folder should be")
    data = tmp_path / "parent" / "data"

    result = run_cli(tmp_path, "--data-dir", str(data), "signals")

    one_error_line(result, f"{tmp_path / 'parent'} is a file, not a folder")


@needs_setpriv
def test_a_data_folder_whose_parent_cannot_be_written_stops_in_one_line(shared):
    data = shared / "locked" / "data"
    (shared / "locked").mkdir(mode=0o755)

    result = run_cli_as_nobody(shared / "home", data, "list")

    one_error_line(result, f"Cannot create the data folder {data}", "permission denied")
    assert not data.exists()


@needs_setpriv
def test_an_empty_data_folder_the_user_cannot_write_stops_in_one_line(shared):
    data = shared / "data"
    data.mkdir(mode=0o755)  # root's: nobody can read it, not create in it

    result = run_cli_as_nobody(shared / "home", data, "list")

    one_error_line(
        result,
        f"Cannot open the configuration database {data / 'configs.sqlite3'}",
        "permission denied",
    )
    assert list(data.iterdir()) == []


def test_a_folder_named_like_the_database_stops_in_one_line(tmp_path):
    data = tmp_path / "data"
    (data / "configs.sqlite3").mkdir(parents=True)

    result = run_cli(data, "fire", "desktop_app.test_event")

    one_error_line(result, "configs.sqlite3 is a folder, not a file")
    assert (data / "configs.sqlite3").is_dir()


@needs_setpriv
@pytest.mark.parametrize("whose", ["folder", "file"])
def test_a_database_the_user_cannot_write_opens_read_only(shared, whose):
    data = shared / "data"
    data.mkdir(mode=0o755)
    db = make_database(data, "kept")
    db.chmod(0o644)
    if whose == "file":
        # The folder is theirs; the file is someone else's.
        os.chown(data, NOBODY, NOBODY)
        for sub in ("plugins", "backups"):
            os.chown(data / sub, NOBODY, NOBODY)
    before = db.read_bytes()

    listed = run_cli_as_nobody(shared / "home", data, "list")
    fired = run_cli_as_nobody(shared / "home", data, "fire", "desktop_app.test_event")

    assert listed.returncode == 0, listed.stderr
    assert f"{EVENT_FILE}  Event file  1 configurations, 1 enabled" in listed.stdout
    for result in (listed, fired):
        assert "Traceback" not in result.stderr
        [line] = [x for x in result.stderr.splitlines() if "read-only" in x]
        assert line.startswith(
            f"desktop-app: warning: Your configuration database {db}"
        )
        assert "cannot be written to" in line
    assert db.read_bytes() == before


@needs_setpriv
@pytest.mark.parametrize("mode", [0o755, 0o700])
def test_backups_folder_not_writable_skips_the_backup_with_a_warning(shared, mode):
    data = shared / "data"
    data.mkdir(mode=0o700)
    db = make_database(data, "kept")
    for backup in list_backups(data / "backups"):
        backup.path.unlink()  # so that today's backup is due
    for path in (data, data / "plugins", db):
        os.chown(path, NOBODY, NOBODY)
    # backups/ stays root's: readable by nobody (0755) or not (0700).
    (data / "backups").chmod(mode)

    result = run_cli_as_nobody(shared / "home", data, "list")

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = [x for x in result.stderr.splitlines() if "Today's backup" in x]
    assert len(lines) == 1, result.stderr
    [line] = lines
    assert line.startswith(
        "desktop-app: warning: Today's backup of your configurations"
    )
    assert "was skipped" in line and "permission denied" in line
    assert list_backups(data / "backups") == []


_DISK_FULL = """
import resource, signal, sys
from desktop_app.__main__ import main
# The file-size limit stands in for a full disk: writes past it fail with
# EFBIG (SIGXFSZ would kill the process instead).
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.exit(main(["list"]))
"""


def test_a_full_disk_when_the_backup_is_due_skips_it_with_a_warning(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    store, _ = open_store(data / "configs.sqlite3")
    with store:
        store.bulk_insert(
            ConfigRecord(EVENT_FILE, name=f"config {i}", settings={"path": "x" * 400})
            for i in range(400)
        )
    for backup in list_backups(data / "backups"):
        backup.path.unlink()
    size = (data / "configs.sqlite3").stat().st_size
    assert size > 4 * 32768  # the limit below still lets SQLite's -shm exist

    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", _DISK_FULL, str(size // 2)],
        capture_output=True,
        text=True,
        env=env,
        cwd=data,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "400 configurations" in result.stdout
    [line] = [x for x in result.stderr.splitlines() if "backup" in x]
    assert "was skipped" in line and "Free some disk space" in line
    assert list(os.listdir(data / "backups")) == []  # no half backup left


def newer_database(data: Path) -> Path:
    db = make_database(data, "kept")
    raw = sqlite3.connect(db)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = '0099'")
        raw.execute("PRAGMA user_version=2003001")
    raw.close()
    return db


def test_a_newer_apps_database_stops_in_one_line_and_is_kept(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    db = newer_database(data)
    before = {p.name: p.read_bytes() for p in data.rglob("*") if p.is_file()}

    result = run_cli(data, "list")

    line = one_error_line(result, "written by desktop-app 2.3.1", "0099")
    assert line.endswith("(to look at it, run with --read-only)")
    after = {p.name: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert after == before
    assert not list(data.glob("*.damaged-*"))

    looked = run_cli(data, "--read-only", "list")

    assert looked.returncode == 0, looked.stderr
    assert f"{EVENT_FILE}  Event file  1 configurations, 1 enabled" in looked.stdout
    assert "opened read-only, as asked" in looked.stderr
    assert db.read_bytes() == before["configs.sqlite3"]


def test_a_damaged_log_is_one_warning_and_the_command_carries_on(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    db = crashed_with_log(data)
    garble_header(db)

    result = run_cli(data, "list")

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    [line] = [x for x in result.stderr.splitlines() if "-wal" in x]
    assert line.startswith("desktop-app: warning: The log of recent changes")
    assert "5 saved changes in it could not be read" in line
    [kept] = data.glob("configs.sqlite3.damaged-*-wal")
    assert str(kept) in line
