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

__all__ = ["build_parser", "main", "run"]

_READ_ONLY_HELP = (
    "open the configuration database read-only (for example one a newer "
    "version of the app wrote): nothing is changed on disk"
)

_DATA_DIR_HELP = (
    "data folder (default: $DESKTOP_APP_DATA_DIR, else the user data folder)"
)

_SAFE_MODE_HELP = (
    "load only the built-in integrations: no drop-in or installed plugins "
    "(to start after a plugin broke the app)"
)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser; every subcommand has ``--help`` and ``--data-dir``."""
    parser = argparse.ArgumentParser(
        prog="desktop-app",
        description="Manage integrations: plugins that connect this app to outside "
        "services and react to its events. Without a command, opens the window.",
    )
    parser.add_argument("--data-dir", metavar="DIR", help=_DATA_DIR_HELP)
    parser.add_argument("--safe-mode", action="store_true", help=_SAFE_MODE_HELP)
    parser.add_argument("--read-only", action="store_true", help=_READ_ONLY_HELP)
    # Also accepted after the command name; SUPPRESS keeps the global value
    # when the command does not repeat it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=_DATA_DIR_HELP
    )
    common.add_argument(
        "--safe-mode",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_SAFE_MODE_HELP,
    )
    common.add_argument(
        "--read-only",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_READ_ONLY_HELP,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "run",
        parents=[common],
        help="open the window (the default)",
        description="Open the window. Plugins load once it is shown.",
    )
    list_ = commands.add_parser(
        "list",
        parents=[common],
        help="list plugins and integrations",
        description="List every plugin with its status (failed ones with their "
        "error and where it happened) and every integration with its "
        "configuration counts.",
    )
    list_.add_argument(
        "--verbose", "-v", action="store_true", help="show each failure's traceback"
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
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="how long to wait for background work (default: 60)",
    )
    from desktop_app._cli_plugins import add_plugins_parser

    add_plugins_parser(commands, common)
    export = commands.add_parser(
        "export",
        parents=[common],
        help="export configurations to a JSON file (never secrets)",
        description="Write every configuration (or one integration's) to FILE. "
        "Secrets are never exported.",
    )
    export.add_argument("file", metavar="FILE")
    export.add_argument("--integration", metavar="ID", help="only this integration")
    imp = commands.add_parser(
        "import",
        parents=[common],
        help="import configurations from a JSON file",
        description="Check FILE as the window would and add all of its "
        "configurations, or none. Ones that need a secret are added disabled.",
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="check only; save nothing")
    same_names = imp.add_mutually_exclusive_group()
    same_names.add_argument(
        "--skip-existing",
        action="store_true",
        help="leave out configurations whose name the integration already has",
    )
    same_names.add_argument(
        "--replace",
        action="store_true",
        help="let them replace the ones of the same name (keeping their "
        "history and the secrets the file lacks)",
    )
    from desktop_app import _delivery_commands

    _delivery_commands.add_parsers(commands, common, _seconds)
    return parser


def _seconds(text: str) -> float:
    """``--timeout``: a positive, finite number of seconds.

    ``float()`` alone accepts ``nan``, ``inf`` and ``-5``; none of them is a
    time to wait (``nan`` would make every comparison false).
    """
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            f"must be a positive number of seconds, got {text!r}"
        )
    return value


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
    from desktop_app._containment import install_interrupt_marker
    from desktop_app.errors import SchemaTooNewError, StoreError

    _setup_logging()
    # Ctrl-C stays the user's way out; a KeyboardInterrupt that plugin code
    # raises is that plugin's failure (see desktop_app._containment).
    install_interrupt_marker()
    read_only = bool(args.read_only)

    try:
        if args.command in (None, "run"):
            return _commands.cmd_run(
                args.data_dir, rest, safe_mode=args.safe_mode, read_only=read_only
            )
        if args.command == "list":
            return _commands.cmd_list(
                args.data_dir,
                safe_mode=args.safe_mode,
                read_only=read_only,
                verbose=args.verbose,
            )
        if args.command == "plugins":
            from desktop_app._cli_plugins import run_plugins

            return run_plugins(args)
        if args.command == "signals":
            return _commands.cmd_signals(
                args.data_dir, safe_mode=args.safe_mode, read_only=read_only
            )
        if args.command in ("export", "import"):
            from desktop_app import _transfer_commands as transfer

            if args.command == "export":
                return transfer.cmd_export(
                    args.data_dir,
                    args.file,
                    args.integration,
                    safe_mode=args.safe_mode,
                    read_only=read_only,
                )
            return transfer.cmd_import(
                args.data_dir,
                args.file,
                dry_run=args.dry_run,
                skip_existing=args.skip_existing,
                replace=args.replace,
                safe_mode=args.safe_mode,
                read_only=read_only,
            )
        from desktop_app import _delivery_commands

        status = _delivery_commands.run_command(args, read_only)
        if status is not None:
            return status
        return _commands.cmd_fire(
            args.data_dir,
            args.signal,
            args.payload,
            args.timeout,
            safe_mode=args.safe_mode,
            read_only=read_only,
        )
    except _commands.CommandError as e:
        print(f"desktop-app: error: {e}", file=sys.stderr)
        return e.status
    except SchemaTooNewError as e:
        # Never a traceback, and never a replaced database: one line, with
        # the way to look at it anyway.
        print(
            f"desktop-app: error: {_one_line(e)} (to look at it, run with --read-only)",
            file=sys.stderr,
        )
        return 1
    except StoreError as e:
        print(f"desktop-app: error: {_one_line(e)}", file=sys.stderr)
        return 1


def _one_line(error: BaseException) -> str:
    """The error's text on one line, whatever SQLite or the OS put in it."""
    return " ".join(str(error).split())


def run() -> None:
    """The program's entry point: :py:func:`main`, then an exit that no
    plugin's leftover thread or ``atexit`` handler can hold up for more than
    about a second (see :py:func:`desktop_app._containment.bounded_exit`)."""
    from desktop_app._containment import bounded_exit

    sys.exit(bounded_exit(main()))


if __name__ == "__main__":
    run()
