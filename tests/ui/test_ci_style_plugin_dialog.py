"""A CI-style plugin, written with the forms API of Review Board's CI
integrations, loaded from a plugins folder and driven through the
generated dialog: its widgets, hidden and disabled fields, rich help, and
a clean() that asks a real local server."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from desktop_app.ui._widget_editors import AmountEditor, HiddenEditor
from tests._support.ci_plugin import (
    GOOD_TOKEN,
    build_server,
    ci_plugin,
    closed_port_url,
)
from tests._support.config_dialog_driving import click_ok, open_dialog, type_into


def _labels(dialog, name):
    return [label.text() for label in dialog.findChildren(QLabel, name)]


def test_widgets_hidden_and_disabled_fields_show_as_declared(qtbot, manager, tmp_path):
    with ci_plugin(manager, tmp_path) as (integration, _module):
        dialog = open_dialog(qtbot, integration)

        job = dialog.findChild(QLineEdit, "job_name")
        assert job.placeholderText() == "build-{branch}"
        assert job.minimumWidth() >= job.fontMetrics().averageCharWidth() * 30
        config_edit = dialog.findChild(QPlainTextEdit, "build_config")
        assert config_edit.height() < config_edit.fontMetrics().lineSpacing() * 5
        last_check = dialog.findChild(QLineEdit, "last_check")
        assert last_check.isReadOnly()
        assert last_check.text() == "never"

        retries = dialog.editor("retries")
        assert (retries.spin.minimum(), retries.spin.maximum()) == (-1, 5)
        assert retries.value() is None  # the blank step below the minimum

        poll = dialog.editor("poll_interval")
        assert isinstance(poll, AmountEditor)
        assert poll.unit.currentText() == "Never"
        assert not poll.spin.isEnabled()
        assert poll.value() is None

        hidden = dialog.editor("form_version")
        assert isinstance(hidden, HiddenEditor)
        assert not dialog.findChild(QWidget, "form_version").isVisible()
        assert hidden.value() == "2"

        manual = dialog.findChild(QCheckBox, "run_manually")
        assert not manual.isEnabled()
        assert _labels(dialog, "run_manually_disabledReason") == [
            "Needs a build server that supports manual runs."
        ]

        assert "About this build setup" in _labels(dialog, "sectionTitle")
        assert "Name the setup after the project it builds." in " ".join(
            _labels(dialog, "sectionDescription")
        )


def test_help_and_descriptions_are_rich_text_with_links(qtbot, manager, tmp_path):
    with ci_plugin(manager, tmp_path) as (integration, _module):
        dialog = open_dialog(qtbot, integration)
        help_label = dialog.findChild(QLabel, "server_url_help")
        assert help_label.textFormat() == Qt.TextFormat.RichText
        assert help_label.openExternalLinks()
        assert '<a href="https://example.com/ci-setup">' in help_label.text()
        assert "<code>https://ci.example.com/</code>" in help_label.text()
        # Links are reachable with Tab; help without links is not a stop.
        assert help_label.focusPolicy() != Qt.FocusPolicy.NoFocus
        plain_help = dialog.findChild(QLabel, "branches_help")
        assert plain_help.focusPolicy() == Qt.FocusPolicy.NoFocus
        # Tooltips and screen readers get the words, not the markup.
        server = dialog.findChild(QLineEdit, "server_url")
        assert "<" not in server.toolTip()
        assert "the setup guide (https://example.com/ci-setup)" in server.toolTip()

        [description] = [
            label
            for label in dialog.findChildren(QLabel, "sectionDescription")
            if "own server" in label.text()
        ]
        assert description.text().count("<p>") == 2
        assert description.openExternalLinks()
        # A description written one paragraph per line reads that way.
        [steps] = [
            label
            for label in dialog.findChildren(QLabel, "sectionDescription")
            if "Builds start" in label.text()
        ]
        assert steps.text() == (
            "<p>Builds start when a change is published.</p>"
            "<p>Each build reports back to the change.</p>"
        )


def test_validates_against_the_server_and_saves_through_the_dialog(
    qtbot, manager, tmp_path
):
    with (
        ci_plugin(manager, tmp_path) as (integration, module),
        build_server() as (
            url,
            tokens,
        ),
    ):
        dialog = open_dialog(qtbot, integration)
        type_into(qtbot, dialog, "name", "Core builds")
        type_into(qtbot, dialog, "server_url", closed_port_url())
        type_into(qtbot, dialog, "api_token", "wrong")
        type_into(qtbot, dialog, "job_name", "core")
        type_into(qtbot, dialog, "branches", "main, stable")
        poll = dialog.editor("poll_interval")
        poll.unit.setCurrentIndex(poll.unit.findText("minutes"))
        poll.spin.lineEdit().selectAll()
        qtbot.keyClicks(poll.spin, "5")

        # Nothing listens: the URLError the form recorded is shown as text.
        click_ok(qtbot, dialog)
        assert dialog.isVisible()
        [message] = dialog.field_errors()["server_url"]
        assert message.startswith("<urlopen error")

        # The server refuses the token: add_error() points at it.
        type_into(qtbot, dialog, "server_url", url)
        click_ok(qtbot, dialog)
        assert dialog.isVisible()
        assert dialog.field_errors().get("api_token") == [
            "Unable to authenticate with this API token."
        ]

        type_into(qtbot, dialog, "api_token", GOOD_TOKEN)
        click_ok(qtbot, dialog)
        assert not dialog.isVisible()
        assert tokens == ["wrong", GOOD_TOKEN]

        stored = manager.get_config(dialog.saved_config.id)
        assert stored.name == "Core builds"
        assert stored.settings["poll_interval"] == 300
        assert stored.settings["branches"] == ["main", "stable"]
        assert stored.settings["form_version"] == module.FORM_VERSION
        assert stored.settings["run_manually"] is False
        assert stored.settings["checked_as"] == "builder"
        assert "last_check" not in stored.settings

        # Opened again, every editor shows what was saved, in its own shape.
        again = open_dialog(qtbot, integration, stored)
        assert again.findChild(QLineEdit, "branches").text() == "main, stable"
        poll = again.editor("poll_interval")
        assert (poll.spin.value(), poll.unit.currentText()) == (5, "minutes")
        assert again.editor("form_version").value() == module.FORM_VERSION
        assert not again.is_modified()
