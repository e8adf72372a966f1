"""Where a ``for`` loop over a tuple is, asked only when it matters.

Attributing a djblets-style handler's work to the configuration its loop
is on must cost nothing per iteration: the handler's loop runs for every
configuration on every event, and the dispatch benchmark holds it to
1.3× a bare loop. So the loop gets the tuple's own C iterator, and its
position is read from the iterator when an error is logged or raised, or
the handler ends: a tuple iterator's ``__reduce__`` (the pickling protocol
``copy`` and ``pickle`` use) gives ``(iter, (tuple,), index)`` while it
runs and ``(iter, ((),))`` once exhausted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["position"]


def position(iterator: Iterator[Any], length: int) -> int:
    """How many items of a tuple the iterator has handed out.

    Args:
        iterator: What ``iter(some_tuple)`` returned.
        length (int): The tuple's length (an exhausted iterator forgets it).

    Returns:
        int: From 0 (not started) to ``length`` (finished).
    """
    reduced = iterator.__reduce__()
    if len(reduced) >= 3 and isinstance(reduced[2], int):
        return min(max(reduced[2], 0), length)
    return length  # exhausted
