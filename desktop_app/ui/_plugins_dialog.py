"""The plugins page: problems first, in plain words, with what to do.

Each plugin's row says whether it loaded; one that failed or was refused
comes first and says so ("Failed to load"), never "Enabled". Selecting a
plugin shows what went wrong in plain words, where (file and line), the
technical error wrapped to the page, and the actions: Open file, Show
folder, Disable (or Turn on).
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.plugins import PluginInfo, PluginManager
from desktop_app.ui._bridge import UiDispatcher
from desktop_app.ui._plugin_problems import (
    has_problem,
    plain_problem,
    problem_location,
    status_text,
)

__all__ = ["COLUMNS", "PluginsDialog"]

#: Column titles, in order ("On" is the switch; a plugin with a problem has
#: none there: it is not running, whatever was chosen).
COLUMNS = ("On", "Plugin", "Status", "From", "Version", "Provides")
_ON, _NAME, _STATUS, _FROM, _VERSION, _PROVIDES = range(len(COLUMNS))


def _source_text(info: PluginInfo) -> str:
    return "Plugins folder" if info.source == "folder" else "Installed package"


class PluginsDialog(QDialog):
    """Lists plugins, problems first; the "On" column's check box turns one
    on or off (stored at once); the pane below explains the selected one.

    Args:
        plugins (PluginManager): The plugins shown and changed.
        parent (QWidget, optional): Owner window.
    """

    def __init__(self, plugins: PluginManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dispatch = UiDispatcher(self)
        self.setObjectName("pluginsDialog")
        self.setWindowTitle("Plugins")
        self.resize(860, 560)
        self._plugins = plugins
        self._filling = False

        self.summary = QLabel("", self)
        self.summary.setObjectName("pluginsSummary")
        self.summary.setWordWrap(True)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("pluginsTable")
        self.table.setAccessibleName("Plugins")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)

        self.details = QTextBrowser(self)
        self.details.setObjectName("pluginDetails")
        self.details.setAccessibleName("Plugin details")
        self.details.setOpenLinks(False)
        self.details.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.details.setPlaceholderText("Select a plugin to see its details.")

        actions = QHBoxLayout()
        self.open_file_button = self._button(
            "&Open file", "openPluginFile", "Open the plugin's file in your editor"
        )
        self.open_file_button.clicked.connect(self._on_open_file)
        self.show_folder_button = self._button(
            "Show &folder", "showPluginFolder", "Show the folder holding the plugin"
        )
        self.show_folder_button.clicked.connect(self._on_show_folder)
        self.disable_button = self._button(
            "&Disable", "disablePlugin", "Stop loading this plugin"
        )
        self.disable_button.clicked.connect(self._on_toggle)
        for button in (
            self.open_file_button,
            self.show_folder_button,
            self.disable_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.details, 1)
        lower_layout.addLayout(actions)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.reload_button = QPushButton("&Reload all", self)
        self.reload_button.setObjectName("reloadAllButton")
        self.reload_button.setToolTip("Load every plugin again from its files")
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.reload_button.clicked.connect(self._on_reload_all)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.refresh()

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        return button

    # Filling --------------------------------------------------------------

    def ordered_plugins(self) -> list[PluginInfo]:
        """The plugins in the order shown: problems first, then by name."""
        return sorted(
            self._plugins.plugins,
            key=lambda info: (not has_problem(info), info.name.casefold()),
        )

    def refresh(self) -> None:
        """Re-read the plugins (after a load, reload or change)."""
        selected = self._selected_key()
        self._filling = True
        try:
            plugins = self.ordered_plugins()
            self.table.setRowCount(len(plugins))
            for row, info in enumerate(plugins):
                self._fill_row(row, info)
        finally:
            self._filling = False
        problems = sum(1 for info in plugins if has_problem(info))
        if problems:
            noun = "plugin has a problem" if problems == 1 else "plugins have problems"
            self.summary.setText(f"<b>{problems} {noun}</b>, listed first.")
        else:
            self.summary.setText(f"{len(plugins)} plugins, no problems.")
        if selected is not None:
            self.select_plugin(selected)
        elif problems:
            self.table.selectRow(0)
        self._on_selection_changed()

    def _fill_row(self, row: int, info: PluginInfo) -> None:
        check = QTableWidgetItem()
        check.setData(Qt.ItemDataRole.UserRole, info.key)
        if has_problem(info):
            # Not running, whatever was chosen: no tick to mislead.
            check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            check.setToolTip("Not running: see the details below")
        else:
            check.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
            )
            on = self._plugins.state.is_enabled(info.key)
            check.setCheckState(
                Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
            )
            check.setToolTip("Untick to stop loading this plugin")
        self.table.setItem(row, _ON, check)
        texts = {
            _NAME: info.name,
            _STATUS: status_text(info),
            _FROM: _source_text(info),
            _VERSION: info.shown_version() or "",
            _PROVIDES: info.registered_summary(),
        }
        for column, text in texts.items():
            item = QTableWidgetItem(text)
            item.setToolTip(plain_problem(info) if column == _STATUS else text)
            if column == _STATUS and has_problem(info):
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, column, item)

    # Selection ------------------------------------------------------------

    def info_at(self, row: int) -> PluginInfo:
        """The plugin shown in ``row``."""
        item = self.table.item(row, _ON)
        if item is None:
            raise IndexError(f"No plugin in row {row}")
        key = item.data(Qt.ItemDataRole.UserRole)
        return self._plugins.get(key)

    def row_of(self, name: str) -> int:
        """The row of a plugin by name or key, or -1."""
        for row in range(self.table.rowCount()):
            info = self.info_at(row)
            if name in (info.name, info.key):
                return row
        return -1

    def select_plugin(self, name: str) -> None:
        """Select a plugin's row by name or key (if listed)."""
        row = self.row_of(name)
        if row >= 0:
            self.table.selectRow(row)

    def selected_info(self) -> PluginInfo | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return self.info_at(min(rows)) if rows else None

    def _selected_key(self) -> str | None:
        info = self.selected_info()
        return info.key if info is not None else None

    def _on_selection_changed(self) -> None:
        info = self.selected_info()
        self.open_file_button.setEnabled(info is not None and info.path is not None)
        self.show_folder_button.setEnabled(info is not None and info.path is not None)
        self.disable_button.setEnabled(info is not None)
        if info is None:
            self.details.setHtml("")
            return
        running = info.status != "disabled"
        self.disable_button.setText("&Disable" if running else "&Turn on")
        self.disable_button.setToolTip(
            "Stop loading this plugin" if running else "Load this plugin again"
        )
        self.details.setHtml(self._details_html(info))

    def _details_html(self, info: PluginInfo) -> str:
        e = html.escape
        parts = [f"<h3>{e(info.name)} — {e(status_text(info))}</h3>"]
        problem = plain_problem(info)
        if problem:
            parts.append(f"<p><b>{e(problem)}</b></p>")
        path, line = problem_location(info)
        if path is not None:
            where = f"{path}, line {line}" if line else str(path)
            parts.append(f"<p>File: {e(where)}</p>")
        parts.append(f"<p>From: {e(_source_text(info))}")
        if info.distribution:
            parts.append(f" ({e(info.distribution)})")
        parts.append("</p>")
        if info.registered_summary():
            parts.append(f"<p>Provides: {e(info.registered_summary())}</p>")
        if info.error or info.traceback:
            parts.append("<p>For whoever fixes it:</p>")
            technical = "\n\n".join(t for t in (info.error, info.traceback) if t)
            parts.append(
                '<pre style="white-space: pre-wrap">' + e(technical.strip()) + "</pre>"
            )
        return "".join(parts)

    # Actions --------------------------------------------------------------

    def _on_open_file(self) -> None:
        info = self.selected_info()
        if info is None:
            return
        path, _line = problem_location(info)
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _on_show_folder(self) -> None:
        info = self.selected_info()
        if info is None or info.path is None:
            return
        folder = info.path if info.path.is_dir() else Path(info.path).parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _on_toggle(self) -> None:
        info = self.selected_info()
        if info is None:
            return
        self._set_enabled(info.key, info.status == "disabled")

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != _ON:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        self._set_enabled(key, item.checkState() == Qt.CheckState.Checked)

    def _set_enabled(self, key: str, enabled: bool) -> None:
        # A plugin being turned on imports on the loader thread, never here.
        self._plugins.set_enabled(
            key, enabled, dispatch=self._dispatch, finished=self._after_change
        )

    def _on_reload_all(self) -> None:
        # Off the UI thread, as Tools → Reload plugins; the table follows
        # once every plugin has been dealt with.
        from desktop_app.ui._plugins_setup import reload_plugins

        window = self.parent()
        assert isinstance(window, QMainWindow), "the dialog belongs to a window"
        self.reload_button.setEnabled(False)

        def done(_changed: list[PluginInfo]) -> None:
            self.reload_button.setEnabled(True)
            self._after_change()

        reload_plugins(window, self._plugins, everything=True, then=done)

    def _after_change(self) -> None:
        parent = self.parent()
        reload = getattr(parent, "reload_integrations", None)
        if callable(reload):
            reload()
        if parent is not None and hasattr(parent, "show_notice"):
            from desktop_app.ui._plugin_problems import update_problems_banner

            update_problems_banner(parent, self._plugins)  # type: ignore[arg-type]
        self.refresh()
