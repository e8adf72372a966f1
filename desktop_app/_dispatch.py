"""One blinker receiver per signal, fanning out to every SignalHook on it.

blinker spends about a microsecond per connected receiver on each ``send``.
Connecting a single hub per (signal, sender) and looping over the hooks in
Python costs a fraction of that, which pays for timing every delivery,
containing its errors and recording it as activity.

Hooks on the app's own life-cycle signals (a configuration saved or
deleted, an integration enabled, ...) do not run on the sender's thread:
the sender is the manager in the middle of a save, often on the UI thread,
and a slow plugin hook must not make every save slow. They are handed to
the manager's background worker, with its time limit per piece of work, and
recorded as activity there. Listeners connected to those signals directly
(the window's own) still run synchronously.
"""

from __future__ import annotations

import functools
import threading
from time import perf_counter
from typing import TYPE_CHECKING, Any

from desktop_app import signals
from desktop_app._attribution import reset_scope, set_scope
from desktop_app._containment import is_user_interrupt
from desktop_app._hub_run import HubRun
from desktop_app._legacy_handlers import is_ui_thread, offload
from desktop_app._worker import DEFAULT_TIMEOUT, BackgroundWorker
from desktop_app.activity import OUTCOME_OK, PERF_TO_WALL, get_activity_log

if TYPE_CHECKING:
    from desktop_app.hooks import SignalHook

__all__ = ["connect_hook", "disconnect_hook", "hooks_on"]

_hubs: dict[tuple[int, Any], _Hub] = {}
_lock = threading.Lock()


class _Hub:
    """The blinker receiver standing for every hook on one signal+sender."""

    __slots__ = ("__weakref__", "hooks", "key", "sender", "signal")

    def __init__(self, signal: Any, sender: Any, key: tuple[int, Any]) -> None:
        self.signal = signal
        self.sender = sender
        self.key = key
        self.hooks: tuple[SignalHook, ...] = ()

    def receive(self, sender: Any, **payload: Any) -> list[Any]:
        """What blinker calls. (A bound method, not ``__call__``: blinker
        asks each receiver whether it is a coroutine function on every
        send, and answers that quickly only for functions and methods.)"""
        hooks = self.hooks
        payload["sender"] = sender
        payload["signal"] = self.signal
        if self.signal in _LIFECYCLE:
            return _defer(hooks, sender, payload)
        log = get_activity_log()
        recording = log.enabled
        append = log.append
        next_seq = log.next_seq
        results: list[Any] = []
        # Integrations' handlers run in one HubRun for the whole send (made
        # at the first one), or go to the worker from the UI thread.
        run: HubRun | None = None
        token = None
        on_ui: bool | None = None
        t0 = perf_counter()
        try:
            for hook in hooks:
                accepts = hook.accepts
                try:
                    if hook.attributed:
                        # An integration's handler: a delivery per
                        # configuration it visits, never on the UI thread.
                        kwargs = (
                            payload
                            if accepts is None
                            else {k: v for k, v in payload.items() if k in accepts}
                        )
                        if on_ui is None:
                            on_ui = is_ui_thread()
                        if on_ui:
                            results.append(offload(hook, kwargs))
                            t0 = perf_counter()
                            continue
                        if run is None:
                            run = HubRun()
                            token = set_scope(run)
                        result = run.call(hook, kwargs, t0)
                        if run.recorded:  # its deliveries are its activity
                            results.append(result)
                            t0 = run.ended
                            continue
                    else:
                        if run is not None:
                            run.leave()  # not an integration's handler
                        if accepts is None:
                            result = hook.callback(**payload)
                        else:
                            result = hook.callback(
                                **{k: v for k, v in payload.items() if k in accepts}
                            )
                except BaseException as e:  # noqa: B036 - plugin code: SystemExit too
                    if is_user_interrupt(e):
                        raise
                    t1 = perf_counter()
                    hook.failed(e, t0 + PERF_TO_WALL, t1 - t0)
                    results.append(None)
                    t0 = perf_counter()
                    continue
                t1 = perf_counter()
                if recording and not hook.quiet:
                    raw = (
                        next_seq(),
                        t0 + PERF_TO_WALL,
                        hook.signal_name,
                        hook.owner_id,
                        None,
                        None,
                        t1 - t0,
                        OUTCOME_OK,
                        "",
                        "",
                    )
                    append(raw)
                    if log.subscribers:
                        log.notify(raw)
                results.append(result)
                t0 = t1
        finally:
            if token is not None:
                reset_scope(token)
        return results


#: The app's own life-cycle signals, whose hooks run on the worker.
_LIFECYCLE = frozenset(
    (
        signals.config_created,
        signals.config_updated,
        signals.config_deleted,
        signals.configs_reloaded,
        signals.integration_enabled,
        signals.integration_disabled,
        signals.integration_registered,
        signals.integration_unregistered,
        signals.app_started,
    )
)


class _HookOwner:
    """Who background work of a hook counts as (an integration or an
    extension), with the time limit it gets."""

    __slots__ = ("background_timeout", "integration_id")

    def __init__(self, hook: SignalHook) -> None:
        self.integration_id = hook.owner_id
        self.background_timeout = getattr(
            hook.owner, "background_timeout", DEFAULT_TIMEOUT
        )


def _defer(
    hooks: tuple[SignalHook, ...], sender: Any, payload: dict[str, Any]
) -> list[Any]:
    """Hand each hook's call to the sender's background worker."""
    worker = getattr(sender, "worker", None)
    if not isinstance(worker, BackgroundWorker):
        from desktop_app.manager import get_integration_manager

        try:
            worker = get_integration_manager().worker
        except RuntimeError:
            worker = None
    futures: list[Any] = []
    for hook in hooks:
        accepts = hook.accepts
        kwargs = (
            payload
            if accepts is None
            else {k: v for k, v in payload.items() if k in accepts}
        )
        if worker is None:
            futures.append(_call_contained(hook, kwargs))
            continue
        try:
            futures.append(
                worker.submit(
                    _HookOwner(hook),
                    None,
                    functools.partial(hook.callback, **kwargs),
                    signal=hook.signal_name,
                )
            )
        except RuntimeError:
            # Shut down already (the app is quitting): nobody waits for it.
            futures.append(None)
    return futures


def _call_contained(hook: SignalHook, kwargs: dict[str, Any]) -> Any:
    t0 = perf_counter()
    try:
        return hook.callback(**kwargs)
    except BaseException as e:  # noqa: B036 - plugin code: SystemExit too
        if is_user_interrupt(e):
            raise
        hook.failed(e, t0 + PERF_TO_WALL, perf_counter() - t0)
        return None


def _key(signal: Any, sender: Any) -> tuple[int, Any]:
    try:
        hash(sender)
    except TypeError:
        return (id(signal), id(sender))
    return (id(signal), sender)


def connect_hook(hook: SignalHook) -> None:
    """Add a hook to its signal's hub, connecting the hub if it is new."""
    key = _key(hook.signal, hook.sender)
    with _lock:
        hub = _hubs.get(key)
        if hub is None or hub.signal is not hook.signal:
            hub = _Hub(hook.signal, hook.sender, key)
            _hubs[key] = hub
            hook.signal.connect(hub.receive, sender=hook.sender, weak=False)
        hub.hooks = (*hub.hooks, hook)


def disconnect_hook(hook: SignalHook) -> None:
    """Remove a hook; disconnect its hub once no hook is left on it."""
    key = _key(hook.signal, hook.sender)
    with _lock:
        hub = _hubs.get(key)
        if hub is None:
            return
        hub.hooks = tuple(h for h in hub.hooks if h is not hook)
        if not hub.hooks:
            del _hubs[key]
            hub.signal.disconnect(hub.receive, sender=hub.sender)


def hooks_on(signal: Any) -> list[SignalHook]:
    """Every hook connected to ``signal``, whatever its sender."""
    with _lock:
        hubs = [hub for hub in _hubs.values() if hub.signal is signal]
    return [hook for hub in hubs for hook in hub.hooks]
