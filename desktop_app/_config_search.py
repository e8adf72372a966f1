"""Finding configurations by name or setting value, across integrations.

The window's integration filter uses it, so typing "ops" finds the chat
integration whose configuration posts to ``#ops``. Secret values are never
matched: a password typed into the filter must not reveal which
configuration holds it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop_app._secrets import is_reference, secret_fields

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager
    from desktop_app.store import ConfigRecord

__all__ = ["ConfigMatch", "looks_secret", "search_configs"]

#: Names that sound secret; hidden even when the integration is not loaded
#: (no form to say which fields are secret).
_SECRET_WORDS = ("pass", "secret", "token", "key", "auth", "credential")


@dataclass(frozen=True)
class ConfigMatch:
    """One configuration that matched, and where."""

    integration_id: str
    config_id: int
    name: str
    #: ``"name"`` or the setting's key.
    field: str


def search_configs(
    manager: IntegrationManager, text: str, *, limit: int = 500
) -> dict[str, list[ConfigMatch]]:
    """Return integration id → its configurations matching ``text`` by name
    or by a setting's value (never a secret's), by name.

    Args:
        manager (IntegrationManager): Whose configurations to search.
        text (str): What the user typed; blank matches nothing.
        limit (int): Rows read from the store at most (a search is a hint,
            not an export).
    """
    needle = text.strip().casefold()
    found: dict[str, list[ConfigMatch]] = {}
    if not needle:
        return found
    secrets_by_id: dict[str, tuple[str, ...] | None] = {}
    for record in manager.store.find_configs(needle, limit=limit):
        integration_id = record.integration_id
        if integration_id not in secrets_by_id:
            secrets_by_id[integration_id] = (
                secret_fields(manager.get_integration(integration_id))
                if manager.is_registered(integration_id)
                else None
            )
        field = _matching_field(record, needle, secrets_by_id[integration_id])
        if field is not None and record.id is not None:
            found.setdefault(integration_id, []).append(
                ConfigMatch(integration_id, record.id, record.name, field)
            )
    return found


def _matching_field(
    record: ConfigRecord, needle: str, secrets: tuple[str, ...] | None
) -> str | None:
    if needle in record.name.casefold():
        return "name"
    for key, value in record.settings.items():
        if _is_secret(key, value, secrets):
            continue
        if needle in _text_of(value).casefold():
            return key
    return None


def _is_secret(key: str, value: Any, secrets: tuple[str, ...] | None) -> bool:
    if is_reference(value):
        return True
    if secrets is not None:
        return key in secrets
    return looks_secret(key)


def looks_secret(key: str) -> bool:
    """Whether a setting's name sounds like it holds a secret ("api_token",
    "password"), for settings whose form is not loaded."""
    return any(word in key.casefold() for word in _SECRET_WORDS)


def _text_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
