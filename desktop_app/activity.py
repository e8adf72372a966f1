"""A bounded, in-memory log of signal deliveries.

Every hook callback run and every piece of background work done for a
configuration leaves one :py:class:`ActivityRecord`. The log is Qt-free; the
window subscribes to it to show deliveries as they happen, the command line
reads it to print what ran, and tests assert against it.

Recording sits on the hot path of every event, so a record is a named tuple
built without keyword processing, and subscribers are only called when there
are any.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import NamedTuple

__all__ = [
    "OUTCOME_FAILED",
    "OUTCOME_OK",
    "OUTCOME_TIMEOUT",
    "ActivityLog",
    "ActivityRecord",
    "SecretScrubbingFilter",
    "forget_secret",
    "get_activity_log",
    "register_secret",
    "scrub_secrets",
]

OUTCOME_OK = "ok"
OUTCOME_FAILED = "failed"
OUTCOME_TIMEOUT = "timeout"


class ActivityRecord(NamedTuple):
    """One delivery: a hook callback, or work done for one configuration."""

    #: Sequence number, increasing through the life of the process.
    seq: int
    #: Wall-clock time the delivery started (seconds since the epoch).
    time: float
    #: Name of the signal delivered (``''`` when unknown).
    signal: str
    #: Id of the integration (or extension) whose code ran.
    integration_id: str
    #: Id of the configuration the work was for, when it was for one.
    config_id: int | None
    #: Name of that configuration.
    config_name: str | None
    #: How long it ran, in seconds.
    duration: float
    #: ``'ok'``, ``'failed'`` or ``'timeout'``.
    outcome: str
    #: One-line error text for failures, else ``''``.
    error: str
    #: Formatted traceback for failures, else ``''``.
    traceback: str

    @property
    def failed(self) -> bool:
        return self.outcome != OUTCOME_OK


Subscriber = Callable[[ActivityRecord], None]

#: An :py:class:`ActivityRecord`'s fields as a plain tuple, in field order.
RawRecord = tuple[int, float, str, str, int | None, str | None, float, str, str, str]

_as_record = tuple.__new__

#: Add this to ``time.perf_counter()`` to get wall-clock time. Hooks time
#: deliveries with the cheaper, monotonic counter and convert once.
PERF_TO_WALL = time.time() - time.perf_counter()


class ActivityLog:
    """A thread-safe ring buffer of :py:class:`ActivityRecord`.

    Records are kept as plain tuples in :py:class:`ActivityRecord` field
    order and turned into records when read, which keeps recording cheap.

    Args:
        maxlen (int): How many records to keep; older ones fall off.
    """

    def __init__(self, maxlen: int = 5000) -> None:
        self._raw: deque[RawRecord] = deque(maxlen=maxlen)
        #: Appends one raw record; the hot path calls it directly.
        self.append = self._raw.append
        #: Returns the next sequence number (atomic under the GIL).
        self.next_seq = itertools.count(1).__next__
        self.subscribers: tuple[Subscriber, ...] = ()
        self._lock = threading.Lock()
        #: Set to False to stop recording (the records stay).
        self.enabled = True

    def record(
        self,
        signal: str,
        integration_id: str,
        started: float,
        duration: float,
        outcome: str = OUTCOME_OK,
        error: str = "",
        traceback: str = "",
        config_id: int | None = None,
        config_name: str | None = None,
    ) -> ActivityRecord | None:
        """Add a record and tell subscribers about it.

        Args:
            started (float): Wall-clock start time (``time.time()``).
        """
        if not self.enabled:
            return None
        if _secrets and (error or traceback):
            error = scrub_secrets(error)
            traceback = scrub_secrets(traceback)
        raw: RawRecord = (
            self.next_seq(),
            started,
            signal,
            integration_id,
            config_id,
            config_name,
            duration,
            outcome,
            error,
            traceback,
        )
        self._raw.append(raw)
        record = _as_record(ActivityRecord, raw)
        if self.subscribers:
            self.notify(record)
        return record

    def notify(self, record: ActivityRecord | RawRecord) -> None:
        """Call every subscriber with a record (raw tuples are converted)."""
        if type(record) is not ActivityRecord:
            record = _as_record(ActivityRecord, record)
        for subscriber in self.subscribers:
            subscriber(record)

    def records(self, since: int = 0) -> list[ActivityRecord]:
        """Return the kept records with ``seq`` greater than ``since``."""
        with self._lock:
            snapshot = list(self._raw)
        return [_as_record(ActivityRecord, raw) for raw in snapshot if raw[0] > since]

    def clear(self) -> None:
        """Forget every kept record."""
        self._raw.clear()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(record)`` for each new record, from the thread that
        made it. Prefer polling :py:meth:`records` with ``since`` where a
        burst of deliveries must stay cheap.

        Returns:
            callable: Call it to unsubscribe.
        """
        with self._lock:
            self.subscribers = (*self.subscribers, callback)

        def unsubscribe() -> None:
            with self._lock:
                self.subscribers = tuple(
                    s for s in self.subscribers if s is not callback
                )

        return unsubscribe

    def __len__(self) -> int:
        return len(self._raw)


_activity_log = ActivityLog()

# Secret values currently known to this process (resolved from the keyring or
# the database), longest first so that a secret containing another is
# replaced whole. Error text and tracebacks of plugin code may quote them
# ("401 for token abc…"), and those texts reach the activity log, the log
# file and the screen.
_secrets: tuple[str, ...] = ()
_secrets_lock = threading.Lock()

#: Shorter values are not scrubbed: replacing every "ab" would garble
#: messages while hiding next to nothing.
MIN_SECRET_LENGTH = 4

#: What a scrubbed secret looks like.
SCRUBBED = "********"


def register_secret(value: str) -> None:
    """Remember a secret value so it is scrubbed from recorded text."""
    global _secrets
    if not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH:
        return
    with _secrets_lock:
        if value not in _secrets:
            _secrets = tuple(sorted((*_secrets, value), key=len, reverse=True))


def forget_secret(value: str) -> None:
    """Stop scrubbing a value (its configuration was deleted)."""
    global _secrets
    with _secrets_lock:
        _secrets = tuple(s for s in _secrets if s != value)


def scrub_secrets(text: str) -> str:
    """Return ``text`` with every known secret value replaced by stars."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, SCRUBBED)
    return text


class SecretScrubbingFilter(logging.Filter):
    """A logging filter that scrubs known secrets from records.

    Add it to every log *handler* (a filter on a logger does not see records
    of its child loggers), for example
    ``handler.addFilter(SecretScrubbingFilter())``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = scrub_secrets(message)
        record.args = ()
        if record.exc_text:
            record.exc_text = scrub_secrets(record.exc_text)
        record.exc_info = None
        return True


def get_activity_log() -> ActivityLog:
    """Return the process-wide activity log."""
    return _activity_log
