"""Command-line entry point: ``desktop-app`` and ``python -m desktop_app``."""

from __future__ import annotations

import argparse
import sys

from desktop_app.paths import DataPaths, resolve_data_dir

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
    paths = DataPaths(resolve_data_dir(args.data_dir)).ensure()
    from desktop_app.manager import IntegrationManager, set_integration_manager

    manager = IntegrationManager(paths.database, watch_interval=None)
    set_integration_manager(manager)
    try:
        counts = manager.count_configs()
        print(f"Data folder: {paths.data_dir}")
        integrations = manager.get_integrations()
        if not integrations:
            print("No integrations are registered.")
        for integration in integrations:
            total, enabled = counts.get(integration.integration_id, (0, 0))
            print(
                f"{integration.integration_id}\t{integration.display_name}\t"
                f"{total} configurations, {enabled} enabled"
            )
    finally:
        manager.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
