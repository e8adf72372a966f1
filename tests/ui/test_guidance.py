"""Guidance and search: the first-start welcome, Help → Getting started,
the Activity panel's empty state, and the filter finding configurations."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QListView

from desktop_app.activity import get_activity_log
from desktop_app.ui._help_window import GettingStartedWindow
from desktop_app.ui._integration_list import SUMMARY_ROLE
from desktop_app.ui.main_window import MainWindow
from tests._support.qt_driving import open_window
from tests._support.sample_integrations import valid_settings


@pytest.fixture
def win(qtbot, manager, settings, sample, other):
    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    open_window(qtbot, window)
    yield window
    window.close()


def listed(window):
    view = window.findChild(QListView, "integrationList")
    model = view.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_first_start_welcomes_until_a_configuration_exists(qtbot, manager, win, sample):
    welcome = win.findChild(QLabel, "welcome")
    assert welcome.isVisible()
    text = welcome.text()
    for words in ("integration", "configuration", "event", "Pick a service"):
        assert words in text
    assert "Send a test event" in text

    manager.create_config(sample, name="First", settings=valid_settings())
    qtbot.waitUntil(lambda: not welcome.isVisible())
    assert win.config_panel.view.isVisible()


def test_help_getting_started_opens_the_shipped_guide(qtbot, win):
    win.findChild(QAction, "gettingStartedAction").trigger()
    guide = win.findChild(GettingStartedWindow)
    assert guide is not None and guide.isVisible()
    text = guide.browser.toPlainText()
    assert "Your first delivery, in three steps" in text
    assert "Fire signal" in text
    guide.close()


def test_activity_is_collapsed_until_something_has_run(qtbot, win, sample, manager):
    panel = win.activity_panel
    assert not win.activity_dock.isVisible()
    assert panel.empty_label.text().startswith("Nothing has run yet.")

    get_activity_log().record(
        "tests.ui.thing_happened", sample.integration_id, time.time(), 0.001
    )
    qtbot.waitUntil(lambda: win.activity_dock.isVisible(), timeout=5000)
    assert not panel.empty_label.isVisible()


def test_the_filter_finds_configurations_by_name_and_setting_but_not_secret(
    qtbot, manager, win, sample
):
    manager.create_config(
        sample,
        name="Deploy alerts",
        settings=valid_settings(client_id="ops-team", token="hunter22"),
    )
    manager.create_config(sample, name="Nightly", settings=valid_settings())
    win.reload_integrations()

    qtbot.keyClicks(win.filter_edit, "ops-te")
    qtbot.waitUntil(lambda: listed(win) == ["Sample Service"])
    index = win.integration_filter.index(0, 0)
    assert index.data(SUMMARY_ROLE) == "Matches: Deploy alerts"

    win.filter_edit.clear()
    qtbot.keyClicks(win.filter_edit, "nightly")
    qtbot.waitUntil(lambda: listed(win) == ["Sample Service"])

    win.filter_edit.clear()
    qtbot.keyClicks(win.filter_edit, "hunter22")
    no_matches = win.findChild(QLabel, "integrationNoMatches")
    qtbot.waitUntil(lambda: no_matches.isVisible())
    # The configuration search (after a pause in typing) found nothing either.
    qtbot.waitUntil(lambda: not win._config_search_timer.isActive())
    assert listed(win) == []
    assert no_matches.text() == "No matches for 'hunter22'"


def test_the_configuration_filter_says_when_nothing_matches(
    qtbot, manager, win, sample
):
    manager.create_config(sample, name="Deploy alerts", settings=valid_settings())
    win.reload_integrations()
    panel = win.config_panel
    panel.set_filter("zebra")
    label = panel.findChild(QLabel, "configNoMatches")
    qtbot.waitUntil(lambda: label.isVisible())
    assert label.text() == "No matches for 'zebra'"
