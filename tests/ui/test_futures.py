"""when_done(): a worker's outcome reaches the UI thread, and a widget
deleted meanwhile is never called back (nor crashes the app)."""

from __future__ import annotations

import threading
from concurrent.futures import Future

from PySide6.QtCore import QCoreApplication, QEvent, QObject

from desktop_app.ui._futures import when_done


def test_the_callback_runs_on_the_ui_thread(qtbot):
    parent = QObject()
    future: Future[int] = Future()
    called = []
    when_done(
        future, parent, lambda f: called.append((f.result(), threading.get_ident()))
    )
    worker = threading.Thread(target=future.set_result, args=(7,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(called))
    assert called == [(7, threading.get_ident())]


def test_a_parent_deleted_first_is_not_called_back(qtbot):
    parent = QObject()
    future: Future[int] = Future()
    called = []
    when_done(future, parent, lambda f: called.append(f))
    parent.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    future.set_result(1)
    qtbot.wait(50)
    QCoreApplication.processEvents()
    assert called == []


def test_parents_deleted_while_workers_finish_never_crash(qtbot):
    called = []
    futures = []
    for _ in range(200):
        parent = QObject()
        future: Future[int] = Future()
        when_done(future, parent, lambda f: called.append(f))
        futures.append(future)
        # The worker finishes as the UI thread deletes the waiting object.
        worker = threading.Thread(target=future.set_result, args=(1,))
        worker.start()
        parent.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        worker.join()
    QCoreApplication.processEvents()
    assert all(f.done() for f in futures)
    assert called == []  # every parent was gone when its outcome arrived
