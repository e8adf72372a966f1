"""Tests of the My Integration example, written as its author would.

They use only the fixtures desktop-app ships (no conftest, no mocks): the
plugin is loaded from a plugins folder exactly as the app loads a drop-in
file, and deliveries go to a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PLUGIN_FILE = Path(__file__).with_name("my_integration.py")
INTEGRATION_ID = "examples.MyIntegration"
SIGNAL = "examples.something_happened"


class Service:
    """A tiny web service that records what it was sent."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                service.received.append(
                    {
                        "path": self.path,
                        "client_id": self.headers["X-Client-ID"],
                        "content_type": self.headers["Content-Type"],
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                self.send_response(500 if self.path == "/broken" else 204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"


@pytest.fixture
def service() -> Iterator[Service]:
    service = Service()
    service.thread.start()
    yield service
    service.server.shutdown()
    service.server.server_close()


@pytest.fixture
def plugin(plugins_dir):
    """The example dropped into a plugins folder and loaded by the app's loader."""
    shutil.copy(PLUGIN_FILE, plugins_dir.path / PLUGIN_FILE.name)
    plugins_dir.load()
    assert plugins_dir.errors == {}
    return plugins_dir.plugin("my_integration")


@pytest.fixture
def integration(plugin, integration_manager):
    return integration_manager.get_integration(INTEGRATION_ID)


def fire(summary: str, **payload) -> None:
    from desktop_app.signals import get_signal

    get_signal(SIGNAL).send(None, summary=summary, **payload)


def test_loads_as_a_drop_in_and_registers_its_integration_and_signal(plugin):
    assert plugin.loaded
    assert plugin.integration_ids == [INTEGRATION_ID]
    assert plugin.signal_names == [SIGNAL]


def test_posts_json_with_the_client_id_to_each_enabled_config(
    integration, create_config, service, activity, wait_for_deliveries
):
    ops = create_config(
        integration, name="ops", endpoint_url=service.url("/ops"), client_id="ops-1"
    )
    create_config(
        integration,
        name="off",
        enabled=False,
        endpoint_url=service.url("/off"),
        client_id="off-1",
    )

    fire("Backup finished", severity="warning")
    wait_for_deliveries()

    assert service.received == [
        {
            "path": "/ops",
            "client_id": "ops-1",
            "content_type": "application/json",
            "body": {
                "event": SIGNAL,
                "summary": "Backup finished",
                "severity": "warning",
                "configuration": "ops",
            },
        }
    ]
    activity.assert_delivered(SIGNAL, INTEGRATION_ID, ops)
    activity.assert_no_failures()


def test_a_server_error_is_recorded_as_a_failed_delivery(
    integration, create_config, service, activity, wait_for_deliveries
):
    broken = create_config(
        integration, name="broken", endpoint_url=service.url("/broken")
    )
    fire("Disk full", severity="error")
    wait_for_deliveries()

    record = activity.assert_delivered(SIGNAL, INTEGRATION_ID, broken, outcome="failed")
    assert "500" in record.error
    assert service.received[0]["client_id"] == "abc123"  # the default setting


def test_the_dialog_validates_then_saves_a_working_configuration(
    integration, config_dialog, service, activity, wait_for_deliveries
):
    dialog = config_dialog(integration)
    assert dialog.editor("endpoint_url").value() == "https://example.com/endpoint/"

    dialog.fill(
        {"name": "From the dialog", "endpoint_url": "not a url", "client_id": "a b"}
    )
    assert dialog.press_ok() is None
    assert dialog.errors == {
        "endpoint_url": ["Enter a valid URL."],
        "client_id": ["A client ID cannot contain spaces."],
    }

    saved = dialog.fill(
        {"endpoint_url": service.url("/hook"), "client_id": "desk-7", "timeout": 5}
    ).press_ok()
    assert saved is not None
    assert saved.settings["timeout"] == 5.0

    fire("Saved through the dialog")
    wait_for_deliveries()
    assert [(r["path"], r["client_id"]) for r in service.received] == [
        ("/hook", "desk-7")
    ]
    activity.assert_no_failures()
