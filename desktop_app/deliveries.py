"""Deliveries: one signal handled for one configuration.

A delivery records when it ran, which signal, which configuration, a
payload summary (secrets scrubbed), how long it took, its outcome (``ok``,
``failed``, ``skipped``, ``timed_out``), a plain message ("HTTP 200"), the
attempts and technical details (the traceback).

Integrations get deliveries in one of three ways:

- :py:class:`desktop_app.hooks.ConfigSignalHook` runs a callback per enabled
  configuration on the worker and records one delivery each;
- an unchanged djblets-style handler that loops over ``self.get_configs()``
  gets one delivery per configuration it visits, failed when it logs an
  error or raises while that configuration is the current one;
- inside such a loop, :py:func:`report` sets the outcome and message of the
  current configuration's delivery explicitly.

The manager stores them (``manager.get_deliveries()``,
``manager.get_delivery_status()``).
"""

from __future__ import annotations

from typing import Any

from desktop_app._attribution import current_scope
from desktop_app.store._records import Delivery, DeliveryStatus

__all__ = [
    "FAILED",
    "OK",
    "SKIPPED",
    "TIMED_OUT",
    "Delivery",
    "DeliveryStatus",
    "event_time",
    "report",
]

OK = "ok"
FAILED = "failed"
SKIPPED = "skipped"
TIMED_OUT = "timed_out"


def report(
    config: Any, *, message: str = "", ok: bool = True, details: str = ""
) -> None:
    """Set the outcome of ``config``'s delivery from inside a handler.

    Call it in a djblets-style loop over ``self.get_configs()`` (or in a
    :py:class:`~desktop_app.hooks.ConfigSignalHook` callback) after the work
    for ``config`` is done: ``report(config, message="HTTP 200")``, or
    ``report(config, ok=False, message="Couldn't reach the server")``.
    Outside a handler it does nothing, so shared code may call it freely.

    Args:
        config: The configuration (snapshot) being processed.
        message (str): The plain message shown to the user.
        ok (bool): Whether the work for this configuration succeeded.
        details (str): Technical details (shown behind "Technical details").
    """
    scope = current_scope()
    if scope is not None:
        scope.report(config, message, ok, details)


def event_time() -> float | None:
    """When the signal being handled was sent (seconds since the epoch), or
    ``None`` outside a handler. The same for every attempt of a delivery, so
    a retried request carries the same body."""
    scope = current_scope()
    return scope.event_time if scope is not None else None
