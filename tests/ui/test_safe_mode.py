"""Safe mode in the window: --safe-mode, Shift held at start, and the prompt
after a start that did not finish; the banner and "Disable <plugin>"."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop_app._paths import DataPaths
from desktop_app._start_marker import StartMarker
from desktop_app.ui._safe_mode import SAFE_MODE_TEXT, start_plugins
from desktop_app.ui.main_window import MainWindow
from tests._support.plugin_files import write_plugin
from tests._support.qt_driving import on_next_modal, open_window

PLUGIN = """
from desktop_app import Integration

class Dropped(Integration):
    integration_id = "test.dropped"
    name = "Dropped"

    def initialize(self):
        pass
"""


@pytest.fixture
def paths(tmp_path):
    paths = DataPaths(tmp_path).ensure()
    write_plugin(paths.plugins_dir, "dropped.py", PLUGIN)
    return paths


@pytest.fixture
def window(qtbot, manager, settings):
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    open_window(qtbot, win)
    yield win
    plugins = getattr(win, "plugin_manager", None)
    win.close()
    if plugins is not None:
        plugins.unload_all()


def a_crashed_start(paths, key="folder:dropped", name="dropped"):
    """Leave the marker a start that died while loading a plugin leaves."""
    marker = StartMarker(paths.data_dir)
    marker.begin()
    marker.loading(key, name)


def start_and_wait(qtbot, window, paths, **options):
    """Start plugins as the window does and wait until loading is over
    (imports run on a loader thread)."""
    plugins = start_plugins(window, paths, entry_points=False, **options)
    qtbot.waitUntil(lambda: not plugins.loading, timeout=30_000)
    return plugins


def banner_texts(window):
    return [banner.text() for banner in window.notices()]


def test_a_normal_start_loads_drop_ins_shows_no_banner_and_leaves_no_marker(
    qtbot, window, manager, paths
):
    plugins = start_and_wait(qtbot, window, paths)

    assert plugins.get("dropped").loaded
    assert manager.is_registered("test.dropped")
    assert banner_texts(window) == []
    assert StartMarker(paths.data_dir).last_start() is None


def test_safe_mode_flag_loads_no_drop_ins_and_says_so(qtbot, window, manager, paths):
    plugins = start_and_wait(qtbot, window, paths, safe_mode=True)

    assert plugins.plugins == []
    assert not manager.is_registered("test.dropped")
    [text] = banner_texts(window)
    assert text.startswith(SAFE_MODE_TEXT)
    assert "start the app again (without --safe-mode or Shift)" in text
    [banner] = window.notices()
    assert banner.findChild(QPushButton, "disablePluginButton") is None


def test_shift_held_at_start_means_safe_mode(qtbot, window, manager, paths):
    start_and_wait(qtbot, window, paths, modifiers=Qt.KeyboardModifier.ShiftModifier)

    assert not manager.is_registered("test.dropped")
    assert banner_texts(window)[0].startswith(SAFE_MODE_TEXT)


def test_after_an_unfinished_start_the_user_chooses_safe_mode_and_disables_it(
    qtbot, window, manager, paths
):
    a_crashed_start(paths)
    seen = {}

    def answer(box):
        seen["text"] = box.text()
        box.findChild(QPushButton, "startSafeModeButton").click()

    state = on_next_modal(answer, QMessageBox)
    plugins = start_and_wait(qtbot, window, paths)

    assert state["called"]
    assert seen["text"] == (
        "The last start did not finish while loading the plugin \u201cdropped\u201d."
    )
    assert not manager.is_registered("test.dropped")
    [banner] = window.notices()
    assert banner.text().startswith(
        f"{SAFE_MODE_TEXT} The last start did not finish while loading the plugin "
        "\u201cdropped\u201d."
    )
    # The safe start finished: the next start asks nothing.
    assert StartMarker(paths.data_dir).last_start() is None

    disable = banner.findChild(QPushButton, "disablePluginButton")
    assert disable.text() == "Disable dropped"
    qtbot.mouseClick(disable, Qt.MouseButton.LeftButton)

    assert not disable.isEnabled()
    assert "\u201cdropped\u201d is disabled and will not load" in banner.text()
    stored = json.loads((paths.data_dir / "plugins.json").read_text())
    assert "folder:dropped" in json.dumps(stored)
    assert not plugins.state.is_enabled("folder:dropped")


def test_after_an_unfinished_start_the_user_may_start_normally(
    qtbot, window, manager, paths
):
    a_crashed_start(paths)
    state = on_next_modal(
        lambda box: box.findChild(QPushButton, "startNormallyButton").click(),
        QMessageBox,
    )

    plugins = start_and_wait(qtbot, window, paths)

    assert state["called"]
    assert plugins.get("dropped").loaded
    assert banner_texts(window) == []
    assert StartMarker(paths.data_dir).last_start() is None
