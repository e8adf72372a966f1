"""The manager's cache of enabled configurations, the event path's data.

Integrations read their enabled configurations on every event, so the
manager keeps them in memory: per integration id, the read-only
:py:class:`~desktop_app.config.ConfigSnapshot` of each enabled
configuration, the tuples ``get_configs(**filters)`` returned (one per
filter), and the per-integration counts, read with one query, that answer
"does it have an enabled config?" before any snapshot is loaded.

Only the manager holds one of these. It patches it when this process saves
or deletes a configuration, and drops it when another process commits.
Reads on the event path take no lock: a lookup in :py:attr:`unfiltered`
is one atomic dict operation, and writers only add or remove its keys.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from desktop_app._attribution import TrackedConfigs
from desktop_app.config import ConfigSnapshot

__all__ = ["EnabledConfigCache", "matches"]

_ATTRIBUTE_FILTERS = frozenset({"id", "name", "enabled", "integration_id"})


class EnabledConfigCache:
    """Enabled configurations per integration id, loaded on first use.

    Args:
        load (callable): Returns an integration's enabled configurations as
            snapshots, read from the store.
        count (callable): Returns ``{integration_id: (total, enabled)}``.
    """

    def __init__(
        self,
        load: Callable[[str], list[ConfigSnapshot]],
        count: Callable[[], dict[str, tuple[int, int]]],
    ) -> None:
        self._load_from_store = load
        self._count = count
        self._snapshots: dict[str, dict[int, ConfigSnapshot]] = {}
        #: integration id → what get_configs() returned without filters.
        #: The same dict object for the cache's whole life (the manager's
        #: event path holds it).
        self.unfiltered: dict[str, tuple[ConfigSnapshot, ...]] = {}
        #: integration id → filter key → what get_configs(**filters) returned.
        self._filtered: dict[str, dict[Any, tuple[ConfigSnapshot, ...]]] = {}
        self._counts: dict[str, tuple[int, int]] | None = None
        #: Reentrant: the manager holds it around compound updates.
        self.lock = threading.RLock()

    def configs(
        self, integration_id: str, filters: Mapping[str, Any]
    ) -> tuple[ConfigSnapshot, ...]:
        """Return an integration's enabled configurations matching
        ``filters``, cached per filter until they change."""
        with self.lock:
            if not filters:
                cached = self.unfiltered.get(integration_id)
                if cached is None:
                    cached = TrackedConfigs(
                        self._load(integration_id).values(), integration_id
                    )
                    self.unfiltered[integration_id] = cached
                return cached
            results = self._filtered.setdefault(integration_id, {})
            key = _filter_key(filters)
            cached = results.get(key)
            if cached is None:
                snapshots = self._load(integration_id).values()
                cached = TrackedConfigs(
                    (s for s in snapshots if matches(s, filters)), integration_id
                )
                results[key] = cached
            return cached

    def has_enabled(self, integration_id: str) -> bool:
        """Whether an integration has at least one enabled configuration."""
        with self.lock:
            snapshots = self._snapshots.get(integration_id)
            if snapshots is not None:
                return bool(snapshots)
            return self.counts().get(integration_id, (0, 0))[1] > 0

    def counts(self) -> dict[str, tuple[int, int]]:
        """Return integration id → (configurations, enabled ones).

        Cached until a change: start-up registers every plugin's
        integration against one query.
        """
        with self.lock:
            if self._counts is None:
                self._counts = self._count()
            return self._counts

    def put(
        self, integration_id: str, config_id: int, snapshot: ConfigSnapshot | None
    ) -> None:
        """Patch in this process's save (``snapshot``) or delete or disable
        (``None``) of one configuration, without re-reading the others."""
        with self.lock:
            snapshots = self._load(integration_id)
            if snapshot is None:
                snapshots.pop(config_id, None)
            else:
                snapshots[config_id] = snapshot
            self._forget_results(integration_id)
            self._counts = None

    def forget(self, integration_id: str) -> None:
        """Forget one integration's snapshots but keep the counts.

        For (un)registering an integration: its snapshots hold the old
        instance's defaults, but no configuration changed, so the counts
        stay valid (and start-up registers every plugin against one query).
        """
        with self.lock:
            self._snapshots.pop(integration_id, None)
            self._forget_results(integration_id)

    def drop(self, integration_id: str) -> None:
        """Forget one integration's snapshots and the counts: its
        configurations may have changed."""
        with self.lock:
            self.forget(integration_id)
            self._counts = None

    def drop_all(self) -> None:
        """Forget everything (another process committed)."""
        with self.lock:
            self._snapshots = {}
            self.unfiltered.clear()
            self._filtered = {}
            self._counts = None

    def _forget_results(self, integration_id: str) -> None:
        self.unfiltered.pop(integration_id, None)
        self._filtered.pop(integration_id, None)

    def _load(self, integration_id: str) -> dict[int, ConfigSnapshot]:
        snapshots = self._snapshots.get(integration_id)
        if snapshots is None:
            snapshots = {s.id: s for s in self._load_from_store(integration_id)}
            self._snapshots[integration_id] = snapshots
        return snapshots


def _filter_key(filters: Mapping[str, Any]) -> Any:
    try:
        return frozenset(filters.items())
    except TypeError:
        return repr(sorted(filters.items()))


def matches(config: Any, filters: Mapping[str, Any]) -> bool:
    """Whether a configuration (editable or snapshot) matches ``filters``.

    A filter matches a config attribute (``id``, ``name``, ``enabled``,
    ``integration_id``) or, failing that, a setting (``config.get(key)``).
    """
    for key, value in filters.items():
        if key in _ATTRIBUTE_FILTERS:
            if getattr(config, key) != value:
                return False
        elif config.get(key) != value:
            return False
    return True
