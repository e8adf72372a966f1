"""The configuration store's API: CRUD, listing, counting, concurrency."""

from __future__ import annotations

import copy
import dataclasses
import math
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from desktop_app.errors import ConfigConflictError, ConfigNotFoundError, StoreError
from desktop_app.store import ConfigRecord, ConfigStore

SLACK = "integrations.slack.SlackIntegration"
EMAIL = "integrations.email.EmailIntegration"


@pytest.fixture
def store(tmp_path):
    with ConfigStore(tmp_path / "data" / "configs.sqlite3") as store:
        yield store


def make(store, name, integration_id=SLACK, enabled=True, **settings):
    return store.save_config(
        ConfigRecord(integration_id, name=name, enabled=enabled, settings=settings)
    )


def test_open_creates_parent_folders_and_file(tmp_path):
    path = tmp_path / "a" / "b" / "configs.sqlite3"
    with ConfigStore(path) as store:
        assert store.path == path
        assert store.list_configs() == []
    assert path.is_file()


def test_reopen_keeps_data(tmp_path):
    path = tmp_path / "configs.sqlite3"
    with ConfigStore(path) as store:
        saved = make(store, "Team chat", channel="#general")
    with ConfigStore(path) as store:
        [loaded] = store.list_configs()
    assert loaded.id == saved.id
    assert loaded.name == "Team chat"
    assert loaded.settings == {"channel": "#general"}
    assert loaded.revision == 1
    assert loaded.time_added == saved.time_added


def test_closed_store_raises_store_error(tmp_path):
    store = ConfigStore(tmp_path / "configs.sqlite3")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.list_configs()


def test_insert_returns_a_new_record_with_id_timestamps_and_revision(store):
    before = datetime.now(UTC)
    record = ConfigRecord(SLACK, name="Chat", enabled=True, settings={"a": [1]})
    saved = store.save_config(record)
    assert saved is not record
    assert type(saved) is ConfigRecord
    assert saved.id is not None
    assert saved.revision == 1
    assert saved.time_added == saved.last_updated
    assert saved.time_added.tzinfo is not None
    assert before <= saved.time_added <= datetime.now(UTC)
    assert (saved.integration_id, saved.name, saved.enabled, saved.settings) == (
        SLACK,
        "Chat",
        True,
        {"a": [1]},
    )
    # The argument is left as it was: still a new, unstored record.
    assert record == ConfigRecord(SLACK, name="Chat", enabled=True, settings={"a": [1]})


def test_get_config_returns_a_plain_record_with_aware_utc_times(store):
    saved = make(store, "Chat", url="https://example.com")
    loaded = store.get_config(saved.id)
    assert type(loaded) is ConfigRecord
    assert loaded is not saved
    assert (loaded.integration_id, loaded.name, loaded.enabled) == (SLACK, "Chat", True)
    assert loaded.settings == {"url": "https://example.com"}
    assert loaded.time_added == saved.time_added
    assert loaded.time_added.utcoffset() == timedelta(0)
    # Plain data: no integration attached (a slots record has no room for
    # one), and nothing that differs from what save_config returned.
    assert not hasattr(loaded, "integration")
    assert loaded.load_error is None
    assert loaded == saved


def test_get_missing_config_raises_not_found(store):
    with pytest.raises(ConfigNotFoundError) as info:
        store.get_config(42)
    assert info.value.config_id == 42


def test_update_bumps_revision_and_last_updated(store):
    config = make(store, "Chat", enabled=False)
    added = config.time_added
    changed = replace(
        config, name="Renamed", enabled=True, settings={"channel": "#dev"}
    )
    updated = store.save_config(changed)
    assert updated.id == config.id
    assert updated.revision == 2
    assert updated.time_added == added
    assert updated.last_updated >= added
    assert (changed.revision, changed.last_updated) == (1, added)  # not mutated
    loaded = store.get_config(config.id)
    assert loaded == updated
    assert (loaded.name, loaded.enabled, loaded.revision) == ("Renamed", True, 2)
    assert loaded.settings == {"channel": "#dev"}


def test_stale_copy_conflicts_and_force_overwrites(store):
    config = make(store, "Chat")
    stale = store.get_config(config.id)
    store.save_config(replace(config, name="First"))

    stale = replace(stale, name="Second")
    with pytest.raises(ConfigConflictError) as info:
        store.save_config(stale)
    assert (info.value.config_id, info.value.expected_revision) == (config.id, 1)
    assert info.value.actual_revision == 2
    assert store.get_config(config.id).name == "First"

    forced = store.save_config(stale, force=True)
    assert forced.revision == 3
    assert stale.revision == 1  # the argument is not changed
    assert store.get_config(config.id).name == "Second"
    assert store.get_config(config.id).revision == 3


def test_saving_a_deleted_config_raises_not_found(store):
    config = make(store, "Chat")
    store.delete_config(config.id)
    with pytest.raises(ConfigNotFoundError):
        store.save_config(config)
    with pytest.raises(ConfigNotFoundError):
        store.save_config(config, force=True)
    assert store.list_configs() == []


def test_delete_config(store):
    keep = make(store, "Keep")
    gone = make(store, "Gone")
    store.delete_config(gone.id)
    assert [c.id for c in store.list_configs()] == [keep.id]
    with pytest.raises(ConfigNotFoundError):
        store.delete_config(gone.id)


@pytest.mark.parametrize(
    "bad", [object(), {1, 2}, math.nan, b"bytes"], ids=["object", "set", "nan", "bytes"]
)
def test_non_json_settings_raise_store_error_and_write_nothing(store, bad):
    new = ConfigRecord(SLACK, name="New", settings={"value": bad})
    with pytest.raises(StoreError, match="cannot be stored"):
        store.save_config(new)
    assert new.id is None
    assert store.count() == 0

    existing = make(store, "Existing", value=1)
    with pytest.raises(StoreError):
        store.save_config(replace(existing, name="Changed", settings={"value": bad}))
    loaded = store.get_config(existing.id)
    assert (loaded.name, loaded.settings, loaded.revision) == (
        "Existing",
        {"value": 1},
        1,
    )


def test_damaged_settings_row_is_listed_with_load_error(store, caplog):
    good = make(store, "Good", a=1)
    bad = make(store, "Bad", b=2)
    not_object = make(store, "List", c=3)
    raw = sqlite3.connect(store.path)
    with raw:
        raw.execute("UPDATE configs SET settings='{not json' WHERE id=?", (bad.id,))
        raw.execute("UPDATE configs SET settings='[1, 2]' WHERE id=?", (not_object.id,))
    raw.close()

    configs = {c.name: c for c in store.list_configs()}
    assert set(configs) == {"Good", "Bad", "List"}
    assert configs["Good"].settings == {"a": 1}
    assert configs["Good"].load_error is None
    for name in ("Bad", "List"):
        assert configs[name].settings == {}
        assert configs[name].load_error.startswith(
            "Stored settings are not valid JSON: "
        )
    assert store.get_config(bad.id).load_error is not None
    assert f"Configuration {bad.id}:" in caplog.text
    assert good.id is not None


def test_list_orders_by_name_ignoring_case_then_id(store):
    names = ["beta", "Alpha", "alpha", "Écrit", "gamma", "Beta"]
    ids = {n: make(store, n).id for n in names}
    listed = [c.name for c in store.list_configs()]
    # Case is folded for any script; accents still sort by code point.
    assert listed == ["Alpha", "alpha", "beta", "Beta", "gamma", "Écrit"]
    # Equal names (ignoring case) come in id order.
    assert ids["Alpha"] < ids["alpha"]


def test_list_filters_by_integration_enabled_and_search(store):
    make(store, "Team Chat", SLACK, True)
    make(store, "chat archive", SLACK, False)
    make(store, "Nightly report", EMAIL, True)
    make(store, "ÜBER chat", EMAIL, False)

    def names(**kw):
        return [c.name for c in store.list_configs(**kw)]

    assert names(integration_id=SLACK) == ["chat archive", "Team Chat"]
    assert names(enabled=True) == ["Nightly report", "Team Chat"]
    assert names(enabled=False, integration_id=EMAIL) == ["ÜBER chat"]
    assert names(search="CHAT") == ["chat archive", "Team Chat", "ÜBER chat"]
    assert names(search="über") == ["ÜBER chat"]
    assert names(search="%") == []
    assert names(search="_") == []
    assert names(integration_id="missing") == []


def test_list_offset_and_limit_page_through_the_order(store):
    for i in range(10):
        make(store, f"config {i:02}")
    all_names = [c.name for c in store.list_configs()]
    assert [c.name for c in store.list_configs(limit=3)] == all_names[:3]
    assert [c.name for c in store.list_configs(offset=8)] == all_names[8:]
    assert [c.name for c in store.list_configs(offset=4, limit=4)] == all_names[4:8]
    assert [c.name for c in store.list_configs(search="0", limit=2)] == all_names[:2]


def test_counts(store):
    make(store, "a", SLACK, True)
    make(store, "b", SLACK, False)
    make(store, "c", SLACK, True)
    make(store, "d", EMAIL, False)
    assert store.count_configs() == {SLACK: (3, 2), EMAIL: (1, 0)}
    assert store.count() == 4
    assert store.count(SLACK) == 3
    assert store.count(enabled=False) == 2
    assert store.count(SLACK, enabled=True, search="C") == 1


def test_count_configs_on_empty_store(store):
    assert store.count_configs() == {}
    assert store.count() == 0


def test_bulk_insert_ten_thousand_rows(store):
    records = [
        ConfigRecord(
            SLACK if i % 2 else EMAIL,
            name=f"config {i:05}",
            enabled=i % 3 == 0,
            settings={"n": i},
        )
        for i in range(10_000)
    ]
    batch = store.bulk_insert(records)
    assert len(batch) == 10_000
    assert store.count() == 10_000
    slack_enabled = sum(1 for i in range(1, 10_000, 2) if i % 3 == 0)
    assert store.count_configs()[SLACK] == (5000, slack_enabled)
    # The ids come back in order, so each one can be saved normally.
    assert len(set(batch.ids)) == 10_000
    assert all(r.id is None for r in records)  # the arguments stay unstored
    sample = store.get_config(batch.ids[1234])
    assert sample.settings == {"n": 1234}
    store.save_config(replace(sample, name="changed"))
    assert store.get_config(sample.id).revision == 2
    page = store.list_configs(offset=5000, limit=2)
    assert [c.name for c in page] == ["config 05000", "config 05001"]


def test_bulk_insert_ids_are_the_stored_rows_ids(store):
    # Existing rows, the highest deleted (SQLite reuses its id): the ids
    # given out must still be exactly the rows stored, in order.
    before = [store.save_config(ConfigRecord(SLACK, name=f"old {i}")) for i in range(3)]
    store.delete_config(before[-1].id)
    records = [
        ConfigRecord(EMAIL, name=f"new {i}", settings={"i": i}) for i in range(500)
    ]
    batch = store.bulk_insert(records)
    assert len(batch) == len(records)
    for record, config_id in zip(records, batch.ids, strict=True):
        stored = store.get_config(config_id)
        assert (stored.name, stored.settings) == (record.name, record.settings)
        # Timestamps read back as the same aware UTC moment the batch got.
        assert stored.time_added == stored.last_updated == batch.time
        assert stored.time_added.utcoffset() == timedelta(0)
        assert (stored.revision, stored.enabled) == (1, record.enabled)
    assert list(batch.ids) == sorted(batch.ids)
    assert {c.id for c in store.list_configs(EMAIL)} == set(batch.ids)
    [later] = store.bulk_insert([ConfigRecord(EMAIL, name="later")]).ids
    assert store.get_config(later).name == "later"


def test_bulk_insert_rejects_bad_input_before_writing(store):
    with pytest.raises(StoreError):
        store.bulk_insert(
            [
                ConfigRecord(SLACK, name="ok"),
                ConfigRecord(SLACK, settings={"x": object()}),
            ]
        )
    existing = make(store, "stored")
    with pytest.raises(StoreError, match="already stored"):
        store.bulk_insert([ConfigRecord(SLACK, name="new"), existing])
    assert store.count() == 1
    assert len(store.bulk_insert([])) == 0
    assert store.count() == 1


# --- records in, new records out ----------------------------------------------


def snapshot(record):
    """A deep copy to compare ``record`` with later: catches both a replaced
    field and a settings mapping changed in place."""
    return copy.deepcopy(record)


def test_save_config_never_changes_the_record_it_is_given(store):
    new = ConfigRecord(SLACK, name="Chat", settings={"a": [1, {"b": 2}]})
    before = snapshot(new)
    saved = store.save_config(new)
    assert new == before
    assert new.id is None and new.revision == 0 and new.time_added is None

    changed = replace(saved, name="Renamed", settings={"a": [3]})
    before = snapshot(changed)
    updated = store.save_config(changed)
    assert changed == before
    assert (updated.revision, changed.revision) == (2, 1)

    stale = replace(saved, name="Stale")  # revision 1, stored is 2
    before = snapshot(stale)
    with pytest.raises(ConfigConflictError):
        store.save_config(stale)
    assert stale == before
    forced = store.save_config(stale, force=True)
    assert stale == before
    assert forced.revision == 3

    unstorable = replace(forced, settings={"x": object()})
    settings = unstorable.settings
    with pytest.raises(StoreError):
        store.save_config(unstorable)
    assert unstorable.settings is settings and list(settings) == ["x"]
    assert unstorable.revision == 3


def test_restore_config_never_changes_the_record_it_is_given(store):
    saved = make(store, "Chat", channel="#general")
    store.delete_config(saved.id)
    before = snapshot(saved)
    restored = store.restore_config(saved)
    assert saved == before
    assert restored is not saved
    assert (restored.id, restored.time_added) == (saved.id, saved.time_added)
    assert restored.revision == saved.revision + 1
    assert restored.last_updated >= saved.last_updated
    assert store.get_config(saved.id) == restored

    # A failed restore (the id is in use again) leaves it alone too.
    with pytest.raises(StoreError, match="in use"):
        store.restore_config(saved)
    assert saved == before


def test_bulk_insert_never_changes_the_records_it_is_given(store):
    records = [
        ConfigRecord(SLACK, name=f"n {i}", enabled=i % 2 == 0, settings={"i": [i]})
        for i in range(5)
    ]
    before = [snapshot(r) for r in records]
    batch = store.bulk_insert(iter(records))
    assert records == before
    assert all(r.id is None and r.revision == 0 for r in records)
    stored = [store.get_config(i) for i in batch.ids]
    assert [(s.name, s.enabled, s.settings) for s in stored] == [
        (r.name, r.enabled, r.settings) for r in records
    ]

    # Rejected input leaves every record as it was.
    existing = stored[0]
    batch = [ConfigRecord(SLACK, name="new"), existing]
    before = [snapshot(r) for r in batch]
    with pytest.raises(StoreError, match="already stored"):
        store.bulk_insert(batch)
    assert batch == before


def every_kind_of_returned_record(store):
    saved = make(store, "Saved", a=1)
    [bulk_id] = store.bulk_insert([ConfigRecord(EMAIL, name="Bulk")]).ids
    bulk = store.get_config(bulk_id)
    store.delete_config(bulk.id)
    restored = store.restore_config(bulk)
    return {
        "new": ConfigRecord(SLACK, name="New"),
        "saved": saved,
        "bulk": bulk,
        "restored": restored,
        "got": store.get_config(saved.id),
        "listed": store.list_configs()[0],
    }


FIELDS = [f.name for f in dataclasses.fields(ConfigRecord)]


@pytest.mark.parametrize("field", FIELDS)
def test_records_are_immutable(store, field):
    for kind, record in every_kind_of_returned_record(store).items():
        value = getattr(record, field)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, field, "changed")
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(record, field)
        assert getattr(record, field) == value, kind


def test_records_take_no_new_attributes(store):
    # Nothing (an integration, a cache) can be attached to a record. Which
    # error says so depends on the Python version: on 3.11 a frozen slots
    # dataclass raises TypeError for a name that is not a field (CPython
    # gh-90562); fields always raise FrozenInstanceError (see above).
    for record in every_kind_of_returned_record(store).values():
        with pytest.raises(
            (dataclasses.FrozenInstanceError, AttributeError, TypeError)
        ):
            record.integration = object()
        assert not hasattr(record, "integration")
        assert not hasattr(record, "__dict__")


def test_name_taken_ignores_case_the_config_itself_and_other_integrations(store):
    own = store.save_config(ConfigRecord("a.One", name="Team Room"))
    store.save_config(ConfigRecord("b.Two", name="Elsewhere"))
    assert store.name_taken("a.One", "team room")
    assert store.name_taken("a.One", "TEAM ROOM", except_id=None)
    assert not store.name_taken("a.One", "Team Room", except_id=own.id)
    assert not store.name_taken("a.One", "Elsewhere")
    assert store.name_taken("b.Two", "elsewhere")
    assert not store.name_taken("a.One", "Team")
