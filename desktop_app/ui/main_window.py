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
from desktop_app.ui._activity_panel import ActivityPanel
from desktop_app.ui._bridge import ManagerEvents, UiDispatcher
from desktop_app.ui._config_delivery_actions import ConfigDeliveryActions
from desktop_app.ui._deferred import DeferredQueue
from desktop_app.ui._deliveries_feed import DeliveriesFeed
from desktop_app.ui._delivery_notices import DeliveryNotices
from desktop_app.ui._icons import clear_icon_cache
from desktop_app.ui._integration_list import (
    INTEGRATION_ROLE,
    IntegrationDelegate,
    IntegrationFilterModel,
    IntegrationListModel,
)
from desktop_app.ui._menus import build_menus
from desktop_app.ui._undo_delete import DeleteUndo
from desktop_app.ui.config_panel import ConfigPanel

if TYPE_CHECKING:
    from desktop_app.integration import Integration
    from desktop_app.manager import IntegrationManager
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
        self.activity_dock = QDockWidget("Activity", self)
        self.activity_dock.setObjectName("activityDock")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.activity_dock)
        self._deferred.add(self._build_activity_panel)

        build_menus(self)
        #: Failure notices in the status bar (and the tray when hidden).
        self.delivery_notices = DeliveryNotices(self, self.deliveries_feed)
        #: Deleted configurations, for Edit → Undo and the status bar.
        self.deletions = DeleteUndo(self, manager, self.undo_action)
        self.events.configChanged.connect(self._on_config_changed)
        self.events.integrationStateChanged.connect(self._on_integration_state_changed)
        self.events.configsReloaded.connect(self._on_configs_reloaded)
        self.integration_view.selectionModel().currentChanged.connect(
            self._on_integration_selected
        )
        self.resize(980, 680)
        self._restore_settings()
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
            panel.selectionChanged.connect(self._update_actions)
            panel.set_integration(integration)
            self.config_delivery_actions = ConfigDeliveryActions(
                panel, self._manager, self.deliveries_feed
            )
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
            panel = ActivityPanel(get_activity_log(), self._name_of, self)
            self._activity_panel = panel
            self.activity_dock.setWidget(panel)
        return panel

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
        layout.addWidget(self._left_stack, 1)

    # Integrations ---------------------------------------------------------

    def reload_integrations(self) -> None:
        """Re-read the registered integrations (after plugins loaded).

        The selected integration stays selected when it is still there.
        """
        current = self._current_integration()
        clear_icon_cache()
        self.integration_model.reload()
        self._update_empty_state()
        row = (
            self.integration_model.row_of(current.integration_id)
            if current is not None
            else -1
        )
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
        self._left_stack.setCurrentWidget(
            self.no_integrations_label if empty else self.integration_view
        )

    def _on_integration_selected(
        self, current: QModelIndex, previous: QModelIndex
    ) -> None:
        integration = current.data(INTEGRATION_ROLE) if current.isValid() else None
        panel = self._config_panel  # not built yet: it reads the list's current
        if panel is not None and integration is not panel.integration:
            panel.set_integration(integration)
        self._update_actions()

    def _on_filter_changed(self, text: str) -> None:
        self.integration_filter.setFilterFixedString(text)
        if not self.integration_view.currentIndex().isValid():
            self._select_first_integration()

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
