"""What an import saves, worked out before anything is saved.

:py:func:`desktop_app._transfer.plan_import` checks a document and returns
an :py:class:`ImportPlan`; :py:func:`apply_import` saves it in one
transaction. Between the two, the window or ``desktop-app import
--dry-run`` can say what will be added and what replaced.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from desktop_app.errors import (
    ConfigConflictError,
    ConfigNotFoundError,
    ImportConflictError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from desktop_app.config import IntegrationConfig
    from desktop_app.manager import IntegrationManager

__all__ = ["ImportPlan", "SameName", "apply_import", "same_named_configs"]

#: What an import does with a configuration whose name its integration
#: already has: add it beside, skip it, or replace the stored one.
SameName = Literal["add", "skip", "replace"]


@dataclass(frozen=True)
class ImportPlan:
    """A checked import, not saved yet (what ``--dry-run`` reports).

    Attributes:
        configs (list of IntegrationConfig): What will be saved, in the
            document's order: new configurations (no id) and stored ones
            with the file's values (their id and revision kept).
        replaced (list of IntegrationConfig): Those of ``configs`` that
            replace a stored configuration.
        skipped (int): How many the document had that were left out
            because their name was taken (``on_same_name="skip"``).
    """

    configs: list[IntegrationConfig]
    replaced: list[IntegrationConfig]
    skipped: int = 0

    @property
    def added(self) -> list[IntegrationConfig]:
        """The new configurations among :py:attr:`configs`."""
        return [c for c in self.configs if not self.replaces(c)]

    def replaces(self, config: IntegrationConfig) -> bool:
        """Whether ``config``, one of :py:attr:`configs`, replaces a stored
        configuration (by identity: before saving, new ones have no id)."""
        return id(config) in self._replacing

    @functools.cached_property
    def _replacing(self) -> frozenset[int]:
        return frozenset(id(config) for config in self.replaced)

    def summary(self) -> str:
        """Say in a few words what the import does: "2 added, 1 replaced"."""
        parts = [f"{len(self.configs) - len(self.replaced)} added"]
        if self.replaced:
            parts.append(f"{len(self.replaced)} replaced")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        return ", ".join(parts)


def apply_import(manager: IntegrationManager, plan: ImportPlan) -> ImportPlan:
    """Save what :py:func:`~desktop_app._transfer.plan_import` checked, in
    one transaction.

    One transaction for the lot: all or nothing, one commit, and one
    change for the window to follow (not one per configuration). The
    configurations of ``plan`` get their ids and revisions.

    Returns:
        ImportPlan: ``plan``, saved.

    Raises:
        desktop_app.errors.ImportConflictError: A configuration to replace
            was changed or deleted since the plan was made; nothing was
            saved.
        desktop_app.errors.StoreError: Storing failed; nothing was kept.
    """
    try:
        manager.bulk_save(plan.added, plan.replaced)
    except (ConfigConflictError, ConfigNotFoundError) as e:
        name = next((c.name for c in plan.replaced if c.id == e.config_id), "")
        raise ImportConflictError(
            e.config_id, name, deleted=isinstance(e, ConfigNotFoundError)
        ) from e
    return plan


def same_named_configs(
    manager: IntegrationManager, items: Iterable[dict[str, Any]]
) -> dict[tuple[str, Any], list[IntegrationConfig]]:
    """The stored configurations of the documents' integrations, by
    (integration id, name), oldest first: by the time they were added,
    then id (ids of deleted configurations are reused)."""
    taken: dict[tuple[str, Any], list[IntegrationConfig]] = {}
    for integration_id in dict.fromkeys(item["integration_id"] for item in items):
        for config in manager.get_integration_configs(integration_id):
            taken.setdefault((integration_id, config.name), []).append(config)
    for configs in taken.values():
        configs.sort(key=_age)
    return taken


def _age(config: IntegrationConfig) -> tuple[datetime, int]:
    return (config.time_added or datetime.max.replace(tzinfo=UTC), config.id or 0)
