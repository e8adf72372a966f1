"""Timing a slow operation in the log, as ``djblets.log.log_timed`` does.

Integrations wrap network calls in ``log_timed('Talking to Travis CI')``:
a "Begin" line, an "End" line and the time taken, logged as a warning or
a critical error when the operation was slow. Same arguments, same
behaviour, without Django; ``request`` is accepted and only passed along in
the records' ``extra`` (the desktop has no web request).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Literal

__all__ = ["TimedLogInfo", "log_timed"]


class TimedLogInfo:
    """One timed operation; made by :py:func:`log_timed`.

    Use it as a context manager, or call :py:meth:`done` when the
    operation ends.

    Attributes:
        trace_id (str): Put in every line, to follow one operation in a
            busy log.
        extra (dict): The records' ``extra`` (with ``request`` and
            ``trace_id``).
        logger (logging.Logger): Where the lines go.
    """

    def __init__(
        self,
        *,
        message: str,
        warning_at: float,
        critical_at: float,
        default_level: int,
        log_beginning: bool,
        request: Any,
        extra: Mapping[str, object],
        logger: logging.Logger | None,
        trace_id: str | None,
    ) -> None:
        self.message = message
        self.warning_at = warning_at
        self.critical_at = critical_at
        self.default_level = default_level
        self.request = request
        self.logger = logger if logger is not None else logging.getLogger()
        self.trace_id = trace_id or str(uuid.uuid4())
        self.extra: dict[str, object] = {
            **extra,
            "request": request,
            "trace_id": self.trace_id,
        }
        # A monotonic clock: a clock change must not make work look slow.
        self._start = time.monotonic()
        if log_beginning:
            self.logger.log(
                default_level,
                "[%s] Begin: %s",
                self.trace_id,
                message,
                extra=self.extra,
            )

    def __enter__(self) -> TimedLogInfo:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        self.done()
        return False

    def done(self) -> None:
        """Log the end and the time taken (at warning or critical level
        past ``warning_at`` or ``critical_at`` seconds)."""
        seconds = time.monotonic() - self._start
        level = self.default_level
        if seconds >= self.critical_at:
            level = logging.CRITICAL
        elif seconds >= self.warning_at:
            level = logging.WARNING
        self.logger.log(
            self.default_level,
            "[%s] End: %s",
            self.trace_id,
            self.message,
            extra=self.extra,
        )
        self.logger.log(
            level,
            "[%s] %s took %.6f seconds",
            self.trace_id,
            self.message,
            seconds,
            extra=self.extra,
        )


def log_timed(
    message: str,
    *,
    warning_at: float = 5,
    critical_at: float = 15,
    log_beginning: bool = True,
    default_level: int = logging.DEBUG,
    request: Any = None,
    extra: Mapping[str, object] | None = None,
    logger: logging.Logger | None = None,
    trace_id: str | None = None,
) -> TimedLogInfo:
    """Start timing an operation and return its :py:class:`TimedLogInfo`.

    Args:
        message (str): What is being done, in every line.
        warning_at (float): Seconds from which the time taken is a warning.
        critical_at (float): Seconds from which it is a critical error.
        log_beginning (bool): Whether to log a "Begin" line now.
        default_level (int): The level of the other lines.
        request (object, optional): Passed along in ``extra``.
        extra (mapping, optional): More ``extra`` for every record.
        logger (logging.Logger, optional): Defaults to the root logger.
        trace_id (str, optional): Defaults to a new UUID.

    Example:
        ``with log_timed('Fetching the build status'): fetch()``
    """
    return TimedLogInfo(
        message=message,
        warning_at=warning_at,
        critical_at=critical_at,
        default_level=default_level,
        log_beginning=log_beginning,
        request=request,
        extra=extra or {},
        logger=logger,
        trace_id=trace_id,
    )
