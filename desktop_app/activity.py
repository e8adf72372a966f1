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
import re
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
    #: One line: the error of a failure, or the message of a delivery
    #: that went well ("HTTP 200"); ``''`` when there is none.
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
# the database). Error text and tracebacks of plugin code may quote them
# ("401 for token abc…"), and those texts reach the activity log, the log
# file and the screen.
#
# The rule: a secret of SHORT_SECRET_LENGTH characters or more is replaced
# wherever it occurs, even inside a longer word (longest first, so a secret
# containing another is replaced whole). A shorter one (1-3 characters) is
# replaced only where it stands as a whole token: not preceded or followed
# by a letter, digit or underscore. So a secret "ab" is scrubbed from
# "token ab rejected", "token='ab'" and "ab", but "about" stays readable.
# A short secret that happens to equal an unrelated word or number ("1" in
# "line 1") is scrubbed there too: hiding too much beats leaking.
_secrets: tuple[str, ...] = ()
_short_pattern: re.Pattern[str] | None = None
_secrets_lock = threading.Lock()

#: Secrets at least this long are scrubbed wherever they occur; shorter ones
#: only as whole tokens (see the rule above).
SHORT_SECRET_LENGTH = 4

#: What a scrubbed secret looks like.
SCRUBBED = "********"


def register_secret(value: str) -> None:
    """Remember a secret value so it is scrubbed from recorded text.

    Values of any length count; the empty string has nothing to hide.
    """
    if not isinstance(value, str) or not value:
        return
    with _secrets_lock:
        if value not in _secrets:
            _set_secrets((*_secrets, value))


def forget_secret(value: str) -> None:
    """Stop scrubbing a value (its configuration was deleted)."""
    with _secrets_lock:
        _set_secrets(tuple(s for s in _secrets if s != value))


def _set_secrets(values: tuple[str, ...]) -> None:
    # Called with _secrets_lock held. Readers use the two globals without
    # the lock: each is replaced whole, never changed in place.
    global _secrets, _short_pattern
    values = tuple(sorted(values, key=len, reverse=True))
    short = [re.escape(v) for v in values if len(v) < SHORT_SECRET_LENGTH]
    _short_pattern = (
        re.compile(r"(?<!\w)(?:" + "|".join(short) + r")(?!\w)") if short else None
    )
    _secrets = values


def scrub_secrets(text: str) -> str:
    """Return ``text`` with every known secret value replaced by stars
    (short secrets only where they stand as whole tokens)."""
    for secret in _secrets:
        if len(secret) < SHORT_SECRET_LENGTH:
            break  # sorted longest first: the rest are short
        if secret in text:
            text = text.replace(secret, SCRUBBED)
    pattern = _short_pattern
    if pattern is not None:
        text = pattern.sub(SCRUBBED, text)
    return text


#: Record attribute keeping the exception of a record whose traceback a
#: :py:class:`SecretScrubbingFilter` has already replaced by scrubbed text,
#: so the filter of the next handler can format it its own way.
_EXC_INFO_ATTR = "desktop_app_exc_info"


class SecretScrubbingFilter(logging.Filter):
    """A logging filter that scrubs known secrets from records.

    Add it to every log *handler* (a filter on a logger does not see records
    of its child loggers), for example
    ``handler.addFilter(SecretScrubbingFilter(handler))``.

    A record's traceback can only be scrubbed as text, so the filter formats
    it, and it does so with the handler's own formatter: a formatter that
    leaves tracebacks out (the command line's one-line errors) still leaves
    them out once secrets are known.

    Args:
        handler (logging.Handler, optional): The handler the filter is on;
            its formatter formats tracebacks. Without it, the default
            formatter does.
    """

    def __init__(self, handler: logging.Handler | None = None) -> None:
        super().__init__()
        self._handler = handler

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # bad arguments: logging would print them raw
            message = f"{record.msg} (its arguments could not be formatted)"
        record.msg = scrub_secrets(message)
        record.args = ()
        # The record is shared by every handler; the first filter moves the
        # exception aside so that each handler's text comes from its own
        # formatter, not from whatever the previous handler cached.
        exc_info = getattr(record, _EXC_INFO_ATTR, None) or record.exc_info
        if exc_info:
            setattr(record, _EXC_INFO_ATTR, exc_info)
            formatter = (
                self._handler.formatter if self._handler is not None else None
            ) or logging.Formatter()
            record.exc_info = None
            record.exc_text = scrub_secrets(formatter.formatException(exc_info))
        if record.stack_info:
            record.stack_info = scrub_secrets(record.stack_info)
        return True


def get_activity_log() -> ActivityLog:
    """Return the process-wide activity log."""
    return _activity_log
