"""Benchmarks 1 and 2: event dispatch, and the first event after a save.

1. 10 integrations × 10 enabled configs on one blinker signal; each handler
   loops ``self.get_configs()`` reading ``config.get('key1')``, activity
   recording on. Floor: a plain ``blinker.Signal`` whose 10 receivers
   (``weak=False``) loop a list of plain objects holding the same settings.
   Also reported against the same floor: a model of the least any
   attribution of loops to configurations costs (one hub receiver setting a
   context-variable scope, each handler asking a method for a cached tuple
   whose ``__iter__`` registers its iterator, ``length_hint`` read after
   each handler), with no recording at all.
2. Save one config, then send once. Floor: a warm send.
"""

from __future__ import annotations

import contextvars
import tempfile
import time
from operator import length_hint
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


_model_scope: contextvars.ContextVar[_ModelRun | None] = contextvars.ContextVar(
    "benchmark_model_scope", default=None
)


class _ModelRun:
    __slots__ = ("loops", "owner_id")

    def __init__(self) -> None:
        self.owner_id = ""
        self.loops: list[tuple[tuple, object]] = []


class _ModelConfigs(tuple):
    """A cached tuple whose loops the running handler's scope sees."""

    owner_id = ""

    def __iter__(self):
        iterator = tuple.__iter__(self)
        run = _model_scope.get()
        if run is not None and run.owner_id == self.owner_id:
            run.loops.append((self, iterator))
        return iterator


def _model_signal() -> blinker.Signal:
    """The attribution model (see the module docstring)."""
    cache: dict[str, _ModelConfigs] = {}
    hooks = []
    for i in range(INTEGRATIONS):
        owner_id = f"model.I{i}"
        configs = _ModelConfigs(_settings(j) for j in range(CONFIGS_EACH))
        configs.owner_id = owner_id
        cache[owner_id] = configs

        class Owner:
            def __init__(self, owner_id: str) -> None:
                self.owner_id = owner_id

            def get_configs(self) -> _ModelConfigs:
                return cache[self.owner_id]

            def on_event(self, **kwargs) -> None:
                for config in self.get_configs():
                    config.get("key1")

        owner = Owner(owner_id)
        hooks.append((owner_id, owner.on_event, []))

    def hub(sender, **payload) -> None:
        run = _ModelRun()
        token = _model_scope.set(run)
        try:
            for owner_id, callback, visited in hooks:
                run.owner_id = owner_id
                loops = run.loops = []
                callback(**payload)
                if loops:
                    configs, iterator = loops[0]
                    visited.append(len(configs) - length_hint(iterator))
                    del visited[:]
        finally:
            _model_scope.reset(token)

    signal = blinker.Signal()
    signal.connect(hub, weak=False)
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
        model = _model_signal()

        samples = interleaved(
            rounds,
            {
                "floor": per_call_us(lambda: floor.send(None, review_id=1), calls),
                "ours": per_call_us(lambda: signal.send(None, review_id=1), calls),
                "model": per_call_us(lambda: model.send(None, review_id=1), calls),
            },
        )
        dispatch = Result(
            "1. event dispatch",
            Measurement("send, 10×10 configs, activity on", "µs", samples["ours"]),
            Measurement("plain blinker + list of objects", "µs", samples["floor"]),
            target=1.3,
        )
        model_row = Result(
            "1. event dispatch",
            Measurement(
                "model: attributing loops, recording nothing", "µs", samples["model"]
            ),
            Measurement("plain blinker + list of objects", "µs", samples["floor"]),
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
    return [dispatch, model_row, first_event]
