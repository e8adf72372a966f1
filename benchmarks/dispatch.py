"""Benchmarks 1 and 2: event dispatch, and the first event after a save.

1. 10 integrations × 10 enabled configs on one blinker signal; each handler
   loops ``self.get_configs()`` reading ``config.get('key1')``, activity
   recording on. Floor: a plain ``blinker.Signal`` whose 10 receivers
   (``weak=False``) loop a list of plain objects holding the same settings.
2. Save one config, then send once. Floor: a warm send.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import blinker

from benchmarks._harness import Measurement, Result, interleaved, per_call_us
from desktop_app.activity import get_activity_log
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.manager import IntegrationManager, set_integration_manager

INTEGRATIONS = 10
CONFIGS_EACH = 10


def _settings(j: int) -> dict:
    return {"key1": j, "key2": f"value-{j}", "key3": True}


def _integration_class(i: int, signal: blinker.Signal) -> type[Integration]:
    class BenchIntegration(Integration):
        integration_id = f"benchmarks.dispatch.I{i}"
        name = f"Bench {i}"
        default_settings = {"key1": 0, "key2": "", "key3": False}

        def initialize(self) -> None:
            SignalHook(self, signal, self._on_event)

        def _on_event(self, **kwargs) -> None:
            for config in self.get_configs():
                config.get("key1")

    return BenchIntegration


class _Plain:
    __slots__ = ("settings",)

    def __init__(self, settings: dict) -> None:
        self.settings = settings


def _floor_signal() -> blinker.Signal:
    signal = blinker.Signal()
    for _ in range(INTEGRATIONS):
        objs = [_Plain(_settings(j)) for j in range(CONFIGS_EACH)]

        def receiver(sender, _objs=objs, **kwargs):
            for obj in _objs:
                obj.settings.get("key1")

        signal.connect(receiver, weak=False)
    return signal


def run(quick: bool = False) -> list[Result]:
    rounds = 7 if quick else 25
    calls = 500 if quick else 2000
    with tempfile.TemporaryDirectory() as tmp:
        manager = IntegrationManager(Path(tmp) / "bench.sqlite3", watch_interval=None)
        set_integration_manager(manager)
        signal = blinker.Signal()
        integrations = []
        for i in range(INTEGRATIONS):
            integration = manager.register_integration_class(
                _integration_class(i, signal)
            )
            for j in range(CONFIGS_EACH):
                integration.create_config(
                    name=f"config {j}", enabled=True, settings=_settings(j), save=True
                )
            integrations.append(integration)
        assert all(i.enabled for i in integrations)
        log = get_activity_log()
        assert log.enabled
        floor = _floor_signal()

        samples = interleaved(
            rounds,
            {
                "floor": per_call_us(lambda: floor.send(None, review_id=1), calls),
                "ours": per_call_us(lambda: signal.send(None, review_id=1), calls),
            },
        )
        dispatch = Result(
            "1. event dispatch",
            Measurement("send, 10×10 configs, activity on", "µs", samples["ours"]),
            Measurement("plain blinker + list of objects", "µs", samples["floor"]),
            target=1.3,
        )

        # 2. First event after a save, against a warm send.
        config = manager.get_integration_configs(integrations[0])[0]
        after_save: list[float] = []
        warm: list[float] = []
        for n in range(rounds * 4):
            config.set("key1", n)
            config.save()
            t0 = time.perf_counter()
            signal.send(None, review_id=1)
            after_save.append((time.perf_counter() - t0) * 1e6)
            t0 = time.perf_counter()
            signal.send(None, review_id=1)
            warm.append((time.perf_counter() - t0) * 1e6)
        first_event = Result(
            "2. first event after a save",
            Measurement("send right after save()", "µs", after_save),
            Measurement("warm send", "µs", warm),
            target=5.0,
        )
        manager.shutdown()
        set_integration_manager(None)
    return [dispatch, first_event]
