"""Several processes sharing one database file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.errors import ConfigConflictError
from desktop_app.store import ConfigRecord, ConfigStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path):
    with ConfigStore(tmp_path / "configs.sqlite3") as store:
        yield store


def save_in_other_process(path: Path, code: str) -> None:
    """Open ``path`` with a ConfigStore in a new interpreter and run ``code``."""
    script = textwrap.dedent(
        f"""
        from dataclasses import replace
        from desktop_app.store import ConfigRecord, ConfigStore
        with ConfigStore({str(path)!r}) as store:
        """
    ) + textwrap.indent(textwrap.dedent(code), "    ")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)


def test_no_external_changes_after_own_check(store):
    assert store.has_external_changes() is False
    store.save_config(ConfigRecord("x", name="own"))
    store.has_external_changes()
    assert store.has_external_changes() is False


def test_write_from_second_process_is_noticed(store):
    store.has_external_changes()
    save_in_other_process(
        store.path,
        'store.save_config(ConfigRecord("x", name="from elsewhere"))',
    )
    assert store.has_external_changes() is True
    assert store.has_external_changes() is False
    assert [c.name for c in store.list_configs()] == ["from elsewhere"]


def test_save_from_second_process_makes_local_copy_conflict(store):
    config = store.save_config(ConfigRecord("x", name="shared"))
    save_in_other_process(
        store.path,
        f"""
        config = store.get_config({config.id})
        store.save_config(replace(config, name="theirs"))
        """,
    )
    with pytest.raises(ConfigConflictError):
        store.save_config(replace(config, name="mine"))
    assert store.get_config(config.id).name == "theirs"


def test_has_external_changes_is_thread_safe(store):
    errors = []

    def poll():
        try:
            for _ in range(200):
                store.has_external_changes()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=poll) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(20):
        store.save_config(ConfigRecord("x", name="busy"))
    for thread in threads:
        thread.join()
    assert errors == []


def test_two_processes_upgrading_an_old_file_at_once(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "schema-0001.sqlite3", path)
    script = textwrap.dedent(
        f"""
        from desktop_app.store import ConfigStore
        with ConfigStore({str(path)!r}) as store:
            print(store.count())
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outputs = [proc.communicate(timeout=60)[0].strip() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0]
    assert outputs == ["3", "3", "3"]
    with ConfigStore(path) as store:
        assert [c.revision for c in store.list_configs()] == [0, 0, 0]
