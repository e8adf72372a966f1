"""Configuration objects: one named set of settings for one integration.

Two kinds, one per use:

- :py:class:`IntegrationConfig` is editable: ``set()`` then ``save()``. The
  manager hands one out per call (``integration.get_config(id)``,
  ``integration.create_config()``, ``manager.get_config(id)``), bound to
  itself, so ``save()`` and ``delete()`` never look for a global.
- :py:class:`ConfigSnapshot` is what ``integration.get_configs()`` returns
  on every event: a read-only dict of the settings with the integration's
  defaults overlaid, shared by every caller until the configuration
  changes. Changing it would change it for every later caller without
  saving anything, so it refuses, and says how to edit instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn

from desktop_app.errors import ConfigNotBoundError, ReadOnlyConfigError

if TYPE_CHECKING:
    from desktop_app.integration import Integration
    from desktop_app.manager import IntegrationManager
    from desktop_app.store import ConfigRecord

__all__ = ["ConfigSnapshot", "IntegrationConfig"]

#: The attributes both kinds of configuration object carry.
_COMMON_FIELDS = (
    "id",
    "integration_id",
    "name",
    "enabled",
    "settings",
    "time_added",
    "last_updated",
    "revision",
    "integration",
    "_manager",
)


class _MatchesConditions:
    """``match_conditions``, shared by editable configurations and the
    read-only snapshots ``get_configs()`` returns."""

    def match_conditions(
        self, form_cls: type, conditions_key: str = "conditions", **match_kwargs: Any
    ) -> bool:
        """Return whether an event satisfies this configuration's conditions,
        as djblets' ``BaseIntegrationConfig.match_conditions``.

        A rule that cannot be checked (a choice that is gone, a bad regular
        expression stored by hand, a field the event lacks) counts as not
        matching and is recorded in the activity log; this never raises.
        No stored conditions match every event.

        Args:
            form_cls (type): The configuration form with the
                ``ConditionsField``.
            conditions_key (str): The field and setting holding them.
            **match_kwargs: The values the rules read (the payload).
        """
        from desktop_app._conditions_matching import match_conditions

        return match_conditions(self, form_cls, conditions_key, match_kwargs)

    def __str__(self) -> str:
        # djblets' wording, for messages a handler formats: "name
        # (integration name)". Never the settings: they may hold secrets.
        integration = getattr(self, "integration", None)
        owner = getattr(integration, "name", None) or getattr(
            self, "integration_id", ""
        )
        return f"{getattr(self, 'name', '')} ({owner})"

    @property
    def local_site(self) -> Any:
        """Review Board's Local Site of the configuration: the desktop has
        none, so ``None`` unless one was given when it was made (kept as
        the ``local_site`` setting, which ``get_configs(local_site)``
        filters on)."""
        settings: Mapping[str, Any] = getattr(self, "settings", None) or {}
        return settings.get("local_site")


class IntegrationConfig(_MatchesConditions):
    """A stored (or new) configuration of an integration, to edit and save.

    Attributes:
        id (int | None): Database id; ``None`` until first saved.
        integration_id (str): Id of the integration this config belongs to.
            Configurations are keyed by this id, so they survive a plugin
            reload or a missing plugin.
        name (str): Human-readable name shown in lists.
        enabled (bool): Whether events are delivered to this config.
        settings (dict): The integration-specific settings (JSON values),
            with secrets in clear.
        time_added (datetime | None): When it was first saved (UTC).
        last_updated (datetime | None): When it was last saved (UTC).
        revision (int): Increases by one on every save; a save based on an
            older revision is a conflict.
        load_error (str | None): Why the stored settings could not be read,
            when they could not. Such a config is listed but never delivered.
        integration (Integration | None): The registered integration instance,
            when its class is registered.
    """

    __slots__ = (*_COMMON_FIELDS, "load_error")

    def __init__(
        self,
        integration_id: str,
        *,
        name: str = "",
        enabled: bool = False,
        settings: Mapping[str, Any] | None = None,
        id: int | None = None,  # noqa: A002 - mirrors the database column
        time_added: datetime | None = None,
        last_updated: datetime | None = None,
        revision: int = 0,
        load_error: str | None = None,
        integration: Integration | None = None,
        manager: IntegrationManager | None = None,
        local_site: Any = None,
    ) -> None:
        self.id = id
        self.integration_id = integration_id
        self.name = name
        self.enabled = enabled
        self.settings: dict[str, Any] = dict(settings) if settings else {}
        if local_site is not None:
            # Review Board's create_config(local_site=...): a setting here.
            self.settings["local_site"] = local_site
        self.time_added = time_added
        self.last_updated = last_updated
        self.revision = revision
        self.load_error = load_error
        self.integration = integration
        if manager is None and integration is not None:
            manager = integration.integration_mgr
        self._manager = manager

    @classmethod
    def from_record(
        cls,
        record: ConfigRecord,
        *,
        manager: IntegrationManager,
        integration: Integration | None,
    ) -> IntegrationConfig:
        """Build an editable config from a stored record (settings copied)."""
        return cls(
            record.integration_id,
            name=record.name,
            enabled=record.enabled,
            settings=record.settings,
            id=record.id,
            time_added=record.time_added,
            last_updated=record.last_updated,
            revision=record.revision,
            load_error=record.load_error,
            integration=integration,
            manager=manager,
        )

    @property
    def pk(self) -> int | None:
        """The id, under the name djblets' Django model gives it
        (``config.pk``, as Review Board's integrations write)."""
        return self.id

    @property
    def manager(self) -> IntegrationManager | None:
        """The manager this config saves through (``None``: not bound yet;
        passing it to a manager's ``save_config`` binds it)."""
        return self._manager

    def to_record(self, settings: Mapping[str, Any] | None = None) -> ConfigRecord:
        """Return the values to store, as a record.

        Args:
            settings (Mapping, optional): The settings to store instead of
                :py:attr:`settings` (the manager passes them with secrets
                replaced by keyring references).
        """
        from desktop_app.store import ConfigRecord

        return ConfigRecord(
            self.integration_id,
            name=self.name,
            enabled=self.enabled,
            settings=dict(self.settings if settings is None else settings),
            id=self.id,
            time_added=self.time_added,
            last_updated=self.last_updated,
            revision=self.revision,
            load_error=self.load_error,
        )

    def stored_as(
        self,
        record: ConfigRecord,
        *,
        manager: IntegrationManager,
        integration: Integration | None,
    ) -> None:
        """Take the id, timestamps and revision the store gave ``record``.

        Called by the manager once it has stored this config (the settings
        in memory, with clear secrets, are what was stored); it also binds
        the config to that manager.
        """
        self.id = record.id
        self.time_added = record.time_added
        self.last_updated = record.last_updated
        self.revision = record.revision
        self.load_error = None
        self.integration = integration
        self._manager = manager

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
            desktop_app.errors.ConfigNotBoundError: No manager to save with.
        """
        return self._bound_manager().save_config(self, force=force)

    def delete(self) -> None:
        """Delete this configuration from the store."""
        self._bound_manager().delete_config(self)

    def copy(self) -> IntegrationConfig:
        """Return an independent copy (settings copied one level deep)."""
        clone = IntegrationConfig.__new__(IntegrationConfig)
        for slot in IntegrationConfig.__slots__:
            setattr(clone, slot, getattr(self, slot))
        clone.settings = dict(self.settings)
        return clone

    def _bound_manager(self) -> IntegrationManager:
        if self._manager is None:
            raise ConfigNotBoundError(self.integration_id)
        return self._manager

    def __repr__(self) -> str:
        return (
            f"<IntegrationConfig id={self.id} integration={self.integration_id!r} "
            f"name={self.name!r} enabled={self.enabled}>"
        )


#: The attributes a snapshot carries besides its dict of settings.
_SNAPSHOT_SLOTS = _COMMON_FIELDS


class ConfigSnapshot(_MatchesConditions, dict[str, Any]):
    """A read-only view of an enabled configuration, for the event path.

    :py:meth:`Integration.get_configs` hands these out. The dict holds the
    integration's ``default_settings`` overlaid with the config's own
    settings, so ``config.get(key)`` is the C-level ``dict.get``: every event
    loops over every enabled configuration. Attributes mirror
    :py:class:`IntegrationConfig`; ``settings`` holds the config's own
    values only, read-only.

    Snapshots are shared by every caller until the configuration changes, so
    ``set()``, item assignment and attribute assignment raise
    :py:class:`~desktop_app.errors.ReadOnlyConfigError`. To edit, take an
    editable copy (:py:meth:`editable`, or ``integration.get_config(id)``),
    change it and ``save()`` it.
    """

    __slots__ = _SNAPSHOT_SLOTS

    # Identity semantics, like IntegrationConfig: two snapshots with equal
    # settings are still two configurations.
    __eq__ = object.__eq__
    __ne__ = object.__ne__

    # Hashable by identity (a dict is not), so snapshots can key a mapping.
    def __hash__(self) -> int:  # type: ignore[override]  # dict: None
        return object.__hash__(self)

    id: int
    integration_id: str
    name: str
    enabled: bool
    settings: Mapping[str, Any]
    time_added: datetime | None
    last_updated: datetime | None
    revision: int
    integration: Integration | None
    _manager: IntegrationManager

    def __init__(self, config: IntegrationConfig, manager: IntegrationManager) -> None:
        integration = config.integration
        defaults = integration.default_settings if integration is not None else None
        if defaults:
            dict.__init__(self, defaults)
            dict.update(self, config.settings)
        else:
            dict.__init__(self, config.settings)
        values = {slot: getattr(config, slot, None) for slot in _SNAPSHOT_SLOTS}
        values["settings"] = MappingProxyType(dict(config.settings))
        values["_manager"] = manager
        for slot, value in values.items():
            object.__setattr__(self, slot, value)

    @property
    def load_error(self) -> None:
        """Always ``None``: configs whose settings cannot be read are never
        delivered, so never snapshotted."""
        return None

    @property
    def pk(self) -> int:
        """The id, under the name djblets' Django model gives it."""
        return self.id

    @property
    def manager(self) -> IntegrationManager:
        """The manager this snapshot came from."""
        return self._manager

    def __bool__(self) -> bool:
        return True

    def editable(self) -> IntegrationConfig:
        """Return an editable copy of this configuration, fresh from the
        store, to change and ``save()``.

        Raises:
            desktop_app.errors.ConfigNotFoundError: It was deleted since.
        """
        return self._manager.get_config(self.id)

    def delete(self) -> None:
        """Delete this configuration from the store."""
        self._manager.delete_config(self.id)

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ReadOnlyConfigError(self.id, self.integration_id)

    set = _refuse
    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    update = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    clear = _refuse
    __setattr__ = _refuse
    __delattr__ = _refuse

    def __repr__(self) -> str:
        return (
            f"<ConfigSnapshot id={self.id} integration={self.integration_id!r} "
            f"name={self.name!r}>"
        )
