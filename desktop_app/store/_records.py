"""The store's unit of exchange: one configuration row as a frozen record.

The store takes and returns these and nothing else, so it never holds or
changes an object that belongs to somebody else: the manager builds its
configuration objects from records, and hands records back to be written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

__all__ = ["ConfigRecord", "Delivery", "DeliveryStatus", "InsertedBatch"]


@dataclass(frozen=True, slots=True)
class ConfigRecord:
    """One stored (or about to be stored) configuration.

    Attributes:
        integration_id (str): The integration it configures; records outlive
            the plugin that defines it.
        name (str): Shown in lists.
        enabled (bool): Whether events are delivered to it.
        settings (Mapping): The settings as stored (JSON values; secrets are
            keyring references). Treat it as read-only.
        id (int | None): Database id; ``None`` for a record not stored yet.
        time_added (datetime | None): When it was first stored (UTC).
        last_updated (datetime | None): When it was last stored (UTC).
        revision (int): Increases on every save; a save based on an older
            revision is a conflict.
        load_error (str | None): Why the stored settings could not be read,
            when they could not (``settings`` is then empty).
    """

    integration_id: str
    name: str = ""
    enabled: bool = False
    settings: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None
    time_added: datetime | None = None
    last_updated: datetime | None = None
    revision: int = 0
    load_error: str | None = None

    @property
    def page_key(self) -> tuple[str, int]:
        """The ``after=`` position that continues a listing after this
        stored record (see ``ConfigStore.list_configs``)."""
        if self.id is None:
            raise ValueError("Only a stored record has a place in a listing")
        return self.name.casefold(), self.id


@dataclass(frozen=True, slots=True)
class InsertedBatch:
    """What ``ConfigStore.bulk_insert`` stored.

    Attributes:
        ids (range): The ids the records got, in the order given.
        time (datetime): Their ``time_added`` and ``last_updated`` (UTC);
            each has revision 1.
    """

    ids: range
    time: datetime

    def __len__(self) -> int:
        return len(self.ids)


class Delivery(NamedTuple):
    """One signal handled for one configuration, as stored.

    A named tuple: the writer thread makes thousands of them in a burst.
    """

    #: Database id; ``0`` until stored.
    id: int
    #: The configuration it was for.
    config_id: int
    #: Its integration.
    integration_id: str
    #: The configuration's name when it ran.
    config_name: str
    #: The signal's name.
    signal: str
    #: When it started (seconds since the epoch).
    time: float
    #: How long it ran, in seconds, retries included.
    duration: float
    #: ``'ok'``, ``'failed'``, ``'skipped'`` or ``'timed_out'``.
    outcome: str
    #: The plain message: "HTTP 200", "Couldn't reach example.com: …".
    message: str
    #: How many times it was tried (0 when skipped).
    attempts: int
    #: The payload as JSON text, secrets scrubbed, shortened when large.
    payload: str
    #: Technical details: the traceback, or where a timed-out run was stuck.
    details: str
    #: How many identical successful deliveries in a row this record stands
    #: for (no message, first attempt, same signal; see ``latest``).
    repeats: int = 1
    #: When the latest of them started; ``None`` for a single delivery.
    last_time: float | None = None

    @property
    def latest(self) -> float:
        """When the latest delivery this record stands for started."""
        return self.time if self.last_time is None else self.last_time

    @property
    def failed(self) -> bool:
        """Whether it failed or timed out."""
        return self.outcome in ("failed", "timed_out")


class DeliveryStatus(NamedTuple):
    """A configuration's last outcome and its lifetime counts."""

    config_id: int
    last_outcome: str
    #: When it last ran (seconds since the epoch).
    last_time: float
    last_message: str
    ok_count: int
    failed_count: int
    #: The configuration's integration.
    integration_id: str

    @property
    def failing(self) -> bool:
        """Whether the last delivery failed or timed out."""
        return self.last_outcome in ("failed", "timed_out")
