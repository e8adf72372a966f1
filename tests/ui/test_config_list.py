"""The lazily paged config list model: keyset pages add up to the store's
full order, with ties and non-ASCII names."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from desktop_app.store import ConfigRecord
from desktop_app.ui._config_list import (
    ENABLED_COLUMN,
    NAME_COLUMN,
    PAGE_SIZE,
    UPDATED_COLUMN,
    ConfigListModel,
)


def test_fetching_every_page_lists_each_config_once_in_store_order(
    qapp, manager, sample
):
    # Many equal names (ties broken by id) and names that casefold alike.
    names = ["Straße", "STRASSE", "Älteres", "älteres", "same", "Same"]
    manager.store.bulk_insert(
        ConfigRecord(sample.integration_id, name=names[i % len(names)])
        for i in range(PAGE_SIZE * 2 + 17)
    )
    model = ConfigListModel(manager)
    model.set_integration(sample.integration_id)
    assert model.rowCount() == PAGE_SIZE

    while model.canFetchMore():
        model.fetchMore()

    loaded = [model.config_at(row).id for row in range(model.rowCount())]
    expected = [c.id for c in manager.store.list_configs(sample.integration_id)]
    assert loaded == expected
    assert model.total() == len(expected) == PAGE_SIZE * 2 + 17


def fetch_all(qtbot, model):
    """Fetch pages as a view scrolled to the end would, each filtered page
    arriving from the background."""
    while True:
        qtbot.waitUntil(lambda: not model.reading)
        if not model.canFetchMore():
            return
        model.fetchMore()


def test_fetching_more_of_a_filtered_list_stays_filtered(qtbot, manager, sample):
    manager.store.bulk_insert(
        ConfigRecord(sample.integration_id, name=f"{kind} {i:04}")
        for i in range(PAGE_SIZE + 50)
        for kind in ("Staging", "Production")
    )
    model = ConfigListModel(manager)
    model.set_integration(sample.integration_id)
    model.set_search("prod")
    qtbot.waitUntil(lambda: model.search == "prod")

    fetch_all(qtbot, model)

    names = [model.config_at(row).name for row in range(model.rowCount())]
    assert names == [f"Production {i:04}" for i in range(PAGE_SIZE + 50)]


def test_the_end_is_found_without_counting_a_filter(qtbot, manager, sample):
    manager.store.bulk_insert(
        ConfigRecord(sample.integration_id, name=f"{kind} {i:04}")
        for i in range(PAGE_SIZE * 2)
        for kind in ("Staging", "Production")
    )
    statements: list[str] = []
    manager.store.add_statement_listener(statements.append)
    model = ConfigListModel(manager)
    model.set_integration(sample.integration_id)
    # Unfiltered: the count comes from the counts table, not a scan.
    assert model.total() == PAGE_SIZE * 4
    assert not any("count(*)" in sql for sql in statements)

    model.set_search("prod")
    qtbot.waitUntil(lambda: model.search == "prod")
    assert model.total() is None  # not known before the last page
    pages = 1
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.reading)
        pages += 1
    # Exactly two full pages match: the third read comes back empty.
    assert pages == 3
    assert model.rowCount() == model.total() == PAGE_SIZE * 2
    assert not any("count(*)" in sql for sql in statements)

    model.set_search("")
    while model.canFetchMore():
        model.fetchMore()
    # Unfiltered, the count tells the end: no empty page is read.
    assert model.rowCount() == model.total() == PAGE_SIZE * 4
    # Pages read: 1 on selecting, 3 filtered, 4 unfiltered again.
    assert len([sql for sql in statements if "LIMIT" in sql]) == 1 + 3 + 4


def test_each_row_shows_name_state_last_update_and_load_error(qapp, manager, sample):
    good = manager.store.save_config(
        ConfigRecord(sample.integration_id, name="Good", enabled=True)
    )
    broken = manager.store.save_config(
        ConfigRecord(sample.integration_id, name="Broken", enabled=False)
    )
    with sqlite3.connect(manager.store.path) as conn:
        conn.execute("UPDATE configs SET settings = '{' WHERE id = ?", (broken.id,))
    model = ConfigListModel(manager)
    model.set_integration(sample.integration_id)

    def cell(row, column, role=Qt.ItemDataRole.DisplayRole):
        return model.index(row, column).data(role)

    check = Qt.ItemDataRole.CheckStateRole
    tip = Qt.ItemDataRole.ToolTipRole
    assert [cell(r, NAME_COLUMN) for r in (0, 1)] == ["Broken", "Good"]
    assert cell(0, ENABLED_COLUMN, check) == Qt.CheckState.Unchecked
    assert cell(1, ENABLED_COLUMN, check) == Qt.CheckState.Checked
    assert "not valid JSON" in cell(0, NAME_COLUMN, tip)
    assert cell(1, NAME_COLUMN, tip) is None
    local = good.last_updated.astimezone().strftime("%Y-%m-%d %H:%M")
    assert cell(1, UPDATED_COLUMN) == local
    listed = model.config_at(1)
    assert (listed.id, listed.name, listed.enabled) == (good.id, "Good", True)
    assert listed.last_updated == good.last_updated
    assert model.row_of(good.id) == 1 and model.row_of(12345) == -1

    # A save elsewhere that keeps the order patches the row in place.
    edited = manager.get_config(good.id)
    edited.enabled = False
    manager.store.save_config(edited.to_record())
    good = manager.get_config(good.id)
    model.on_config_changed("updated", good)
    assert cell(1, ENABLED_COLUMN, check) == Qt.CheckState.Unchecked
    assert model.config_at(1).last_updated == good.last_updated


def names_of(model):
    return [model.config_at(row).name for row in range(model.rowCount())]


def test_changes_move_single_rows_without_reading_the_list_again(qapp, manager, sample):
    manager.store.bulk_insert(
        ConfigRecord(sample.integration_id, name=f"config {i:04}")
        for i in range(PAGE_SIZE + 10)
    )
    model = ConfigListModel(manager)
    model.set_integration(sample.integration_id)
    while model.canFetchMore():
        model.fetchMore()
    statements: list[str] = []
    manager.store.add_statement_listener(statements.append)
    changes: list[str] = []
    model.rowsInserted.connect(lambda *_: changes.append("inserted"))
    model.rowsRemoved.connect(lambda *_: changes.append("removed"))
    model.modelReset.connect(lambda: changes.append("reset"))

    added = manager.create_config(sample, name="Config 0005½")
    model.on_config_changed("created", added)
    renamed = manager.get_config(model.config_at(0).id)
    renamed.name = "zz last"
    manager.save_config(renamed)
    model.on_config_changed("updated", renamed)
    gone = model.config_at(3)
    manager.delete_config(gone.id)
    model.on_config_changed("deleted", gone)
    # The list's reads are pages (LIMIT); the manager's own reads are not.
    list_reads = [s for s in statements if "FROM configs " in s and "LIMIT" in s]

    # Every row where a fresh read of the store puts it, nothing re-read.
    expected = [c.name for c in manager.store.list_configs(sample.integration_id)]
    assert names_of(model) == expected
    assert expected.index("Config 0005½") == expected.index("config 0005") + 1
    assert expected[-1] == "zz last" and gone.name not in expected
    assert model.total() == PAGE_SIZE + 10
    assert changes == ["inserted", "removed", "inserted", "removed"]
    assert list_reads == []


def test_a_config_added_past_the_loaded_rows_comes_with_its_page(qapp, manager, sample):
    manager.store.bulk_insert(
        ConfigRecord(sample.integration_id, name=f"config {i:04}")
        for i in range(PAGE_SIZE * 2)
    )
    model = ConfigListModel(manager)
    model.set_integration(sample.integration_id)
    assert model.rowCount() == PAGE_SIZE

    late = manager.create_config(sample, name="config 0300½")
    model.on_config_changed("created", late)
    assert model.rowCount() == PAGE_SIZE  # not loaded yet…
    assert model.total() == PAGE_SIZE * 2 + 1

    while model.canFetchMore():
        model.fetchMore()
    names = names_of(model)
    assert names == [c.name for c in manager.store.list_configs(sample.integration_id)]
    assert names.index("config 0300½") == 301  # …and then in its place
    assert model.total() == model.rowCount() == PAGE_SIZE * 2 + 1
