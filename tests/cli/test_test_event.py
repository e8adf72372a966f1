"""desktop_app.test_event: a signal a new user fires by hand to see the
built-in integrations react."""

from __future__ import annotations

import json

from desktop_app.signals import get_signal_info
from desktop_app.store import ConfigRecord, ConfigStore
from tests._support.child_processes import run_cli


def test_the_test_event_is_registered_with_optional_fields():
    info = get_signal_info("desktop_app.test_event")
    assert info.description == (
        "A test event you can send by hand to check your integrations."
    )
    assert set(info.payload) == {"message", "severity"}
    assert not any(field.required for field in info.payload.values())
    assert [value for value, _label in info.payload["severity"].choices] == [
        "info",
        "warning",
        "error",
    ]


def test_firing_the_test_event_reaches_the_built_in_event_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    data.chmod(0o700)
    events = tmp_path / "events.jsonl"
    store = ConfigStore(data / "configs.sqlite3")
    store.save_config(
        ConfigRecord(
            "desktop_app.integrations.event_file",
            name="Try it",
            enabled=True,
            settings={"path": str(events), "signals": ["desktop_app.test_event"]},
        )
    )
    store.close()

    listed = run_cli(data, "signals")
    result = run_cli(
        data, "fire", "desktop_app.test_event", "message=hi", "severity=warning"
    )

    assert (
        "desktop_app.test_event  Test event  [This app]  A test event you can send"
        in listed.stdout
    )
    assert result.returncode == 0, result.stderr
    assert "desktop_app.integrations.event_file  Try it" in result.stdout
    [line] = events.read_text(encoding="utf-8").splitlines()
    body = json.loads(line)
    assert body["signal"] == "desktop_app.test_event"
    assert body["payload"] == {"message": "hi", "severity": "warning"}


def test_an_unknown_severity_is_a_one_line_error(tmp_path):
    result = run_cli(tmp_path, "fire", "desktop_app.test_event", "severity=fatal")
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith('desktop-app: error: bad value for "severity"')
