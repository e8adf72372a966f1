"""Benchmark 8: a burst of 10,000 events to webhooks that cannot keep up.

The real app runs in a child process (Qt offscreen, ``run_app`` with the
built-ins loaded as on any start) on a data folder holding two Webhook
configurations: one posting to a local server that sleeps 5 s per request
(``_http_server.py``, a process of its own), one to a port nothing listens
on (a socket bound, then closed). Once the window is up, 10,000 events with
100 KB payloads are sent from the UI thread as fast as an app would send
them from its event loop: a chunk per event-loop turn.

Measured, each against a limit (no floor: nothing else does this work):

- the longest event-loop stall while sending, and in the seconds after,
  with the 5 ms ``QTimer`` meter of ``scale.py``: no stall over 50 ms;
- peak memory (``VmHWM``, reset just before the burst) and its increase:
  bounded; the deliveries the queue had no room for are recorded as
  skipped, and counted here;
- quitting mid-burst through File → Quit: from the click to the process
  gone, at most 2 s;
- every delivery record made before the process ended is in the database
  afterwards (read through ``ConfigStore`` once the child is gone).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._harness import Measurement, Result
from benchmarks._http_server import LocalServer
from benchmarks._memory import reset_peak, status_kib

EVENTS = 10_000
QUICK_EVENTS = 2_000
PAYLOAD_KB = 100
#: Events sent per event-loop turn: what an app sending "as fast as it can"
#: without freezing its own window would do.
CHUNK = 20
#: Seconds the meter keeps running after the last event was sent.
SETTLE_S = 3.0
QUICK_SETTLE_S = 1.0
#: The sleeping server's delay per request.
SLEEP_S = 5.0

STALL_LIMIT_MS = 50.0
EXIT_LIMIT_S = 2.0

WEBHOOK_ID = "desktop_app.integrations.webhook"


def _dead_port() -> int:
    """A local port nothing listens on: bound once, then closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _make_data_folder(folder: Path, slow_url: str, dead_url: str) -> Path:
    from desktop_app import signals
    from desktop_app._paths import DataPaths
    from desktop_app.store import ConfigRecord, ConfigStore

    paths = DataPaths(folder).ensure()
    with ConfigStore(paths.database) as store:
        for name, url in (("Sleeping server", slow_url), ("Dead port", dead_url)):
            store.bulk_insert(
                [
                    ConfigRecord(
                        WEBHOOK_ID,
                        name=name,
                        enabled=True,
                        settings={"url": url, "signals": [signals.test_event.name]},
                    )
                ]
            )
    return paths.database


# The child ------------------------------------------------------------------


class _Driver:
    """Waits for the Webhook, sends the burst a chunk per turn, lets it
    settle, then quits through File → Quit."""

    def __init__(self, window: Any, events: int, settle: float) -> None:
        import threading

        from PySide6.QtCore import QTimer

        from desktop_app import signals
        from desktop_app.manager import get_integration_manager

        self.window = window
        self.manager = get_integration_manager()
        self.events = events
        self.settle = settle
        self.signal = signals.test_event
        self.sent = 0
        self.figures: dict[str, Any] = {}
        self.made: dict[str, int] = {}
        self._made_lock = threading.Lock()
        self._payload = "x" * (PAYLOAD_KB * 1024)
        self.longest = 0.0
        self._last = time.perf_counter()
        self._meter = QTimer()
        self._meter.setInterval(5)
        self._meter.timeout.connect(self._tick)
        self._poll = QTimer()
        self._poll.setInterval(20)
        self._poll.timeout.connect(self._ready_check)
        self._chunk = QTimer()
        self._chunk.setInterval(0)
        self._chunk.timeout.connect(self._send_chunk)
        self._later = QTimer()
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._quit)

    def start(self) -> None:
        self._poll.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, (now - self._last) * 1e3)
        self._last = now

    def _count(self, deliveries: Any) -> None:
        with self._made_lock:
            for d in deliveries:
                key = d.outcome + (" (quitting)" if "quit" in d.message else "")
                self.made[key] = self.made.get(key, 0) + d.repeats

    def _ready_check(self) -> None:
        manager = self.manager
        if not manager.is_registered(WEBHOOK_ID):
            return
        integration = manager.get_integration(WEBHOOK_ID)
        if not integration.enabled or len(integration.get_configs()) < 2:
            return
        self._poll.stop()
        # Every record as it is made (stored later, off the event path).
        self.manager.deliveries.subscribe(self._count, stored=False)
        # Every record is kept for the count after the child is gone; the
        # bound per configuration would prune all but the newest 500.
        self.manager.deliveries.keep = 10 * self.events
        self.figures["rss_before_kib"] = status_kib("VmRSS")
        self.figures["peak_reset"] = reset_peak()
        self.longest = 0.0
        self._last = time.perf_counter()
        self._meter.start()
        self._t0 = time.perf_counter()
        self._chunk.start()

    def _send_chunk(self) -> None:
        send = self.signal.send
        payload = self._payload
        end = min(self.events, self.sent + CHUNK)
        for n in range(self.sent, end):
            # A payload of its own per event, as an app's events have.
            send(None, message=f"{n:08d}" + payload[8:], severity="info")
        self.sent = end
        if end >= self.events:
            self._chunk.stop()
            self.figures["send_s"] = time.perf_counter() - self._t0
            self.figures["stall_sending_ms"] = self.longest
            self.longest = 0.0
            self._later.start(int(self.settle * 1000))

    def _quit(self) -> None:
        self.figures["stall_after_ms"] = self.longest
        self._meter.stop()
        self.figures["peak_kib"] = status_kib("VmHWM")
        self.figures["rss_end_kib"] = status_kib("VmRSS")
        with self._made_lock:
            self.figures["made_before_quit"] = dict(self.made)
        self.figures["t_quit"] = time.monotonic()
        self.window.quit_action.trigger()


def _child_main(data_dir: str, events: str, settle: str) -> None:
    """Run the app on ``data_dir`` with the burst; print ``RESULT {...}``."""
    from PySide6.QtCore import QSettings

    from desktop_app._paths import DataPaths
    from desktop_app.ui._safe_mode import start_plugins
    from desktop_app.ui.app import run_app

    paths = DataPaths(data_dir)
    holder: dict[str, _Driver] = {}

    def after_show(window: Any) -> None:
        start_plugins(window, paths)
        holder["driver"] = _Driver(window, int(events), float(settle))
        holder["driver"].start()

    settings = QSettings(str(Path(data_dir) / "window.ini"), QSettings.Format.IniFormat)
    code = run_app(paths.data_dir, after_show=after_show, settings=settings)
    driver = holder["driver"]
    figures = dict(driver.figures)
    figures["t_returned"] = time.monotonic()
    figures["exit_code"] = code
    with driver._made_lock:
        figures["made"] = dict(driver.made)
    print("RESULT " + json.dumps(figures), flush=True)


# The parent -----------------------------------------------------------------


def _stored_by_outcome(database: Path) -> dict[str, int]:
    from desktop_app.store import ConfigStore

    counts: dict[str, int] = {}
    with ConfigStore(database) as store:
        for d in store.list_deliveries(limit=10_000_000):
            key = d.outcome + (" (quitting)" if "quit" in d.message else "")
            counts[key] = counts.get(key, 0) + d.repeats
    return counts


def _one_round(root: Path, events: int, settle: float, slow_url: str) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(dir=root))
    database = _make_data_folder(
        folder, slow_url, f"http://127.0.0.1:{_dead_port()}/hook"
    )
    code = (
        "import sys\n"
        "from benchmarks.burst import _child_main\n"
        "_child_main(*sys.argv[1:])\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DESKTOP_APP_EXIT_AFTER_FIRST_PAINT", None)
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(folder), str(events), str(settle)],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        out, err = process.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    gone = time.monotonic()
    line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(
            f"the burst child failed ({process.returncode}): {err[-2000:]}"
        )
    figures: dict[str, Any] = json.loads(line[len("RESULT ") :])
    figures["exit_s"] = gone - figures["t_quit"]
    figures["stored"] = _stored_by_outcome(database)
    return figures


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {k}" for k, n in sorted(counts.items()))


def run(quick: bool = False) -> list[Result]:
    events = QUICK_EVENTS if quick else EVENTS
    settle = QUICK_SETTLE_S if quick else SETTLE_S
    rounds = 1 if quick else 3
    samples: list[dict[str, Any]] = []
    with LocalServer(sleep=SLEEP_S) as slow, tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            samples.append(_one_round(Path(tmp), events, settle, slow.url))
    return _results(samples, events)


def _results(samples: list[dict[str, Any]], events: int) -> list[Result]:
    name = f"8. burst {events:,}"
    mib = 1024.0
    stall_send = max(s["stall_sending_ms"] for s in samples)
    stall_after = max(s["stall_after_ms"] for s in samples)
    exit_s = max(s["exit_s"] for s in samples)
    lost = [sum(s["made"].values()) - sum(s["stored"].values()) for s in samples]
    expected = 2 * events
    unrecorded = [expected - sum(s["made"].values()) for s in samples]
    last = samples[-1]

    def verdict(value: float, limit: float, unit: str) -> str:
        return f"{value:,.0f} {unit} " + ("✅" if value <= limit else "❌")

    rows = [
        Result(
            name,
            Measurement(
                "send (100 KB payloads, 20 per turn)",
                "ms",
                [s["send_s"] * 1e3 for s in samples],
            ),
            note=f"longest stall {stall_send:.0f} ms (limit {STALL_LIMIT_MS:.0f} ms)",
            verdict="stall " + verdict(stall_send, STALL_LIMIT_MS, "ms"),
        ),
        Result(
            name,
            Measurement(
                "the seconds after sending",
                "ms",
                [s["stall_after_ms"] for s in samples],
            ),
            note=f"longest stall {stall_after:.0f} ms (limit {STALL_LIMIT_MS:.0f} ms)",
            verdict="stall " + verdict(stall_after, STALL_LIMIT_MS, "ms"),
        ),
        Result(
            name,
            Measurement(
                "peak memory (VmHWM)", "MiB", [s["peak_kib"] / mib for s in samples]
            ),
            note="before the burst: "
            + ", ".join(f"{s['rss_before_kib'] / mib:.1f}" for s in samples)
            + " MiB",
        ),
        Result(
            name,
            Measurement(
                "peak memory increase",
                "MiB",
                [(s["peak_kib"] - s["rss_before_kib"]) / mib for s in samples],
            ),
            note="records made: " + _counts_text(last["made"]),
            verdict=f"{sum(unrecorded):,} unrecorded "
            + ("✅" if not any(unrecorded) else "❌"),
        ),
        Result(
            name,
            Measurement(
                "File → Quit mid-burst → process gone",
                "s",
                [s["exit_s"] for s in samples],
            ),
            note=f"limit {EXIT_LIMIT_S:g} s",
            verdict=verdict(exit_s * 1e3, EXIT_LIMIT_S * 1e3, "ms"),
        ),
        Result(
            name,
            Measurement(
                "delivery records stored",
                "records",
                [float(sum(s["stored"].values())) for s in samples],
            ),
            note="stored: " + _counts_text(last["stored"]),
            verdict=f"{max(lost):,} lost " + ("✅" if not any(lost) else "❌"),
        ),
    ]
    return rows
