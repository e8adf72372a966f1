"""The ``fire`` command's payload parsing under arbitrary words: a cleaned
payload or a one-line CommandError, never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop_app import forms
from desktop_app._commands import CommandError, parse_payload
from desktop_app.signals import SignalInfo, namespace

MEGABYTE = "9" * 1_000_000

PAYLOAD = {
    "text": forms.CharField(max_length=50),
    "url": forms.URLField(required=False),
    "email": forms.EmailField(required=False),
    "count": forms.IntegerField(min_value=0, max_value=100, required=False),
    "ratio": forms.FloatField(required=False, min_value=0.0, max_value=1.0),
    "flag": forms.BooleanField(required=False),
    "color": forms.ChoiceField(
        choices=[("red", "Red"), ("blue", "Blue")], required=False
    ),
    "tags": forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False),
    "folder": forms.PathField(mode="directory", required=False),
}
INFO = SignalInfo("tests.fuzz.fire", namespace.signal("tests.fuzz.fire"), "", PAYLOAD)

any_text = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=30
)
values = st.one_of(
    any_text,
    st.sampled_from(
        ["", "\x00", "red", "a,b", "1e999", "nan", "-1", "0x10", MEGABYTE, "true"]
    ),
    st.integers().map(str),
    st.floats().map(str),
)
keys = st.one_of(st.sampled_from([*PAYLOAD, " count ", "unknown"]), any_text)
words = st.lists(st.one_of(st.tuples(keys, values).map("=".join), any_text), max_size=6)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words)
@example(["count=" + MEGABYTE])
@example(["text=" + "x" * 1_000_000])
@example(["text=a\nb", "=x", "x" * 1_000_000])
@example(["ratio=1e999", "count=1.5"])
@example(["text=\x00", "folder=\x00/x"])
def test_fire_payload_is_cleaned_or_refused_in_one_line(pairs):
    try:
        payload = parse_payload(INFO, pairs)
    except CommandError as e:
        message = str(e)
        assert "\n" not in message and "\x00" not in message
        assert len(message) < 500
        assert e.status == 2
        return
    given_keys = {p.partition("=")[0].strip() for p in pairs}
    assert set(payload) <= given_keys & set(PAYLOAD)
    assert "text" in payload  # required: a payload without it was refused
    assert isinstance(payload["text"], str) and len(payload["text"]) <= 50
    if "count" in payload and payload["count"] is not None:
        assert isinstance(payload["count"], int) and 0 <= payload["count"] <= 100
    if payload.get("color"):
        assert payload["color"] in ("red", "blue")
