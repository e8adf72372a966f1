"""The base class of integrations.

An integration is a class with some metadata (name, description, icons,
default settings, a configuration form) and an ``initialize()`` that sets up
hooks. There is one instance per registered class and any number of
configurations. The instance is *enabled* (initialized, hooks live) exactly
while it has at least one enabled configuration; the manager decides that.
"""

from __future__ import annotations

import concurrent.futures
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from desktop_app import signals
from desktop_app._attribution import current_scope
from desktop_app.config import ConfigSnapshot, IntegrationConfig
from desktop_app.errors import ConfigNotFoundError, IntegrationRegistrationError
from desktop_app.hooks import shutdown_hooks

if TYPE_CHECKING:
    from concurrent.futures import Future

    from desktop_app.hooks import Hook
    from desktop_app.manager import IntegrationManager

__all__ = ["Integration", "check_integration_class", "integration_id_of"]


class Integration:
    """Base class for an integration with an outside service.

    Subclasses set the metadata below and override :py:meth:`initialize`.

    Args:
        integration_mgr (IntegrationManager): The manager registering it.
    """

    #: Unique id. Defaults to ``"<module>.<ClassName>"`` for each subclass;
    #: set it by hand when the class or module may move.
    integration_id: ClassVar[str] = "desktop_app.integration.Integration"

    #: Human-readable name shown in lists and dialogs.
    name: ClassVar[str | None] = None

    #: One or two sentences shown under the name.
    description: ClassVar[str | None] = None

    #: Settings used when a configuration does not have a value.
    default_settings: ClassVar[dict[str, Any]] = {}

    #: The :py:class:`~desktop_app.forms.IntegrationConfigForm` subclass used
    #: to edit configurations. ``None`` means the basic form (name, enabled).
    config_form_cls: ClassVar[type | None] = None

    #: djblets' web page template for the configuration form. The desktop
    #: builds its dialog from the form, so this is accepted and not used.
    config_template_name: ClassVar[str | None] = None

    #: Maps ``'1x'``, ``'2x'`` … to icon file paths (1x is 48×48 pixels).
    #: Usually a :py:func:`functools.cached_property` using
    #: :py:func:`desktop_app.resources.static`.
    icon_static_urls: Any = {}

    #: Seconds a piece of background work may run before it is reported as
    #: timed out.
    background_timeout: ClassVar[float] = 30.0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "integration_id" not in cls.__dict__:
            cls.integration_id = f"{cls.__module__}.{cls.__name__}"

    def __init__(self, integration_mgr: IntegrationManager) -> None:
        self.integration_mgr = integration_mgr
        #: The hooks this integration set up while enabled.
        self.hooks: list[Hook] = []
        #: Whether :py:meth:`initialize` has run and its hooks are live.
        self.enabled = False

    @property
    def id(self) -> str:
        """The integration id (short alias)."""
        return self.integration_id

    @property
    def display_name(self) -> str:
        """The name to show, never empty."""
        return self.name or type(self).__name__

    def initialize(self) -> None:
        """Set up hooks. Called when the integration becomes enabled.

        Subclasses must override this.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement initialize()")

    def shutdown(self) -> None:
        """Tear down anything :py:meth:`initialize` set up besides hooks.

        Hooks are shut down automatically.
        """

    def enable_integration(self) -> None:
        """Initialize the integration and make its hooks live (idempotent).

        If ``initialize()`` raises, the hooks it made are shut down, the
        integration stays disabled and the error propagates.
        """
        if self.enabled:
            return
        self.enabled = True
        try:
            self.initialize()
        except BaseException:
            self.enabled = False
            self.shutdown_hooks()
            raise
        signals.integration_enabled.send(self.integration_mgr, integration=self)

    def disable_integration(self) -> None:
        """Shut the integration and its hooks down (idempotent)."""
        if not self.enabled:
            return
        self.enabled = False
        try:
            self.shutdown_hooks()
            self.shutdown()
        finally:
            signals.integration_disabled.send(self.integration_mgr, integration=self)

    def shutdown_hooks(self) -> None:
        """Shut down every hook of the integration (djblets' name; called
        when it is disabled, before :py:meth:`shutdown`)."""
        shutdown_hooks(self)

    def get_configs(
        self, local_site: Any = None, /, **filters: Any
    ) -> tuple[ConfigSnapshot, ...]:
        """Return the enabled configurations, optionally filtered.

        The manager caches them per filter and drops the cache whenever a
        configuration changes, so calling this for every event costs no SQL.
        A filter matches a config attribute (``name``, ``id``) or, failing
        that, a setting (``config.get(key)``).

        Args:
            local_site: Review Board's ``get_configs(local_site)`` argument,
                so its integrations' calls work unchanged. The desktop has no
                Local Sites: ``None`` (what they pass here) filters nothing;
                anything else filters like ``local_site=...``.
            **filters: ``{name: value}`` to match.

        Returns:
            tuple[ConfigSnapshot, ...]: Read-only snapshots, shared with
            every other caller. To change one, use :py:meth:`get_config`.
        """
        # The tuple tells a running handler's scope which configuration its
        # loop is on: each one the loop reaches gets its own delivery (see
        # desktop_app.deliveries and desktop_app._attribution).
        manager = self.integration_mgr
        if local_site is None and not filters:
            # Every event asks: one lookup once cached.
            configs = manager.unfiltered_configs.get(self.integration_id)
            if configs is None:
                configs = manager.get_enabled_configs(self.integration_id)
        else:
            if local_site is not None:
                filters["local_site"] = local_site
            configs = manager.get_enabled_configs(self.integration_id, filters)
        scope = current_scope()
        if (
            scope is not None
            and scope.only_config_id is not None
            and scope.owner is self
        ):
            return scope.narrow(configs)  # retrying or testing one of them
        return configs

    def get_config(self, config_id: int) -> IntegrationConfig:
        """Return one of this integration's configurations (enabled or not),
        fresh from the store, to edit and ``save()``.

        Raises:
            desktop_app.errors.ConfigNotFoundError: No such configuration of
                this integration.
        """
        config = self.integration_mgr.get_config(config_id)
        if config.integration_id != self.integration_id:
            raise ConfigNotFoundError(config_id)
        return config

    def create_config(self, save: bool = False, **kwargs: Any) -> IntegrationConfig:
        """Create a configuration of this integration.

        Args:
            save (bool): Store it right away.
            **kwargs: ``name``, ``enabled``, ``settings``; also Review
                Board's ``local_site`` (see ``IntegrationConfig.local_site``).
        """
        config = IntegrationConfig(self.integration_id, integration=self, **kwargs)
        if save:
            config.save()
        return config

    def run_in_background(
        self,
        config: IntegrationConfig | None,
        func: Callable[..., Any],
        *args: Any,
        signal: str = "",
        **kwargs: Any,
    ) -> Future[Any]:
        """Run slow work (network, files) on the background worker.

        The outcome is recorded as activity for ``config``; an exception is
        caught, logged and recorded, never raised at the caller.

        Returns:
            concurrent.futures.Future: Resolves when the work is done.
        """
        scope = current_scope()
        if scope is None or scope.owner is not self or config is None:
            return self.integration_mgr.worker.submit(
                self, config, func, *args, signal=signal, **kwargs
            )
        if scope.on_worker:
            # A ConfigSignalHook callback: already on the worker, under the
            # delivery's time limit and retries. Run it here; its result is
            # the delivery's message, its exception the delivery's failure.
            done: Future[Any] = concurrent.futures.Future()
            result = func(*args, **kwargs)
            if isinstance(result, str):
                scope.report(config, result, True, "")
            done.set_result(result)
            return done
        # Inside a handler: this work is the configuration's delivery, and
        # its outcome is the delivery's (recorded then, not as a second row).
        future: Future[Any] = self.integration_mgr.worker.submit_job(
            self,
            functools.partial(func, *args, **kwargs),
            record=False,
            signal=signal,
            config=config,
        )
        scope.defer(config, future)
        return future

    def test_config(self, settings: dict[str, Any]) -> str:
        """Check a connection or credentials with the given settings.

        Override it to make the configuration dialog show a Test button: it
        runs this on the values on screen (not saved), on the worker, with
        ``background_timeout`` and a Cancel button.

        Args:
            settings (dict): The form's cleaned values (secrets included).

        Returns:
            str: A short success message ("Connected: HTTP 200").

        Raises:
            Exception: Its text is the plain failure message shown.
        """
        raise NotImplementedError

    @classmethod
    def can_test_config(cls) -> bool:
        """Whether the class overrides :py:meth:`test_config`."""
        return cls.test_config is not Integration.test_config

    def __repr__(self) -> str:
        state = "enabled" if self.enabled else "disabled"
        return f"<{type(self).__name__} {self.integration_id!r} {state}>"


def integration_id_of(value: Any) -> str:
    """Return the id of an integration class, instance or id."""
    if isinstance(value, str):
        return value
    integration_id = getattr(value, "integration_id", None)
    if isinstance(integration_id, str):
        return integration_id
    raise TypeError(f"Not an integration, integration class or id: {value!r}")


def check_integration_class(integration_cls: Any) -> None:
    """Check that a class can be registered as an integration.

    Raises:
        IntegrationRegistrationError: Not an Integration subclass, no
            ``initialize()``, or an ``integration_id`` that is empty, padded
            or longer than 255 characters.
    """
    if not isinstance(integration_cls, type) or not issubclass(
        integration_cls, Integration
    ):
        raise IntegrationRegistrationError(
            integration_cls
            if isinstance(integration_cls, type)
            else type(integration_cls),
            "it is not a subclass of desktop_app.integration.Integration",
        )
    if integration_cls.initialize is Integration.initialize:
        raise IntegrationRegistrationError(
            integration_cls, "it does not define initialize()"
        )
    integration_id = integration_cls.integration_id
    if (
        not isinstance(integration_id, str)
        or not integration_id.strip()
        or integration_id != integration_id.strip()
        or len(integration_id) > 255
    ):
        raise IntegrationRegistrationError(
            integration_cls, f"its integration_id {integration_id!r} is not valid"
        )
