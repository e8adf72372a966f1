"""Loaded plugins reach the registering thread in few batches: plugins that
import together register together, and a slow run still shows progress."""

from __future__ import annotations

import queue

from desktop_app.plugins._background import Batches
from tests._support.plugin_files import write_plugin

GOOD = """
from desktop_app import Integration


class P{i}(Integration):
    integration_id = "test.batch{i}"

    def initialize(self):
        pass
"""


def test_outcomes_ready_within_the_interval_are_handed_over_together():
    calls: list = []
    taken: list[list[int]] = []
    batches: Batches[int] = Batches(calls.append, taken.append, interval=3600)

    for item in range(50):
        batches.put(item)

    assert calls == []  # no hand-over yet: the run is still going
    batches.flush()  # what the end of a run does
    assert taken == [list(range(50))]


def test_an_outcome_after_a_quiet_spell_is_handed_over_at_once():
    calls: list = []
    taken: list[list[int]] = []
    batches: Batches[int] = Batches(calls.append, taken.append, interval=0)

    batches.put(1)
    batches.put(2)  # the first hand-over is still queued: it takes this too
    assert len(calls) == 1
    calls.pop()()
    assert taken == [[1, 2]]

    batches.put(3)
    assert len(calls) == 1
    calls.pop()()
    assert taken == [[1, 2], [3]]


def test_plugins_loaded_in_the_background_register_once_with_growing_counts(
    manager, plugins_dir, make_plugins
):
    for i in range(20):
        write_plugin(plugins_dir, f"p{i:02d}.py", GOOD.format(i=i))
    plugins = make_plugins()
    calls: queue.SimpleQueue = queue.SimpleQueue()
    progress: list[tuple[int, int]] = []
    finished: list[bool] = []

    plugins.load_all_in_background(
        calls.put,
        progress=lambda done, total, _info: progress.append((done, total)),
        finished=lambda: finished.append(True),
    )
    while not finished:
        calls.get(timeout=30)()

    # However fast or slow the machine, counts only grow and end at 20,
    # and every plugin is registered once.
    assert progress[-1] == (20, 20)
    assert [done for done, _ in progress] == sorted({done for done, _ in progress})
    assert all(manager.is_registered(f"test.batch{i}") for i in range(20))
    assert all(info.loaded for info in plugins.plugins)
