"""Work around PySide6 6.12 on Python 3.11: void calls leak ``None`` refs.

With PySide6/shiboken6 6.12.0 on Python 3.11, every Python call of a Qt
method that returns ``void`` (``update()``, ``setText()``,
``processEvents()``, ``fetchMore()`` …) and every ``QVariant`` that comes
back invalid (``index.data(Qt.FontRole)``) hands Python ``None`` without
taking a reference to it, so ``sys.getrefcount(None)`` drops by one per
call. Python 3.12 made ``None`` immortal, which hides the bug there; on
3.11 ``None`` starts with a few thousand references, so after a few
thousand such calls CPython aborts with "Fatal Python error: none_dealloc:
deallocating None" (seen when scrolling 100,000 configurations). No model,
delegate or slot of ours causes it: their overrides balance; the calls into
Qt do not, and every Qt program makes them.

The work-around does what Python 3.12 does: it gives ``None`` so many
references (2**48) that no process lives long enough to spend them. It
runs once, when :py:mod:`desktop_app.ui` is imported, and only when a
probe shows the leak on a CPython whose ``None`` is mortal.
"""

from __future__ import annotations

import ctypes
import platform
import sys

__all__ = ["HEADROOM", "leaks_none", "protect_none"]

#: References given to ``None`` when the leak is present.
HEADROOM = 1 << 48

_PROBE_CALLS = 64
_protected = False


def leaks_none() -> bool:
    """Return whether void PySide6 calls drop references to ``None`` here."""
    from PySide6.QtCore import QObject

    probe = QObject()
    probe.setObjectName("")  # warm up: first calls may cache things
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("")
    return before - sys.getrefcount(None) >= _PROBE_CALLS // 2


def protect_none() -> bool:
    """Give ``None`` ample references if PySide6 leaks them; idempotent.

    Returns:
        bool: Whether the work-around is in effect.
    """
    global _protected
    if _protected:
        return True
    if (
        platform.python_implementation() != "CPython"
        or sys.version_info >= (3, 12)  # None is immortal
        or hasattr(sys, "gettotalrefcount")  # debug build: other layout
        or not leaks_none()
    ):
        return False
    # ob_refcnt is the first field of every object in a release build; check
    # it reads what sys.getrefcount reports before writing to it.
    refcnt = ctypes.c_ssize_t.from_address(id(None))
    if abs(refcnt.value - sys.getrefcount(None)) > 8:
        return False
    refcnt.value += HEADROOM
    _protected = True
    return True
