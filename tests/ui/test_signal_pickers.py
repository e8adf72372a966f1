"""The signal pickers: Tools → Fire signal… and the built-ins' Events field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget

from desktop_app.signals import define_signal, unregister_signal
from desktop_app.ui._fire_signal_dialog import FireSignalDialog
from desktop_app.ui.config_dialog import ConfigDialog
from integrations.webhook import WebhookIntegration


@pytest.fixture
def plugin_signal():
    define_signal(
        "teamchat.message_posted",
        description="Someone posted a message in a channel you follow.",
        module="desktop_app_plugins.s0123456789.team_chat",
    )
    yield "teamchat.message_posted"
    unregister_signal("teamchat.message_posted")


def test_fire_signal_hides_internal_events_until_asked(qtbot, manager, plugin_signal):
    dialog = FireSignalDialog()
    qtbot.addWidget(dialog)
    shown = dialog.shown_signals()
    assert "desktop_app.test_event" in shown
    assert plugin_signal in shown
    assert "desktop_app.app_stopping" not in shown
    assert "desktop_app.config_deleted" not in shown

    qtbot.mouseClick(dialog.show_internal, Qt.MouseButton.LeftButton)
    assert "desktop_app.app_stopping" in dialog.shown_signals()


def test_fire_signal_lists_labels_under_group_headings(qtbot, manager, plugin_signal):
    dialog = FireSignalDialog()
    qtbot.addWidget(dialog)
    view = dialog.findChild(QListWidget, "signalList")
    texts = [view.item(i).text() for i in range(view.count())]
    assert texts[0] == "This app"
    assert "Team chat" in texts
    assert "Message posted\nSomeone posted a message in a channel you follow." in texts
    heading = view.item(texts.index("Team chat"))
    assert not heading.flags() & Qt.ItemFlag.ItemIsSelectable


def test_fire_signal_search_narrows_and_says_when_nothing_matches(
    qtbot, manager, plugin_signal
):
    dialog = FireSignalDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    search = dialog.findChild(QLineEdit, "signalSearch")
    qtbot.keyClicks(search, "channel")
    assert dialog.shown_signals() == [plugin_signal]
    assert dialog.description.text().startswith("Someone posted")

    search.clear()
    qtbot.keyClicks(search, "zebra")
    assert dialog.shown_signals() == []
    no_matches = dialog.findChild(QLabel, "signalNoMatches")
    assert no_matches.isVisible()
    assert no_matches.text() == "No matches for 'zebra'"
    assert not dialog.send_button.isEnabled()


def test_selecting_an_internal_signal_by_name_shows_internal_events(qtbot, manager):
    dialog = FireSignalDialog()
    qtbot.addWidget(dialog)
    dialog.select_signal("desktop_app.app_started")
    assert dialog.show_internal.isChecked()
    assert "finished starting" in dialog.description.text()


def test_events_field_shows_two_lines_wraps_and_searches(qtbot, manager, plugin_signal):
    integration = manager.register_integration_class(WebhookIntegration)
    dialog = ConfigDialog(integration, None)
    qtbot.addWidget(dialog)
    dialog.resize(420, 600)
    dialog.show()
    view = dialog.findChild(QListWidget, "signals")
    assert view.wordWrap()
    assert view.textElideMode() == Qt.TextElideMode.ElideNone
    assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    texts = [view.item(i).text() for i in range(view.count())]
    expected = "A test event you can send by hand to check your integrations."
    assert f"Test event\n{expected}" in texts
    assert texts[0] == "This app"  # group headings, as in Fire signal…
    assert "Team chat" in texts
    search = dialog.findChild(QLineEdit, "signals_search")
    assert search is not None
    qtbot.keyClicks(search, "posted")
    visible = [view.item(i) for i in range(view.count()) if not view.item(i).isHidden()]
    # Its heading stays, above the one match.
    assert [item.text() for item in visible][0] == "Team chat"
    assert [item.data(Qt.ItemDataRole.UserRole) for item in visible[1:]] == [
        plugin_signal
    ]
    visible[1].setCheckState(Qt.CheckState.Checked)
    search.clear()
    qtbot.keyClicks(search, "nothing like this")
    no_matches = dialog.findChild(QLabel, "signals_noMatches")
    assert no_matches.isVisible()
    assert no_matches.text() == "No matches for 'nothing like this'"
    # What was ticked before searching stays ticked.
    assert dialog.editor("signals").value() == [plugin_signal]
    dialog.done(0)
