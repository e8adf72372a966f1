"""The CI-style test plugin (``plugin_sources/ci_builds.py``) loaded from a
plugins folder, and a local build server for its ``clean()`` to ask."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from desktop_app.plugins import PluginManager

SOURCE = Path(__file__).with_name("plugin_sources") / "ci_builds.py"

#: The token the local build server accepts.
GOOD_TOKEN = "s3cr3t-build-token"


@contextmanager
def ci_plugin(manager, tmp_path):
    """Load the plugin from a plugins folder; yield (integration, module)."""
    import sys

    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    shutil.copy(SOURCE, folder / "ci_builds.py")
    plugins = PluginManager(
        manager, folder, entry_points=False, state_path=tmp_path / "plugins.json"
    )
    try:
        [info] = plugins.load_all()
        assert info.status == "loaded", info.error
        [integration_id] = info.integration_ids
        yield manager.get_integration(integration_id), sys.modules[info.module_name]
    finally:
        plugins.unload_all()


@contextmanager
def build_server():
    """A build server on 127.0.0.1 answering ``GET /api/whoami``: 200 with
    the user for :data:`GOOD_TOKEN`, 403 otherwise. Yields its URL and the
    list of tokens it was asked with."""
    tokens: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            token = self.headers.get("Authorization", "").removeprefix("token ")
            tokens.append(token)
            good = self.path == "/api/whoami" and token == GOOD_TOKEN
            body = json.dumps({"user": "builder"}).encode() if good else b"{}"
            self.send_response(200 if good else 403)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", tokens
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port_url() -> str:
    """A local address where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
