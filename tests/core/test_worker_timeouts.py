"""A hanging handler is timed out, reported, and stalls nothing else.

The tests watch what happens and in which order (events set by the work
itself), never how long it took: timing belongs to the benchmarks.
"""

from __future__ import annotations

import threading
import time

import pytest

from desktop_app._worker import BackgroundTimeoutError, BackgroundWorker
from desktop_app.activity import get_activity_log
from desktop_app.integration import Integration

#: How long a test waits for something that should happen at once; only
#: reached when the behaviour under test is broken.
PATIENCE = 30


class Hanging(Integration):
    background_timeout = 0.2

    def initialize(self):
        pass


class Stuck:
    """Work that hangs until the test releases it, and says when it
    started and whether it ever finished."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release
        self.started = threading.Event()
        self.finished = threading.Event()

    def __call__(self) -> bool:
        self.started.set()
        self.release.wait()
        self.finished.set()
        return True


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


def test_hanging_work_is_reported_as_timeout_while_it_still_hangs(manager, release):
    integration = manager.register_integration_class(Hanging)
    config = integration.create_config(name="stuck", enabled=True, save=True)
    stuck = Stuck(release)
    future = integration.run_in_background(config, stuck, signal="sig")
    with pytest.raises(BackgroundTimeoutError) as info:
        future.result(timeout=PATIENCE)
    assert stuck.started.is_set() and not stuck.finished.is_set()
    assert info.value.timeout == 0.2
    (record,) = [r for r in get_activity_log().records() if r.config_id == config.id]
    assert record.outcome == "timeout"
    assert record.config_name == "stuck"
    assert "did not finish within 0.2 s" in record.error
    assert "release.wait" in record.traceback  # where it was stuck
    assert manager.wait_for_background_work(timeout=PATIENCE)

    # Abandoned work that finishes after all adds no second record.
    release.set()
    assert stuck.finished.wait(PATIENCE)
    assert outcomes(Hanging.integration_id) == ["timeout"]


def test_other_work_keeps_flowing_past_stuck_threads(release):
    worker = BackgroundWorker(max_workers=2)
    integration = Hanging.__new__(Hanging)
    stuck = [Stuck(release) for _ in range(4)]
    hung = [worker.submit(integration, None, work) for work in stuck]
    done = [worker.submit(integration, None, lambda i=i: i) for i in range(20)]
    assert [f.result(timeout=PATIENCE) for f in done] == list(range(20))
    for future in hung:
        assert isinstance(future.exception(timeout=PATIENCE), BackgroundTimeoutError)
    # Shutting down does not wait for the abandoned threads, however long
    # it may wait for running work: it returns, reporting nothing left
    # running, while every stuck handler still hangs.
    result = []
    closer = threading.Thread(
        target=lambda: result.append(worker.shutdown(wait=True, timeout=600)),
        daemon=True,
    )
    closer.start()
    closer.join(PATIENCE)
    assert result == [True]
    assert not any(work.finished.is_set() for work in stuck)


def test_fast_work_is_not_timed_out(manager, release):
    integration = manager.register_integration_class(Hanging)
    futures = [integration.run_in_background(None, time.sleep, 0.01) for _ in range(8)]
    for future in futures:
        future.result(timeout=PATIENCE)
    # Work started after the fast work has a later deadline: once its
    # timeout is recorded, every deadline of the fast work has passed too.
    late = integration.run_in_background(None, Stuck(release))
    assert isinstance(late.exception(timeout=PATIENCE), BackgroundTimeoutError)
    assert outcomes(Hanging.integration_id) == ["ok"] * 8 + ["timeout"]


def test_timeout_is_configurable_per_integration(release):
    class Patient(Integration):
        background_timeout = 60.0

        def initialize(self):
            pass

    worker = BackgroundWorker()
    patient_work = Stuck(release)
    patient = worker.submit(Patient.__new__(Patient), None, patient_work)
    assert patient_work.started.wait(PATIENCE)
    hasty = worker.submit(Hanging.__new__(Hanging), None, Stuck(release))
    assert isinstance(hasty.exception(timeout=PATIENCE), BackgroundTimeoutError)
    # The patient work started first and is still allowed to run.
    assert not patient.done()
    release.set()
    assert patient.result(timeout=PATIENCE) is True
    worker.shutdown()


def test_manager_shutdown_returns_while_a_handler_still_hangs(db_path, release):
    from desktop_app.manager import IntegrationManager

    manager = IntegrationManager(db_path, watch_interval=None)

    class Forever(Integration):
        background_timeout = 600.0

        def initialize(self):
            pass

    integration = manager.register_integration_class(Forever)
    stuck = Stuck(release)
    integration.run_in_background(None, stuck)
    assert stuck.started.wait(PATIENCE)
    # In a thread, so a shutdown that waited for the handler fails the
    # test instead of hanging it.
    closer = threading.Thread(target=manager.shutdown, daemon=True)
    closer.start()
    closer.join(PATIENCE)
    assert not closer.is_alive()
    assert not stuck.finished.is_set()


def test_submit_after_shutdown_raises():
    worker = BackgroundWorker()
    worker.shutdown()
    with pytest.raises(RuntimeError):
        worker.submit(Hanging.__new__(Hanging), None, print)
