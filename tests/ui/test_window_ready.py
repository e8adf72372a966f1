"""A window a test can click at once: MainWindow.ready and the
``main_window`` fixture."""

from __future__ import annotations

import textwrap

from PySide6.QtCore import Qt

from desktop_app._paths import DataPaths
from desktop_app.ui._plugins_setup import install_plugins
from desktop_app.ui.config_dialog import ConfigDialog
from desktop_app.ui.main_window import MainWindow
from tests._support.qt_driving import on_next_modal
from tests._support.sample_integrations import SampleIntegration

PLUGIN = """
from desktop_app import Integration

class Ready(Integration):
    integration_id = "test.ready.Ready"
    name = "Ready plugin"

    def initialize(self):
        pass
"""


def test_the_fixture_window_takes_a_click_on_add_at_once(
    qtbot, integration_manager, request
):
    integration_manager.register_integration_class(SampleIntegration)
    window = request.getfixturevalue("main_window")
    assert window.is_ready
    opened = on_next_modal(lambda dialog: dialog.done(0), ConfigDialog)

    qtbot.mouseClick(window.config_panel.add_button, Qt.MouseButton.LeftButton)

    assert opened["called"]


def test_a_pane_asked_for_before_its_turn_is_on_screen_at_once(
    qtbot, manager, settings, sample
):
    settings.setValue("mainWindow/activitySeen", True)  # not collapsed
    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # Built on demand, before the event loop's turn that would build it.
    assert window.config_panel.add_button.isVisible()
    assert window.activity_panel.isVisible()
    window.close()


def test_ready_waits_for_the_panes_and_the_plugins(qtbot, manager, settings, tmp_path):
    paths = DataPaths(tmp_path).ensure()
    (paths.plugins_dir / "ready_plugin.py").write_text(
        textwrap.dedent(PLUGIN), encoding="utf-8"
    )
    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    assert not window.is_ready
    window.show()
    plugins = install_plugins(window, paths, entry_points=False)
    with qtbot.waitSignal(window.ready, timeout=30_000):
        pass
    assert window.is_ready
    assert not plugins.loading
    assert window.integration_model.row_of("test.ready.Ready") >= 0
    assert window.config_panel.isVisible()
    window.close()
    plugins.unload_all()
