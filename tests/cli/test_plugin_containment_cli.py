"""The command line with hostile plugins, in child processes: each run must
end, and how it ends is checked (the subprocess timeout is only a bound for
failure, never a measurement)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from desktop_app.store import ConfigRecord, ConfigStore
from tests._support.child_processes import ROOT

GOOD = """
from desktop_app import Integration

class Good(Integration):
    integration_id = "test.cli.good"

    def initialize(self):
        pass
"""


def _run(tmp_path, plugins: dict[str, str], *args: str, **env: str):
    data = tmp_path / "data"
    (data / "plugins").mkdir(parents=True, exist_ok=True)
    for name, code in plugins.items():
        (data / "plugins" / name).write_text(textwrap.dedent(code), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True,
        text=True,
        env=dict(
            os.environ,
            DESKTOP_APP_DATA_DIR=str(data),
            PYTHONPATH=str(ROOT),
            **env,
        ),
        cwd=tmp_path,
        timeout=120,
    )


def _line(stdout: str, name: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith(f"  {name}  "))


def test_list_skips_a_plugin_that_hangs_at_import(tmp_path):
    result = _run(
        tmp_path,
        {
            "a_hung.py": "import threading\nthreading.Event().wait()\n",
            "b_good.py": GOOD,
        },
        "list",
        DESKTOP_APP_PLUGIN_TIMEOUT="1",
    )
    assert result.returncode == 0, result.stderr
    assert _line(result.stdout, "a_hung").endswith(
        "failed: took longer than 1 s to load; skipped"
        # Where it hangs: the plugin's own line in the stuck stack.
        f" (at {tmp_path / 'data' / 'plugins' / 'a_hung.py'}, line 2)"
    )
    assert "loaded" in _line(result.stdout, "b_good")


def test_a_plugins_non_daemon_thread_does_not_keep_the_app_alive(tmp_path):
    result = _run(
        tmp_path,
        {
            "spins.py": """
            import threading
            threading.Thread(target=threading.Event().wait, daemon=False).start()
            """,
            "b_good.py": GOOD,
        },
        "list",
    )
    assert result.returncode == 0, result.stderr
    assert "loaded" in _line(result.stdout, "spins")
    assert "test.cli.good" in result.stdout  # the output got out whole


def test_a_plugins_slow_atexit_handler_is_cut_short(tmp_path):
    result = _run(
        tmp_path,
        {"lingers.py": "import atexit, time\natexit.register(time.sleep, 3600)\n"},
        "list",
    )
    assert result.returncode == 0, result.stderr
    assert "loaded" in _line(result.stdout, "lingers")


def test_the_exit_status_survives_a_lingering_plugin(tmp_path):
    # An unknown signal is exit status 2; the plugin's thread must not turn
    # it into something else.
    result = _run(
        tmp_path,
        {
            "spins.py": """
            import threading
            threading.Thread(target=threading.Event().wait, daemon=False).start()
            """
        },
        "fire",
        "no.such.signal",
    )
    assert result.returncode == 2
    assert 'unknown signal "no.such.signal"' in result.stderr


def test_sys_exit_at_import_is_a_failed_plugin_not_an_exit(tmp_path):
    result = _run(
        tmp_path,
        {"quits.py": "import sys\nsys.exit(7)\n", "b_good.py": GOOD},
        "list",
    )
    assert result.returncode == 0, result.stderr
    assert "failed: SystemExit: 7" in _line(result.stdout, "quits")
    assert "loaded" in _line(result.stdout, "b_good")


def test_fire_reports_a_hook_that_outlives_the_timeout(tmp_path):
    (tmp_path / "data").mkdir()
    store = ConfigStore(tmp_path / "data" / "configs.sqlite3")
    store.save_config(ConfigRecord("test.cli.slow_hook", name="on", enabled=True))
    store.close()
    result = _run(
        tmp_path,
        {
            "slow_hook.py": """
            import threading
            from desktop_app import Integration, SignalHook
            from desktop_app.signals import test_event

            class SlowHook(Integration):
                integration_id = "test.cli.slow_hook"

                def initialize(self):
                    SignalHook(self, test_event, self.on_event)

                def on_event(self, **kwargs):
                    threading.Event().wait()
            """
        },
        "fire",
        "desktop_app.test_event",
        "--timeout",
        "1",
    )
    # Not "ok" and not forever: the stuck handler is named, status 1.
    assert result.returncode == 1, result.stderr
    assert "test.cli.slow_hook  -  timeout: did not finish within 1 s" in result.stdout
    assert "Handlers of desktop_app.test_event did not finish within 1 s." in (
        result.stdout
    )
