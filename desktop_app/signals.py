"""Named signals and the registry that lists them.

Signals are plain blinker signals. :py:func:`define_signal` also records a
description and the payload's fields (form fields, so the window and the
command line can build a payload form and clean typed values for them).
Handlers are called Django-style, with keywords: ``sender``, ``signal`` and
the payload (see :py:class:`desktop_app.hooks.SignalHook`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import blinker

from desktop_app import forms as _forms

__all__ = [
    "SignalInfo",
    "app_started",
    "app_stopping",
    "config_created",
    "config_deleted",
    "config_updated",
    "configs_reloaded",
    "define_signal",
    "get_signal",
    "get_signal_info",
    "get_signal_infos",
    "payload_form_class",
    "integration_disabled",
    "integration_enabled",
    "signal_name",
    "test_event",
    "unregister_signal",
]

namespace = blinker.Namespace()


@dataclass(frozen=True)
class SignalInfo:
    """What the registry knows about one signal."""

    name: str
    signal: blinker.NamedSignal
    description: str = ""
    #: Payload keyword → form field (``desktop_app.forms`` field instance).
    payload: Mapping[str, Any] = field(default_factory=dict)
    #: Module that defined the signal (so a plugin reload can drop it).
    module: str | None = None


_registry: dict[str, SignalInfo] = {}
_lock = threading.Lock()


def define_signal(
    name: str,
    *,
    description: str = "",
    payload: Mapping[str, Any] | None = None,
    module: str | None = None,
) -> blinker.NamedSignal:
    """Return the named signal, recording it in the registry.

    Defining the same name again returns the same signal; a later definition
    with a description or payload fills in what the first one left out.

    Args:
        name (str): Unique, dotted name such as ``'myapp.review_published'``.
        description (str): One sentence for people choosing signals.
        payload (dict): Payload keyword → form field, describing what
            ``send()`` passes. Used to build payload forms and clean values.
        module (str): Module defining it; guessed from the caller if omitted.

    Returns:
        blinker.NamedSignal: The signal to ``send()`` and hook.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("A signal name must be a non-empty string")
    if module is None:
        module = _caller_module()
    signal = namespace.signal(name, doc=description or None)
    with _lock:
        info = _registry.get(name)
        if info is None:
            info = SignalInfo(name, signal, description, dict(payload or {}), module)
        else:
            info = SignalInfo(
                name,
                signal,
                description or info.description,
                dict(payload) if payload else info.payload,
                info.module,
            )
        _registry[name] = info
    return signal


def get_signal(name: str) -> blinker.NamedSignal:
    """Return a registered signal by name.

    Raises:
        KeyError: No signal of that name is registered.
    """
    return get_signal_info(name).signal


def get_signal_info(name: str) -> SignalInfo:
    """Return the registry entry of a signal.

    Raises:
        KeyError: No signal of that name is registered (the message lists
            the known names).
    """
    try:
        return _registry[name]
    except KeyError:
        known = ", ".join(sorted(_registry)) or "none"
        raise KeyError(f'Unknown signal "{name}" (known signals: {known})') from None


def get_signal_infos() -> list[SignalInfo]:
    """Return every registered signal, sorted by name."""
    with _lock:
        return sorted(_registry.values(), key=lambda info: info.name)


def payload_form_class(info: SignalInfo) -> type[_forms.Form]:
    """Return a :py:class:`~desktop_app.forms.Form` class for a payload.

    The window's "Fire signal" dialog and the command line both need to
    clean typed values for a signal's payload; building the form class here
    keeps that Qt-free and the same for both.

    Args:
        info (SignalInfo): The signal's registry entry.

    Returns:
        type[Form]: A subclass with one field per payload keyword.
    """
    from desktop_app.forms import Form

    words = info.name.replace(".", "_").split("_")
    class_name = "".join(word.title() for word in words)
    return type(f"{class_name}PayloadForm", (Form,), dict(info.payload))


def unregister_signal(name: str) -> None:
    """Drop a signal from the registry (for plugin unloading)."""
    with _lock:
        _registry.pop(name, None)


def signal_name(signal: Any) -> str:
    """Return a display name for a blinker or Qt signal."""
    name = getattr(signal, "name", None)
    if isinstance(name, str):
        return name
    text = str(signal)
    return text


def _caller_module() -> str | None:
    import sys

    frame = sys._getframe(2)
    return frame.f_globals.get("__name__")


# The app's own signals. Sender is the IntegrationManager.
config_created = define_signal(
    "desktop_app.config_created",
    description="A configuration was created.",
    module=__name__,
)
config_updated = define_signal(
    "desktop_app.config_updated",
    description="A configuration was changed.",
    module=__name__,
)
config_deleted = define_signal(
    "desktop_app.config_deleted",
    description="A configuration was deleted.",
    module=__name__,
)
integration_enabled = define_signal(
    "desktop_app.integration_enabled",
    description="An integration was enabled (it has an enabled configuration).",
    module=__name__,
)
integration_disabled = define_signal(
    "desktop_app.integration_disabled",
    description="An integration was disabled (no enabled configuration left).",
    module=__name__,
)
app_started = define_signal(
    "desktop_app.app_started",
    description="The application finished starting.",
    module=__name__,
)
app_stopping = define_signal(
    "desktop_app.app_stopping",
    description="The application is about to quit.",
    module=__name__,
)
configs_reloaded = define_signal(
    "desktop_app.configs_reloaded",
    description=(
        "Configurations were re-read after another process changed them, or "
        "stored in bulk (an import)."
    ),
    module=__name__,
)

# A signal for people, not code: nothing in the app sends it, so a new user
# can fire it by hand (Tools → Fire signal…, or ``desktop-app fire
# desktop_app.test_event message=hi``) to see their integrations react.
test_event = define_signal(
    "desktop_app.test_event",
    description="A test event you can send by hand to check your integrations.",
    payload={
        "message": _forms.CharField(
            label="Message",
            required=False,
            help_text="Any text, passed on to the integrations.",
        ),
        "severity": _forms.ChoiceField(
            label="Severity",
            choices=[("info", "Info"), ("warning", "Warning"), ("error", "Error")],
            required=False,
        ),
    },
    module=__name__,
)
