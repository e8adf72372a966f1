"""Apprise, the library behind the Notify built-in, kept off start-up.

Apprise reaches 170+ notification services through one URL each
(``tgram://bot_token/chat_id``, ``ntfy://topic``, ``mailtos://…``). Importing
it pulls in ``requests``, ``markdown`` and ``yaml``, so it is imported here
on first use (a delivery, a test, checking a URL, the dialog's service
list), never while the built-ins load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from desktop_app.activity import register_secret
from desktop_app.errors import DeliveryError
from desktop_app.forms import ActionChoice

__all__ = [
    "check_urls",
    "notify",
    "service_choices",
    "split_urls",
]

#: URLs are separated by whitespace or commas, as Apprise's own tools take them.
_SEPARATORS = re.compile(r"[\s,]+")


def split_urls(text: str) -> list[str]:
    """The URLs in the text of a ``urls`` setting."""
    return [url for url in _SEPARATORS.split(text or "") if url]


def shown(url: str) -> str:
    """A URL as messages may show it: its service and host, no tokens."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "an Apprise URL"
    return f"{parts.scheme}://{host}" if host else f"{parts.scheme}://…"


def check_urls(urls: Sequence[str]) -> str | None:
    """Return why some URL is not one Apprise can use, or ``None``.

    The message names the URL by its position and scheme, never its tokens.
    """
    import apprise

    for number, url in enumerate(urls, 1):
        scheme = url.split("://", 1)[0] if "://" in url else ""
        where = f"URL {number}" if len(urls) > 1 else "The URL"
        if not scheme:
            return (
                f"{where} has no service in front, such as ntfy:// or tgram://. "
                "Press Services… to see the forms."
            )
        if apprise.Apprise.instantiate(url) is None:
            return (
                f"{where} ({scheme}://…) is not a service Apprise knows, or its "
                "parts are missing. Press Services… to see its form."
            )
    return None


def notify(urls: Sequence[str], title: str, body: str, *, timeout: float) -> str:
    """Send one notification to every URL; runs on the worker.

    Returns:
        str: ``'Sent to 2 services.'``

    Raises:
        DeliveryError: Some service failed; the message says which (by
            service and host) and Apprise's reason, never a token.
    """
    import apprise

    for url in urls:
        register_secret(url)  # scrubbed from any recorded error or traceback
    if not urls:
        raise DeliveryError("Apprise", "no URL is set")
    failures: list[str] = []
    for url in urls:
        target = apprise.Apprise()
        if not target.add(url):
            failures.append(f"{shown(url)}: not a valid Apprise URL")
            continue
        problems: list[str] = []

        def keep(entry: Any, _plugin: Any, into: list[str] = problems) -> None:
            if getattr(entry, "level", "") in ("WARNING", "ERROR", "CRITICAL"):
                into.append(str(getattr(entry, "message", "")))

        result = target.notify(
            body=body, title=title, timeout=timeout, log_callback=keep
        )
        if not result:
            reason = _scrub(problems[-1] if problems else "refused", urls)
            failures.append(f"{shown(url)}: {reason.rstrip('.')}")
    if failures:
        sent = len(urls) - len(failures)
        raise DeliveryError(
            "Apprise",
            f"{len(failures)} of {len(urls)} failed ({'; '.join(failures)})"
            + (f"; {sent} sent" if sent else ""),
        )
    return f"Sent to {len(urls)} service{'s' if len(urls) != 1 else ''}."


def _scrub(text: str, urls: Iterable[str]) -> str:
    # Apprise's messages name hosts, but some name more: hide every piece
    # of the URLs that is not the scheme or the host.
    for url in urls:
        try:
            parts = urlsplit(url)
            keep = {parts.scheme, parts.hostname or ""}
        except ValueError:
            keep = set()
        for piece in re.split(r"[/:@?&=#]+", url):
            if len(piece) >= 4 and piece not in keep:
                text = text.replace(piece, "•••")
    return text


def service_choices() -> list[ActionChoice]:
    """Apprise's services, for the dialog's picker: each one's name, its URL
    forms and where to read about it; using one inserts its first form."""
    import apprise

    choices: list[ActionChoice] = []
    for schema in apprise.Apprise().details().get("schemas", ()):
        protocols = [
            *(schema.get("secure_protocols") or ()),
            *(schema.get("protocols") or ()),
        ]
        templates = (schema.get("details") or {}).get("templates") or ()
        if not protocols or not templates:
            continue
        forms_ = [t.replace("{schema}", protocols[0]) for t in templates]
        detail = "URL forms:\n" + "\n".join(forms_)
        if schema.get("setup_url"):
            detail += f"\n\nHow to set it up: {schema['setup_url']}"
        choices.append(
            ActionChoice(
                title=str(schema.get("service_name") or protocols[0]),
                detail=detail,
                value=forms_[0],
            )
        )
    return sorted(choices, key=lambda choice: choice.title.lower())
