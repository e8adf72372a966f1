"""Plugins load off the UI thread: a plugin that hangs at import leaves the
window working, is reported once its time is up, and the others load."""

from __future__ import annotations

import textwrap

import pytest
from PySide6.QtCore import QTimer

from desktop_app._paths import DataPaths
from desktop_app.ui._plugins_setup import install_plugins
from desktop_app.ui.main_window import MainWindow
from tests._support.plugin_files import held_import_gate
from tests._support.qt_driving import open_window

HUNG = """
import _h15_ui_gate
_h15_ui_gate.entered.set()
_h15_ui_gate.release.wait()
"""

GOOD = """
from desktop_app import Integration

class {cls}(Integration):
    integration_id = "test.ui.{name}"

    def initialize(self):
        pass
"""


@pytest.fixture
def gate():
    with held_import_gate("_h15_ui_gate") as module:
        yield module


def test_a_hung_plugin_does_not_stop_the_window(
    qtbot, manager, settings, tmp_path, gate, monkeypatch
):
    monkeypatch.setenv("DESKTOP_APP_PLUGIN_TIMEOUT", "1")
    paths = DataPaths(tmp_path).ensure()
    for name, code in {
        "a_hung.py": HUNG,
        "b_good.py": GOOD.format(cls="Good", name="good"),
        "c_other.py": GOOD.format(cls="Other", name="other"),
    }.items():
        (paths.plugins_dir / name).write_text(textwrap.dedent(code), encoding="utf-8")
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    open_window(qtbot, win)

    plugins = install_plugins(win, paths, entry_points=False)

    # install_plugins returned while the first plugin is still importing.
    assert plugins.loading
    assert win.statusBar().currentMessage() == "Loading plugins…"
    assert gate.entered.wait(30)
    # The event loop keeps running meanwhile: a timer fires, the window
    # answers.
    ticks = []
    QTimer.singleShot(0, lambda: ticks.append(plugins.loading))
    qtbot.waitUntil(lambda: bool(ticks), timeout=30_000)
    assert ticks == [True]
    assert not gate.release.is_set()

    qtbot.waitUntil(lambda: not plugins.loading, timeout=30_000)
    hung = plugins.get("a_hung")
    assert hung.failed
    assert hung.error == "took longer than 1 s to load; skipped"
    assert plugins.get("b_good").loaded
    assert plugins.get("c_other").loaded
    assert win.integration_model.row_of("test.ui.good") >= 0
    assert "1 failed" in win.statusBar().currentMessage()
    (banner,) = win.notices()
    assert banner.text().startswith(
        'Plugin "a_hung" failed to load: It took longer than 1 s to load, so it '
        "was skipped."
    )
    win.close()
    plugins.unload_all()
