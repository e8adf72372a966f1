"""The configurations pane's delivery actions: a Status column, History…
(the configuration's deliveries) and Send test event on the selected row."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton

from desktop_app.errors import DesktopAppError
from desktop_app.ui._config_list import STATUS_COLUMN
from desktop_app.ui._deliveries_dialog import DeliveriesDialog
from desktop_app.ui._futures import when_done

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager
    from desktop_app.ui._deliveries_feed import DeliveriesFeed
    from desktop_app.ui.config_panel import ConfigPanel

__all__ = ["ConfigDeliveryActions"]

_WORDS = {
    "ok": "delivered",
    "failed": "failed",
    "timed_out": "timed out",
    "skipped": "skipped",
}


class ConfigDeliveryActions:
    """Adds the delivery column and buttons to a configurations pane.

    Args:
        panel (ConfigPanel): The pane.
        manager (IntegrationManager): Sends and reads deliveries.
        feed (DeliveriesFeed): Statuses and new deliveries.
    """

    def __init__(
        self, panel: ConfigPanel, manager: IntegrationManager, feed: DeliveriesFeed
    ) -> None:
        self._panel = panel
        self._manager = manager
        self._feed = feed
        self.dialogs: dict[int, DeliveriesDialog] = {}
        panel.model.set_deliveries_feed(feed)
        header = panel.view.horizontalHeader()
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(STATUS_COLUMN, 260)
        self.history_button = QPushButton("Histor&y…", panel)
        self.history_button.setObjectName("deliveriesButton")
        self.history_button.setToolTip("The selected configuration's recent deliveries")
        self.history_button.clicked.connect(self.show_history)
        self.test_button = QPushButton("&Send test event", panel)
        self.test_button.setObjectName("sendTestEventRowButton")
        self.test_button.setToolTip(
            "Send a test event to the selected configuration only"
        )
        self.test_button.clicked.connect(self.send_test_event)
        self.result_label = QLabel("", panel)
        self.result_label.setObjectName("sendTestEventResult")
        row = panel.button_row
        row.insertWidget(row.count() - 1, self.history_button)
        row.insertWidget(row.count() - 1, self.test_button)
        row.addWidget(self.result_label)
        panel.selectionChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        selected = self._panel.selected_config() is not None
        self.history_button.setEnabled(selected)
        self.test_button.setEnabled(selected and not self._manager.store.read_only)

    def show_history(self, config_id: int | None = None) -> DeliveriesDialog | None:
        """Open (or raise) the deliveries of a configuration (default: the
        selected one)."""
        if not config_id:
            selected = self._panel.selected_config()
            if selected is None or selected.id is None:
                return None
            config_id, name = selected.id, selected.name
        else:
            name = self._manager.get_config(config_id).name
        dialog = self.dialogs.get(config_id)
        if dialog is None:
            dialog = DeliveriesDialog(
                self._manager, self._feed, config_id, name, self._panel
            )
            dialog.finished.connect(
                lambda _r, cid=config_id: self.dialogs.pop(cid, None)
            )
            self.dialogs[config_id] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def send_test_event(self) -> None:
        """Send a test event to the selected configuration; say how it went."""
        selected = self._panel.selected_config()
        if selected is None or selected.id is None:
            return
        name = selected.name
        try:
            future = self._manager.send_to_config(selected.id)
        except (DesktopAppError, RuntimeError) as e:
            self.result_label.setText(str(e))
            return
        self.result_label.setText(f"Sending a test event to {name}…")

        def done(f: Future[str]) -> None:
            error = f.exception()
            if error is not None:
                self.result_label.setText(str(error))
            else:
                word = _WORDS.get(f.result(), f.result())
                self.result_label.setText(f"Test event to {name}: {word}")

        when_done(future, self.result_label, done)
