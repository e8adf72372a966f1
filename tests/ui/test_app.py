"""Starting the app: run_app, the command line, the UI-thread dispatcher."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication

from desktop_app import __main__ as cli
from desktop_app import signals
from desktop_app.manager import get_integration_manager
from desktop_app.ui.app import run_app
from desktop_app.ui.main_window import MainWindow


def test_run_app_shows_the_window_calls_after_show_and_shuts_down(
    qtbot, tmp_path, settings
):
    seen = {}

    def after_show(window):
        seen["window"] = window
        seen["visible"] = window.isVisible()
        seen["manager"] = get_integration_manager()
        window.close()
        QApplication.instance().quit()

    stopping = []

    def on_stopping(sender, **kwargs):
        stopping.append(sender)

    with signals.app_stopping.connected_to(on_stopping):
        code = run_app(tmp_path / "data", after_show=after_show, settings=settings)

    assert code == 0
    assert isinstance(seen["window"], MainWindow)
    assert seen["visible"]
    assert seen["manager"].store.path == tmp_path / "data" / "configs.sqlite3"
    assert stopping == [seen["manager"]]
    assert (tmp_path / "data" / "plugins").is_dir()
    seen["window"].deleteLater()


def test_the_command_line_opens_the_window_on_the_data_dir(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr("desktop_app.ui.app.run_app", lambda d: calls.append(d) or 0)
    assert cli.main(["--data-dir", str(tmp_path / "here")]) == 0
    assert calls == [tmp_path / "here"]


def test_work_dispatched_from_another_thread_runs_on_the_ui_thread(
    qtbot, manager, settings
):
    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    ran_on = []
    worker = threading.Thread(
        target=lambda: manager._dispatch(
            lambda: ran_on.append(threading.current_thread())
        )
    )
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(ran_on))
    assert ran_on == [threading.main_thread()]
