"""Event payloads as JSON: the conversion rules for values JSON has no type for.

Payloads are sent to outside services, so every value becomes plain JSON
by a documented rule (docs/writing-integrations.md, "Payloads sent to
outside services"), never by ``repr()``: a receiver must never see
``"<IntegrationConfig id=1 …>"``, and a configuration's settings (which
hold secrets) are never sent at all.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import enum
import json
import os
from collections.abc import Mapping
from typing import Any

__all__ = ["json_safe"]

#: Nesting deeper than this is cut off, so a cyclic payload cannot recurse
#: forever.
MAX_DEPTH = 20


def json_safe(value: Any, _depth: int = 0) -> Any:
    """Return a copy of ``value`` that ``json.dumps`` accepts.

    The rules, in order:

    * ``None``, booleans, integers and text stay as they are; a float that
      is not finite becomes its text (``"nan"``, ``"inf"``).
    * A configuration becomes ``{"id", "name", "integration_id",
      "enabled"}`` (never its settings); an integration
      ``{"integration_id", "name"}``.
    * Mappings become objects with text keys; lists and tuples arrays;
      sets arrays in a stable order.
    * Dates and times become ISO 8601 text; durations their seconds.
    * Enums become their value; paths, UUIDs and decimals their text.
    * Bytes become text when they are UTF-8, else ``{"base64": "…"}``.
    * Dataclasses become objects of their fields.
    * Any other object becomes its ``str()`` when its class defines one,
      else ``{"type": "module.Class"}``.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if _depth > MAX_DEPTH:
        return "…"
    inner = _depth + 1
    described = _described_object(value)
    if described is not None:
        return described
    if isinstance(value, Mapping):
        return {str(k): json_safe(v, inner) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v, inner) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [json_safe(v, inner) for v in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, enum.Enum):
        return json_safe(value.value, inner)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _bytes(bytes(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: json_safe(getattr(value, f.name), inner)
            for f in dataclasses.fields(value)
        }
    # UUIDs and decimals go here (their classes define __str__), so loading
    # the built-in integrations does not import ``uuid`` and ``platform``.
    klass: Any = type(value)
    if klass.__str__ is not object.__str__:
        return str(value)
    return {"type": _type_name(value)}


def _described_object(value: Any) -> dict[str, Any] | None:
    # Duck-typed, so this module needs neither the config nor the
    # integration module: configurations (editable ones and the dict-like
    # snapshots) carry an id and an integration id; integrations an
    # integration id and no configuration id.
    integration_id = getattr(value, "integration_id", None)
    if not isinstance(integration_id, str) or isinstance(value, type):
        return None
    config_id = getattr(value, "id", None)
    if isinstance(config_id, int) or hasattr(value, "settings"):
        return {
            "id": config_id,
            "name": _text_or_none(getattr(value, "name", None)),
            "integration_id": integration_id,
            "enabled": bool(getattr(value, "enabled", False)),
        }
    return {
        "integration_id": integration_id,
        "name": _text_or_none(getattr(value, "name", None)),
    }


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _bytes(data: bytes) -> Any:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def _type_name(value: Any) -> str:
    klass = type(value)
    return f"{klass.__module__}.{klass.__qualname__}"
