"""Django's ``django.utils.html`` essentials, for message HTML.

Ports of Review Board integrations build the HTML of their messages with
``format_html`` and friends (Matrix sends ``<strong>{}</strong><p>{}</p>``
with the review's text in it); here their import line becomes
``from desktop_app.html import format_html``. The semantics are Django's:
arguments are escaped unless they are already safe, the format string is
trusted, and the result is a safe string that is not escaped again.

The safe-string type and the escaping are MarkupSafe's (:py:class:`Markup`,
the type Jinja uses): anything with an ``__html__`` method counts as safe,
Django's ``SafeString`` included. Quotes are escaped as ``&#34;`` and
``&#39;`` where Django writes ``&quot;`` and ``&#x27;``; browsers and chat
clients read both the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from html.parser import HTMLParser
from typing import Protocol, runtime_checkable

from markupsafe import Markup
from markupsafe import escape as _escape_unless_safe

__all__ = [
    "SafeString",
    "conditional_escape",
    "escape",
    "format_html",
    "format_html_join",
    "linebreaks",
    "mark_safe",
    "strip_tags",
]

#: The safe-string type, under the name ``django.utils.safestring`` uses.
SafeString = Markup

_NEWLINES = re.compile(r"\r\n|\r")
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


@runtime_checkable
class _HasHTML(Protocol):
    def __html__(self) -> str: ...


def escape(text: object) -> Markup:
    """Return ``text`` escaped for HTML, even if it was already safe."""
    # str() of a safe string is a plain str, so it is escaped again.
    return _escape_unless_safe(str(text))


def conditional_escape(text: object) -> Markup:
    """Return ``text`` escaped for HTML, unless it is already safe."""
    return _escape_unless_safe(text)


def mark_safe(text: str | _HasHTML) -> Markup:
    """Return ``text`` as a safe string, to be inserted without escaping."""
    return Markup(text)


def format_html(format_string: str, *args: object, **kwargs: object) -> Markup:
    """Return ``format_string.format(...)`` with every argument escaped
    unless safe, as a safe string."""
    return Markup(format_string).format(
        *map(_trusted, args), **{key: _trusted(v) for key, v in kwargs.items()}
    )


def format_html_join(
    sep: str,
    format_string: str,
    args_generator: Iterable[Sequence[object] | Mapping[str, object]],
) -> Markup:
    """Return ``format_html`` applied to each argument tuple (or mapping),
    joined by ``sep`` (escaped unless safe)."""
    return conditional_escape(sep).join(
        format_html(format_string, **args)
        if isinstance(args, Mapping)
        else format_html(format_string, *args)
        for args in args_generator
    )


def strip_tags(value: object) -> str:
    """Return ``value`` without its HTML tags (entities and spacing kept).

    As in Django, the result is not safe: it may still hold ``<`` and
    entities, so escape it before putting it into HTML.
    """
    text = str(value)
    # Removing tags can reveal new ones (``<<b>i>``): repeat until nothing
    # more goes.
    while "<" in text and ">" in text:
        stripped = _TagStripper.strip(text)
        if stripped.count("<") == text.count("<"):
            break
        text = stripped
    return text


def linebreaks(value: object, autoescape: bool = False) -> str:
    """Return plain text as HTML: a ``<p>`` per paragraph, ``<br>`` per line."""
    text = _NEWLINES.sub("\n", str(value))
    paragraphs = (escape(p) if autoescape else p for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join("<p>{}</p>".format(p.replace("\n", "<br>")) for p in paragraphs)


def _trusted(value: object) -> object:
    # MarkupSafe's formatter escapes what an argument's __html__ returns
    # unless that is Markup already; Django trusts it, whatever its type.
    # Other values go through as they are, so format specs still apply.
    return Markup(value.__html__()) if isinstance(value, _HasHTML) else value


class _TagStripper(HTMLParser):
    """Keeps text and entities as written; drops tags, comments, doctypes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []

    @classmethod
    def strip(cls, text: str) -> str:
        parser = cls()
        parser.feed(text)
        parser.close()
        return "".join(parser.parts)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self.parts.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.parts.append(f"&#{name};")
