"""Configuration objects: one named set of settings for one integration.

These are plain Python objects, not ORM instances: integrations read them on
the hot path of every event (``config.get(key)`` in a loop), and plain
attribute access costs about half of what SQLAlchemy's instrumented access
does. The store copies rows into these objects and back.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.integration import Integration

__all__ = ["CONFIG_FIELDS", "ConfigSnapshot", "IntegrationConfig"]

#: The attributes every configuration object carries.
CONFIG_FIELDS = (
    "id",
    "integration_id",
    "name",
    "enabled",
    "settings",
    "time_added",
    "last_updated",
    "revision",
    "load_error",
    "integration",
)


class IntegrationConfig:
    """A stored configuration of an integration.

    Attributes:
        id (int | None): Database id; ``None`` until first saved.
        integration_id (str): Id of the integration this config belongs to.
            Configurations are keyed by this id, so they survive a plugin
            reload or a missing plugin.
        name (str): Human-readable name shown in lists.
        enabled (bool): Whether events are delivered to this config.
        settings (dict): The integration-specific settings (JSON-able).
        time_added (datetime | None): When it was first saved (UTC).
        last_updated (datetime | None): When it was last saved (UTC).
        revision (int): Increases by one on every save; a save based on an
            older revision is a conflict.
        load_error (str | None): Why the stored settings could not be read,
            when they could not. Such a config is listed but never delivered.
        integration (Integration | None): The registered integration instance,
            when its class is registered.
    """

    __slots__ = CONFIG_FIELDS

    def __init__(
        self,
        integration_id: str,
        *,
        name: str = "",
        enabled: bool = False,
        settings: dict[str, Any] | None = None,
        id: int | None = None,  # noqa: A002 - mirrors the database column
        time_added: datetime | None = None,
        last_updated: datetime | None = None,
        revision: int = 0,
        load_error: str | None = None,
        integration: Integration | None = None,
    ) -> None:
        self.id = id
        self.integration_id = integration_id
        self.name = name
        self.enabled = enabled
        self.settings = dict(settings) if settings else {}
        self.time_added = time_added
        self.last_updated = last_updated
        self.revision = revision
        self.load_error = load_error
        self.integration = integration

    def get(self, key: str, default: Any = None) -> Any:
        """Return a setting, falling back to the integration's defaults.

        Args:
            key (str): The setting's name.
            default (object): Returned when neither the config nor the
                integration's ``default_settings`` has the key.
        """
        settings = self.settings
        if key in settings:
            return settings[key]
        integration = self.integration
        if integration is not None:
            return integration.default_settings.get(key, default)
        return default

    def set(self, key: str, value: Any) -> None:
        """Set a setting in memory; call :py:meth:`save` to store it."""
        self.settings[key] = value

    def save(self, *, force: bool = False) -> IntegrationConfig:
        """Store this configuration (insert or update) and return it.

        Args:
            force (bool): Overwrite the stored copy even when it is newer
                (the user chose "Overwrite" after a conflict).

        Raises:
            desktop_app.errors.ConfigConflictError: The stored copy is newer
                (unless ``force``).
        """
        return self._manager().save_config(self, force=force)

    def delete(self) -> None:
        """Delete this configuration from the store."""
        self._manager().delete_config(self)

    def copy(self) -> IntegrationConfig:
        """Return an independent copy (settings copied one level deep)."""
        clone = IntegrationConfig.__new__(IntegrationConfig)
        for slot in CONFIG_FIELDS:
            setattr(clone, slot, getattr(self, slot))
        clone.settings = dict(self.settings)
        return clone

    def _manager(self):
        if self.integration is not None:
            return self.integration.integration_mgr
        from desktop_app.manager import get_integration_manager

        return get_integration_manager()

    def __repr__(self) -> str:
        return (
            f"<IntegrationConfig id={self.id} integration={self.integration_id!r} "
            f"name={self.name!r} enabled={self.enabled}>"
        )


class ConfigSnapshot(dict):
    """A read-mostly view of an enabled configuration, for the event path.

    :py:meth:`Integration.get_configs` hands these out. The dict holds the
    integration's ``default_settings`` overlaid with the config's own
    settings, so ``config.get(key)`` is the C-level ``dict.get`` — about as
    cheap as reading a plain dict, which matters when every event loops
    over every enabled configuration. Attributes mirror
    :py:class:`IntegrationConfig`; :py:meth:`save` and :py:meth:`delete`
    work on a fresh copy through the manager.
    """

    __slots__ = CONFIG_FIELDS

    # Identity semantics, like IntegrationConfig: two snapshots with equal
    # settings are still two configurations.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __init__(self, config: IntegrationConfig) -> None:
        integration = config.integration
        defaults = integration.default_settings if integration is not None else None
        if defaults:
            super().__init__(defaults)
            self.update(config.settings)
        else:
            super().__init__(config.settings)
        for slot in CONFIG_FIELDS:
            setattr(self, slot, getattr(config, slot))
        self.settings = dict(config.settings)

    def __bool__(self) -> bool:
        return True

    def set(self, key: str, value: Any) -> None:
        """Set a setting in memory; call :py:meth:`save` to store it."""
        self.settings[key] = value
        self[key] = value

    def to_config(self) -> IntegrationConfig:
        """Return an editable :py:class:`IntegrationConfig` with these values."""
        return IntegrationConfig(
            self.integration_id,
            name=self.name,
            enabled=self.enabled,
            settings=self.settings,
            id=self.id,
            time_added=self.time_added,
            last_updated=self.last_updated,
            revision=self.revision,
            load_error=self.load_error,
            integration=self.integration,
        )

    def save(self) -> IntegrationConfig:
        """Store these values (see :py:meth:`IntegrationConfig.save`)."""
        return self.to_config().save()

    def delete(self) -> None:
        """Delete this configuration from the store."""
        self.to_config().delete()

    def __repr__(self) -> str:
        return (
            f"<ConfigSnapshot id={self.id} integration={self.integration_id!r} "
            f"name={self.name!r}>"
        )
