"""Hooks: pieces of behaviour owned by an integration or an extension.

A hook registers itself in its owner's ``hooks`` when created (normally in
the owner's ``initialize()``) and is shut down with its owner, so enabling and
disabling an integration connects and disconnects everything it set up.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import blinker

from desktop_app._containment import (
    describe_error,
    format_traceback,
    is_user_interrupt,
)
from desktop_app._dispatch import connect_hook, disconnect_hook
from desktop_app.activity import OUTCOME_FAILED, PERF_TO_WALL, get_activity_log
from desktop_app.signals import signal_name

if TYPE_CHECKING:
    from desktop_app._run_tally import RunTally

__all__ = [
    "ANY",
    "ConfigSignalHook",
    "Hook",
    "IntegrationHook",
    "SignalHook",
    "owner_id",
    "shutdown_hooks",
]

logger = logging.getLogger(__name__)

#: Pass as ``sender`` to receive a signal from every sender.
ANY = blinker.ANY


def owner_id(owner: Any) -> str:
    """Return the id used in logs and activity for a hook's owner."""
    return (
        getattr(owner, "integration_id", None)
        or getattr(owner, "id", None)
        or type(owner).__name__
    )


def shutdown_hooks(owner: Any) -> None:
    """Shut down every hook of an owner, newest first.

    A hook that fails to shut down is logged and skipped, so the others
    still go and the owner ends up with no live hooks.
    """
    for hook in reversed(list(owner.hooks)):
        try:
            hook.disable_hook()
        except BaseException as e:  # noqa: B036 - plugin code: contain SystemExit too
            if is_user_interrupt(e):
                raise
            logger.error(
                "Shutting down a hook of %s failed", owner_id(owner), exc_info=e
            )
    owner.hooks.clear()


class Hook:
    """Base class of hooks.

    Subclasses do their set-up in :py:meth:`initialize` and undo it in
    :py:meth:`shutdown`.

    Args:
        owner (Integration | Extension): What the hook belongs to; it must
            have a ``hooks`` list.
    """

    def __init__(self, owner: Any, *args: Any, **kwargs: Any) -> None:
        self.owner = owner
        self.initialized = False
        owner.hooks.append(self)
        try:
            self.initialize(*args, **kwargs)
        except BaseException:
            owner.hooks.remove(self)
            raise
        self.initialized = True

    def initialize(self, *args: Any, **kwargs: Any) -> None:
        """Set the hook up. Called once, from the constructor."""

    def shutdown(self) -> None:
        """Undo what :py:meth:`initialize` did. Called by the owner."""

    def disable_hook(self) -> None:
        """Shut the hook down and remove it from its owner."""
        if self.initialized:
            self.initialized = False
            self.shutdown()
        if self in self.owner.hooks:
            self.owner.hooks.remove(self)


class SignalHook(Hook):
    """Connects a callback to a signal while the owner is enabled.

    Blinker signals call ``callback(sender=..., signal=..., **payload)``:
    keywords only, as Django does, so handlers written as
    ``def handler(self, **kwargs)`` work unchanged. A callback that takes
    fewer keywords (even none) gets just the ones it names. Qt signals call
    ``callback(*args)`` with the signal's arguments.

    Errors raised by the callback are caught, logged with the owner's id and
    recorded as activity; they never reach the sender or other receivers.

    Args:
        owner (Integration | Extension): The hook's owner.
        signal (blinker.Signal | Qt signal): What to listen to.
        callback (callable): The handler.
        sender (object): Only deliver signals from this sender (blinker only).
    """

    def initialize(
        self, signal: Any, callback: Callable[..., Any], sender: Any = ANY
    ) -> None:
        self.signal = signal
        self.callback = callback
        self.sender = sender
        self.signal_name = signal_name(signal)
        self.owner_id = owner_id(self.owner)
        #: Keyword names the callback takes, or None when it takes any.
        self.accepts = _accepted_keywords(callback)
        #: Whether deliveries are recorded per configuration the callback
        #: visits (an integration's handler; see ``_legacy_handlers``).
        self.attributed = callable(getattr(self.owner, "get_configs", None)) and (
            hasattr(self.owner, "integration_mgr")
        )
        #: True when the hook's deliveries are its activity rows (the hub
        #: then records no row per call).
        self.quiet = False
        #: Counts this hook's plain successful runs (desktop_app._hub_run).
        self.run_tally: RunTally | None = None
        self._is_blinker = isinstance(signal, blinker.Signal)
        if self._is_blinker:
            connect_hook(self)
        elif callable(getattr(signal, "connect", None)):
            signal.connect(self._receive_qt)
        else:
            raise TypeError(
                f"SignalHook needs a blinker signal or a Qt signal, not {signal!r}"
            )

    def shutdown(self) -> None:
        if self._is_blinker:
            disconnect_hook(self)
        else:
            # The Qt object may already be gone; then nothing is left to undo.
            with contextlib.suppress(RuntimeError, TypeError):
                self.signal.disconnect(self._receive_qt)

    def _receive_qt(self, *args: Any) -> None:
        t0 = time.perf_counter()
        try:
            self.callback(*args)
        except BaseException as e:  # noqa: B036 - plugin code: contain SystemExit too
            if is_user_interrupt(e):
                raise
            self.failed(e, t0 + PERF_TO_WALL, time.perf_counter() - t0)
            return
        get_activity_log().record(
            self.signal_name,
            self.owner_id,
            t0 + PERF_TO_WALL,
            time.perf_counter() - t0,
        )

    def failed(self, error: BaseException, started: float, duration: float) -> None:
        """Log and record a callback's exception (it goes no further)."""
        logger.error(
            "Signal handler of %s for %s failed",
            self.owner_id,
            self.signal_name,
            exc_info=error,
        )
        if getattr(error, "_desktop_app_delivery_recorded", False):
            return  # the delivery of the configuration it was on records it
        get_activity_log().record(
            self.signal_name,
            self.owner_id,
            started,
            duration,
            OUTCOME_FAILED,
            describe_error(error),
            format_traceback(error),
        )


class IntegrationHook(Hook):
    """Registers an integration class while its extension is enabled.

    Args:
        owner (Extension): The extension providing the integration.
        integration_cls (type): The :py:class:`~desktop_app.integration.Integration`
            subclass to register with the process-wide manager.
    """

    @classmethod
    def get_integration_manager(cls) -> Any:
        """Return the manager the integration is registered with: the
        process-wide one. A host with its own manager overrides this, as
        djblets' ``NeedsIntegrationManagerMixin`` asks of its hooks."""
        from desktop_app.manager import get_integration_manager

        return get_integration_manager()

    def initialize(self, integration_cls: type) -> None:
        self.integration_cls = integration_cls
        self.manager = self.get_integration_manager()
        self.manager.register_integration_class(integration_cls)

    def shutdown(self) -> None:
        self.manager.unregister_integration_class(self.integration_cls)


def _accepted_keywords(callback: Callable[..., Any]) -> frozenset[str] | None:
    """Return the keyword names a callback takes, or None if it takes any."""
    try:
        params = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return None
    names = set()
    for param in params:
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            return None
        if param.kind in (
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            inspect.Parameter.KEYWORD_ONLY,
        ):
            names.add(param.name)
    return frozenset(names)


# Defined in its own module; imported last because it builds on SignalHook.
from desktop_app._config_hook import ConfigSignalHook  # noqa: E402
