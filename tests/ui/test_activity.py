"""Firing signals from the window and watching the activity panel."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QSpinBox, QTableView

from desktop_app.activity import OUTCOME_FAILED, get_activity_log
from desktop_app.signals import get_signal_info
from desktop_app.ui._fire_signal_dialog import FireSignalDialog
from desktop_app.ui.main_window import MainWindow
from tests._support.qt_driving import click, on_next_modal, open_window
from tests._support.sample_integrations import (
    SAMPLE_SIGNAL_NAME,
    SampleIntegration,
    valid_settings,
)


@pytest.fixture
def window(qtbot, manager, settings, sample):
    manager.create_config(
        sample, name="Listening", enabled=True, settings=valid_settings()
    )
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    open_window(qtbot, win)
    yield win
    win.close()


def activity_rows(win):
    view = win.findChild(QTableView, "activityView")
    model = view.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_firing_a_signal_from_the_dialog_shows_the_delivery(qtbot, window):
    dialog = FireSignalDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "fireSignalDialog"
    dialog.select_signal(SAMPLE_SIGNAL_NAME)
    assert "Something happened" in dialog.description.text()
    qtbot.keyClicks(dialog.findChild(QLineEdit, "title"), "Release 1.0")
    dialog.findChild(QSpinBox, "count").setValue(4)

    click(qtbot, dialog.send_button)

    # Sent from the window's thread, the handler runs on the worker.
    qtbot.waitUntil(lambda: len(SampleIntegration.received) == 1)
    [received] = SampleIntegration.received
    assert (received["config"], received["title"], received["count"]) == (
        "Listening",
        "Release 1.0",
        4,
    )
    assert "Sent" in dialog.status.text()
    qtbot.waitUntil(lambda: len(activity_rows(window)) == 1)
    [row] = activity_rows(window)
    # The signal's label for people; its name in the tooltip.
    assert row[1] == get_signal_info(SAMPLE_SIGNAL_NAME).label != SAMPLE_SIGNAL_NAME
    view = window.findChild(QTableView, "activityView")
    tooltip = view.model().index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == SAMPLE_SIGNAL_NAME
    assert row[2] == "Sample Service"
    assert row[3] == "Listening"  # one row per configuration's delivery
    assert row[5] == "ok"


def test_an_invalid_payload_is_not_sent(qtbot, window):
    dialog = FireSignalDialog(window)
    qtbot.addWidget(dialog)
    dialog.select_signal(SAMPLE_SIGNAL_NAME)
    assert dialog.send() is False
    assert dialog.field_errors() == {"title": ["This field is required."]}
    assert SampleIntegration.received == []


def test_the_tools_menu_opens_the_fire_signal_dialog(qtbot, window):
    state = on_next_modal(lambda d: d.reject(), FireSignalDialog)
    window.fire_signal_action.trigger()
    assert state["called"]


def record_failure(message="boom"):
    try:
        raise RuntimeError(message)
    except RuntimeError as e:
        import traceback

        return get_activity_log().record(
            "tests.failing",
            SampleIntegration.integration_id,
            0.0,
            0.002,
            OUTCOME_FAILED,
            f"RuntimeError: {e}",
            "".join(traceback.format_exception(e)),
            config_id=1,
            config_name="Listening",
        )


def test_a_failure_stands_out_and_shows_its_traceback_when_selected(qtbot, window):
    record_failure()
    view = window.findChild(QTableView, "activityView")
    qtbot.waitUntil(lambda: view.model().rowCount() == 1)
    index = view.model().index(0, 5)
    assert index.data() == "failed: RuntimeError: boom"
    assert index.data(Qt.ItemDataRole.ForegroundRole) == QColor("#d03b3b")
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None

    view.selectionModel().setCurrentIndex(
        view.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows,
    )
    detail = window.findChild(QPlainTextEdit, "activityDetail")
    assert detail.toPlainText().startswith("RuntimeError: boom")
    assert "Traceback" in detail.toPlainText()


def test_the_activity_filter_and_clear_button(qtbot, window):
    record_failure("first")
    get_activity_log().record("tests.other", "x.y", 0.0, 0.001, config_name="Other")
    view = window.findChild(QTableView, "activityView")
    qtbot.waitUntil(lambda: view.model().rowCount() == 2)
    qtbot.keyClicks(window.findChild(QLineEdit, "activityFilter"), "failing")
    assert [r[1] for r in activity_rows(window)] == ["Failing"]  # its label
    click(qtbot, window.activity_panel.clear_button)
    assert activity_rows(window) == []


def test_a_burst_of_deliveries_from_threads_arrives_in_few_batches(qtbot, window):
    batches = []
    window.activity_panel.feed.recordsArrived.connect(lambda b: batches.append(len(b)))

    def burst():
        for i in range(500):
            get_activity_log().record(
                "tests.burst", "x.y", 0.0, 0.0, config_name=str(i)
            )

    threads = [threading.Thread(target=burst) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    view = window.findChild(QTableView, "activityView")
    qtbot.waitUntil(lambda: view.model().rowCount() == 1000)
    assert sum(batches) == 1000
    assert len(batches) < 20  # not one UI update per record


def test_a_success_with_a_message_reads_whole_in_its_tooltip_and_details(
    qtbot, window, manager
):
    [config] = manager.get_integration_configs(SampleIntegration)
    for _ in range(3):
        manager.deliveries.record(
            config, SAMPLE_SIGNAL_NAME, {"n": 1}, "ok", "HTTP 200"
        )
    view = window.findChild(QTableView, "activityView")
    qtbot.waitUntil(lambda: view.model().rowCount() == 1)
    index = view.model().index(0, 5)
    # Three identical successes in a row: one row that says how many.
    assert index.data() == "ok: HTTP 200 (3 events)"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "HTTP 200 (3 events)"
    view.selectionModel().setCurrentIndex(
        view.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows,
    )
    detail = window.findChild(QPlainTextEdit, "activityDetail").toPlainText()
    assert "Listening: ok in " in detail
    assert detail.endswith("HTTP 200 (3 events)")
