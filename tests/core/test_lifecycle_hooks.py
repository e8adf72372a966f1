"""Plugin hooks on the app's own life-cycle signals run on the background
worker: a slow hook on ``config_created`` does not hold up the save."""

from __future__ import annotations

import threading

import pytest

from desktop_app import Integration, SignalHook, signals
from desktop_app.activity import OUTCOME_OK, OUTCOME_TIMEOUT, get_activity_log
from desktop_app.config import IntegrationConfig

gate = {"entered": threading.Event(), "release": threading.Event()}
events: list[str] = []


class Watcher(Integration):
    """Listens to config_created and blocks until the test releases it."""

    integration_id = "test.lifecycle.watcher"
    background_timeout = 30.0

    def initialize(self):
        SignalHook(self, signals.config_created, self.on_created)

    def on_created(self, config, **kwargs):
        events.append(f"hook started for {config.name}")
        gate["entered"].set()
        gate["release"].wait()
        events.append(f"hook finished for {config.name}")


class Stuck(Watcher):
    integration_id = "test.lifecycle.stuck"
    background_timeout = 0.5


@pytest.fixture
def reset_gate():
    gate["entered"] = threading.Event()
    gate["release"] = threading.Event()
    events.clear()
    yield
    gate["release"].set()


def _enable(manager, cls):
    gate["release"].set()  # the hook runs for "own" too: let it through
    manager.register_integration_class(cls)
    manager.save_config(IntegrationConfig(cls.integration_id, name="own", enabled=True))
    assert manager.wait_for_background_work(30)
    assert manager.get_integration(cls.integration_id).enabled
    gate["release"].clear()
    gate["entered"].clear()
    events.clear()
    get_activity_log().clear()


def test_save_returns_while_a_hook_on_config_created_blocks(manager, reset_gate):
    _enable(manager, Watcher)
    heard = []
    # The app's own listeners (the window's) stay synchronous.
    own = lambda sender, config, **kw: heard.append(config.name)  # noqa: E731
    signals.config_created.connect(own)
    try:
        manager.save_config(
            IntegrationConfig("test.lifecycle.watcher", name="second", enabled=True)
        )
        events.append("save returned")
        assert heard == ["second"]
    finally:
        signals.config_created.disconnect(own)

    assert gate["entered"].wait(30)  # the hook runs meanwhile, elsewhere
    assert "hook finished for second" not in events
    gate["release"].set()
    assert manager.wait_for_background_work(30)
    assert events.index("save returned") < events.index("hook finished for second")
    (record,) = get_activity_log().records()
    assert (record.integration_id, record.signal, record.outcome) == (
        "test.lifecycle.watcher",
        "desktop_app.config_created",
        OUTCOME_OK,
    )


def test_a_hook_past_its_time_limit_is_recorded_as_timed_out(manager, reset_gate):
    manager.register_integration_class(Stuck)
    manager.save_config(
        IntegrationConfig("test.lifecycle.stuck", name="own", enabled=True)
    )
    assert gate["entered"].wait(30)
    # The worker gives up on it at its background_timeout.
    manager.wait_for_background_work(30)
    (record,) = [
        r for r in get_activity_log().records() if r.signal.endswith("config_created")
    ]
    assert record.outcome == OUTCOME_TIMEOUT
    assert record.integration_id == "test.lifecycle.stuck"
