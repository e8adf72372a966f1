"""The payload summary stored with a delivery: JSON text, secrets
scrubbed, shortened when large, and enough to send the delivery again."""

from __future__ import annotations

import json
from typing import Any

from desktop_app.activity import scrub_secrets

__all__ = ["MAX_PAYLOAD", "load_payload", "summarize_payload"]

#: Characters of payload JSON kept per delivery; a 100 KB payload times
#: 500 deliveries per configuration would make the database grow fast.
MAX_PAYLOAD = 16_000

#: Marks a payload that was cut: it is shown, but cannot be sent again.
TRUNCATED = "…(shortened)"


def summarize_payload(payload: dict[str, Any]) -> str:
    """Return the payload as JSON text for the record."""
    try:
        text = json.dumps(
            {k: v for k, v in payload.items() if k not in ("sender", "signal")},
            default=str,
            ensure_ascii=False,
            sort_keys=True,
        )
    except (TypeError, ValueError, RecursionError):
        text = json.dumps({"summary": str(payload)[:MAX_PAYLOAD]})
    text = scrub_secrets(text)
    if len(text) > MAX_PAYLOAD:
        text = text[:MAX_PAYLOAD] + TRUNCATED
    return text


def load_payload(text: str) -> dict[str, Any] | None:
    """The payload of a stored delivery, or ``None`` when it cannot be sent
    again (shortened, or not an object)."""
    if text.endswith(TRUNCATED):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
