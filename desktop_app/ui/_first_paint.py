"""Exit on the first paint: ``DESKTOP_APP_EXIT_AFTER_FIRST_PAINT=1``.

With that variable set, :py:func:`~desktop_app.ui.app.run_app` reports when
the window shell and the populated integrations list were first painted,
then ends the process at once. Start-up benchmarks (``benchmarks/startup``)
and anyone checking "how long until I see my integrations" use it; it costs
nothing when the variable is unset.

The report is one line on stderr::

    desktop-app: first paint: window 0.412 s, integrations 0.530 s
    (200 rows) [monotonic 1234.567890 1234.685432]

Times are since the process started (read from ``/proc`` on Linux, to
10 ms; elsewhere since this module was imported). The ``monotonic`` values
are ``time.monotonic()`` readings, comparable across processes on one
machine, so a parent process can measure exactly from its own spawn time.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow

__all__ = ["ENV_VAR", "FirstPaintProbe", "install_if_requested"]

#: The environment variable that turns the probe on.
ENV_VAR = "DESKTOP_APP_EXIT_AFTER_FIRST_PAINT"


class FirstPaintProbe(QObject):
    """Watches the window and its integrations list for their first paints.

    The list counts only once it has rows (plugins loaded), so the exit
    marks the first frame that shows the integrations, not an empty list.

    Args:
        window (MainWindow): The main window, not yet shown.
        exit (bool): End the process after reporting (``os._exit(0)``).
    """

    def __init__(self, window: MainWindow, *, exit: bool = True) -> None:
        super().__init__(window)
        self._window = window
        self._exit = exit
        #: ``time.monotonic()`` of the window's first paint, once seen.
        self.window_painted: float | None = None
        #: ``time.monotonic()`` of the populated list's first paint.
        self.list_painted: float | None = None
        window.installEventFilter(self)
        # The list's own signal, not an event filter on its viewport: the
        # first Python viewport() call costs PySide6 a walk through its type
        # lookups, which the probe would add to what it measures.
        window.integration_view.rowsPainted.connect(self._on_rows_painted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.window_painted is None:
            # Children paint within the window's frame: whichever comes
            # first, the shell is on screen.
            self.window_painted = time.monotonic()
        return False

    def _on_rows_painted(self) -> None:
        if self.list_painted is not None:
            return
        self.list_painted = time.monotonic()
        if self.window_painted is None:
            self.window_painted = self.list_painted
        self._report()

    def _report(self) -> None:
        start = _process_start()
        rows = self._window.integration_view.model().rowCount()
        assert self.window_painted is not None and self.list_painted is not None
        print(
            f"desktop-app: first paint: window {self.window_painted - start:.3f} s, "
            f"integrations {self.list_painted - start:.3f} s ({rows} rows) "
            f"[monotonic {self.window_painted:.6f} {self.list_painted:.6f}]"
            f"{_peak_memory()}",
            file=sys.stderr,
            flush=True,
        )
        if self._exit:
            # Nothing to save or shut down: the point is the first frame.
            os._exit(0)


def _peak_memory() -> str:
    """`` [hwm KiB]``: this process's peak resident memory (Linux), or ``""``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return f" [hwm {line.split()[1]}]"
    except OSError:
        pass
    return ""


def install_if_requested(window: MainWindow) -> FirstPaintProbe | None:
    """Install the probe when :py:data:`ENV_VAR` is set to a true value."""
    if os.environ.get(ENV_VAR, "").strip().lower() in ("", "0", "false", "no"):
        return None
    return FirstPaintProbe(window)


_LOADED_AT = time.monotonic()


def _process_start() -> float:
    """Return the process's start on the ``time.monotonic()`` clock."""
    try:
        with open("/proc/self/stat") as f:
            # Field 22, after the parenthesised command name.
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        ticks = os.sysconf("SC_CLK_TCK")
        # /proc counts from boot on CLOCK_BOOTTIME; CLOCK_MONOTONIC differs
        # from it only by time spent suspended.
        offset = time.clock_gettime(time.CLOCK_BOOTTIME) - time.monotonic()
        return start_ticks / ticks - offset
    except (OSError, ValueError, IndexError, AttributeError):
        return _LOADED_AT
