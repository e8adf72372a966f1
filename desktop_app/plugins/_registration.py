"""What a plugin module contributes, and registering / unregistering it.

A plugin contributes the :py:class:`~desktop_app.integration.Integration`
subclasses it defines, the :py:class:`~desktop_app.extension.Extension`
subclasses it defines (whose ``IntegrationHook``s register more
integrations) and the signals it defines with
:py:func:`~desktop_app.signals.define_signal`. "Defines" means the class's
``__module__`` (or the signal's recorded module) is the plugin's module or
one of its submodules, so base classes it merely imports are left alone.
"""

from __future__ import annotations

import logging
import operator
import types
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from desktop_app import signals
from desktop_app._containment import is_user_interrupt
from desktop_app.extension import Extension
from desktop_app.integration import Integration

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager

__all__ = [
    "Contributions",
    "defined_in",
    "find_classes",
    "register_contributions",
    "signals_of_module",
    "unregister_contributions",
]

logger = logging.getLogger(__name__)

_integration_id = operator.attrgetter("integration_id")

_T = TypeVar("_T")


@dataclass
class Contributions:
    """What one plugin put into the app, so unloading can take it out."""

    integration_ids: list[str] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)
    signal_names: list[str] = field(default_factory=list)


def defined_in(module_name: str, owner_module: str | None) -> bool:
    """Whether ``owner_module`` is ``module_name`` or one of its submodules."""
    if not owner_module:
        return False
    return owner_module == module_name or owner_module.startswith(module_name + ".")


def find_classes(module: types.ModuleType, base: type[_T]) -> list[type[_T]]:
    """Return the subclasses of ``base`` a module (or its submodules)
    defines and exposes, in definition order.

    Integration classes without their own ``initialize()`` are taken as
    abstract bases meant for subclassing and skipped.
    """
    found: list[type[_T]] = []
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, base)
            and value is not base
            and defined_in(module.__name__, value.__module__)
            and value not in found
        ):
            if (
                base is Integration
                and issubclass(value, Integration)
                and value.initialize is Integration.initialize
            ):
                continue
            found.append(value)
    return found


def signals_of_module(module_name: str) -> list[str]:
    """Return the names of the registered signals a module defined."""
    return [
        info.name
        for info in signals.get_signal_infos()
        if defined_in(module_name, info.module)
    ]


def register_contributions(
    module: types.ModuleType,
    manager: IntegrationManager,
    contributions: Contributions,
) -> None:
    """Enable a module's extensions and register its integrations.

    ``contributions`` is filled in as things succeed, so that when this
    raises, the caller can undo exactly what was done.

    Raises:
        desktop_app.errors.IntegrationAlreadyRegisteredError: An id is taken.
        Exception: Whatever an extension's ``initialize()`` raises.
    """
    # What is new is what was appended to the registry meanwhile (it keeps
    # registration order): compared by identity in C, not a set of every
    # registered id per plugin, which made start-up quadratic in plugins.
    before = manager.get_integrations()
    contributions.signal_names = signals_of_module(module.__name__)
    try:
        for extension_cls in find_classes(module, Extension):
            extension = extension_cls()
            extension.enable_extension()
            contributions.extensions.append(extension)
        for integration_cls in find_classes(module, Integration):
            integration_id = integration_cls.integration_id
            if (
                manager.is_registered(integration_id)
                and type(manager.get_integration(integration_id)) is integration_cls
            ):
                continue  # an extension (or the module itself) registered it
            manager.register_integration_class(integration_cls)
    finally:
        contributions.integration_ids = _new_ids(before, manager.get_integrations())


def _new_ids(before: list[Integration], after: list[Integration]) -> list[str]:
    """The ids in ``after`` that ``before`` did not have, in order."""
    count = len(before)
    if after[:count] == before:  # only appended (identity first, in C)
        return list(map(_integration_id, after[count:]))
    known = set(map(_integration_id, before))  # something was also removed
    return [i for i in map(_integration_id, after) if i not in known]


def unregister_contributions(
    manager: IntegrationManager, contributions: Contributions, plugin_name: str
) -> None:
    """Disable a plugin's extensions, unregister its integrations and drop
    its signals. Failures of plugin code are logged, never raised, so one
    bad ``shutdown()`` cannot block a reload."""
    for extension in reversed(contributions.extensions):
        try:
            extension.disable_extension()
        except BaseException as e:  # noqa: B036 - plugin code: SystemExit too
            if is_user_interrupt(e):
                raise
            logger.error(
                "Plugin %s: shutting down extension %s failed",
                plugin_name,
                extension.id,
                exc_info=e,
            )
    for integration_id in reversed(contributions.integration_ids):
        if manager.is_registered(integration_id):
            manager.unregister_integration_class(integration_id)
    for name in contributions.signal_names:
        signals.unregister_signal(name)
