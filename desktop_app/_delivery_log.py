"""Recording deliveries: made on any thread, stored off the event path.

:py:meth:`DeliveryLog.record` only builds a tuple and puts it on a queue;
one writer thread stores what has gathered in one transaction per batch
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
from typing import TYPE_CHECKING, Any

from desktop_app._payload import summarize_payload
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

#: Activity log outcomes for delivery outcomes (the panel knows these).
_ACTIVITY_OUTCOME = {"timed_out": "timeout"}

Subscriber = Callable[[Sequence[Delivery]], None]

_as_delivery = tuple.__new__

#: One handler run's deliveries: signal, payload summary, and per
#: configuration (config, outcome, message, details, started, duration).
_Batch = tuple[
    str,
    str | dict[str, Any],
    list[tuple[Any, str, str, str, float, float]],
    tuple[list[Any], float, float] | None,
]


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
        self._queue: queue.SimpleQueue[Delivery | _Batch | None] = queue.SimpleQueue()
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
    ) -> Delivery:
        """Record one delivery for ``config`` (a configuration or snapshot).

        Returns:
            Delivery: The record (``id`` 0: it is stored later).
        """
        text = payload if isinstance(payload, str) else summarize_payload(payload)
        delivery = self._build(
            config,
            signal,
            text,
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
                    delivery.config_id,
                )
                return delivery
            self._unwritten += 1
            self._ensure_writer()
        self._queue.put(delivery)
        return delivery

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
        self._queue.put((signal, payload, rows, plain))

    def _ensure_writer(self) -> None:
        # Under the lock.
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._write_loop, name="desktop-app-deliveries", daemon=True
            )
            self._thread.start()

    def _expand(self, item: Delivery | _Batch) -> list[Delivery]:
        if isinstance(item, Delivery):
            return [item]
        signal, raw, rows, plain = item
        payload = raw if isinstance(raw, str) else summarize_payload(raw)
        built = [
            self._build(
                config, signal, payload, outcome, message, started, duration, 1, details
            )
            for config, outcome, message, details, started, duration in rows
        ]
        if plain is not None:
            configs, started, duration = plain
            built += [
                self._build(config, signal, payload, "ok", "", started, duration, 1, "")
                for config in configs
            ]
        return built

    def _build(
        self,
        config: Any,
        signal: str,
        text: str,
        outcome: str,
        message: str,
        started: float,
        duration: float,
        attempts: int,
        details: str,
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
                config.id,
                config.integration_id,
                config.name,
                signal,
                started,
                duration,
                outcome,
                message,
                attempts,
                text,
                details,
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
                message,
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
                or watcher thread (also deliveries of other processes).
                False: at once, unstored, on the thread that recorded them.

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
            first = self._queue.get()
            batch: list[Delivery] = []
            stop = first is None
            if first is not None:
                batch.extend(self._expand(first))
                if self._queue.empty():
                    time.sleep(GATHER)  # releases the interpreter meanwhile
            while len(batch) < BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    continue
                batch.extend(self._expand(item))
            if batch:
                self._write(batch)
            if stop:
                return

    def _write(self, batch: list[Delivery]) -> None:
        stored: Sequence[Delivery] = batch
        # Pruning a configuration scans its kept rows: do it once it has
        # gained PRUNE_EVERY rows, so the table holds at most that many
        # over the bound per configuration.
        added = self._added_since_prune
        every = max(1, min(PRUNE_EVERY, self.keep // 10))
        prune = []
        for delivery in batch:
            count = added.get(delivery.config_id, 0) + 1
            if count >= every:
                prune.append(delivery.config_id)
                count = 0
            added[delivery.config_id] = count
        try:
            if not self._store.read_only and not self._store.closed:
                stored = self._store.add_deliveries(batch, self.keep, set(prune))
        except StoreError as e:
            logger.error("Could not store %d deliveries: %s", len(batch), e)
        finally:
            with self._lock:
                self._unwritten -= len(batch)
                self._own_ids.extend(d.id for d in stored)
                if self._unwritten == 0:
                    self._idle.notify_all()
        self._notify(stored)

    def _notify(self, deliveries: Sequence[Delivery]) -> None:
        for callback in self._subscribers:
            try:
                callback(deliveries)
            except Exception:
                logger.exception("A delivery subscriber failed")

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every recorded delivery is stored.

        Returns:
            bool: False when the time ran out first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._unwritten:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining)
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
