"""Benchmark 9: delivery throughput of the Webhook built-in.

Events go out through the whole path a user's events take: ``send()`` on the
sender's thread, the configuration's delivery queue, the worker, the Webhook's
request, and the delivery's record. The server is local, fast and the same
for both sides: a ``ThreadingHTTPServer`` speaking HTTP/1.1 (keep-alive)
that answers 200 with a ``Content-Length``, in a process of its own
(``_http_server.py``).

The floor is a plain ``http.client.HTTPConnection`` loop posting the same
requests (the same body and headers) over one kept-alive connection. Both
are timed in interleaved rounds; the figure is time per delivery. Target:
ours ≤ 1.25× the floor's time per delivery (at least 0.8× its rate).
"""

from __future__ import annotations

import http.client
import json
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks._harness import Measurement, Result, interleaved
from benchmarks._http_server import LocalServer

#: Deliveries per round (``--quick``: fewer).
DELIVERIES = 2000
QUICK_DELIVERIES = 500
#: The payload of each event: a short message, as a notification carries.
MESSAGE = "Build 1234 of desktop-app finished: all 812 tests passed. " * 4
TARGET = 1.25


def _floor_round(url: str, body: bytes, headers: dict[str, str], count: int) -> float:
    """µs per request: ``count`` POSTs over one kept-alive connection."""
    parts = url.split("/", 3)
    host, port = parts[2].split(":")
    path = "/" + parts[3]
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    t0 = time.perf_counter()
    for _ in range(count):
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"the floor got HTTP {response.status}")
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed / count * 1e6


class _Ours:
    """A manager with one Webhook configuration pointing at the server."""

    def __init__(self, root: Path, url: str) -> None:
        from desktop_app import signals
        from desktop_app.manager import IntegrationManager, set_integration_manager
        from integrations.webhook import WebhookIntegration

        self.signal = signals.test_event
        self.manager = IntegrationManager(
            root / "throughput.sqlite3", watch_interval=None
        )
        set_integration_manager(self.manager)
        self.manager.register_integration_class(WebhookIntegration)
        self.manager.create_config(
            WebhookIntegration,
            name="Fast local server",
            enabled=True,
            settings={"url": url, "signals": [self.signal.name]},
        )
        self._lock = threading.Lock()
        self.outcomes: dict[str, int] = {}
        self.manager.deliveries.subscribe(self._count, stored=False)

    def _count(self, deliveries: Any) -> None:
        with self._lock:
            for d in deliveries:
                key = f"{d.outcome}: {d.message}"
                self.outcomes[key] = self.outcomes.get(key, 0) + d.repeats

    def round(self, count: int) -> float:
        """µs per delivery: ``count`` events sent at once, until all are done."""
        send = self.signal.send
        t0 = time.perf_counter()
        for _ in range(count):
            send(None, message=MESSAGE, severity="info")
        if not self.manager.wait_for_background_work(120):
            raise RuntimeError("the deliveries did not finish within 120 s")
        return (time.perf_counter() - t0) / count * 1e6

    def close(self) -> None:
        from desktop_app.manager import set_integration_manager

        self.manager.shutdown()
        set_integration_manager(None)


def _request_like_ours(url: str) -> tuple[bytes, dict[str, str]]:
    """The body and headers the Webhook sends for one event (no secret)."""
    from desktop_app import signals
    from integrations._common import event_body

    body = event_body(
        signals.test_event.name,
        {"message": MESSAGE, "severity": "info"},
        event_id="msg_2b1f0c3e9d8a4f6b8c1d2e3f4a5b6c7d",
    )
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return data, {"Content-Type": "application/json", "User-Agent": "desktop-app"}


def run(quick: bool = False) -> list[Result]:
    count = QUICK_DELIVERIES if quick else DELIVERIES
    rounds = 3 if quick else 9
    with LocalServer() as server, tempfile.TemporaryDirectory() as tmp:
        body, headers = _request_like_ours(server.url)
        ours = _Ours(Path(tmp), server.url)
        try:
            # One unmeasured round of each: imports, the first connection.
            _floor_round(server.url, body, headers, 50)
            ours.round(50)
            samples = interleaved(
                rounds,
                {
                    "floor": lambda: _floor_round(server.url, body, headers, count),
                    "ours": lambda: ours.round(count),
                },
            )
        finally:
            ours.close()
    outcomes = ", ".join(f"{n:,} {k}" for k, n in sorted(ours.outcomes.items()))
    return [
        Result(
            "9. delivery throughput",
            Measurement(
                f"Webhook to a fast local HTTP/1.1 server, {count:,} events",
                "µs",
                samples["ours"],
            ),
            Measurement(
                "http.client loop, one keep-alive connection", "µs", samples["floor"]
            ),
            target=TARGET,
            note=f"time per delivery; outcomes: {outcomes}",
        )
    ]
