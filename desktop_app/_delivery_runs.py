"""Identical deliveries in a row, counted in one record.

A configuration that gets the same answer for every event ("HTTP 200"), or
whose events are skipped for the same reason while its queue is full, would
otherwise fill its history (and the Activity panel) with thousands of equal
rows, push out the ones that explain a problem, and cost the writer thread
a record, an activity row and a database row each, competing with the
window for the interpreter in a burst. Such deliveries are counted instead:
one record with ``repeats`` and the time of the last one (see
``Delivery.repeats``).

Two places count: the writer, over the records waiting in one cycle
(:py:func:`group_runs`, before anything is built), and the store, when a
cycle's record continues the row stored in the cycle before
(:py:func:`countable`, :py:func:`continues`, :py:func:`grown`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from desktop_app._told import (
    ATTEMPTS,
    DETAILS,
    MESSAGE,
    OUTCOME,
    SIGNAL,
    STARTED,
    WHO,
    Told,
    is_told,
)
from desktop_app.store._records import Delivery

__all__ = ["RUN_WINDOW", "continues", "countable", "group_runs", "grown"]

#: Seconds one record keeps counting a run of identical deliveries of a
#: configuration; the next one starts a new record, so the history still
#: shows when things ran.
RUN_WINDOW = 60.0


def _plain(outcome: str, attempts: int, details: str) -> bool:
    """Nothing to tell beyond its outcome and message: delivered at the
    first attempt, or skipped; no technical details."""
    if details:
        return False
    return outcome == "skipped" or (outcome == "ok" and attempts <= 1)


def group_runs(items: Iterable[Any]) -> list[Any]:
    """The queue items of one writer cycle, with each configuration's
    identical plain deliveries in a row gathered into one list.

    Args:
        items: Queue items in the order they came: single records
            (``desktop_app._told``) and others (a handler run's batch),
            which are passed through and end every open run.

    Returns:
        list: Items in their order, a run standing at its first one's place
        as a list of records (one record alone stays itself).
    """
    out: list[Any] = []
    #: Per configuration id, the open run (a list in ``out``).
    open_runs: dict[int, list[Told]] = {}
    for item in items:
        if not is_told(item):
            open_runs.clear()
            out.append(item)
            continue
        record: Told = item
        config_id = record[WHO][0]
        if not _plain(record[OUTCOME], record[ATTEMPTS], record[DETAILS]):
            open_runs.pop(config_id, None)
            out.append(record)
            continue
        run = open_runs.get(config_id)
        if run is not None:
            first = run[0]
            if (
                first[WHO] == record[WHO]
                and first[SIGNAL] == record[SIGNAL]
                and first[OUTCOME] == record[OUTCOME]
                and first[MESSAGE] == record[MESSAGE]
                and abs(record[STARTED] - first[STARTED]) < RUN_WINDOW
            ):
                run.append(record)
                continue
        run = open_runs[config_id] = [record]
        out.append(run)
    return [item[0] if type(item) is list and len(item) == 1 else item for item in out]


def countable(delivery: Delivery) -> bool:
    """Whether a stored record can count more deliveries like it."""
    return _plain(delivery.outcome, delivery.attempts, delivery.details)


def continues(run: Delivery, delivery: Delivery) -> bool:
    """Whether ``delivery`` joins the run ``run`` (a countable row).

    Handlers on the worker finish out of order: a delivery that started a
    little before the run's first one still joins it.
    """
    return (
        run.signal == delivery.signal
        and run.outcome == delivery.outcome
        and run.message == delivery.message
        and run.config_name == delivery.config_name
        and abs(delivery.time - run.time) < RUN_WINDOW
    )


def grown(run: Delivery, delivery: Delivery) -> Delivery:
    """``run`` counting ``delivery`` too (its payload is the latest)."""
    latest = max(run.latest, delivery.latest)
    return run._replace(
        time=min(run.time, delivery.time),
        repeats=run.repeats + delivery.repeats,
        last_time=latest,
        duration=delivery.duration,
        payload=delivery.payload if delivery.latest >= run.latest else run.payload,
    )
