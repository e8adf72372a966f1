"""The integration manager: registered integrations and their configurations.

The manager owns the registry of integration classes (one instance each),
the configuration store, and the in-memory snapshots of *enabled*
configurations that integrations read on every event. It keeps each
integration enabled exactly while it has an enabled configuration.

Snapshots (:py:mod:`desktop_app._snapshots`) are patched in place when
this process saves or deletes a configuration, so the first event after a
save costs no SQL. Changes committed by another process are noticed by a
watcher thread (:py:mod:`desktop_app._change_watcher`) that drops the
snapshots and re-evaluates.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from desktop_app import secrets, signals
from desktop_app._change_watcher import ChangeWatcher
from desktop_app._snapshots import EnabledSnapshots
from desktop_app.config import ConfigSnapshot, IntegrationConfig
from desktop_app.errors import (
    ConfigNotFoundError,
    IntegrationAlreadyRegisteredError,
    IntegrationNotRegisteredError,
    IntegrationRegistrationError,
    StoreError,
)
from desktop_app.integration import (
    Integration,
    check_integration_class,
    integration_id_of,
)
from desktop_app.worker import BackgroundWorker

if TYPE_CHECKING:
    from desktop_app.store import ConfigStore

__all__ = [
    "IntegrationManager",
    "get_integration_manager",
    "set_integration_manager",
]

logger = logging.getLogger(__name__)

Dispatcher = Callable[[Callable[[], None]], None]


class IntegrationManager:
    """Registers integrations and serves their configurations.

    Args:
        store (ConfigStore | str | os.PathLike): The configuration store, or
            the path of its SQLite file.
        watch_interval (float | None): Seconds between checks for changes
            made by other processes; ``None`` turns the watcher off.
    """

    def __init__(
        self,
        store: ConfigStore | str | os.PathLike,
        *,
        watch_interval: float | None = 0.5,
    ) -> None:
        if isinstance(store, (str, os.PathLike)):
            from desktop_app.store import ConfigStore

            store = ConfigStore(store)
        self.store = store
        self.worker = BackgroundWorker()
        #: Integration id → why enabling it failed (error text, traceback).
        self.integration_errors: dict[str, tuple[str, str]] = {}
        self._integrations: dict[str, Integration] = {}
        self._snapshots = EnabledSnapshots(store, self._integrations.get)
        self._lock = self._snapshots.lock
        self._dispatch: Dispatcher = _call_now
        self._watcher: ChangeWatcher | None = None
        self._shut_down = False
        self._warm_up: threading.Thread | None = None
        if watch_interval:
            self._watcher = ChangeWatcher(self, watch_interval)
            self._watcher.start()

    # Registration ---------------------------------------------------------

    def register_integration_class(self, integration_cls: type) -> Integration:
        """Register an integration class and enable it if it has enabled
        configurations.

        Returns:
            Integration: The integration's one instance.

        Raises:
            IntegrationRegistrationError: Not an integration class, no
                ``initialize()``, or a bad ``integration_id``.
            IntegrationAlreadyRegisteredError: The id is taken.
        """
        check_integration_class(integration_cls)
        integration_id = integration_cls.integration_id
        with self._lock:
            if integration_id in self._integrations:
                raise IntegrationAlreadyRegisteredError(integration_cls, integration_id)
            try:
                integration = integration_cls(self)
            except Exception as e:
                raise IntegrationRegistrationError(
                    integration_cls, f"creating it failed: {e}"
                ) from e
            self._integrations[integration_id] = integration
        self._attach(integration)
        self._update_enabled_state(integration)
        return integration

    def unregister_integration_class(self, integration_cls_or_id: Any) -> None:
        """Disable and unregister an integration. Its configurations stay
        stored, keyed by its id, for when it comes back.

        Raises:
            IntegrationNotRegisteredError: It is not registered.
        """
        integration = self.get_integration(integration_cls_or_id)
        self._safely(integration, integration.disable_integration, "shutdown")
        with self._lock:
            self._integrations.pop(integration.integration_id, None)
            self.integration_errors.pop(integration.integration_id, None)
            self._snapshots.forget(integration.integration_id)

    def get_integration(self, integration_cls_or_id: Any) -> Integration:
        """Return the registered instance for a class, instance or id.

        Raises:
            IntegrationNotRegisteredError: It is not registered.
        """
        integration_id = integration_id_of(integration_cls_or_id)
        try:
            return self._integrations[integration_id]
        except KeyError:
            raise IntegrationNotRegisteredError(integration_id) from None

    def get_integrations(self) -> list[Integration]:
        """Return every registered integration, in registration order."""
        return list(self._integrations.values())

    def get_integration_classes(self) -> list[type]:
        """Return every registered integration class."""
        return [type(i) for i in self._integrations.values()]

    def is_registered(self, integration_cls_or_id: Any) -> bool:
        """Whether an integration class or id is registered."""
        return integration_id_of(integration_cls_or_id) in self._integrations

    # Configurations -------------------------------------------------------

    def get_integration_configs(
        self, integration_cls: Any = None, **filters: Any
    ) -> list[IntegrationConfig]:
        """Return stored configurations (enabled or not), fresh from the
        store, so callers may edit and save them.

        Args:
            integration_cls: Only configs of this integration (class,
                instance or id).
            **filters: ``enabled=``, ``name=``, or setting values.
        """
        integration_id = (
            None if integration_cls is None else integration_id_of(integration_cls)
        )
        enabled = filters.pop("enabled", None)
        configs = self.store.list_configs(integration_id, enabled=enabled)
        for config in configs:
            self._attach_config(config)
            secrets.resolve_secrets(config)
        if filters:
            from desktop_app.integration import _matches

            configs = [c for c in configs if _matches(c, filters)]
        return configs

    def get_config(self, config_id: int) -> IntegrationConfig:
        """Return one stored configuration, fresh from the store."""
        config = self.store.get_config(config_id)
        self._attach_config(config)
        secrets.resolve_secrets(config)
        return config

    def count_configs(self) -> dict[str, tuple[int, int]]:
        """Return integration id → (configurations, enabled ones)."""
        return dict(self._snapshots.counts())

    def create_config(
        self, integration_cls_or_id: Any, **kwargs: Any
    ) -> IntegrationConfig:
        """Create and save a configuration for a registered integration."""
        return self.get_integration(integration_cls_or_id).create_config(
            save=True, **kwargs
        )

    def save_config(
        self, config: IntegrationConfig, *, force: bool = False
    ) -> IntegrationConfig:
        """Store a configuration and apply the change at once: snapshots,
        caches, and the integration's enabled state.

        Raises:
            desktop_app.errors.ConfigConflictError: The stored copy is newer
                (unless ``force``).
            desktop_app.errors.StoreError: It cannot be stored.
        """
        created = config.id is None
        integration = self._integrations.get(config.integration_id)
        # Secrets go to the keyring and the row gets references; the object
        # the caller holds (and the snapshot) keeps the clear values.
        old_refs = [] if created else self._stored_refs(config)
        with secrets.stored_secrets(integration, config) as new_refs:
            self.store.save_config(config, force=force)
        # The row now refers to the new entries; the old ones can go.
        secrets.delete_secrets(old_refs if new_refs else [])
        self._attach_config(config)
        self._apply_change(config.integration_id, config, deleted=False)
        (signals.config_created if created else signals.config_updated).send(
            self, config=config
        )
        return config

    def bulk_create(
        self, configs: Iterable[IntegrationConfig]
    ) -> list[IntegrationConfig]:
        """Store many new configurations in one transaction, then apply the
        change once.

        :py:meth:`save_config` in a loop pays one durable (fsynced) commit,
        one snapshot update, one enabled-state check and one
        ``config_created`` per configuration; an import of 10,000 would
        pay all of it 10,000 times. Here secrets go to the keyring first,
        the rows go in with one :py:meth:`ConfigStore.bulk_insert`, then
        caches are dropped and each touched integration is re-evaluated
        once, and listeners get one ``configs_reloaded`` (as after another
        process's changes) instead of a signal per configuration.

        Args:
            configs (iterable of IntegrationConfig): New configurations
                (``id`` is ``None``), with their clear settings.

        Returns:
            list[IntegrationConfig]: The same objects, with their ids; their
            settings keep the clear values.

        Raises:
            desktop_app.errors.StoreError: Storing failed (or a config
                already has an id); nothing was stored and the keyring
                entries written for them were deleted again.
        """
        configs = list(configs)
        if not configs:
            return configs
        clear_settings: list[dict[str, Any]] = []
        new_refs: list[str] = []
        try:
            for config in configs:
                clear = config.settings
                stored, refs = secrets.store_secrets(
                    self._integrations.get(config.integration_id), clear
                )
                new_refs.extend(refs)
                clear_settings.append(clear)
                config.settings = stored
            self.store.bulk_insert(configs)
        except BaseException as e:
            secrets.delete_secrets(new_refs)
            if _is_database_error(e):
                # The transaction rolled back; say so in our own terms.
                raise StoreError(f"Cannot store the configurations: {e}") from e
            raise
        finally:
            for config, clear in zip(configs, clear_settings, strict=False):
                config.settings = clear
        touched = {config.integration_id for config in configs}
        for integration_id in touched:
            self.clear_configs_cache(integration_id)
        for config in configs:
            self._attach_config(config)
        for integration_id in sorted(touched):
            integration = self._integrations.get(integration_id)
            if integration is not None:
                self._update_enabled_state(integration)
        signals.configs_reloaded.send(self)
        return configs

    def delete_config(self, config_or_id: IntegrationConfig | int) -> None:
        """Delete a configuration and apply the change at once."""
        if isinstance(config_or_id, IntegrationConfig):
            config = config_or_id
        else:
            config = self.store.get_config(config_or_id)
        refs = self._stored_refs(config)
        self.store.delete_config(config.id)
        secrets.delete_secrets(refs, forget=True)
        self._apply_change(config.integration_id, config, deleted=True)
        signals.config_deleted.send(self, config=config)

    def _stored_refs(self, config: IntegrationConfig) -> list[str]:
        # The keyring entries the stored row refers to (the object in hand
        # holds clear values).
        if config.id is None:
            return []
        try:
            return secrets.references_in(self.store.get_config(config.id).settings)
        except ConfigNotFoundError:
            return []

    def restore_config(self, config: IntegrationConfig) -> IntegrationConfig:
        """Store a deleted configuration again under its old id (Undo).

        Listeners see ``config_created``, as for any configuration that
        appears.

        Raises:
            desktop_app.errors.StoreError: It cannot be restored (no id, or
                the id is in use).
        """
        # Its keyring entries went with the delete: store the secrets anew.
        integration = self._integrations.get(config.integration_id)
        with secrets.stored_secrets(integration, config):
            self.store.restore_config(config)
        self._attach_config(config)
        self._apply_change(config.integration_id, config, deleted=False)
        signals.config_created.send(self, config=config)
        return config

    def clear_configs_cache(self, integration_cls_or_id: Any = None) -> None:
        """Drop cached configurations so they are read from the store again.

        Args:
            integration_cls_or_id: One integration, or ``None`` for all.
        """
        if integration_cls_or_id is None:
            self.clear_all_configs_cache()
            return
        integration_id = integration_id_of(integration_cls_or_id)
        with self._lock:
            self._snapshots.drop(integration_id)
            integration = self._integrations.get(integration_id)
            if integration is not None:
                integration._configs_cache = {}

    def clear_all_configs_cache(self) -> None:
        """Drop every cached configuration."""
        with self._lock:
            self._snapshots.drop_all()
            for integration in self._integrations.values():
                integration._configs_cache = {}

    # Change tracking ------------------------------------------------------

    def set_dispatcher(self, dispatch: Dispatcher) -> None:
        """Choose where work triggered by other threads runs.

        The window passes a function that queues the call onto the UI
        thread, so integrations are initialized and shut down there.
        """
        self._dispatch = dispatch

    def dispatch(self, func: Callable[[], None]) -> None:
        """Run ``func`` where the host wants manager work to run (see
        :py:meth:`set_dispatcher`)."""
        self._dispatch(func)

    def check_for_changes(self) -> bool:
        """Apply changes other processes committed, if any.

        Returns:
            bool: Whether there were any.
        """
        if self._shut_down or not self.store.has_external_changes():
            return False
        self.reload_configs()
        return True

    def reload_configs(self) -> None:
        """Re-read configurations and re-evaluate every integration."""
        self.clear_all_configs_cache()
        for integration in self.get_integrations():
            self._update_enabled_state(integration)
        signals.configs_reloaded.send(self)

    def _apply_change(
        self, integration_id: str, config: IntegrationConfig, *, deleted: bool
    ) -> None:
        with self._lock:
            self._snapshots.apply(config, deleted=deleted)
            integration = self._integrations.get(integration_id)
            if integration is not None:
                integration._configs_cache = {}
        if integration is not None:
            self._update_enabled_state(integration)

    def _enabled_configs(self, integration: Integration) -> list[ConfigSnapshot]:
        return self._snapshots.configs(integration.integration_id)

    def _update_enabled_state(self, integration: Integration) -> None:
        if self._shut_down:
            return
        if self._snapshots.has_enabled(integration.integration_id):
            if not integration.enabled:
                self._safely(integration, integration.enable_integration, "initialize")
        elif integration.enabled:
            self._safely(integration, integration.disable_integration, "shutdown")

    def _safely(
        self, integration: Integration, func: Callable[[], None], what: str
    ) -> bool:
        # Plugin code: one failing integration must never take the app down.
        try:
            func()
        except Exception as e:
            logger.exception("%s() of %s failed", what, integration.integration_id)
            self.integration_errors[integration.integration_id] = (
                f"{what}() failed: {type(e).__name__}: {e}",
                "".join(traceback.format_exception(e)),
            )
            return False
        self.integration_errors.pop(integration.integration_id, None)
        return True

    def _on_integration_enabled(self, integration: Integration) -> None:
        signals.integration_enabled.send(self, integration=integration)

    def _on_integration_disabled(self, integration: Integration) -> None:
        signals.integration_disabled.send(self, integration=integration)

    def _attach(self, integration: Integration) -> None:
        # Snapshots hold the integration's defaults: rebuild them with it.
        # The counts stay: registering changes no configuration.
        self._snapshots.forget(integration.integration_id)

    def _attach_config(self, config: IntegrationConfig) -> None:
        config.integration = self._integrations.get(config.integration_id)

    # Life cycle -----------------------------------------------------------

    def wait_for_background_work(self, timeout: float | None = None) -> bool:
        """Wait for work that deliveries started on the background worker.

        Returns:
            bool: True when all of it finished in time.
        """
        return self.worker.wait(timeout)

    def prepare_writes_in_background(self) -> None:
        """Import the store's write path (SQLAlchemy) on a background thread.

        The store opens and reads without SQLAlchemy so the window paints
        sooner; the window calls this once it has painted, so the user's
        first save does not pay for the import. Calling it again does
        nothing.
        """
        prepare = getattr(self.store, "prepare_writes", None)
        if prepare is None or self._warm_up is not None or self._shut_down:
            return

        def run() -> None:
            try:
                prepare(in_background=True)
            except Exception:
                # The first write will try again and report the error.
                logger.exception("Preparing the store's write path failed")

        self._warm_up = threading.Thread(
            target=run, name="desktop-app-prepare-writes", daemon=True
        )
        self._warm_up.start()

    def shutdown(self) -> None:
        """Disable every integration, stop the worker and close the store."""
        if self._shut_down:
            return
        if self._warm_up is not None:
            # Never close the store under a half-built write engine; and
            # the warm-up runs gently (slowly) until told someone waits.
            hurry = getattr(self.store, "hurry_writes", None)
            if hurry is not None:
                hurry()
            self._warm_up.join()
        if self._watcher is not None:
            self._watcher.stop()
        for integration in reversed(self.get_integrations()):
            self._safely(integration, integration.disable_integration, "shutdown")
        self._shut_down = True
        self.worker.shutdown(wait=True)
        self.store.close()
        global _manager
        if _manager is self:
            _manager = None


def _is_database_error(error: BaseException) -> bool:
    # sqlite3's and SQLAlchemy's errors, without importing SQLAlchemy here.
    return isinstance(error, sqlite3.Error) or type(error).__module__.startswith(
        "sqlalchemy."
    )


def _call_now(func: Callable[[], None]) -> None:
    func()


_manager: IntegrationManager | None = None


def set_integration_manager(manager: IntegrationManager | None) -> None:
    """Install the process-wide manager (what plugins register with)."""
    global _manager
    _manager = manager


def get_integration_manager() -> IntegrationManager:
    """Return the process-wide manager.

    Raises:
        RuntimeError: None has been installed.
    """
    if _manager is None:
        raise RuntimeError(
            "No integration manager is installed; call set_integration_manager() first"
        )
    return _manager
