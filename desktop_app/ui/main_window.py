"""The main window: integrations, their configurations, live activity.

The window is handed the manager and follows its change signals (through
:py:class:`~desktop_app.ui._bridge.ManagerEvents`); it never runs SQL and
keeps no second copy of the configurations.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app._paths import DataPaths
from desktop_app.activity import get_activity_log
from desktop_app.config import IntegrationConfig
from desktop_app.ui._bridge import ManagerEvents, UiDispatcher
from desktop_app.ui._deferred import DeferredQueue
from desktop_app.ui._deliveries_feed import DeliveriesFeed
from desktop_app.ui._delivery_notices import DeliveryNotices
from desktop_app.ui._icons import clear_icon_cache
from desktop_app.ui._integration_list import (
    ID_ROLE,
    INTEGRATION_ROLE,
    UNAVAILABLE_ROLE,
    IntegrationDelegate,
    IntegrationFilterModel,
    IntegrationListModel,
)
from desktop_app.ui._menus import build_menus
from desktop_app.ui._undo_delete import DeleteUndo
from desktop_app.ui.config_panel import FILTER_DELAY_MS, ConfigPanel

if TYPE_CHECKING:
    from desktop_app.integration import Integration
    from desktop_app.manager import IntegrationManager
    from desktop_app.ui._activity_panel import ActivityPanel
    from desktop_app.ui._config_delivery_actions import ConfigDeliveryActions
    from desktop_app.ui._notice_banner import NoticeBanner

# Not imported here, to keep them off the path to the first frame: what only
# an error, a notice or a menu command needs (message boxes, banners,
# QDesktopServices) is imported where it is used.

__all__ = ["MainWindow"]


class MainWindow(QMainWindow):
    """The desktop-app window.

    Args:
        manager (IntegrationManager): The manager shown and edited.
        settings (QSettings, optional): Where window geometry and layout
            are kept; the application's default settings if omitted.
        parent (QWidget, optional): The parent widget.
    """

    # The menu actions, made by build_menus(); the window enables and
    # disables those that depend on the selection.
    import_action: QAction
    export_action: QAction
    quit_action: QAction
    undo_action: QAction
    add_action: QAction
    edit_action: QAction
    duplicate_action: QAction
    delete_action: QAction
    find_action: QAction
    fire_signal_action: QAction
    reload_plugins_action: QAction

    #: The window can be used: its panes are built and plugin loading (if
    #: the window loads plugins) is over. Check :py:attr:`is_ready` first;
    #: tests that build a window themselves wait for this before clicking.
    ready = Signal()

    def __init__(
        self,
        manager: IntegrationManager,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("desktop-app")
        self._manager = manager
        #: The manager shown (menus and dialogs use it).
        self.manager = manager
        self._settings = settings if settings is not None else QSettings()
        self._paths = DataPaths(Path(manager.store.path).parent)
        # Parented to the application, not the window: the manager keeps
        # dispatching after this window closes (an embedding host may go on).
        self._dispatcher = UiDispatcher(QApplication.instance())
        manager.start(self._dispatcher)
        self.events = ManagerEvents(manager, self)
        #: Stored deliveries and configuration statuses, on this thread.
        self.deliveries_feed = DeliveriesFeed(manager, parent=self)
        self.config_delivery_actions: ConfigDeliveryActions | None = None

        self.integration_model = IntegrationListModel(manager, self)
        self.integration_filter = IntegrationFilterModel(self)
        self.integration_filter.setSourceModel(self.integration_model)

        # What can wait for the shell's first frame is built after it, one
        # piece per event-loop turn (or when first asked for): opening the
        # window on 100,000 configs stalled the event loop ~45-60 ms in one
        # piece.
        self._deferred = DeferredQueue(self)
        self._build_left()
        # The configurations pane goes into this holder in the turn after
        # the first frame; the splitter sizes it (and restores its size)
        # from the start.
        self._config_panel: ConfigPanel | None = None
        self._details = QWidget(self)
        self._details.setObjectName("detailsPane")
        self._details_layout = QVBoxLayout(self._details)
        self._details_layout.setContentsMargins(0, 0, 0, 0)
        self._deferred.add(self._build_config_panel)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self._left)
        self.splitter.addWidget(self._details)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([340, 520])
        # Notices (damaged database, loose permissions) go above the panes.
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        self._notices_layout = QVBoxLayout()
        self._notices_layout.setContentsMargins(8, 8, 8, 0)
        central_layout.addLayout(self._notices_layout)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        # The dock now (the layout restored below places it); its panel in
        # the turn after the configurations pane (or when first asked for).
        self._activity_panel: ActivityPanel | None = None
        self._activity_waiting = False
        self.activity_dock = QDockWidget("Activity", self)
        self.activity_dock.setObjectName("activityDock")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.activity_dock)
        self._deferred.add(self._build_activity_panel)
        #: What the window still waits for before it is ready ("panes",
        #: "plugins"; see hold_ready()).
        self._ready_holds: set[str] = {"panes"}
        self._deferred.add(self._panes_built)

        build_menus(self)
        #: Failure notices in the status bar (and the tray when hidden).
        self.delivery_notices = DeliveryNotices(self, self.deliveries_feed)
        #: Deleted configurations, for Edit → Undo and the status bar.
        self.deletions = DeleteUndo(self, manager, self.undo_action)
        self.events.configChanged.connect(self._on_config_changed)
        self.events.integrationStateChanged.connect(self._on_integration_state_changed)
        self.events.configsReloaded.connect(self._on_configs_reloaded)
        # Integrations the host registers (or unregisters) while the window
        # is up show (or go) at the next turn, many at once as one reload.
        self._registry_timer = QTimer(self)
        self._registry_timer.setSingleShot(True)
        self._registry_timer.setInterval(0)
        self._registry_timer.timeout.connect(self._on_registry_settled)
        #: Why registry changes wait (a plugin reload refreshes the list at
        #: its end), and whether one came meanwhile.
        self._registry_holds: set[str] = set()
        self._registry_changed_while_held = False
        self.events.integrationsChanged.connect(self._on_registry_changed)
        self.integration_view.selectionModel().currentChanged.connect(
            self._on_integration_selected
        )
        self.resize(980, 680)
        self._restore_settings()
        # The Activity panel stays collapsed until something has run (it
        # opens by itself then, once); View → Activity opens it any time.
        # Once it has been on screen, the saved layout decides.
        seen = self._settings.value("mainWindow/activitySeen", False, type=bool)
        self._activity_waiting = not seen and len(get_activity_log()) == 0
        if self._activity_waiting:
            self.activity_dock.hide()
        self.activity_dock.visibilityChanged.connect(self._on_activity_visibility)
        self._update_empty_state()
        self._select_first_integration()
        self._update_actions()

    @property
    def config_panel(self) -> ConfigPanel:
        """The configurations pane (built in the event-loop turn after the
        window's first frame, or on first use)."""
        return self._build_config_panel()

    def _build_config_panel(self) -> ConfigPanel:
        panel = self._config_panel
        if panel is None:
            integration = self._current_integration()
            panel = ConfigPanel(self._manager, self._details)
            # The splitter sized (or restored) the empty holder; keep those
            # sizes now that the holder has the panel's minimum size, as if
            # the panel had been there from the start.
            sizes = self.splitter.sizes()
            self._details_layout.addWidget(panel)
            self._details_layout.activate()
            self.splitter.refresh()
            self.splitter.setSizes(sizes)
            panel.configDeleted.connect(self._on_config_deleted)
            panel.welcomeAction.connect(self._on_welcome_action)
            panel.selectionChanged.connect(self._update_actions)
            panel.set_integration(integration)
            # Imported with the pane it serves: after the list's first frame.
            from desktop_app.ui._config_delivery_actions import (
                ConfigDeliveryActions,
            )

            self.config_delivery_actions = ConfigDeliveryActions(
                panel, self._manager, self.deliveries_feed
            )
            current = self.integration_view.currentIndex()
            entry = current.data(UNAVAILABLE_ROLE) if current.isValid() else None
            if entry is not None:
                panel.set_unavailable(entry)
            # Shown now, not in a later turn as a child added to a shown
            # window would be: a panel asked for early (a test, a menu
            # command) can be clicked at once.
            if self._details.isVisible():
                panel.show()
            self._config_panel = panel
            self._update_actions()
        return panel

    @property
    def activity_panel(self) -> ActivityPanel:
        """The activity dock's panel (built on first use, or right after
        the window's first event-loop turn)."""
        return self._build_activity_panel()

    def _build_activity_panel(self) -> ActivityPanel:
        panel = self._activity_panel
        if panel is None:
            # Imported with the panel: after the list's first frame.
            from desktop_app.ui._activity_panel import ActivityPanel

            panel = ActivityPanel(get_activity_log(), self._name_of, self)
            self._activity_panel = panel
            self.activity_dock.setWidget(panel)
            if self.activity_dock.isVisible():
                panel.show()
            panel.model.rowsInserted.connect(self._on_first_activity)
            self._on_first_activity()
        return panel

    def _on_activity_visibility(self, visible: bool) -> None:
        if visible:
            self._activity_waiting = False
            self._settings.setValue("mainWindow/activitySeen", True)

    def _on_first_activity(self) -> None:
        # Collapsed until something has run (see __init__); shown once.
        panel = self._activity_panel
        if self._activity_waiting and panel is not None and panel.model.rowCount():
            self._activity_waiting = False
            self.activity_dock.show()

    # Readiness ------------------------------------------------------------

    @property
    def is_ready(self) -> bool:
        """Whether the panes are built and nothing holds the window back
        (see :py:attr:`ready`)."""
        return not self._ready_holds

    def hold_ready(self, reason: str) -> None:
        """Keep :py:attr:`is_ready` false until :py:meth:`release_ready` is
        called with the same reason (plugin loading does, for example)."""
        self._ready_holds.add(reason)

    def release_ready(self, reason: str) -> None:
        """Drop a hold; emits :py:attr:`ready` when it was the last."""
        if reason in self._ready_holds:
            self._ready_holds.discard(reason)
            if not self._ready_holds:
                self.ready.emit()

    def hold_panes(self, reason: str) -> None:
        """Put off building the panes (the configurations pane and the
        Activity panel) until :py:meth:`release_panes` with the same reason.

        Plugin loading holds them: until its integrations are registered
        there is nothing for the configurations pane to show, and building
        it meanwhile would only slow the list down. A pane asked for in the
        meantime is still built at once.
        """
        self._deferred.hold(reason)

    def release_panes(self, reason: str) -> None:
        """Drop a hold of :py:meth:`hold_panes`; the panes are built in the
        next event-loop turns, after the list's next frame."""
        self._deferred.release(reason)

    def _panes_built(self) -> None:
        self._build_config_panel()
        self._build_activity_panel()
        self.release_ready("panes")

    # Building -------------------------------------------------------------

    def _build_left(self) -> None:
        self._left = QWidget(self)
        layout = QVBoxLayout(self._left)
        layout.setContentsMargins(8, 8, 4, 8)
        self.filter_edit = QLineEdit(self._left)
        self.filter_edit.setObjectName("integrationFilter")
        self.filter_edit.setPlaceholderText("Filter integrations (Ctrl+F)")
        self.filter_edit.setAccessibleName("Filter integrations")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        layout.addWidget(self.filter_edit)

        self._left_stack = QStackedWidget(self._left)
        self.integration_view = _IntegrationView(self._left_stack)
        self.integration_view.setObjectName("integrationList")
        self.integration_view.setAccessibleName("Integrations")
        self.integration_view.setModel(self.integration_filter)
        self.integration_view.setItemDelegate(
            IntegrationDelegate(self.integration_view)
        )
        self.integration_view.setUniformItemSizes(True)
        self.integration_view.setSelectionMode(
            QAbstractItemView.SelectionMode.SingleSelection
        )
        self._left_stack.addWidget(self.integration_view)
        self.no_integrations_label = QLabel(self._left_stack)
        self.no_integrations_label.setObjectName("integrationEmptyState")
        self.no_integrations_label.setWordWrap(True)
        self.no_integrations_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_integrations_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
        )
        self.no_integrations_label.setText(
            "No integrations registered — drop a plugin into<br>"
            f'<a href="plugins">{self._paths.plugins_dir}</a>'
        )
        self.no_integrations_label.linkActivated.connect(self.open_plugins_folder)
        self._left_stack.addWidget(self.no_integrations_label)
        self.no_matches_label = QLabel(self._left_stack)
        self.no_matches_label.setObjectName("integrationNoMatches")
        self.no_matches_label.setWordWrap(True)
        self.no_matches_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._left_stack.addWidget(self.no_matches_label)
        # Configuration names and setting values are searched after a short
        # pause in typing (one query per pause, not per key).
        self._config_search_timer = QTimer(self)
        self._config_search_timer.setSingleShot(True)
        self._config_search_timer.setInterval(FILTER_DELAY_MS)
        self._config_search_timer.timeout.connect(self._search_configs)
        layout.addWidget(self._left_stack, 1)

    # Integrations ---------------------------------------------------------

    def reload_integrations(self) -> None:
        """Re-read the registered integrations (after plugins loaded).

        The selected integration stays selected when it is still there,
        loaded or not (a plugin that broke leaves its integration listed as
        "Failed to load").
        """
        # What the registry's signals asked for, if still waiting, is this.
        self._registry_timer.stop()
        current = self.integration_view.currentIndex()
        current_id = current.data(ID_ROLE) if current.isValid() else None
        clear_icon_cache()
        self.integration_model.reload()
        self._update_empty_state()
        row = self.integration_model.row_of(current_id) if current_id else -1
        if row >= 0:
            self._select_source_row(row)
        else:
            self._select_first_integration()

    def selected_integration(self) -> Integration | None:
        """Return the integration shown in the detail pane, or ``None``."""
        return self.config_panel.integration

    def _current_integration(self) -> Integration | None:
        # What the detail pane shows, or will show once it is built: the
        # list's current integration.
        if self._config_panel is not None:
            return self._config_panel.integration
        current = self.integration_view.currentIndex()
        return current.data(INTEGRATION_ROLE) if current.isValid() else None

    def _select_first_integration(self) -> None:
        if self.integration_filter.rowCount() > 0:
            self.integration_view.setCurrentIndex(self.integration_filter.index(0, 0))
        elif self._config_panel is not None:
            self._config_panel.set_integration(None)

    def _select_source_row(self, row: int) -> None:
        index = self.integration_filter.mapFromSource(self.integration_model.index(row))
        if index.isValid():
            self.integration_view.setCurrentIndex(index)

    def show_config_deliveries(self, integration_id: str, config_id: int) -> None:
        """Select a configuration and open its deliveries."""
        row = self.integration_model.row_of(integration_id)
        if row >= 0:
            self._select_source_row(row)
        self.config_panel.select_config(config_id)
        if self.config_delivery_actions is not None:
            self.config_delivery_actions.show_history(config_id)

    def _update_empty_state(self) -> None:
        empty = self.integration_model.rowCount() == 0
        text = self.filter_edit.text().strip()
        if empty:
            self._left_stack.setCurrentWidget(self.no_integrations_label)
        elif text and self.integration_filter.rowCount() == 0:
            from desktop_app.ui._choice_list import no_matches_text

            self.no_matches_label.setText(no_matches_text(text))
            self._left_stack.setCurrentWidget(self.no_matches_label)
        else:
            self._left_stack.setCurrentWidget(self.integration_view)

    def _on_integration_selected(
        self, current: QModelIndex, previous: QModelIndex
    ) -> None:
        integration = current.data(INTEGRATION_ROLE) if current.isValid() else None
        entry = current.data(UNAVAILABLE_ROLE) if current.isValid() else None
        panel = self._config_panel  # not built yet: it reads the list's current
        if panel is not None and entry is not None:
            panel.set_unavailable(entry)
        elif panel is not None and (
            integration is not panel.integration or panel.unavailable is not None
        ):
            panel.set_integration(integration)
        self._update_actions()

    def _on_filter_changed(self, text: str) -> None:
        self.integration_filter.setFilterFixedString(text)
        if text.strip():
            self._config_search_timer.start()
        else:
            self._config_search_timer.stop()
            self.integration_model.set_config_matches({})
        self._after_filtering()

    def _search_configs(self) -> None:
        """Also list integrations whose configurations match the filter by
        name or setting value (never a secret's), naming those matches."""
        from desktop_app._config_search import search_configs

        text = self.filter_edit.text().strip()
        matches = search_configs(self._manager, text) if text else {}
        self.integration_model.set_config_matches(matches)
        self.integration_filter.invalidate()
        self._after_filtering()

    def _after_filtering(self) -> None:
        if not self.integration_view.currentIndex().isValid():
            self._select_first_integration()
        self._update_empty_state()

    def focus_filter(self) -> None:
        """Edit → Find (Ctrl+F): type to narrow the integrations list."""
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _name_of(self, integration_id: str) -> str:
        try:
            return self._manager.get_integration(integration_id).display_name
        except Exception:  # unregistered (a plugin went away): show the id
            return integration_id

    # Change signals -------------------------------------------------------

    def _on_config_changed(self, kind: str, config: IntegrationConfig) -> None:
        self.integration_model.refresh_counts()
        panel = self._config_panel  # not built yet: it reads what is stored
        if panel is not None:
            selected_id = self._selected_config_id()
            panel.model.on_config_changed(kind, config)
            panel.select_config(selected_id)

    def _on_integration_state_changed(self, integration: Integration) -> None:
        self.integration_model.refresh_state()

    def hold_registry(self, reason: str) -> None:
        """Let integrations registered or unregistered meanwhile wait for
        :py:meth:`release_registry` (a plugin reload shows them all at its
        end, in one reload of the list)."""
        self._registry_holds.add(reason)

    def release_registry(self, reason: str) -> None:
        """Drop a hold; a change that waited reloads the list at the next
        turn, unless :py:meth:`reload_integrations` runs first."""
        self._registry_holds.discard(reason)
        if not self._registry_holds and self._registry_changed_while_held:
            self._registry_changed_while_held = False
            self._on_registry_changed()

    def _registry_held(self) -> bool:
        # While plugins first load, the loader shows them all at the end.
        return bool(self._registry_holds) or "plugins" in self._ready_holds

    def _on_registry_changed(self) -> None:
        if self._registry_holds:
            self._registry_changed_while_held = True
        elif not self._registry_held():
            self._registry_timer.start()

    def _on_registry_settled(self) -> None:
        if not self._registry_held():
            self.reload_integrations()

    def _on_configs_reloaded(self) -> None:
        self.integration_model.refresh_counts()
        panel = self._config_panel
        if panel is not None:
            selected_id = self._selected_config_id()
            panel.model.reload()
            panel.select_config(selected_id)

    def _selected_config_id(self) -> int | None:
        panel = self._config_panel
        config = panel.selected_config() if panel is not None else None
        return config.id if config is not None else None

    # Delete and Undo ------------------------------------------------------

    def _on_config_deleted(self, config: IntegrationConfig) -> None:
        self.deletions.deleted(config)

    def undo_delete(self) -> None:
        """Bring back the configuration deleted last, under its old id
        (again for the one before, and so on)."""
        self.deletions.undo()

    def _update_actions(self) -> None:
        panel = self._config_panel
        has_integration = self._current_integration() is not None
        has_selection = panel is not None and panel.selected_config() is not None
        # A read-only database: nothing that writes (the banner says why).
        writable = not self._manager.store.read_only
        self.add_action.setEnabled(has_integration and writable)
        for action in (self.edit_action, self.duplicate_action, self.delete_action):
            action.setEnabled(has_selection and writable)
        if panel is not None and panel.unavailable is not None:
            # Not loaded: its configurations are read-only (View…).
            self.edit_action.setEnabled(has_selection)
            self.duplicate_action.setEnabled(False)
        self.import_action.setEnabled(writable)

    # Notices --------------------------------------------------------------

    def show_notice(self, text: str, folder: Path | None = None) -> NoticeBanner:
        """Show a warning banner above the panes until the user dismisses it.

        Args:
            text (str): One paragraph in plain words.
            folder (Path, optional): Offered with a "Show folder" button.

        Returns:
            NoticeBanner: The banner shown.
        """
        from desktop_app.ui._notice_banner import NoticeBanner

        banner = NoticeBanner(text, folder, self)
        self._notices_layout.addWidget(banner)
        banner.show()  # children added to a shown window start hidden
        return banner

    def notices(self) -> list[NoticeBanner]:
        """Return the banners still shown, oldest first."""
        from desktop_app.ui._notice_banner import NoticeBanner

        return [
            banner
            for banner in self.findChildren(NoticeBanner)
            if not banner.isHidden()
        ]

    # Tools and folders ----------------------------------------------------

    def fire_signal(self) -> None:
        """Open Tools → Fire signal…."""
        # Imported when used: dialogs stay off the path to the first frame.
        from desktop_app.ui._fire_signal_dialog import FireSignalDialog

        dialog = FireSignalDialog(self)
        dialog.exec()

    def show_getting_started(self) -> None:
        """Open Help → Getting started (the guide shipped with the app)."""
        from desktop_app.ui._help_window import GettingStartedWindow

        window = self.findChild(GettingStartedWindow)
        if window is None:
            window = GettingStartedWindow(self)
        window.show()
        window.raise_()
        window.activateWindow()

    def _on_welcome_action(self, link: str) -> None:
        if link == "fire":
            self.fire_signal()
        elif link == "help":
            self.show_getting_started()

    def open_data_folder(self) -> None:
        """Show the data folder in the file manager."""
        _open_folder(self._paths.data_dir)

    def open_plugins_folder(self, *args: Any) -> None:
        """Show the plugins folder in the file manager (created if needed)."""
        self._paths.plugins_dir.mkdir(parents=True, exist_ok=True)
        _open_folder(self._paths.plugins_dir)

    # Settings -------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = self._settings
        geometry = settings.value("mainWindow/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("mainWindow/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = settings.value("mainWindow/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def save_settings(self) -> None:
        """Keep the window's size, splitter and dock layout for next time."""
        settings = self._settings
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.setValue("mainWindow/state", self.saveState())
        settings.setValue("mainWindow/splitter", self.splitter.saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Save the layout and stop following the manager and the log."""
        self.save_settings()
        self.events.close()
        self.deliveries_feed.close()
        if self._config_panel is not None:
            self._config_panel.model.stop_reading()
        if self._activity_panel is not None:
            self._activity_panel.close_feed()
        super().closeEvent(event)


class _IntegrationView(QListView):
    """The integrations list; emits :py:attr:`rowsPainted` after each paint
    that showed rows.

    A paint override, not an event filter on ``viewport()``: the first
    ``viewport()`` call from Python makes PySide6 resolve the viewport's
    type through every QWidget subclass it knows (creating their enums), on
    the UI thread while the window opens.
    """

    #: A paint showed rows (the window warms the store's writes after the
    #: first; the start-up probe reports it).
    rowsPainted = Signal()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.model().rowCount() > 0:
            self.rowsPainted.emit()


def _open_folder(folder: Path) -> None:
    """Show a folder in the file manager."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
