"""Background work run gently: pauses often, full speed once someone waits."""

from __future__ import annotations

import sys
import threading

from desktop_app._gentle import gently
from desktop_app.config import IntegrationConfig
from desktop_app.store import ConfigStore


def _work(steps: int) -> int:
    total = 0
    for i in range(steps):
        total += abs(-i)  # a call per step: where the pauses happen
    return total


def test_gently_pauses_only_its_own_thread_and_restores_the_tracer():
    seen_inside = []

    def background():
        with gently():
            seen_inside.append(sys.gettrace() is not None)
            _work(10_000)
        seen_inside.append(sys.gettrace())

    thread = threading.Thread(target=background)
    thread.start()
    # Meanwhile this thread is not being profiled (or slowed).
    assert sys.gettrace() is None
    thread.join()
    assert seen_inside == [True, None]


def test_hurry_makes_the_rest_run_at_full_speed():
    hurry = threading.Event()
    hurry.set()
    with gently(hurry=hurry):
        # The first pause point after the burst sees someone waiting and
        # drops the pauses for good.
        steps = 0
        while sys.gettrace() is not None:
            _work(100)
            steps += 1
            assert steps < 1_000_000
        assert _work(10) == 45
    assert sys.gettrace() is None


def test_a_save_during_a_gentle_warm_up_is_stored(tmp_path):
    path = tmp_path / "configs.sqlite3"
    with ConfigStore(path) as store:
        warm_up = threading.Thread(
            target=store.prepare_writes, kwargs={"in_background": True}
        )
        warm_up.start()
        saved = store.save_config(IntegrationConfig("tests.Slack", name="early"))
        warm_up.join()
        assert store.get_config(saved.id).name == "early"
        assert store.prepare_writes(in_background=True) is store.prepare_writes()


def test_shutdown_hurries_a_gentle_warm_up(tmp_path):
    from desktop_app.manager import IntegrationManager

    path = tmp_path / "configs.sqlite3"
    IntegrationManager(path, watch_interval=None).shutdown()  # created
    manager = IntegrationManager(path, watch_interval=None)
    manager.prepare_writes_in_background()
    manager.shutdown()  # waits for the warm-up, told to finish at full speed
    assert manager.store.closed
