"""Named signals and the registry that lists them.

Signals are plain blinker signals. :py:func:`define_signal` also records a
description and the payload's fields (form fields, so the window and the
command line can build a payload form and clean typed values for them).
Handlers are called Django-style, with keywords: ``sender``, ``signal`` and
the payload (see :py:class:`desktop_app.hooks.SignalHook`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import blinker

from desktop_app import forms as _forms

__all__ = [
    "GROUP_APP",
    "GROUP_CONFIGURATIONS",
    "SignalInfo",
    "app_started",
    "app_stopping",
    "config_created",
    "config_deleted",
    "config_updated",
    "configs_reloaded",
    "define_signal",
    "display_order",
    "get_signal",
    "get_signal_info",
    "get_signal_infos",
    "payload_form_class",
    "integration_disabled",
    "integration_enabled",
    "integration_registered",
    "integration_unregistered",
    "label_from_name",
    "label_of",
    "signal_group_for",
    "signal_name",
    "test_event",
    "unregister_signal",
]

namespace = blinker.Namespace()

#: The group of the app's own signals.
GROUP_APP = "This app"
#: The group of the signals about configurations changing.
GROUP_CONFIGURATIONS = "Configurations"


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
    #: What people read in pickers ("Configuration created"); derived from
    #: the name when the definition gives none.
    label: str = ""
    #: Heading it is listed under: "This app", "Configurations", or the
    #: defining plugin's own (derived from its module when not given).
    group: str = ""
    #: Sent by the app itself about its own life cycle; hidden from
    #: Tools → Fire signal… by default, so nobody fakes one by accident.
    internal: bool = False


_registry: dict[str, SignalInfo] = {}
_lock = threading.Lock()


def define_signal(
    name: str,
    *,
    description: str = "",
    payload: Mapping[str, Any] | None = None,
    label: str | None = None,
    group: str | None = None,
    internal: bool = False,
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
        label (str): A few words for people ("Review published");
            derived from the name's last part when omitted.
        group (str): The heading pickers list it under; by default the
            defining plugin's name (see :py:func:`signal_group_for`).
        internal (bool): The app sends it about itself; pickers meant for
            people sending events by hand hide it by default.
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
            info = SignalInfo(
                name,
                signal,
                description,
                dict(payload or {}),
                module,
                label or label_from_name(name),
                group or signal_group_for(module),
                internal,
            )
        else:
            info = SignalInfo(
                name,
                signal,
                description or info.description,
                dict(payload) if payload else info.payload,
                info.module,
                label or info.label,
                group or info.group,
                internal or info.internal,
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


def label_of(name: str) -> str:
    """Return what people are shown for a signal: its registered label, or
    one made from the name when it is not registered (a record of another
    process, a plugin that is gone)."""
    info = _registry.get(name)
    return info.label if info is not None and info.label else label_from_name(name)


def label_from_name(name: str) -> str:
    """Return a label made from a signal's name, for definitions without one.

    The last dotted part, words split at ``_``, ``-`` and camel case, first
    letter capitalised: ``'myapp.review_published'`` → "Review published".
    """
    last = name.strip().rsplit(".", 1)[-1] or name.strip()
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", last)
    words = re.split(r"[\s_\-]+", spaced)
    # Words keep acronyms ("CI") and lose other capitals ("Failed").
    text = " ".join(w.lower() if w[1:].islower() else w for w in words if w)
    return text[:1].upper() + text[1:] if text else name


def signal_group_for(module: str | None) -> str:
    """Return the default group of a signal defined in ``module``.

    The app's own signals are "This app"; a plugin's are listed under the
    plugin's name, the module's top package (for a folder plugin, the part
    after the generated ``desktop_app_plugins_*`` prefix), made readable.
    """
    if not module or module == __name__ or module.split(".")[0] == "desktop_app":
        return GROUP_APP
    parts = module.split(".")
    if parts[0] == "desktop_app_plugins":
        # Folder plugins: desktop_app_plugins.s<hash of the folder>.<name>.
        parts = [p for p in parts[1:] if not re.fullmatch(r"s[0-9a-f]{10}", p)]
        parts = parts or ["plugin"]
    if parts[0] == "integrations" and len(parts) > 1:
        parts = parts[1:]  # the built-ins: one group per built-in
    return label_from_name(parts[0])


def display_order(info: SignalInfo) -> tuple[int, str, str, str]:
    """Sort key listing signals as people pick them: the app's own group
    first, then configurations, then each plugin's group; by label within
    a group."""
    rank = {GROUP_APP: 0, GROUP_CONFIGURATIONS: 1}.get(info.group, 2)
    return (rank, info.group.casefold(), info.label.casefold(), info.name)


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
    label="Configuration created",
    group=GROUP_CONFIGURATIONS,
    internal=True,
    module=__name__,
)
config_updated = define_signal(
    "desktop_app.config_updated",
    description="A configuration was changed.",
    label="Configuration changed",
    group=GROUP_CONFIGURATIONS,
    internal=True,
    module=__name__,
)
config_deleted = define_signal(
    "desktop_app.config_deleted",
    description="A configuration was deleted.",
    label="Configuration deleted",
    group=GROUP_CONFIGURATIONS,
    internal=True,
    module=__name__,
)
integration_enabled = define_signal(
    "desktop_app.integration_enabled",
    description='An integration was switched on (it has an "Enabled" configuration).',
    label="Integration switched on",
    internal=True,
    module=__name__,
)
integration_disabled = define_signal(
    "desktop_app.integration_disabled",
    description='An integration was switched off (no "Enabled" configuration left).',
    label="Integration switched off",
    internal=True,
    module=__name__,
)
integration_registered = define_signal(
    "desktop_app.integration_registered",
    description=(
        "An integration was registered (a plugin loaded, or the host added one)."
    ),
    label="Integration added",
    internal=True,
    module=__name__,
)
integration_unregistered = define_signal(
    "desktop_app.integration_unregistered",
    description="An integration was unregistered (its plugin went away).",
    label="Integration removed",
    internal=True,
    module=__name__,
)
app_started = define_signal(
    "desktop_app.app_started",
    description="The application finished starting.",
    label="App started",
    internal=True,
    module=__name__,
)
app_stopping = define_signal(
    "desktop_app.app_stopping",
    description="The application is about to quit.",
    label="App quitting",
    internal=True,
    module=__name__,
)
configs_reloaded = define_signal(
    "desktop_app.configs_reloaded",
    description=(
        "Configurations were re-read after another process changed them, or "
        "stored in bulk (an import)."
    ),
    label="Configurations reloaded",
    group=GROUP_CONFIGURATIONS,
    internal=True,
    module=__name__,
)

# A signal for people, not code: nothing in the app sends it, so a new user
# can fire it by hand (Tools → Fire signal…, or ``desktop-app fire
# desktop_app.test_event message=hi``) to see their integrations react.
test_event = define_signal(
    "desktop_app.test_event",
    description="A test event you can send by hand to check your integrations.",
    label="Test event",
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
