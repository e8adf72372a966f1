"""A hanging handler is timed out, reported, and stalls nothing else."""

from __future__ import annotations

import threading
import time

import pytest

from desktop_app.activity import get_activity_log
from desktop_app.integration import Integration
from desktop_app.worker import BackgroundTimeoutError, BackgroundWorker


class Hanging(Integration):
    background_timeout = 0.2

    def initialize(self):
        pass


@pytest.fixture
def release():
    event = threading.Event()
    yield event
    event.set()  # let abandoned threads finish


def outcomes(integration_id):
    return [
        r.outcome
        for r in get_activity_log().records()
        if r.integration_id == integration_id
    ]


def test_hanging_work_is_reported_as_timeout_at_the_deadline(manager, release):
    integration = manager.register_integration_class(Hanging)
    config = integration.create_config(name="stuck", enabled=True, save=True)
    t0 = time.monotonic()
    future = integration.run_in_background(config, release.wait, signal="sig")
    with pytest.raises(BackgroundTimeoutError) as info:
        future.result(timeout=5)
    assert 0.15 < time.monotonic() - t0 < 2
    assert info.value.timeout == 0.2
    (record,) = [r for r in get_activity_log().records() if r.config_id == config.id]
    assert record.outcome == "timeout"
    assert record.config_name == "stuck"
    assert "did not finish within 0.2 s" in record.error
    assert "release.wait" in record.traceback or "wait" in record.traceback
    assert manager.wait_for_background_work(timeout=1)


def test_other_work_keeps_flowing_past_stuck_threads(release):
    worker = BackgroundWorker(max_workers=2)
    integration = Hanging.__new__(Hanging)
    stuck = [worker.submit(integration, None, release.wait) for _ in range(4)]
    done = [worker.submit(integration, None, lambda i=i: i) for i in range(20)]
    assert [f.result(timeout=5) for f in done] == list(range(20))
    for future in stuck:
        assert isinstance(future.exception(timeout=5), BackgroundTimeoutError)
    t0 = time.monotonic()
    worker.shutdown(wait=True, timeout=0.5)
    assert time.monotonic() - t0 < 1.5


def test_fast_work_is_not_timed_out(manager):
    integration = manager.register_integration_class(Hanging)
    futures = [integration.run_in_background(None, time.sleep, 0.01) for _ in range(8)]
    for future in futures:
        future.result(timeout=5)
    time.sleep(0.3)  # past the deadline: no late timeout record
    assert outcomes(Hanging.integration_id) == ["ok"] * 8


def test_timeout_is_configurable_per_integration(release):
    class Patient(Integration):
        background_timeout = 5.0

        def initialize(self):
            pass

    worker = BackgroundWorker()
    patient = worker.submit(Patient.__new__(Patient), None, release.wait, 0.6)
    hasty = worker.submit(Hanging.__new__(Hanging), None, release.wait, 0.6)
    assert isinstance(hasty.exception(timeout=5), BackgroundTimeoutError)
    assert patient.result(timeout=5) is False  # Event.wait timed out itself
    worker.shutdown()


def test_manager_shutdown_returns_promptly_with_a_hung_handler(db_path, release):
    from desktop_app.manager import IntegrationManager

    manager = IntegrationManager(db_path, watch_interval=None)

    class Forever(Integration):
        background_timeout = 60.0

        def initialize(self):
            pass

    integration = manager.register_integration_class(Forever)
    integration.run_in_background(None, release.wait)
    time.sleep(0.05)
    t0 = time.monotonic()
    manager.shutdown()
    assert time.monotonic() - t0 < 2


def test_submit_after_shutdown_raises():
    worker = BackgroundWorker()
    worker.shutdown()
    with pytest.raises(RuntimeError):
        worker.submit(Hanging.__new__(Hanging), None, print)
