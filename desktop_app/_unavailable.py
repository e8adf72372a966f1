"""Configurations whose integration is not loaded: shown, never hidden.

A plugin that fails to load, is turned off or was removed leaves its
configurations in the database. They are the user's data: the window and
``desktop-app list`` show them, with their settings, and say why their
integration is missing, instead of quietly showing "0 configurations".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_app.store import ConfigRecord

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager

__all__ = [
    "HIDDEN_VALUE",
    "NOT_LOADED_REASON",
    "UnavailableIntegration",
    "describe",
    "find_unavailable",
    "shown_settings",
]

#: The reason given when nothing better is known.
NOT_LOADED_REASON = (
    "No loaded plugin provides this integration (its plugin may have been "
    "removed, renamed or turned off)."
)


@dataclass(frozen=True)
class UnavailableIntegration:
    """An integration id that has stored configurations (or had a plugin
    until it broke) but no registered integration.

    Attributes:
        integration_id (str): The id the configurations are stored under.
        reason (str): Why it is not loaded, in plain words.
        total (int): How many configurations it has.
        enabled (int): How many of them are enabled.
        configs (tuple[ConfigRecord, ...]): The stored configurations, by
            name, settings as stored (secrets stay references); empty when
            not asked for.
        name (str): What the integration was called when it was last
            loaded, else the id.
    """

    integration_id: str
    reason: str
    total: int = 0
    enabled: int = 0
    configs: tuple[ConfigRecord, ...] = field(default=(), repr=False)
    name: str = ""

    @property
    def display_name(self) -> str:
        """The name to show."""
        return self.name or self.integration_id


def find_unavailable(
    manager: IntegrationManager,
    *,
    explain: Callable[[str], str | None] | None = None,
    also: Iterable[str] = (),
    names: Callable[[str], str | None] | None = None,
    with_configs: bool = True,
) -> list[UnavailableIntegration]:
    """Return the integrations that have configurations (or are in
    ``also``) but are not registered, sorted by name.

    Args:
        manager (IntegrationManager): Whose store and registry to compare.
        explain (callable, optional): ``explain(integration_id)``: the
            reason, in plain words, or ``None`` for the general one (the
            plugin manager knows which plugin failed).
        also (iterable of str): Ids to list even without configurations
            (integrations of a plugin that was loaded and then broke).
        names (callable, optional): ``names(integration_id)``: the name it
            was shown under, when known.
        with_configs (bool): Read each one's configurations from the store
            (the command line lists them; the window pages them itself).
    """
    counts = manager.count_configs()
    ids = {i for i, (total, _enabled) in counts.items() if total} | set(also)
    found = []
    for integration_id in ids:
        if manager.is_registered(integration_id):
            continue
        total, enabled = counts.get(integration_id, (0, 0))
        reason = (explain(integration_id) if explain else None) or NOT_LOADED_REASON
        configs = (
            tuple(manager.store.list_configs(integration_id))
            if with_configs and total
            else ()
        )
        name = (names(integration_id) if names else None) or ""
        entry = UnavailableIntegration(
            integration_id, reason, total, enabled, configs, name
        )
        found.append(entry)
    return sorted(found, key=lambda u: (u.display_name.casefold(), u.integration_id))


#: Shown instead of a value that is, or may be, a secret.
HIDDEN_VALUE = "•••••• (hidden)"


def shown_settings(record: ConfigRecord) -> list[tuple[str, str]]:
    """Return a stored configuration's settings as ``(name, text)`` pairs to
    show read-only.

    Its form is not loaded, so which fields are secret is not known: stored
    keyring references, and values under names that sound secret
    ("token", "password", "api_key" …), are hidden; any known secret left
    in other text is scrubbed.
    """
    import json

    from desktop_app._config_search import looks_secret
    from desktop_app._secrets import is_reference
    from desktop_app.activity import scrub_secrets

    shown = []
    for key, value in sorted(record.settings.items()):
        if is_reference(value) or looks_secret(key):
            text = HIDDEN_VALUE if value not in (None, "") else ""
        elif isinstance(value, str):
            text = value
        else:
            text = json.dumps(value, ensure_ascii=False, default=str)
        shown.append((key, scrub_secrets(text)))
    return shown


def describe(entry: UnavailableIntegration) -> list[str]:
    """Lines describing one unavailable integration and its configurations
    (for ``desktop-app list``), without a leading indent."""
    noun = "configuration" if entry.total == 1 else "configurations"
    lines = [
        f"{entry.integration_id}  {entry.display_name}  not loaded: {entry.reason}",
        f"  {entry.total} {noun}, {entry.enabled} enabled, kept as stored:",
    ]
    for record in entry.configs:
        state = "enabled" if record.enabled else "disabled"
        lines.append(f"  - {record.name} ({state})")
        lines += [f"      {key}: {text}" for key, text in shown_settings(record)]
    return lines
