"""The conditions editor in the generated dialog: built by keyboard and
mouse, validated at the field, saved as djblets stores it, and honoured by
a djblets-style handler posting to a local HTTP server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QSpinBox

from desktop_app import forms, signals
from desktop_app.forms import IntegrationConfigForm
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from integrations._common import post_json
from tests._support.config_dialog_driving import (
    child,
    click_ok,
    open_dialog,
    pick,
    type_into,
)

deployed = signals.define_signal(
    "tests.ui.conditions.deployed",
    description="A deploy finished.",
    payload={
        "service": forms.CharField(label="Service"),
        "minutes": forms.IntegerField(label="Minutes"),
    },
)


class DeployForm(IntegrationConfigForm):
    url = forms.URLField(label="URL")
    conditions = forms.ConditionsField(signal=deployed, label="Conditions")


class Deploys(Integration):
    """Chat-style, as rbintegrations writes them: loop over the enabled
    configurations, ask each whether the event matches, then post."""

    name = "Deploys"
    config_form_cls = DeployForm

    def initialize(self):
        SignalHook(self, deployed, self._on_deployed)

    def _on_deployed(self, sender=None, signal=None, **payload):
        for config in self.get_configs():
            if config.match_conditions(DeployForm, **payload):
                self.run_in_background(config, post_json, config.get("url"), payload)


@pytest.fixture
def server():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(json.loads(body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/hook", received
    httpd.shutdown()
    httpd.server_close()


def test_conditions_built_in_the_dialog_decide_what_is_delivered(
    qtbot, manager, server
):
    url, received = server
    integration = manager.register_integration_class(Deploys)
    dialog = open_dialog(qtbot, integration)
    type_into(qtbot, dialog, "name", "Slow API deploys")
    type_into(qtbot, dialog, "url", url)
    mode = child(dialog, QComboBox, "conditions_mode")
    assert mode.currentText() == "Always (every event)"

    # Add a rule with the mouse: Match switches from Always to All.
    add = child(dialog, QPushButton, "conditions_add")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert mode.currentText() == "When all of these conditions hold"
    pick(qtbot, child(dialog, QComboBox, "conditions_choice1"), "Minutes")
    pick(qtbot, child(dialog, QComboBox, "conditions_operator1"), "Greater than")
    minutes = child(dialog, QSpinBox, "conditions_value1")
    minutes.setFocus()
    minutes.selectAll()
    qtbot.keyClicks(minutes, "5")

    # A second rule by keyboard: Space on the focused Add button.
    add.setFocus()
    qtbot.keyClick(add, Qt.Key.Key_Space)
    choice2 = child(dialog, QComboBox, "conditions_choice2")
    assert dialog.focusWidget() is choice2
    assert choice2.accessibleName() == "Condition 2: what to check"
    pick(qtbot, child(dialog, QComboBox, "conditions_operator2"), "Starts with")
    type_into(qtbot, dialog, "conditions_value2", "api")

    # A third rule, removed again with its Remove button.
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    remove3 = child(dialog, QPushButton, "conditions_remove3")
    assert remove3.accessibleName() == "Remove condition 3"
    qtbot.mouseClick(remove3, Qt.MouseButton.LeftButton)
    assert dialog.findChild(QComboBox, "conditions_choice3") is None

    click_ok(qtbot, dialog)

    assert dialog.saved_config is not None, dialog.field_errors()
    [stored] = manager.get_integration_configs(integration)
    assert stored.settings["conditions"] == {
        "mode": "all",
        "conditions": [
            {"choice": "minutes", "op": "greater-than", "value": 5},
            {"choice": "service", "op": "starts-with", "value": "api"},
        ],
    }
    stored.enabled = True
    stored.save()

    deployed.send(None, service="api-gateway", minutes=3)  # too quick
    deployed.send(None, service="web", minutes=9)  # another service
    deployed.send(None, service="api-gateway", minutes=9)  # matches
    assert manager.wait_for_background_work(5)
    assert received == [{"service": "api-gateway", "minutes": 9}]


def test_bad_rule_is_an_error_at_the_field_and_nothing_is_saved(qtbot, manager):
    integration = manager.register_integration_class(Deploys)
    dialog = open_dialog(qtbot, integration)
    type_into(qtbot, dialog, "name", "x")
    type_into(qtbot, dialog, "url", "https://example.com/hook")
    qtbot.mouseClick(
        child(dialog, QPushButton, "conditions_add"), Qt.MouseButton.LeftButton
    )
    pick(qtbot, child(dialog, QComboBox, "conditions_operator1"), "Matches regex")
    type_into(qtbot, dialog, "conditions_value1", "(unclosed")

    click_ok(qtbot, dialog)

    assert dialog.saved_config is None
    assert manager.get_integration_configs(integration) == []
    [message] = dialog.field_errors()["conditions"]
    assert message.startswith('Condition 1: "(unclosed" is not a valid regular')
    value = child(dialog, QLineEdit, "conditions_value1")
    assert "d03b3b" in value.styleSheet()  # the row named is outlined


def test_stored_rules_show_and_a_rule_whose_choice_is_gone_stays_visible(
    qtbot, manager
):
    integration = manager.register_integration_class(Deploys)
    config = integration.create_config(
        name="x",
        settings={
            "url": "https://example.com/hook",
            "conditions": {
                "mode": "any",
                "conditions": [
                    {"choice": "service", "op": "ends-with", "value": "-api"},
                    {"choice": "author", "op": "is", "value": "ann"},
                ],
            },
        },
        save=True,
    )
    dialog = open_dialog(qtbot, integration, config)
    assert child(dialog, QComboBox, "conditions_mode").currentText() == (
        "When any of these conditions holds"
    )
    assert child(dialog, QComboBox, "conditions_operator1").currentText() == (
        "Ends with"
    )
    assert child(dialog, QLineEdit, "conditions_value1").text() == "-api"
    gone = child(dialog, QComboBox, "conditions_choice2")
    assert gone.currentText() == "Unavailable: author"
    # Unchanged, the dialog hands the stored rule back as it was.
    assert dialog.values()["conditions"]["conditions"][1] == {
        "choice": "author",
        "op": "is",
        "value": "ann",
    }
    click_ok(qtbot, dialog)
    assert dialog.field_errors()["conditions"] == [
        'Condition 2: There is no condition choice "author" (any more).'
    ]
    qtbot.mouseClick(
        child(dialog, QPushButton, "conditions_remove2"), Qt.MouseButton.LeftButton
    )
    click_ok(qtbot, dialog)
    assert dialog.saved_config is not None
    assert len(dialog.saved_config.settings["conditions"]["conditions"]) == 1


def test_tab_goes_through_the_rows_in_order_then_to_add(qtbot, manager):
    integration = manager.register_integration_class(Deploys)
    dialog = open_dialog(qtbot, integration)
    editor = dialog.editor("conditions")
    assert editor.input.focusProxy() is editor.mode_combo
    for _ in range(2):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    first, second = editor.rows
    pick(qtbot, first.operator_combo, "Is set")  # no value editor

    expected = [
        editor.mode_combo,
        first.choice_combo,
        first.operator_combo,
        first.remove_button,
        second.choice_combo,
        second.operator_combo,
        second.value_editor.input,
        second.remove_button,
        editor.add_button,
    ]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    editor.mode_combo.setFocus()
    visited = [dialog.focusWidget()]
    for _ in expected[1:]:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        visited.append(dialog.focusWidget())
    assert visited == expected


def test_a_stored_value_the_editor_cannot_show_is_kept_until_retyped(qtbot, manager):
    integration = manager.register_integration_class(Deploys)
    stored = {"choice": "minutes", "op": "greater-than", "value": "many"}
    config = integration.create_config(
        name="x",
        settings={
            "url": "https://example.com/hook",
            "conditions": {"mode": "all", "conditions": [stored]},
        },
        save=True,
    )
    dialog = open_dialog(qtbot, integration, config)
    minutes = child(dialog, QSpinBox, "conditions_value1")
    assert "'many' does not fit" in minutes.toolTip()
    assert dialog.values()["conditions"]["conditions"] == [stored]
    click_ok(qtbot, dialog)
    assert dialog.field_errors()["conditions"] == ["Condition 1: Enter a whole number."]

    minutes.setFocus()
    minutes.selectAll()
    qtbot.keyClicks(minutes, "7")
    click_ok(qtbot, dialog)
    assert dialog.saved_config.settings["conditions"]["conditions"] == [
        {"choice": "minutes", "op": "greater-than", "value": 7}
    ]
