"""Command-line entry point: ``desktop-app`` and ``python -m desktop_app``.

``desktop-app`` alone (or ``run``) opens the window; ``list``, ``signals``
and ``fire`` work without one. Usage problems (an unknown signal, a bad
payload value) are one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType

    _ExcInfo = (
        tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None]
    )

__all__ = ["build_parser", "main"]

_DATA_DIR_HELP = (
    "data folder (default: $DESKTOP_APP_DATA_DIR, else the user data folder)"
)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser; every subcommand has ``--help`` and ``--data-dir``."""
    parser = argparse.ArgumentParser(
        prog="desktop-app",
        description="Manage integrations: plugins that connect this app to outside "
        "services and react to its events. Without a command, opens the window.",
    )
    parser.add_argument("--data-dir", metavar="DIR", help=_DATA_DIR_HELP)
    # Also accepted after the command name; SUPPRESS keeps the global value
    # when the command does not repeat it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=_DATA_DIR_HELP
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "run",
        parents=[common],
        help="open the window (the default)",
        description="Open the window. Plugins load once it is shown.",
    )
    commands.add_parser(
        "list",
        parents=[common],
        help="list plugins and integrations",
        description="List every plugin with its status (failed ones with their "
        "error) and every integration with its configuration counts.",
    )
    commands.add_parser(
        "signals",
        parents=[common],
        help="list signals and their payload fields",
        description="List the registered signals (the app's and the plugins') "
        "with their payload fields.",
    )
    fire = commands.add_parser(
        "fire",
        parents=[common],
        help="send a signal and show what ran",
        description="Load plugins and configurations, send SIGNAL with the given "
        "payload, wait for the work it started and print each delivery. Exits 1 "
        "if any delivery failed.",
    )
    fire.add_argument("signal", metavar="SIGNAL", help="the signal's name")
    fire.add_argument(
        "payload",
        nargs="*",
        metavar="KEY=VALUE",
        help="payload values, cleaned by the signal's payload fields",
    )
    fire.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long to wait for background work (default: 60)",
    )
    return parser


class _OneLineFormatter(logging.Formatter):
    """Warnings on stderr as single lines: tracebacks belong in the plugins
    page and ``list``, not in a terminal full of frames."""

    def formatException(self, ei: _ExcInfo) -> str:  # noqa: N802 - logging's naming
        return ""


def _skip_notices(record: logging.LogRecord) -> bool:
    """Drop records the commands print as a start-up notice themselves."""
    from desktop_app._startup import NOTICE_ATTR

    return not getattr(record, NOTICE_ATTR, False)


def _setup_logging() -> None:
    from desktop_app._startup import install_secret_scrubbing

    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(
            _OneLineFormatter("desktop-app: %(levelname)s: %(message)s")
        )
        handler.addFilter(_skip_notices)
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
    # Secrets must not reach a terminal or a log file, whoever set it up.
    install_secret_scrubbing(root)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "run" and args.command is not None:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    from desktop_app import _commands
    from desktop_app.errors import StoreError

    _setup_logging()

    try:
        if args.command in (None, "run"):
            return _commands.cmd_run(args.data_dir, rest)
        if args.command == "list":
            return _commands.cmd_list(args.data_dir)
        if args.command == "signals":
            return _commands.cmd_signals(args.data_dir)
        return _commands.cmd_fire(
            args.data_dir, args.signal, args.payload, args.timeout
        )
    except _commands.CommandError as e:
        print(f"desktop-app: error: {e}", file=sys.stderr)
        return e.status
    except StoreError as e:
        # Disk full, read-only, locked: the message says what to do; a
        # traceback would only bury it.
        print(f"desktop-app: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
