"""The Webhook keeps each configuration's connection alive, as HTTP/1.1
intends, and copes with servers that close it: checked by a real local
server that sees which connection each request came on."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from desktop_app.errors import DeliveryError
from integrations._common import post_json
from integrations._http import KeepAlive
from tests._support.saved_configs import save_config

WEBHOOK = "desktop_app.integrations.webhook"


class Seen:
    """Requests as (client port, path), and how the server should act."""

    def __init__(self) -> None:
        self.requests: list[tuple[int, str]] = []
        self.lock = threading.Lock()
        #: Close the connection after each answer, without saying so.
        self.close_silently = False
        #: Answer every request with this status and Location.
        self.status = 200
        self.location = ""

    def connections(self) -> int:
        return len({port for port, _ in self.requests})


@pytest.fixture
def keep_alive_server():
    """An HTTP/1.1 server keeping connections open; yields (url, seen)."""
    seen = Seen()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with seen.lock:
                seen.requests.append((self.client_address[1], self.path))
            # Decided before answering: once the client has the answer, the
            # test may change its mind for the next request.
            close = seen.close_silently
            self.send_response(seen.status)
            if seen.location:
                self.send_header("Location", seen.location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            if close:
                self.close_connection = True

        def log_message(self, format, *args):  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook?team=a", seen
    server.shutdown()
    server.server_close()


def test_a_burst_to_one_configuration_goes_over_one_connection(
    builtins, manager, ping, keep_alive_server
):
    url, seen = keep_alive_server
    config = save_config(manager, WEBHOOK, url=url, signals=[ping.name], retries=0)
    for n in range(20):
        ping.send(None, count=n, who="ann")
    assert manager.wait_for_background_work(10)
    assert len(seen.requests) == 20
    assert seen.connections() == 1
    assert {path for _, path in seen.requests} == {"/hook?team=a"}
    rows = manager.get_deliveries(config.id, limit=50)
    # The same answer every time: rows counting identical deliveries.
    assert {d.outcome for d in rows} == {"ok"}
    assert sum(d.repeats for d in rows) == 20
    assert {d.message for d in rows} == {"HTTP 200"}


def test_two_configurations_keep_a_connection_each(
    builtins, manager, ping, keep_alive_server
):
    url, seen = keep_alive_server
    save_config(manager, WEBHOOK, name="one", url=url, signals=[ping.name])
    save_config(manager, WEBHOOK, name="two", url=url, signals=[ping.name])
    for n in range(5):
        ping.send(None, count=n, who="ann")
    assert manager.wait_for_background_work(10)
    assert len(seen.requests) == 10
    assert seen.connections() == 2


def test_a_connection_the_server_closed_is_replaced_and_nothing_is_sent_twice(
    builtins, manager, ping, keep_alive_server
):
    url, seen = keep_alive_server
    seen.close_silently = True
    config = save_config(manager, WEBHOOK, url=url, signals=[ping.name], retries=0)
    for n in range(5):
        ping.send(None, count=n, who="ann")
    assert manager.wait_for_background_work(10)
    # Every event arrived once, each on a new connection, and every
    # delivery went well at its first attempt.
    assert len(seen.requests) == 5
    assert seen.connections() == 5
    rows = manager.get_deliveries(config.id, limit=50)
    assert {(d.outcome, d.attempts) for d in rows} == {("ok", 1)}
    assert sum(d.repeats for d in rows) == 5


def test_a_kept_connection_closed_by_the_server_is_sent_again_once(
    keep_alive_server,
):
    url, seen = keep_alive_server
    kept = KeepAlive()
    seen.close_silently = True
    assert kept.post(url, b"{}", {"Content-Type": "application/json"}, 5).status == 200
    # The server closed the connection just kept: the next request notices
    # and goes out again on a new one.
    assert kept.post(url, b"{}", {"Content-Type": "application/json"}, 5).status == 200
    assert len(seen.requests) == 2
    assert kept.opened == 2
    seen.close_silently = False
    kept.post(url, b"{}", {}, 5)
    kept.post(url, b"{}", {}, 5)
    assert kept.opened == 3  # kept again once the server allows it
    kept.close()


def test_an_http_1_0_server_gets_a_connection_per_request(http_server):
    url, server = http_server
    kept = KeepAlive()
    for _ in range(3):
        assert kept.post(url, b"{}", {}, 5).status == 200
    assert len(server.requests) == 3
    assert kept.opened == 3


def test_a_redirect_is_reported_and_not_followed(keep_alive_server):
    url, seen = keep_alive_server
    seen.status = 301
    seen.location = "https://new.example.com/hook?token=secret"
    with pytest.raises(DeliveryError) as caught:
        post_json(url, {"a": 1}, retries=3, backoff=0, connections=KeepAlive())
    error = caught.value
    assert error.retryable is False
    assert len(seen.requests) == 1  # not retried, and no GET to the new place
    assert "HTTP 301 Moved Permanently" in str(error)
    assert "moved to https://new.example.com/hook" in str(error)
    assert "token" not in str(error)


def test_an_address_that_is_not_http_is_a_plain_final_failure():
    with pytest.raises(DeliveryError) as caught:
        post_json("ftp://files.example.com/x", {"a": 1}, retries=3, backoff=0)
    assert caught.value.retryable is False
    assert "only http:// and https:// addresses" in str(caught.value)


def test_a_deleted_configuration_closes_its_connection(
    builtins, manager, ping, keep_alive_server
):
    url, seen = keep_alive_server
    config = save_config(manager, WEBHOOK, url=url, signals=[ping.name])
    ping.send(None, count=1, who="ann")
    assert manager.wait_for_background_work(10)
    webhook = manager.get_integration(WEBHOOK)
    kept = webhook.connections_for(config)
    manager.delete_config(config.id)
    # A new configuration gets connections of its own; the deleted one's
    # were closed (a closed KeepAlive keeps nothing).
    kept.post(url, b"{}", {}, 5)
    kept.post(url, b"{}", {}, 5)
    assert kept.opened == 3


def test_chat_messages_to_one_configuration_share_a_connection(
    builtins, manager, ping, keep_alive_server
):
    url, seen = keep_alive_server
    save_config(
        manager,
        "desktop_app.integrations.chat",
        url=url,
        chat_format="slack",
        signals=[ping.name],
        template="{payload[who]} pinged",
    )
    for n in range(5):
        ping.send(None, count=n, who="ann")
    assert manager.wait_for_background_work(10)
    assert len(seen.requests) == 5
    assert seen.connections() == 1
