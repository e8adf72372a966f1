"""The main window: integrations list, configurations, Undo, settings."""

from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QTableView,
)

from desktop_app.store import ConfigRecord
from desktop_app.ui._config_list import ENABLED_COLUMN, PAGE_SIZE
from desktop_app.ui._integration_list import DESCRIPTION_ROLE, SUMMARY_ROLE
from desktop_app.ui.config_dialog import ConfigDialog
from desktop_app.ui.main_window import MainWindow
from tests._support.qt_driving import (
    check_indicator_center,
    click,
    on_next_modal,
    open_window,
)
from tests._support.sample_integrations import SampleIntegration, valid_settings


@pytest.fixture
def window(qtbot, manager, settings, sample, other):
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    open_window(qtbot, win)
    yield win
    win.close()


def config_view(win) -> QTableView:
    return win.findChild(QTableView, "configList")


def names_in(view) -> list[str]:
    model = view.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def select_integration(win, name):
    view = win.findChild(QListView, "integrationList")
    model = view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == name:
            view.setCurrentIndex(model.index(row, 0))
            return
    raise AssertionError(f"{name} is not listed")


def select_row(view, row):
    view.selectRow(row)


def test_the_list_shows_each_integration_with_its_counts(
    qtbot, manager, window, sample
):
    manager.create_config(sample, name="A", enabled=True, settings=valid_settings())
    manager.create_config(sample, name="B", enabled=False, settings=valid_settings())
    view = window.findChild(QListView, "integrationList")
    model = view.model()
    rows = {
        model.index(r, 0).data(): model.index(r, 0).data(SUMMARY_ROLE)
        for r in range(model.rowCount())
    }
    assert rows == {
        "Sample Service": "2 configurations, 1 enabled",
        "Chat Notifier": "0 configurations, 0 enabled",
    }
    assert model.index(0, 0).data(DESCRIPTION_ROLE).startswith("Posts events")
    assert view.sizeHintForRow(0) >= 48 + 16


def test_the_filter_narrows_by_name_and_description_and_ctrl_f_focuses_it(
    qtbot, window
):
    view = window.findChild(QListView, "integrationList")
    box = window.findChild(QLineEdit, "integrationFilter")
    qtbot.keyClicks(box, "chat")
    assert names_in(view) == ["Chat Notifier"]
    box.clear()
    qtbot.keyClicks(box, "reviews are")  # in the description only
    assert names_in(view) == ["Chat Notifier"]
    box.clear()
    qtbot.keyClicks(box, "nothing like it")
    assert names_in(view) == []
    box.clear()
    assert len(names_in(view)) == 2

    window.integration_view.setFocus()
    window.find_action.trigger()
    assert box.hasFocus()
    assert window.find_action.shortcut().toString() == "Ctrl+F"


def test_adding_a_configuration_through_the_button_lists_and_stores_it(
    qtbot, manager, window, sample
):
    select_integration(window, "Sample Service")
    # The first start: the welcome stands where the configurations will be.
    welcome = window.findChild(QLabel, "welcome")
    assert welcome.isVisible()
    assert "Three steps to a first delivery" in welcome.text()

    def fill(dialog):
        assert dialog.windowTitle() == "Add Sample Service"
        dialog.findChild(QLineEdit, "name").clear()
        qtbot.keyClicks(dialog.findChild(QLineEdit, "name"), "From the window")
        qtbot.keyClicks(
            dialog.findChild(QLineEdit, "endpoint_url"), "https://a.example.com/"
        )
        qtbot.keyClicks(dialog.findChild(QLineEdit, "client_id"), "id-1")
        dialog.accept()

    state = on_next_modal(fill, ConfigDialog)
    click(
        qtbot, window.findChild(type(window.config_panel.add_button), "addConfigButton")
    )
    assert state["called"]
    assert names_in(config_view(window)) == ["From the window"]
    assert [c.name for c in manager.get_integration_configs(sample)] == [
        "From the window"
    ]
    assert config_view(window).isVisible()
    assert window.config_panel.selected_config().name == "From the window"


def test_the_empty_state_link_opens_the_add_dialog(qtbot, window):
    select_integration(window, "Chat Notifier")
    state = on_next_modal(lambda dialog: dialog.reject(), ConfigDialog)
    window.findChild(QLabel, "welcome").linkActivated.emit("add")
    assert state["called"]


def test_toggling_enabled_in_place_saves_at_once(qtbot, manager, window, sample):
    config = manager.create_config(
        sample, name="Toggle me", enabled=False, settings=valid_settings()
    )
    select_integration(window, "Sample Service")
    view = config_view(window)
    index = view.model().index(0, ENABLED_COLUMN)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked

    click(qtbot, view.viewport(), check_indicator_center(view, index))

    assert manager.get_config(config.id).enabled is True
    assert manager.get_integration(sample).enabled
    assert (
        view.model().index(0, ENABLED_COLUMN).data(Qt.ItemDataRole.CheckStateRole)
        == Qt.CheckState.Checked
    )
    summary = window.integration_model.index(0).data(SUMMARY_ROLE)
    assert summary == "1 configuration, 1 enabled"


def test_edit_by_double_click_changes_the_stored_config(qtbot, manager, window, sample):
    config = manager.create_config(sample, name="Old name", settings=valid_settings())
    select_integration(window, "Sample Service")
    view = config_view(window)

    def rename(dialog):
        assert dialog.windowTitle() == "Edit Old name"
        edit = dialog.findChild(QLineEdit, "name")
        edit.clear()
        qtbot.keyClicks(edit, "New name")
        dialog.accept()

    state = on_next_modal(rename, ConfigDialog)
    rect = view.visualRect(view.model().index(0, 0))
    # QTest's double click needs the press of a first click before it.
    click(qtbot, view.viewport(), rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert state["called"]
    assert manager.get_config(config.id).name == "New name"
    assert names_in(view) == ["New name"]


def test_enter_edits_the_selected_config(qtbot, manager, window, sample):
    manager.create_config(sample, name="Entered", settings=valid_settings())
    select_integration(window, "Sample Service")
    view = config_view(window)
    select_row(view, 0)
    state = on_next_modal(lambda dialog: dialog.reject(), ConfigDialog)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert state["called"]


def test_duplicate_stores_a_copy_with_the_same_settings(qtbot, manager, window, sample):
    manager.create_config(sample, name="Original", settings=valid_settings(retries=5))
    select_integration(window, "Sample Service")
    select_row(config_view(window), 0)
    click(qtbot, window.config_panel.duplicate_button)
    configs = {c.name: c for c in manager.get_integration_configs(sample)}
    assert set(configs) == {"Original", "Original (copy)"}
    assert configs["Original (copy)"].settings["retries"] == 5
    assert configs["Original (copy)"].id != configs["Original"].id
    assert names_in(config_view(window)) == ["Original", "Original (copy)"]
    assert window.config_panel.selected_config().name == "Original (copy)"


def test_delete_key_asks_naming_the_config_then_undo_restores_it(
    qtbot, manager, window, sample
):
    config = manager.create_config(
        sample, name="Doomed", enabled=True, settings=valid_settings(token="t0k")
    )
    select_integration(window, "Sample Service")
    view = config_view(window)
    select_row(view, 0)
    seen = {}

    def confirm(box):
        seen["text"] = box.text()
        click(qtbot, box.button(QMessageBox.StandardButton.Yes))

    state = on_next_modal(confirm, QMessageBox)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert state["called"]
    assert seen["text"] == 'Delete the configuration "Doomed"?'
    assert manager.get_integration_configs(sample) == []
    assert not manager.get_integration(sample).enabled
    assert window.undo_action.isEnabled()
    assert window.findChild(
        type(window.config_panel.add_button), "undoButton"
    ).isVisible()
    assert "Deleted" in window.statusBar().currentMessage()

    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    [restored] = manager.get_integration_configs(sample)
    assert (restored.id, restored.name) == (config.id, "Doomed")
    assert restored.settings["token"] == "t0k"
    assert manager.get_integration(sample).enabled
    assert names_in(view) == ["Doomed"]
    assert not window.undo_action.isEnabled()


def test_cancelling_the_delete_confirmation_keeps_the_config(
    qtbot, manager, window, sample
):
    manager.create_config(sample, name="Kept", settings=valid_settings())
    select_integration(window, "Sample Service")
    select_row(config_view(window), 0)
    state = on_next_modal(
        lambda box: click(qtbot, box.button(QMessageBox.StandardButton.Cancel)),
        QMessageBox,
    )
    click(qtbot, window.config_panel.delete_button)
    assert state["called"]
    assert [c.name for c in manager.get_integration_configs(sample)] == ["Kept"]
    assert not window.undo_action.isEnabled()


def test_without_integrations_the_window_says_where_to_drop_plugins(
    qtbot, manager, settings
):
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    win.show()
    label = win.findChild(QLabel, "integrationEmptyState")
    assert label.isVisible()
    assert "No integrations registered" in label.text()
    assert str(manager.store.path.parent / "plugins") in label.text()
    assert not win.config_panel.add_button.isEnabled()

    manager.register_integration_class(SampleIntegration)
    win.reload_integrations()
    assert not label.isVisible()
    assert win.selected_integration().integration_id == SampleIntegration.integration_id
    win.close()


def test_ten_thousand_configs_open_reading_one_page(
    qtbot, manager, window, sample, other, monkeypatch
):
    # How fast is for benchmarks/scale.py; here: opening 10,000 configs
    # reads what opening 10 does, one page and one count.
    manager.store.bulk_insert(
        ConfigRecord(sample.integration_id, name=f"config {i:05}")
        for i in range(10_000)
    )
    manager.store.bulk_insert(
        ConfigRecord(other.integration_id, name=f"small {i}") for i in range(10)
    )
    reads = []
    real_list = manager.store.list_configs

    def counting_list(*args, **kwargs):
        rows = real_list(*args, **kwargs)
        reads.append(len(rows))
        return rows

    monkeypatch.setattr(manager.store, "list_configs", counting_list)

    select_integration(window, "Chat Notifier")
    qtbot.wait(1)
    assert reads == [10]
    reads.clear()
    select_integration(window, "Sample Service")
    qtbot.wait(1)
    view = config_view(window)
    assert view.model().rowCount() == PAGE_SIZE
    assert view.model().total() == 10_000
    # One page, however many there are; no read of the whole integration.
    assert len(reads) == 1 and reads[0] <= PAGE_SIZE, reads
    reads.clear()

    view.scrollToBottom()
    qtbot.wait(10)
    assert view.model().rowCount() > PAGE_SIZE
    # Scrolling fetches page by page.
    assert reads and all(n <= PAGE_SIZE for n in reads), reads


def test_the_config_filter_narrows_the_list_by_name_through_the_store(
    qtbot, manager, window, sample
):
    manager.store.bulk_insert(
        ConfigRecord(sample.integration_id, name=f"{kind} {i:04}")
        for kind in ("Staging", "Production")
        for i in range(300)
    )
    select_integration(window, "Chat Notifier")
    select_integration(window, "Sample Service")
    view = config_view(window)
    assert view.model().total() == 600
    filter_edit = window.findChild(QLineEdit, "configFilter")
    assert filter_edit.isVisible()

    qtbot.keyClicks(filter_edit, "PROD")
    qtbot.waitUntil(lambda: view.model().search == "PROD")
    # Paged like the whole list: the first page, more on scrolling. The
    # filter is not counted (a scan of every row): its total is known
    # when a short page has shown the end.
    assert view.model().rowCount() == PAGE_SIZE
    assert view.model().total() is None
    assert view.model().canFetchMore()
    assert all(name.startswith("Production") for name in names_in(view))
    view.scrollToBottom()
    qtbot.waitUntil(lambda: view.model().rowCount() == 300)
    assert view.model().total() == 300
    assert not view.model().canFetchMore()

    filter_edit.setText("nothing like it")
    qtbot.waitUntil(lambda: view.model().total() == 0)
    # No match is not "no configurations yet".
    assert not window.findChild(QLabel, "configEmptyState").isVisible()

    filter_edit.clear()
    qtbot.waitUntil(lambda: view.model().total() == 600)
    filter_edit.setText("staging 0001")
    qtbot.waitUntil(lambda: names_in(view) == ["Staging 0001"])
    # Choosing another integration starts unfiltered.
    select_integration(window, "Chat Notifier")
    assert filter_edit.text() == ""
    select_integration(window, "Sample Service")
    assert view.model().total() == 600


def hold_search_reads(monkeypatch, store, held):
    """Make the store's reads for the filter ``held`` wait until released.

    Returns (started, release) events.
    """
    started, release = threading.Event(), threading.Event()
    real_list = store.list_configs

    def list_configs(*args, **kwargs):
        if kwargs.get("search") == held:
            started.set()
            assert release.wait(10)
        return real_list(*args, **kwargs)

    monkeypatch.setattr(store, "list_configs", list_configs)
    return started, release


def test_a_filter_result_the_user_typed_past_is_never_shown(
    qtbot, manager, window, sample, monkeypatch
):
    manager.store.bulk_insert(
        ConfigRecord(sample.integration_id, name=f"{kind} {i:04}")
        for kind in ("Staging", "Production")
        for i in range(300)
    )
    select_integration(window, "Chat Notifier")
    select_integration(window, "Sample Service")
    view = config_view(window)
    model = view.model()
    started, release = hold_search_reads(monkeypatch, manager.store, "staging")
    shown = []
    model.modelReset.connect(lambda: shown.append(names_in(view)[:2]))
    filter_edit = window.findChild(QLineEdit, "configFilter")

    qtbot.keyClicks(filter_edit, "staging")
    qtbot.waitUntil(started.is_set)  # read in the background, held there
    # The list stays as it was meanwhile.
    assert len(names_in(view)) == PAGE_SIZE and model.search == ""
    qtbot.keyClicks(filter_edit, " 0001")
    qtbot.waitUntil(lambda: model.requested_search == "staging 0001")
    release.set()

    qtbot.waitUntil(lambda: names_in(view) == ["Staging 0001"])
    assert model.search == "staging 0001" and model.total() == 1
    # One change on screen: the "staging" page came back late and went.
    assert shown == [["Staging 0001"]]


def test_a_late_filter_result_does_not_land_in_another_integration(
    qtbot, manager, window, sample, other, monkeypatch
):
    manager.store.bulk_insert(
        ConfigRecord(sample.integration_id, name=f"Staging {i:04}") for i in range(10)
    )
    manager.store.bulk_insert(
        ConfigRecord(other.integration_id, name=f"Chat {i}") for i in range(3)
    )
    select_integration(window, "Sample Service")
    view = config_view(window)
    started, release = hold_search_reads(monkeypatch, manager.store, "staging")
    filter_edit = window.findChild(QLineEdit, "configFilter")
    qtbot.keyClicks(filter_edit, "staging")
    qtbot.waitUntil(started.is_set)

    select_integration(window, "Chat Notifier")
    assert filter_edit.text() == ""
    assert names_in(view) == ["Chat 0", "Chat 1", "Chat 2"]
    shown = []
    view.model().modelReset.connect(lambda: shown.append(names_in(view)))
    release.set()
    # Results come back in the order asked for: once this filter's rows
    # show, the late "staging" page has come back too.
    qtbot.keyClicks(filter_edit, "chat 1")
    qtbot.waitUntil(lambda: names_in(view) == ["Chat 1"])
    assert shown == [["Chat 1"]]


def test_a_change_from_another_thread_reaches_the_window(
    qtbot, manager, window, sample
):
    select_integration(window, "Sample Service")
    thread = threading.Thread(
        target=lambda: manager.create_config(
            sample, name="From a thread", settings=valid_settings()
        )
    )
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: names_in(config_view(window)) == ["From a thread"])
    qtbot.waitUntil(
        lambda: window.integration_model.index(0).data(SUMMARY_ROLE).startswith("1 ")
    )


def test_the_shell_paints_first_and_the_configurations_pane_comes_a_turn_later(
    qtbot, manager, settings, sample
):
    manager.create_config(sample, name="Listed", settings=valid_settings())
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    win.show()
    # The first frame shows the integrations; what can wait is built in
    # the event-loop turns after it.
    assert win.findChild(QListView, "integrationList").isVisible()
    assert win.findChild(QTableView, "configList") is None
    assert win.add_action.isEnabled()  # an integration is selected

    qtbot.waitUntil(lambda: config_view(win) is not None)
    qtbot.waitUntil(config_view(win).isVisible)
    assert names_in(config_view(win)) == ["Listed"]
    assert win.selected_integration() is sample
    win.close()


def test_asking_for_the_configurations_pane_early_builds_it_at_once(
    qtbot, manager, settings, sample
):
    manager.create_config(sample, name="Early", settings=valid_settings())
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    win.show()
    panel = win.config_panel
    assert panel.integration is sample
    assert names_in(config_view(win)) == ["Early"]

    open_window(qtbot, win)  # the turn meant to build it builds nothing
    assert win.config_panel is panel
    assert len(win.findChildren(QTableView, "configList")) == 1
    win.close()


def test_window_geometry_splitter_and_dock_are_restored(
    qtbot, manager, settings, sample
):
    first = MainWindow(manager, settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 520)
    first.splitter.setSizes([250, 450])
    first.removeDockWidget(first.activity_dock)
    first.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, first.activity_dock)
    first.activity_dock.show()
    qtbot.wait(10)
    size, sizes = first.size(), first.splitter.sizes()
    first.close()

    second = MainWindow(manager, settings=settings)
    qtbot.addWidget(second)
    second.show()
    qtbot.wait(10)
    assert second.size() == size
    assert second.splitter.sizes() == sizes
    assert (
        second.dockWidgetArea(second.activity_dock)
        == Qt.DockWidgetArea.RightDockWidgetArea
    )
    second.close()


def test_menus_have_the_standard_shortcuts_and_reload_plugins_waits(window):
    shortcuts = {
        "addAction": "Ctrl+N",
        "duplicateAction": "Ctrl+D",
        "undoAction": "Ctrl+Z",
        "quitAction": "Ctrl+Q",
        "findAction": "Ctrl+F",
    }
    from PySide6.QtGui import QAction

    for name, shortcut in shortcuts.items():
        action = window.findChild(QAction, name)
        assert action.shortcut().toString() == shortcut, name
    assert not window.findChild(QAction, "reloadPluginsAction").isEnabled()


def test_the_undo_button_in_the_status_bar_restores_the_deleted_config(
    qtbot, manager, window, sample
):
    config = manager.create_config(sample, name="Oops", settings=valid_settings())
    select_integration(window, "Sample Service")
    select_row(config_view(window), 0)
    on_next_modal(
        lambda box: click(qtbot, box.button(QMessageBox.StandardButton.Yes)),
        QMessageBox,
    )
    click(qtbot, window.config_panel.delete_button)
    assert manager.get_integration_configs(sample) == []
    undo = window.statusBar().findChild(QPushButton, "undoButton")
    click(qtbot, undo)
    assert [c.id for c in manager.get_integration_configs(sample)] == [config.id]
    assert not undo.isVisible()
    assert "Restored" in window.statusBar().currentMessage()


def test_undo_brings_deletions_back_newest_first(qtbot, manager, window, sample):
    first = manager.create_config(sample, name="First", settings=valid_settings())
    second = manager.create_config(sample, name="Second", settings=valid_settings())
    select_integration(window, "Sample Service")
    view = config_view(window)
    for _ in range(2):
        select_row(view, 0)
        on_next_modal(
            lambda box: click(qtbot, box.button(QMessageBox.StandardButton.Yes)),
            QMessageBox,
        )
        click(qtbot, window.config_panel.delete_button)
    assert manager.get_integration_configs(sample) == []
    assert window.undo_action.text() == '&Undo delete "Second"'

    window.undo_action.trigger()
    assert names_in(view) == ["Second"]
    assert window.undo_action.text() == '&Undo delete "First"'
    window.undo_action.trigger()
    assert names_in(view) == ["First", "Second"]
    assert {c.id for c in manager.get_integration_configs(sample)} == {
        first.id,
        second.id,
    }
    assert not window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo"


def test_about_names_the_versions_and_the_database(manager):
    import platform

    import PySide6

    from desktop_app import __version__
    from desktop_app.ui._about import about_text

    text = about_text(manager)
    assert f"desktop-app {__version__}" in text
    assert f"PySide6 {PySide6.__version__}" in text
    assert f"Python {platform.python_version()}" in text
    assert str(manager.store.path) in text


def test_an_import_shows_in_the_window_as_one_reload(qtbot, manager, window, sample):
    from desktop_app._transfer import FORMAT, import_configs

    select_integration(window, "Sample Service")
    resets = []
    window.config_panel.model.modelReset.connect(lambda: resets.append(1))
    items = [
        {
            "integration_id": sample.integration_id,
            "name": f"imported {i:03}",
            "enabled": i % 2 == 0,
            "settings": valid_settings(),
        }
        for i in range(300)
    ]
    import_configs(
        manager, json.dumps({"format": FORMAT, "version": 1, "configs": items})
    )
    qtbot.waitUntil(lambda: config_view(window).model().total() == 300)
    assert names_in(config_view(window))[:2] == ["imported 000", "imported 001"]
    assert (
        window.integration_model.index(
            window.integration_model.row_of(sample.integration_id)
        ).data(SUMMARY_ROLE)
        == "300 configurations, 150 enabled"
    )
    # One reload of the list, not one per imported configuration.
    assert len(resets) == 1


def test_an_integration_the_host_registers_later_shows_and_goes(qtbot, manager, window):
    from desktop_app.integration import Integration

    class Latecomer(Integration):
        integration_id = "tests.ui.main_window.Latecomer"
        name = "Latecomer"
        description = "Registered after the window opened."

        def initialize(self):
            pass

    view = window.findChild(QListView, "integrationList")
    assert "Latecomer" not in names_in(view)
    manager.register_integration_class(Latecomer)
    qtbot.waitUntil(lambda: "Latecomer" in names_in(view))
    select_integration(window, "Latecomer")
    manager.unregister_integration_class(Latecomer)
    qtbot.waitUntil(lambda: "Latecomer" not in names_in(view))
    # The selection moved to an integration that is still there.
    assert window.integration_view.currentIndex().isValid()
