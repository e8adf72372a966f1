"""django.utils.html as Review Board integrations use it, from desktop_app.html.

Matrix builds its message HTML with ``format_html``; other integrations
escape, join and strip. Each test is one of Django's documented behaviours.
"""

from __future__ import annotations

import pytest

from desktop_app.html import (
    SafeString,
    conditional_escape,
    escape,
    format_html,
    format_html_join,
    linebreaks,
    mark_safe,
    strip_tags,
)


class Highlighted:
    """Any object with ``__html__`` counts as safe, as in Django."""

    def __html__(self):
        return "<mark>hit</mark>"


# format_html ----------------------------------------------------------------


def test_matrix_message_escapes_arguments_but_not_the_format_string():
    fallback_text = "Review <#42> by \"Tom\" & 'Ann'"
    title = "Ship it!"

    message = format_html("<strong>{}</strong><p>{}</p>", fallback_text, title)

    assert message == (
        "<strong>Review &lt;#42&gt; by &#34;Tom&#34; &amp; &#39;Ann&#39;</strong>"
        "<p>Ship it!</p>"
    )


def test_format_html_result_is_safe_and_not_escaped_again():
    message = format_html("<b>{}</b>", "<x>")

    assert isinstance(message, SafeString)
    assert format_html("<p>{}</p>", message) == "<p><b>&lt;x&gt;</b></p>"


def test_safe_arguments_are_not_double_escaped():
    link = mark_safe('<a href="https://example.com/?a=1&amp;b=2">r/1</a>')

    message = format_html("{} {} {}", link, Highlighted(), "&amp;")

    assert message == (
        '<a href="https://example.com/?a=1&amp;b=2">r/1</a> <mark>hit</mark> &amp;amp;'
    )


def test_keyword_arguments_and_non_text_values_are_escaped_too():
    message = format_html(
        '<a href="{url}">{count} {name}</a>',
        url='https://x.example/?q="1"&r=2',
        count=3,
        name="<script>",
    )

    assert message == (
        '<a href="https://x.example/?q=&#34;1&#34;&amp;r=2">3 &lt;script&gt;</a>'
    )


# format_html_join -----------------------------------------------------------


def test_format_html_join_formats_each_tuple_and_joins_them():
    reviewers = [("Tom", "tom@example.com"), ("<Ann>", "ann&co@example.com")]

    items = format_html_join("\n", "<li>{} ({})</li>", reviewers)

    assert isinstance(items, SafeString)
    assert items == (
        "<li>Tom (tom@example.com)</li>\n<li>&lt;Ann&gt; (ann&amp;co@example.com)</li>"
    )


def test_format_html_join_escapes_an_unsafe_separator_only():
    assert format_html_join(" & ", "{}", [("a",), ("b",)]) == "a &amp; b"
    assert format_html_join(mark_safe("<br>"), "{}", [("a",), ("b",)]) == "a<br>b"


def test_format_html_join_takes_mappings_for_named_fields():
    rows = ({"name": n, "n": i} for i, n in enumerate(["x", "<y>"]))

    assert format_html_join("", "<td>{n}:{name}</td>", rows) == (
        "<td>0:x</td><td>1:&lt;y&gt;</td>"
    )


# escape, conditional_escape, mark_safe --------------------------------------


def test_escape_always_escapes_even_safe_text():
    assert escape(mark_safe("<b>&</b>")) == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert isinstance(escape("x"), SafeString)


def test_escape_turns_any_object_into_text():
    assert escape(42) == "42"
    assert escape(["<"]) == "[&#39;&lt;&#39;]"


def test_conditional_escape_leaves_safe_text_and_html_objects_alone():
    assert conditional_escape(mark_safe("<b>")) == "<b>"
    assert conditional_escape(Highlighted()) == "<mark>hit</mark>"
    assert conditional_escape("<b>") == "&lt;b&gt;"


def test_mark_safe_text_is_inserted_as_is():
    safe = mark_safe("<em>now</em>")

    assert isinstance(safe, str)
    assert format_html("{}", safe) == "<em>now</em>"
    assert mark_safe(Highlighted()) == "<mark>hit</mark>"


# strip_tags -----------------------------------------------------------------


def test_strip_tags_keeps_the_text_of_an_html_fragment():
    html = '<p>Review <a href="https://x.example/r/1/">#1</a> was <b>updated</b>.</p>'

    assert strip_tags(html) == "Review #1 was updated."


def test_strip_tags_keeps_entities_lines_and_lone_brackets_as_django_does():
    html = "<p>Fish &amp; chips</p>\n<p>1 &lt; 2</p>\n5 < 6"

    assert strip_tags(html) == "Fish &amp; chips\n1 &lt; 2\n5 < 6"


def test_strip_tags_removes_tags_revealed_by_removing_others():
    assert strip_tags("<<b>script>alert(1)<</b>/script>") == "alert(1)"
    assert strip_tags("<!-- note --><br/>text<hr>") == "text"


def test_strip_tags_result_is_not_safe():
    stripped = strip_tags("<b>&lt;i&gt;</b>")

    assert not isinstance(stripped, SafeString)
    assert format_html("{}", stripped) == "&amp;lt;i&amp;gt;"


# linebreaks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "autoescape", "expected"),
    [
        ("one\ntwo\r\n\r\nthree", False, "<p>one<br>two</p>\n\n<p>three</p>"),
        ("a < b\n\n\nc", True, "<p>a &lt; b</p>\n\n<p>c</p>"),
        ("<i>kept</i>", False, "<p><i>kept</i></p>"),
    ],
)
def test_linebreaks_makes_paragraphs_and_line_breaks(text, autoescape, expected):
    assert linebreaks(text, autoescape=autoescape) == expected
