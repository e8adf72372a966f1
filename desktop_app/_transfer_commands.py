"""``desktop-app export`` and ``desktop-app import``: the File menu's
transfer, from a terminal (scripts, moving to another machine).

Both use :py:mod:`desktop_app._transfer`, so the checks are the dialog's
and an import saves all of its configurations or none.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

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
    replace: bool = False,
    out: TextIO = sys.stdout,
    safe_mode: bool = False,
    read_only: bool = False,
) -> int:
    """Check ``path`` and add its configurations (all or none); with
    ``dry_run``, check only and say what would be added and replaced.
    Exits 1 when the file is refused.

    Args:
        skip_existing (bool): Leave out configurations whose name their
            integration already has.
        replace (bool): Let those replace the stored ones instead (ids,
            history and secrets the file lacks are kept).
    """
    from desktop_app import _transfer
    from desktop_app._commands import CommandError, open_app
    from desktop_app.errors import ImportConflictError
    from desktop_app.forms import ValidationError

    if skip_existing and replace:
        raise CommandError("--skip-existing and --replace cannot be used together")
    mode: _transfer.SameName = (
        "replace" if replace else "skip" if skip_existing else "add"
    )
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CommandError(f"could not read {path}: {e}") from e
    with open_app(data_dir, safe_mode=safe_mode, read_only=read_only) as (manager, _):
        try:
            # The same checks either way; a dry run leaves out the saving.
            plan = _transfer.plan_import(manager, text, on_same_name=mode)
            if not dry_run:
                _transfer.apply_import(manager, plan)
        except (ValidationError, ImportConflictError) as e:
            return _refused(path, e, out)
        needing = [
            (config.name, labels)
            for config in plan.configs
            if (
                labels := _transfer.missing_secrets(
                    manager.get_integration(config.integration_id), config
                )
            )
        ]
        names = {i.integration_id: i.display_name for i in manager.get_integrations()}
    verb = "Would import" if dry_run else "Imported"
    count = len(plan.configs)
    detail = f": {plan.summary()}" if plan.replaced or plan.skipped else ""
    print(f"{verb} {count} configuration(s) from {path}{detail}.", file=out)
    if dry_run:
        for config in plan.configs:
            what = "replace" if plan.replaces(config) else "add"
            print(
                f"  would {what}: {config.name} "
                f"({names.get(config.integration_id, config.integration_id)})",
                file=out,
            )
    for name, labels in needing:
        print(
            f"  {name}: needs a secret ({', '.join(labels)}); "
            f"{'would be' if dry_run else 'left'} disabled until it is given.",
            file=out,
        )
    return 0


def _refused(path: str, error: Exception, out: TextIO) -> int:
    messages = getattr(error, "messages", None) or [str(error)]
    print(f"desktop-app: error: nothing was imported from {path}:", file=sys.stderr)
    for message in messages:
        print(f"  {message}", file=sys.stderr)
    return 1
