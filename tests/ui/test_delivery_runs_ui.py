"""A row of the History dialog that stands for identical successes in a row
grows in place as more arrive, and says so in words."""

from __future__ import annotations

import pytest

from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal
from desktop_app.ui._config_list import STATUS_COLUMN
from tests._support.qt_driving import open_window

looped = define_signal("tests.ui.delivery_runs.looped")


class Looping(Integration):
    integration_id = "tests.ui.delivery_runs.Looping"
    name = "Looper"

    def initialize(self):
        SignalHook(self, looped, self.on_looped)

    def on_looped(self, **kwargs):
        for config in self.get_configs():
            config.get("anything")


@pytest.fixture
def win(qtbot, manager, settings):
    from desktop_app.ui.main_window import MainWindow

    manager.register_integration_class(Looping)
    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    open_window(qtbot, window)
    yield window
    window.close()


def test_a_run_of_successes_is_one_row_that_counts_up(qtbot, win, manager):
    integration = manager.get_integration(Looping)
    config = integration.create_config(name="Quiet", enabled=True, save=True)
    win.reload_integrations()
    win.show_config_deliveries(integration.integration_id, config.id)
    dialog = win.config_delivery_actions.dialogs[config.id]
    qtbot.waitUntil(dialog.isVisible)

    looped.send(None)
    qtbot.waitUntil(lambda: len(dialog.model.rows) == 1)
    first_id = dialog.model.rows[0].id
    for _ in range(4):
        looped.send(None)
    qtbot.waitUntil(lambda: dialog.model.rows[0].repeats == 5, timeout=10_000)

    assert [d.id for d in dialog.model.rows] == [first_id]
    outcome = dialog.model.index(0, 2).data()
    assert outcome == "OK ×5"
    dialog.view.selectRow(0)
    assert "Delivered 5 times in a row" in dialog.message_label.text()
    status = win.config_panel.model
    qtbot.waitUntil(
        lambda: (
            status.index(status.row_of(config.id), STATUS_COLUMN).data()
            == "OK (5 ok, 0 failed)"
        )
    )
    dialog.close()


def test_the_message_reads_whole_when_it_took_under_a_millisecond(qtbot, win, manager):
    from PySide6.QtGui import QTextDocument

    from desktop_app.store import Delivery

    integration = manager.get_integration(Looping)
    config = integration.create_config(name="Loud", enabled=True, save=True)
    win.reload_integrations()
    win.show_config_deliveries(integration.integration_id, config.id)
    dialog = win.config_delivery_actions.dialogs[config.id]
    qtbot.waitUntil(dialog.isVisible)
    quick_failure = Delivery(
        7,
        config.id,
        integration.integration_id,
        "Loud",
        looped.name,
        1_000.0,
        0.0002,
        "failed",
        "Couldn't reach chat.example.com",
        1,
        "{}",
        "",
    )
    dialog.model.set_rows([quick_failure])
    dialog.view.selectRow(0)
    document = QTextDocument()
    document.setHtml(dialog.message_label.text())
    # "<1 ms" is text, not the start of a tag that swallows the message.
    assert document.toPlainText() == "Failed in <1 ms: Couldn't reach chat.example.com"
    dialog.close()


def test_deliveries_skipped_in_a_row_read_as_one_row_retry_sends_the_latest(
    qtbot, win, manager
):
    from desktop_app._payload import load_payload

    integration = manager.get_integration(Looping)
    config = integration.create_config(name="Flooded", enabled=True, save=True)
    reason = "Not delivered: 3 deliveries to this configuration were already waiting"
    for n in range(4):
        manager.deliveries.record(
            config, looped.name, {"n": n}, "skipped", reason, attempts=0
        )
    win.reload_integrations()
    win.show_config_deliveries(integration.integration_id, config.id)
    dialog = win.config_delivery_actions.dialogs[config.id]
    qtbot.waitUntil(
        lambda: len(dialog.model.rows) == 1 and dialog.model.rows[0].repeats == 4
    )

    [row] = dialog.model.rows
    assert load_payload(row.payload) == {"n": 3}  # the latest
    # The outcome reads whole in its column.
    outcome = dialog.model.index(0, 2).data()
    assert outcome == "Skipped ×4"
    header = dialog.view.horizontalHeader()
    assert header.sectionSize(2) > dialog.view.fontMetrics().horizontalAdvance(
        "Timed out ×10,000"
    )
    dialog.view.selectRow(0)
    text = dialog.message_label.text()
    assert "Skipped 4 times in a row" in text
    assert reason in text and "which Retry sends" in text
    assert dialog.retry_button.isEnabled()
    dialog.close()
