"""Desktop notification: a system tray message for each picked event.

Qt is imported only when a delivery happens *and* the process already runs
a ``QApplication`` (it is then imported anyway). Without one (the command
line, a headless server) or without a system tray, the delivery is
recorded as failed with a message saying so, instead of crashing.
"""

from __future__ import annotations

import sys
import threading
from functools import cached_property
from typing import Any, ClassVar

from desktop_app import forms
from desktop_app.config import IntegrationConfig
from desktop_app.errors import DeliveryError
from desktop_app.forms import IntegrationConfigForm
from desktop_app.resources import static
from integrations._common import (
    SignalPickingIntegration,
    event_conditions_field,
    signal_choices,
)
from integrations._templates import render, template_field

__all__ = [
    "DesktopNotificationConfigForm",
    "DesktopNotificationIntegration",
    "show_tray_message",
]

_TARGET = "the system tray"
_tray_lock = threading.Lock()
_tray: Any = None
_pending: set[Any] = set()


def show_tray_message(title: str, message: str, seconds: float) -> str:
    """Show a tray message on the UI thread of the running application.

    Raises:
        DeliveryError: No QApplication, or no system tray.
    """
    qtwidgets = sys.modules.get("PySide6.QtWidgets")
    app = qtwidgets.QApplication.instance() if qtwidgets is not None else None
    if app is None:
        raise DeliveryError(_TARGET, "not shown: no window is running (headless)")
    from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Slot
    from PySide6.QtWidgets import QSystemTrayIcon

    if not QSystemTrayIcon.isSystemTrayAvailable():
        raise DeliveryError(_TARGET, "not shown: no system tray is available")

    msecs = max(1, int(seconds * 1000))

    def show() -> None:
        global _tray
        with _tray_lock:
            if _tray is None:
                _tray = QSystemTrayIcon(app.windowIcon(), app)
                _tray.setToolTip(app.applicationDisplayName() or "desktop-app")
            _tray.show()
        icon = QSystemTrayIcon.MessageIcon.Information
        _tray.showMessage(title, message, icon, msecs)

    if QThread.currentThread() is app.thread():
        show()
    else:
        # Widgets belong to the UI thread; queue the call there. Not a
        # blocking call: the UI thread may itself be waiting for this worker.
        class _Call(QObject):
            @Slot()
            def run(self) -> None:
                try:
                    show()
                finally:
                    _pending.discard(self)
                    self.deleteLater()

        call = _Call()
        call.moveToThread(app.thread())
        _pending.add(call)
        QMetaObject.invokeMethod(call, "run", Qt.ConnectionType.QueuedConnection)
        return "queued for the system tray"
    return "shown"


class DesktopNotificationConfigForm(IntegrationConfigForm):
    """The message and the events."""

    #: Its checks are local and quick: run them as the user types.
    live_clean = True

    signals = forms.MultipleChoiceField(
        label="Events", choices=signal_choices, help_text="The events to show."
    )
    conditions = event_conditions_field()
    title = template_field(
        "title", label="Title", max_length=200, help_text="The first line."
    )
    message = template_field(
        "message",
        label="Message",
        textarea=True,
        max_length=2000,
        help_text="The text under the title.",
    )
    seconds = forms.FloatField(label="Show for (seconds)", min_value=1, max_value=60)

    class Meta:
        fieldsets = (
            (
                "Notification",
                {
                    "description": "A message in the system tray when one of "
                    "these events happens while the window is open.",
                    "fields": ("signals", "conditions", "title", "message"),
                },
            ),
            (
                "Advanced",
                {
                    "description": "Some desktops ignore the duration.",
                    "fields": ("seconds",),
                    "classes": ("collapse",),
                },
            ),
        )


class DesktopNotificationIntegration(SignalPickingIntegration):
    """Shows events as desktop notifications."""

    integration_id = "desktop_app.integrations.desktop_notification"
    name = "Desktop notification"
    description = "Show a system tray message for each event."
    config_form_cls = DesktopNotificationConfigForm
    default_settings: ClassVar[dict[str, Any]] = {
        "signals": [],
        "conditions": {"mode": "always", "conditions": []},
        "title": "{signal_label}",
        "message": "{summary}",
        "seconds": 5.0,
    }

    @cached_property
    def icon_static_urls(self) -> dict[str, str]:
        return {
            "1x": static("icons/desktop_notification.png"),
            "2x": static("icons/desktop_notification@2x.png"),
        }

    def deliver(
        self, config: IntegrationConfig, signal: str, payload: dict[str, Any]
    ) -> None:
        # Run through the worker so it is recorded like every delivery; the
        # Qt part hops back to the UI thread by itself.
        self.run_in_background(
            config,
            show_tray_message,
            render(config.get("title") or "", signal, payload, config.name),
            render(config.get("message") or "", signal, payload, config.name),
            float(config.get("seconds")),
            signal=signal,
        )
