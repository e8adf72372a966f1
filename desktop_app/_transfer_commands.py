"""``desktop-app export`` and ``desktop-app import``: the File menu's
transfer, from a terminal (scripts, moving to another machine).

Both use :py:mod:`desktop_app._transfer`, so the checks are the dialog's
and an import saves all of its configurations or none.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO, cast

__all__ = ["cmd_export", "cmd_import"]


def cmd_export(
    data_dir: str | None,
    path: str,
    integration_id: str | None = None,
    out: TextIO = sys.stdout,
    *,
    safe_mode: bool = False,
    read_only: bool = False,
) -> int:
    """Write the configurations (of one integration, if given) to ``path``,
    without secrets."""
    from desktop_app import _transfer
    from desktop_app._commands import CommandError, open_app

    with open_app(data_dir, safe_mode=safe_mode, read_only=read_only) as (manager, _):
        if integration_id is not None and not manager.is_registered(integration_id):
            known = ", ".join(
                sorted(i.integration_id for i in manager.get_integrations())
            )
            raise CommandError(
                f"no integration {integration_id!r} is installed (installed: "
                f"{known or 'none'})"
            )
        configs = manager.get_integration_configs(integration_id)
        try:
            _transfer.write_export(manager, configs, path)
        except OSError as e:
            raise CommandError(f"could not write {path}: {e.strerror or e}") from e
    print(
        f"Exported {len(configs)} configuration(s) to {path} (secrets are never "
        f"exported).",
        file=out,
    )
    return 0


def cmd_import(
    data_dir: str | None,
    path: str,
    *,
    dry_run: bool = False,
    skip_existing: bool = False,
    out: TextIO = sys.stdout,
    safe_mode: bool = False,
    read_only: bool = False,
) -> int:
    """Check ``path`` and add its configurations (all or none); with
    ``dry_run``, check only. Exits 1 when the file is refused."""
    from desktop_app import _transfer
    from desktop_app._commands import CommandError, open_app
    from desktop_app.forms import ValidationError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CommandError(f"could not read {path}: {e}") from e
    with open_app(data_dir, safe_mode=safe_mode, read_only=read_only) as (manager, _):
        if dry_run:
            # The same checks; only the final store step is left out.
            check = _DryRun(manager)
            try:
                configs = _transfer.import_configs(
                    cast(Any, check), text, skip_existing=skip_existing
                )
            except ValidationError as e:
                return _refused(path, e, out)
        else:
            try:
                configs = _transfer.import_configs(
                    manager, text, skip_existing=skip_existing
                )
            except ValidationError as e:
                return _refused(path, e, out)
        needing = [
            (config.name, labels)
            for config in configs
            if (
                labels := _transfer.missing_secrets(
                    manager.get_integration(config.integration_id), config
                )
            )
        ]
    verb = "Would import" if dry_run else "Imported"
    print(f"{verb} {len(configs)} configuration(s) from {path}.", file=out)
    for name, labels in needing:
        print(
            f"  {name}: needs a secret ({', '.join(labels)}); "
            f"{'would be' if dry_run else 'left'} disabled until it is given.",
            file=out,
        )
    return 0


class _DryRun:
    """The manager, except that :py:meth:`bulk_create` stores nothing."""

    def __init__(self, manager: object) -> None:
        self._manager = manager

    def __getattr__(self, name: str) -> object:
        return getattr(self._manager, name)

    def bulk_create(self, configs: list[object]) -> list[object]:
        return list(configs)


def _refused(path: str, error: Exception, out: TextIO) -> int:
    messages = getattr(error, "messages", None) or [str(error)]
    print(f"desktop-app: error: nothing was imported from {path}:", file=sys.stderr)
    for message in messages:
        print(f"  {message}", file=sys.stderr)
    return 1
