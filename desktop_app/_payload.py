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


def summarize_payload(payload: dict[str, Any], limit: int = MAX_PAYLOAD) -> str:
    """Return the payload as JSON text for the record, cut after ``limit``
    characters (then marked, and it cannot be sent again)."""
    shown = {k: v for k, v in payload.items() if k not in ("sender", "signal")}
    cut = False
    for key, value in shown.items():
        if isinstance(value, str) and len(value) > limit:
            # Only the start is kept: encoding all of a large text to cut it
            # afterwards would cost a burst of large events most of its time.
            # Scrubbed before it is cut, so no secret is cut in two.
            shown[key] = scrub_secrets(value)[:limit]
            cut = True
    try:
        text = json.dumps(shown, default=str, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError, RecursionError):
        text = json.dumps({"summary": str(payload)[:limit]})
    text = scrub_secrets(text)
    if cut or len(text) > limit:
        text = text[:limit] + TRUNCATED
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
