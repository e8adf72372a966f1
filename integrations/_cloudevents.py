"""Events in the CloudEvents 1.0 format (structured mode, JSON).

CloudEvents is the CNCF's common envelope for events; receivers parse it
with the CloudEvents SDKs of many languages. In structured mode the whole
event, envelope and data, is one JSON body sent as
``application/cloudevents+json``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

__all__ = ["CONTENT_TYPE", "SOURCE", "cloudevent_body"]

CONTENT_TYPE = "application/cloudevents+json"

#: The ``source`` of every event: this app (a URI reference).
SOURCE = "/desktop-app"


def cloudevent_body(
    signal: str,
    payload: dict[str, Any],
    event_id: str,
    *,
    subject: str | None = None,
) -> dict[str, Any]:
    """Return one event in structured mode.

    Args:
        signal (str): The signal's name, the event's ``type``.
        payload (dict): The JSON-safe payload, the event's ``data``.
        event_id (str): The delivery's id: the same on retries, so
            receivers can drop duplicates (``source`` + ``id`` is unique).
        subject (str, optional): What the event is about (the
            configuration's name).
    """
    body: dict[str, Any] = {
        "specversion": "1.0",
        "type": signal,
        "source": SOURCE,
        "id": event_id,
        "time": _dt.datetime.now(_dt.UTC).isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "data": payload,
    }
    if subject:
        body["subject"] = subject
    return body
