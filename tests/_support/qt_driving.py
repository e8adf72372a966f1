"""Helpers for driving modal dialogs and item views from tests."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
)

from tests._support.modal_polls import current_test


def on_next_modal(callback, widget_type=None, timeout_ms=5000):
    """Call ``callback(widget)`` with the next modal widget, once it shows.

    Modal dialogs block in ``exec()``; this runs from the nested event loop.
    Returns a dict that gets ``"called": True`` once it ran.
    """
    state = {"called": False, "waited": 0}
    test = current_test[0]

    def poll():
        if current_test[0] != test:
            return
        widget = QApplication.activeModalWidget()
        if widget is None or (
            widget_type is not None and not isinstance(widget, widget_type)
        ):
            state["waited"] += 20
            if state["waited"] < timeout_ms:
                QTimer.singleShot(20, poll)
            return
        state["called"] = True
        callback(widget)

    QTimer.singleShot(0, poll)
    return state


def check_indicator_center(view, index) -> QPoint:
    """Return where a user clicks to toggle the check box of a cell."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    rect = view.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view
    )
    return rect.center()


def click(qtbot, widget, pos=None):
    """Click the left button on ``widget`` (at ``pos``, else its centre)."""
    if pos is None:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def open_window(qtbot, window):
    """Show the main window and let the event loop build the panes it
    builds after its first frame (configurations, then activity)."""
    window.show()
    qtbot.waitUntil(
        lambda: (
            window.findChild(QTableView, "configList") is not None
            and window.findChild(QTableView, "activityView") is not None
        )
    )


def wait_for_plugins(qtbot, window, timeout: int = 10_000) -> None:
    """Wait until a window's plugins are loaded and its folder watcher is
    armed (just after the first frame of the populated list)."""
    qtbot.waitUntil(
        lambda: hasattr(window, "plugin_watcher") and not window.plugin_manager.loading,
        timeout=timeout,
    )


def reload_plugins_and_wait(qtbot, window, timeout: int = 10_000) -> None:
    """Tools → Reload plugins, then wait for the loader thread to finish
    (the reload imports off the UI thread)."""
    from PySide6.QtGui import QAction

    window.findChild(QAction, "reloadPluginsAction").trigger()
    assert window.plugin_manager.loading
    qtbot.waitUntil(lambda: not window.plugin_manager.loading, timeout=timeout)
