"""The command line's plugin parts: ``plugins install-deps`` and the plugin
lines of ``list`` (with ``--verbose``, each failure's traceback).

Kept apart from :py:mod:`desktop_app._commands` so each command's logic
lives in a module of its own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktop_app._paths import DataPaths, resolve_data_dir

if TYPE_CHECKING:
    from packaging.requirements import Requirement

    from desktop_app.plugins import PluginInfo

#: Where a plugin comes from, in the words the window uses.
_SOURCE_WORDS = {"folder": "plugins folder", "distribution": "installed package"}

__all__ = ["add_plugins_parser", "cmd_install_deps", "plugin_lines", "run_plugins"]


def add_plugins_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``plugins install-deps NAME [--yes]`` to the command parser."""
    plugins = commands.add_parser(
        "plugins",
        parents=[common],
        help="manage drop-in plugins (install-deps)",
        description="Manage the plugins of the plugins folder.",
    )
    actions = plugins.add_subparsers(dest="plugins_command", metavar="ACTION")
    actions.required = True
    install = actions.add_parser(
        "install-deps",
        parents=[common],
        help="install the packages a plugin declares in its requirements",
        description="Install the packages a drop-in plugin lists in its "
        "`requirements` with pip, into the plugin-deps folder of the data "
        "folder (never into the app's own environment). Asks first. pip's own "
        "settings apply (pip.conf, PIP_INDEX_URL, PIP_FIND_LINKS, PIP_NO_INDEX).",
    )
    install.add_argument("name", metavar="NAME", help="the plugin's name")
    install.add_argument(
        "--yes", "-y", action="store_true", help="install without asking"
    )


def run_plugins(args: argparse.Namespace) -> int:
    """Run the ``plugins`` action ``args`` names."""
    return cmd_install_deps(args.data_dir, args.name, yes=args.yes)


def cmd_install_deps(
    data_dir: str | None,
    name: str,
    *,
    yes: bool = False,
    out: TextIO | None = None,
    ask: Callable[[str], str] = input,
) -> int:
    """Install a drop-in plugin's missing requirements into ``plugin-deps``.

    The plugin's code is not run: its ``requirements`` list is read from
    its source. It must pass the same ownership checks as at load time,
    since installing what it asks for runs code too (a source package's
    build).

    Returns:
        int: 0 when everything it needs is installed now, 1 otherwise.

    Raises:
        desktop_app._commands.CommandError: No such plugin, a plugin that
            is refused or declares bad requirements, or pip failing.
    """
    from desktop_app._commands import CommandError, _escaped
    from desktop_app.errors import PluginLoadError
    from desktop_app.plugins._discovery import discover_entry_points, discover_folder
    from desktop_app.plugins._requirements import (
        DEPS_FOLDER,
        declared_requirements,
        describe,
        unmet_requirements,
        use_deps_dir,
    )
    from desktop_app.plugins._safety import check_plugin_safe

    out = out or sys.stdout
    paths = DataPaths(resolve_data_dir(data_dir))
    source = next(
        (s for s in discover_folder(paths.plugins_dir) if s.name == name), None
    )
    if source is None or source.path is None:
        if any(s.name == name for s in discover_entry_points()):
            raise CommandError(
                f'"{_escaped(name)}" is an installed package: pip installed what '
                f"it needs along with it",
                1,
            )
        raise CommandError(
            f'no plugin named "{_escaped(name)}" in {paths.plugins_dir}', 1
        )
    try:
        check_plugin_safe(name, source.path, paths.plugins_dir, paths.data_dir)
        requirements = declared_requirements(name, source.path)
    except PluginLoadError as e:
        raise CommandError(f"{_escaped(name)}: {_escaped(e.reason)}", 1) from e
    if not requirements:
        print(f"{name} declares no requirements.", file=out)
        return 0
    deps_dir = paths.data_dir / DEPS_FOLDER
    use_deps_dir(deps_dir)
    unmet = unmet_requirements(requirements)
    if not unmet:
        print(f"Everything {name} needs is installed.", file=out)
        return 0
    needs = "; ".join(str(u) for u in unmet)
    print(f"{_escaped(name)} needs {_escaped(needs)}.", file=out)
    if not yes:
        try:
            answer = ask(f"Install with pip into {deps_dir}? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing installed.", file=out)
            return 1
    _pip_install([u.requirement for u in unmet], deps_dir)
    if not use_deps_dir(deps_dir):
        raise CommandError(
            f"{deps_dir} cannot be used: other users can change it (chmod go-w)", 1
        )
    still = unmet_requirements(requirements)
    for u in still:
        # pip put it there, but another copy comes first on sys.path: the
        # app's own packages are never replaced for a plugin.
        print(
            f"Still not met: {_escaped(str(u))}; the app's own "
            f"{_escaped(describe(u.requirement).split()[0])} comes first and is "
            f"kept.",
            file=out,
        )
    if still:
        return 1
    print(
        f"Installed. Reload plugins (Tools → Reload plugins) or start the app "
        f"again to load {_escaped(name)}.",
        file=out,
    )
    return 0


def _pip_install(requirements: list[Requirement], target: Path) -> None:
    """Run pip (of this Python) into ``deps_dir``; its progress shows as it
    goes.

    Raises:
        desktop_app._commands.CommandError: pip is missing or failed.
    """
    from desktop_app._commands import CommandError

    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--target",
        str(target),
        "--upgrade",
        "--no-input",
        "--disable-pip-version-check",
        *(str(r) for r in requirements),
    ]
    # Imported here: every start builds this command's parser, and only
    # install-deps runs pip.
    import subprocess

    try:
        result = subprocess.run(command, check=False)
    except OSError as e:
        raise CommandError(f"cannot run pip: {e.strerror or e}", 1) from e
    if result.returncode != 0:
        raise CommandError(
            f"pip could not install them (exit status {result.returncode}); "
            f"see its messages above",
            1,
        )


def plugin_lines(info: PluginInfo, *, verbose: bool = False) -> list[str]:
    """The lines ``list`` prints for one plugin: status, and for a failed
    or refused one its error and where (file and line); with ``verbose``,
    the failure's whole traceback below it, secrets scrubbed."""
    from desktop_app._commands import _escaped
    from desktop_app.activity import scrub_secrets

    version = info.shown_version() or "-"
    line = (
        f"  {_escaped(info.name)}  [{_SOURCE_WORDS.get(info.source, info.source)}]  "
        f"{_escaped(version)}  "
        f"{info.status}"
    )
    if info.failed or info.refused:
        location = info.location
        if location:
            where = f" (at {_escaped(location)})"
        else:
            where = f" ({_escaped(str(info.path))})" if info.path else ""
        line += f": {_escaped(info.error or '')}{where}"
    elif info.loaded and info.registered_summary():
        line += f"  ({info.registered_summary()})"
    lines = [line]
    if verbose and (info.failed or info.refused) and info.traceback:
        for text in scrub_secrets(info.traceback).rstrip("\n").splitlines():
            lines.append("    " + _escaped(text))
    return lines
