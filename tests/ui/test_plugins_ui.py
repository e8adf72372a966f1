"""The window's plugin parts: live reload, Tools menu, plugins page."""

from __future__ import annotations

import json
import textwrap

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction

from desktop_app._paths import DataPaths
from desktop_app.config import IntegrationConfig
from desktop_app.ui._integration_list import UNAVAILABLE_ROLE
from desktop_app.ui._plugins_dialog import PluginsDialog
from desktop_app.ui._plugins_setup import install_plugins
from desktop_app.ui.main_window import MainWindow
from tests._support.plugin_files import HELD_PLUGIN, held_import_gate
from tests._support.qt_driving import (
    open_window,
    reload_plugins_and_wait,
    wait_for_plugins,
)

PLUGIN = """
from desktop_app import Integration

class Live(Integration):
    integration_id = "test.live"
    name = "{name}"

    def initialize(self):
        pass
"""


def _write(folder, name, code):
    (folder / name).write_text(textwrap.dedent(code), encoding="utf-8")


@pytest.fixture
def window(qtbot, manager, settings, tmp_path):
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    open_window(qtbot, win)
    paths = DataPaths(tmp_path).ensure()
    plugins = install_plugins(win, paths, entry_points=False)
    wait_for_plugins(qtbot, win)
    yield win
    win.close()
    plugins.unload_all()


def test_dropped_plugin_appears_and_edits_reload_keeping_configs(
    qtbot, window, manager, tmp_path
):
    folder = tmp_path / "plugins"
    _write(folder, "live.py", PLUGIN.format(name="Live one"))
    qtbot.waitUntil(
        lambda: window.integration_model.row_of("test.live") >= 0, timeout=3000
    )
    assert manager.get_integration("test.live").name == "Live one"
    config = IntegrationConfig("test.live", name="kept", enabled=True)
    manager.save_config(config)

    _write(folder, "live.py", PLUGIN.format(name="Live two"))
    qtbot.waitUntil(
        lambda: (
            manager.is_registered("test.live")
            and manager.get_integration("test.live").name == "Live two"
        ),
        timeout=3000,
    )
    assert manager.get_integration("test.live").enabled
    assert [c.name for c in manager.get_integration_configs("test.live")] == ["kept"]

    (folder / "live.py").unlink()
    qtbot.waitUntil(lambda: not manager.is_registered("test.live"), timeout=3000)
    # Its configuration is the user's data: still listed, as not loaded.
    model = window.integration_model

    def entry():
        row = model.row_of("test.live")
        return model.index(row).data(UNAVAILABLE_ROLE) if row >= 0 else None

    qtbot.waitUntil(lambda: entry() is not None, timeout=3000)
    assert entry().reason == "The plugin that provided it was removed."
    assert entry().display_name == "Live two"


def test_an_edited_plugin_reloads_the_list_once(qtbot, window, manager, tmp_path):
    folder = tmp_path / "plugins"
    _write(folder, "live.py", PLUGIN.format(name="Live one"))
    qtbot.waitUntil(
        lambda: window.integration_model.row_of("test.live") >= 0, timeout=3000
    )
    resets = []
    window.integration_model.modelReset.connect(lambda: resets.append(1))

    _write(folder, "live.py", PLUGIN.format(name="Live two"))
    model = window.integration_model
    qtbot.waitUntil(
        lambda: model.index(model.row_of("test.live")).data() == "Live two",
        timeout=3000,
    )
    qtbot.wait(300)  # room for a second reload, were one coming
    # The registry's signals and the loader's end of reload ask for one.
    assert resets == [1]


def test_tools_menu_has_reload_and_plugins_actions(qtbot, window, manager, tmp_path):
    _write(tmp_path / "plugins", "live.py", PLUGIN.format(name="By hand"))
    window.plugin_watcher._timer.setInterval(60_000)  # only the menu reloads
    reload_plugins_and_wait(qtbot, window)
    assert manager.get_integration("test.live").name == "By hand"
    assert window.findChild(QAction, "pluginsAction") is not None


def test_plugins_dialog_lists_errors_and_stores_enable_choice(
    qtbot, window, manager, tmp_path
):
    folder = tmp_path / "plugins"
    _write(folder, "live.py", PLUGIN.format(name="Shown"))
    _write(folder, "broken.py", "raise RuntimeError('broken on purpose')\n")
    reload_plugins_and_wait(qtbot, window)
    dialog = PluginsDialog(window.plugin_manager, window)
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "pluginsDialog"
    rows = {dialog.table.item(r, 1).text(): r for r in range(dialog.table.rowCount())}
    assert set(rows) == {"broken", "live"}
    broken = rows["broken"]
    # Problems first, in plain words, and never ticked as "On".
    assert broken == 0
    assert dialog.table.item(broken, 2).text() == "Failed to load"
    assert not dialog.table.item(broken, 0).flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert dialog.table.item(rows["live"], 3).text() == "Plugins folder"
    assert dialog.selected_info().name == "broken"
    details = dialog.details.toPlainText()
    assert (
        "It stopped with an error while loading: RuntimeError: broken on purpose"
        in details
    )
    assert f"File: {folder / 'broken.py'}, line 1" in details
    assert "Traceback" in details

    dialog.table.item(rows["live"], 0).setCheckState(Qt.CheckState.Unchecked)
    assert not manager.is_registered("test.live")
    state = json.loads((tmp_path / "plugins.json").read_text())
    assert state == {"disabled": ["folder:live"]}
    rows = {dialog.table.item(r, 1).text(): r for r in range(dialog.table.rowCount())}
    assert dialog.table.item(rows["live"], 2).text() == "Turned off"


def test_plugins_page_shows_why_a_plugin_was_refused(qtbot, window, tmp_path):
    folder = tmp_path / "plugins"
    _write(folder, "open_to_all.py", PLUGIN.format(name="Refused"))
    (folder / "open_to_all.py").chmod(0o666)
    reload_plugins_and_wait(qtbot, window)

    dialog = PluginsDialog(window.plugin_manager, window)
    qtbot.addWidget(dialog)
    [row] = range(dialog.table.rowCount())
    assert dialog.table.item(row, 2).text() == "Not loaded (unsafe)"
    reason = dialog.table.item(row, 2).toolTip()
    assert "other people could change its code" in reason
    assert "is writable by other users (mode 0666)" in reason
    assert "chmod go-w" in reason
    dialog.table.selectRow(row)
    assert reason in dialog.details.toPlainText()
    assert not window.manager.is_registered("test.live")
    # Let the folder watcher's pending re-check run while the store is open.
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not window.plugin_watcher._timer.isActive())


def test_reload_imports_off_the_ui_thread_while_the_window_keeps_answering(
    qtbot, window, manager, tmp_path
):
    action = window.findChild(QAction, "reloadPluginsAction")
    with held_import_gate() as gate:
        _write(tmp_path / "plugins", "held.py", HELD_PLUGIN)
        action.trigger()

        # The plugin's import is stuck; the event loop still runs and the
        # window says what is going on.
        qtbot.waitUntil(gate.entered.is_set, timeout=10_000)
        answered = []
        QTimer.singleShot(0, lambda: answered.append(True))
        qtbot.waitUntil(lambda: answered == [True], timeout=5000)
        assert not action.isEnabled()
        assert window.statusBar().currentMessage().startswith("Reloading plugins")
        assert not manager.is_registered("test.held")

        gate.release.set()
        qtbot.waitUntil(lambda: action.isEnabled(), timeout=10_000)
    assert manager.get_integration("test.held").name == "Held"
    assert window.integration_model.row_of("test.held") >= 0
    assert window.statusBar().currentMessage().startswith("Plugins reloaded")


def test_the_panes_wait_for_plugin_loading_and_follow_at_once(
    qtbot, manager, settings, tmp_path
):
    from desktop_app.ui.config_panel import ConfigPanel

    paths = DataPaths(tmp_path / "data").ensure()
    _write(paths.plugins_dir, "live.py", PLUGIN.format(name="Shown"))
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    with held_import_gate() as gate:
        _write(paths.plugins_dir, "held.py", HELD_PLUGIN)
        # As run_app does: plugins start loading before the first turn of
        # the event loop.
        win.show()
        plugins = install_plugins(win, paths, entry_points=False)
        qtbot.waitExposed(win)
        qtbot.waitUntil(gate.entered.is_set, timeout=10_000)
        qtbot.wait(50)  # event-loop turns in which the panes would be built
        # Nothing to show yet, and nothing competes with loading.
        assert win.findChild(ConfigPanel) is None
        assert not win.is_ready
        gate.release.set()
        qtbot.waitUntil(lambda: win.is_ready, timeout=10_000)
    panel = win.findChild(ConfigPanel)
    assert panel is not None and panel.isVisible()
    assert win.selected_integration() is not None
    win.close()
    plugins.unload_all()
