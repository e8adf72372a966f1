"""Command-line entry point: ``desktop-app`` and ``python -m desktop_app``."""

from __future__ import annotations

import argparse
import sys

from desktop_app.paths import resolve_data_dir

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desktop-app",
        description="Manage integrations: plugins that connect this app to outside "
        "services and react to its events.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data folder (default: $DESKTOP_APP_DATA_DIR, else the user data folder)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from desktop_app.ui.app import run_app

    return run_app(resolve_data_dir(args.data_dir))


if __name__ == "__main__":
    sys.exit(main())
