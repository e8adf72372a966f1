"""Recording deliveries: made on any thread, stored off the event path.

:py:meth:`DeliveryLog.record` only puts a tuple on a queue; one writer
thread builds the records (payload summary, activity row) and stores what
has gathered in one transaction per batch
(and prunes each configuration's oldest rows in it), then tells
subscribers. Deliveries another process stored (``desktop-app fire``) are
picked up by :py:meth:`DeliveryLog.poll_external`, which the change watcher
calls when the database changed but no configuration did.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from desktop_app._delivery_runs import (
    continues,
    countable,
    group_runs,
    grown,
)
from desktop_app._payload import summarize_payload
from desktop_app._run_tally import RunTally
from desktop_app._told import (
    ATTEMPTS,
    DURATION,
    MESSAGE,
    OUTCOME,
    PAYLOAD,
    SIGNAL,
    STARTED,
    WHO,
    Told,
    Who,
    told,
    who_of,
)
from desktop_app.activity import get_activity_log, scrub_secrets
from desktop_app.errors import StoreError
from desktop_app.store._records import Delivery, DeliveryStatus

if TYPE_CHECKING:
    from desktop_app.store import ConfigStore

__all__ = ["KEEP_PER_CONFIG", "DeliveryLog"]

logger = logging.getLogger(__name__)

#: Deliveries kept per configuration; older ones are pruned as new ones land.
KEEP_PER_CONFIG = 500

#: A configuration is pruned each time it gained this many deliveries.
PRUNE_EVERY = 50

#: Most deliveries stored in one transaction.
BATCH = 5000

#: Seconds the writer lets deliveries gather after the first of a batch:
#: each transaction ends with a sync to disk, and a burst of events is far
#: cheaper stored in a few large transactions than in many small ones.
GATHER = 0.05

#: Writer cycles a run tally may find nothing before it is retired.
RETIRE_AFTER = 20

#: Activity log outcomes for delivery outcomes (the panel knows these).
_ACTIVITY_OUTCOME = {"timed_out": "timeout"}

Subscriber = Callable[[Sequence[Delivery]], None]

_as_delivery = tuple.__new__

#: Queue item: look at the run tallies now.
_WAKE = object()


class _Flush:
    """Queue item: store everything, then say so (``flush()``)."""

    __slots__ = ("seq",)

    def __init__(self, seq: int) -> None:
        self.seq = seq


class _Batch(NamedTuple):
    """Queue item: one handler run's deliveries (a class, not a plain
    tuple: the queue's plain tuples are single records, see ``_told``)."""

    signal: str
    payload: str | dict[str, Any]
    #: Per configuration: (config, outcome, message, details, started,
    #: duration).
    rows: list[tuple[Any, str, str, str, float, float]]
    #: Configurations simply ok: (configs, started, duration each).
    plain: tuple[list[Any], float, float] | None


class DeliveryLog:
    """Records deliveries into the store through one writer thread.

    Args:
        store (ConfigStore): Where they go; a read-only store keeps them in
            memory only (subscribers still hear of them).
        keep (int): Rows kept per configuration.
    """

    def __init__(self, store: ConfigStore, keep: int = KEEP_PER_CONFIG) -> None:
        self._store = store
        self.keep = keep
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._unwritten = 0
        self._thread: threading.Thread | None = None
        self._closed = False
        self._subscribers: tuple[Subscriber, ...] = ()
        self._recorded: tuple[Subscriber, ...] = ()
        self._own_ids: deque[int] = deque(maxlen=4096)
        self._seen_external = -1
        self._added_since_prune: dict[int, int] = {}
        #: Run tallies by (signal, id of the configurations, reached).
        self._tallies: dict[tuple[str, int, int], RunTally] = {}
        #: Retired tallies a run was counted in after all.
        self._adopted: list[RunTally] = []
        #: Whether the writer looks at the run tallies every GATHER seconds
        #: (set by the writer; read by the event path, which wakes it when
        #: it is not).
        self.busy = False
        #: Per configuration, its newest stored row when that row can count
        #: more identical successes (writer's own).
        self._open_runs: dict[int, Delivery] = {}
        self._flush_seq = 0
        self._flushed = 0

    # Recording -------------------------------------------------------------

    def record(
        self,
        config: Any,
        signal: str,
        payload: dict[str, Any] | str,
        outcome: str,
        message: str = "",
        *,
        started: float | None = None,
        duration: float = 0.0,
        attempts: int = 1,
        details: str = "",
    ) -> None:
        """Record one delivery for ``config`` (a configuration or snapshot).

        Only a tuple is queued here: the payload summary, the record and its
        activity row are made on the writer thread, so the thread that
        delivered (a worker, with the configuration's next delivery
        waiting) goes on at once.
        """
        item = told(
            config,
            signal,
            payload,
            outcome,
            message,
            time.time() if started is None else started,
            duration,
            attempts,
            details,
        )
        with self._lock:
            if self._closed:
                logger.warning(
                    "Delivery for configuration %s recorded after shutdown; not stored",
                    getattr(config, "id", None),
                )
                return
            self._unwritten += 1
            self._ensure_writer()
        self._queue.put(item)

    def record_batch(
        self,
        signal: str,
        payload: str | dict[str, Any],
        rows: list[tuple[Any, str, str, str, float, float]],
        plain: tuple[list[Any], float, float] | None = None,
    ) -> None:
        """Record the deliveries of one handler run (one signal, one payload
        summary): ``(config, outcome, message, details, started, duration)``
        each, and ``plain``: configurations whose delivery was simply ok
        (``configs, started, duration each``). The records are built on the
        writer thread, off the event path."""
        count = len(rows) + (len(plain[0]) if plain is not None else 0)
        with self._lock:
            if self._closed:
                return
            self._unwritten += count
            self._ensure_writer()
        self._queue.put(_Batch(signal, payload, rows, plain))

    def tally(self, signal: str, configs: tuple[Any, ...], visited: int) -> RunTally:
        """The tally counting plain successful runs of a handler on
        ``signal`` that reached the first ``visited`` of ``configs``."""
        key = (signal, id(configs), visited)
        with self._lock:
            tally = self._tallies.get(key)
            if tally is None or tally.retired or tally.configs is not configs:
                tally = self._tallies[key] = RunTally(self, signal, configs, visited)
            self._ensure_writer()
        return tally

    def wake(self) -> None:
        """Have the writer look at the run tallies (after ``GATHER``)."""
        self._queue.put(_WAKE)

    def split(self, tally: RunTally) -> None:
        """Close ``tally``: something else was recorded for its handler, and
        the runs counted after it go to a new tally, so the stored rows keep
        the order in which things happened."""
        key = (tally.signal, id(tally.configs), tally.visited)
        with self._lock:
            if self._tallies.get(key) is tally:
                del self._tallies[key]
            tally.retired = True
            self._adopted.append(tally)

    def adopt(self, tally: RunTally) -> None:
        """A run was counted in a tally the writer had retired: drain it
        once more."""
        with self._lock:
            self._adopted.append(tally)
        self.wake()

    def _ensure_writer(self) -> None:
        # Under the lock.
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._write_loop, name="desktop-app-deliveries", daemon=True
            )
            self._thread.start()

    def _expand(self, item: Told | _Batch) -> list[Delivery]:
        if not isinstance(item, _Batch):
            raw = item[PAYLOAD]
            text = raw if isinstance(raw, str) else summarize_payload(raw)
            # A record's fields are _build's arguments, in its order.
            return [self._build(item[WHO], item[SIGNAL], text, *item[OUTCOME:])]
        signal, raw, rows, plain = item
        payload = raw if isinstance(raw, str) else summarize_payload(raw)
        built = [
            self._build(
                who_of(config),
                signal,
                payload,
                outcome,
                message,
                started,
                duration,
                1,
                details,
            )
            for config, outcome, message, details, started, duration in rows
        ]
        if plain is not None:
            configs, started, duration = plain
            built += [
                self._build(
                    who_of(config), signal, payload, "ok", "", started, duration, 1, ""
                )
                for config in configs
            ]
        return built

    def _expand_all(self, items: list[Told | _Batch]) -> list[Delivery]:
        """The records of one cycle's items, each configuration's identical
        plain deliveries in a row built as one (``desktop_app._delivery_runs``)."""
        built: list[Delivery] = []
        for item in group_runs(items):
            if type(item) is list:
                built.append(self._build_run(item))
            else:
                built.extend(self._expand(item))
        return built

    def _build_run(self, run: list[Told]) -> Delivery:
        """One record for identical deliveries: the first's time, the last's
        payload, their mean duration."""
        first = run[0]
        raw = run[-1][PAYLOAD]
        return self._build(
            first[WHO],
            first[SIGNAL],
            raw if isinstance(raw, str) else summarize_payload(raw),
            first[OUTCOME],
            first[MESSAGE],
            min(r[STARTED] for r in run),
            sum(r[DURATION] for r in run) / len(run),
            first[ATTEMPTS],
            "",
            len(run),
            max(r[STARTED] for r in run),
        )

    def _drain_tallies(self) -> list[Delivery]:
        """One record per configuration for the runs each tally counted
        since the last cycle; retire tallies that stay unused."""
        with self._lock:
            tallies = list(self._tallies.items())
            adopted, self._adopted = self._adopted, []
        taken: list[tuple[RunTally, list[float]]] = []
        for key, tally in tallies:
            times = tally.take()
            if times:
                tally.idle = 0
                taken.append((tally, times))
                continue
            tally.idle += 1
            if tally.idle >= RETIRE_AFTER:
                with self._lock:
                    if self._tallies.get(key) is tally:
                        del self._tallies[key]
                tally.retired = True
                # Taken after the mark: a run counted later sees the mark
                # and has the tally adopted (see desktop_app._run_tally).
                times = tally.take()
                if times:
                    taken.append((tally, times))
        for tally in adopted:
            times = tally.take()
            if times:
                taken.append((tally, times))
        built: list[Delivery] = []
        for tally, times in taken:
            text = summarize_payload(tally.payload)
            last = times[-1] if len(times) > 1 else None
            for config in tally.configs[: tally.visited]:
                built.append(
                    self._build(
                        who_of(config),
                        tally.signal,
                        text,
                        "ok",
                        "",
                        times[0],
                        tally.duration,
                        1,
                        "",
                        len(times),
                        last,
                    )
                )
        return built

    def _build(
        self,
        who: Who,
        signal: str,
        text: str,
        outcome: str,
        message: str,
        started: float,
        duration: float,
        attempts: int,
        details: str,
        repeats: int = 1,
        last_time: float | None = None,
    ) -> Delivery:
        """The record, its activity row, and the unstored subscribers told."""
        if message:
            message = scrub_secrets(message)
        if details:
            details = scrub_secrets(details)
        delivery = _as_delivery(
            Delivery,
            (
                0,
                *who,
                signal,
                started,
                duration,
                outcome,
                message,
                attempts,
                text,
                details,
                repeats,
                last_time,
            ),
        )
        log = get_activity_log()
        if log.enabled:
            # The Activity panel's row for it (a raw row: this runs once per
            # configuration per event).
            shown = outcome != "ok"
            raw = (
                log.next_seq(),
                started,
                signal,
                delivery.integration_id,
                delivery.config_id,
                delivery.config_name,
                duration,
                _ACTIVITY_OUTCOME.get(outcome, outcome),
                # The plain message always ("HTTP 200" too); technical
                # details only with a failure.
                _activity_message(message, repeats),
                details if shown else "",
            )
            log.append(raw)
            if log.subscribers:
                log.notify(raw)
        if self._recorded:
            for callback in self._recorded:
                callback((delivery,))
        return delivery

    def subscribe(
        self, callback: Subscriber, *, stored: bool = True
    ) -> Callable[[], None]:
        """Call ``callback(deliveries)`` for new deliveries.

        Args:
            stored (bool): True: once stored, with their ids, on the writer
                or watcher thread (also deliveries of other processes). A
                stored row that counts more events later (``repeats``) is
                told again, whole, with the same id.
                False: as soon as the writer thread has made them, before
                they are stored (without ids).

        Returns:
            callable: Unsubscribes.
        """
        name = "_subscribers" if stored else "_recorded"
        with self._lock:
            setattr(self, name, (*getattr(self, name), callback))

        def unsubscribe() -> None:
            with self._lock:
                setattr(
                    self,
                    name,
                    tuple(c for c in getattr(self, name) if c is not callback),
                )

        return unsubscribe

    def hold(self) -> Callable[[], None]:
        """Make :py:meth:`flush` wait for a record that is still to come
        (background work of a handler whose delivery ends with it).

        Returns:
            callable: Call it once that record was made (or never will be).
        """
        with self._lock:
            self._unwritten += 1
        released: list[bool] = []

        def release() -> None:
            with self._lock:
                if released:
                    return
                released.append(True)
                self._unwritten -= 1
                if self._unwritten == 0:
                    self._idle.notify_all()

        return release

    # Writing ---------------------------------------------------------------

    def _write_loop(self) -> None:
        while True:
            waited = False
            if self.busy:
                # Runs are being counted: look at the tallies every GATHER
                # seconds, sooner when a record comes.
                try:
                    first = self._queue.get(timeout=GATHER)
                except queue.Empty:
                    first, waited = _WAKE, True
            else:
                first = self._queue.get()
                self.busy = True
            items: list[Told | _Batch] = []
            told = 0  # deliveries the items stand for
            stop = first is None
            flushed = first.seq if isinstance(first, _Flush) else 0
            if first is not None and first is not _WAKE and not flushed:
                items.append(first)
                told += _count_of(first)
            if not (stop or flushed or waited) and self._queue.empty():
                # Let the rest of a burst gather: each transaction ends with
                # a sync to disk. (Releases the interpreter meanwhile.)
                time.sleep(GATHER)
            while told < BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                elif isinstance(item, _Flush):
                    flushed = max(flushed, item.seq)
                elif item is not _WAKE:
                    items.append(item)
                    told += _count_of(item)
            batch = self._expand_all(items)
            runs = self._drain_tallies()
            if batch or runs:
                self._write(batch, runs, told)
            elif self._queue.empty():
                self._go_idle()
            if flushed:
                with self._lock:
                    self._flushed = max(self._flushed, flushed)
                    self._idle.notify_all()
            if stop:
                return

    def _go_idle(self) -> None:
        """Nothing came in a whole cycle: wait for news instead of looking
        every GATHER seconds. A run counted meanwhile read ``busy`` as
        still true and woke nobody: look once more after clearing it."""
        self.busy = False
        with self._lock:
            tallies = [*self._tallies.values(), *self._adopted]
        if any(tally.times for tally in tallies):
            self.busy = True

    def _write(
        self, batch: list[Delivery], runs: Sequence[Delivery] = (), told: int = 0
    ) -> None:
        """Store one cycle's records: ``batch``, standing for ``told``
        deliveries counted in ``_unwritten``, and the tallies' ``runs``."""
        records: Sequence[Delivery] = batch
        if runs:
            records = sorted([*batch, *runs], key=_started)
        inserts, extended, open_insert = self._gather_runs(records)
        stored: Sequence[Delivery] = inserts
        # Pruning a configuration scans its kept rows: do it once it has
        # gained PRUNE_EVERY rows, so the table holds at most that many
        # over the bound per configuration.
        added = self._added_since_prune
        every = max(1, min(PRUNE_EVERY, self.keep // 10))
        prune = []
        for delivery in inserts:
            count = added.get(delivery.config_id, 0) + 1
            if count >= every:
                prune.append(delivery.config_id)
                count = 0
            added[delivery.config_id] = count
        try:
            if not self._store.read_only and not self._store.closed:
                stored = self._store.add_deliveries(
                    inserts, self.keep, set(prune), extended
                )
                self._note_open_runs(stored, len(inserts), open_insert, extended)
        except StoreError as e:
            logger.error("Could not store %d deliveries: %s", len(records), e)
            self._open_runs.clear()
        finally:
            with self._lock:
                self._unwritten -= told
                self._own_ids.extend(d.id for d in stored)
                if self._unwritten == 0:
                    self._idle.notify_all()
        self._notify(stored)

    def _gather_runs(
        self, records: Sequence[Delivery]
    ) -> tuple[list[Delivery], list[tuple[Delivery, int]], dict[int, int]]:
        """Split records into rows to insert and stored rows that count
        them (identical successes in a row, see ``Delivery.repeats``).

        Returns:
            tuple: The rows to insert; ``(row, added)`` for stored rows
            that count more; per configuration, the index of its inserted
            row that can count more.
        """
        inserts: list[Delivery] = []
        #: Per configuration, the index in ``inserts`` of a row that can
        #: count more.
        open_insert: dict[int, int] = {}
        extended: dict[int, tuple[Delivery, int]] = {}
        open_runs = self._open_runs
        for record in records:
            config_id = record.config_id
            if not countable(record):
                inserts.append(record)
                open_insert.pop(config_id, None)
                open_runs.pop(config_id, None)
                continue
            index = open_insert.get(config_id)
            if index is not None:
                if continues(inserts[index], record):
                    inserts[index] = grown(inserts[index], record)
                    continue
            else:
                run = open_runs.get(config_id)
                if run is not None and continues(run, record):
                    longer = grown(run, record)
                    before = extended.get(run.id)
                    added = record.repeats + (before[1] if before else 0)
                    extended[run.id] = (longer, added)
                    open_runs[config_id] = longer
                    continue
            inserts.append(record)
            open_insert[config_id] = len(inserts) - 1
            open_runs.pop(config_id, None)
        return inserts, list(extended.values()), open_insert

    def _note_open_runs(
        self,
        stored: Sequence[Delivery],
        inserted: int,
        open_insert: dict[int, int],
        extended: Sequence[tuple[Delivery, int]],
    ) -> None:
        """Remember this cycle's inserted rows that can count more, with
        their ids; forget extended rows that were gone (pruned, or their
        configuration deleted)."""
        for config_id, index in open_insert.items():
            if index < inserted:
                self._open_runs[config_id] = stored[index]
        kept = {d.id for d in stored[inserted:]}
        for row, _added in extended:
            if row.id not in kept and self._open_runs.get(row.config_id) is row:
                del self._open_runs[row.config_id]

    def _notify(self, deliveries: Sequence[Delivery]) -> None:
        for callback in self._subscribers:
            try:
                callback(deliveries)
            except Exception:
                logger.exception("A delivery subscriber failed")

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every recorded delivery, and every run counted so
        far, is stored.

        Returns:
            bool: False when the time ran out first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            if self._closed:
                return self._unwritten == 0
            if self._thread is None and not self._unwritten:
                return True  # nothing was ever recorded or counted
            self._ensure_writer()
            self._flush_seq += 1
            target = self._flush_seq
        self._queue.put(_Flush(target))
        with self._lock:
            while self._unwritten or self._flushed < target:
                if self._thread is not None and not self._thread.is_alive():
                    return self._unwritten == 0
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                # Short waits: a writer that stops meanwhile says nothing.
                self._idle.wait(0.2 if remaining is None else min(remaining, 0.2))
        return True

    def close(self, timeout: float = 1.0) -> bool:
        """Store what is queued (waiting at most ``timeout``) and stop."""
        with self._lock:
            if self._closed:
                return self._unwritten == 0
            self._closed = True
            thread = self._thread
        if thread is None:
            return True
        self._queue.put(None)
        thread.join(timeout)
        return not thread.is_alive()

    # Other processes -----------------------------------------------------------

    def poll_external(self) -> None:
        """Tell subscribers about deliveries other processes stored."""
        if self._seen_external < 0:
            self._seen_external = self._store.last_delivery_id()
            return
        new = self._store.deliveries_since(self._seen_external)
        if not new:
            return
        self._seen_external = new[-1].id
        with self._lock:
            own = set(self._own_ids)
        external = [d for d in new if d.id not in own]
        if external:
            self._notify(external)

    def start_watching(self) -> None:
        """Remember the newest stored delivery, so that later polls report
        only what comes after it."""
        try:
            self._seen_external = self._store.last_delivery_id()
        except StoreError:
            self._seen_external = 0

    # Reading -----------------------------------------------------------------

    def list(
        self,
        config_id: int | None = None,
        *,
        failed_only: bool = False,
        limit: int = 100,
        before: int | None = None,
    ) -> list[Delivery]:
        """Stored deliveries, newest first (see ``ConfigStore.list_deliveries``)."""
        return self._store.list_deliveries(
            config_id, failed_only=failed_only, limit=limit, before=before
        )

    def statuses(
        self, config_ids: Sequence[int] | None = None
    ) -> dict[int, DeliveryStatus]:
        """Status per configuration id (missing: never ran)."""
        return self._store.delivery_statuses(config_ids)


def _started(delivery: Delivery) -> float:
    return delivery.time


def _count_of(item: Told | _Batch) -> int:
    """How many deliveries a queue item stands for (``_unwritten`` counts
    them)."""
    if not isinstance(item, _Batch):
        return 1
    _signal, _payload, rows, plain = item
    return len(rows) + (len(plain[0]) if plain is not None else 0)


def _activity_message(message: str, repeats: int) -> str:
    """The Activity panel's text for a record (one standing for a run says
    how many)."""
    if repeats <= 1:
        return message
    if message:
        return f"{message} ({repeats:,} events)"
    return f"{repeats:,} events"
