"""Unchanged djblets-style handlers: per-configuration deliveries, and the
worker instead of the UI thread.

A ``SignalHook`` of an integration runs its callback inside a
:py:class:`~desktop_app._attribution.HandlerScope`, so the loop over
``self.get_configs()`` it almost always contains records one delivery per
configuration. On the thread the host marked as its UI thread
(:py:func:`set_ui_thread`), the whole callback goes to the worker with the
integration's ``background_timeout``; a callback that overruns it is
abandoned and the configuration it was working on is recorded as timed out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from desktop_app._attribution import HandlerScope
from desktop_app._containment import describe_error, format_traceback
from desktop_app._payload import summarize_payload
from desktop_app._worker import BackgroundTimeoutError, BackgroundWorker
from desktop_app.activity import OUTCOME_FAILED, OUTCOME_TIMEOUT, get_activity_log

if TYPE_CHECKING:
    from desktop_app.hooks import SignalHook

__all__ = ["RECORDED", "is_ui_thread", "offload", "scope_for", "set_ui_thread"]

_ui_thread: int | None = None


def set_ui_thread(thread: threading.Thread | None) -> None:
    """Mark the thread whose handlers must go to the worker (the window's
    UI thread); ``None`` runs every handler where it is sent."""
    global _ui_thread
    _ui_thread = thread.ident if thread is not None else None


def is_ui_thread() -> bool:
    """Whether the calling thread is the marked UI thread."""
    return _ui_thread is not None and threading.get_ident() == _ui_thread


def scope_for(
    hook: SignalHook,
    kwargs: dict[str, Any],
    only_config_id: int | None = None,
    on_finish: Callable[[str], None] | None = None,
) -> HandlerScope:
    """A full scope for one run of ``hook`` with ``kwargs``: what it
    records goes to the delivery log when the run closes."""
    owner = hook.owner
    deliveries = owner.integration_mgr.deliveries
    summary: list[str] = []
    # The run's records go to the delivery log together when it closes
    # (one hand-over per handler run, not one per configuration); those
    # that end later (background work) are recorded one by one.
    batch: list[tuple[Any, str, str, str, float, float]] | None = []

    def finish(
        config: Any,
        outcome: str,
        message: str,
        details: str,
        started: float,
        duration: float,
    ) -> None:
        if not summary:
            summary.append(summarize_payload(kwargs))
        if batch is not None:
            batch.append((config, outcome, message, details, started, duration))
        else:
            deliveries.record(
                config,
                hook.signal_name,
                summary[0],
                outcome,
                message,
                started=started,
                duration=duration,
                details=details,
            )
        if on_finish is not None:
            on_finish(outcome)

    plain: list[tuple[list[Any], float, float]] = []

    def finish_plain(configs: list[Any], started: float, duration: float) -> None:
        # The loop's untouched configurations, all ok: handed over as they
        # are, their records built on the writer thread.
        plain.append((configs, started, duration))
        if on_finish is not None:
            for _config in configs:
                on_finish("ok")

    def closed() -> None:
        nonlocal batch
        rows, batch = batch, None
        if rows or plain:
            # The payload is summarised on the writer thread, off the event
            # path, unless a record already needed it.
            deliveries.record_batch(
                hook.signal_name,
                summary[0] if summary else kwargs,
                rows or [],
                plain[0] if plain else None,
            )

    scope = HandlerScope(owner, finish, only_config_id)
    scope.hold = deliveries.hold
    scope.on_closed = closed
    scope.finish_plain = finish_plain
    return scope


#: Set on an exception whose failure a delivery already records, so the
#: hook logs it without a second activity row.
RECORDED = "_desktop_app_delivery_recorded"


def offload(
    hook: SignalHook,
    kwargs: dict[str, Any],
    only_config_id: int | None = None,
    on_finish: Callable[[str], None] | None = None,
) -> Future[Any] | None:
    """Run the hook's callback on the worker under its owner's time limit.

    Returns:
        Future | None: The work, or None when the worker is shut down.
    """
    scope = scope_for(hook, kwargs, only_config_id, on_finish)
    callback = hook.callback
    started = time.time()

    def work() -> Any:
        with scope:
            return callback(**kwargs)

    worker: BackgroundWorker = hook.owner.integration_mgr.worker
    try:
        # No activity row of the worker's own: the deliveries are the rows;
        # a run that reached no configuration gets one below.
        future = worker.submit_job(
            hook.owner, work, signal=hook.signal_name, record=False
        )
    except RuntimeError:
        return None

    def done(f: Future[Any]) -> None:
        error = None if f.cancelled() else f.exception()
        visited = scope.visited
        if isinstance(error, BackgroundTimeoutError):
            scope.close("timed_out", f"Did not finish within {error.timeout:g} s")
        if visited:
            return
        duration = time.time() - started
        log = get_activity_log()
        if isinstance(error, BackgroundTimeoutError):
            log.record(
                hook.signal_name,
                hook.owner_id,
                started,
                duration,
                OUTCOME_TIMEOUT,
                str(error),
            )
        elif error is not None:
            log.record(
                hook.signal_name,
                hook.owner_id,
                started,
                duration,
                OUTCOME_FAILED,
                describe_error(error),
                format_traceback(error),
            )
        elif not f.cancelled():
            log.record(hook.signal_name, hook.owner_id, started, duration)
        if on_finish is not None:
            if isinstance(error, BackgroundTimeoutError):
                on_finish("timed_out")
            else:
                on_finish("failed" if error is not None else "skipped")

    future.add_done_callback(done)
    return future
