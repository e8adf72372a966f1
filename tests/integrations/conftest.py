"""Real peers for the built-in integrations: a local HTTP server and the
built-ins loaded through their entry points."""

from __future__ import annotations

import json
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from desktop_app import forms, signals
from desktop_app.plugins import PluginManager
from tests._support.plugin_files import make_distribution

ROOT = Path(__file__).resolve().parents[2]


def builtin_entry_points() -> dict[str, str]:
    """The entry points pyproject.toml declares for the built-ins."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["project"]["entry-points"]["desktop_app.plugins"]


class Recorder:
    """What the test server received, and how it should answer.

    ``events`` lists, in the order they happened, ``("received", n)`` when
    request ``n`` (from 1) arrived and ``("answered", n, status)`` just
    before its answer went out, so a test can check that attempts came one
    after another. With ``hold`` set, every request waits for ``released``
    before it is answered: a server that hangs for as long as the test says.
    """

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.events: list[tuple] = []
        self.fail_first = 0
        self.fail_status = 500
        self.hold = False
        self.released = threading.Event()
        self.lock = threading.Lock()

    def bodies(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]

    def statuses(self) -> list[int]:
        """The status of each answer sent, in the order they went out."""
        return [event[2] for event in self.events if event[0] == "answered"]


@pytest.fixture
def http_server():
    """An HTTP server on 127.0.0.1 recording POSTs; yields (url, recorder)."""
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            with recorder.lock:
                recorder.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                number = len(recorder.requests)
                recorder.events.append(("received", number))
            if recorder.hold:
                recorder.released.wait(30)
            status = recorder.fail_status if number <= recorder.fail_first else 200
            with recorder.lock:
                recorder.events.append(("answered", number, status))
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the client gave up (timeout tests)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", recorder
    recorder.released.set()  # let held requests finish before shutting down
    server.shutdown()
    server.server_close()


@pytest.fixture
def builtins(manager, tmp_path, monkeypatch):
    """The built-in integrations, loaded through a temp distribution that
    declares exactly pyproject.toml's entry points."""
    site = make_distribution(
        tmp_path / "site", "desktop-app", "0.1.0", builtin_entry_points(), {}
    )
    monkeypatch.syspath_prepend(str(site))
    pm = PluginManager(
        manager, tmp_path / "plugins", state_path=tmp_path / "plugins.json"
    )
    pm.load_all()
    yield pm
    pm.unload_all()


@pytest.fixture
def ping():
    """A test signal with a typed payload."""
    signal = signals.define_signal(
        "test.integrations.ping",
        description="A test event.",
        payload={"count": forms.IntegerField(), "who": forms.CharField()},
    )
    yield signal
    signals.unregister_signal("test.integrations.ping")
