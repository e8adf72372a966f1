"""Running background Python work so that it leaves the UI thread responsive.

Python runs one thread at a time (the GIL). A busy background thread keeps
it until the interpreter forces a switch, every 5 ms by default, so each
time the UI thread comes back into Python from Qt (a paint asks for
hundreds of cells, each a Python call) it may wait up to 5 ms: importing
SQLAlchemy in the background made scrolling stall 70–120 ms at 100,000
configurations. Work run :py:func:`gently` sleeps 4.5 ms after every half
millisecond of work, so the UI thread finds the lock free almost every
time. (Sleeping only when the UI wants the lock cannot be done from
Python: nothing tells a thread that another one waits for the lock.) The
work takes ~20 times as long, in the background; whoever needs it done
says so (``hurry``) and it finishes at full speed.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["gently"]

#: Longest stretch the background work runs before pausing, in seconds.
BURST_S = 0.0005

#: How long it then sleeps (the other threads' turn), in seconds.
PAUSE_S = 0.0045


@contextmanager
def gently(hurry: threading.Event | None = None) -> Iterator[None]:
    """Run the block in short bursts with pauses between them.

    Only the calling thread is slowed (a trace function of its own).
    Set ``hurry`` when someone is waiting for the work: from then on it
    runs at full speed.

    Args:
        hurry (threading.Event, optional): Stops the pauses once set.
    """
    previous = sys.gettrace()
    started = time.perf_counter()

    def pause_now_and_then(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal started
        if event != "call":
            return
        now = time.perf_counter()
        if now - started < BURST_S:
            return
        if hurry is not None and hurry.is_set():
            sys.settrace(previous)  # full speed from here on
            return
        time.sleep(PAUSE_S)
        started = time.perf_counter()

    sys.settrace(pause_now_and_then)
    try:
        yield
    finally:
        sys.settrace(previous)
