"""``PostingIntegration``: a signal-picking built-in that posts over HTTP,
keeping each configuration's connections alive between its deliveries.

Not a plugin itself (its name starts with ``_`` and no entry point names
it), and it defines no concrete integration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop_app.config import IntegrationConfig
from integrations._common import SignalPickingIntegration

if TYPE_CHECKING:
    from integrations._http import KeepAlive

__all__ = ["PostingIntegration"]


class PostingIntegration(SignalPickingIntegration):
    """Holds a :py:class:`~integrations._http.KeepAlive` per configuration,
    made on its first delivery and closed when the configuration is deleted
    or disabled, or the integration shuts down: a burst of events to one
    configuration goes over one connection instead of one each."""

    def initialize(self) -> None:
        self._connections: dict[int, KeepAlive] = {}
        super().initialize()

    def shutdown(self) -> None:
        super().shutdown()
        connections, self._connections = self._connections, {}
        for kept in connections.values():
            kept.close()

    def _on_configs_changed(self, sender: Any, **kwargs: Any) -> None:
        super()._on_configs_changed(sender, **kwargs)
        current = {config.id for config in self.get_configs()}
        for config_id in [i for i in self._connections if i not in current]:
            kept = self._connections.pop(config_id, None)
            if kept is not None:
                kept.close()

    def connections_for(self, config: IntegrationConfig) -> KeepAlive:
        """The kept-alive connections of one configuration."""
        key = config.id or 0
        kept = self._connections.get(key)
        if kept is None:
            # Imported on first delivery, as http.client is.
            from integrations._http import KeepAlive

            kept = self._connections.setdefault(key, KeepAlive())
        return kept
