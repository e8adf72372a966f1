"""Type names for JSON values, as ``djblets.util.typing`` spells them.

Integrations annotate payloads and settings with these; they are plain
aliases, so they cost nothing at run time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Union

__all__ = [
    "JSONDict",
    "JSONDictImmutable",
    "JSONList",
    "JSONListImmutable",
    "JSONValue",
    "StrOrPromise",
]

#: Any value JSON can hold.
JSONValue = Union[
    "JSONDict",
    "JSONList",
    "JSONDictImmutable",
    "JSONListImmutable",
    str,
    int,
    float,
    bool,
    None,
]
#: A JSON object.
JSONDict = dict[str, JSONValue]
#: A JSON object not to be changed.
JSONDictImmutable = Mapping[str, JSONValue]
#: A JSON array.
JSONList = list[JSONValue]
#: A JSON array not to be changed.
JSONListImmutable = Sequence[JSONValue]
#: Text, translated or not (Django's lazy strings are plain ``str`` here).
StrOrPromise = str
