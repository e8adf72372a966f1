"""The worker under a stream of deliveries: one configuration's deliveries
follow each other on one thread, finished work is let go at once, and a
short time limit is kept even behind long ones."""

from __future__ import annotations

import threading
import weakref

import pytest

from desktop_app._worker import BackgroundTimeoutError, BackgroundWorker
from desktop_app.hooks import ConfigSignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal

#: How long a test waits for something that should happen at once; only
#: reached when the behaviour under test is broken.
PATIENCE = 30

stream = define_signal("tests.worker_under_load.stream")
gate = threading.Event()


class Receiver(Integration):
    integration_id = "tests.worker_under_load.Receiver"

    def initialize(self):
        self.threads: list[tuple[str, int, int]] = []
        ConfigSignalHook(self, stream, self.handle)

    def handle(self, config, n=0):
        if n == 0:
            gate.wait(PATIENCE)
        self.threads.append((config.name, n, threading.get_ident()))
        return "ok"


class Owner:
    integration_id = "tests.worker_under_load.Owner"
    background_timeout = 60.0


def test_a_configurations_deliveries_follow_each_other_on_one_thread(manager):
    gate.clear()
    integration = manager.register_integration_class(Receiver)
    for name in ("a", "b"):
        integration.create_config(name=name, enabled=True, save=True)
    try:
        for n in range(30):
            stream.send(None, n=n)
    finally:
        gate.set()
    assert manager.wait_for_background_work(PATIENCE)
    for name in ("a", "b"):
        ran = [(n, ident) for config, n, ident in integration.threads if config == name]
        assert [n for n, _ in ran] == list(range(30))  # in order
        # Each delivery started on the thread that finished the one before:
        # no hand-over to another thread per delivery.
        assert len({ident for _, ident in ran}) == 1
    rows = manager.get_deliveries(limit=100)
    # Identical successes in a row are one row counting them.
    assert sum(d.repeats for d in rows) == 60 and {d.outcome for d in rows} == {"ok"}


def test_finished_work_lets_go_of_its_arguments_at_once():
    worker = BackgroundWorker()

    class Payload:
        pass

    payload = Payload()
    gone = threading.Event()
    weakref.finalize(payload, gone.set)
    future = worker.submit_job(Owner(), lambda p=payload: len(repr(p)))
    del payload
    assert future.result(PATIENCE) > 0
    # Its time limit is a minute away, and the work is let go of anyway.
    assert gone.wait(PATIENCE)
    worker.shutdown()


def test_a_short_time_limit_is_kept_behind_a_long_one():
    worker = BackgroundWorker()
    release = threading.Event()
    long = worker.submit_job(Owner(), lambda: release.wait(PATIENCE), timeout=60)
    short = worker.submit_job(Owner(), lambda: release.wait(PATIENCE), timeout=0.2)
    try:
        with pytest.raises(BackgroundTimeoutError):
            short.result(PATIENCE / 2)
        assert not long.done()
    finally:
        release.set()
    assert long.result(PATIENCE) is True
    worker.shutdown()


def test_many_quick_jobs_with_long_time_limits_all_finish_and_are_let_go():
    worker = BackgroundWorker()
    gone = []

    class Payload:
        pass

    futures = []
    for _ in range(3000):
        payload = Payload()
        finished = threading.Event()
        weakref.finalize(payload, finished.set)
        gone.append(finished)
        futures.append(worker.submit_job(Owner(), lambda p=payload: p is not None))
        del payload
    assert all(f.result(PATIENCE) for f in futures)
    assert all(event.wait(PATIENCE) for event in gone)
    worker.shutdown()


def test_a_callback_may_wait_for_work_it_submits():
    worker = BackgroundWorker()
    release = threading.Event()
    answers = []
    done = threading.Event()

    def callback(future):
        # Runs on the worker thread that finished the first job.
        answers.append(worker.submit_job(Owner(), lambda: 42).result(PATIENCE))
        done.set()

    first = worker.submit_job(Owner(), lambda: release.wait(PATIENCE))
    first.add_done_callback(callback)
    release.set()
    assert done.wait(PATIENCE)
    assert answers == [42]
    worker.shutdown()
