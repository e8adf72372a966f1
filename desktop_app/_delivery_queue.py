"""Per-configuration delivery queues: retries that hold no thread, a bound
in memory, and a record for everything that is dropped.

Each configuration has its own first-in-first-out queue and at most one
delivery on the worker at a time, so deliveries to one endpoint stay in
order and a dead endpoint occupies at most one worker thread, and only
while it is actually trying. Between attempts a delivery waits on a timer,
not on a thread; other configurations' deliveries run meanwhile.

The queues hold at most :py:attr:`DeliveryQueue.max_queued` deliveries in
all, :py:attr:`DeliveryQueue.max_per_config` per configuration, and about
:py:attr:`DeliveryQueue.max_bytes` of payload (estimated once per event); a
delivery that does not fit is recorded as skipped with the reason. At
shutdown, whatever is still waiting is recorded as not delivered.

The record of a delivery that never ran keeps a payload summary of at most
:py:data:`SKIPPED_PAYLOAD` characters (a longer one is marked shortened and
cannot be sent again): a burst that overflows the queue makes one such
record per delivery, faster than any disk takes thousands of large ones,
and they must not take the memory the bound saved.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from desktop_app._attribution import HandlerScope
from desktop_app._containment import describe_error, format_traceback
from desktop_app._payload import summarize_payload
from desktop_app._worker import BackgroundTimeoutError, BackgroundWorker, WorkOwner

if TYPE_CHECKING:
    from desktop_app._delivery_log import DeliveryLog

__all__ = ["DeliveryItem", "DeliveryQueue", "approx_size", "run_scoped"]

logger = logging.getLogger(__name__)

#: Characters of payload summary kept in the record of a delivery that
#: never ran (queue full, or the app quitting).
SKIPPED_PAYLOAD = 1000


class DeliveryItem:
    """One signal to deliver to one configuration.

    Args:
        owner: The integration (for the worker: id and time limit).
        config: The configuration snapshot.
        signal (str): The signal's name.
        payload (dict): What the callback gets as keywords.
        run (callable): ``run(item, payload) -> str | None``: does the work
            once, returns the plain message or raises.
        retries (int): Further attempts after a failed one.
        timeout (float | None): Seconds per attempt (None: the owner's).
        backoff (float): Seconds before the first retry, doubled each time.
        size (int): Estimated payload bytes, counted against the bound.
    """

    __slots__ = (
        "_done",
        "_outcome",
        "attempts",
        "backoff",
        "config",
        "duration",
        "event_time",
        "owner",
        "payload",
        "retries",
        "run",
        "signal",
        "size",
        "started",
        "timeout",
    )

    def __init__(
        self,
        owner: WorkOwner,
        config: Any,
        signal: str,
        payload: dict[str, Any],
        run: Callable[[DeliveryItem, dict[str, Any]], str | None],
        *,
        retries: int = 0,
        timeout: float | None = None,
        backoff: float = 1.0,
        size: int = 0,
    ) -> None:
        self.owner = owner
        #: Estimated bytes of its payload (see ``approx_size``).
        self.size = size
        self.config = config
        self.signal = signal
        self.payload = payload
        self.run = run
        self.retries = max(0, retries)
        self.timeout = timeout
        self.backoff = max(0.0, backoff)
        self.attempts = 0
        #: When the signal was sent: the same for every attempt.
        self.event_time = time.time()
        self.started = 0.0
        self.duration = 0.0
        self._outcome: str | None = None
        self._done: Future[str] | None = None

    @property
    def done(self) -> Future[str]:
        """Resolves with the stored outcome (``'ok'``, ``'failed'`` …).

        Made when first asked for: most deliveries are waited for by no
        one, and a future (with its condition and lock) per queued delivery
        was most of what a burst kept alive.
        """
        with _settling:
            if self._done is None:
                self._done = Future()
                if self._outcome is not None:
                    self._done.set_result(self._outcome)
            return self._done

    def settle(self, outcome: str) -> None:
        """The delivery ended with ``outcome`` (the first call counts)."""
        with _settling:
            if self._outcome is not None:
                return
            self._outcome = outcome
            future = self._done
        if future is not None:
            future.set_result(outcome)


#: Guards making and settling the ``done`` futures of delivery items.
_settling = threading.Lock()


class _ConfigLane:
    __slots__ = ("busy", "items")

    def __init__(self) -> None:
        self.items: deque[DeliveryItem] = deque()
        self.busy = False


class DeliveryQueue:
    """Schedules :py:class:`DeliveryItem` work on a worker, per configuration.

    Args:
        worker (BackgroundWorker): Runs each attempt with its time limit.
        log (DeliveryLog): Records each delivery's outcome.
    """

    #: Deliveries waiting in all queues together before new ones are skipped.
    max_queued = 30_000
    #: Deliveries waiting for one configuration before new ones are skipped,
    #: so one dead endpoint cannot fill the queue for everyone.
    max_per_config = 10_000
    #: Estimated payload bytes waiting before new deliveries are skipped
    #: (a burst of large payloads must not take the memory).
    max_bytes = 64 * 1024 * 1024

    def __init__(self, worker: BackgroundWorker, log: DeliveryLog) -> None:
        self._worker = worker
        self._log = log
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._lanes: dict[int, _ConfigLane] = {}
        self._queued = 0
        self._bytes = 0
        self._active = 0  # on the worker or waiting to retry
        self._timers: list[tuple[float, int, DeliveryItem]] = []
        self._timer_seq = itertools.count()
        self._timer_wake = threading.Condition(self._lock)
        self._timer_thread: threading.Thread | None = None
        self._running: set[DeliveryItem] = set()
        self._closed = False
        #: The last payload summarised for a skipped delivery, and its text.
        self._last_summary: tuple[object, str] = (None, "")
        self._reasons: dict[tuple[str, object], str] = {}

    # Adding ----------------------------------------------------------------

    def put(self, item: DeliveryItem) -> bool:
        """Queue a delivery; it runs when its configuration's earlier ones
        are done.

        Returns:
            bool: False when it was skipped (queue full, or shut down).
        """
        reason = ""
        with self._lock:
            lane = self._lanes.get(item.config.id)
            if lane is None:
                lane = self._lanes[item.config.id] = _ConfigLane()
            if self._closed:
                reason = "Not delivered: the app was quitting"
            elif self._bytes + item.size > self.max_bytes and self._queued:
                reason = self._reason("bytes", _size_text(self._bytes))
            elif self._queued >= self.max_queued:
                reason = self._reason("queued", self.max_queued)
            elif len(lane.items) >= self.max_per_config:
                reason = self._reason("per_config", self.max_per_config)
            else:
                lane.items.append(item)
                self._queued += 1
                self._bytes += item.size
                start = None if lane.busy else self._take(lane)
        if reason:
            self._skip(item, reason)
            return False
        if start is not None:
            self._attempt(start)
        return True

    def _reason(self, bound: str, value: object) -> str:
        """Why a delivery was skipped; one text per bound and value, shared
        by the thousands of records a burst makes."""
        key = (bound, value)
        text = self._reasons.get(key)
        if text is None:
            if bound == "bytes":
                text = f"Not delivered: {value} of events were already waiting"
            elif bound == "queued":
                text = f"Not delivered: {value:,} deliveries were already waiting"
            else:
                text = (
                    f"Not delivered: {value:,} deliveries to this configuration "
                    "were already waiting"
                )
            if len(self._reasons) < 256:
                self._reasons[key] = text
        return text

    def _take(self, lane: _ConfigLane) -> DeliveryItem | None:
        # Under the lock: the lane's next item goes to the worker.
        if not lane.items:
            lane.busy = False
            return None
        lane.busy = True
        self._queued -= 1
        item = lane.items.popleft()
        self._bytes -= item.size
        self._active += 1
        return item

    # Running -----------------------------------------------------------------

    def _attempt(self, item: DeliveryItem) -> None:
        item.attempts += 1
        if not item.started:
            item.started = time.time()
        t0 = time.perf_counter()
        with self._lock:
            self._running.add(item)

        def work() -> str | None:
            return item.run(item, item.payload)

        try:
            future = self._worker.submit_job(
                item.owner,
                work,
                timeout=item.timeout,
                record=False,
                signal=item.signal,
                config=item.config,
                # From the previous delivery's callback: nothing waits for it.
                chain=True,
            )
        except RuntimeError:
            with self._lock:
                self._running.discard(item)
            self._finish(item, "skipped", "Not delivered: the app was quitting", "")
            return
        future.add_done_callback(lambda f: self._attempted(item, f, t0))

    def _attempted(self, item: DeliveryItem, future: Future[Any], t0: float) -> None:
        item.duration += time.perf_counter() - t0
        with self._lock:
            if item not in self._running:
                return  # recorded at shutdown already
            self._running.discard(item)
        if future.cancelled():
            self._finish(item, "skipped", "Not delivered: the app was quitting", "")
            return
        error = future.exception()
        if error is None:
            result = future.result()
            self._finish(item, "ok", "" if result is None else str(result), "")
            return
        if isinstance(error, BackgroundTimeoutError):
            outcome = "timed_out"
            message = f"No answer within {error.timeout:g} s"
        else:
            outcome = "failed"
            message = (
                str(error)
                if isinstance(error, _ReportedFailure)
                else describe_error(error)
            )
        retryable = getattr(error, "retryable", True) is not False
        if retryable and item.attempts <= item.retries:
            if not self._closed:
                self._retry_later(item, item.backoff * 2 ** (item.attempts - 1))
                return
            message = f"{message} (not retried: the app was quitting)"
        details = (
            ""
            if outcome == "timed_out" or isinstance(error, _ReportedFailure)
            else format_traceback(error)
        )
        if item.attempts > 1:
            message = f"{message} (after {item.attempts} attempts)"
        self._finish(item, outcome, message, details)

    def _finish(
        self, item: DeliveryItem, outcome: str, message: str, details: str
    ) -> None:
        # The payload is summarised on the writer thread: the worker goes on
        # to this configuration's next delivery.
        self._log.record(
            item.config,
            item.signal,
            item.payload,
            outcome,
            message,
            started=item.started or time.time(),
            duration=item.duration,
            attempts=item.attempts,
            details=details,
        )
        item.settle(outcome)
        with self._lock:
            self._active -= 1
            lane = self._lanes.get(item.config.id)
            following = (
                self._take(lane) if lane is not None and not self._closed else None
            )
            if lane is not None and not lane.items and not lane.busy:
                del self._lanes[item.config.id]
            if not self._active and not self._queued:
                self._idle.notify_all()
        if following is not None:
            self._attempt(following)

    def _skip(self, item: DeliveryItem, reason: str) -> None:
        # The configurations of one event share its payload: summarised
        # once, not once per configuration the queue has no room for.
        last = self._last_summary
        if last[0] is item.payload:
            text = last[1]
        else:
            text = summarize_payload(item.payload, SKIPPED_PAYLOAD)
            self._last_summary = (item.payload, text)
        self._log.record(item.config, item.signal, text, "skipped", reason, attempts=0)
        item.settle("skipped")

    # Retries -------------------------------------------------------------------

    def _retry_later(self, item: DeliveryItem, delay: float) -> None:
        with self._lock:
            heapq.heappush(
                self._timers, (time.monotonic() + delay, next(self._timer_seq), item)
            )
            if self._timer_thread is None:
                self._timer_thread = threading.Thread(
                    target=self._timer_loop, name="desktop-app-retries", daemon=True
                )
                self._timer_thread.start()
            self._timer_wake.notify()

    def _timer_loop(self) -> None:
        while True:
            with self._lock:
                while True:
                    if self._closed:
                        return
                    if self._timers:
                        remaining = self._timers[0][0] - time.monotonic()
                        if remaining <= 0:
                            item = heapq.heappop(self._timers)[2]
                            break
                        self._timer_wake.wait(remaining)
                    else:
                        self._timer_wake.wait()
            self._attempt(item)

    # Waiting and stopping --------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether any delivery is queued, running or waiting to retry."""
        with self._lock:
            return bool(self._queued or self._active)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no delivery is queued, running or waiting to retry."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._queued or self._active:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def close_running(self) -> int:
        """Record the deliveries still running once the worker stopped
        waiting for them (the app is quitting without them).

        Returns:
            int: How many.
        """
        with self._lock:
            running = list(self._running)
            self._running.clear()
        for item in running:
            item.duration += 0.0
            self._finish(item, "failed", "Did not finish before the app quit", "")
        return len(running)

    def close(self) -> int:
        """Stop: every waiting delivery (queued, or waiting to retry) is
        recorded as not delivered. Deliveries running now finish (or are
        abandoned by the worker) and are recorded then.

        Returns:
            int: How many were recorded as not delivered.
        """
        with self._lock:
            if self._closed:
                return 0
            self._closed = True
            waiting = [item for lane in self._lanes.values() for item in lane.items]
            for lane in self._lanes.values():
                lane.items.clear()
            self._queued = 0
            self._bytes = 0
            retrying = [entry[2] for entry in self._timers]
            self._timers.clear()
            self._active -= len(retrying)
            self._timer_wake.notify_all()
            self._idle.notify_all()
        for item in waiting:
            self._skip(item, "Not delivered: the app was quitting")
        for item in retrying:
            self._log.record(
                item.config,
                item.signal,
                item.payload,
                "failed",
                f"Not retried: the app was quitting (after {item.attempts} attempts)",
                started=item.started,
                duration=item.duration,
                attempts=item.attempts,
            )
            item.settle("failed")
        return len(waiting) + len(retrying)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MiB"
    return f"{max(1, size // 1024)} KiB"


def approx_size(value: Any, _depth: int = 0) -> int:
    """A cheap estimate of the memory a payload holds: text and bytes by
    length, containers by their items (three levels deep), others as 64."""
    if isinstance(value, (str, bytes, bytearray)):
        return 64 + len(value)
    if _depth < 3:
        if isinstance(value, dict):
            return 64 + sum(
                approx_size(k, _depth + 1) + approx_size(v, _depth + 1)
                for k, v in value.items()
            )
        if isinstance(value, (list, tuple, set, frozenset)):
            return 64 + sum(approx_size(v, _depth + 1) for v in value)
    return 64


def run_scoped(
    owner: Any, callback: Callable[..., Any]
) -> Callable[[DeliveryItem, dict[str, Any]], str | None]:
    """Wrap ``callback(config, **payload)`` so ``report()`` inside it sets
    the message (or failure) of its delivery."""

    def run(item: DeliveryItem, payload: dict[str, Any]) -> str | None:
        config = item.config
        reported: list[tuple[str, str, bool, str]] = []

        def finish(
            cfg: Any, outcome: str, message: str, details: str, *_: float
        ) -> None:
            reported.append((outcome, message, outcome == "ok", details))

        scope = HandlerScope(owner, finish, only_config_id=config.id, on_worker=True)
        scope.event_time = item.event_time
        with scope:
            scope.enter(config)
            result = callback(config, **payload)
        if reported and scope.visited:
            outcome, message, ok, _details = reported[0]
            if not ok:
                raise _ReportedFailure(message or "The integration reported a failure")
            if message:
                return message
        return None if result is None else str(result)

    return run


class _ReportedFailure(Exception):
    """``report(config, ok=False)`` inside a callback: not retried."""

    retryable = False
