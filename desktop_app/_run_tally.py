"""Counting a handler's plain successful runs on the event path.

A djblets-style handler loops over ``get_configs()`` on every event, and
every configuration it reaches gets a delivery. Most runs are alike: the
loop reached the same configurations and nothing went wrong. Building a
record per configuration per event (and storing it) cost many times the
event itself, on the sending thread or on the writer competing with it for
the interpreter. So such a run only appends its event time to the
:py:class:`RunTally` of its (signal, configurations, how many were reached),
and the delivery writer turns what gathered into one record per
configuration, counting the runs (``Delivery.repeats``).

No lock on the event path: ``list.append`` and ``del list[:n]`` are each
atomic, so the writer takes exactly the times it read. A tally that went
unused is retired by the writer, which drains it *after* marking it; a
run that appends to it afterwards sees the mark and hands it back
(:py:meth:`DeliveryLog.adopt <desktop_app._delivery_log.DeliveryLog.adopt>`),
so no run is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app._delivery_log import DeliveryLog

__all__ = ["RunTally"]


class RunTally:
    """Plain successful runs of one handler over the same configurations.

    Args:
        log (DeliveryLog): Where the runs are stored.
        signal (str): The signal's name.
        configs (tuple): What the handler's ``get_configs()`` returned.
        visited (int): How many of them its loop reached.
    """

    __slots__ = (
        "configs",
        "duration",
        "idle",
        "log",
        "payload",
        "retired",
        "signal",
        "times",
        "visited",
    )

    def __init__(
        self, log: DeliveryLog, signal: str, configs: tuple[Any, ...], visited: int
    ) -> None:
        self.log = log
        self.signal = signal
        self.configs = configs
        self.visited = visited
        #: When each run's event was sent, oldest first: appended by the
        #: event path (``HubRun.call``, which then wakes the writer unless
        #: it is busy, and has the tally adopted when it was retired),
        #: taken by the writer.
        self.times: list[float] = []
        #: The latest run's payload (summarised by the writer).
        self.payload: dict[str, Any] = {}
        #: The latest run's time per configuration, in seconds.
        self.duration = 0.0
        #: Set by the writer when it stops draining this tally.
        self.retired = False
        #: Writer drains in a row that found nothing (the writer's own).
        self.idle = 0

    def take(self) -> list[float]:
        """The event times gathered since the last call (writer only)."""
        count = len(self.times)
        taken = self.times[:count]
        del self.times[:count]
        return taken
