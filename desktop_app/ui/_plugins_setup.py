"""Wiring plugins into the main window: load after the first frame, off
the UI thread, watch the folder, Tools → Reload plugins and Tools →
Plugins…."""

from __future__ import annotations

import contextlib
import itertools
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop_app._paths import DataPaths
from desktop_app.manager import get_integration_manager
from desktop_app.plugins import PluginInfo, PluginManager
from desktop_app.ui._bridge import UiDispatcher
from desktop_app.ui._plugin_watcher import PluginWatcher

if TYPE_CHECKING:
    from desktop_app.ui._plugins_dialog import PluginsDialog

__all__ = ["install_plugins", "reload_plugins"]

#: Numbers each reload's hold on the window's list.
_reloads = itertools.count(1)

logger = logging.getLogger(__name__)

#: Seconds between two "Loading plugins… N of M" updates.
PROGRESS_INTERVAL = 0.25

#: How long after loading the folder watcher is armed: after the first
#: frame of the populated list, which it would otherwise delay.
WATCH_DELAY_MS = 300


def install_plugins(
    window: QMainWindow,
    paths: DataPaths,
    *,
    entry_points: bool = True,
    safe_mode: bool = False,
    on_loading: Callable[[PluginInfo], None] | None = None,
    on_finished: Callable[[], None] | None = None,
) -> PluginManager:
    """Load plugins into the process-wide manager and hook up the window.

    Meant as ``run_app(after_show=...)``: the window is on screen before any
    plugin code runs. Plugins are imported on a loader thread, each within
    the plugin manager's time limit, and registered back on the UI thread
    one by one, so the window keeps painting and answering while they load
    (the status bar counts them). A plugin whose import hangs is reported
    and skipped once its time is up. The folder watcher and Tools → Reload
    plugins start once loading is over.
    ``safe_mode`` and ``on_loading`` go to the :py:class:`PluginManager`
    (see :py:mod:`desktop_app.ui._safe_mode`); ``on_finished`` is called
    once every plugin has been dealt with.

    Returns:
        PluginManager: Also kept as ``window.plugin_manager``; its
        ``loading`` is True until every plugin has been dealt with.
    """
    plugins = PluginManager(
        get_integration_manager(),
        paths.plugins_dir,
        entry_points=entry_points,
        safe_mode=safe_mode,
        on_loading=on_loading,
    )
    # Kept on the window that owns them; any QMainWindow can host plugins,
    # so these are not declared attributes of one window class.
    window.plugin_manager = plugins  # type: ignore[attr-defined]
    model = getattr(window, "integration_model", None)
    if model is not None:
        # Integrations that broke stay listed, with why.
        model.set_plugins(plugins)
    # MainWindow.ready waits for the plugins too, and its panes wait for
    # them (they would only compete with loading; see hold_panes()).
    for name in ("hold_ready", "hold_panes"):
        hold = getattr(window, name, None)
        if callable(hold):
            hold("plugins")
    # Parented to the window: calls still queued when it goes are dropped.
    dispatcher = UiDispatcher(window)
    window.plugin_dispatcher = dispatcher  # type: ignore[attr-defined]
    status = window.statusBar()

    shown = [0.0]

    def progress(done: int, total: int, _info: PluginInfo) -> None:
        # A few updates a second: each one repaints the status bar, and
        # plugins register in many small batches.
        now = time.monotonic()
        if now - shown[0] >= PROGRESS_INTERVAL or done == total:
            shown[0] = now
            status.showMessage(f"Loading plugins… {done} of {total}")

    def finished() -> None:
        _refresh(window)
        _report(window, plugins)
        _hook_up(window, plugins)
        for name in ("release_panes", "release_ready"):
            release = getattr(window, name, None)
            if callable(release):
                release("plugins")
        if on_finished is not None:
            on_finished()
        # Watching the folder waits until the list is on screen (arming it
        # stats and watches every plugin file); the watcher's first scan,
        # off the UI thread, catches whatever changed in between.
        QTimer.singleShot(
            WATCH_DELAY_MS, window, lambda: _watch_folder(window, plugins)
        )

    status.showMessage("Loading plugins…")
    plugins.load_all_in_background(dispatcher, progress=progress, finished=finished)
    window.destroyed.connect(plugins.unload_all)
    return plugins


def _report(window: QMainWindow, plugins: PluginManager) -> None:
    """Say in the status bar how loading went, and announce plugins that
    failed with a banner ("2 plugins failed to load — Details")."""
    from desktop_app.ui._plugin_problems import update_problems_banner

    failed = [info for info in plugins.plugins if info.failed]
    loaded = sum(1 for info in plugins.plugins if info.loaded)
    text = f"Plugins loaded: {loaded}"
    if failed:
        text += f", {len(failed)} failed (Tools → Plugins… says why)"
    window.statusBar().showMessage(text, 10_000)
    update_problems_banner(window, plugins)


def _watch_folder(window: QMainWindow, plugins: PluginManager) -> None:
    watcher = PluginWatcher(
        plugins, lambda: reload_plugins(window, plugins), parent=window
    )
    window.plugin_watcher = watcher  # type: ignore[attr-defined]
    reload_plugins(window, plugins)


def _hook_up(window: QMainWindow, plugins: PluginManager) -> None:
    reload_action = window.findChild(QAction, "reloadPluginsAction")
    tools_menu = _tools_menu(window)
    if reload_action is None:
        reload_action = QAction("&Reload plugins", window)
        reload_action.setObjectName("reloadPluginsAction")
        tools_menu.addAction(reload_action)
    else:
        # Drop the window's placeholder slot; nothing connected is fine.
        with contextlib.suppress(RuntimeError, TypeError):
            reload_action.triggered.disconnect()
    reload_action.triggered.connect(
        lambda: reload_plugins(window, plugins, everything=True)
    )
    reload_action.setEnabled(True)  # the window disables it until plugins exist

    plugins_action = window.findChild(QAction, "pluginsAction")
    if plugins_action is None:
        plugins_action = QAction("&Plugins…", window)
        plugins_action.setObjectName("pluginsAction")
        tools_menu.addAction(plugins_action)
    plugins_action.triggered.connect(lambda: show_plugins_dialog(window, plugins))


def show_plugins_dialog(window: QMainWindow, plugins: PluginManager) -> PluginsDialog:
    """Open Tools → Plugins…."""
    from desktop_app.ui._plugins_dialog import PluginsDialog  # only when used

    dialog = PluginsDialog(plugins, window)
    dialog.open()
    return dialog


def reload_plugins(
    window: QMainWindow,
    plugins: PluginManager,
    *,
    everything: bool = False,
    then: Callable[[list[PluginInfo]], None] | None = None,
) -> None:
    """Reload plugins without blocking the window.

    ``everything`` reloads every enabled plugin (Tools → Reload plugins);
    otherwise only what changed in the folder (the folder watcher). Plugin
    code runs on the loader thread, within the time limit, as at start-up;
    the status bar counts, Reload plugins is greyed until it is over, and
    the integrations list is refreshed at the end. ``then`` gets the
    plugins added, reloaded or removed.
    """
    dispatcher = getattr(window, "plugin_dispatcher", None) or UiDispatcher(window)
    action = window.findChild(QAction, "reloadPluginsAction")
    if action is not None:
        action.setEnabled(False)
    # The list is refreshed once at the end, not at each plugin's
    # integrations going and coming back (one hold per reload).
    reason = f"plugin reload {next(_reloads)}"
    hold = getattr(window, "hold_registry", None)
    release = getattr(window, "release_registry", None)
    if callable(hold) and callable(release):
        hold(reason)
    else:
        release = None
    status = window.statusBar()
    if everything:
        status.showMessage("Reloading plugins…")

    def progress(done: int, total: int, _info: PluginInfo) -> None:
        status.showMessage(f"Reloading plugins… {done} of {total}")

    def finished(changed: list[PluginInfo]) -> None:
        if action is not None:
            action.setEnabled(True)
        if release is not None:
            release(reason)
        if changed or everything:
            _refresh(window, plugins)
            failed = sum(1 for info in changed if info.failed)
            text = f"Plugins reloaded: {len(changed)}"
            if failed:
                text += f", {failed} failed (Tools → Plugins… says why)"
            status.showMessage(text, 10_000)
        if changed:
            logger.info("Reloaded plugins: %s", ", ".join(i.name for i in changed))
        if then is not None:
            then(changed)

    try:
        plugins.reload_in_background(
            dispatcher, everything=everything, progress=progress, finished=finished
        )
    except BaseException:
        if release is not None:
            release(reason)
        raise


def _refresh(window: QMainWindow, plugins: PluginManager | None = None) -> None:
    reload = getattr(window, "reload_integrations", None)
    if callable(reload):
        reload()
    if plugins is not None and not plugins.loading:
        from desktop_app.ui._plugin_problems import update_problems_banner

        update_problems_banner(window, plugins)


def _tools_menu(window: QMainWindow) -> QMenu:
    bar = window.menuBar()
    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == "Tools":
            return menu
    return bar.addMenu("&Tools")
