"""Safe mode: starting with the built-in integrations only.

A plugin that crashes or hangs the app while it loads would do it again at
every start. Safe mode loads only this project's own integrations (no
drop-ins, no other installed plugins). It starts when:

- ``desktop-app --safe-mode`` was asked for;
- Shift is held as the window starts loading plugins;
- the last start did not finish (a marker file says so, see
  :py:mod:`desktop_app._start_marker`) and the user says yes when asked.

The window then shows a banner saying plugins are not loaded and, when the
last start named the plugin it was loading, offers to disable that plugin so
the next normal start skips it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from desktop_app._paths import DataPaths
from desktop_app._start_marker import LastStart, StartMarker
from desktop_app.plugins import PluginManager
from desktop_app.ui._plugins_setup import install_plugins
from desktop_app.ui._questions import ask

__all__ = ["SAFE_MODE_TEXT", "ask_safe_mode", "shift_held", "start_plugins"]

#: The banner's first words, whatever started safe mode.
SAFE_MODE_TEXT = "Safe mode: plugins are not loaded."


def start_plugins(
    window: QMainWindow,
    paths: DataPaths,
    *,
    safe_mode: bool = False,
    modifiers: Qt.KeyboardModifier | None = None,
    entry_points: bool = True,
) -> PluginManager:
    """Load plugins (or the built-ins only) into the window, guarded by the
    start marker. Meant as ``run_app(after_show=...)``.

    Args:
        window (QMainWindow): The main window.
        paths (DataPaths): The data folder.
        safe_mode (bool): ``--safe-mode`` was given.
        modifiers (Qt.KeyboardModifier, optional): The keys held; the
            keyboard's state now if omitted.
        entry_points (bool): Also load installed distributions' plugins.

    Returns:
        PluginManager: The plugins loaded.
    """
    marker = StartMarker(paths.data_dir)
    last = marker.last_start()
    safe = (
        safe_mode
        or shift_held(modifiers)
        or (last is not None and ask_safe_mode(window, last))
    )
    marker.begin()
    plugins = install_plugins(
        window,
        paths,
        entry_points=entry_points,
        safe_mode=safe,
        on_loading=lambda info: marker.loading(info.key, info.name),
        # Only once every plugin has been dealt with: a start that dies or
        # is killed inside a plugin leaves the marker naming it.
        on_finished=marker.finish,
    )
    if safe:
        _show_banner(window, plugins, last)
    return plugins


def shift_held(modifiers: Qt.KeyboardModifier | None = None) -> bool:
    """True when Shift is held (now, or in ``modifiers`` when given)."""
    if modifiers is None:
        modifiers = QGuiApplication.queryKeyboardModifiers()
    return bool(modifiers & Qt.KeyboardModifier.ShiftModifier)


def ask_safe_mode(window: QMainWindow, last: LastStart) -> bool:
    """Ask whether to start in safe mode after a start that did not finish.

    Returns:
        bool: True for safe mode.
    """
    where = (
        f" while loading the plugin \u201c{last.plugin_name}\u201d"
        if last.plugin_name
        else ""
    )
    return ask(
        window,
        name="safeModePrompt",
        title="Start in safe mode?",
        text=f"The last start did not finish{where}.",
        details=(
            "Start in safe mode, with the built-in integrations only? "
            "You can then disable the plugin."
        ),
        yes=("Start in safe mode", "startSafeModeButton"),
        no=("Start normally", "startNormallyButton"),
        default_yes=True,
    )


def _show_banner(
    window: QMainWindow, plugins: PluginManager, last: LastStart | None
) -> None:
    show_notice = getattr(window, "show_notice", None)
    if not callable(show_notice):
        return
    text = SAFE_MODE_TEXT
    if last is not None:
        where = (
            f" while loading the plugin \u201c{last.plugin_name}\u201d"
            if last.plugin_name
            else ""
        )
        text += f" The last start did not finish{where}."
    text += (
        " Only the built-in integrations are running; start the app again "
        "(without --safe-mode or Shift) to load plugins."
    )
    banner = show_notice(text)
    if last is None or not last.plugin_key or not last.plugin_name:
        return
    key, name = last.plugin_key, last.plugin_name
    if not plugins.state.is_enabled(key):
        return
    button = banner.add_button(f"Disable {name}", "disablePluginButton")

    def disable() -> None:
        # Not through plugins.set_enabled: in safe mode the plugin was never
        # discovered, so only its stored state can change.
        plugins.state.set_enabled(key, False)
        button.setEnabled(False)
        button.setText(f"{name} disabled")
        banner.label.setText(
            f"{text} \u201c{name}\u201d is disabled and will not load; "
            f"enable it again in Tools \u2192 Plugins\u2026."
        )

    button.clicked.connect(disable)
