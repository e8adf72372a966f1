"""The scope of the integration handlers one ``send`` runs on its thread.

Off the UI thread, a signal's hub runs each integration's handler where it
is sent, and every configuration the handler's loop reaches gets a
delivery. A full :py:class:`~desktop_app._attribution.HandlerScope` per
handler run (its state, its callbacks, one record per configuration) cost
many times the event itself. A send makes one :py:class:`HubRun` instead
and points it at each handler in turn. A run that only loops over its
configurations, the common case, is counted in a
:py:class:`~desktop_app._run_tally.RunTally`; as soon as a handler does
anything else (reports, starts background work, logs an error, raises,
loops twice), the run becomes a full scope and is recorded as before.
"""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import Future
from operator import length_hint
from time import perf_counter
from typing import TYPE_CHECKING, Any

from desktop_app._attribution import HandlerScope
from desktop_app._containment import describe_error, format_traceback
from desktop_app._legacy_handlers import RECORDED, scope_for

if TYPE_CHECKING:
    from collections.abc import Iterator

    from desktop_app.hooks import SignalHook

__all__ = ["HubRun"]


class HubRun:
    """What ``current_scope()`` gives the handlers of one send."""

    __slots__ = (
        "_full",
        "_hook",
        "_kwargs",
        "_loops",
        "_started",
        "ended",
        "event_time",
        "owner_id",
        "recorded",
    )

    #: Handlers the hub runs are not on the worker.
    on_worker = False
    #: They see every configuration.
    only_config_id: int | None = None

    def __init__(self) -> None:
        #: When the signal was sent (seconds since the epoch).
        self.event_time = time.time()
        #: The running handler's integration id (what a loop compares).
        self.owner_id: str | None = None
        # The rest is set by call() for each handler (only what a handler
        # may reach between runs is set here).
        self._hook: SignalHook | None = None
        self._full: HandlerScope | None = None
        self._kwargs: dict[str, Any]
        self._loops: list[tuple[tuple[Any, ...], Iterator[Any]]]
        self._started: float
        self.ended: float
        self.recorded: bool

    # What handlers ask of their scope ---------------------------------------

    @property
    def owner(self) -> Any:
        """The running handler's integration (``None`` between runs)."""
        hook = self._hook
        return hook.owner if hook is not None else None

    def narrow(self, configs: tuple[Any, ...]) -> tuple[Any, ...]:
        return configs

    def report(self, config: Any, message: str, ok: bool, details: str) -> None:
        full = self._promote()
        if full is not None:
            full.report(config, message, ok, details)

    def defer(self, config: Any, future: Future[Any]) -> None:
        full = self._promote()
        if full is not None:
            full.defer(config, future)

    def fail_current(self, message: str, details: str = "") -> None:
        full = self._promote()
        if full is not None:
            full.fail_current(message, details)

    def _promote(self) -> HandlerScope | None:
        """The full scope of the current handler run (made now if needed);
        ``None`` between runs."""
        full = self._full
        if full is None and self._hook is not None:
            full = self._full = scope_for(self._hook, self._kwargs)
            full.event_time = self.event_time
            full._loops = self._loops
            full._started = self._started
        return full

    # Running a handler -------------------------------------------------------

    def call(self, hook: SignalHook, kwargs: dict[str, Any], started: float) -> Any:
        """Call ``hook``'s callback with ``kwargs`` in this run and record
        its deliveries. Afterwards ``recorded`` says whether it reached a
        configuration (its deliveries then stand for it in the activity
        log) and ``ended`` is ``perf_counter()`` when it returned.

        Args:
            started (float): ``perf_counter()`` when the hub started it.

        Raises:
            BaseException: What the callback raised (the hub contains it),
                marked as recorded when a delivery records it.
        """
        # Only what a handler may reach is set; nothing is reset after a
        # plain run (the next handler's call overwrites it, and the hub
        # calls leave() before anything else runs in this scope).
        self.owner_id = hook.owner_id
        self._started = started
        self._hook = hook
        self._kwargs = kwargs
        loops: list[tuple[tuple[Any, ...], Iterator[Any]]] = []
        self._loops = loops
        try:
            result = hook.callback(**kwargs)
        except BaseException as e:
            if self._fail(e):
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(e, RECORDED, True)
            raise
        self.ended = ended = perf_counter()
        if self._full is not None or len(loops) > 1:
            self.recorded = self._close(hook)
            return result
        if not loops:
            self.recorded = False
            return result
        configs, iterator = loops[0]
        visited = len(configs) - length_hint(iterator)
        if not visited:
            self.recorded = False
            return result
        # The common run: counted, not recorded one by one. (RunTally's
        # protocol, inline: this runs for every handler on every event.)
        tally = hook.run_tally
        if (
            tally is None
            or tally.configs is not configs
            or tally.visited != visited
            or tally.retired
        ):
            log = hook.owner.integration_mgr.deliveries
            tally = hook.run_tally = log.tally(hook.signal_name, configs, visited)
        tally.payload = kwargs
        tally.duration = (ended - started) / visited
        tally.times.append(self.event_time)
        if not tally.log.busy:
            tally.log.wake()
        if tally.retired:
            tally.log.adopt(tally)
        self.recorded = True
        return result

    def leave(self) -> None:
        """No handler of this run is running any more (the hub calls it
        before a listener that is not an integration's handler)."""
        self._hook = None
        self.owner_id = None

    def _close(self, hook: SignalHook) -> bool:
        """Record the run through its full scope."""
        _split(hook)
        full = self._promote()
        self._full = None
        self.leave()
        if full is None:
            return False
        full.close()
        return full.visited

    def _fail(self, error: BaseException) -> bool:
        """The handler raised ``error``: fail the delivery of the
        configuration it was on, record the others."""
        hook = self._hook
        full = self._promote()
        self._full = None
        self.leave()
        if full is None or hook is None:
            return False
        _split(hook)
        full.fail_current(describe_error(error), format_traceback(error))
        full.close()
        return full.visited


def _split(hook: SignalHook) -> None:
    """The hook's run is recorded in full: runs counted before it stay
    before it (a new tally counts the ones after)."""
    tally = hook.run_tally
    if tally is not None:
        hook.run_tally = None
        tally.log.split(tally)
