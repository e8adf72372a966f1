"""Plugin problems in plain words, and the window's banner announcing them.

A plugin that fails to load (a syntax error, an exception at import, a
missing module, too slow, refused because others can change its code) is
announced in the window, not only on stderr: "2 plugins failed to load —
Details". The plugins page and the banner share the wording here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from desktop_app.plugins import PluginInfo, PluginManager
    from desktop_app.ui._notice_banner import NoticeBanner

__all__ = [
    "has_problem",
    "plain_problem",
    "problem_location",
    "status_text",
    "update_problems_banner",
]

_MISSING_MODULE = re.compile(r"ModuleNotFoundError: No module named '([^']+)'")
_SYNTAX = re.compile(r"SyntaxError: (.*?)(?: \(line (\d+)\))?$")
_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def has_problem(info: PluginInfo) -> bool:
    """Whether a plugin failed or was refused (not just turned off)."""
    return info.failed or info.refused


def status_text(info: PluginInfo) -> str:
    """The status a person reads: never "Enabled" for a plugin that failed."""
    if info.failed:
        return "Failed to load"
    if info.refused:
        return "Not loaded (unsafe)"
    if info.loaded:
        return "Loaded"
    return "Turned off"


def plain_problem(info: PluginInfo) -> str:
    """Say what went wrong with a plugin in words a non-programmer follows,
    keeping the technical line at the end for whoever fixes it."""
    error = info.error.strip()
    if info.refused:
        return f"It was not loaded because other people could change its code: {error}"
    if not info.failed:
        return ""
    if error.startswith("took longer than"):
        return (
            f"It {error.replace('; skipped', '')}, so it was skipped. It may "
            "be waiting for the network or stuck."
        )
    missing = _MISSING_MODULE.search(error)
    if missing:
        return (
            f'It needs the Python package "{missing.group(1)}", which is not installed.'
        )
    syntax = _SYNTAX.match(error)
    if syntax:
        where = f" on line {syntax.group(2)}" if syntax.group(2) else ""
        return (
            f"Its code has a typing mistake{where} that Python cannot read "
            f"({syntax.group(1)})."
        )
    if error.startswith("integration "):
        return f"It loaded, but its integration could not start: {error}"
    return f"It stopped with an error while loading: {error}"


def problem_location(info: PluginInfo) -> tuple[Path | None, int | None]:
    """The plugin's file and, when the traceback says, the line at fault."""
    path = info.path
    if path is not None and path.is_dir():
        path = path / "__init__.py"
    line: int | None = None
    syntax = _SYNTAX.match(info.error.strip())
    if syntax and syntax.group(2):
        line = int(syntax.group(2))
    root = str(info.path) if info.path is not None else None
    for file, number in _FRAME.findall(info.traceback):
        if root is not None and file.startswith(root):
            path, line = Path(file), int(number)
    return path, line


def update_problems_banner(window: QMainWindow, plugins: PluginManager) -> None:
    """Show, update or take away the "N plugins failed to load — Details"
    banner of a window that shows notices."""
    problems = [info for info in plugins.plugins if has_problem(info)]
    banner: NoticeBanner | None = getattr(window, "plugin_problems_banner", None)
    if banner is not None and not _alive(banner):
        banner = None
    if not problems:
        if banner is not None:
            banner.hide()
            banner.deleteLater()
        window.plugin_problems_banner = None  # type: ignore[attr-defined]
        return
    if len(problems) == 1:
        only = problems[0]
        text = f'Plugin "{only.name}" failed to load: {plain_problem(only)}'
    else:
        text = f"{len(problems)} plugins failed to load."
    if banner is None:
        show_notice = getattr(window, "show_notice", None)
        if not callable(show_notice):
            return
        banner = show_notice(text)
        assert banner is not None
        details = banner.add_button("&Details…", "pluginProblemsDetails")
        details.setToolTip("Open Tools → Plugins… at the plugins that failed")
        details.clicked.connect(lambda: _open_details(window, plugins))
        window.plugin_problems_banner = banner  # type: ignore[attr-defined]
    else:
        banner.set_text(text)


def _open_details(window: QMainWindow, plugins: PluginManager) -> None:
    from desktop_app.ui._plugins_setup import show_plugins_dialog

    show_plugins_dialog(window, plugins)


def _alive(banner: NoticeBanner) -> bool:
    try:
        return not banner.isHidden()
    except RuntimeError:  # deleted by Qt (dismissed)
        return False
