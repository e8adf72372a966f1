"""``config_counts``: per-integration counts kept exact by triggers.

The window reads counts from this table instead of scanning ``configs``, so
every way a row can change must keep it equal to a real ``GROUP BY``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.errors import StoreError
from desktop_app.store import ConfigRecord, ConfigStore

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "schema-0001.sqlite3"


@pytest.fixture
def store(tmp_path):
    with ConfigStore(tmp_path / "configs.sqlite3") as store:
        yield store


def scanned(path: Path) -> dict[str, tuple[int, int]]:
    """The counts the slow way, on a connection of its own."""
    raw = sqlite3.connect(path)
    try:
        rows = raw.execute(
            "SELECT integration_id, count(*), sum(enabled != 0) "
            "FROM configs GROUP BY integration_id"
        ).fetchall()
    finally:
        raw.close()
    return {i: (total, enabled) for i, total, enabled in rows}


def assert_exact(store: ConfigStore) -> None:
    expected = scanned(store.path)
    assert store.count_configs() == expected
    for integration_id, (total, enabled) in expected.items():
        assert store.count(integration_id) == total
        assert store.count(integration_id, enabled=True) == enabled
        assert store.count(integration_id, enabled=False) == total - enabled
    assert store.count() == sum(t for t, _ in expected.values())
    assert store.count("nobody") == 0


def test_counts_follow_every_kind_of_write(store):
    a = store.save_config(ConfigRecord("a", name="one", enabled=True))
    store.save_config(ConfigRecord("a", name="two", enabled=False))
    b = store.save_config(ConfigRecord("b", name="three", enabled=True))
    assert store.count_configs() == {"a": (2, 1), "b": (1, 1)}
    assert_exact(store)

    a = store.save_config(replace(a, enabled=False))  # toggled
    assert store.count_configs() == {"a": (2, 0), "b": (1, 1)}
    # Neither integration nor state: no count moves.
    a = store.save_config(replace(a, name="renamed"))
    assert store.count_configs() == {"a": (2, 0), "b": (1, 1)}
    assert_exact(store)

    b = store.save_config(replace(b, integration_id="a"))  # moved
    assert store.count_configs() == {"a": (3, 1)}  # b has none: absent
    assert_exact(store)

    store.delete_config(b.id)
    assert store.count_configs() == {"a": (2, 0)}
    store.restore_config(b)
    assert store.count_configs() == {"a": (3, 1)}
    assert_exact(store)

    store.bulk_insert(
        ConfigRecord("c", name=f"bulk {i}", enabled=i % 3 == 0) for i in range(30)
    )
    assert store.count_configs()["c"] == (30, 10)
    assert_exact(store)


def test_a_failed_write_leaves_the_counts_alone(store):
    store.bulk_insert([ConfigRecord("a", name="kept", enabled=True)])
    taken = store.get_config(1)
    with pytest.raises(StoreError):
        store.restore_config(taken)  # its id is in use: rolled back
    with pytest.raises(StoreError):
        store.bulk_insert([ConfigRecord("a", name="ok"), ConfigRecord("a", id=5)])
    assert store.count_configs() == {"a": (1, 1)}
    assert_exact(store)


def test_counts_stay_exact_with_another_process_writing(store):
    store.save_config(ConfigRecord("a", name="here", enabled=True))
    script = textwrap.dedent(
        f"""
        from desktop_app.store import ConfigRecord, ConfigStore
        with ConfigStore({str(store.path)!r}) as other:
            other.bulk_insert(
                ConfigRecord("a", name=f"there {{i}}", enabled=i % 2 == 0)
                for i in range(10)
            )
            gone = other.list_configs("a", search="here")[0]
            other.delete_config(gone.id)
        """
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)
    assert store.count_configs() == {"a": (10, 5)}
    assert_exact(store)


def test_upgrade_backfills_the_counts(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE, path)
    before = scanned(path)
    assert before  # the fixture has configs
    with ConfigStore(path) as store:
        assert store.count_configs() == before
        assert_exact(store)
        store.save_config(ConfigRecord("fresh", name="after the upgrade"))
        assert_exact(store)
