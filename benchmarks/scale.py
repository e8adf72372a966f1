"""Benchmark 6: scale. The window on 10,000 and 100,000 configs, and bulk
import.

In one process (Qt offscreen), with every config on one integration (plus
a second, small one): open the window, select the big integration, scroll
its list from top to bottom, then filter it. Each step is run from the
event loop while a 5 ms ``QTimer`` records the gaps between its ticks; the
longest gap is the longest stall the user would feel. Target: no stall
over 50 ms.

Bulk import of 10,000 configs through what a user's import runs
(:py:func:`desktop_app._transfer.import_configs`), and through
:py:meth:`ConfigStore.bulk_insert`, against a SQLAlchemy Core
``executemany`` INSERT of the same rows on the same settings. Target:
≤ 1.5×.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks._harness import Measurement, Result, interleaved

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = (10_000, 100_000)
IMPORT_SIZE = 10_000
STALL_LIMIT_MS = 50.0
#: The scroll stops here if it has not reached the end (the note says how
#: many rows it loaded): deep OFFSET pages get slower and slower.
SCROLL_CAP_S = 30.0

BIG_ID = "benchmarks.scale.Big"
SMALL_ID = "benchmarks.scale.Small"


def _integrations() -> tuple[type, type]:
    from desktop_app import forms
    from desktop_app.forms import IntegrationConfigForm
    from desktop_app.integration import Integration

    class ScaleForm(IntegrationConfigForm):
        url = forms.URLField(label="URL")
        retries = forms.IntegerField(label="Retries", min_value=0, max_value=10)

    class Big(Integration):
        integration_id = BIG_ID
        name = "Big"
        config_form_cls = ScaleForm

        def initialize(self) -> None:
            pass

    class Small(Integration):
        integration_id = SMALL_ID
        name = "Small"

        def initialize(self) -> None:
            pass

    return Big, Small


class _StallMeter:
    """Ticks every 5 ms and keeps the longest gap between ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        # A kept single-shot timer, not QTimer.singleShot(0, callable):
        # repeated singleShot calls with Python callables crashed PySide6
        # here (a refcount error on None).
        self._step: Callable[[], None] = lambda: None
        self._kick = QTimer()
        self._kick.setSingleShot(True)
        self._kick.setInterval(0)
        self._kick.timeout.connect(lambda: self._step())

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, (now - self._last) * 1e3)
        self._last = now

    def measure(self, step: Callable[[], None], done: Callable[[], bool]) -> tuple:
        """Run ``step`` from the event loop, spin until ``done()``; return
        (ms until done, longest stall in ms)."""
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer.start()
        t0 = time.perf_counter()
        self._step = step
        self._kick.start()
        app.processEvents()
        while not done():
            app.processEvents()
        # Ticks for 12 ms more, so work the step left queued is counted.
        # Wait for a tick, not the clock: a task that starts just before
        # the 12 ms are up and runs past them must end with a tick too, or
        # its stall would be counted nowhere.
        end = time.perf_counter()
        while self._last - end < 0.012:
            app.processEvents()
        self._timer.stop()
        return (end - t0) * 1e3, self.longest


def _window_steps(db: Path, size: int) -> dict[str, tuple[float, float]]:
    from PySide6.QtCore import QSettings

    from desktop_app.manager import IntegrationManager, set_integration_manager
    from desktop_app.store import ConfigRecord
    from desktop_app.ui.main_window import MainWindow

    manager = IntegrationManager(db, watch_interval=None)
    set_integration_manager(manager)
    big_cls, small_cls = _integrations()
    manager.register_integration_class(small_cls)
    manager.register_integration_class(big_cls)
    if manager.store.count(BIG_ID) != size:
        manager.store.bulk_insert(
            ConfigRecord(BIG_ID, name=f"Config {i:06d}", enabled=i % 2 == 0)
            for i in range(size)
        )
    meter = _StallMeter()
    settings = QSettings(str(db.with_suffix(".ini")), QSettings.Format.IniFormat)
    steps: dict[str, tuple[float, float]] = {}
    holder: dict[str, MainWindow] = {}

    def open_window() -> None:
        window = MainWindow(manager, settings=settings)
        window.show()
        holder["w"] = window

    steps["open the window"] = meter.measure(
        open_window, lambda: "w" in holder and holder["w"].isVisible()
    )
    window = holder["w"]
    view = window.integration_view
    model = view.model()
    big_row = next(
        r for r in range(model.rowCount()) if model.index(r, 0).data() == "Big"
    )
    panel = window.config_panel
    steps["select the big integration"] = meter.measure(
        lambda: view.setCurrentIndex(model.index(big_row, 0)),
        lambda: panel.model.total() == size,
    )
    bar = panel.view.verticalScrollBar()

    scroll_started = time.perf_counter()

    def at_bottom() -> bool:
        # The user keeps dragging to the end; each time, the view fetches
        # the next page, until everything is loaded.
        if time.perf_counter() - scroll_started > SCROLL_CAP_S:
            return True
        if panel.model.canFetchMore() or bar.value() < bar.maximum():
            panel.view.scrollToBottom()
            return False
        return True

    scroll = meter.measure(panel.view.scrollToBottom, at_bottom)
    loaded = panel.model.rowCount()
    key = "scroll top to bottom"
    if loaded < size:
        key += f" (stopped at {SCROLL_CAP_S:.0f} s: {loaded:,} rows)"
    steps[key] = scroll
    steps["filter (one name)"] = meter.measure(
        lambda: panel.set_filter("config 000123"),
        lambda: panel.model.total() == 1,
    )
    steps["clear the filter"] = meter.measure(
        lambda: panel.set_filter(""), lambda: panel.model.total() == size
    )
    window.close()
    window.deleteLater()
    manager.shutdown()
    set_integration_manager(None)
    return steps


def _import_rounds(root: Path, rounds: int) -> dict[str, list[float]]:
    from sqlalchemy import insert

    from desktop_app._transfer import import_configs
    from desktop_app.manager import IntegrationManager, set_integration_manager
    from desktop_app.store import ConfigRecord
    from desktop_app.store._migrate import migration_engine
    from desktop_app.store._models import ConfigRow
    from desktop_app.store._sqlite import connect

    items = [
        {
            "integration_id": BIG_ID,
            "name": f"Imported {i:06d}",
            "enabled": i % 2 == 0,
            "settings": {"url": f"https://hooks.example.com/{i}", "retries": i % 5},
        }
        for i in range(IMPORT_SIZE)
    ]
    document = json.dumps(
        {"format": "desktop-app-configs", "version": 1, "configs": items}
    )
    counter = iter(range(10**6))

    def fresh_manager() -> tuple[IntegrationManager, Path]:
        db = root / f"import-{next(counter)}.sqlite3"
        manager = IntegrationManager(db, watch_interval=None)
        set_integration_manager(manager)
        big_cls, _ = _integrations()
        manager.register_integration_class(big_cls)
        return manager, db

    def ours_import() -> float:
        manager, _ = fresh_manager()
        t0 = time.perf_counter()
        import_configs(manager, document)
        elapsed = (time.perf_counter() - t0) * 1e3
        manager.shutdown()
        return elapsed

    def ours_bulk() -> float:
        manager, _ = fresh_manager()
        t0 = time.perf_counter()
        manager.store.bulk_insert(
            ConfigRecord(
                item["integration_id"],
                name=item["name"],
                enabled=item["enabled"],
                settings=item["settings"],
            )
            for item in items
        )
        elapsed = (time.perf_counter() - t0) * 1e3
        manager.shutdown()
        return elapsed

    def core_floor() -> float:
        manager, db = fresh_manager()
        manager.shutdown()
        # Core's engine with the store's connection settings and BEGIN
        # IMMEDIATE: the same rows, written with the library.
        engine = migration_engine(db)
        now = datetime.now(UTC)
        t0 = time.perf_counter()
        rows = [
            {
                "integration_id": item["integration_id"],
                "name": item["name"],
                # The same row the store writes: the list's sort key too.
                "name_key": item["name"].casefold(),
                "enabled": item["enabled"],
                "settings": json.dumps(item["settings"]),
                "time_added": now,
                "last_updated": now,
                "revision": 1,
            }
            for item in items
        ]
        with engine.begin() as conn:
            conn.execute(insert(ConfigRow.__table__), rows)
        elapsed = (time.perf_counter() - t0) * 1e3
        engine.dispose()
        return elapsed

    def bare_sqlite3() -> float:
        manager, db = fresh_manager()
        manager.shutdown()
        conn = connect(db)
        t0 = time.perf_counter()
        now = datetime.now(UTC).isoformat(sep=" ", timespec="microseconds")
        # The same row the store writes: the list's sort key too.
        rows = [
            (
                item["integration_id"],
                item["name"],
                item["name"].casefold(),
                item["enabled"],
                json.dumps(item["settings"]),
                now,
                now,
                1,
            )
            for item in items
        ]
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO configs (integration_id, name, name_key, enabled,"
            " settings, time_added, last_updated, revision)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute("COMMIT")
        elapsed = (time.perf_counter() - t0) * 1e3
        conn.close()
        return elapsed

    # import_configs validates every config through its form, then stores
    # them in one transaction (IntegrationManager.bulk_create).
    candidates = {
        "floor": core_floor,
        "raw": bare_sqlite3,
        "bulk": ours_bulk,
        "import": ours_import,
    }
    samples = interleaved(rounds, candidates)
    set_integration_manager(None)
    return samples


def import_results(samples: dict[str, list[float]]) -> list[Result]:
    """The bulk-import rows of the report, from :py:func:`_import_rounds`."""
    floor = Measurement(
        "Core executemany INSERT, one transaction", "ms", samples["floor"]
    )
    return [
        Result(
            "6. bulk import",
            Measurement(
                f"ConfigStore.bulk_insert of {IMPORT_SIZE:,}", "ms", samples["bulk"]
            ),
            floor,
            target=1.5,
        ),
        Result(
            "6. bulk import",
            Measurement(
                f"transfer.import_configs of {IMPORT_SIZE:,}", "ms", samples["import"]
            ),
            floor,
            target=1.5,
            note="what a user's import runs: validate every form, one transaction",
        ),
        Result(
            "6. bulk import",
            Measurement(
                "bare sqlite3 executemany INSERT, one transaction", "ms", samples["raw"]
            ),
            floor,
            note="for scale: no Python around the statement",
        ),
    ]


def _window_steps_in_child(db: Path, size: int) -> dict[str, tuple[float, float]]:
    """Run :py:func:`_window_steps` in a fresh process.

    Long runs of many event-loop steps in one process hit a PySide6
    "deallocating None" fatal error (a refcount bug being reduced for an
    upstream report); one process per round keeps the module finishing, and
    each round starts from a cold process like a user's would.
    """
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from benchmarks.scale import _window_steps\n"
        "app = QApplication([])\n"
        "steps = _window_steps(Path(sys.argv[1]), int(sys.argv[2]))\n"
        "print('RESULT ' + json.dumps(steps))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db), str(size)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    return {k: (v[0], v[1]) for k, v in json.loads(line[len("RESULT ") :]).items()}


def run(quick: bool = False) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for size in SIZES:
            rounds = 1 if quick else 3
            per_step: dict[str, list[tuple[float, float]]] = {}
            db = root / f"scale-{size}.sqlite3"
            for _ in range(rounds):
                for step, figures in _window_steps_in_child(db, size).items():
                    per_step.setdefault(step, []).append(figures)
            for step, figures in per_step.items():
                stall = max(f[1] for f in figures)
                ok = "✅" if stall <= STALL_LIMIT_MS else "❌"
                results.append(
                    Result(
                        f"6. scale {size:,}",
                        Measurement(step, "ms", [f[0] for f in figures]),
                        note=f"longest stall {stall:.0f} ms "
                        + ("✅" if stall <= STALL_LIMIT_MS else "❌")
                        + f" (limit {STALL_LIMIT_MS:.0f} ms)",
                        verdict=f"stall {stall:.0f} ms {ok}",
                    )
                )
        samples = _import_rounds(root, 2 if quick else 5)
    return results + import_results(samples)
