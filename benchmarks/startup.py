"""Benchmarks 3 and 4: cold start to a populated, painted window, and its
peak memory.

Whole processes, timed from spawn: ``python -m desktop_app run`` on a data
folder holding 200 drop-in plugins (one ``.py`` file each, defining an
integration with 1x/2x PNG icons) and 10,000 configs (spread round-robin
over the 200 integrations, every other one enabled). The app is run with
``DESKTOP_APP_EXIT_AFTER_FIRST_PAINT=1``, so it reports its first paints and
exits on the first paint of the integrations list showing rows.

Floor: a bare PySide6 process showing a ``QListView`` of 200 items with
48 px icons (from the same two files), exiting on its first paint.

Peak memory is each child's own ``VmHWM`` (printed at its first paint;
``ru_maxrss`` from ``os.wait4`` as a fallback). Both run
offscreen (``QT_QPA_PLATFORM=offscreen``) with a private settings folder.

The app's own packages are byte-compiled once before measuring, and the
children may read and write bytecode whatever ``PYTHONDONTWRITEBYTECODE``
says: an installed app has its ``.pyc`` files (a wheel install compiles
them), just as the PySide6 modules the floor imports do. Without this, every
measured start would compile ~70 of our modules from source, a cost no user
pays.
"""

from __future__ import annotations

import compileall
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._fixtures import (
    fill_database,
    plugin_integration_id,
    write_icons,
    write_plugins,
)
from benchmarks._harness import Measurement, Result, interleaved
from desktop_app.store import ConfigRecord, ConfigStore

PLUGINS = 200
CONFIGS = 10_000

#: Enabled Notify configurations in the "notify" variant: the built-in is
#: enabled and hooks its signals at start-up, while Apprise (and requests,
#: markdown, yaml) must wait for the first delivery.
NOTIFY_CONFIGS = 20

#: The project's packages, compiled before measuring as an install would.
_PACKAGES = ("desktop_app", "integrations")
_ROOT = Path(__file__).resolve().parent.parent

_FLOOR = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QListView

app = QApplication(sys.argv[:1])
model = QStandardItemModel()
for i in range(200):
    icon = QIcon()
    icon.addFile(sys.argv[1])
    icon.addFile(sys.argv[2])
    model.appendRow(QStandardItem(icon, f"Integration {i}"))
view = QListView()
view.setIconSize(QSize(48, 48))
view.setModel(model)

class Quit(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            with open("/proc/self/status") as status:
                hwm = [l.split()[1] for l in status if l.startswith("VmHWM:")]
            print(f"floor [monotonic {time.monotonic():.6f}] [hwm {hwm[0]}]",
                  file=sys.stderr)
            sys.stderr.flush()
            os._exit(0)
        return False

quit_filter = Quit()
view.viewport().installEventFilter(quit_filter)
view.resize(340, 640)
view.show()
app.exec()
"""

_MONOTONIC = re.compile(r"\[monotonic ([\d.]+)(?: ([\d.]+))?\]")
#: The child's own peak RSS in KiB (``VmHWM``), printed at its first paint.
_HWM = re.compile(r"\[hwm (\d+)\]")


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(root / "config"),
        DESKTOP_APP_EXIT_AFTER_FIRST_PAINT="1",
    )
    env.pop("DESKTOP_APP_DATA_DIR", None)
    # Installed code has bytecode; a shell's "don't write .pyc" is not
    # something a user's start pays for (see compile_project).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_project() -> None:
    """Byte-compile the app's packages, as installing a wheel does.

    ``compileall`` writes ``__pycache__`` even under
    ``PYTHONDONTWRITEBYTECODE``; files already current are left alone.
    """
    for package in _PACKAGES:
        folder = _ROOT / package
        if folder.is_dir():
            compileall.compile_dir(folder, quiet=1)


def _spawn(args: list[str], env: dict[str, str]) -> tuple[float, list[float], float]:
    """Run a child; return its spawn time, the monotonic readings it
    printed and its peak RSS in MiB."""
    t0 = time.monotonic()
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    match = _MONOTONIC.search(err)
    if proc.returncode != 0 or match is None:
        raise RuntimeError(f"{args[:3]} failed ({proc.returncode}):\n{err}")
    if "desktop-app: first paint" in err and f"({PLUGINS}" not in err:
        rows = re.search(r"\((\d+) rows\)", err)
        if rows is None or int(rows.group(1)) < PLUGINS:
            raise RuntimeError(f"the first list paint was not populated:\n{err}")
    readings = [float(g) for g in match.groups() if g]
    # VmHWM belongs to the child's own address space (reset by exec);
    # ru_maxrss also counts what the benchmark process held when it forked
    # the child, which after the scale module is more than either child.
    hwm = _HWM.search(err)
    peak_kib = int(hwm.group(1)) if hwm else usage.ru_maxrss
    return t0, readings, peak_kib / 1024


def make_data_dir(root: Path, plugins: int = PLUGINS, configs: int = CONFIGS) -> Path:
    """Write the benchmark's data folder under ``root`` and return it."""
    data = root / "data"
    icons = write_icons(root / "icons")
    write_plugins(data / "plugins", plugins, icons)
    fill_database(
        data / "configs.sqlite3",
        [plugin_integration_id(i) for i in range(plugins)],
        configs,
    )
    return data


def add_notify_configs(data: Path, count: int = NOTIFY_CONFIGS) -> None:
    """Store enabled Notify configurations in a benchmark data folder."""
    with ConfigStore(data / "configs.sqlite3") as store:
        store.bulk_insert(
            ConfigRecord(
                "desktop_app.integrations.notify",
                name=f"Notify {i}",
                enabled=True,
                settings={
                    "urls": f"json://localhost/{i}",
                    "signals": ["desktop_app.test_event"],
                },
            )
            for i in range(count)
        )


def run(quick: bool = False) -> list[Result]:
    rounds = 3 if quick else 10
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = make_data_dir(root)
        notify_data = make_data_dir(root / "with-notify")
        add_notify_configs(notify_data)
        compile_project()
        env = _env(root)
        floor_script = root / "floor_app.py"
        floor_script.write_text(_FLOOR)
        icons = [str(root / "icons" / f"icon-{px}.png") for px in (48, 96)]
        app_args = [sys.executable, "-m", "desktop_app", "--data-dir", str(data), "run"]
        floor_args = [sys.executable, str(floor_script), *icons]
        notify_args = [*app_args[:3], "--data-dir", str(notify_data), "run"]
        shell: list[float] = []
        mem: dict[str, list[float]] = {"ours": [], "floor": []}

        def ours() -> float:
            t0, (window, listed), rss = _spawn(app_args, env)
            shell.append((window - t0) * 1e3)
            mem["ours"].append(rss)
            return (listed - t0) * 1e3

        def with_notify() -> float:
            t0, (_window, listed), _rss = _spawn(notify_args, env)
            return (listed - t0) * 1e3

        def floor() -> float:
            t0, (painted,), rss = _spawn(floor_args, env)
            mem["floor"].append(rss)
            return (painted - t0) * 1e3

        # One unmeasured run each warms the page cache (a "cold" start here
        # means a new process, not an empty disk cache).
        ours(), floor()
        shell.clear()
        mem = {"ours": [], "floor": []}
        samples = interleaved(
            rounds, {"floor": floor, "ours": ours, "notify": with_notify}
        )
    floor_ms = Measurement(
        "QListView of 200 icons, first paint", "ms", samples["floor"]
    )
    floor_mem = Measurement("QListView of 200 icons", "MiB", mem["floor"])
    return [
        Result(
            "3. cold start",
            Measurement(
                "spawn → first paint of the populated list", "ms", samples["ours"]
            ),
            floor_ms,
            target=2.0,
            note=f"{PLUGINS} drop-in plugins, {CONFIGS:,} configs",
        ),
        Result(
            "3. cold start",
            Measurement("spawn → first paint of the window shell", "ms", shell),
            floor_ms,
            note="for scale",
        ),
        Result(
            "3. cold start",
            Measurement(
                f"… with {NOTIFY_CONFIGS} enabled Notify configs",
                "ms",
                samples["notify"],
            ),
            Measurement("the same without them", "ms", samples["ours"]),
            target=1.1,
            note="Apprise loads on first delivery, not at start-up",
        ),
        Result(
            "4. peak memory",
            Measurement("start-up process, VmHWM", "MiB", mem["ours"]),
            floor_mem,
            target=1.5,
        ),
    ]
