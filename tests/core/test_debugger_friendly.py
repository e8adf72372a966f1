"""A debugger or coverage tool keeps working while the app saves and reads.

Such tools install a trace function on each thread; the app must never
replace or drop it, on the caller's thread or on its own threads.
"""

from __future__ import annotations

import sys
import threading

from desktop_app.integration import Integration
from desktop_app.manager import IntegrationManager


class Traced(Integration):
    integration_id = "tests.Traced"

    def initialize(self) -> None:
        pass


def test_a_tracer_on_every_thread_stays_installed(db_path, tmp_path):
    seen_threads: set[str] = set()

    def tracer(frame, event, arg):
        seen_threads.add(threading.current_thread().name)
        return None

    threading.settrace(tracer)
    sys.settrace(tracer)
    try:
        manager = IntegrationManager(db_path, watch_interval=0.01)
        manager.start()
        integration = manager.register_integration_class(Traced)
        config = integration.create_config(name="a", enabled=True, save=True)
        config.set("x", 1)
        config.save()
        assert integration.get_configs()[0].get("x") == 1
        manager.get_integration_configs()
        still_installed = sys.gettrace() is tracer
        manager.shutdown()
    finally:
        sys.settrace(None)
        threading.settrace(None)

    assert still_installed
    assert "desktop-app-change-watcher" in seen_threads
