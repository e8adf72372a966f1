"""Copying between database rows and :py:class:`ConfigRecord` values.

Settings are stored as JSON text and parsed here, row by row: a value that
fails to parse marks its own config (``load_error``) and leaves the others
alone, so one damaged row never hides a user's other configurations.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from desktop_app.errors import StoreError
from desktop_app.store._records import ConfigRecord

logger = logging.getLogger(__name__)

#: The columns read for a record, in the order :py:func:`row_to_record`
#: expects.
CONFIG_COLUMNS = (
    "id, integration_id, name, enabled, settings, time_added, last_updated, revision"
)

#: NaN and Infinity are not JSON; other readers would reject them. One
#: encoder for every save: ``json.dumps`` with any option builds a new one
#: per call, a fifth of the cost of storing each imported configuration.
_ENCODER = json.JSONEncoder(allow_nan=False)


def dump_settings(record: ConfigRecord) -> str:
    """Return the record's settings as JSON text.

    Called before any SQL runs, so an unstorable value leaves the database
    untouched.

    Args:
        record (ConfigRecord): The record to store.

    Raises:
        desktop_app.errors.StoreError: A setting cannot be stored as JSON.
    """
    try:
        return _ENCODER.encode(record.settings)
    except (TypeError, ValueError) as e:
        raise StoreError(
            f"The settings of configuration {record.name!r} "
            f"({record.integration_id}) cannot be stored: {e}. Settings must "
            f"be JSON values (str, int, float, bool, None, list, dict)."
        ) from e


def load_settings(
    config_id: int, text: str | None
) -> tuple[dict[str, Any], str | None]:
    """Parse stored settings, returning ``(settings, load_error)``.

    Args:
        config_id (int): The row's id, for the log.
        text (str | None): The stored JSON text.
    """
    try:
        value = json.loads(text) if text is not None else None
    except ValueError as e:
        error = f"Stored settings are not valid JSON: {e}"
    else:
        if isinstance(value, dict):
            return value, None
        error = (
            f"Stored settings are not valid JSON: expected an object, "
            f"found {type(value).__name__}"
        )
    logger.error("Configuration %s: %s", config_id, error)
    return {}, error


def parse_datetime(value: str | None) -> datetime | None:
    """Parse a timestamp written by :py:func:`format_datetime`.

    Args:
        value (str | None): The stored text.

    Returns:
        datetime.datetime | None: Timezone-aware (UTC), or ``None``.
    """
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    """Return the text a timestamp is stored as: naive UTC,
    ``YYYY-MM-DD HH:MM:SS.ffffff``.

    The format of the model's ``UTCDateTime`` (SQLAlchemy's SQLite
    ``DateTime``), so rows written by migrations and by the store agree and
    sort as text in time order.
    """
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ", timespec="microseconds")


def row_to_record(row: Sequence[Any]) -> ConfigRecord:
    """Build a record from a row of :py:data:`CONFIG_COLUMNS`."""
    (id_, integration_id, name, enabled, text, time_added, last_updated, revision) = row
    settings, load_error = load_settings(id_, text)
    return ConfigRecord(
        integration_id,
        id=id_,
        name=name,
        enabled=bool(enabled),
        settings=settings,
        time_added=parse_datetime(time_added),
        last_updated=parse_datetime(last_updated),
        revision=revision,
        load_error=load_error,
    )


def rows_to_records(rows: Iterable[Sequence[Any]]) -> list[ConfigRecord]:
    """Build records from rows of :py:data:`CONFIG_COLUMNS`."""
    return [row_to_record(row) for row in rows]
