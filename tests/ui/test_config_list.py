"""The lazily paged config list model: keyset pages add up to the store's
full order, with ties and non-ASCII names."""

from __future__ import annotations

from desktop_app.config import IntegrationConfig
from desktop_app.ui.config_list import PAGE_SIZE, ConfigListModel


def test_fetching_every_page_lists_each_config_once_in_store_order(
    qapp, manager, sample
):
    # Many equal names (ties broken by id) and names that casefold alike.
    names = ["Straße", "STRASSE", "Älteres", "älteres", "same", "Same"]
    manager.store.bulk_insert(
        IntegrationConfig(sample.integration_id, name=names[i % len(names)])
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


def test_fetching_more_of_a_filtered_list_stays_filtered(qapp, manager, sample):
    manager.store.bulk_insert(
        IntegrationConfig(sample.integration_id, name=f"{kind} {i:04}")
        for i in range(PAGE_SIZE + 50)
        for kind in ("Staging", "Production")
    )
    model = ConfigListModel(manager)
    model.set_integration(sample.integration_id)
    model.set_search("prod")

    while model.canFetchMore():
        model.fetchMore()

    names = [model.config_at(row).name for row in range(model.rowCount())]
    assert names == [f"Production {i:04}" for i in range(PAGE_SIZE + 50)]


def test_the_end_is_found_without_counting_a_filter(qapp, manager, sample):
    manager.store.bulk_insert(
        IntegrationConfig(sample.integration_id, name=f"{kind} {i:04}")
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
    assert model.total() is None  # not known before the last page
    pages = 1
    while model.canFetchMore():
        model.fetchMore()
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
