"""Help texts and fieldset descriptions as safe rich text, or as plain words.

Django form authors write help texts with a little HTML (``<code>``,
``<a href="...">``), and djblets shows them as HTML. The dialog shows them
in Qt labels, whose rich text would also load images and style sheets, so
only a small safe subset is kept: emphasis, code, line breaks, lists and
links to ``http``, ``https`` and ``mailto`` addresses. Everything else is
shown as the text it contains. A blank line starts a new paragraph; in a
fieldset description every line does, as djblets' ``paragraphs`` template
filter renders them (Review Board's CI forms write "step one\nstep two").

Parsing is the standard library's :py:class:`html.parser.HTMLParser`, which
never fails on broken markup; a plain sentence with a ``<`` in it stays a
plain sentence.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["plain_text", "rich_text"]

#: Tags kept as they are (without attributes).
_INLINE = frozenset({"b", "strong", "i", "em", "code", "tt", "kbd", "ul", "ol", "li"})

_LINK_SCHEMES = ("http://", "https://", "mailto:")

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"\s+")


def rich_text(text: str, *, lines_are_paragraphs: bool = False) -> str:
    """Return ``text`` as Qt rich text made only of the safe subset.

    Always rich text (a ``<p>`` per paragraph), so a label shows it the
    same whether or not the author used any markup.

    Args:
        lines_are_paragraphs (bool): Every line is a paragraph (fieldset
            descriptions); otherwise only a blank line starts one and a
            single newline is a space, as in HTML (help texts).
    """
    breaks = _LINE_BREAK if lines_are_paragraphs else _PARAGRAPH_BREAK
    paragraphs = [p for p in breaks.split(text.strip()) if p.strip()]
    return "".join(f"<p>{_SafeHtml.convert(p)}</p>" for p in paragraphs)


def plain_text(text: str) -> str:
    """Return the words of a (possibly rich) text, for tooltips and screen
    readers: tags dropped, entities decoded, a link as ``label (address)``."""
    if not text:
        return ""
    if "<" not in text and "&" not in text:
        return _SPACES.sub(" ", text).strip()
    parser = _PlainWords()
    parser.feed(text)
    parser.close()
    return _SPACES.sub(" ", "".join(parser.parts)).strip()


class _SafeHtml(HTMLParser):
    """Rebuilds markup from the safe subset; the rest becomes text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open_links = 0

    @classmethod
    def convert(cls, text: str) -> str:
        parser = cls()
        parser.feed(text)
        parser.close()
        parser.parts.extend("</a>" for _ in range(parser.open_links))
        return "".join(parser.parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INLINE:
            self.parts.append(f"<{tag}>")
        elif tag in ("br", "p"):
            self.parts.append("<br>")
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            if href.lower().startswith(_LINK_SCHEMES):
                self.parts.append(f'<a href="{html.escape(href, quote=True)}">')
                self.open_links += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p"):
            self.parts.append("<br>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INLINE:
            self.parts.append(f"</{tag}>")
        elif tag == "a" and self.open_links:
            self.parts.append("</a>")
            self.open_links -= 1

    def handle_data(self, data: str) -> None:
        self.parts.append(html.escape(_SPACES.sub(" ", data), quote=False))


class _PlainWords(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))
        elif tag in ("br", "p", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            if href and href != label:
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
