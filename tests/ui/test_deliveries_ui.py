"""Deliveries in the window: the Status column, the failing mark and
notice, History with Retry, Send test event, the Test button, and a
djblets-style handler that blocks without freezing the window."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.hooks import ConfigSignalHook, SignalHook
from desktop_app.integration import Integration
from desktop_app.signals import test_event
from desktop_app.ui._config_list import STATUS_COLUMN
from desktop_app.ui._integration_list import SUMMARY_ROLE
from desktop_app.ui.config_dialog import ConfigDialog
from tests._support.local_http import local_server
from tests._support.qt_driving import click, open_window


class HookForm(IntegrationConfigForm):
    url = forms.CharField(label="URL")


class PostingIntegration(Integration):
    """Posts each test event to its configuration's URL."""

    integration_id = "tests.ui.deliveries.Posting"
    name = "Poster"
    config_form_cls = HookForm
    background_timeout = 5.0

    def initialize(self):
        ConfigSignalHook(self, test_event, self.post)

    def post(self, config, message="", **kwargs):
        return _post(config.get("url"), message)

    def test_config(self, settings):
        return _post(settings["url"], "test")


def _post(url, message):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, message.encode(), timeout=5) as answer:
            return f"HTTP {answer.status}"
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"The server answered HTTP {e.code}") from None


@pytest.fixture
def server():
    with local_server() as state:
        yield state


@pytest.fixture
def poster(manager):
    return manager.register_integration_class(PostingIntegration)


@pytest.fixture
def win(qtbot, manager, settings, poster):
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    open_window(qtbot, window)
    yield window
    window.close()


def _status(win, config_id):
    model = win.config_panel.model
    return model.index(model.row_of(config_id), STATUS_COLUMN).data()


def _select(win, config_id):
    win.config_panel.select_config(config_id)


def test_a_failure_shows_in_the_list_and_retry_fixes_it(qtbot, win, poster, server):
    config = poster.create_config(
        name="Staging hook", enabled=True, settings={"url": server.url}, save=True
    )
    win.reload_integrations()
    win.show_config_deliveries(poster.integration_id, config.id)
    qtbot.waitUntil(lambda: win.config_panel.model.row_of(config.id) >= 0)
    assert _status(win, config.id) == "Never run"

    server.status = 500
    test_event.send(None, message="one")
    qtbot.waitUntil(lambda: _status(win, config.id).startswith("Failing:"))
    assert _status(win, config.id) == (
        "Failing: RuntimeError: The server answered HTTP 500 (0 ok, 1 failed)"
    )
    summary = win.integration_model.index(
        win.integration_model.row_of(poster.integration_id)
    ).data(SUMMARY_ROLE)
    assert "failing" in summary
    notice = win.delivery_notices.button
    assert notice.isVisible() and "“Staging hook” failed" in notice.text()
    assert not notice.icon().isNull()  # the warning sign, loaded when shown

    click(qtbot, notice)
    dialog = win.config_delivery_actions.dialogs[config.id]
    qtbot.waitUntil(dialog.isVisible)
    assert "HTTP 500" in dialog.message_label.text()
    assert dialog.details.isHidden()
    click(qtbot, dialog.details_button)
    assert '"message": "one"' in dialog.details.toPlainText()
    assert "Traceback" in dialog.details.toPlainText()

    server.status = 200
    click(qtbot, dialog.retry_button)
    qtbot.waitUntil(lambda: len(dialog.model.rows) == 2)
    assert dialog.model.rows[0].outcome == "ok"
    assert dialog.model.rows[0].message == "HTTP 200"
    qtbot.waitUntil(lambda: _status(win, config.id) == "OK (1 ok, 1 failed)")
    assert server.bodies == [b"one", b"one"]
    qtbot.waitUntil(lambda: not notice.isVisible())
    dialog.close()


def test_send_test_event_reaches_that_configuration_only(qtbot, win, poster, server):
    with local_server() as other_server:
        chosen = poster.create_config(
            name="Chosen", enabled=True, settings={"url": server.url}, save=True
        )
        poster.create_config(
            name="Other", enabled=True, settings={"url": other_server.url}, save=True
        )
        win.reload_integrations()
        win.show_config_deliveries(poster.integration_id, chosen.id)
        qtbot.waitUntil(lambda: win.config_panel.selected_config() is not None)
        actions = win.config_delivery_actions
        actions.dialogs[chosen.id].close()
        click(qtbot, actions.test_button)
        qtbot.waitUntil(lambda: actions.result_label.text().endswith("delivered"))
        assert actions.result_label.text() == "Test event to Chosen: delivered"
        assert server.bodies == [b"Test event"]
        assert other_server.bodies == []


def test_the_test_button_checks_the_values_on_screen_without_saving(
    qtbot, win, poster, manager, server
):
    dialog = ConfigDialog(poster, None, win)
    qtbot.addWidget(dialog)
    dialog.show()
    tester = dialog.tester
    assert tester is not None and tester.test_button.isVisible()
    dialog.findChild(QLineEdit, "name").setText("Draft")
    url = dialog.findChild(QLineEdit, "url")
    qtbot.keyClicks(url, server.url)

    click(qtbot, tester.test_button)
    qtbot.waitUntil(lambda: not tester.running)
    assert tester.result_label.text() == "✔ HTTP 200"

    server.status = 500
    click(qtbot, tester.test_button)
    qtbot.waitUntil(lambda: not tester.running)
    assert tester.result_label.text() == "✘ The server answered HTTP 500"
    assert server.bodies == [b"test", b"test"]
    assert manager.get_integration_configs(poster) == []  # nothing saved
    assert manager.get_deliveries() == []  # nor recorded
    QDialog.done(dialog, 0)  # close without the discard question


def test_the_test_button_is_absent_when_the_integration_cannot_test(
    qtbot, win, manager
):
    class Plain(Integration):
        integration_id = "tests.ui.deliveries.Plain"

        def initialize(self):
            pass

    plain = manager.register_integration_class(Plain)
    dialog = ConfigDialog(plain, None, win)
    qtbot.addWidget(dialog)
    assert dialog.tester is None
    assert not any(
        b.text() == "&Test" for b in dialog.button_box.findChildren(QPushButton)
    )


release = threading.Event()


class Blocking(Integration):
    """djblets style: loops, does slow work inline, catches and logs."""

    integration_id = "tests.ui.deliveries.Blocking"
    name = "Blocking"
    background_timeout = 0.5

    def initialize(self):
        SignalHook(self, test_event, self.on_test_event)

    def on_test_event(self, **kwargs):
        for _config in self.get_configs():
            try:
                release.wait(60)  # a socket without a timeout, say
            except Exception as e:  # pragma: no cover - djblets habit
                import logging

                logging.getLogger(__name__).error("Failed: %s", e)


def test_a_blocking_djblets_handler_leaves_the_window_responsive(qtbot, win, manager):
    release.clear()
    blocking = manager.register_integration_class(Blocking)
    config = blocking.create_config(name="Stuck", enabled=True, save=True)
    win.reload_integrations()
    try:
        ticks = []
        timer = QTimer(win)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start(20)
        test_event.send(None, message="hi")  # from the window's thread
        # The event loop keeps turning while the handler blocks.
        qtbot.waitUntil(lambda: len(ticks) >= 10)
        qtbot.waitUntil(
            lambda: (
                [d.outcome for d in manager.get_deliveries(config.id)] == ["timed_out"]
            ),
            timeout=10_000,
        )
        timer.stop()
        [delivery] = manager.get_deliveries(config.id)
        assert delivery.message == "Did not finish within 0.5 s"
    finally:
        release.set()
