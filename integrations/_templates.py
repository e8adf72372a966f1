"""Message templates of the built-ins: the names they may use, checking them
where they are typed, filling them at delivery, and a preview.

A template names values in braces: ``{message}``, ``{severity}``,
``{signal_label}``, ``{config_name}``... (:py:data:`TEMPLATE_NAMES` and
every payload field a signal declares). A name nobody provides is a
validation error in the dialog, never a ``KeyError`` at delivery; a
declared field an event did not carry renders empty.
"""

from __future__ import annotations

import datetime as _dt
import json
import string
from collections.abc import Iterable, Mapping
from typing import Any

from desktop_app import forms, signals
from desktop_app.forms import ValidationError

__all__ = [
    "APP_NAME",
    "TEMPLATE_NAMES",
    "TEST_PAYLOAD",
    "TemplateField",
    "check_template",
    "event_details",
    "known_names",
    "preview_template",
    "render",
    "sample_payload",
    "signal_label",
    "template_context",
    "template_field",
]

#: How messages name this app.
APP_NAME = "desktop-app"

#: What a configuration's test sends: the test event, saying what it is.
TEST_PAYLOAD: dict[str, Any] = {
    "message": "This is a test of your configuration.",
    "severity": "info",
}

#: The names every template may use, with what they hold.
TEMPLATE_NAMES: dict[str, str] = {
    "summary": "the event in one sentence, such as "
    "'Test event from desktop-app: hi (warning)'",
    "details": "the event's values in words, such as 'hi (warning)'",
    "signal_label": "the event's name for people, such as 'Test event'",
    "signal": "the event's technical name",
    "config_name": "the name of this configuration",
    "time": "when the event happened (ISO 8601, UTC)",
    "app": "the app's name",
    "payload": "all values of the event, as JSON; {payload[key]} is one of them",
}


def signal_label(name: str) -> str:
    """The label of a signal for people: its declared label, or one derived
    from its name (``desktop_app.test_event`` → ``Test event``)."""
    try:
        label = getattr(signals.get_signal_info(name), "label", None)
    except LookupError:
        label = None
    if isinstance(label, str) and label:
        return label
    words = name.rsplit(".", 1)[-1].replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else name


def known_names() -> set[str]:
    """Every name a template may use now: :py:data:`TEMPLATE_NAMES` and the
    payload fields of every defined signal (read on each use, so signals of
    plugins loaded later count)."""
    names = set(TEMPLATE_NAMES)
    for info in signals.get_signal_infos():
        names.update(info.payload)
    return names


def check_template(template: str, names: Iterable[str] | None = None) -> None:
    """Check a template's syntax and names.

    Raises:
        ValidationError: In plain words, naming the first problem.
    """
    allowed = known_names() if names is None else set(names)
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        raise ValidationError(
            "A brace is not closed. Write {name} for a value, or {{ and }} "
            "for a brace itself.",
            code="template_syntax",
        ) from None
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if spec or conversion:
            raise ValidationError(
                f"Write {{{field.split('!')[0]}}} without ':' or '!' options.",
                code="template_format",
            )
        name, bracket, rest = field.partition("[")
        if "." in field or (bracket and (name != "payload" or "[" in rest)):
            raise ValidationError(
                f"{{{field}}} is not allowed: only {{payload[key]}} looks "
                "inside a value.",
                code="template_access",
            )
        if not name:
            raise ValidationError(
                "Empty braces {} name no value. Write a name such as {message}.",
                code="template_name",
            )
        if name not in allowed:
            shown = ", ".join("{" + n + "}" for n in sorted(allowed))
            raise ValidationError(
                f"Unknown name {{{name}}}. Names you can use: {shown}.",
                code="template_name",
            )


class TemplateField(forms.CharField):
    """Text with ``{name}`` placeholders, checked as it is cleaned."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            check_template(value)


class _Payload(dict[str, Any]):
    """The payload for ``{payload}`` (JSON text) and ``{payload[key]}``
    (one value in words)."""

    def __getitem__(self, key: str) -> str:
        return _words(self.get(key))

    def __format__(self, spec: str) -> str:
        return json.dumps(dict(self), ensure_ascii=False, sort_keys=True)


def _words(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("name"), str):
        return str(value["name"])  # a configuration or integration
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def event_details(payload: Mapping[str, Any]) -> str:
    """The payload in words: ``message (severity)`` when it has a message,
    else ``Key: value`` pairs; empty for an empty payload."""
    message = _words(payload.get("message"))
    severity = _words(payload.get("severity"))
    if message or "message" in payload:
        return f"{message} ({severity})" if severity else message
    pairs = [
        f"{key.replace('_', ' ').capitalize()}: {_words(value)}"
        for key, value in payload.items()
        if _words(value)
    ]
    return ", ".join(pairs)


def template_context(
    signal: str,
    payload: Mapping[str, Any],
    config_name: str = "",
    *,
    time: _dt.datetime | None = None,
) -> dict[str, Any]:
    """The values a template is filled with, for one event.

    Args:
        signal (str): The signal's name.
        payload (dict): The JSON-safe payload (see ``integrations._payload``).
        config_name (str): The configuration's name.
        time (datetime.datetime, optional): When it happened; now if omitted.
    """
    context: dict[str, Any] = {
        name: "" for name in known_names() if name not in TEMPLATE_NAMES
    }
    context.update((key, _words(value)) for key, value in payload.items())
    label = signal_label(signal)
    details = event_details(payload)
    when = time or _dt.datetime.now(_dt.UTC)
    context.update(
        summary=f"{label} from {APP_NAME}" + (f": {details}" if details else ""),
        details=details,
        signal_label=label,
        signal=signal,
        config_name=config_name,
        time=when.isoformat(timespec="seconds"),
        app=APP_NAME,
        payload=_Payload(payload),
    )
    return context


class _Formatter(string.Formatter):
    """Fills names; one missing (a field of another signal) renders empty."""

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        return kwargs.get(key, "") if isinstance(key, str) else ""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        name, bracket, rest = field_name.partition("[")
        if bracket and name == "payload":
            payload = kwargs.get("payload") or _Payload()
            return payload[rest.rstrip("]")], field_name
        if bracket or "." in field_name:
            return "", field_name  # refused when typed; old configs may hold it
        return self.get_value(field_name, args, kwargs), field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        return format(value) if isinstance(value, _Payload) else str(value)


def render(
    template: str, signal: str, payload: Mapping[str, Any], config_name: str = ""
) -> str:
    """Fill a template for one event.

    A template saved before it was checked may be malformed: it is sent as
    written, never an error, since a message with a typo beats none.
    """
    context = template_context(signal, payload, config_name)
    try:
        return _Formatter().vformat(template, (), context)
    except (ValueError, IndexError, KeyError):
        return template


def sample_payload(signal: str) -> dict[str, Any]:
    """An example payload for a signal, from the fields it declares: each
    field's initial value, else its first choice, else a word saying what
    it is."""
    try:
        declared = signals.get_signal_info(signal).payload
    except LookupError:
        return {}
    sample: dict[str, Any] = {}
    for key, field in declared.items():
        initial = field.get_initial() if hasattr(field, "get_initial") else None
        choices = list(getattr(field, "choices", None) or ())
        if initial not in (None, ""):
            sample[key] = initial
        elif choices:
            first = choices[0]
            sample[key] = first[0] if isinstance(first, tuple) else first
        else:
            label = getattr(field, "label", None) or key.replace("_", " ")
            sample[key] = f"example {str(label).lower()}"
    return sample


def preview_template(
    template: str, picked: Iterable[str] | str | None, config_name: str = ""
) -> str:
    """The template filled for the first picked signal's example payload
    (the test event when none is picked).

    Raises:
        ValidationError: The template does not check out.
    """
    check_template(template)
    names = [picked] if isinstance(picked, str) else list(picked or ())
    signal = names[0] if names else signals.test_event.name
    return render(template, signal, sample_payload(signal), config_name)


def template_field(
    name: str, *, label: str, help_text: str, textarea: bool = False, **kwargs: Any
) -> TemplateField:
    """A :py:class:`TemplateField` whose dialog shows a live preview, filled
    for the first picked event (the form's ``signals`` field).

    Args:
        name (str): The field's own name in its form (the preview reads its
            current text under it).
        label (str): The field's label.
        help_text (str): What it is for; the names one may use are added.
        textarea (bool): Several lines instead of one.
        **kwargs: More :py:class:`~desktop_app.forms.CharField` options.
    """
    field = TemplateField(
        label=label,
        help_text=f"{help_text} Names: {{summary}}, {{message}}, {{severity}}, "
        "{signal_label}, {config_name}, {details}, {payload[key]} (see the "
        "documentation for all).",
        widget=forms.Textarea if textarea else None,
        **kwargs,
    )

    def preview(values: Mapping[str, Any]) -> str:
        return preview_template(
            str(values.get(name) or ""),
            values.get("signals"),
            str(values.get("name") or ""),
        )

    return forms.set_field_preview(field, preview)
