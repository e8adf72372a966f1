"""A notice when a configuration starts failing: a button in the status
bar (and a tray message while the window is hidden) that leads to the
configuration's deliveries. Never a modal dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QPushButton, QStyle, QSystemTrayIcon

from desktop_app.store import Delivery

if TYPE_CHECKING:
    from desktop_app.ui._deliveries_feed import DeliveriesFeed
    from desktop_app.ui.main_window import MainWindow

__all__ = ["DeliveryNotices"]


class DeliveryNotices:
    """Shows failures the feed reports and leads to the configuration.

    Args:
        window (MainWindow): Whose status bar shows the notice.
        feed (DeliveriesFeed): Reports failures.
    """

    def __init__(self, window: MainWindow, feed: DeliveriesFeed) -> None:
        self._window = window
        self._feed = feed
        self.last: Delivery | None = None
        self.button = QPushButton("", window)
        self.button.setObjectName("deliveryNoticeButton")
        self.button.setFlat(True)
        # Its icon is loaded when it is first shown: loading the style's
        # warning icon is work the window's first frame does not need.
        self.button.clicked.connect(self.open_last)
        self.button.hide()
        window.statusBar().addPermanentWidget(self.button)
        self._tray: QSystemTrayIcon | None = None
        feed.deliveryFailed.connect(self._on_failed)
        feed.statusesChanged.connect(self._on_statuses)

    def _on_failed(self, delivery: Delivery) -> None:
        self.last = delivery
        message = " ".join(delivery.message.split()) or delivery.outcome
        if len(message) > 90:
            message = message[:89] + "…"
        text = f"“{delivery.config_name}” failed: {message} — Show"
        self.button.setText(text)
        self.button.setToolTip("Show this configuration's deliveries")
        self.button.setAccessibleName(text)
        if self.button.icon().isNull():
            self.button.setIcon(
                self._window.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxWarning
                )
            )
        self.button.show()
        window = self._window
        if (window.isHidden() or window.isMinimized()) and (
            QSystemTrayIcon.isSystemTrayAvailable()
        ):
            tray = self._tray_icon()
            tray.showMessage(
                "Delivery failed",
                f"“{delivery.config_name}” failed: {message}",
                QSystemTrayIcon.MessageIcon.Warning,
                10_000,
            )

    def _on_statuses(self, config_ids: set[int]) -> None:
        self._window.integration_model.set_failing(self._feed.failing_integrations())
        last = self.last
        if last is not None and last.config_id in config_ids:
            status = self._feed.status(last.config_id)
            if status is None or not status.failing:
                self.button.hide()  # it recovered
                self.last = None

    def _tray_icon(self) -> QSystemTrayIcon:
        if self._tray is None:
            icon = QApplication.windowIcon()
            if icon.isNull():
                icon = self._window.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxWarning
                )
            self._tray = QSystemTrayIcon(icon, self._window)
            self._tray.messageClicked.connect(self.open_last)
            self._tray.show()
        return self._tray

    def open_last(self) -> None:
        """Bring the window up on the failing configuration's deliveries."""
        delivery = self.last
        window = self._window
        if window.isMinimized() or window.isHidden():
            window.showNormal()
        window.raise_()
        window.activateWindow()
        if delivery is not None:
            window.show_config_deliveries(delivery.integration_id, delivery.config_id)
        self.button.hide()
