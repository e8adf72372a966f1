"""In-memory snapshots of enabled configurations, the event path's data.

Integrations read their enabled configurations on every event, so the
manager keeps them in memory as :py:class:`~desktop_app.config.ConfigSnapshot`
objects, per integration id, loaded from the store on first use and patched
in place when this process saves or deletes one. Per-integration counts,
read with one query, answer "does it have an enabled config?" for
integrations whose snapshot is not loaded yet.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop_app import secrets
from desktop_app.config import ConfigSnapshot, IntegrationConfig

if TYPE_CHECKING:
    from desktop_app.store import ConfigStore

__all__ = ["EnabledSnapshots"]

logger = logging.getLogger(__name__)


class EnabledSnapshots:
    """Enabled configurations per integration id, kept in step with saves.

    Args:
        store (ConfigStore): Where snapshots and counts are read from.
        integration_of (callable): Returns the registered integration for an
            id, or ``None`` (snapshots carry it, and its defaults).
    """

    def __init__(
        self, store: ConfigStore, integration_of: Callable[[str], Any]
    ) -> None:
        self._store = store
        self._integration_of = integration_of
        self._by_integration: dict[str, dict[int, ConfigSnapshot]] = {}
        self._counts: dict[str, tuple[int, int]] | None = None
        #: Reentrant: the manager holds it around compound updates.
        self.lock = threading.RLock()

    def configs(self, integration_id: str) -> list[ConfigSnapshot]:
        """Return an integration's enabled configurations."""
        with self.lock:
            return list(self._load(integration_id).values())

    def has_enabled(self, integration_id: str) -> bool:
        """Whether an integration has at least one enabled configuration."""
        with self.lock:
            snapshot = self._by_integration.get(integration_id)
            if snapshot is not None:
                return bool(snapshot)
            return self.counts().get(integration_id, (0, 0))[1] > 0

    def counts(self) -> dict[str, tuple[int, int]]:
        """Return integration id → (configurations, enabled ones).

        Cached until a change: start-up registers every plugin's
        integration against one query.
        """
        with self.lock:
            if self._counts is None:
                self._counts = self._store.count_configs()
            return self._counts

    def apply(self, config: IntegrationConfig, *, deleted: bool) -> None:
        """Patch the snapshot after this process saved or deleted ``config``."""
        with self.lock:
            snapshot = self._load(config.integration_id)
            if deleted or not config.enabled or config.load_error:
                snapshot.pop(config.id, None)
            else:
                config.integration = self._integration_of(config.integration_id)
                snapshot[config.id] = ConfigSnapshot(config)
            self._counts = None

    def forget(self, integration_id: str) -> None:
        """Forget one integration's snapshot but keep the counts.

        For (un)registering an integration: its snapshot holds the old
        instance's defaults, but no configuration changed, so the counts
        stay valid. Start-up registers 200 plugins' integrations; dropping
        the counts each time re-ran the counts query 200 times.
        """
        with self.lock:
            self._by_integration.pop(integration_id, None)

    def drop(self, integration_id: str) -> None:
        """Forget one integration's snapshot (re-read on next use) and the
        counts (its configurations may have changed)."""
        with self.lock:
            self._by_integration.pop(integration_id, None)
            self._counts = None

    def drop_all(self) -> None:
        """Forget every snapshot and the counts."""
        with self.lock:
            self._by_integration = {}
            self._counts = None

    def _load(self, integration_id: str) -> dict[int, ConfigSnapshot]:
        snapshot = self._by_integration.get(integration_id)
        if snapshot is not None:
            return snapshot
        integration = self._integration_of(integration_id)
        snapshot = {}
        for config in self._store.list_configs(integration_id, enabled=True):
            if config.load_error:
                logger.error(
                    "Configuration %s of %s is not delivered: %s",
                    config.id,
                    integration_id,
                    config.load_error,
                )
                continue
            config.integration = integration
            secrets.resolve_secrets(config)
            snapshot[config.id] = ConfigSnapshot(config)
        self._by_integration[integration_id] = snapshot
        return snapshot
