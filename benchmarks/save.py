"""Benchmark 5: durable save of one config through the form's ``save()``.

Floor: a single-row SQLAlchemy Core UPDATE in its own ``BEGIN IMMEDIATE``
transaction, on an engine with the store's connection settings (WAL,
synchronous=FULL): the least a save costs when written with the library,
and the least data path (b) of issue 11 would cost. The same UPDATE on a
bare ``sqlite3`` connection is reported against the same floor: how much
lower a save could go with no Python around it at all.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from benchmarks._harness import Measurement, Result, interleaved
from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration
from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.store._migrate import migration_engine
from desktop_app.store._models import ConfigRow
from desktop_app.store._sqlite import connect


class SaveForm(IntegrationConfigForm):
    endpoint_url = forms.URLField(label="Endpoint URL")
    client_id = forms.CharField(label="Client ID")


class SaveIntegration(Integration):
    integration_id = "benchmarks.save.SaveIntegration"
    name = "Save"
    config_form_cls = SaveForm

    def initialize(self) -> None:
        pass


def run(quick: bool = False) -> list[Result]:
    rounds = 10 if quick else 30
    saves = 10 if quick else 30
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        manager = IntegrationManager(db, watch_interval=None)
        set_integration_manager(manager)
        integration = manager.register_integration_class(SaveIntegration)
        data = {
            "name": "Production",
            "enabled": True,
            "endpoint_url": "https://example.com/hook",
            "client_id": "abc",
        }
        form = SaveForm(integration, data=data)
        assert form.is_valid(), form.errors
        config = form.save()
        floor_config = integration.create_config(name="floor", save=True)

        conn = connect(db)
        # Core's engine, with the same connection settings and BEGIN
        # IMMEDIATE, as data path (b) would write.
        engine = migration_engine(db)
        table = ConfigRow.__table__
        floor_settings = '{"endpoint_url": "https://example.com/hook"}'

        def ours() -> float:
            # save() is what is timed; the form is built and validated first.
            total = 0.0
            for _ in range(saves):
                f = SaveForm(integration, data=data, config=config)
                f.is_valid()
                t0 = time.perf_counter()
                f.save()
                total += time.perf_counter() - t0
            return total / saves * 1e3

        def ours_whole() -> float:
            t0 = time.perf_counter()
            for _ in range(saves):
                f = SaveForm(integration, data=data, config=config)
                f.is_valid()
                f.save()
            return (time.perf_counter() - t0) / saves * 1e3

        def bare_sqlite3() -> float:
            t0 = time.perf_counter()
            for _ in range(saves):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "UPDATE configs SET settings = ?, last_updated = ? WHERE id = ?",
                    (floor_settings, str(datetime.now(UTC)), floor_config.id),
                )
                conn.execute("COMMIT")
            return (time.perf_counter() - t0) / saves * 1e3

        statement = update(table).where(table.c.id == floor_config.id)

        def core_update() -> float:
            t0 = time.perf_counter()
            for _ in range(saves):
                with engine.begin() as core_conn:
                    core_conn.execute(
                        statement.values(
                            settings=floor_settings, last_updated=datetime.now(UTC)
                        )
                    )
            return (time.perf_counter() - t0) / saves * 1e3

        samples = interleaved(
            rounds,
            {
                "raw": bare_sqlite3,
                "ours": ours,
                "whole": ours_whole,
                "floor": core_update,
            },
        )
        conn.close()
        engine.dispose()
        manager.shutdown()
        set_integration_manager(None)
    floor_measurement = Measurement(
        "one Core UPDATE transaction", "ms", samples["floor"]
    )
    return [
        Result(
            "5. durable save",
            Measurement("form.save()", "ms", samples["ours"]),
            floor_measurement,
            target=1.2,
            note="WAL, synchronous=FULL",
        ),
        Result(
            "5. durable save",
            Measurement("build form + is_valid() + save()", "ms", samples["whole"]),
            floor_measurement,
            note="for scale: what the dialog's OK costs",
        ),
        Result(
            "5. durable save",
            Measurement("one bare sqlite3 UPDATE transaction", "ms", samples["raw"]),
            floor_measurement,
            note="for scale: no Python around the statement",
        ),
    ]
