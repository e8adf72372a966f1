"""Help texts and descriptions: a safe subset of HTML, paragraphs, words."""

from __future__ import annotations

from desktop_app._rich_text import plain_text, rich_text


def test_links_and_code_are_kept():
    text = (
        'See <a href="https://example.com/a?b=1&amp;c=2">the guide</a> for '
        "<code>x</code>."
    )
    assert rich_text(text) == (
        '<p>See <a href="https://example.com/a?b=1&amp;c=2">the guide</a> for '
        "<code>x</code>.</p>"
    )


def test_unsafe_markup_is_dropped_and_its_text_kept():
    text = (
        '<a href="javascript:alert(1)">click</a> <img src="file:///etc/passwd">'
        '<span style="font-size:90px">big</span> <a href="http://ok.example/">ok'
    )
    result = rich_text(text)
    assert "javascript" not in result
    assert "<img" not in result and "style" not in result
    assert "click" in result and "big" in result
    # An unclosed link is closed, so it cannot swallow the rest of a label.
    assert result.endswith('<a href="http://ok.example/">ok</a></p>')


def test_plain_text_with_angle_brackets_stays_text():
    assert rich_text("Use a < b & c > d") == "<p>Use a &lt; b &amp; c &gt; d</p>"


def test_blank_line_starts_a_paragraph_and_single_newlines_are_spaces():
    assert rich_text("One\nline.\n\n  Two.\n \nThree.") == (
        "<p>One line.</p><p>Two.</p><p>Three.</p>"
    )


def test_in_a_fieldset_description_every_line_is_a_paragraph():
    text = "Step one.\n  Step <b>two</b>.\n\nStep three.\n"
    assert rich_text(text, lines_are_paragraphs=True) == (
        "<p>Step one.</p><p>Step <b>two</b>.</p><p>Step three.</p>"
    )
    # Help texts keep HTML's rule: a single newline is a space.
    assert rich_text(text) == "<p>Step one. Step <b>two</b>.</p><p>Step three.</p>"


def test_plain_text_gives_words_and_link_addresses():
    text = 'Read <a href="https://example.com/">the guide</a>, or <b>not</b>&nbsp;.'
    assert plain_text(text) == "Read the guide (https://example.com/), or not ."
    assert plain_text('<a href="https://example.com/">https://example.com/</a>') == (
        "https://example.com/"
    )
    assert plain_text("") == ""
    assert plain_text("Plain\n  words") == "Plain words"
