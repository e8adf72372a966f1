"""What a drop-in plugin needs installed, and whether it is there.

A plugin declares its packages in a module-level list, read without running
its code (the import is what would fail)::

    requirements = ["PyYAML >= 6", "requests"]

As Home Assistant does for custom components' manifests, each entry is a
PEP 508 requirement, checked against the installed distributions' versions
before the plugin is imported; a plugin whose requirements are not met is
not imported and says what it needs (``needs PyYAML >= 6 (not installed)``)
instead of failing with an import traceback. ``desktop-app plugins
install-deps NAME`` installs them with pip into a folder of the data folder
(``plugin-deps``), which is on ``sys.path`` after the app's own packages:
a plugin can add packages, never replace one the app runs on.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.errors import PluginLoadError

if TYPE_CHECKING:
    # Imported where used: only plugins that declare requirements pay for
    # ``packaging``, ``ast`` and ``importlib.metadata`` (``email`` with it)
    # at start-up, and never on the UI thread.
    import ast

    from packaging.requirements import Requirement

__all__ = [
    "DEPS_FOLDER",
    "Unmet",
    "declared_requirements",
    "describe",
    "drop_deps_dir",
    "unmet_requirements",
    "use_deps_dir",
]

logger = logging.getLogger(__name__)

#: The folder of the data folder that ``install-deps`` installs into.
DEPS_FOLDER = "plugin-deps"

#: The module-level name a plugin lists its requirements under.
_NAME = "requirements"

_path_lock = threading.Lock()


@dataclass(frozen=True)
class Unmet:
    """One requirement that is not met.

    Attributes:
        requirement (Requirement): As declared.
        installed (str | None): The version found, None when not installed.
    """

    requirement: Requirement
    installed: str | None

    def __str__(self) -> str:
        found = f"{self.installed} installed" if self.installed else "not installed"
        return f"{describe(self.requirement)} ({found})"


def describe(requirement: Requirement) -> str:
    """``PyYAML >= 6, < 8``: the requirement as a person reads it."""
    name = requirement.name
    if requirement.extras:
        name += "[" + ",".join(sorted(requirement.extras)) + "]"
    specs = sorted(requirement.specifier, key=lambda s: (s.operator, s.version))
    parts = [f"{s.operator} {s.version}" for s in specs]
    return f"{name} {', '.join(parts)}" if parts else name


def declared_requirements(
    plugin_name: str, path: Path, source: bytes | None = None
) -> list[Requirement]:
    """Read a folder plugin's ``requirements`` list without running it.

    Only a literal list (or tuple) of strings assigned at the top of the
    plugin's file (a package's ``__init__.py``) counts.

    Args:
        plugin_name (str): For errors.
        path (Path): The plugin's ``.py`` file or package folder.
        source (bytes, optional): That file's bytes, when the caller has
            read them (they are then not read again).

    Raises:
        desktop_app.errors.PluginLoadError: The list is not a literal list
            of strings, or an entry is not a valid requirement.
    """
    if source is not None and _NAME.encode() not in source:
        return []  # most plugins: no parse, no look at the disk
    file = path / "__init__.py" if path.is_dir() else path
    if source is None:
        try:
            source = file.read_bytes()
        except OSError:
            return []  # the import reports it
    if _NAME.encode() not in source:
        return []  # most plugins: no parse at all
    import ast

    try:
        tree = ast.parse(source, str(file))
    except (SyntaxError, ValueError):
        return []  # the import reports it, with its line
    for node in tree.body:
        value = _assigned(node)
        if value is None:
            continue
        try:
            entries = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            entries = None
        if not isinstance(entries, list | tuple) or not all(
            isinstance(e, str) for e in entries
        ):
            raise PluginLoadError(
                plugin_name,
                f"its {_NAME} (line {node.lineno}) must be a list of strings "
                f'such as ["PyYAML >= 6"]',
                str(file),
            )
        return [_parse(plugin_name, entry, file) for entry in entries]
    return []


def _assigned(node: ast.stmt) -> ast.expr | None:
    import ast

    if isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == _NAME for t in node.targets
    ):
        return node.value
    if (
        isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == _NAME
    ):
        return node.value
    return None


def _parse(plugin_name: str, entry: str, file: Path) -> Requirement:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(entry)
    except InvalidRequirement as e:
        first = str(e).splitlines()[0] if str(e) else "not understood"
        raise PluginLoadError(
            plugin_name, f"its requirement {entry!r} is not valid: {first}", str(file)
        ) from e


def unmet_requirements(requirements: list[Requirement]) -> list[Unmet]:
    """The requirements the installed distributions do not satisfy.

    Versions are read from the distributions' metadata on ``sys.path``, in
    its order, as ``import`` would find them. A requirement whose marker
    does not apply here (``; sys_platform == "win32"``) is met.
    """
    import importlib.metadata

    from packaging.version import InvalidVersion, Version

    unmet = []
    for requirement in requirements:
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            installed = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            unmet.append(Unmet(requirement, None))
            continue
        try:
            ok = requirement.specifier.contains(Version(installed), prereleases=True)
        except InvalidVersion:
            ok = False
        if not ok:
            unmet.append(Unmet(requirement, installed))
    return unmet


def use_deps_dir(deps_dir: Path) -> bool:
    """Put the plugins' dependency folder on ``sys.path`` (at the end).

    Only when it exists and only the user (or root) can change it and the
    folder holding it: its code runs like the plugins'. Safe to call again.

    Returns:
        bool: Whether the folder is on ``sys.path`` now.
    """
    from desktop_app.plugins._importing import trusted_folder

    entry = str(deps_dir)
    with _path_lock:
        if entry in sys.path:
            return True
        if not deps_dir.is_dir():
            return False
        if not (trusted_folder(deps_dir) and trusted_folder(deps_dir.parent)):
            logger.error(
                "Not using %s for plugins' packages: other users can change it",
                deps_dir,
            )
            return False
        sys.path.append(entry)
    importlib.invalidate_caches()
    return True


def drop_deps_dir(deps_dir: Path) -> None:
    """Take the folder off ``sys.path`` again (when plugins are unloaded)."""
    with _path_lock:
        while str(deps_dir) in sys.path:
            sys.path.remove(str(deps_dir))
