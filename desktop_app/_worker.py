"""The background worker: slow integration work off the caller's thread.

Network calls and file writes done for a signal must never block the thread
that sent it (often the UI thread). Integrations hand such work to
:py:meth:`Integration.run_in_background`, which lands here. Each piece of work
is recorded as activity for its configuration when it finishes.

Integration code may hang (a socket without a timeout, a deadlock). Python
cannot kill a thread, so work that runs past its integration's
``background_timeout`` is *abandoned*: it is recorded as timed out at the
deadline, its future fails with :py:class:`BackgroundTimeoutError`, and a
fresh thread takes the stuck one's place so other deliveries keep flowing.
Threads are daemons, and :py:meth:`BackgroundWorker.shutdown` waits a bounded
time, so a stuck handler never keeps the app from quitting.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol

from desktop_app._containment import describe_error, format_traceback
from desktop_app.activity import (
    OUTCOME_FAILED,
    OUTCOME_OK,
    OUTCOME_TIMEOUT,
    get_activity_log,
)

if TYPE_CHECKING:
    from desktop_app.config import IntegrationConfig

__all__ = ["BackgroundTimeoutError", "BackgroundWorker"]

logger = logging.getLogger(__name__)


class WorkOwner(Protocol):
    """Whose work it is: an integration, or whatever stands for a hook's
    owner (an extension); ``background_timeout`` is read when present."""

    @property
    def integration_id(self) -> str: ...


#: Used when an integration has no (or a nonsensical) ``background_timeout``.
DEFAULT_TIMEOUT = 30.0

#: Deadline entries the watchdog's heap holds before finished ones are
#: dropped from it (then twice what is left, at least this).
_COMPACT_AT = 1024


class BackgroundTimeoutError(TimeoutError):
    """Background work ran past its integration's ``background_timeout``.

    Attributes:
        integration_id (str): Whose work it was.
        timeout (float): The limit, in seconds.
    """

    def __init__(self, integration_id: str, timeout: float) -> None:
        self.integration_id = integration_id
        self.timeout = timeout
        super().__init__(
            f"Background work of {integration_id} did not finish within "
            f"{timeout:g} s and was abandoned"
        )


class _Job:
    """One piece of work and who finished it first: the work or the clock."""

    __slots__ = (
        "integration",
        "config",
        "func",
        "args",
        "kwargs",
        "signal",
        "future",
        "timeout",
        "started",
        "t0",
        "thread",
        "settled",
        "record",
    )

    def __init__(
        self,
        integration: WorkOwner,
        config: IntegrationConfig | None,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        signal: str,
        timeout: float,
    ) -> None:
        self.integration = integration
        self.config = config
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.signal = signal
        self.future: Future[Any] = Future()
        self.timeout = timeout
        self.started = 0.0
        self.t0 = 0.0
        self.thread: threading.Thread | None = None
        #: True once the outcome was recorded (by the work or the watchdog).
        self.settled = False
        #: Whether to record an activity row (deliveries record their own).
        self.record = True

    def release(self) -> None:
        """Let go of the work once it ran: its deadline entry stays in the
        watchdog's heap until the deadline, and must not keep the work's
        arguments (an event's payload) alive that long."""
        self.func = _done_already
        self.args = ()
        self.kwargs = {}


def _done_already() -> None:
    """What a job holds once its work ran (see ``_Job.release``)."""


class BackgroundWorker:
    """A small pool of daemon threads that records what it ran.

    Args:
        max_workers (int): Threads running work at once (abandoned threads
            do not count).
    """

    def __init__(self, max_workers: int = 4) -> None:
        self._max_workers = max_workers
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending: set[Future[Any]] = set()
        self._threads: set[threading.Thread] = set()
        self._idle_threads = 0  # live threads not running a job
        self._queued = 0  # jobs submitted and not yet picked up
        self._deadlines: list[tuple[float, int, _Job]] = []
        self._deadline_seq = itertools.count()
        self._compact_at = _COMPACT_AT
        self._watchdog: threading.Thread | None = None
        self._watchdog_wake = threading.Condition(self._lock)
        self._closed = False
        # Per worker thread, while a finished job's callbacks run: the job
        # they submit (a configuration's next delivery) runs next on this
        # thread, with no hand-over to another one.
        self._follow = threading.local()

    def submit(
        self,
        integration: WorkOwner,
        config: IntegrationConfig | None,
        func: Callable[..., Any],
        *args: Any,
        signal: str = "",
        **kwargs: Any,
    ) -> Future[Any]:
        """Run ``func(*args, **kwargs)`` in the background and record it.

        Raises:
            RuntimeError: The worker was shut down.
        """
        job = _Job(
            integration, config, func, args, kwargs, signal, _timeout_of(integration)
        )
        return self._submit(job)

    def submit_job(
        self,
        owner: WorkOwner,
        func: Callable[[], Any],
        *,
        timeout: float | None = None,
        record: bool = True,
        signal: str = "",
        config: IntegrationConfig | None = None,
        chain: bool = False,
    ) -> Future[Any]:
        """Run ``func()`` in the background with its own time limit.

        Args:
            timeout (float, optional): Seconds before it is abandoned
                (default: the owner's ``background_timeout``).
            record (bool): Record an activity row for it (False when the
                caller records a delivery itself).
            chain (bool): Submitted from the callbacks of a job that just
                finished (a configuration's next delivery): it runs next on
                that job's thread, with no hand-over to another. Only for
                work those callbacks do not wait for.

        Raises:
            RuntimeError: The worker was shut down.
        """
        limit = _timeout_of(owner) if timeout is None or timeout <= 0 else timeout
        job = _Job(owner, config, func, (), {}, signal, limit)
        job.record = record
        return self._submit(job, chain)

    def _submit(self, job: _Job, chain: bool = False) -> Future[Any]:
        follow: list[_Job] | None = (
            getattr(self._follow, "jobs", None) if chain else None
        )
        with self._lock:
            if self._closed:
                raise RuntimeError("The background worker is shut down")
            self._pending.add(job.future)
            if follow is not None and not follow:
                follow.append(job)
            else:
                follow = None
                self._queued += 1
                if (
                    self._queued > self._idle_threads
                    and len(self._threads) < self._max_workers
                ):
                    self._start_thread()
        job.future.add_done_callback(self._done)
        if follow is None:
            self._queue.put(job)
        return job.future

    # Threads ---------------------------------------------------------------

    def _start_thread(self) -> None:
        thread = threading.Thread(
            target=self._loop, name="desktop-app-worker", daemon=True
        )
        self._threads.add(thread)
        self._idle_threads += 1
        thread.start()

    def _loop(self) -> None:
        me = threading.current_thread()
        while True:
            job = self._queue.get()
            with self._lock:
                self._idle_threads -= 1
                if job is None:
                    self._threads.discard(me)
                    return
                self._queued -= 1
            while job is not None:
                follow = (
                    self._run(job, me)
                    if job.future.set_running_or_notify_cancel()
                    else None
                )
                job = follow[0] if follow else None
                if job is not None:
                    with self._lock:
                        mine = me in self._threads and not self._closed
                        if not mine and not self._closed:
                            self._queued += 1
                    if not mine:
                        # Shut down, or this thread was abandoned: the
                        # follow-up goes back to the queue (or is dropped
                        # like all queued work).
                        if self._closed:
                            job.future.cancel()
                        else:
                            self._queue.put(job)
                        job = None
            with self._lock:
                if me not in self._threads:
                    return  # abandoned while stuck; a replacement took over
                self._idle_threads += 1

    def _run(self, job: _Job, me: threading.Thread) -> list[_Job]:
        """Run the job; return the job its callbacks submitted, if any."""
        job.thread = me
        job.started = time.time()
        job.t0 = time.perf_counter()
        self._arm(job)
        follow: list[_Job] = []
        try:
            result = job.func(*job.args, **job.kwargs)
        except BaseException as e:  # noqa: B036 - SystemExit would end the thread
            job.release()
            # No signal reaches this thread: whatever arrives is the work's.
            if self._settle(job):
                logger.error(
                    "Background work of %s for config %s failed",
                    job.integration.integration_id,
                    _config_id(job),
                    exc_info=e,
                )
                self._record(
                    job, OUTCOME_FAILED, describe_error(e), format_traceback(e)
                )
                if not isinstance(e, Exception):
                    # Futures refuse BaseExceptions; keep the cause.
                    failure = RuntimeError(describe_error(e))
                    failure.__cause__ = e
                    e = failure
                self._follow.jobs = follow
                try:
                    job.future.set_exception(e)
                finally:
                    self._follow.jobs = None
            return follow
        job.release()
        if self._settle(job):
            self._record(job, OUTCOME_OK)
            self._follow.jobs = follow
            try:
                job.future.set_result(result)
            finally:
                self._follow.jobs = None
        else:
            logger.warning(
                "Abandoned background work of %s finished after all",
                job.integration.integration_id,
            )
        return follow

    def _settle(self, job: _Job) -> bool:
        with self._lock:
            if job.settled:
                return False
            job.settled = True
            return True

    # Deadlines -------------------------------------------------------------

    def _arm(self, job: _Job) -> None:
        with self._lock:
            deadline = job.t0 + job.timeout
            entry = (deadline, next(self._deadline_seq), job)
            heapq.heappush(self._deadlines, entry)
            if len(self._deadlines) > self._compact_at:
                # Finished jobs wait in the heap until their deadline; a
                # steady stream of quick jobs would grow it without end.
                self._deadlines = [e for e in self._deadlines if not e[2].settled]
                heapq.heapify(self._deadlines)
                self._compact_at = max(_COMPACT_AT, 2 * len(self._deadlines))
            if self._watchdog is None:
                self._watchdog = threading.Thread(
                    target=self._watch, name="desktop-app-watchdog", daemon=True
                )
                self._watchdog.start()
            # The watchdog sleeps until the earliest deadline: wake it only
            # when this one is earlier (a thread woken per job costs every
            # delivery a switch of the interpreter lock).
            if self._deadlines[0] is entry:
                self._watchdog_wake.notify()

    def _watch(self) -> None:
        while True:
            with self._lock:
                while True:
                    if self._closed and not self._deadlines:
                        return
                    while self._deadlines and self._deadlines[0][2].settled:
                        heapq.heappop(self._deadlines)
                    if not self._deadlines:
                        self._watchdog_wake.wait(1.0)
                        continue
                    remaining = self._deadlines[0][0] - time.perf_counter()
                    if remaining <= 0:
                        job = heapq.heappop(self._deadlines)[2]
                        job.settled = True
                        self._abandon(job)
                        break
                    self._watchdog_wake.wait(remaining)
            self._time_out(job)

    def _abandon(self, job: _Job) -> None:
        # Under the lock: the stuck thread no longer counts, and a new one
        # takes its place when there is work it would have picked up.
        if job.thread is not None:
            self._threads.discard(job.thread)
        if not self._closed and len(self._threads) < self._max_workers:
            self._start_thread()

    def _time_out(self, job: _Job) -> None:
        stack = ""
        ident = job.thread.ident if job.thread else None
        frame = sys._current_frames().get(ident) if ident is not None else None
        if frame is not None:
            stack = "Stuck at:\n" + "".join(traceback.format_stack(frame))
        error = BackgroundTimeoutError(job.integration.integration_id, job.timeout)
        logger.error("%s", error)
        self._record(job, OUTCOME_TIMEOUT, str(error), stack)
        job.future.set_exception(error)

    # Bookkeeping -----------------------------------------------------------

    def _record(self, job: _Job, outcome: str, error: str = "", tb: str = "") -> None:
        if not job.record:
            return
        config = job.config
        get_activity_log().record(
            job.signal,
            job.integration.integration_id,
            job.started,
            time.perf_counter() - job.t0,
            outcome,
            error,
            tb,
            config.id if config is not None else None,
            config.name if config is not None else None,
        )

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)
            if not self._pending:
                self._idle.notify_all()

    @property
    def busy(self) -> bool:
        """Whether any work is queued or running (abandoned work is not)."""
        with self._lock:
            return bool(self._pending)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no work is queued or running.

        Returns:
            bool: True if idle, False if the timeout ran out first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._pending:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def shutdown(self, wait: bool = True, timeout: float = 1.0) -> bool:
        """Stop accepting work, drop queued work, and wait a bounded time
        for running work.

        Args:
            wait (bool): Wait for running work at all.
            timeout (float): At most this many seconds; work still running
                then is abandoned (its daemon thread cannot keep the process
                alive).

        Returns:
            bool: True when nothing was left running.
        """
        with self._lock:
            if self._closed:
                return not self._pending
            self._closed = True
            threads = list(self._threads)
            self._watchdog_wake.notify_all()
        while True:  # cancel what never started
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                with self._lock:
                    self._queued -= 1
                job.future.cancel()
        for _ in threads:
            self._queue.put(None)
        if not wait:
            return not self._pending
        end = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, end - time.monotonic()))
        return self.wait(max(0.0, end - time.monotonic()))


def _timeout_of(integration: Any) -> float:
    value = getattr(integration, "background_timeout", DEFAULT_TIMEOUT)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def _config_id(job: _Job) -> int | None:
    return job.config.id if job.config is not None else None
