"""Chat, event file and desktop notification against real peers."""

from __future__ import annotations

import json

from desktop_app.activity import get_activity_log
from desktop_app.errors import DeliveryError
from integrations._common import render_template
from tests._support.child_processes import run_python
from tests._support.saved_configs import save_config

CHAT = "desktop_app.integrations.chat"
EVENT_FILE = "desktop_app.integrations.event_file"
NOTIFY = "desktop_app.integrations.desktop_notification"


def test_template_fills_placeholders_and_leaves_unknown_ones():
    payload = {"who": "ann", "count": 3}
    text = "{signal}: {payload[who]} x{payload[count]} {payload[nope]} {other}"
    assert render_template(text, "s", payload) == ("s: ann x3 {payload[nope]} {other}")
    assert render_template("{payload.__class__}", "s", payload) == (
        "{payload.__class__}"
    )
    assert render_template("broken {", "s", payload) == "broken {"


def test_slack_message_with_channel(builtins, manager, ping, http_server):
    url, server = http_server
    save_config(
        manager,
        CHAT,
        url=url,
        chat_format="slack",
        channel="#builds",
        template="{signal} by {payload[who]}",
        signals=[ping.name],
    )
    ping.send(None, who="bob", count=1)
    assert manager.wait_for_background_work(5)
    assert server.bodies() == [
        {"text": "test.integrations.ping by bob", "channel": "#builds"}
    ]


def test_discord_message_uses_content(builtins, manager, ping, http_server):
    url, server = http_server
    save_config(
        manager,
        CHAT,
        url=url,
        chat_format="discord",
        channel="#ignored",
        template="{payload[count]} new",
        signals=[ping.name],
    )
    ping.send(None, count=4, who="x")
    assert manager.wait_for_background_work(5)
    assert server.bodies() == [{"content": "4 new"}]


def test_event_file_appends_json_lines_and_rotates(builtins, manager, ping, tmp_path):
    path = tmp_path / "events.log"
    save_config(
        manager, EVENT_FILE, path=str(path), signals=[ping.name], max_kb=1, keep=2
    )
    for n in range(12):
        ping.send(None, count=n, who="x" * 300)
        assert manager.wait_for_background_work(5)
    assert path.exists()
    assert (tmp_path / "events.log.1").exists()
    assert (tmp_path / "events.log.2").exists()
    assert not (tmp_path / "events.log.3").exists()
    for file in (path, tmp_path / "events.log.1", tmp_path / "events.log.2"):
        assert file.stat().st_size <= 1024
    lines = path.read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    assert last["signal"] == ping.name and last["payload"]["count"] == 11
    kept = []
    for file in (tmp_path / "events.log.2", tmp_path / "events.log.1", path):
        kept += [json.loads(line)["payload"]["count"] for line in file.open()]
    assert kept == list(range(12 - len(kept), 12))  # in order, none lost


def test_event_file_missing_folder_is_a_recorded_failure(
    builtins, manager, ping, tmp_path
):
    folder = tmp_path / "gone"
    folder.mkdir()
    save_config(manager, EVENT_FILE, path=str(folder / "e.log"), signals=[ping.name])
    folder.rmdir()
    ping.send(None, count=1)
    assert manager.wait_for_background_work(5)
    [record] = [r for r in get_activity_log().records() if r.config_id]
    assert record.outcome == "failed" and "FileNotFoundError" in record.error


def test_notification_without_a_tray_is_a_clear_failure(builtins, manager, ping, qapp):
    save_config(manager, NOTIFY, signals=[ping.name])
    ping.send(None, count=1)
    assert manager.wait_for_background_work(5)
    [record] = [r for r in get_activity_log().records() if r.config_id]
    assert record.outcome == "failed"
    assert "no system tray is available" in record.error


def test_notification_headless_does_not_import_qt():
    code = (
        "import sys\n"
        "from integrations.desktop_notification import show_tray_message\n"
        "from desktop_app.errors import DeliveryError\n"
        "try:\n"
        "    show_tray_message('t', 'm', 1)\n"
        "except DeliveryError as e:\n"
        "    print(e)\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "Delivery to the system tray failed: not shown: no window is running "
        "(headless)",
        "False",
    ]


def test_delivery_error_keeps_its_culprit():
    error = DeliveryError("http://h/p", "HTTP 500")
    assert (error.target, error.reason) == ("http://h/p", "HTTP 500")
