"""``desktop-app run``: the window opens, plugins load into it, and a
plugin reloaded from the running window leaves no trace of its old version.

Each test is a process of its own: ``QApplication.exec()`` runs once per
process, and a start must begin from a fresh interpreter to be a start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PLUGIN = """
from desktop_app import Integration


class Hello(Integration):
    integration_id = "test.run.hello"
    name = "Hello {version}"

    def initialize(self):
        pass
"""

#: Runs the real command line; once the app has started and its plugins
#: have loaded, looks at the window, edits the plugin, reloads it from
#: Tools → Reload plugins, and prints what it saw as JSON.
_SCRIPT = """
import gc, json, sys, weakref
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from desktop_app import signals
from desktop_app.__main__ import main
from desktop_app.ui.main_window import MainWindow

data, plugin_v2 = Path(sys.argv[1]), sys.argv[2]
seen = {}

def look(manager):
    try:
        check(manager)
    except BaseException:  # whatever happened, end the app so the test reports it
        QApplication.quit()
        raise

def check(manager):
    [window] = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    seen["visible"] = window.isVisible()
    model = window.integration_view.model()
    seen["listed"] = [model.index(row, 0).data() for row in range(model.rowCount())]
    first = manager.get_integration("test.run.hello")
    seen["before"] = first.name
    first_version = weakref.ref(type(first))
    del first
    (data / "plugins" / "hello.py").write_text(plugin_v2)
    window.findChild(QAction, "reloadPluginsAction").trigger()
    # The reload imports on the loader thread; the window goes on meanwhile.
    seen["reloading"] = window.plugin_manager.loading
    after_reload(manager, window, first_version)

def after_reload(manager, window, first_version):
    if window.plugin_manager.loading:
        QTimer.singleShot(20, lambda: after_reload(manager, window, first_version))
        return
    try:
        gc.collect()
        seen["after"] = manager.get_integration("test.run.hello").name
        seen["first version freed"] = first_version() is None
    finally:
        window.close()
        QApplication.quit()

def when_loaded(manager):
    # Plugins load in the background once the window shows; look after.
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    plugins = getattr(windows[0], "plugin_manager", None) if windows else None
    if plugins is None or plugins.loading:
        QTimer.singleShot(20, lambda: when_loaded(manager))
    else:
        look(manager)

def on_started(manager, **kwargs):
    QTimer.singleShot(0, lambda: when_loaded(manager))

signals.app_started.connect(on_started)
seen["code"] = main(["--data-dir", str(data), "run"])
print(json.dumps(seen))
"""


def test_run_opens_the_window_loads_plugins_and_reloads_without_pinning(tmp_path):
    data = tmp_path / "data"
    (data / "plugins").mkdir(parents=True)
    (data / "plugins" / "hello.py").write_text(PLUGIN.format(version=1))
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=str(ROOT),
    )
    env.pop("DESKTOP_APP_EXIT_AFTER_FIRST_PAINT", None)
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(data), PLUGIN.format(version=2)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "visible": True,
        "listed": seen["listed"],  # checked below: the built-ins come too
        "before": "Hello 1",
        "reloading": True,
        "after": "Hello 2",
        "first version freed": True,
        "code": 0,
    }
    assert "Hello 1" in seen["listed"]
