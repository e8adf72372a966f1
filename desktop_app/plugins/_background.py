"""Importing plugins off the calling thread, each import within a time limit.

One loader thread imports the plugins one after the other; a watchdog
gives each import its time. Only a plugin that overruns costs a thread: it
is abandoned there (Python cannot stop a thread) and a new loader goes on
with the next plugin. Start-up and every reload (Tools → Reload plugins,
the folder watcher) go through here, so no plugin code ever runs on the UI
thread while it imports, and a hung import never hangs the window.

Nothing here touches the plugin manager's state: the caller says what to
import and gets each outcome back through ``deliver``; registration stays
on the caller's thread.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
import types
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["BATCH_INTERVAL", "Batches", "Imported", "import_in_background", "stack_of"]

T = TypeVar("T")


class Imported:
    """The outcome of one plugin's import, handed from its import thread
    to the thread that registers it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.module: types.ModuleType | None = None
        self.error: BaseException | None = None
        self.digest: str | None = None
        #: Set at the deadline; the import's late result is then ignored.
        self.abandoned = False
        self.stack = ""


#: Seconds between two batches handed to the registering thread. Each
#: batch wakes that thread; the list only shows plugins once all are in, so
#: handing them over one at a time would buy nothing but interruptions of
#: the loader (the two threads take turns with the interpreter lock).
BATCH_INTERVAL = 0.2


class Batches(Generic[T]):
    """Outcomes handed from background threads to the registering thread.

    Outcomes are handed over at most every ``interval`` seconds, each time
    everything ready then in one queued call; :py:meth:`flush` (at the end
    of a run) takes the rest. So 200 plugins that import in a blink are
    registered in one go, while a slow run still shows progress: an outcome
    ready after a quiet spell (the first one too, once ``interval`` has
    passed since the run started) is handed over at once.

    Args:
        dispatch (callable): Runs a callable on the registering thread.
        take (callable): Called there with each batch, in order.
        interval (float): Seconds between two hand-overs.
    """

    def __init__(
        self,
        dispatch: Callable[[Callable[[], None]], None],
        take: Callable[[list[T]], None],
        interval: float = BATCH_INTERVAL,
    ) -> None:
        self._dispatch = dispatch
        self._take = take
        self._interval = interval
        self._ready: list[T] = []
        self._lock = threading.Lock()
        #: Whether a hand-over is queued and has not run yet.
        self._queued = False
        self._last = time.monotonic()

    def put(self, item: T) -> None:
        """Hand one outcome over (any thread)."""
        with self._lock:
            self._ready.append(item)
            now = time.monotonic()
            due = not self._queued and now - self._last >= self._interval
            if due:
                self._queued = True
                self._last = now
        if due:
            self._dispatch(self.flush)

    def flush(self) -> None:
        """Take what is ready now (on the registering thread)."""
        with self._lock:
            batch = self._ready[:]
            self._ready.clear()
            self._queued = False
        if batch:
            self._take(batch)


class _Watch:
    """What the watchdog watches (guarded by its condition): the loader
    thread now importing, the import it is in and when its time is up.

    The watchdog sleeps until the deadline of the import it last saw and
    then looks again, so the loader wakes it only when it sleeps with no
    deadline (``idle``) or at the end, not for every plugin: waking it
    would hand it the interpreter lock, 200 times at start-up.
    """

    def __init__(self) -> None:
        self.loader: threading.Thread | None = None
        self.outcome: Imported | None = None
        self.job = 0
        self.deadline = 0.0
        self.over = False
        self.idle = False

    def begin(self, job: int, outcome: Imported, timeout: float) -> None:
        self.job = job
        self.outcome = outcome
        self.deadline = time.monotonic() + timeout


def import_in_background(
    count: int,
    run_import: Callable[[int, Imported], None],
    *,
    timeout: float,
    deliver: Callable[[int, Imported], None],
    end: Callable[[], None],
    before: Callable[[int], None] | None = None,
) -> None:
    """Run ``count`` imports on a loader thread and return at once.

    Args:
        count (int): How many imports (jobs ``0 … count-1``).
        run_import (callable): ``run_import(job, outcome)`` imports one
            plugin, filling ``outcome`` (it must set ``outcome.done`` unless
            the outcome was abandoned meanwhile).
        timeout (float): Seconds each import may take.
        deliver (callable): ``deliver(job, outcome)``, called once per job
            from a background thread: finished, failed or abandoned.
        end (callable): Called from a background thread after the last
            job was delivered.
        before (callable, optional): ``before(job)`` on the loader thread
            just before the job's code runs.
    """
    cond = threading.Condition()
    watch = _Watch()

    def loader(start: int) -> None:
        me = threading.current_thread()
        for job in range(start, count):
            outcome = Imported()
            with cond:
                if watch.loader is not me:
                    return
                watch.begin(job, outcome, timeout)
                if watch.idle:
                    cond.notify()
            if before is not None:
                before(job)
            run_import(job, outcome)
            with cond:
                if watch.loader is not me:
                    return  # the watchdog reported it as too slow
                watch.outcome = None
            deliver(job, outcome)
        with cond:
            if watch.loader is me:
                watch.over = True
                cond.notify()
        end()

    def start_loader(start: int) -> None:
        thread = threading.Thread(
            target=loader, args=(start,), name="desktop-app-plugin-loader", daemon=True
        )
        watch.loader = thread
        thread.start()

    def watchdog() -> None:
        with cond:
            while not watch.over:
                outcome = watch.outcome
                if outcome is None:
                    watch.idle = True
                    cond.wait()
                    watch.idle = False
                    continue
                remaining = watch.deadline - time.monotonic()
                if remaining > 0:
                    cond.wait(remaining)
                    continue
                with outcome.lock:
                    if outcome.done.is_set():
                        # Finished just in time; the loader delivers it.
                        cond.wait(0.01)
                        continue
                    outcome.abandoned = True
                    assert watch.loader is not None
                    outcome.stack = stack_of(watch.loader)
                deliver(watch.job, outcome)
                watch.outcome = None
                start_loader(watch.job + 1)

    with cond:
        start_loader(0)
    threading.Thread(
        target=watchdog, name="desktop-app-plugin-watchdog", daemon=True
    ).start()


def stack_of(thread: threading.Thread) -> str:
    """Where a stuck import thread is, for the plugin's traceback."""
    frame = sys._current_frames().get(thread.ident or -1)
    if frame is None:
        return ""
    return "Stuck at:\n" + "".join(traceback.format_stack(frame))
