"""What one plugin can do is contained: a hang at import, SystemExit,
KeyboardInterrupt, an exception whose ``__str__`` raises.

Plugins that must block do so on an Event the test owns (``hang_gate``),
released at the end so no thread outlives the test by much.
"""

from __future__ import annotations

import queue
import signal
import sys
import threading

import pytest

from desktop_app import signals
from desktop_app._containment import install_interrupt_marker
from desktop_app.activity import OUTCOME_FAILED, get_activity_log
from tests._support.plugin_files import held_import_gate, write_plugin
from tests._support.saved_configs import add_enabled_config

HUNG = """
import _h15_gate
from desktop_app import Integration

_h15_gate.entered.set()
_h15_gate.release.wait()


class Late(Integration):
    integration_id = "test.late"

    def initialize(self):
        pass
"""

GOOD = """
from desktop_app import Integration


class {cls}(Integration):
    integration_id = "test.{name}"

    def initialize(self):
        pass
"""

BROKEN_STR = """
class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no message for you")


raise Unprintable()
"""


@pytest.fixture
def hang_gate():
    """A module plugins import to block until the test releases them."""
    with held_import_gate("_h15_gate") as gate:
        yield gate


@pytest.fixture
def interrupt_marker():
    """Ctrl-C marked as the user's, as the app's entry points set it up."""
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    install_interrupt_marker()
    yield
    signal.signal(signal.SIGINT, previous)


def _import_threads():
    return [
        t for t in threading.enumerate() if t.name.startswith("desktop-app-plugin-")
    ]


def test_a_hung_import_is_skipped_and_the_others_load(
    manager, plugins_dir, make_plugins, hang_gate
):
    write_plugin(plugins_dir, "a_hung.py", HUNG)
    write_plugin(plugins_dir, "b_good.py", GOOD.format(cls="Good", name="good"))
    plugins = make_plugins(import_timeout=0.5)

    by_name = {info.name: info for info in plugins.load_all()}

    assert hang_gate.entered.is_set()
    hung = by_name["a_hung"]
    assert hung.failed
    assert hung.error == "took longer than 0.5 s to load; skipped"
    assert "release.wait()" in hung.traceback  # where it was stuck
    assert by_name["b_good"].loaded
    assert manager.is_registered("test.good")

    # Its late result is ignored: nothing registered, module dropped again.
    hang_gate.release.set()
    for thread in _import_threads():
        thread.join(10)
        assert not thread.is_alive()
    assert not manager.is_registered("test.late")
    assert hung.module_name not in sys.modules
    assert hung.failed


def test_loading_in_background_leaves_the_calling_thread_free(
    manager, plugins_dir, make_plugins, hang_gate
):
    write_plugin(plugins_dir, "a_hung.py", HUNG)
    write_plugin(plugins_dir, "b_good.py", GOOD.format(cls="Good", name="good"))
    write_plugin(plugins_dir, "c_other.py", GOOD.format(cls="Other", name="other"))
    plugins = make_plugins(import_timeout=0.5)
    calls: queue.SimpleQueue = queue.SimpleQueue()
    seen = []

    plugins.load_all_in_background(
        calls.put,
        progress=lambda done, total, info: seen.append((done, total, info.name)),
        finished=lambda: seen.append("finished"),
    )

    # This thread is not blocked while the first plugin hangs at import.
    assert hang_gate.entered.wait(30)
    assert plugins.loading
    assert seen == []
    assert not manager.is_registered("test.good")
    # Registration happens only here, when this thread runs the calls.
    while "finished" not in seen:
        calls.get(timeout=30)()
    # Progress comes per batch of plugins ready together: counts only grow,
    # the hung plugin is reported first, the last report is the whole lot.
    progress, last = seen[:-1], seen[-1]
    assert last == "finished"
    assert progress[0] == (1, 3, "a_hung")
    assert progress[-1] == (3, 3, "c_other")
    assert [done for done, _, _ in progress] == sorted({d for d, _, _ in progress})
    assert not plugins.loading
    assert plugins.get("a_hung").failed
    assert "took longer than 0.5 s" in plugins.get("a_hung").error
    assert manager.is_registered("test.good")
    assert manager.is_registered("test.other")


def test_a_hang_after_quick_imports_is_caught_in_time(
    manager, plugins_dir, make_plugins, hang_gate
):
    # The watchdog is not woken for each quick import: it must still see
    # that the import running now (not the first it saw) is over its time.
    for i in range(5):
        write_plugin(
            plugins_dir, f"a{i}_good.py", GOOD.format(cls=f"Good{i}", name=f"good{i}")
        )
    write_plugin(plugins_dir, "b_hung.py", HUNG)
    write_plugin(plugins_dir, "c_other.py", GOOD.format(cls="Other", name="other"))
    plugins = make_plugins(import_timeout=0.5)
    calls: queue.SimpleQueue = queue.SimpleQueue()
    done: list[bool] = []

    plugins.load_all_in_background(calls.put, finished=lambda: done.append(True))
    while not done:
        calls.get(timeout=30)()

    assert hang_gate.entered.is_set()
    assert "took longer than 0.5 s" in plugins.get("b_hung").error
    assert all(plugins.get(f"a{i}_good").loaded for i in range(5))
    assert plugins.get("c_other").loaded
    assert manager.is_registered("test.other")


def test_a_background_result_for_a_plugin_loaded_meanwhile_is_dropped(
    manager, plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "good.py", GOOD.format(cls="Good", name="good"))
    plugins = make_plugins()
    calls: queue.SimpleQueue = queue.SimpleQueue()
    done = []
    plugins.load_all_in_background(calls.put, finished=lambda: done.append(True))
    # Loaded here before the background run's result comes back: that
    # result is dropped, not registered a second time (which would fail).
    [info] = plugins.load_all()
    while not done:
        calls.get(timeout=30)()
    assert plugins.plugins == [info]
    assert info.status == "loaded", info.error
    assert manager.is_registered("test.good")


def test_import_timeout_must_be_positive_and_can_come_from_the_environment(
    make_plugins, monkeypatch
):
    with pytest.raises(ValueError):
        make_plugins(import_timeout=0)
    with pytest.raises(ValueError):
        make_plugins(import_timeout=float("inf"))
    monkeypatch.setenv("DESKTOP_APP_PLUGIN_TIMEOUT", "2.5")
    assert make_plugins().import_timeout == 2.5
    monkeypatch.setenv("DESKTOP_APP_PLUGIN_TIMEOUT", "-1")
    assert make_plugins().import_timeout == 10.0


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("import sys\nsys.exit(3)\n", "SystemExit: 3"),
        ("raise SystemExit\n", "SystemExit"),
        (
            "raise KeyboardInterrupt('from the plugin')\n",
            "KeyboardInterrupt: from the plugin",
        ),
        (
            BROKEN_STR,
            "Unprintable: <its message could not be read: RuntimeError in __str__>",
        ),
    ],
)
def test_what_a_plugin_raises_at_import_is_its_failure(
    plugins_dir, make_plugins, code, error
):
    write_plugin(plugins_dir, "bad.py", code)
    write_plugin(plugins_dir, "good.py", GOOD.format(cls="Good", name="good"))
    by_name = {info.name: info for info in make_plugins().load_all()}
    assert by_name["bad"].failed
    assert by_name["bad"].error == error
    assert by_name["bad"].traceback
    assert by_name["good"].loaded


@pytest.mark.parametrize(
    "raise_", ["raise SystemExit(1)", "raise KeyboardInterrupt", "raise Unprintable()"]
)
def test_what_initialize_raises_is_the_plugins_failure(
    manager, plugins_dir, make_plugins, interrupt_marker, raise_
):
    write_plugin(
        plugins_dir,
        "bad_init.py",
        f"""
        from desktop_app import Integration

        class Unprintable(Exception):
            def __str__(self):
                raise ValueError("nope")

        class BadInit(Integration):
            integration_id = "test.bad_init"

            def initialize(self):
                {raise_}
        """,
    )
    add_enabled_config(manager, "test.bad_init")
    (info,) = make_plugins().load_all()
    assert info.failed
    assert info.error.startswith("integration test.bad_init: initialize() failed: ")
    assert not manager.get_integration("test.bad_init").enabled


@pytest.mark.parametrize(
    ("raise_", "error"),
    [
        ("raise SystemExit(2)", "SystemExit: 2"),
        ("raise KeyboardInterrupt", "KeyboardInterrupt"),
        ("raise Unprintable()", "Unprintable: <its message could not be read"),
    ],
)
def test_what_a_hook_raises_stays_in_the_hook(
    manager, plugins_dir, make_plugins, interrupt_marker, raise_, error
):
    write_plugin(
        plugins_dir,
        "bad_hook.py",
        f"""
        from desktop_app import Integration, SignalHook, define_signal

        poke = define_signal("test.contain.poke")

        class Unprintable(Exception):
            def __str__(self):
                raise ValueError("nope")

        class BadHook(Integration):
            integration_id = "test.bad_hook"

            def initialize(self):
                SignalHook(self, poke, self.on_poke)

            def on_poke(self, **kwargs):
                {raise_}
        """,
    )
    add_enabled_config(manager, "test.bad_hook")
    (info,) = make_plugins().load_all()
    assert info.loaded
    get_activity_log().clear()

    signals.get_signal("test.contain.poke").send(None)

    (record,) = get_activity_log().records()
    assert record.outcome == OUTCOME_FAILED
    assert record.error.startswith(error)


def test_the_users_ctrl_c_still_stops_loading(
    plugins_dir, make_plugins, interrupt_marker
):
    # Our SIGINT handler marks the user's Ctrl-C; it must go through even
    # while plugin code (here initialize()) is running.
    write_plugin(
        plugins_dir,
        "waits.py",
        """
        import signal
        from desktop_app import Extension

        class Waits(Extension):
            id = "test.waits"

            def initialize(self):
                signal.raise_signal(signal.SIGINT)  # as if the user pressed it
        """,
    )
    plugins = make_plugins()
    with pytest.raises(KeyboardInterrupt):
        plugins.load_all()
