"""The store's list order and keyset paging (``name_key``, ``page_key``),
its statement listener, and noticing other writers."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace

import pytest

from desktop_app.store import ConfigRecord, ConfigStore

SLACK = "integrations.slack.SlackIntegration"
EMAIL = "integrations.email.EmailIntegration"

# Casefolding is more than lower(): "ß" folds to "ss", "Ä" to "ä".
NAMES = ["Straße", "STRASSE", "alpha", "Älteres", "älteres", "Beta", "beta", "Zed"]


@pytest.fixture
def store(tmp_path):
    with ConfigStore(tmp_path / "configs.sqlite3") as store:
        yield store


def stored_keys(store):
    raw = sqlite3.connect(store.path)
    try:
        return dict(raw.execute("SELECT id, name_key FROM configs").fetchall())
    finally:
        raw.close()


def page_through(store, page_size, **filters):
    rows, after = [], None
    while True:
        page = store.list_configs(SLACK, after=after, limit=page_size, **filters)
        if not page:
            return rows
        rows += page
        after = page[-1].page_key


def test_name_key_is_written_by_every_kind_of_write(store):
    saved = store.save_config(ConfigRecord(SLACK, name="Straße"))
    bulk = store.bulk_insert(
        [ConfigRecord(SLACK, name=n) for n in ("ÄBC", "Mixed Case")]
    ).ids
    assert stored_keys(store) == {
        saved.id: "strasse",
        bulk[0]: "äbc",
        bulk[1]: "mixed case",
    }

    saved = store.save_config(replace(saved, name="Renamed ÖL"))
    assert stored_keys(store)[saved.id] == "renamed öl"
    store.save_config(store.get_config(saved.id), force=True)
    assert stored_keys(store)[saved.id] == "renamed öl"

    store.delete_config(saved.id)
    store.restore_config(replace(saved, name="Back AGAIN"))
    assert stored_keys(store)[saved.id] == "back again"


@pytest.mark.parametrize("page_size", [1, 2, 3, 100])
def test_keyset_pages_follow_the_full_order_exactly(store, page_size):
    store.bulk_insert(ConfigRecord(SLACK, name=n) for n in NAMES * 3)
    store.bulk_insert(ConfigRecord(EMAIL, name=n) for n in NAMES)
    full = store.list_configs(SLACK)
    assert [c.name.casefold() for c in full] == sorted(n.casefold() for n in NAMES * 3)

    paged = page_through(store, page_size)

    assert [c.id for c in paged] == [c.id for c in full]


def test_keyset_paging_combines_with_search_and_enabled(store):
    store.bulk_insert(
        ConfigRecord(SLACK, name=f"{n} {i}", enabled=i % 2 == 0)
        for i in range(5)
        for n in NAMES
    )
    expected = store.list_configs(SLACK, search="STRASSE", enabled=True)
    assert expected  # "Straße" matches a search for "STRASSE" too
    assert {c.name.split()[0] for c in expected} == {"Straße", "STRASSE"}

    paged = page_through(store, 2, search="STRASSE", enabled=True)

    assert [c.id for c in paged] == [c.id for c in expected]


def test_search_is_a_plain_substring_match(store):
    for name in ("100% done", "100 percent", "a_b", "ab"):
        store.save_config(ConfigRecord(SLACK, name=name))
    assert [c.name for c in store.list_configs(search="100%")] == ["100% done"]
    assert [c.name for c in store.list_configs(search="_")] == ["a_b"]
    assert store.count(SLACK, search="%") == 1


def test_offset_paging_still_works(store):
    store.bulk_insert(ConfigRecord(SLACK, name=n) for n in NAMES)
    full = [c.id for c in store.list_configs(SLACK)]
    assert [c.id for c in store.list_configs(SLACK, offset=2, limit=3)] == full[2:5]
    assert [c.id for c in store.list_configs(SLACK, offset=6)] == full[6:]


def test_statement_listener_sees_reads_and_writes_on_every_thread(store):
    seen = []
    store.add_statement_listener(seen.append)

    config = store.save_config(ConfigRecord(SLACK, name="a"))
    store.get_config(config.id)
    thread = threading.Thread(target=store.count_configs)
    thread.start()
    thread.join()

    assert any(sql.startswith("INSERT INTO configs") for sql in seen)
    assert any("FROM configs WHERE id = " in sql for sql in seen)
    assert any("FROM config_counts" in sql for sql in seen)


def test_save_and_external_changes(tmp_path):
    path = tmp_path / "configs.sqlite3"
    with ConfigStore(path) as store, ConfigStore(path) as other:
        store.save_config(ConfigRecord(SLACK, name="mine"))
        assert not store.has_external_changes()  # our own save
        other.save_config(ConfigRecord(SLACK, name="theirs"))
        assert store.has_external_changes()
        assert [c.name for c in store.list_configs()] == ["mine", "theirs"]


def test_page_key_is_the_casefolded_name_and_id_of_a_stored_record(store):
    record = ConfigRecord(SLACK, name="Straße")
    with pytest.raises(ValueError, match="stored"):
        record.page_key  # noqa: B018 - not stored: no place in a listing
    saved = store.save_config(record)
    assert saved.page_key == ("strasse", saved.id)
    [listed] = store.list_configs()
    assert listed.page_key == saved.page_key
    # Continuing after the last record of a listing gives nothing more.
    assert store.list_configs(after=listed.page_key) == []


def test_times_round_trip_exactly_through_the_raw_read_path(store):
    config = store.save_config(ConfigRecord(SLACK, name="a"))
    fresh = store.get_config(config.id)
    assert fresh.time_added == config.time_added
    assert fresh.last_updated == config.last_updated
    assert fresh.time_added.tzinfo is not None
    assert fresh.time_added.utcoffset().total_seconds() == 0


def test_upgrading_a_schema_0001_file_backfills_name_key_and_indexes_it(tmp_path):
    import shutil
    from pathlib import Path

    fixture = Path(__file__).parents[1] / "fixtures" / "schema-0001.sqlite3"
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(fixture, path)
    with ConfigStore(path) as store:
        names = {c.id: c.name for c in store.list_configs()}
        assert stored_keys(store) == {i: n.casefold() for i, n in names.items()}
    raw = sqlite3.connect(path)
    try:
        plan = raw.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM configs WHERE integration_id = ? "
            "AND (name_key, id) > (?, ?) ORDER BY name_key, id",
            ("x", "a", 0),
        ).fetchall()
    finally:
        raw.close()
    assert "ix_configs_list" in str(plan)
    assert "TEMP B-TREE" not in str(plan)  # no sort: the index gives the order
