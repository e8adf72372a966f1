"""A form whose own code fails while its dialog is built (a Review Board
form reading the web request's user in ``__init__``; the desktop's
request is ``None``): Add and Edit say why in a message box instead of a
click that does nothing, and the window goes on working."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QListView, QMessageBox

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration
from desktop_app.ui.main_window import MainWindow
from tests._support.config_dialog_driving import answer_next_message_box
from tests._support.qt_driving import click, open_window


def select_integration(qtbot, win, name):
    """Select an integration once the list shows it."""
    view = win.findChild(QListView, "integrationList")
    model = view.model()

    def row():
        names = [model.index(r, 0).data() for r in range(model.rowCount())]
        return names.index(name) if name in names else None

    qtbot.waitUntil(lambda: row() is not None)
    view.setCurrentIndex(model.index(row(), 0))


class JenkinsLikeForm(IntegrationConfigForm):
    server = forms.URLField(label="Server")
    api_token = forms.CharField(label="Token", widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["token"] = self.request.user.username


class JenkinsLike(Integration):
    integration_id = "tests.ui.JenkinsLike"
    name = "Jenkins-like"
    config_form_cls = JenkinsLikeForm

    def initialize(self):
        pass


@pytest.fixture
def window(qtbot, manager, settings):
    """The main window, with the integration registered before it opens."""
    manager.register_integration_class(JenkinsLike)
    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    open_window(qtbot, win)
    yield win
    win.close()


def test_add_and_edit_say_that_the_form_failed_to_open(qtbot, manager, window, caplog):
    integration = manager.get_integration(JenkinsLike)
    config = integration.create_config(
        name="Old", settings={"api_token": "t0ps3cr3t"}, save=True
    )
    select_integration(qtbot, window, "Jenkins-like")
    panel = window.config_panel

    seen = answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok)
    with caplog.at_level(logging.ERROR):
        click(qtbot, panel.add_button)
    assert seen["text"].startswith(
        "The form of this integration failed to open (AttributeError: "
        "'NoneType' object has no attribute 'user')."
    )
    assert "JenkinsLikeForm failed while opening" in caplog.text

    panel.select_config(config.id)
    seen = answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok)
    panel.edit_config()
    assert "has no attribute 'user'" in seen["text"]
    assert "t0ps3cr3t" not in caplog.text
    assert manager.get_config(config.id).name == "Old"  # nothing changed
