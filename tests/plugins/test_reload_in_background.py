"""Reloading plugins off the calling thread: the folder is scanned and the
plugins imported on helper threads; registration comes back through the
dispatch queue the caller runs, as at start-up."""

from __future__ import annotations

import queue

import pytest

from tests._support.plugin_files import HELD_PLUGIN, held_import_gate, write_plugin

PLUGIN = """
from desktop_app import Integration


class {cls}(Integration):
    integration_id = "test.{name}"
    name = "{label}"

    def initialize(self):
        pass
"""


@pytest.fixture
def gate():
    with held_import_gate() as gate:
        yield gate


def _run_until(calls: queue.SimpleQueue, done: list) -> None:
    """Be the caller's thread: run queued calls until ``done`` fills."""
    while not done:
        calls.get(timeout=30)()


def _plugin(folder, name, label):
    write_plugin(
        folder, f"{name}.py", PLUGIN.format(cls=name.title(), name=name, label=label)
    )


def test_reload_in_background_adds_changes_and_drops_like_reload_changed(
    manager, plugins_dir, make_plugins
):
    _plugin(plugins_dir, "kept", "Kept")
    _plugin(plugins_dir, "edited", "Before")
    _plugin(plugins_dir, "removed", "Removed")
    plugins = make_plugins()
    plugins.load_all()
    (plugins_dir / "removed.py").unlink()
    _plugin(plugins_dir, "edited", "After")
    _plugin(plugins_dir, "added", "Added")
    calls: queue.SimpleQueue = queue.SimpleQueue()
    done: list = []

    plugins.reload_in_background(calls.put, finished=done.append)

    assert plugins.loading
    # Nothing changes until this thread runs the queued calls.
    assert manager.get_integration("test.edited").name == "Before"
    assert manager.is_registered("test.removed")
    _run_until(calls, done)
    [changed] = done
    assert sorted(info.name for info in changed) == ["added", "edited", "removed"]
    assert manager.get_integration("test.edited").name == "After"
    assert manager.get_integration("test.added").name == "Added"
    assert not manager.is_registered("test.removed")
    assert manager.get_integration("test.kept").name == "Kept"
    assert not plugins.loading


def test_reloading_everything_reimports_unchanged_plugins_too(
    manager, plugins_dir, make_plugins
):
    _plugin(plugins_dir, "same", "Same")
    plugins = make_plugins()
    plugins.load_all()
    first = type(manager.get_integration("test.same"))
    calls: queue.SimpleQueue = queue.SimpleQueue()
    done: list = []

    plugins.reload_in_background(calls.put, everything=True, finished=done.append)
    _run_until(calls, done)

    assert [info.name for info in done[0]] == ["same"]
    assert type(manager.get_integration("test.same")) is not first


def test_a_hung_reload_never_blocks_the_caller_and_is_skipped_in_time(
    manager, plugins_dir, make_plugins, gate
):
    _plugin(plugins_dir, "fine", "Fine")
    plugins = make_plugins(import_timeout=0.5)
    plugins.load_all()
    write_plugin(plugins_dir, "held.py", HELD_PLUGIN)
    calls: queue.SimpleQueue = queue.SimpleQueue()
    done: list = []

    plugins.reload_in_background(calls.put, finished=done.append)

    # The scan comes back here first; then the import sticks on the loader
    # thread while this thread stays free.
    calls.get(timeout=30)()
    assert gate.entered.wait(30)
    assert done == []
    _run_until(calls, done)
    held = plugins.get("held")
    assert held.failed
    assert "took longer than 0.5 s" in held.error
    assert not manager.is_registered("test.held")
    assert manager.is_registered("test.fine")


def test_a_reload_asked_for_while_loading_runs_once_loading_ends(
    manager, plugins_dir, make_plugins, gate
):
    write_plugin(plugins_dir, "held.py", HELD_PLUGIN)
    plugins = make_plugins()
    calls: queue.SimpleQueue = queue.SimpleQueue()
    loaded: list = []
    reloaded: list = []
    plugins.load_all_in_background(calls.put, finished=lambda: loaded.append(True))
    assert gate.entered.wait(30)
    _plugin(plugins_dir, "late", "Late")

    plugins.reload_in_background(calls.put, finished=reloaded.append)

    gate.release.set()
    _run_until(calls, loaded)
    assert not manager.is_registered("test.late")  # not yet: it waits its turn
    _run_until(calls, reloaded)
    assert [info.name for info in reloaded[0]] == ["late"]
    assert manager.is_registered("test.late")
    assert manager.is_registered("test.held")


def test_enabling_a_plugin_with_a_dispatcher_imports_it_in_the_background(
    manager, plugins_dir, make_plugins
):
    _plugin(plugins_dir, "toggled", "Toggled")
    plugins = make_plugins()
    plugins.load_all()
    plugins.set_enabled("toggled", False)
    assert not manager.is_registered("test.toggled")
    calls: queue.SimpleQueue = queue.SimpleQueue()
    done: list = []

    plugins.set_enabled(
        "toggled", True, dispatch=calls.put, finished=lambda: done.append(1)
    )

    assert not manager.is_registered("test.toggled")
    _run_until(calls, done)
    assert manager.is_registered("test.toggled")
    assert plugins.get("toggled").status == "loaded"


def test_a_scan_that_breaks_ends_the_reload_with_nothing_changed(
    manager, plugins_dir, make_plugins, monkeypatch
):
    _plugin(plugins_dir, "kept", "Kept")
    plugins = make_plugins()
    plugins.load_all()

    def broken_scan(_folder):
        raise RuntimeError("the file system went away")

    monkeypatch.setattr("desktop_app.plugins._manager.discover_folder", broken_scan)
    calls: queue.SimpleQueue = queue.SimpleQueue()
    done: list = []

    plugins.reload_in_background(calls.put, finished=done.append)
    _run_until(calls, done)

    # Not stuck "loading" (Reload plugins would stay greyed), nothing lost.
    assert done == [[]]
    assert not plugins.loading
    assert manager.get_integration("test.kept").name == "Kept"
