"""Send a burst of events as fast as possible and see what the app makes of it.

Usage: ``python -m stress.event_burst`` (from the checkout; ``--events``,
``--configs``). Everything runs in this process, on a temporary data folder,
with the built-in *Event file* integration: each event is one background
delivery per enabled configuration, appending a JSON line to that
configuration's file. The lines in the files are the ground truth of what was
delivered; the activity log is what the user is shown.

Two phases, each on a fresh manager:

1. **Drain.** Send the burst, wait for the background worker to drain, and
   report the peak memory (``VmHWM``, reset just before the burst where the
   kernel allows it) and its increase over the resident size before the
   burst, how long the sending and the draining took, how many lines were
   written, how many deliveries were recorded, and how many activity rows are
   still kept (the log is a ring buffer).
2. **Exit while busy.** Send the burst again and shut the manager down at
   once, as quitting the app mid-burst would: how long shutting down took,
   how many deliveries were done, how many were not (each with a record
   saying so), whether a worker thread was left running, and how many
   delivery records the database holds afterwards.

The delivery queue is bounded (``DeliveryQueue.max_queued`` in all,
``max_per_config`` per configuration): deliveries past the bound are
recorded as skipped, never dropped silently, and counted here.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._memory import reset_peak, status_kib  # noqa: E402
from desktop_app import signals  # noqa: E402
from desktop_app.activity import ActivityRecord, get_activity_log  # noqa: E402
from desktop_app.manager import IntegrationManager  # noqa: E402
from desktop_app.store import ConfigStore, Delivery  # noqa: E402
from integrations.event_file import EventFileIntegration  # noqa: E402

__all__ = ["DrainResult", "ExitResult", "main", "run_drain", "run_exit"]

#: How long the drain phase waits for the worker at most, in seconds: the
#: script must end even if the worker never drains.
DRAIN_LIMIT = 600.0


@dataclass(frozen=True)
class DrainResult:
    """What the drain phase saw.

    Attributes:
        events (int): Events sent.
        expected (int): Deliveries due (events × enabled configurations).
        delivered (int): Lines found in the event files.
        recorded (int): Deliveries with a record made (every one that ran,
            whatever its outcome; a record may count a run of identical
            ones).
        hook_records (int): Activity records made for the signal hook itself
            (one per event, on the sender's thread).
        failed (int): Deliveries recorded as failed or timed out.
        skipped (int): Deliveries recorded as never run (the queue was
            full).
        stored (int): Deliveries the database's rows stand for afterwards
            (bounded per configuration).
        kept (int): Delivery rows still in the activity log, which keeps
            only the newest rows (a row may stand for several deliveries).
        drained (bool): The worker became idle within the limit.
        send_seconds (float): Sending every event (the sender's thread).
        drain_seconds (float): From the first send until the worker was idle.
        rss_before_kib (int): ``VmRSS`` just before the burst.
        peak_kib (int): ``VmHWM`` after the burst.
        peak_reset (bool): Whether ``VmHWM`` could be reset before the burst
            (otherwise it may be the peak of something earlier).
    """

    events: int
    expected: int
    delivered: int
    recorded: int
    hook_records: int
    failed: int
    skipped: int
    stored: int
    kept: int
    drained: bool
    send_seconds: float
    drain_seconds: float
    rss_before_kib: int
    peak_kib: int
    peak_reset: bool


@dataclass(frozen=True)
class ExitResult:
    """What shutting down in the middle of a burst did.

    Attributes:
        expected (int): Deliveries due when the burst was sent.
        delivered (int): Lines found in the event files after shutdown.
        recorded (int): Deliveries with a record made (ran or not).
        dropped (int): Deliveries that never ran (``expected - delivered``).
        not_delivered (int): Records saying a delivery never ran (skipped,
            or not retried) because the app was quitting.
        stored (int): Deliveries the database's rows stand for after
            shutdown.
        shutdown_seconds (float): How long ``manager.shutdown()`` took.
        threads_left (int): Worker threads this phase started that are still
            alive after shutdown.
    """

    expected: int
    delivered: int
    recorded: int
    dropped: int
    not_delivered: int
    stored: int
    shutdown_seconds: float
    threads_left: int


def _last_seq() -> int:
    records = get_activity_log().records()
    return records[-1].seq if records else 0


class _Tally:
    """Counts every delivery as its record is made (the activity log keeps
    only the newest rows, and a row may stand for a run of identical
    deliveries), and the activity records made for anything else."""

    def __init__(self) -> None:
        self.deliveries = 0
        self.failed = 0
        self.skipped = 0
        self.other = 0
        self._lock = threading.Lock()

    def __call__(self, deliveries: Sequence[Delivery]) -> None:
        with self._lock:
            for d in deliveries:
                self.deliveries += d.repeats
                self.failed += d.repeats * (d.outcome in ("failed", "timed_out"))
                self.skipped += d.repeats * (d.outcome == "skipped")

    def activity(self, record: ActivityRecord) -> None:
        if record.config_id is None:
            with self._lock:
                self.other += 1

    def follow(self, manager: IntegrationManager) -> Callable[[], None]:
        """Start counting; returns what stops it."""
        stop_deliveries = manager.deliveries.subscribe(self, stored=False)
        stop_activity = get_activity_log().subscribe(self.activity)

        def stop() -> None:
            stop_deliveries()
            stop_activity()

        return stop


def _open(folder: Path, configs: int) -> tuple[IntegrationManager, list[Path]]:
    manager = IntegrationManager(folder / "configs.sqlite3", watch_interval=None)
    manager.register_integration_class(EventFileIntegration)
    files = []
    for n in range(configs):
        path = folder / f"events-{n}.log"
        manager.create_config(
            EventFileIntegration,
            name=f"burst {n}",
            enabled=True,
            settings={
                "path": str(path),
                "signals": [signals.test_event.name],
                # Large enough never to rotate: every line stays countable.
                "max_kb": 1024 * 1024,
                "keep": 1,
            },
        )
        files.append(path)
    return manager, files


def _lines(files: list[Path]) -> int:
    total = 0
    for path in files:
        if path.exists():
            with path.open("rb") as f:
                total += sum(1 for _ in f)
    return total


def _stored(folder: Path) -> int:
    """Deliveries the stored rows stand for."""
    with ConfigStore(folder / "configs.sqlite3") as store:
        return sum(d.repeats for d in store.list_deliveries(limit=10_000_000))


def _send(events: int) -> float:
    t0 = time.perf_counter()
    for n in range(events):
        signals.test_event.send(None, message=f"burst {n}", severity="info")
    return time.perf_counter() - t0


def run_drain(folder: Path, events: int = 10_000, configs: int = 3) -> DrainResult:
    """Send ``events`` and wait for every delivery (phase 1)."""
    manager, files = _open(folder, configs)
    tally = _Tally()
    unsubscribe = tally.follow(manager)
    try:
        first = _last_seq()
        rss_before = status_kib("VmRSS")
        reset = reset_peak()
        t0 = time.perf_counter()
        send_seconds = _send(events)
        drained = manager.wait_for_background_work(DRAIN_LIMIT)
        drain_seconds = time.perf_counter() - t0
        peak = status_kib("VmHWM")
        kept_records = [r for r in get_activity_log().records(first) if r.config_id]
        return DrainResult(
            events=events,
            expected=events * configs,
            delivered=_lines(files),
            recorded=tally.deliveries,
            hook_records=tally.other,
            failed=tally.failed,
            skipped=tally.skipped,
            stored=_stored(folder),
            kept=len(kept_records),
            drained=drained,
            send_seconds=send_seconds,
            drain_seconds=drain_seconds,
            rss_before_kib=rss_before,
            peak_kib=peak,
            peak_reset=reset,
        )
    finally:
        unsubscribe()
        manager.shutdown()


def run_exit(folder: Path, events: int = 10_000, configs: int = 3) -> ExitResult:
    """Send ``events`` and shut down at once, with work still queued (phase 2)."""
    before = set(threading.enumerate())
    manager, files = _open(folder, configs)
    tally = _Tally()
    unsubscribe = tally.follow(manager)
    try:
        _send(events)
    finally:
        t0 = time.perf_counter()
        manager.shutdown()
        shutdown_seconds = time.perf_counter() - t0
        unsubscribe()
    delivered = _lines(files)
    # Only this manager's threads: abandoned ones from earlier work in the
    # same process (a test session) are not this burst's.
    threads_left = sum(
        1
        for t in set(threading.enumerate()) - before
        if t.name.startswith("desktop-app-worker")
    )
    return ExitResult(
        expected=events * configs,
        delivered=delivered,
        recorded=tally.deliveries,
        dropped=events * configs - delivered,
        not_delivered=tally.skipped + tally.failed,
        stored=_stored(folder),
        shutdown_seconds=shutdown_seconds,
        threads_left=threads_left,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--configs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        drain_dir = Path(tmp, "drain")
        exit_dir = Path(tmp, "exit")
        drain_dir.mkdir()
        exit_dir.mkdir()
        d = run_drain(drain_dir, args.events, args.configs)
        x = run_exit(exit_dir, args.events, args.configs)
    mib = 1024
    print(
        f"Burst: {d.events} events × {args.configs} configurations = "
        f"{d.expected} deliveries (Event file, pid {os.getpid()})"
    )
    print(
        f"  sent in {d.send_seconds:.2f} s; worker drained: {d.drained}, "
        f"{d.drain_seconds:.2f} s after the first send"
    )
    print(
        f"  delivered {d.delivered} of {d.expected}; {d.recorded} delivery "
        f"records made ({d.failed} failed, {d.skipped} skipped: queue full) and "
        f"{d.hook_records} hook records; {d.kept} still in the activity log, "
        f"{d.stored} stored (bounded per configuration)"
    )
    print(
        f"  memory: RSS {d.rss_before_kib / mib:.1f} MiB before, peak (VmHWM"
        f"{'' if d.peak_reset else ', not reset'}) {d.peak_kib / mib:.1f} MiB, "
        f"+{(d.peak_kib - d.rss_before_kib) / mib:.1f} MiB"
    )
    print(
        f"Exit mid-burst: shutdown took {x.shutdown_seconds:.2f} s; "
        f"{x.delivered} of {x.expected} delivered, {x.dropped} not; "
        f"{x.recorded} delivery records ({x.not_delivered} say not delivered), "
        f"{x.stored} stored; worker threads left: {x.threads_left}"
    )
    ok = (
        d.drained
        and d.delivered + d.skipped == d.expected
        and x.recorded == x.expected
        and x.threads_left == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
