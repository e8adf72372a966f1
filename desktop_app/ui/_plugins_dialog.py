"""The plugins page: every plugin, its status, and an enable switch."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.plugins import PluginInfo, PluginManager
from desktop_app.ui._bridge import UiDispatcher

__all__ = ["PluginsDialog"]

_COLUMNS = ("Enabled", "Name", "Source", "Version", "Status", "Registered", "Error")


class PluginsDialog(QDialog):
    """Lists plugins; the first column's check box enables or disables one
    (stored at once); selecting a failed plugin shows its traceback.

    Args:
        plugins (PluginManager): The plugins shown and changed.
        parent (QWidget, optional): Owner window.
    """

    def __init__(self, plugins: PluginManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dispatch = UiDispatcher(self)
        self.setObjectName("pluginsDialog")
        self.setWindowTitle("Plugins")
        self.resize(820, 460)
        self._plugins = plugins
        self._filling = False

        self.table = QTableWidget(0, len(_COLUMNS), self)
        self.table.setObjectName("pluginsTable")
        self.table.setHorizontalHeaderLabels(_COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)

        self.details = QPlainTextEdit(self)
        self.details.setObjectName("pluginDetails")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select a plugin to see its details.")

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.reload_button = QPushButton("&Reload all", self)
        self.reload_button.setObjectName("reloadAllButton")
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.reload_button.clicked.connect(self._on_reload_all)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the plugins (after a load, reload or change)."""
        self._filling = True
        try:
            plugins = self._plugins.plugins
            self.table.setRowCount(len(plugins))
            for row, info in enumerate(plugins):
                check = QTableWidgetItem()
                check.setFlags(
                    Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                )
                enabled = self._plugins.state.is_enabled(info.key)
                check.setCheckState(
                    Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked
                )
                check.setData(Qt.ItemDataRole.UserRole, info.key)
                self.table.setItem(row, 0, check)
                texts = (
                    info.name,
                    info.source,
                    info.shown_version() or "",
                    info.status,
                    info.registered_summary(),
                    info.error,
                )
                for column, text in enumerate(texts, start=1):
                    item = QTableWidgetItem(text)
                    item.setToolTip(text)
                    self.table.setItem(row, column, item)
        finally:
            self._filling = False
        self._on_selection_changed()

    def info_at(self, row: int) -> PluginInfo:
        item = self.table.item(row, 0)
        if item is None:
            raise IndexError(f"No plugin in row {row}")
        key = item.data(Qt.ItemDataRole.UserRole)
        return self._plugins.get(key)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        key = item.data(Qt.ItemDataRole.UserRole)

        def applied() -> None:
            self._notify_parent()
            self.refresh()

        # A plugin being enabled imports on the loader thread, never here.
        self._plugins.set_enabled(
            key,
            item.checkState() == Qt.CheckState.Checked,
            dispatch=self._dispatch,
            finished=applied,
        )

    def _on_reload_all(self) -> None:
        # Off the UI thread, as Tools → Reload plugins; the table follows
        # once every plugin has been dealt with.
        from desktop_app.ui._plugins_setup import reload_plugins

        self.reload_button.setEnabled(False)

        def done(_changed: list[PluginInfo]) -> None:
            self.reload_button.setEnabled(True)
            self.refresh()

        window = self.parent()
        assert isinstance(window, QMainWindow), "the dialog belongs to a window"
        reload_plugins(window, self._plugins, everything=True, then=done)

    def _notify_parent(self) -> None:
        reload = getattr(self.parent(), "reload_integrations", None)
        if callable(reload):
            reload()

    def _on_selection_changed(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if not rows:
            self.details.setPlainText("")
            return
        info = self.info_at(min(rows))
        lines = [
            f"{info.name} ({info.source}) — {info.status}",
            f"Path: {info.path or '-'}",
            f"Module: {info.module_name}",
        ]
        if info.registered_summary():
            lines.append(f"Registered: {info.registered_summary()}")
        if info.error:
            lines += ["", info.error, "", info.traceback]
        self.details.setPlainText("\n".join(lines))
