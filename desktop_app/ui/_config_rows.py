"""The loaded rows of the configurations list, kept column by column.

A list scrolled to its end holds every config of the integration. Kept as
one tuple per row (id, name, enabled, last update, load error), 100,000
rows were ~400,000 objects, and dropping them when the list was filtered
or reset freed each one on the UI thread: 10-13 ms. As columns, ids,
states and timestamps sit in arrays (no object per row) and load errors
in a dict of the few rows that have one, so only the names are objects.
None of it is tracked by the cyclic collector either.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from desktop_app.store import ConfigRecord

__all__ = ["ConfigRows"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
#: Stands for "no timestamp" in the microseconds column.
_NO_TIME = -(2**63)


def _to_us(value: datetime | None) -> int:
    if value is None:
        return _NO_TIME
    if value.tzinfo is None:  # stored times are UTC
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // _MICROSECOND


class ConfigRows:
    """Id, name, enabled state, last update and load error of each row.

    Args:
        configs (iterable of ConfigRecord): The first rows.
    """

    __slots__ = ("_enabled", "_errors", "_ids", "_names", "_updated")

    def __init__(self, configs: Iterable[ConfigRecord] = ()) -> None:
        self._ids = array("q")
        self._names: list[str] = []
        self._enabled = bytearray()
        self._updated = array("q")
        self._errors: dict[int, str] = {}
        self.extend(configs)

    def __len__(self) -> int:
        return len(self._ids)

    def extend(self, configs: Iterable[ConfigRecord]) -> None:
        """Append a row per config (as listed: settings are not kept)."""
        for config in configs:
            assert config.id is not None
            if config.load_error:
                self._errors[len(self._ids)] = config.load_error
            self._ids.append(config.id)
            self._names.append(config.name)
            self._enabled.append(1 if config.enabled else 0)
            self._updated.append(_to_us(config.last_updated))

    def replace(self, row: int, config: ConfigRecord) -> None:
        """Show ``config`` in ``row`` (the same config, changed)."""
        assert config.id is not None
        self._ids[row] = config.id
        self._names[row] = config.name
        self._enabled[row] = 1 if config.enabled else 0
        self._updated[row] = _to_us(config.last_updated)
        if config.load_error:
            self._errors[row] = config.load_error
        else:
            self._errors.pop(row, None)

    def insert(self, row: int, config: ConfigRecord) -> None:
        """Put a row for ``config`` before ``row`` (``len(self)``: last)."""
        assert config.id is not None
        self._shift_errors(row, +1)
        if config.load_error:
            self._errors[row] = config.load_error
        self._ids.insert(row, config.id)
        self._names.insert(row, config.name)
        self._enabled.insert(row, 1 if config.enabled else 0)
        self._updated.insert(row, _to_us(config.last_updated))

    def remove(self, row: int) -> None:
        """Drop a row; the rows after it move up by one."""
        del self._ids[row]
        del self._names[row]
        del self._enabled[row]
        del self._updated[row]
        self._errors.pop(row, None)
        self._shift_errors(row, -1)

    def _shift_errors(self, start: int, by: int) -> None:
        # Few rows have a load error, so re-keying them is cheap.
        if any(row >= start for row in self._errors):
            self._errors = {
                (row + by if row >= start else row): error
                for row, error in self._errors.items()
            }

    def sort_position(self, key: tuple[str, int]) -> int:
        """Where a row with this ``(name.casefold(), id)`` key belongs: the
        rows are in the store's list order (name, case-insensitive, then
        id)."""
        names, ids = self._names, self._ids
        return bisect.bisect_left(
            range(len(ids)), key, key=lambda row: (names[row].casefold(), ids[row])
        )

    def id(self, row: int) -> int:
        """The config id of a row."""
        return self._ids[row]

    def name(self, row: int) -> str:
        """The name shown in a row."""
        return self._names[row]

    def enabled(self, row: int) -> bool:
        """Whether a row's config is enabled."""
        return bool(self._enabled[row])

    def last_updated(self, row: int) -> datetime | None:
        """When a row's config was last saved (UTC), if known."""
        us = self._updated[row]
        return None if us == _NO_TIME else _EPOCH + us * _MICROSECOND

    def load_error(self, row: int) -> str | None:
        """Why a row's settings could not be read, if they could not."""
        return self._errors.get(row % len(self._ids) if row < 0 else row)

    def row_of(self, config_id: int | None) -> int:
        """Return the row of a config id, or -1."""
        if config_id is None:
            return -1
        try:
            return self._ids.index(config_id)
        except ValueError:
            return -1
