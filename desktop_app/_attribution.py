"""Which configuration a running handler is working for.

A handler runs inside a :py:class:`HandlerScope` (set by the hub, the
worker or a :py:class:`~desktop_app.hooks.ConfigSignalHook`). While it is
set, the owner's ``get_configs()`` hands out a tuple whose iteration marks
each configuration as the current one, so a djblets-style loop gets one
delivery per configuration without changing a line: an error logged (at
``ERROR`` or above, by any logger) or raised while a configuration is
current fails that configuration's delivery, and
:py:func:`desktop_app.deliveries.report` sets its message.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import Any, Protocol

from desktop_app._loop_position import position

__all__ = [
    "HandlerScope",
    "Scope",
    "current_scope",
    "install_log_capture",
    "TrackedConfigs",
    "reset_scope",
    "set_scope",
]


class Scope(Protocol):
    """What code inside a handler may ask of its scope: a
    :py:class:`HandlerScope`, or the cheaper run a send makes on its own
    thread (:py:class:`desktop_app._hub_run.HubRun`)."""

    @property
    def owner(self) -> Any:
        """Whose handler runs (an integration, or another owner)."""

    #: The owner's ``integration_id`` (``None`` for another owner).
    owner_id: str | None
    #: Show ``get_configs()`` only this configuration (retry, test).
    only_config_id: int | None
    on_worker: bool
    event_time: float
    _loops: list[tuple[tuple[Any, ...], Iterator[Any]]]

    def narrow(self, configs: tuple[Any, ...]) -> tuple[Any, ...]: ...

    def report(self, config: Any, message: str, ok: bool, details: str) -> None: ...

    def defer(self, config: Any, future: Future[Any]) -> None: ...

    def fail_current(self, message: str, details: str = "") -> None: ...


_scope: contextvars.ContextVar[Scope | None] = contextvars.ContextVar(
    "desktop_app_handler_scope", default=None
)


#: ``current_scope()``: the scope of the handler running on this thread, if
#: any. The context variable's own ``get`` (every ``get_configs()`` asks).
current_scope: Callable[[], Scope | None] = _scope.get


class _State:
    """What happened for one configuration within one handler run."""

    __slots__ = (
        "config",
        "details",
        "duration",
        "failed",
        "futures",
        "message",
        "outcome",
        "started",
    )

    def __init__(self, config: Any) -> None:
        self.config = config
        self.started = time.time()
        self.duration = 0.0
        self.failed = False
        self.message = ""
        self.details = ""
        self.outcome = ""
        #: Background work started for it (``run_in_background``): the
        #: delivery is recorded when that is done, with its outcome.
        self.futures: list[Future[Any]] = []


#: Called with (config, outcome, message, details, started, duration).
Finish = Callable[[Any, str, str, str, float, float], None]


class HandlerScope:
    """One run of one handler for one signal.

    Args:
        owner: The integration whose ``get_configs()`` is tracked.
        finish (callable): Receives each visited configuration's outcome
            once the run ends.
        only_config_id (int | None): Hide every other configuration from
            ``get_configs()`` (retrying or testing one configuration).
        on_worker (bool): The handler runs on the worker already.
    """

    def __init__(
        self,
        owner: Any,
        finish: Finish,
        only_config_id: int | None = None,
        *,
        on_worker: bool = False,
    ) -> None:
        self.owner = owner
        self.owner_id: str | None = getattr(owner, "integration_id", None)
        self.only_config_id = only_config_id
        #: The handler already runs on the worker under a time limit (a
        #: ConfigSignalHook callback): ``run_in_background`` runs inline.
        self.on_worker = on_worker
        #: When the signal was sent (seconds since the epoch); the same for
        #: every attempt of a delivery.
        self.event_time = time.time()
        #: Returns a release function; keeps ``flush()`` waiting for a
        #: record that comes when background work ends.
        self.hold: Callable[[], Callable[[], None]] | None = None
        #: Called once every visited configuration was handed to ``finish``
        #: (those waiting for background work come later, one by one).
        self.on_closed: Callable[[], None] | None = None
        #: Takes, in one call, the visited configurations nothing happened
        #: to (``configs, started, duration each``), all ok; without it each
        #: goes to ``finish``.
        self.finish_plain: Callable[[list[Any], float, float], None] | None = None
        self._finish = finish
        self._states: dict[int, _State] = {}
        #: A configuration made current by hand (:py:meth:`enter`).
        self._current: _State | None = None
        self._t0 = 0.0
        #: The loops over get_configs() of this run: each tuple with the
        #: iterator the loop got (see :py:mod:`desktop_app._loop_position`).
        self._loops: list[tuple[tuple[Any, ...], Iterator[Any]]] = []
        self._started = time.perf_counter()
        self._closed = False
        self._lock = threading.Lock()
        self._token: contextvars.Token[Scope | None] | None = None

    # Entering and leaving -------------------------------------------------

    def __enter__(self) -> HandlerScope:
        self._token = _scope.set(self)
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        if self._token is not None:
            _scope.reset(self._token)
            self._token = None
        if exc is not None:
            from desktop_app._containment import describe_error, format_traceback

            self.fail_current(describe_error(exc), format_traceback(exc))
        self.close()

    # Tracking --------------------------------------------------------------

    def narrow(self, configs: tuple[Any, ...]) -> tuple[Any, ...]:
        """``get_configs()``'s result for this run: only the configuration
        retried or tested, when there is one."""
        if self.only_config_id is None:
            return configs
        only = (c for c in configs if c.id == self.only_config_id)
        return TrackedConfigs(only, self.owner_id or "")

    def enter(self, config: Any) -> None:
        """Make ``config`` the current configuration."""
        now = time.perf_counter()
        with self._lock:
            if self._closed:
                return
            if self._current is not None:
                self._current.duration += now - self._t0
            state = self._states.get(config.id)
            if state is None:
                state = self._states[config.id] = _State(config)
            self._current = state
            self._t0 = now

    def leave(self) -> None:
        """The loop ended: no configuration is current."""
        now = time.perf_counter()
        with self._lock:
            if self._current is not None:
                self._current.duration += now - self._t0
                self._current = None

    def fail_current(self, message: str, details: str = "") -> None:
        """Fail the current configuration's delivery (an error was logged
        or raised while it was current)."""
        with self._lock:
            state = self._current
            if state is None:
                config = self._looped_config()
                if config is not None:
                    state = self._state_of(config)
            if state is not None and not state.failed:
                state.failed = True
                state.message = message
                state.details = details

    def report(self, config: Any, message: str, ok: bool, details: str) -> None:
        """See :py:func:`desktop_app.deliveries.report`."""
        config_id = getattr(config, "id", None)
        if config_id is None:
            return
        with self._lock:
            state = self._states.get(config_id)
            if state is None:
                state = self._states[config_id] = _State(config)
            if ok and state.failed:
                return  # an error logged earlier still stands
            state.failed = not ok
            state.message = message
            state.details = details

    def defer(self, config: Any, future: Future[Any]) -> None:
        """The handler started background work for ``config``: its
        delivery ends when that work does, with its outcome."""
        config_id = getattr(config, "id", None)
        if config_id is None:
            return
        with self._lock:
            state = self._states.get(config_id)
            if state is None:
                state = self._states[config_id] = _State(config)
            state.futures.append(future)

    def _state_of(self, config: Any) -> _State:
        # Under the lock.
        state = self._states.get(config.id)
        if state is None:
            state = self._states[config.id] = _State(config)
        return state

    def _looped_config(self) -> Any:
        """The configuration the innermost unfinished loop is on, if any."""
        for configs, iterator in reversed(self._loops):
            done = position(iterator, len(configs))
            if 0 < done < len(configs) or (done == len(configs) and _running(iterator)):
                return configs[done - 1]
        return None

    def _visited_configs(self) -> list[Any]:
        """Every configuration a loop reached, or a record was made for,
        once each, in order."""
        seen: dict[int, Any] = {}
        for configs, iterator in self._loops:
            for config in configs[: position(iterator, len(configs))]:
                seen.setdefault(config.id, config)
        for config_id, state in self._states.items():
            seen.setdefault(config_id, state.config)
        return list(seen.values())

    @property
    def visited(self) -> bool:
        """Whether the run has seen a configuration so far."""
        return bool(self._states) or any(
            position(iterator, len(configs)) for configs, iterator in self._loops
        )

    def close(self, outcome_for_current: str | None = None, message: str = "") -> None:
        """End the run and record every visited configuration (once).

        Args:
            outcome_for_current (str, optional): Outcome of the configuration
                current at the end, e.g. ``'timed_out'`` when the run was
                abandoned.
        """
        self.leave_if_current()
        with self._lock:
            if self._closed:
                return
            self._closed = True
            current = self._current
            if current is None and outcome_for_current:
                looped = self._looped_config()
                current = self._state_of(looped) if looped is not None else None
            if len(self._loops) == 1 and not self._states:
                # The common run: one loop, nothing happened to anyone.
                configs, iterator = self._loops[0]
                visited = plain = list(configs[: position(iterator, len(configs))])
            else:
                visited = self._visited_configs()
                plain = [c for c in visited if c.id not in self._states]
            # A loop's untouched configurations share the run's time; the
            # ones something happened to keep their own record.
            share = (time.perf_counter() - self._started) / max(len(visited), 1)
            states = list(self._states.values())
        if plain:
            if self.finish_plain is not None:
                self.finish_plain(plain, self.event_time, share)
            else:
                for config in plain:
                    self._finish(config, "ok", "", "", self.event_time, share)
        for state in states:
            if outcome_for_current and state is current:
                state.outcome = outcome_for_current
                state.failed = True
                state.message = message
            if state.futures and not state.failed:
                _after(state, self._finish, self.hold() if self.hold else None)
                continue
            self._done(state)
        if self.on_closed is not None:
            self.on_closed()

    def _done(self, state: _State) -> None:
        outcome = state.outcome or ("failed" if state.failed else "ok")
        self._finish(
            state.config,
            outcome,
            state.message,
            state.details,
            state.started,
            state.duration,
        )

    def leave_if_current(self) -> None:
        with self._lock:
            if self._current is not None and not self._closed:
                self._current.duration += time.perf_counter() - self._t0
                self._t0 = time.perf_counter()


def _after(state: _State, finish: Finish, release: Callable[[], None] | None) -> None:
    """Record ``state`` once all its background work is done."""
    from desktop_app._containment import describe_error, format_traceback
    from desktop_app._worker import BackgroundTimeoutError

    futures = list(state.futures)
    left = [len(futures)]
    lock = threading.Lock()
    t0 = time.time()

    def one_done(future: Future[Any]) -> None:
        error = None if future.cancelled() else future.exception()
        with lock:
            if future.cancelled():
                state.outcome = state.outcome or "skipped"
                state.message = state.message or "Not delivered: the app was quitting"
            elif isinstance(error, BackgroundTimeoutError):
                state.outcome = "timed_out"
                state.message = f"No answer within {error.timeout:g} s"
            elif error is not None:
                state.outcome = "failed"
                state.message = describe_error(error)
                state.details = format_traceback(error)
            elif not state.message and isinstance(future.result(), str):
                state.message = future.result()
            left[0] -= 1
            last = left[0] == 0
        if last:
            state.duration += time.time() - t0
            try:
                finish(
                    state.config,
                    state.outcome or "ok",
                    state.message,
                    state.details,
                    state.started,
                    state.duration,
                )
            finally:
                if release is not None:
                    release()

    for future in futures:
        future.add_done_callback(one_done)


class TrackedConfigs(tuple):  # type: ignore[type-arg]
    """What ``get_configs()`` returns: a tuple whose loops the running
    handler's scope sees.

    The manager's configuration cache makes one per result it keeps
    (``_snapshots``), so a handler that loops on every event neither copies
    its configurations nor looks anything up: iterating asks the context
    variable for the scope, and hands it the tuple's own iterator when the
    scope runs a handler of this tuple's integration.
    """

    integration_id: str

    def __new__(cls, configs: Iterable[Any], integration_id: str) -> TrackedConfigs:
        self = super().__new__(cls, configs)
        self.integration_id = integration_id
        return self

    def __iter__(self) -> Iterator[Any]:
        # The tuple's own iterator: nothing runs per iteration; where the
        # loop is, is asked of it when it matters (desktop_app._loop_position).
        iterator = tuple.__iter__(self)
        scope = _scope.get()
        if scope is not None and scope.owner_id == self.integration_id:
            scope._loops.append((self, iterator))
        return iterator

    def __reduce__(self) -> tuple[Any, ...]:
        # Copied or pickled, it is the plain tuple it holds.
        return (tuple, (tuple(self),))


#: ``set_scope(scope)``: make ``scope`` the running handler's scope on this
#: thread; returns the token :py:data:`reset_scope` takes to undo it. The
#: context variable's own methods (every send of a signal calls them).
set_scope: Callable[[Scope], contextvars.Token[Scope | None]] = _scope.set

#: ``reset_scope(token)``: undo :py:data:`set_scope`.
reset_scope: Callable[[contextvars.Token[Scope | None]], None] = _scope.reset


class _ErrorCapture(logging.Handler):
    """Fails the current configuration's delivery when its handler logs an
    error (whatever logger it uses)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        scope = _scope.get()
        if scope is None:
            return
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        details = ""
        if record.exc_info and record.exc_info[1] is not None:
            from desktop_app._containment import describe_error, format_traceback

            error = record.exc_info[1]
            message = f"{message}: {describe_error(error)}"
            details = format_traceback(error)
        from desktop_app.activity import scrub_secrets

        scope.fail_current(scrub_secrets(message), scrub_secrets(details))


_capture = _ErrorCapture()


def install_log_capture() -> None:
    """Attach the error capture to the root logger (idempotent)."""
    root = logging.getLogger()
    if _capture not in root.handlers:
        root.addHandler(_capture)


def _running(iterator: Iterator[Any]) -> bool:
    """Whether a tuple iterator that reached its last item still runs (the
    loop body is on the last configuration) rather than being exhausted."""
    return len(iterator.__reduce__()) >= 3
