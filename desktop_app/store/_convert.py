"""Copying between database rows and plain configuration objects.

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

from desktop_app.config import CONFIG_FIELDS, IntegrationConfig
from desktop_app.errors import StoreError

logger = logging.getLogger(__name__)

#: The columns read for a config, in the order ``row_to_config`` expects:
#: the config's fields that are stored (not ``load_error``/``integration``).
CONFIG_COLUMNS = tuple(
    name for name in CONFIG_FIELDS if name not in ("load_error", "integration")
)

#: NaN and Infinity are not JSON; other readers would reject them. One
#: encoder for every save: ``json.dumps`` with any option builds a new one
#: per call, a fifth of the cost of storing each imported configuration.
_ENCODER = json.JSONEncoder(allow_nan=False)


def dump_settings(config: IntegrationConfig) -> str:
    """Return the config's settings as JSON text.

    Called before any SQL runs, so an unstorable value leaves the database
    untouched.

    Args:
        config (desktop_app.config.IntegrationConfig): The config to store.

    Raises:
        desktop_app.errors.StoreError: A setting cannot be stored as JSON.
    """
    try:
        return _ENCODER.encode(config.settings)
    except (TypeError, ValueError) as e:
        raise StoreError(
            f"The settings of configuration {config.name!r} "
            f"({config.integration_id}) cannot be stored: {e}. Settings must "
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
    """Parse a timestamp as the ORM's ``UTCDateTime`` stored it.

    SQLAlchemy's SQLite ``DateTime`` writes naive UTC as
    ``YYYY-MM-DD HH:MM:SS.ffffff``; ``UTCDateTime`` returns it with UTC
    attached. Reads skip SQLAlchemy, so they parse it here the same way.

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


def row_to_config(row: Sequence[Any]) -> IntegrationConfig:
    """Build a plain config from a row of :py:data:`CONFIG_COLUMNS`."""
    (id_, integration_id, name, enabled, text, time_added, last_updated, revision) = row
    settings, load_error = load_settings(id_, text)
    return IntegrationConfig(
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


def rows_to_configs(rows: Iterable[Sequence[Any]]) -> list[IntegrationConfig]:
    """Build plain configs from rows of :py:data:`CONFIG_COLUMNS`."""
    return [row_to_config(row) for row in rows]
