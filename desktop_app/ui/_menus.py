"""The main window's menus and their standard shortcuts.

Kept apart from :py:mod:`~desktop_app.ui.main_window` so the window module
holds behaviour and this one the menu layout. Actions get object names so
tests, accessibility tools and later features (the plugins engineer's
"Reload plugins") can find them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from desktop_app.ui import _transfer_actions as transfer_actions

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow

__all__ = ["build_menus"]


def _action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    name: str,
    slot: Callable[[], object],
    shortcut: str | QKeySequence.StandardKey | None = None,
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """Add File, Edit, Tools, View and Help to the window's menu bar.

    The actions the window enables and disables are kept as attributes of
    the window (``add_action``, ``undo_action`` …).
    """
    bar = window.menuBar()

    file_menu = bar.addMenu("&File")
    _action(
        window,
        file_menu,
        "Open &data folder",
        "openDataFolderAction",
        window.open_data_folder,
    )
    _action(
        window,
        file_menu,
        "Open &plugins folder",
        "openPluginsFolderAction",
        window.open_plugins_folder,
    )
    file_menu.addSeparator()
    window.import_action = _action(
        window,
        file_menu,
        "&Import configurations…",
        "importAction",
        lambda: transfer_actions.import_configs(window),
    )
    window.export_action = _action(
        window,
        file_menu,
        "&Export configurations…",
        "exportAction",
        lambda: transfer_actions.export_configs(window),
    )
    file_menu.addSeparator()
    window.quit_action = _action(
        window, file_menu, "&Quit", "quitAction", window.close, "Ctrl+Q"
    )

    edit_menu = bar.addMenu("&Edit")
    window.undo_action = _action(
        window,
        edit_menu,
        "&Undo",
        "undoAction",
        window.undo_delete,
        QKeySequence.StandardKey.Undo,
    )
    edit_menu.addSeparator()
    # Through the window: its configurations pane is built after the
    # first frame (on first use at the latest).
    window.add_action = _action(
        window,
        edit_menu,
        "&Add configuration…",
        "addAction",
        lambda: window.config_panel.add_config(),
        "Ctrl+N",
    )
    window.edit_action = _action(
        window,
        edit_menu,
        "&Edit configuration…",
        "editAction",
        lambda: window.config_panel.edit_config(),
    )
    window.duplicate_action = _action(
        window,
        edit_menu,
        "Dupli&cate configuration",
        "duplicateAction",
        lambda: window.config_panel.duplicate_config(),
        "Ctrl+D",
    )
    window.delete_action = _action(
        window,
        edit_menu,
        "&Delete configuration",
        "deleteAction",
        lambda: window.config_panel.delete_config(),
    )
    edit_menu.addSeparator()
    window.find_action = _action(
        window,
        edit_menu,
        "&Find integration",
        "findAction",
        window.focus_filter,
        QKeySequence.StandardKey.Find,
    )

    tools_menu = bar.addMenu("&Tools")
    window.fire_signal_action = _action(
        window, tools_menu, "&Fire signal…", "fireSignalAction", window.fire_signal
    )
    # Left for the plugins work: enabled once plugins can be reloaded.
    window.reload_plugins_action = _action(
        window, tools_menu, "&Reload plugins", "reloadPluginsAction", lambda: None
    )
    window.reload_plugins_action.setEnabled(False)

    view_menu = bar.addMenu("&View")
    view_menu.addAction(window.activity_dock.toggleViewAction())

    help_menu = bar.addMenu("&Help")
    _action(
        window,
        help_menu,
        "&Getting started",
        "gettingStartedAction",
        window.show_getting_started,
        QKeySequence.StandardKey.HelpContents,
    )
    _action(
        window,
        help_menu,
        "&About desktop-app",
        "aboutAction",
        lambda: _show_about(window),
    )


def _show_about(window: MainWindow) -> None:
    # Imported when asked for: the About box (QMessageBox, platform) is
    # not part of the first frame.
    from desktop_app.ui._about import show_about

    show_about(window, window.manager)
