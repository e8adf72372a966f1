"""The store's unit of exchange: one configuration row as a frozen record.

The store takes and returns these and nothing else, so it never holds or
changes an object that belongs to somebody else: the manager builds its
configuration objects from records, and hands records back to be written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["ConfigRecord", "InsertedBatch"]


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
