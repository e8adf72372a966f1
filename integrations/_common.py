"""Shared pieces of the built-in integrations: signal picking, JSON-safe
payloads, message templates and HTTP posting with retries.

Not a plugin itself (its name starts with ``_`` and no entry point names
it), and it defines no concrete integration, so loading a built-in never
registers anything from here.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import logging
import string
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from desktop_app import forms, signals
from desktop_app.conditions import SignalConditionChoices
from desktop_app.config import IntegrationConfig
from desktop_app.deliveries import event_time
from desktop_app.errors import DeliveryError
from desktop_app.hooks import ConfigSignalHook
from desktop_app.integration import Integration
from integrations._payload import json_safe
from integrations._signing import GITHUB_HEADER, github_signature

if TYPE_CHECKING:
    from integrations._http import KeepAlive

__all__ = [
    "SIGNATURE_HEADER",
    "SignalPickingIntegration",
    "event_body",
    "event_conditions_field",
    "json_safe",
    "post_json",
    "render_template",
    "signal_choices",
    "signature",
]

logger = logging.getLogger(__name__)

#: Header carrying ``sha256=<hex HMAC-SHA256 of the body>`` (github signing).
SIGNATURE_HEADER = GITHUB_HEADER

_CONFIG_SIGNALS = (
    signals.config_created,
    signals.config_updated,
    signals.config_deleted,
    signals.configs_reloaded,
)


def signal_choices() -> list[tuple[str, Any]]:
    """Choices for a ``MultipleChoiceField`` of signals, read on each use so
    signals defined by plugins loaded later show up.

    Grouped as Django groups choices, under the headings pickers show
    ("This app", "Configurations", then each plugin's); each label is the
    signal's label with its description on a second line.
    """
    grouped: list[tuple[str, Any]] = []
    for info in sorted(signals.get_signal_infos(), key=signals.display_order):
        group = getattr(info, "group", "") or "Other"
        if not grouped or grouped[-1][0] != group:
            grouped.append((group, []))
        grouped[-1][1].append((info.name, _signal_label(info)))
    return grouped


def event_conditions_field() -> forms.ConditionsField:
    """A conditions field over the event's name ("Event") and the payload
    fields every registered signal declares, read when used, so signals of
    plugins loaded later count. :py:class:`SignalPickingIntegration` skips
    configurations whose conditions the event does not match."""
    return forms.ConditionsField(
        SignalConditionChoices(include_event=True),
        label="Conditions",
        help_text="Deliver only the events that match. A condition on a field "
        "that an event does not have counts as not matching.",
    )


def _signal_label(info: signals.SignalInfo) -> str:
    label = getattr(info, "label", "") or info.name
    return f"{label}\n{info.description}" if info.description else label


class SignalPickingIntegration(Integration):
    """An integration delivering the signals each configuration picked
    (its ``signals`` setting) to :py:meth:`deliver`, when the event matches
    the configuration's ``conditions`` (if its form has that field).

    It hooks exactly the signals some enabled configuration picked, and
    re-syncs the hooks whenever a configuration changes. Signals are hooked
    by name through the blinker namespace, so a signal picked before the
    plugin defining it is loaded (or while it reloads) still arrives.
    """

    def initialize(self) -> None:
        self._signal_hooks: dict[str, ConfigSignalHook] = {}
        for signal in _CONFIG_SIGNALS:
            signal.connect(self._on_configs_changed, weak=False)
        self._sync_hooks()

    def shutdown(self) -> None:
        for signal in _CONFIG_SIGNALS:
            signal.disconnect(self._on_configs_changed)
        self._signal_hooks = {}

    def _on_configs_changed(self, sender: Any, **kwargs: Any) -> None:
        if self.enabled:
            self._sync_hooks()

    def _sync_hooks(self) -> None:
        wanted: set[str] = set()
        for config in self.get_configs():
            wanted.update(_picked(config))
        hooks = self._signal_hooks
        for name in set(hooks) - wanted:
            hooks.pop(name).disable_hook()
        for name in sorted(wanted - set(hooks)):
            # One delivery per configuration that picked the signal, on the
            # worker, retried per its own "retries"/"backoff" settings. The
            # payload is made JSON-safe once, on the sender's thread, so the
            # work never sees objects that change later.
            hooks[name] = ConfigSignalHook(
                self,
                signals.namespace.signal(name),
                functools.partial(self._on_config_signal, name),
                retries=_setting_int("retries"),
                backoff=_setting_float("backoff", 1.0),
                config_filter=functools.partial(_picks, name),
                prepare=json_safe,
            )

    def _on_config_signal(
        self, name: str, config: IntegrationConfig, /, **payload: Any
    ) -> None:
        # Positional-only: the app's own signals carry a "config" of their
        # own in the payload.
        self.deliver(config, name, payload)

    def deliver(
        self, config: IntegrationConfig, signal: str, payload: dict[str, Any]
    ) -> None:
        """Deliver one event for one configuration.

        Runs on the worker, once per configuration that picked the signal,
        under the integration's time limit; the framework retries a failure
        per the configuration's ``retries`` setting. Work handed to
        :py:meth:`run_in_background` runs right here, and its result
        ("HTTP 200") is the delivery's message; an exception fails it.
        """
        raise NotImplementedError


def _picks(name: str, config: Mapping[str, Any]) -> bool:
    return name in _picked(config)


def _setting_int(key: str) -> Any:
    def read(config: Mapping[str, Any]) -> int:
        try:
            return max(0, int(config.get(key) or 0))
        except (TypeError, ValueError):
            return 0

    return read


def _setting_float(key: str, default: float) -> Any:
    def read(config: Mapping[str, Any]) -> float:
        try:
            return max(0.0, float(config.get(key, default)))
        except (TypeError, ValueError):
            return default

    return read


def _picked(config: Mapping[str, Any]) -> list[str]:
    picked = config.get("signals") or []
    return [picked] if isinstance(picked, str) else list(picked)


def event_body(
    signal: str, payload: dict[str, Any], *, event_id: str | None = None
) -> dict[str, Any]:
    """The JSON object describing one event (webhook body, event file line).

    Its fields are documented in docs/writing-integrations.md; ``id`` is
    there only when the caller names the delivery.
    """
    sent = event_time()  # the same for every retry of a delivery
    when = (
        _dt.datetime.fromtimestamp(sent, _dt.UTC)
        if sent is not None
        else _dt.datetime.now(_dt.UTC)
    )
    body: dict[str, Any] = {
        "signal": signal,
        "payload": payload,
        "time": when.isoformat(),
    }
    if event_id is not None:
        body["id"] = event_id
    return body


def signature(secret: str, body: bytes) -> str:
    """Return the github-style signature header value for a body."""
    return github_signature(secret, body)


class _TemplateFormatter(string.Formatter):
    """``str.format`` that leaves unknown or unsafe placeholders as written.

    Attribute access (``{payload.__class__}``) is refused: templates are
    typed by users and must not reach into Python objects.
    """

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        if "." in field_name:
            return "{" + field_name + "}", field_name
        try:
            return super().get_field(field_name, args, kwargs)
        except (KeyError, IndexError, TypeError, ValueError):
            return "{" + field_name + "}", field_name


def render_template(template: str, signal: str, payload: dict[str, Any]) -> str:
    """Fill ``{signal}``, ``{payload}`` and ``{payload[key]}`` in a template.

    A malformed template (an unbalanced brace) is sent as written, never
    an error: a message with a typo beats no message.
    """
    try:
        return _TemplateFormatter().format(template, signal=signal, payload=payload)
    except (ValueError, IndexError):
        return template


def post_json(
    url: str,
    body: dict[str, Any],
    *,
    secret: str = "",
    sign: Callable[[bytes], dict[str, str]] | None = None,
    content_type: str = "application/json",
    timeout: float = 10.0,
    retries: int = 0,
    backoff: float = 1.0,
    connections: KeepAlive | None = None,
) -> str:
    """POST a JSON body, retrying with exponential backoff.

    Retries on connection errors, timeouts, HTTP 429 and 5xx; other HTTP
    errors are final (the request itself is wrong), and so is a redirect: a
    POST is never turned into a GET to another address. Runs on the
    background worker, never the sender's thread.

    Args:
        secret (str): Signs github-style (``X-Desktop-App-Signature``).
        sign (callable): Returns the signature headers of one attempt for
            the body (see :py:func:`integrations._signing.signer`); called
            per attempt, so timestamps stay fresh on retries.
        connections (KeepAlive, optional): The sender's kept-alive
            connections; without, the request opens and closes its own.

    Returns:
        str: ``'HTTP <status>'`` of the successful attempt.

    Raises:
        DeliveryError: Every attempt failed (the message gives the attempts
            and the last error, never the secret).
    """
    # Imported on first delivery: http.client (with email) would otherwise
    # be imported on every start of the app while the built-ins load.
    import http.client

    from integrations._http import KeepAlive

    if connections is None:
        connections = KeepAlive(max_idle=0)
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": content_type, "User-Agent": "desktop-app"}
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, data)
    attempts = max(0, int(retries)) + 1
    last = ""
    for attempt in range(attempts):
        if sign is not None:
            headers.update(sign(data))
        try:
            answer = connections.post(url, data, headers, timeout)
        except ValueError as e:
            final = DeliveryError(_shown_url(url), str(e))
            final.retryable = False  # the address itself is wrong
            raise final from e
        except (TimeoutError, OSError) as e:
            last = "timed out" if isinstance(e, TimeoutError) else str(e)
        except http.client.HTTPException as e:
            last = f"the answer could not be read ({type(e).__name__})"
        else:
            status = answer.status
            if 200 <= status < 300:
                return f"HTTP {status}"
            last = f"HTTP {status} {answer.reason}".rstrip()
            if 300 <= status < 400:
                moved = _shown_url(answer.location) if answer.location else ""
                final = DeliveryError(
                    _shown_url(url),
                    f"{last}: the address moved"
                    + (f" to {moved}" if moved else "")
                    + "; update the URL",
                )
                final.retryable = False
                raise final
            if status != 429 and status < 500:
                final = DeliveryError(_shown_url(url), last)
                final.retryable = False  # the request itself is wrong
                raise final
        if attempt + 1 < attempts:
            time.sleep(backoff * (2**attempt))
    raise DeliveryError(_shown_url(url), f"{last} (after {attempts} attempts)")


def _shown_url(url: str) -> str:
    # Queries and user info often carry tokens; keep them out of messages.
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
