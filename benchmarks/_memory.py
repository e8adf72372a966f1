"""A process's own memory figures, read from ``/proc/self`` (Linux).

Shared by the burst benchmark and ``stress.event_burst``: both report the
peak resident size (``VmHWM``) a burst reaches over what was resident
before it.
"""

from __future__ import annotations

__all__ = ["reset_peak", "status_kib"]


def status_kib(field: str) -> int:
    """A ``/proc/self/status`` figure in KiB (``VmRSS``, ``VmHWM``); 0 when
    the system has none."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak() -> bool:
    """Set ``VmHWM`` back to the current resident size (Linux 4.0+: writing
    5 to ``clear_refs``). Returns whether the system allowed it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return True
