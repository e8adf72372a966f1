"""Our own Review Board-style plugin package (``plugin_sources/review_style``:
a chat base class looping over ``get_configs()`` with ``match_conditions``,
and a CI form with its own ``ConditionChoices``), loaded from a plugins
folder, configured through the generated dialog by keyboard and mouse with
conditions set, and posting to a local HTTP server only for matching events."""

from __future__ import annotations

import json
import shutil
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton

from desktop_app.plugins import PluginManager
from tests._support.config_dialog_driving import (
    child,
    click_ok,
    open_dialog,
    pick,
    type_into,
)

SOURCE = (
    Path(__file__).resolve().parents[1] / "_support" / "plugin_sources" / "review_style"
)
GOOD_TOKEN = "good-token"


@pytest.fixture
def review_style(manager, tmp_path):
    """Load the package plugin from a plugins folder; yield its module."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    shutil.copytree(SOURCE, folder / "review_style")
    plugins = PluginManager(
        manager, folder, entry_points=False, state_path=tmp_path / "plugins.json"
    )
    [info] = plugins.load_all()
    assert info.status == "loaded", info.error
    assert sorted(info.integration_ids) == [
        "review_style.chat.TeamChat",
        "review_style.ci.ChangeBuilds",
    ]
    yield sys.modules["review_style"]
    plugins.unload_all()


@pytest.fixture
def server():
    """A local server: chat posts to ``/hook``, builds to ``/api/build``;
    ``/api/whoami`` accepts only :data:`GOOD_TOKEN`."""
    received: dict[str, list] = {"hook": [], "build": []}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status):
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):  # noqa: N802 - http.server's naming
            token = self.headers.get("Authorization", "")
            self._answer(200 if token == f"token {GOOD_TOKEN}" else 403)

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received[self.path.rsplit("/", 1)[-1]].append(json.loads(body))
            self._answer(200)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", received
    httpd.shutdown()
    httpd.server_close()


def _add_rule(qtbot, dialog, row, choice, operator, value):
    add = child(dialog, QPushButton, "conditions_add")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    pick(qtbot, child(dialog, QComboBox, f"conditions_choice{row}"), choice)
    pick(qtbot, child(dialog, QComboBox, f"conditions_operator{row}"), operator)
    type_into(qtbot, dialog, f"conditions_value{row}", value)


@contextmanager
def _saved(qtbot, dialog):
    click_ok(qtbot, dialog)
    assert dialog.saved_config is not None, dialog.field_errors()
    yield dialog.saved_config


def test_chat_plugin_posts_only_what_each_configurations_conditions_match(
    qtbot, manager, review_style, server
):
    url, received = server
    from review_style.events import Change, change_closed, change_published

    chat = manager.get_integration("review_style.chat.TeamChat")
    for name, channel, rule in (
        ("Core room", "#core", ("Repository", "Is", "core")),
        ("Release room", "#release", ("Branch", "Starts with", "release/")),
    ):
        dialog = open_dialog(qtbot, chat)
        type_into(qtbot, dialog, "name", name)
        _add_rule(qtbot, dialog, 1, *rule)
        type_into(qtbot, dialog, "webhook_url", f"{url}/hook")
        type_into(qtbot, dialog, "channel", channel)
        assert child(dialog, QCheckBox, "enabled").isChecked()
        with _saved(qtbot, dialog) as config:
            assert config.settings["conditions"]["conditions"][0]["value"] == rule[2]

    core_fix = Change(1, "Fix crash", "core", "main", 12)
    docs_release = Change(2, "Notes", "docs", "release/2.0", 3)
    docs_main = Change(3, "Typo", "docs", "main", 1)
    for change in (core_fix, docs_release, docs_main):
        change_published.send(None, user="ann", change=change)
    change_closed.send(None, user="bob", change=core_fix, close_type="submitted")

    assert received["hook"] == [
        {"text": "ann published #1: Fix crash", "channel": "#core"},
        {"text": "ann published #2: Notes", "channel": "#release"},
        {"text": "bob closed #1 (submitted)", "channel": "#core"},
    ]


def test_ci_plugin_with_its_own_condition_choices_saves_through_the_dialog(
    qtbot, manager, review_style, server
):
    url, received = server
    from review_style.events import Change, change_published

    builds = manager.get_integration("review_style.ci.ChangeBuilds")
    dialog = open_dialog(qtbot, builds)
    type_into(qtbot, dialog, "name", "default")

    # The choices are the narrowed set: no "Lines changed".
    qtbot.mouseClick(
        child(dialog, QPushButton, "conditions_add"), Qt.MouseButton.LeftButton
    )
    choice = child(dialog, QComboBox, "conditions_choice1")
    assert [choice.itemText(i) for i in range(choice.count())] == [
        "Repository",
        "Branch",
    ]
    pick(qtbot, choice, "Branch")
    pick(qtbot, child(dialog, QComboBox, "conditions_operator1"), "Is")
    type_into(qtbot, dialog, "conditions_value1", "main")
    _add_rule(qtbot, dialog, 2, "Repository", "Is not", "docs")
    type_into(qtbot, dialog, "server_url", url)
    type_into(qtbot, dialog, "api_token", "wrong")
    type_into(qtbot, dialog, "extra_branches", "stable, next")
    manual = child(dialog, QCheckBox, "run_manually")
    assert not manual.isEnabled()
    reason = dialog.findChild(QLabel, "run_manually_disabledReason")
    assert reason.text() == "The build server starts every build."

    # add_error() in clean(): the name first, then the token the server refused.
    click_ok(qtbot, dialog)
    assert dialog.saved_config is None
    assert dialog.field_errors() == {
        "name": ["Pick a name that says which project this builds."]
    }
    type_into(qtbot, dialog, "name", "Core builds")
    click_ok(qtbot, dialog)
    assert dialog.field_errors() == {
        "api_token": ["The build server refused this token."]
    }
    assert manager.get_integration_configs(builds) == []

    type_into(qtbot, dialog, "api_token", GOOD_TOKEN)
    with _saved(qtbot, dialog) as config:
        pass
    assert config.settings["conditions"] == {
        "mode": "all",
        "conditions": [
            {"choice": "branch", "op": "is", "value": "main"},
            {"choice": "repository", "op": "is-not", "value": "docs"},
        ],
    }
    assert config.settings["extra_branches"] == ["stable", "next"]
    assert config.settings["form_version"] == "3"
    assert config.settings["run_manually"] is False

    # Reopened: the stored values come back through deserialize_*.
    again = open_dialog(qtbot, builds, builds.get_config(config.id))
    assert again.editor("extra_branches").value() == "stable, next"
    again.reject()

    for change in (
        Change(1, "Fix", "core", "main", 5),
        Change(2, "Docs", "docs", "main", 5),
        Change(3, "Try", "core", "feature", 5),
    ):
        change_published.send(None, change=change)
    assert received["build"] == [{"change": 1, "branch": "main", "config": config.pk}]
