"""The integration manager: registered integrations and their configurations.

The manager owns the registry of integration classes (one instance each),
the configuration store, and the in-memory snapshots of *enabled*
configurations that integrations read on every event. It keeps each
integration enabled exactly while it has an enabled configuration.

The manager alone owns that cache (:py:mod:`desktop_app._snapshots`) and
its invalidation: this process's saves and deletes patch it, so the first
event after a save costs no SQL; changes committed by another process are
noticed by a watcher thread (:py:mod:`desktop_app._change_watcher`),
started by :py:meth:`IntegrationManager.start`, that drops it and
re-evaluates. Integrations ask through :py:meth:`get_enabled_configs`.

The store takes and returns frozen records; the manager turns them into
configuration objects bound to itself, with secrets in clear.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from desktop_app import _secrets as secrets
from desktop_app import signals
from desktop_app._attribution import install_log_capture
from desktop_app._change_watcher import ChangeWatcher
from desktop_app._containment import (
    describe_error,
    format_traceback,
    is_user_interrupt,
)
from desktop_app._delivery_log import DeliveryLog
from desktop_app._delivery_queue import DeliveryQueue
from desktop_app._legacy_handlers import set_ui_thread
from desktop_app._snapshots import EnabledConfigCache, matches
from desktop_app._worker import BackgroundWorker
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
from desktop_app.store import ConfigRecord

if TYPE_CHECKING:
    from concurrent.futures import Future

    from desktop_app._unavailable import UnavailableIntegration
    from desktop_app.store import ConfigStore, Delivery, DeliveryStatus

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
            made by other processes, once :py:meth:`start` is called;
            ``None`` turns the watcher off.
    """

    def __init__(
        self,
        store: ConfigStore | str | os.PathLike[str],
        *,
        watch_interval: float | None = 0.5,
    ) -> None:
        if isinstance(store, (str, os.PathLike)):
            from desktop_app.store import ConfigStore

            store = ConfigStore(store)
        self.store = store
        self.worker = BackgroundWorker()
        #: Records deliveries and stores them off the event path.
        self.deliveries = DeliveryLog(store)
        #: Per-configuration queues of ConfigSignalHook deliveries.
        self.delivery_queue = DeliveryQueue(self.worker, self.deliveries)
        install_log_capture()
        #: Integration id → why enabling it failed (error text, traceback).
        self.integration_errors: dict[str, tuple[str, str]] = {}
        self._integrations: dict[str, Integration] = {}
        self._enabled = EnabledConfigCache(self._load_enabled, self._read_counts)
        #: Integration id → what ``get_configs()`` returns without filters,
        #: once cached: the event path's one lookup (the configuration
        #: cache owns it; read only).
        self.unfiltered_configs = self._enabled.unfiltered
        self._lock = self._enabled.lock
        self._dispatch: Dispatcher = _call_now
        self._watch_interval = watch_interval
        self._watcher: ChangeWatcher | None = None
        self._shut_down = False
        #: Another process changed the stored configurations since they were
        #: last read here (see is_expired()).
        self._expired = False

    def start(self, dispatcher: Dispatcher | None = None) -> None:
        """Start watching for changes other processes commit.

        Calling it again only changes the dispatcher.

        Args:
            dispatcher (callable, optional): Where work triggered by other
                threads runs (re-evaluating integrations after another
                process's change): the window passes one that queues the
                call onto the UI thread, so integrations are initialized and
                shut down there. By default it runs on the calling thread.
        """
        if dispatcher is not None:
            self._dispatch = dispatcher
            # The host's event loop runs here: handlers sent from this
            # thread go to the worker (see desktop_app._legacy_handlers).
            set_ui_thread(threading.current_thread())
        self.deliveries.start_watching()
        if self._watcher is None and self._watch_interval and not self._shut_down:
            self._watcher = ChangeWatcher(self, self._watch_interval)
            self._watcher.start()

    # Registration ---------------------------------------------------------

    def register_integration_class(
        self, integration_cls: type[Integration]
    ) -> Integration:
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
        signals.integration_registered.send(self, integration=integration)
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
            self._enabled.forget(integration.integration_id)
        signals.integration_unregistered.send(self, integration=integration)

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

    @property
    def enabled(self) -> bool:
        """Whether the manager is running: ``False`` once shut down (djblets'
        attribute, which hooks check before unregistering)."""
        return not self._shut_down

    def is_registered(self, integration_cls_or_id: Any) -> bool:
        """Whether an integration class or id is registered."""
        return integration_id_of(integration_cls_or_id) in self._integrations

    # Configurations -------------------------------------------------------

    def missing_secrets(self, config: IntegrationConfig) -> list[str]:
        """The labels of the required secrets a configuration lacks (an
        imported one: imports never bring secrets). Such a configuration
        "needs a secret" and must not be enabled until it has them; ``[]``
        when its integration is not registered."""
        integration = self._integrations.get(config.integration_id)
        if integration is None:
            return []
        from desktop_app._transfer import missing_secrets

        return missing_secrets(integration, config)

    def get_unavailable_integrations(
        self, **kwargs: Any
    ) -> list[UnavailableIntegration]:
        """Return the integrations whose configurations are stored but which
        are not registered (their plugin failed, is off or was removed),
        with those configurations as stored and the reason.

        Keyword arguments go to
        :py:func:`desktop_app._unavailable.find_unavailable` (``explain``,
        ``also``, ``names``, ``with_configs``).
        """
        from desktop_app._unavailable import find_unavailable

        return find_unavailable(self, **kwargs)

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
        records = self.store.list_configs(integration_id, enabled=enabled)
        configs = [self._config_from(record) for record in records]
        if filters:
            configs = [c for c in configs if matches(c, filters)]
        return configs

    def get_config(self, config_id: int) -> IntegrationConfig:
        """Return one stored configuration, fresh from the store, to edit
        and save.

        Raises:
            desktop_app.errors.ConfigNotFoundError: No such id.
        """
        return self._config_from(self.store.get_config(config_id))

    def get_enabled_configs(
        self, integration_cls_or_id: Any, filters: Mapping[str, Any] | None = None
    ) -> tuple[ConfigSnapshot, ...]:
        """Return an integration's enabled configurations as read-only
        snapshots (what :py:meth:`Integration.get_configs` returns).

        Cached per filter until a configuration of the integration changes
        (in this process or another), so calling it on every event costs no
        SQL. A filter matches a config attribute (``name``, ``id``) or,
        failing that, a setting (``config.get(key)``).

        Args:
            integration_cls_or_id: The integration (class, instance or id).
            filters (Mapping, optional): ``{name: value}`` to match, as
                ``get_configs(**filters)`` takes them.
        """
        if not filters:
            # The event path: one lock-free lookup once cached.
            cached = self.unfiltered_configs.get(integration_cls_or_id)
            if cached is not None:
                return cached
        return self._enabled.configs(
            integration_id_of(integration_cls_or_id), filters or {}
        )

    def is_config_name_taken(
        self, integration_cls_or_id: Any, name: str, except_id: int | None = None
    ) -> bool:
        """Whether another configuration of the integration (not
        ``except_id``) has this name, ignoring case and surrounding spaces.

        Raises:
            desktop_app.errors.StoreError: The database cannot be read.
        """
        return self.store.name_taken(
            integration_id_of(integration_cls_or_id), name.strip(), except_id
        )

    def count_configs(self) -> dict[str, tuple[int, int]]:
        """Return integration id → (configurations, enabled ones)."""
        return dict(self._enabled.counts())

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
        old_refs = [] if config.id is None else self._stored_refs(config.id)
        record, new_refs = self._store_with_secrets(
            integration,
            config,
            lambda stored: self.store.save_config(stored, force=force),
        )
        # The row now refers to the new entries; the old ones can go.
        secrets.delete_secrets(old_refs if new_refs else [])
        config.stored_as(record, manager=self, integration=integration)
        self._apply_change(config, deleted=False)
        (signals.config_created if created else signals.config_updated).send(
            self, config=config
        )
        return config

    def bulk_create(
        self, configs: Iterable[IntegrationConfig]
    ) -> list[IntegrationConfig]:
        """Store many new configurations in one transaction, then apply the
        change once (see :py:meth:`bulk_save`).

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
        return self.bulk_save(configs)[0]

    def bulk_save(
        self,
        new: Iterable[IntegrationConfig] = (),
        replaced: Iterable[IntegrationConfig] = (),
    ) -> tuple[list[IntegrationConfig], list[IntegrationConfig]]:
        """Store new configurations and changes to stored ones in one
        transaction, then apply the change once (an import).

        :py:meth:`save_config` in a loop pays one durable (fsynced) commit,
        one snapshot update, one enabled-state check and one signal per
        configuration; an import of 10,000 would pay all of it 10,000
        times. Here secrets go to the keyring first, the rows go in with one
        :py:meth:`ConfigStore.update_and_insert`, then caches are dropped
        and each touched integration is re-evaluated once, and listeners
        get one ``configs_reloaded`` (as after another process's changes)
        instead of a signal per configuration.

        Args:
            new (iterable of IntegrationConfig): New configurations (``id``
                is ``None``), with their clear settings.
            replaced (iterable of IntegrationConfig): Stored configurations
                with new values, at the revision they were read: one that was
                saved or deleted since fails the whole write.

        Returns:
            tuple: The same two lists of objects, stored (ids, revisions,
            time stamps); their settings keep the clear values.

        Raises:
            desktop_app.errors.ConfigConflictError: A replaced configuration
                was changed since it was read; nothing was stored.
            desktop_app.errors.ConfigNotFoundError: One was deleted; nothing
                was stored.
            desktop_app.errors.StoreError: Storing failed otherwise; nothing
                was stored and the keyring entries written were deleted.
        """
        new, replaced = list(new), list(replaced)
        if not new and not replaced:
            return new, replaced
        new_refs: list[str] = []
        # The keyring entries the replaced rows refer to now; their secrets
        # go into new entries, so these are deleted once the rows are saved.
        old_refs = [
            ref
            for config in replaced
            if config.id is not None
            for ref in self._stored_refs(config.id)
        ]

        def stored(config: IntegrationConfig) -> dict[str, Any]:
            settings, refs = secrets.store_secrets(
                self._integrations.get(config.integration_id), config.settings
            )
            new_refs.extend(refs)
            return settings

        def records() -> Iterator[ConfigRecord]:
            # Built as the store asks for them, without a copy of the
            # settings: each lives only until its row is written.
            for config in new:
                yield ConfigRecord(
                    config.integration_id, config.name, config.enabled, stored(config)
                )

        try:
            updated = [config.to_record(stored(config)) for config in replaced]
            updated, batch = self.store.update_and_insert(updated, records())
        except BaseException:
            secrets.delete_secrets(new_refs)
            raise
        secrets.delete_secrets(old_refs)
        for config, record in zip(replaced, updated, strict=True):
            integration = self._integrations.get(config.integration_id)
            config.stored_as(record, manager=self, integration=integration)
        for config, config_id in zip(new, batch.ids, strict=True):
            record = ConfigRecord(
                config.integration_id,
                config.name,
                config.enabled,
                config.settings,
                config_id,
                batch.time,
                batch.time,
                1,
            )
            integration = self._integrations.get(config.integration_id)
            config.stored_as(record, manager=self, integration=integration)
        touched = {config.integration_id for config in (*new, *replaced)}
        for integration_id in touched:
            self.clear_configs_cache(integration_id)
        for integration_id in sorted(touched):
            integration = self._integrations.get(integration_id)
            if integration is not None:
                self._update_enabled_state(integration)
        signals.configs_reloaded.send(self)
        return new, replaced

    def delete_config(self, config_or_id: IntegrationConfig | int) -> None:
        """Delete a configuration and apply the change at once."""
        if isinstance(config_or_id, IntegrationConfig):
            config = config_or_id
        else:
            config = self.get_config(config_or_id)
        if config.id is None:
            raise StoreError("A configuration that was never saved cannot be deleted")
        refs = self._stored_refs(config.id)
        self.store.delete_config(config.id)
        secrets.delete_secrets(refs, forget=True)
        self._apply_change(config, deleted=True)
        signals.config_deleted.send(self, config=config)

    def _stored_refs(self, config_id: int) -> list[str]:
        # The keyring entries the stored row refers to (the object in hand
        # holds clear values).
        try:
            settings = self.store.get_config(config_id).settings
            return secrets.references_in(dict(settings))
        except ConfigNotFoundError:
            return []

    def _store_with_secrets(
        self,
        integration: Integration | None,
        config: IntegrationConfig,
        write: Callable[[ConfigRecord], ConfigRecord],
    ) -> tuple[ConfigRecord, list[str]]:
        # Secrets go to the keyring and the row gets references; the object
        # the caller holds (and the snapshot) keeps the clear values. If the
        # write fails, the entries made for it go again.
        stored, new_refs = secrets.store_secrets(integration, config.settings)
        try:
            return write(config.to_record(stored)), new_refs
        except BaseException:
            secrets.delete_secrets(new_refs)
            raise

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
        record, _ = self._store_with_secrets(
            integration, config, self.store.restore_config
        )
        config.stored_as(record, manager=self, integration=integration)
        self._apply_change(config, deleted=False)
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
        self._enabled.drop(integration_id_of(integration_cls_or_id))

    def clear_all_configs_cache(self) -> None:
        """Drop every cached configuration."""
        self._enabled.drop_all()

    # Change tracking ------------------------------------------------------

    def dispatch(self, func: Callable[[], None]) -> None:
        """Run ``func`` where the host wants manager work to run (see
        :py:meth:`start`)."""
        self._dispatch(func)

    def check_for_changes(self) -> bool:
        """Apply changes other processes committed, if any.

        Returns:
            bool: Whether there were any.
        """
        if not self.is_expired():
            return False
        self._expired = False
        self.reload_configs()
        return True

    def is_expired(self) -> bool:
        """Return whether another process changed the stored configurations
        since they were last read here (djblets' name; nothing is reloaded,
        see :py:meth:`check_expired`)."""
        if self._shut_down:
            return False
        if not self._expired and self.store.has_external_changes():
            self._expired = True
        return self._expired

    def check_expired(self) -> None:
        """Reload what other processes changed, if anything (djblets' name
        for :py:meth:`check_for_changes`; the change watcher calls it on its
        own every ``watch_interval``)."""
        self.check_for_changes()

    def reload_configs(self) -> None:
        """Re-read configurations and re-evaluate every integration."""
        self.clear_all_configs_cache()
        for integration in self.get_integrations():
            self._update_enabled_state(integration)
        signals.configs_reloaded.send(self)

    def _apply_change(self, config: IntegrationConfig, *, deleted: bool) -> None:
        assert config.id is not None
        delivered = not deleted and config.enabled and not config.load_error
        snapshot = ConfigSnapshot(config, self) if delivered else None
        self._enabled.put(config.integration_id, config.id, snapshot)
        integration = self._integrations.get(config.integration_id)
        if integration is not None:
            self._update_enabled_state(integration)

    def _load_enabled(self, integration_id: str) -> list[ConfigSnapshot]:
        snapshots = []
        for record in self.store.list_configs(integration_id, enabled=True):
            if record.load_error:
                logger.error(
                    "Configuration %s of %s is not delivered: %s",
                    record.id,
                    integration_id,
                    record.load_error,
                )
                continue
            snapshots.append(ConfigSnapshot(self._config_from(record), self))
        return snapshots

    def _read_counts(self) -> dict[str, tuple[int, int]]:
        return self.store.count_configs()

    def _config_from(self, record: ConfigRecord) -> IntegrationConfig:
        config = IntegrationConfig.from_record(
            record,
            manager=self,
            integration=self._integrations.get(record.integration_id),
        )
        secrets.resolve_secrets(config)
        return config

    def _update_enabled_state(self, integration: Integration) -> None:
        if self._shut_down:
            return
        if self._enabled.has_enabled(integration.integration_id):
            if not integration.enabled:
                self._safely(integration, integration.enable_integration, "initialize")
        elif integration.enabled:
            self._safely(integration, integration.disable_integration, "shutdown")

    def _safely(
        self, integration: Integration, func: Callable[[], None], what: str
    ) -> bool:
        # Plugin code: one failing integration must never take the app down.
        # Not only Exception: sys.exit() or a KeyboardInterrupt raised by
        # plugin code is the plugin's failure (the user's Ctrl-C goes on).
        try:
            func()
        except BaseException as e:  # noqa: B036 - see above
            if is_user_interrupt(e):
                raise
            logger.error(
                "%s() of %s failed", what, integration.integration_id, exc_info=e
            )
            self.integration_errors[integration.integration_id] = (
                f"{what}() failed: {describe_error(e)}",
                format_traceback(e),
            )
            return False
        self.integration_errors.pop(integration.integration_id, None)
        return True

    def _attach(self, integration: Integration) -> None:
        # Snapshots hold the integration's defaults: rebuild them with it.
        # The counts stay: registering changes no configuration.
        self._enabled.forget(integration.integration_id)

    # Life cycle -----------------------------------------------------------

    def wait_for_background_work(self, timeout: float | None = None) -> bool:
        """Wait for work that deliveries started on the background worker.

        Returns:
            bool: True when all of it finished in time.
        """
        deadline = None if timeout is None else time.monotonic() + timeout

        def left() -> float | None:
            return None if deadline is None else max(0.0, deadline - time.monotonic())

        return (
            self.delivery_queue.wait(left())
            and self.worker.wait(left())
            and self.deliveries.flush(left())
        )

    # Deliveries ------------------------------------------------------------

    def get_deliveries(
        self,
        config_id: int | None = None,
        *,
        failed_only: bool = False,
        limit: int = 100,
        before: int | None = None,
    ) -> list[Delivery]:
        """Stored deliveries, newest first.

        Args:
            config_id (int, optional): Only this configuration's.
            failed_only (bool): Only failed and timed-out ones.
            limit (int): At most this many.
            before (int, optional): Only deliveries older than this id
                (the next page).
        """
        return self.deliveries.list(
            config_id, failed_only=failed_only, limit=limit, before=before
        )

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        """One stored delivery, or ``None``."""
        return self.store.get_delivery(delivery_id)

    def get_delivery_status(self, config_id: int) -> DeliveryStatus | None:
        """A configuration's last outcome, last run and counts; ``None``
        when it never ran."""
        return self.deliveries.statuses([config_id]).get(config_id)

    def get_delivery_statuses(
        self, config_ids: Iterable[int] | None = None
    ) -> dict[int, DeliveryStatus]:
        """Status per configuration id (those that never ran are missing)."""
        return self.deliveries.statuses(
            None if config_ids is None else list(config_ids)
        )

    def retry_delivery(self, delivery_id: int) -> Future[str]:
        """Send a delivery again to its configuration; the future resolves
        with the new delivery's outcome.

        Raises:
            desktop_app.errors.DeliveryActionError: It cannot be sent again
                (the message says why).
        """
        from desktop_app._delivery_actions import retry_delivery

        return retry_delivery(self, delivery_id)

    def send_to_config(
        self,
        config_id: int,
        signal_name: str = "desktop_app.test_event",
        payload: dict[str, Any] | None = None,
    ) -> Future[str]:
        """Deliver a signal (by default a test event) to one configuration
        only; the future resolves with the outcome.

        Raises:
            desktop_app.errors.DeliveryActionError: It cannot take it now.
        """
        from desktop_app._delivery_actions import send_to_config

        return send_to_config(self, config_id, signal_name, payload)

    def test_config(
        self,
        integration_id: str,
        settings: dict[str, Any],
        timeout: float | None = None,
    ) -> Future[str]:
        """Run ``Integration.test_config(settings)`` on the worker; nothing
        is saved or recorded."""
        from desktop_app._delivery_actions import run_test_config

        return run_test_config(self, integration_id, settings, timeout)

    def check_form(
        self, integration: Integration, build: Callable[[], Any]
    ) -> Future[dict[str, list[str]]]:
        """Validate the form ``build()`` makes on the worker, under a time
        limit (see :py:mod:`desktop_app._form_check`); nothing is saved."""
        from desktop_app._form_check import check_form

        return check_form(self, integration, build)

    def shutdown(self) -> None:
        """Disable every integration, stop the worker and close the store."""
        if self._shut_down:
            return
        if self._watcher is not None:
            self._watcher.stop()
        for integration in reversed(self.get_integrations()):
            self._safely(integration, integration.disable_integration, "shutdown")
        self._shut_down = True
        set_ui_thread(None)
        # Waiting deliveries are recorded as not delivered; running ones get
        # a bounded second; then every record made is stored.
        self.delivery_queue.close()
        self.worker.shutdown(wait=True)
        self.delivery_queue.close_running()
        self.deliveries.close(timeout=1.0)
        self.store.close()
        global _manager
        if _manager is self:
            _manager = None


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
