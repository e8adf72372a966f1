"""A delivery as ``DeliveryLog.record()`` was told it, waiting for the writer.

In a burst, thousands of these wait in the writer's queue at once (every
delivery the full queue skips is one). They are plain tuples of plain values
(the configuration's id, integration id and name, never the configuration
object; for a delivery that never ran, its payload's summary text), not
instances of a class: CPython's garbage collector stops tracking a plain
tuple of untracked values when it looks at it, so the waiting records never
reach the oldest generation and do not bring on a full collection, a pause
of the whole process (the window included) that grows with everything
alive. (A delivery that ran keeps its payload until the writer summarises
it; the queue's bound keeps those few.) Measured by
``python -m benchmarks --only burst`` (the window's longest stall while
sending); ``tests/core/test_told.py`` checks the records stay untracked.

Fields are read by position, through the names below.
"""

from __future__ import annotations

from typing import Any, Final, TypeGuard

__all__ = [
    "ATTEMPTS",
    "DETAILS",
    "DURATION",
    "MESSAGE",
    "OUTCOME",
    "PAYLOAD",
    "SIGNAL",
    "STARTED",
    "WHO",
    "Told",
    "Who",
    "is_told",
    "told",
    "who_of",
]

#: (configuration id, integration id, the configuration's name then).
Who = tuple[int, str, str]

#: ``(who, signal, payload, outcome, message, started, duration, attempts,
#: details)``; ``payload`` is the event's payload or its summary text.
Told = tuple[Who, str, Any, str, str, float, float, int, str]

WHO: Final = 0
SIGNAL: Final = 1
PAYLOAD: Final = 2
OUTCOME: Final = 3
MESSAGE: Final = 4
STARTED: Final = 5
DURATION: Final = 6
ATTEMPTS: Final = 7
DETAILS: Final = 8


def who_of(config: Any) -> Who:
    """Who a delivery is for, as plain values."""
    return (config.id, config.integration_id, config.name)


def told(
    config: Any,
    signal: str,
    payload: Any,
    outcome: str,
    message: str,
    started: float,
    duration: float,
    attempts: int,
    details: str,
) -> Told:
    """The record of one delivery (a plain tuple, see the module's doc)."""
    return (
        who_of(config),
        signal,
        payload,
        outcome,
        message,
        started,
        duration,
        attempts,
        details,
    )


def is_told(item: object) -> TypeGuard[Told]:
    """Whether a queue item is one delivery's record (the writer's queue
    holds other items too, none of them a plain tuple)."""
    return type(item) is tuple
