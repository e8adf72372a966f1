"""Background work runs off the sender's thread and is recorded per config."""

from __future__ import annotations

import threading

from desktop_app.activity import get_activity_log
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal

fired = define_signal("tests.worker.fired")


class Slow(Integration):
    def initialize(self):
        SignalHook(self, fired, self._on_fired)

    def _on_fired(self, **kwargs):
        for config in self.get_configs():
            self.run_in_background(
                config, self._work, config, kwargs, signal="tests.worker.fired"
            )

    def _work(self, config, payload):
        self.threads.append(threading.current_thread().name)
        if config.get("fail"):
            raise ConnectionError("peer went away")


def test_work_runs_in_background_and_is_recorded_per_config(manager):
    integration = manager.register_integration_class(Slow)
    integration.threads = []
    good = integration.create_config(name="good", enabled=True, save=True)
    bad = integration.create_config(
        name="bad", enabled=True, settings={"fail": True}, save=True
    )

    fired.send("s", n=1)
    assert manager.wait_for_background_work(timeout=10)

    assert all(t.startswith("desktop-app-worker") for t in integration.threads)
    per_config = {r.config_id: r for r in get_activity_log().records() if r.config_id}
    assert per_config[good.id].outcome == "ok"
    assert per_config[good.id].config_name == "good"
    assert per_config[bad.id].outcome == "failed"
    assert per_config[bad.id].error == "ConnectionError: peer went away"
