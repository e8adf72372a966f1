"""Plugin problems in plain sight: the banner, the failed integration kept
in the list (greyed, read-only), configurations not loaded shown."""

from __future__ import annotations

import textwrap

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop_app._paths import DataPaths
from desktop_app.store import ConfigRecord
from desktop_app.ui._config_list import CONFIG_ROLE, ENABLED_COLUMN
from desktop_app.ui._config_viewer import ConfigViewer
from desktop_app.ui._integration_list import DESCRIPTION_ROLE, UNAVAILABLE_ROLE
from desktop_app.ui._plugins_dialog import PluginsDialog
from desktop_app.ui._plugins_setup import install_plugins
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.testing import answer_next_message_box
from tests._support.qt_driving import (
    on_next_modal,
    open_window,
    reload_plugins_and_wait,
    wait_for_plugins,
)

PAGER = """
from desktop_app import Integration

class Pager(Integration):
    integration_id = "test.pager"
    name = "Pager"

    def initialize(self):
        pass
"""


def _write(folder, name, code):
    (folder / name).write_text(textwrap.dedent(code), encoding="utf-8")


@pytest.fixture
def setup(qtbot, manager, settings, tmp_path):
    paths = DataPaths(tmp_path).ensure()

    def start():
        win = MainWindow(manager, settings=settings)
        qtbot.addWidget(win)
        open_window(qtbot, win)
        plugins = install_plugins(win, paths, entry_points=False)
        qtbot.waitUntil(lambda: win.is_ready, timeout=10_000)
        wait_for_plugins(qtbot, win)
        windows.append((win, plugins))
        win.plugin_watcher._timer.setInterval(60_000)  # the tests reload by hand
        return win, plugins

    windows = []
    yield paths.plugins_dir, start
    for win, plugins in windows:
        win.close()
        plugins.unload_all()


def test_failed_plugins_get_a_banner_with_details(qtbot, setup):
    folder, start = setup
    _write(folder, "one.py", "raise RuntimeError('broken on purpose')\n")
    _write(folder, "two.py", "import not_installed_anywhere\n")
    win, plugins = start()

    [banner] = win.notices()
    assert banner.text() == "2 plugins failed to load."
    details = banner.findChild(QPushButton, "pluginProblemsDetails")
    assert details.text().replace("&", "") == "Details…"
    qtbot.mouseClick(details, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(win.findChildren(PluginsDialog)))
    dialog = win.findChildren(PluginsDialog)[-1]
    assert dialog.selected_info().name in {"one", "two"}
    assert 'needs the Python package "not_installed_anywhere"' in (
        dialog.table.item(dialog.row_of("two"), 2).toolTip()
    )
    dialog.close()

    # Fixed: the banner goes away on the next reload.
    _write(folder, "one.py", "x = 1\n")
    _write(folder, "two.py", "y = 2\n")
    reload_plugins_and_wait(qtbot, win)
    assert win.notices() == []


def test_a_plugin_that_breaks_keeps_its_integration_greyed_and_selected(
    qtbot, manager, setup
):
    folder, start = setup
    _write(folder, "pager.py", PAGER)
    win, plugins = start()
    manager.create_config("test.pager", name="On call", settings={"number": "555"})
    row = win.integration_model.row_of("test.pager")
    win._select_source_row(row)
    assert win.selected_integration().integration_id == "test.pager"

    _write(folder, "pager.py", PAGER + "\nraise RuntimeError('now broken')\n")
    reload_plugins_and_wait(qtbot, win)

    current = win.integration_view.currentIndex()
    entry = current.data(UNAVAILABLE_ROLE)
    assert entry is not None and entry.integration_id == "test.pager"
    assert current.data(DESCRIPTION_ROLE) == "Failed to load"
    panel = win.config_panel
    assert panel.unavailable.integration_id == "test.pager"
    assert panel.title_label.text() == "Pager"
    assert "now broken" in panel.description_label.text()
    assert panel.model.total() == 1
    panel.select_config(panel.model.index(0, 0).data(CONFIG_ROLE).id)
    assert not panel.add_button.isEnabled()
    assert not panel.duplicate_button.isEnabled()
    assert panel.edit_button.text() == "&View…"
    assert panel.edit_button.isEnabled()
    assert not win.add_action.isEnabled()
    enabled_cell = panel.model.index(0, ENABLED_COLUMN)
    assert not panel.model.flags(enabled_cell) & Qt.ItemFlag.ItemIsUserCheckable
    assert not panel.model.setData(
        enabled_cell, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )

    seen = {}

    def look(viewer):
        seen.update(viewer.values())
        assert all(edit.isReadOnly() for edit in viewer.fields.values())
        viewer.reject()

    state = on_next_modal(look, ConfigViewer)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert state["called"]
    assert seen == {"Name": "On call", "Enabled": "No", "number": "555"}

    # Fixed again: editable, still selected.
    _write(folder, "pager.py", PAGER)
    reload_plugins_and_wait(qtbot, win)
    assert win.selected_integration().integration_id == "test.pager"
    assert panel.unavailable is None
    assert panel.edit_button.text() == "&Edit…"
    assert panel.model.flags(enabled_cell) & Qt.ItemFlag.ItemIsUserCheckable


def test_configurations_of_an_integration_never_loaded_are_shown(qtbot, manager, setup):
    folder, start = setup
    manager.store.save_config(
        ConfigRecord("gone.Thing", name="Orphan", settings={"api_token": "t0k3n!"})
    )
    win, _plugins = start()
    row = win.integration_model.row_of("gone.Thing")
    assert row >= 0
    index = win.integration_model.index(row)
    assert index.data(DESCRIPTION_ROLE) == "Not loaded"
    assert "No loaded plugin provides this integration" in index.data(
        Qt.ItemDataRole.ToolTipRole
    )
    win._select_source_row(row)
    panel = win.config_panel
    assert panel.model.total() == 1
    # Deleting stays possible (it is not editing), with Undo.
    panel.select_config(panel.model.index(0, 0).data(CONFIG_ROLE).id)
    assert panel.delete_button.isEnabled()
    answer = answer_next_message_box(qtbot, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert answer["answered"]
    assert manager.store.count("gone.Thing") == 0
    win.undo_delete()
    assert [r.name for r in manager.store.list_configs("gone.Thing")] == ["Orphan"]


def test_not_loaded_rows_wait_for_the_plugins_so_nothing_flashes_greyed(
    qtbot, manager, settings, tmp_path
):
    manager.store.save_config(ConfigRecord("later.Thing", name="Waits"))
    paths = DataPaths(tmp_path).ensure()
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    open_window(qtbot, win)
    # Before plugins load, an id may still register: not listed as missing.
    assert win.integration_model.row_of("later.Thing") < 0
    plugins = install_plugins(win, paths, entry_points=False)
    qtbot.waitUntil(lambda: win.is_ready, timeout=10_000)
    assert win.integration_model.row_of("later.Thing") >= 0
    win.close()
    plugins.unload_all()
