"""Starting the app: run_app, the command line, the UI-thread dispatcher."""

from __future__ import annotations

import json
import threading

from desktop_app import __main__ as cli
from desktop_app.ui.main_window import MainWindow
from tests._support.child_processes import run_python

_RUN_APP_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from desktop_app import signals
from desktop_app.manager import get_integration_manager
from desktop_app.ui.app import run_app

seen = {}

def after_show(window):
    seen["visible"] = window.isVisible()
    seen["title"] = window.windowTitle()
    seen["database"] = str(get_integration_manager().store.path)
    window.close()
    QApplication.instance().quit()

def on_stopping(sender, **kwargs):
    seen["stopping"] = True

signals.app_stopping.connect(on_stopping)
data = Path(sys.argv[1])
settings = QSettings(str(data.parent / "settings.ini"), QSettings.Format.IniFormat)
seen["code"] = run_app(data, after_show=after_show, settings=settings)
seen["app_name"] = QApplication.applicationName()
print(json.dumps(seen))
"""


def test_run_app_shows_the_window_calls_after_show_and_shuts_down(tmp_path):
    # A process of its own: QApplication.exec() cannot run twice in one.
    data = tmp_path / "data"
    result = run_python(_RUN_APP_SCRIPT, str(data), QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "visible": True,
        "title": "desktop-app",
        "database": str(data / "configs.sqlite3"),
        "stopping": True,
        "code": 0,
        "app_name": "desktop-app",
    }
    assert (data / "plugins").is_dir()


def test_the_command_line_opens_the_window_on_the_data_dir(monkeypatch, tmp_path):
    calls = []

    def fake_run_app(data_dir, **kwargs):
        calls.append(data_dir)
        return 0

    monkeypatch.setattr("desktop_app.ui.app.run_app", fake_run_app)
    assert cli.main(["--data-dir", str(tmp_path / "here")]) == 0
    assert calls == [tmp_path / "here"]


def test_work_dispatched_from_another_thread_runs_on_the_ui_thread(
    qtbot, manager, settings
):
    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    ran_on = []
    worker = threading.Thread(
        target=lambda: manager.dispatch(
            lambda: ran_on.append(threading.current_thread())
        )
    )
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(ran_on))
    assert ran_on == [threading.main_thread()]
