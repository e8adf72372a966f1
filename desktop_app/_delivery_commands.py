"""The command line's delivery commands: ``deliveries`` and ``retry``.

``deliveries`` reads the stored history without loading plugins (it only
needs the database); ``retry`` loads them, since the delivery is sent again
by the integration's own code.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from desktop_app._commands import CommandError, _escaped, open_app
from desktop_app._durations import human_duration

if TYPE_CHECKING:
    from desktop_app.store import Delivery

__all__ = ["cmd_deliveries", "cmd_retry", "delivery_line"]

#: How an outcome reads on a line.
_OUTCOME_WORDS = {
    "ok": "ok",
    "failed": "FAILED",
    "timed_out": "TIMED OUT",
    "skipped": "skipped",
}


def delivery_line(delivery: Delivery) -> str:
    """One line for a delivery: id, time, configuration, signal, outcome,
    duration and message (control characters escaped)."""
    when = datetime.fromtimestamp(delivery.time).strftime("%Y-%m-%d %H:%M:%S")
    outcome = _OUTCOME_WORDS.get(delivery.outcome, delivery.outcome)
    line = (
        f"#{delivery.id}  {when}  {_escaped(delivery.config_name)} "
        f"(config {delivery.config_id})  {_escaped(delivery.signal)}  {outcome}"
        f"  {human_duration(delivery.duration)}"
    )
    if delivery.repeats > 1:
        last = datetime.fromtimestamp(delivery.latest).strftime("%H:%M:%S")
        line += f"  {delivery.repeats:,} times in a row (the last at {last})"
    if delivery.attempts > 1:
        line += f"  {delivery.attempts} attempts"
    if delivery.message:
        line += f"  {_escaped(' '.join(delivery.message.split()))}"
    return line


def cmd_deliveries(
    data_dir: str | None,
    config_id: int | None,
    failed_only: bool,
    limit: int,
    out: TextIO = sys.stdout,
    *,
    read_only: bool = False,
) -> int:
    """Print stored deliveries, newest first.

    Returns:
        int: 0 (1 when the configuration asked for does not exist).
    """
    from desktop_app._paths import DataPaths, resolve_data_dir
    from desktop_app._startup import open_app_store
    from desktop_app.manager import IntegrationManager

    paths = DataPaths(resolve_data_dir(data_dir))
    store, notices = open_app_store(paths, read_only=read_only)
    for notice in notices:
        print(f"desktop-app: warning: {notice}", file=sys.stderr)
    manager = IntegrationManager(store, watch_interval=None)
    try:
        if config_id is not None and not store.list_deliveries(config_id, limit=1):
            from desktop_app.errors import ConfigNotFoundError

            try:
                manager.get_config(config_id)
            except ConfigNotFoundError:
                raise CommandError(
                    f"there is no configuration {config_id}", status=1
                ) from None
        rows = manager.get_deliveries(config_id, failed_only=failed_only, limit=limit)
    finally:
        manager.shutdown()
    if not rows:
        what = "failed deliveries" if failed_only else "deliveries"
        print(f"No {what} recorded yet.", file=out)
    for row in rows:
        print(delivery_line(row), file=out)
    return 0


def cmd_retry(
    data_dir: str | None,
    delivery_id: int,
    timeout: float,
    out: TextIO = sys.stdout,
    *,
    safe_mode: bool = False,
) -> int:
    """Send a stored delivery again to its configuration and print the new
    delivery.

    Returns:
        int: 0 when it succeeded, 1 when it failed, timed out or could not
        be sent.
    """
    from concurrent.futures import TimeoutError as FutureTimeout

    from desktop_app.errors import DeliveryActionError

    with open_app(data_dir, safe_mode=safe_mode) as (manager, _plugins):
        made: list[Delivery] = []
        unsubscribe = manager.deliveries.subscribe(made.extend)
        try:
            future = manager.retry_delivery(delivery_id)
        except DeliveryActionError as e:
            raise CommandError(str(e), status=1) from None
        deadline = time.monotonic() + timeout
        try:
            outcome: Any = future.result(timeout)
        except FutureTimeout:
            outcome = None
        manager.wait_for_background_work(max(0.0, deadline - time.monotonic()))
        unsubscribe()
    for delivery in made:
        print(delivery_line(delivery), file=out)
    if outcome is None:
        print(f"The retry did not finish within {timeout:g} s.", file=out)
        return 1
    return 0 if outcome == "ok" else 1


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


def add_parsers(commands: Any, common: Any, seconds: Any) -> None:
    """Add ``deliveries`` and ``retry`` to the command line's subparsers."""
    listing = commands.add_parser(
        "deliveries",
        parents=[common],
        help="list stored deliveries",
        description="List the deliveries stored in the database, newest first: "
        "one signal handled for one configuration, with its outcome and message.",
    )
    listing.add_argument(
        "--config",
        type=positive_int,
        metavar="ID",
        help="only this configuration's deliveries",
    )
    listing.add_argument(
        "--failed", action="store_true", help="only failed and timed-out deliveries"
    )
    listing.add_argument(
        "--limit",
        type=positive_int,
        default=50,
        metavar="N",
        help="at most N deliveries (default: 50)",
    )
    retry = commands.add_parser(
        "retry",
        parents=[common],
        help="send a stored delivery again",
        description="Load plugins and send a stored delivery's event again to "
        "its configuration (see 'deliveries' for the ids). Exits 1 if it fails.",
    )
    retry.add_argument("delivery_id", type=positive_int, metavar="DELIVERY_ID")
    retry.add_argument(
        "--timeout",
        type=seconds,
        default=60.0,
        metavar="SECONDS",
        help="how long to wait for it (default: 60)",
    )


def run_command(args: Any, read_only: bool) -> int | None:
    """Run ``deliveries`` or ``retry`` if that is the command, else None."""
    if args.command == "deliveries":
        return cmd_deliveries(
            args.data_dir, args.config, args.failed, args.limit, read_only=read_only
        )
    if args.command == "retry":
        if read_only:
            raise CommandError(
                "retry records a new delivery: run it without --read-only"
            )
        return cmd_retry(
            args.data_dir, args.delivery_id, args.timeout, safe_mode=args.safe_mode
        )
    return None
