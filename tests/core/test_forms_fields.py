"""Cleaning of every field type, with good and bad values."""

from __future__ import annotations

import json
import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app import forms
from desktop_app.errors import DesktopAppError
from desktop_app.forms import ValidationError

MEGABYTE = "x" * 1_000_000


def messages_of(field, value):
    with pytest.raises(ValidationError) as info:
        field.clean(value)
    return info.value.messages


# --- ValidationError ---------------------------------------------------------


def test_validation_error_keeps_messages_and_code():
    error = ValidationError(["One.", ValidationError("Two.")], code="bad")
    assert error.messages == ["One.", "Two."]
    assert error.code == "bad"
    assert isinstance(error, DesktopAppError)
    assert isinstance(error, ValueError)


# --- metadata ---------------------------------------------------------------


def test_field_metadata_defaults():
    field = forms.CharField()
    assert field.name is None
    assert field.label is None
    assert field.required is True
    assert field.help_text == ""
    assert field.initial is None
    assert field.is_secret is False
    assert isinstance(field.widget, forms.TextInput)


def test_field_binding_prettifies_the_name_into_a_label():
    field = forms.CharField()
    field.bind("endpoint_url")
    assert (field.name, field.label) == ("endpoint_url", "Endpoint url")


def test_explicit_label_survives_binding():
    field = forms.CharField(label="Endpoint URL")
    field.bind("endpoint_url")
    assert field.label == "Endpoint URL"


@pytest.mark.parametrize("widget", [forms.Textarea, forms.Textarea()])
def test_widget_accepts_a_marker_class_or_instance(widget):
    assert isinstance(forms.CharField(widget=widget).widget, forms.Textarea)


def test_widget_rejects_anything_else():
    with pytest.raises(TypeError):
        forms.CharField(widget="textarea")


def test_non_text_fields_have_no_default_widget():
    assert forms.IntegerField().widget is None


def test_field_classes_are_distinct_for_the_editor_registry():
    classes = [
        forms.CharField,
        forms.URLField,
        forms.EmailField,
        forms.PasswordField,
        forms.IntegerField,
        forms.FloatField,
        forms.BooleanField,
        forms.ChoiceField,
        forms.MultipleChoiceField,
        forms.PathField,
    ]
    assert len(set(classes)) == len(classes)


# --- CharField --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("abc", "abc"), ("  abc  ", "abc"), (12, "12"), (1.5, "1.5"), ("é✓", "é✓")],
)
def test_char_field_cleans_text(value, expected):
    assert forms.CharField().clean(value) == expected


def test_char_field_keeps_whitespace_when_strip_is_off():
    assert forms.CharField(strip=False).clean(" a ") == " a "


@pytest.mark.parametrize("value", [None, "", "   ", []])
def test_required_char_field_rejects_empty_values(value):
    assert messages_of(forms.CharField(), value) == ["This field is required."]


@pytest.mark.parametrize("value", [None, "", "   "])
def test_optional_char_field_cleans_empty_to_empty_string(value):
    assert forms.CharField(required=False).clean(value) == ""


@pytest.mark.parametrize("value", [True, ["a"], {"a": 1}, b"bytes", object()])
def test_char_field_rejects_non_text(value):
    assert messages_of(forms.CharField(), value) == ["Enter a text value."]


def test_char_field_rejects_nul_bytes():
    assert messages_of(forms.CharField(), "a\x00b") == [
        "Null characters are not allowed."
    ]


def test_char_field_rejects_a_megabyte_by_default():
    [message] = messages_of(forms.CharField(), MEGABYTE)
    assert message == (
        "Ensure this value has at most 100000 characters (it has 1000000)."
    )


def test_char_field_max_length():
    field = forms.CharField(max_length=3)
    assert field.clean("abc") == "abc"
    assert messages_of(field, "abcd") == [
        "Ensure this value has at most 3 characters (it has 4)."
    ]


def test_char_field_min_length():
    assert messages_of(forms.CharField(min_length=3), "ab") == [
        "Ensure this value has at least 3 characters (it has 2)."
    ]


def test_validators_run_on_the_clean_value():
    def no_spaces(value):
        if " " in value:
            raise ValidationError("No spaces, please.")

    field = forms.CharField(validators=[no_spaces])
    assert field.clean(" ab ") == "ab"
    assert messages_of(field, "a b") == ["No spaces, please."]


def test_validators_skip_empty_optional_values():
    def never(value):
        raise ValidationError("Called.")

    assert forms.CharField(required=False, validators=[never]).clean("") == ""


# --- URLField / EmailField -----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "https://example.com/endpoint/",
        "http://localhost:8080/x?y=1#z",
        "ftp://files.example.org/a.txt",
        "http://192.168.0.1/",
        "http://[::1]:80/",
        "HTTPS://EXAMPLE.COM",
        "https://bücher.example/",
    ],
)
def test_url_field_accepts_urls(value):
    assert forms.URLField().clean(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "exa mple.com",  # no https:// in front helps
        "https://",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://exa mple.com",
        "http://-bad-.com",
        "http://example.com:99999/",
        "http://999.1.1.1/",
        "http://[::1/",
        "https://nodot",
    ],
)
def test_url_field_rejects_non_urls(value):
    assert messages_of(forms.URLField(), value) == ["Enter a valid URL."]


def test_url_field_puts_https_in_front_of_an_address_without_one():
    field = forms.URLField()
    assert field.clean("hooks.slack.com/services/T0/B0") == (
        "https://hooks.slack.com/services/T0/B0"
    )
    assert field.clean("localhost:8080/hook") == "https://localhost:8080/hook"
    assert messages_of(field, "not an address") == ["Enter a valid URL."]
    assert messages_of(forms.URLField(), "nodot/x") == ["Enter a valid URL."]


def test_choice_error_lists_at_most_a_dozen_choices():
    field = forms.ChoiceField(choices=[(f"c{i}", f"c{i}") for i in range(30)])
    [message] = messages_of(field, "x")
    assert "c0, c1," in message
    assert message.endswith("c11 and 18 more.")


def test_path_field_makes_a_relative_path_absolute(tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    assert forms.PathField().clean("notes.txt") == str(tmp_path / "notes.txt")
    assert forms.PathField(mode="save").clean("out/../new.txt") == str(
        tmp_path / "new.txt"
    )


def test_url_field_rejects_lookalikes_of_plain_addresses():
    # The plain-address shortcut must not let these past: a port out of
    # range, a numeric last label, a no-break space in the path, a
    # 254-character host.
    long_host = ".".join(["a" * 63] * 3 + ["b" * 61]) + ".c"
    for value in [
        "http://example.com:65536/",
        "http://10.0.0.300/",
        "https://example.com/a\N{NO-BREAK SPACE}b",
        f"http://{long_host}/",
    ]:
        assert messages_of(forms.URLField(), value) == ["Enter a valid URL."], value


url_parts = st.sampled_from(
    [
        "http",
        "HTTPS",
        "ftp",
        "gopher",
        "://",
        ":",
        "/",
        ".",
        "-",
        "@",
        "[",
        "]",
        "#",
        "?",
        "a",
        "Z",
        "0",
        "9",
        "com",
        "x" * 63,
        "\N{KELVIN SIGN}",
        "ü",
        " ",
        "\N{NO-BREAK SPACE}",
        "%",
        "80",
        "65536",
    ]
)


@settings(max_examples=500, deadline=None)
@given(
    value=st.one_of(
        st.lists(url_parts, max_size=12).map("".join),
        # scheme://label.label…/rest: mostly addresses the shortcut takes.
        st.tuples(
            st.sampled_from(["http://", "HTTPS://", "ftp://", "ftps://"]),
            st.lists(
                st.from_regex(r"[a-zA-Z0-9\-]{1,64}", fullmatch=True),
                min_size=1,
                max_size=5,
            ),
            st.sampled_from(["", "/", "/p?q=1#f", ":8080/", "/a b", "/\u00a0"]),
        ).map(lambda t: t[0] + ".".join(t[1]) + t[2]),
        st.text(),
    )
)
def test_url_field_shortcut_agrees_with_the_full_check(value):
    field = forms.URLField()
    assert field._is_valid_url(value) == field._is_valid_url_in_full(value)


def test_url_field_rejects_a_megabyte_quickly():
    [message] = messages_of(forms.URLField(), "http://" + MEGABYTE)
    assert "at most 100000 characters" in message


@pytest.mark.parametrize(
    "value", ["user@example.com", "first.last+tag@sub.example.org", "a@localhost"]
)
def test_email_field_accepts_addresses(value):
    assert forms.EmailField().clean(value) == value


@pytest.mark.parametrize(
    "value",
    ["user", "user@", "@example.com", "a@@b.com", "a..b@example.com", "a b@x.com"],
)
def test_email_field_rejects_non_addresses(value):
    assert messages_of(forms.EmailField(), value) == ["Enter a valid email address."]


# --- PasswordField ----------------------------------------------------------


def test_password_field_is_a_secret_with_a_masked_widget():
    field = forms.PasswordField()
    assert field.is_secret is True
    assert isinstance(field.widget, forms.PasswordInput)


def test_password_field_keeps_surrounding_spaces():
    assert forms.PasswordField().clean(" s3cret ") == " s3cret "


def test_password_field_never_shows_the_value():
    field = forms.PasswordField(max_length=5)
    field.bind("token")
    secret = "hunter2-secret"
    assert field.to_data(secret) == ""
    assert secret not in repr(field)
    for bad in (secret, secret + "\x00"):
        assert all(secret not in m for m in messages_of(field, bad))


# --- IntegerField / FloatField ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12, 12), ("12", 12), (" -3 ", -3), ("+4", 4), (5.0, 5), ("7.0", 7), (0, 0)],
)
def test_integer_field_cleans_whole_numbers(value, expected):
    result = forms.IntegerField().clean(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    "value",
    ["abc", "1.5", 1.5, "1e3", "1_000", float("nan"), float("inf"), [1], "9" * 5000],
)
def test_integer_field_rejects_non_integers(value):
    assert messages_of(forms.IntegerField(), value) == ["Enter a whole number."]


@pytest.mark.parametrize("value", [True, False])
def test_integer_field_rejects_bool(value):
    assert messages_of(forms.IntegerField(), value) == ["Enter a whole number."]


def test_integer_field_range():
    field = forms.IntegerField(min_value=1, max_value=10)
    assert field.clean("10") == 10
    assert messages_of(field, 0) == ["Ensure this value is greater than or equal to 1."]
    assert messages_of(field, "11") == [
        "Ensure this value is less than or equal to 10."
    ]


def test_optional_integer_field_cleans_empty_to_none():
    assert forms.IntegerField(required=False).clean("  ") is None


@pytest.mark.parametrize(
    ("value", "expected"), [(1.5, 1.5), ("2.25", 2.25), (3, 3.0), ("1e3", 1000.0)]
)
def test_float_field_cleans_numbers(value, expected):
    result = forms.FloatField().clean(value)
    assert result == expected
    assert type(result) is float


@pytest.mark.parametrize("value", ["abc", [1.0], True, 10**400])
def test_float_field_rejects_non_numbers(value):
    assert messages_of(forms.FloatField(), value) == ["Enter a number."]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "-inf", "nan", "1e999"])
def test_float_field_rejects_nan_and_infinity(value):
    assert messages_of(forms.FloatField(), value) == ["Enter a finite number."]


def test_float_field_range():
    field = forms.FloatField(min_value=0.5, max_value=1.5)
    assert messages_of(field, 0.1) == [
        "Ensure this value is greater than or equal to 0.5."
    ]


# --- BooleanField -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        (None, False),
        ("", False),
        (1, True),
        (0, False),
        *[(word, True) for word in ("true", "TRUE", "1", "yes", "On", " yes ")],
        *[(word, False) for word in ("false", "False", "0", "no", "OFF")],
    ],
)
def test_optional_boolean_field_parses_values(value, expected):
    assert forms.BooleanField(required=False).clean(value) is expected


@pytest.mark.parametrize("value", ["maybe", 2, [True], 1.0])
def test_boolean_field_rejects_other_values(value):
    assert messages_of(forms.BooleanField(required=False), value) == [
        "Enter true or false (yes/no, on/off, 1/0)."
    ]


def test_required_boolean_field_must_be_true_like_django():
    field = forms.BooleanField()
    assert field.clean("yes") is True
    assert messages_of(field, False) == ["This field is required."]
    assert messages_of(field, None) == ["This field is required."]


# --- ChoiceField / MultipleChoiceField -------------------------------------------

COLORS = [("red", "Red"), ("green", "Green")]


def test_choice_field_accepts_a_choice():
    assert forms.ChoiceField(choices=COLORS).clean("red") == "red"


def test_choice_field_rejects_an_unknown_choice():
    assert messages_of(forms.ChoiceField(choices=COLORS), "x") == [
        'Select a valid choice. "x" is not one of the available choices: '
        "red (Red), green (Green)."
    ]


def test_choice_field_shortens_huge_values_in_its_message():
    [message] = messages_of(forms.ChoiceField(choices=COLORS), MEGABYTE[:90_000])
    assert len(message) < 200


def test_choice_field_matches_typed_choices_from_text():
    field = forms.ChoiceField(choices=[(1, "One"), (2, "Two")])
    assert field.clean("2") == 2
    assert field.clean(2) == 2
    assert messages_of(field, True)[0].startswith("Select a valid choice.")


def test_choice_field_evaluates_callable_choices_each_time():
    available = [("a", "A")]
    field = forms.ChoiceField(choices=lambda: list(available))
    assert field.choices == [("a", "A")]
    assert messages_of(field, "b")
    available.append(("b", "B"))
    assert field.choices == [("a", "A"), ("b", "B")]
    assert field.clean("b") == "b"


def test_optional_choice_field_cleans_empty_to_empty_string():
    assert forms.ChoiceField(choices=COLORS, required=False).clean(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["red", "green"], ["red", "green"]),
        (("green",), ["green"]),
        ("red, green", ["red", "green"]),
        ("green,green", ["green"]),
    ],
)
def test_multiple_choice_field_accepts_lists_and_comma_text(value, expected):
    assert forms.MultipleChoiceField(choices=COLORS).clean(value) == expected


def test_multiple_choice_field_rejects_an_unknown_item():
    assert messages_of(forms.MultipleChoiceField(choices=COLORS), ["red", "x"]) == [
        'Select a valid choice. "x" is not one of the available choices: '
        "red (Red), green (Green)."
    ]


@pytest.mark.parametrize("value", [None, "", [], " , "])
def test_required_multiple_choice_field_rejects_empty(value):
    field = forms.MultipleChoiceField(choices=COLORS)
    assert messages_of(field, value) == ["This field is required."]


def test_optional_multiple_choice_field_cleans_empty_to_empty_list():
    field = forms.MultipleChoiceField(choices=COLORS, required=False)
    assert field.clean(None) == []


def test_multiple_choice_field_rejects_a_non_list():
    assert messages_of(forms.MultipleChoiceField(choices=COLORS), 5) == [
        "Enter a list of values."
    ]


def test_multiple_choice_field_to_data_gives_a_list():
    field = forms.MultipleChoiceField(choices=COLORS)
    assert field.to_data(("red",)) == ["red"]
    assert field.to_data("red,green") == ["red", "green"]
    assert field.to_data(None) == []


# --- PathField --------------------------------------------------------------


def test_path_field_file_mode_needs_an_existing_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("x")
    field = forms.PathField(mode="file")
    assert field.clean(path) == str(path)
    assert field.clean(str(path)) == str(path)
    assert messages_of(field, str(tmp_path / "missing.txt")) == [
        f"File does not exist: {tmp_path / 'missing.txt'}"
    ]
    assert messages_of(field, str(tmp_path)) == [f"Not a file: {tmp_path}"]


def test_path_field_directory_mode_needs_an_existing_folder(tmp_path):
    field = forms.PathField(mode="directory")
    assert field.clean(tmp_path) == str(tmp_path)
    (tmp_path / "f").write_text("x")
    assert messages_of(field, tmp_path / "f") == [f"Not a folder: {tmp_path / 'f'}"]
    assert messages_of(field, tmp_path / "nope") == [
        f"Folder does not exist: {tmp_path / 'nope'}"
    ]


def test_path_field_save_mode_needs_an_existing_parent(tmp_path):
    field = forms.PathField(mode="save")
    assert field.clean(tmp_path / "new.txt") == str(tmp_path / "new.txt")
    assert messages_of(field, tmp_path / "no" / "new.txt") == [
        f"Folder does not exist: {tmp_path / 'no'}"
    ]


def test_path_field_expands_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "a.txt").write_text("x")
    assert forms.PathField().clean("~/a.txt") == os.path.join(str(tmp_path), "a.txt")


def test_path_field_rejects_nul_bytes():
    assert messages_of(forms.PathField(), "/tmp/a\x00b") == [
        "Null characters are not allowed."
    ]


def test_path_field_rejects_text_no_file_system_can_name():
    # Before: '~' followed by a lone surrogate raised UnicodeEncodeError
    # from the home-folder lookup (found by Hypothesis).
    for text in ("~\udd00", "/tmp/\ud800x"):
        assert messages_of(forms.PathField(), text) == [
            "Enter a path made of ordinary characters."
        ]


def test_path_field_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        forms.PathField(mode="open")


# --- robustness -------------------------------------------------------------


def all_fields():
    return [
        forms.CharField(),
        forms.CharField(required=False, max_length=10),
        forms.URLField(),
        forms.EmailField(required=False),
        forms.PasswordField(),
        forms.IntegerField(min_value=0),
        forms.FloatField(required=False),
        forms.BooleanField(required=False),
        forms.BooleanField(),
        forms.ChoiceField(choices=COLORS + [(1, "One")]),
        forms.MultipleChoiceField(choices=lambda: COLORS, required=False),
        forms.PathField(mode="save", required=False),
        forms.PathField(mode="directory"),
    ]


raw_values = st.one_of(
    st.none(),
    st.booleans(),
    st.text(),
    # NUL bytes, surrogate-free unicode from every plane, and huge text.
    st.text(
        alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=50
    ),
    st.sampled_from(["\x00", "a\x00b", MEGABYTE, "\N{SNOWMAN}" * 100_000, "  "]),
    st.integers(),
    st.integers(min_value=-(10**500), max_value=10**500),
    st.floats(),
    st.lists(st.one_of(st.text(max_size=10), st.integers(), st.floats())),
    st.dictionaries(st.text(max_size=5), st.integers()),
)


@settings(max_examples=300, deadline=None)
@given(value=raw_values)
def test_every_field_raises_only_validation_error_or_returns_json(value):
    for field in all_fields():
        try:
            cleaned = field.clean(value)
        except ValidationError as e:
            assert e.messages and all(isinstance(m, str) for m in e.messages)
        else:
            json.dumps(cleaned, allow_nan=False)
            if isinstance(cleaned, float):
                assert math.isfinite(cleaned)


def test_to_data_gives_editors_a_value_they_can_show():
    assert forms.CharField().to_data(None) == ""
    assert forms.CharField().to_data("a") == "a"
    assert forms.IntegerField().to_data(3) == 3
    assert forms.BooleanField().to_data("yes") is True
    assert forms.PasswordField().to_data("s3cret") == ""
