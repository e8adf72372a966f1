"""A local HTTP server in a thread whose answer a test can change, for
delivery, Retry and Test tests (``status`` is what the next POST gets)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer:
    """What the server answers and what it received."""

    def __init__(self) -> None:
        self.status = 200
        self.bodies: list[bytes] = []
        self.url = ""


@contextlib.contextmanager
def local_server() -> Iterator[LocalServer]:
    """Run a server on 127.0.0.1 for the block; yields its state."""
    state = LocalServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            state.bodies.append(self.rfile.read(length))
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
