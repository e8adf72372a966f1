"""The detail pane: the selected integration and its configurations.

Shows the integration's description, its configurations (``configList``)
and the buttons that add, edit, duplicate and delete them. Deleting asks
first and then tells the window (``configDeleted``) so it can offer Undo.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import IntegrationConfig
from desktop_app.errors import StoreError
from desktop_app.store import ConfigRecord
from desktop_app.ui._choice_list import no_matches_text
from desktop_app.ui._config_list import (
    CONFIG_ROLE,
    ENABLED_COLUMN,
    NAME_COLUMN,
    UPDATED_COLUMN,
    ConfigListModel,
)
from desktop_app.ui._views import compact_rows

if TYPE_CHECKING:
    from desktop_app._unavailable import UnavailableIntegration
    from desktop_app.integration import Integration
    from desktop_app.manager import IntegrationManager

__all__ = ["FILTER_DELAY_MS", "ConfigPanel"]

#: Typing pauses this long before the list is filtered: one query per
#: pause, not one per key.
FILTER_DELAY_MS = 150


class ConfigPanel(QWidget):
    """The configurations of one integration, with their actions.

    Args:
        manager (IntegrationManager): Reads and saves configurations.
        parent (QWidget, optional): The parent widget.
    """

    #: A configuration was deleted (the full copy, for Undo).
    configDeleted = Signal(object)
    #: The selection changed; the window updates its Edit menu.
    selectionChanged = Signal()
    #: A welcome link asked for something the window does ("fire", "help").
    welcomeAction = Signal(str)

    def __init__(
        self, manager: IntegrationManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._manager = manager
        self._integration: Integration | None = None
        #: Shown read-only: an integration that is not loaded.
        self._unavailable: UnavailableIntegration | None = None
        self.model = ConfigListModel(manager, self)
        self.model.saveFailed.connect(self._on_save_failed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        self.title_label = QLabel("", self)
        self.title_label.setObjectName("integrationTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        layout.addWidget(self.title_label)
        self.description_label = QLabel("", self)
        self.description_label.setObjectName("integrationDescription")
        self.description_label.setWordWrap(True)
        layout.addWidget(self.description_label)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("configFilter")
        self.filter_edit.setPlaceholderText("Filter configurations by name")
        self.filter_edit.setAccessibleName("Filter configurations")
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        layout.addWidget(self.filter_edit)

        self.stack = QStackedWidget(self)
        self.view = QTableView(self.stack)
        self.view.setObjectName("configList")
        self.view.setAccessibleName("Configurations")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        compact_rows(self.view)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(
            ENABLED_COLUMN, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(
            UPDATED_COLUMN, QHeaderView.ResizeMode.ResizeToContents
        )
        # Size those columns from the rows on screen, not from the first
        # 1,000 loaded ones (Qt's default): measuring 1,000 rows called
        # data() ten times per row, a stall each time the list was shown or
        # reset. Every row's check box and timestamp have the same
        # width, so the visible ones are a fair sample.
        header.setResizeContentsPrecision(0)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.selectionModel().selectionChanged.connect(self.selectionChanged)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.rowsInserted.connect(self._update_empty_state)
        self.model.rowsRemoved.connect(self._update_empty_state)
        self.view.installEventFilter(self)
        self.stack.addWidget(self.view)

        self.empty_label = QLabel(self.stack)
        self.empty_label.setObjectName("configEmptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setText('No configurations yet — <a href="add">Add one</a>')
        self.empty_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.empty_label.linkActivated.connect(self._on_empty_link)
        self.stack.addWidget(self.empty_label)
        # Until the first configuration exists anywhere: the welcome.
        from desktop_app.ui._welcome import WelcomeLabel

        self.welcome = WelcomeLabel(self.stack)
        self.welcome.action.connect(self._on_welcome_action)
        self.stack.addWidget(self.welcome)
        self.no_matches_label = QLabel(self.stack)
        self.no_matches_label.setObjectName("configNoMatches")
        self.no_matches_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_matches_label.setWordWrap(True)
        self.stack.addWidget(self.no_matches_label)
        layout.addWidget(self.stack, 1)

        buttons = QHBoxLayout()
        self.add_button = self._button("&Add…", "addConfigButton", self.add_config)
        self.add_button.setToolTip("Add a configuration of this integration")
        self.edit_button = self._button("Ed&it…", "editConfigButton", self.edit_config)
        self.edit_button.setToolTip("Change the selected configuration (Enter)")
        self.duplicate_button = self._button(
            "D&uplicate", "duplicateConfigButton", self.duplicate_config
        )
        self.duplicate_button.setToolTip("Save a copy of the selected configuration")
        self.delete_button = self._button(
            "&Delete", "deleteConfigButton", self.delete_config
        )
        self.delete_button.setToolTip(
            "Delete the selected configuration (Del); Edit → Undo brings it back"
        )
        for button in (
            self.add_button,
            self.edit_button,
            self.duplicate_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        #: The buttons' row (more are added by the window's delivery actions).
        self.button_row = buttons
        layout.addLayout(buttons)
        self.selectionChanged.connect(self._update_buttons)
        self.set_integration(None)

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # Showing --------------------------------------------------------------

    @property
    def integration(self) -> Integration | None:
        """The integration shown, or ``None``."""
        return self._integration

    @property
    def unavailable(self) -> UnavailableIntegration | None:
        """The not-loaded integration shown read-only, or ``None``."""
        return self._unavailable

    def set_unavailable(self, entry: UnavailableIntegration) -> None:
        """Show the configurations of an integration that is not loaded,
        greyed and read-only: settings can be viewed, not edited."""
        from desktop_app.ui._integration_list import unavailable_label

        self.set_integration(None)
        self._unavailable = entry
        self.title_label.setText(entry.display_name)
        self.description_label.setText(
            f"<b>{unavailable_label(entry)}.</b> {_html(entry.reason)}<br>"
            "Its configurations are kept and shown read-only (View… shows "
            "their settings). Fix or turn on the plugin in Tools → Plugins… "
            "to edit them again."
        )
        self.model.set_integration(entry.integration_id)
        self.stack.setVisible(True)
        self.filter_edit.setVisible(True)
        self._set_greyed(True)
        self._update_buttons()

    def _set_greyed(self, greyed: bool) -> None:
        palette = self.palette()
        if greyed:
            grey = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
                palette.setColor(group, QPalette.ColorRole.Text, grey)
                palette.setColor(group, QPalette.ColorRole.WindowText, grey)
        self.view.setPalette(palette)
        self.title_label.setPalette(palette)
        self.model.read_only = greyed
        self.edit_button.setText("&View…" if greyed else "&Edit…")
        self.edit_button.setToolTip(
            "Show the selected configuration's settings (read-only)"
            if greyed
            else "Change the selected configuration (Enter)"
        )

    def set_integration(self, integration: Integration | None) -> None:
        """Show an integration's configurations (``None``: nothing)."""
        self._integration = integration
        if self._unavailable is not None:
            self._unavailable = None
            self._set_greyed(False)
        # Another integration starts unfiltered.
        self._filter_timer.stop()
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        if integration is None:
            self.title_label.setText("")
            self.description_label.setText("Select an integration.")
        else:
            self.title_label.setText(integration.display_name)
            self.description_label.setText(integration.description or "")
        self.model.set_integration(
            integration.integration_id if integration is not None else None
        )
        # Without an integration there is nothing to list or add to.
        self.stack.setVisible(integration is not None)
        self.filter_edit.setVisible(integration is not None)
        self._update_buttons()

    def selected_config(self) -> ConfigRecord | None:
        """Return the selected configuration (as listed), or ``None``."""
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(CONFIG_ROLE) if rows else None

    def select_config(self, config_id: int | None) -> None:
        """Select a configuration's row, when it is loaded."""
        row = self.model.row_of(config_id)
        if row < 0:
            return
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, NAME_COLUMN),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(self.model.index(row, NAME_COLUMN))

    def set_filter(self, text: str) -> None:
        """Filter the list now (as typing into ``configFilter`` does after
        a pause)."""
        self.filter_edit.blockSignals(True)
        self.filter_edit.setText(text)
        self.filter_edit.blockSignals(False)
        self._apply_filter()

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_search(self.filter_edit.text().strip())

    def _on_model_reset(self) -> None:
        self._update_empty_state()
        self.selectionChanged.emit()

    def _update_empty_state(self) -> None:
        # "No configurations yet" only when there are none, not when the
        # filter matches none; the welcome while none exists anywhere.
        none_here = self.model.total() == 0
        if none_here and self.model.search:
            self.no_matches_label.setText(no_matches_text(self.model.search))
            self.stack.setCurrentWidget(self.no_matches_label)
        elif none_here and self._integration is not None:
            counts = self._manager.count_configs().values()
            first_start = not any(total for total, _enabled in counts)
            self.stack.setCurrentWidget(
                self.welcome if first_start else self.empty_label
            )
        else:
            self.stack.setCurrentWidget(self.view)

    def _on_welcome_action(self, link: str) -> None:
        if link == "add":
            self.add_config()
        else:
            self.welcomeAction.emit(link)

    def _update_buttons(self) -> None:
        # A read-only database (see ConfigStore.read_only) disables every
        # button that would write; the start-up banner says why.
        writable = not self._read_only()
        has_integration = self._integration is not None
        has_selection = self.selected_config() is not None
        self.add_button.setEnabled(has_integration and writable)
        for button in (self.edit_button, self.duplicate_button, self.delete_button):
            button.setEnabled(has_selection and writable)
        if self._unavailable is not None:
            # Read-only: view the settings; deleting stays possible (Undo).
            self.edit_button.setEnabled(has_selection)
            self.duplicate_button.setEnabled(False)

    def _read_only(self) -> bool:
        return self._manager.store.read_only

    # Actions --------------------------------------------------------------

    def add_config(self) -> None:
        """Open the dialog for a new configuration."""
        integration = self._integration
        if integration is None or self._read_only():
            return
        self._open_dialog(integration, None)

    def edit_config(self) -> None:
        """Open the dialog for the selected configuration (a read-only view
        when its integration is not loaded)."""
        selected = self.selected_config()
        if self._unavailable is not None:
            self.view_config()
            return
        integration = self._integration
        if selected is None or selected.id is None or integration is None:
            return
        if self._read_only():  # Enter or a double click
            return
        try:
            config = self._manager.get_config(selected.id)
        except StoreError as e:
            self._show_error("Cannot edit the configuration", str(e))
            return
        self._open_dialog(integration, config)

    def view_config(self) -> None:
        """Show the selected configuration's settings, read-only."""
        selected = self.selected_config()
        entry = self._unavailable
        if selected is None or selected.id is None or entry is None:
            return
        from desktop_app.ui._config_viewer import ConfigViewer  # only when used

        try:
            record = self._manager.store.get_config(selected.id)
        except StoreError as e:
            self._show_error("Cannot show the configuration", str(e))
            return
        ConfigViewer(record, entry.reason, self).exec()

    def _open_dialog(
        self, integration: Integration, config: IntegrationConfig | None
    ) -> None:
        """Run the generated dialog (adding when ``config`` is ``None``) and
        select what it saved."""
        from desktop_app.ui.config_dialog import ConfigDialog  # only when used

        try:
            dialog = ConfigDialog(integration, config, self)
        except Exception as e:  # the integration's form code: __init__, load()
            from desktop_app.ui._form_problems import form_open_failure

            form_cls = integration.config_form_cls
            self._show_error(
                "Cannot open the configuration",
                form_open_failure(e, form_cls=form_cls or type(None)),
            )
            return
        if dialog.exec() and dialog.saved_config is not None:
            self.select_config(dialog.saved_config.id)

    def duplicate_config(self) -> None:
        """Store a copy of the selected configuration, named "… (copy)"."""
        selected = self.selected_config()
        if selected is None or selected.id is None or self._read_only():
            return
        if self._unavailable is not None:
            return  # read-only: a copy would be just as orphaned
        try:
            copy = self._manager.get_config(selected.id).copy()
            copy.id = None
            copy.name = f"{copy.name} (copy)"[:255]
            copy.revision = 0
            self._manager.save_config(copy)
        except StoreError as e:
            self._show_error("Cannot duplicate the configuration", str(e))
            return
        self.select_config(copy.id)

    def delete_config(self) -> None:
        """Delete the selected configuration after asking; offer Undo."""
        selected = self.selected_config()
        if selected is None or selected.id is None or self._read_only():
            return
        from PySide6.QtWidgets import QMessageBox  # off the first frame's path

        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete configuration",
            f'Delete the configuration "{selected.name}"?',
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("deleteConfirmBox")
        box.button(QMessageBox.StandardButton.Yes).setText("Delete")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        try:
            config = self._manager.get_config(selected.id)
            self._manager.delete_config(config)
        except StoreError as e:
            self._show_error("Cannot delete the configuration", str(e))
            return
        self.configDeleted.emit(config)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.column() != ENABLED_COLUMN:
            self.edit_config()

    def _on_empty_link(self, link: str) -> None:
        self.add_config()

    def _on_save_failed(self, message: str) -> None:
        self._show_error("Cannot save the configuration", message)

    def _show_error(self, title: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, title, message)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter edits and Delete deletes in the configuration list."""
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_config()
                return True
            if key == Qt.Key.Key_Delete:
                self.delete_config()
                return True
        return super().eventFilter(watched, event)


def _html(text: str) -> str:
    import html

    return html.escape(text)
