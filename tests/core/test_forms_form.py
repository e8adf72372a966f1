"""Declarative forms: field collection, validation, hooks and fieldsets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import forms
from desktop_app.errors import FormDefinitionError
from desktop_app.forms import Fieldset, ValidationError


class ContactForm(forms.Form):
    subject = forms.CharField(max_length=20)
    retries = forms.IntegerField(min_value=0, required=False)
    notify = forms.BooleanField(required=False)


# --- declaration ------------------------------------------------------------


def test_form_collects_fields_in_declaration_order():
    assert list(ContactForm.base_fields) == ["subject", "retries", "notify"]


def test_declared_fields_are_bound_and_leave_the_class_namespace():
    field = ContactForm.base_fields["subject"]
    assert (field.name, field.label) == ("subject", "Subject")
    assert "subject" not in vars(ContactForm)


def test_inherited_fields_come_first():
    class Child(ContactForm):
        extra = forms.CharField()

    class GrandChild(Child):
        more = forms.CharField()

    assert list(GrandChild.base_fields) == [
        "subject",
        "retries",
        "notify",
        "extra",
        "more",
    ]


def test_subclass_can_drop_an_inherited_field_with_none():
    class NoRetries(ContactForm):
        retries = None

    assert list(NoRetries.base_fields) == ["subject", "notify"]


def test_subclass_redefining_a_field_keeps_its_position():
    class Child(ContactForm):
        subject = forms.CharField(max_length=5)

    assert list(Child.base_fields) == ["subject", "retries", "notify"]
    assert Child.base_fields["subject"].max_length == 5
    assert ContactForm.base_fields["subject"].max_length == 20


def test_one_field_object_reused_under_two_names_gets_two_bindings():
    shared = forms.CharField()

    class TwoNames(forms.Form):
        first = shared
        second = shared

    assert TwoNames.base_fields["first"].name == "first"
    assert TwoNames.base_fields["second"].name == "second"


def test_each_form_instance_gets_its_own_fields():
    one, two = ContactForm(), ContactForm()
    one.fields["subject"].label = "Changed"
    assert two.fields["subject"].label == "Subject"
    assert ContactForm.base_fields["subject"].label == "Subject"


def test_callable_choices_are_shared_not_copied_with_the_form():
    class Registry:
        def __init__(self):
            self.items = [("a", "A")]

        def choices(self):
            return self.items

    registry = Registry()

    class Pick(forms.Form):
        item = forms.ChoiceField(choices=registry.choices)

    form = Pick({"item": "b"})
    registry.items.append(("b", "B"))
    assert form.is_valid()


# --- validation -------------------------------------------------------------


def test_unbound_form_is_not_valid_and_has_no_errors():
    form = ContactForm()
    assert form.is_bound is False
    assert form.is_valid() is False
    assert form.errors == {}
    assert form.cleaned_data == {}


def test_valid_form_has_cleaned_data():
    form = ContactForm({"subject": " Hi ", "retries": "3", "notify": "yes"})
    assert form.is_valid()
    assert form.cleaned_data == {"subject": "Hi", "retries": 3, "notify": True}


def test_missing_keys_are_empty_values():
    form = ContactForm({})
    assert form.errors == {"subject": ["This field is required."]}
    assert form.cleaned_data == {"retries": None, "notify": False}


def test_errors_map_each_field_to_its_messages():
    form = ContactForm({"subject": "x" * 21, "retries": "-1", "notify": "perhaps"})
    assert form.errors == {
        "subject": ["Ensure this value has at most 20 characters (it has 21)."],
        "retries": ["Ensure this value is greater than or equal to 0."],
        "notify": ["Enter true or false (yes/no, on/off, 1/0)."],
    }
    assert not form.is_valid()


def test_errors_are_computed_lazily_once():
    calls = []

    class Counting(forms.Form):
        value = forms.CharField()

        def clean(self):
            calls.append(1)
            return super().clean()

    form = Counting({"value": "a"})
    assert calls == []
    assert form.errors == {}
    assert form.is_valid()
    assert form.cleaned_data == {"value": "a"}
    assert calls == [1]


def test_clean_field_hook_returns_the_value():
    class Upper(forms.Form):
        code = forms.CharField()

        def clean_code(self):
            return self.cleaned_data["code"].upper()

    form = Upper({"code": "abc"})
    assert form.cleaned_data == {"code": "ABC"}


def test_clean_field_hook_may_raise():
    class NoAdmin(forms.Form):
        user = forms.CharField()

        def clean_user(self):
            if self.cleaned_data["user"] == "admin":
                raise ValidationError("Pick another user.")
            return self.cleaned_data["user"]

    form = NoAdmin({"user": "admin"})
    assert form.errors == {"user": ["Pick another user."]}
    assert "user" not in form.cleaned_data


def test_clean_hook_raising_goes_to_all():
    class Pair(forms.Form):
        low = forms.IntegerField()
        high = forms.IntegerField()

        def clean(self):
            data = super().clean()
            if data.get("low", 0) > data.get("high", 0):
                raise ValidationError("Low must not exceed high.")
            return data

    form = Pair({"low": 5, "high": 1})
    assert form.errors == {"__all__": ["Low must not exceed high."]}
    assert form.non_field_errors() == ["Low must not exceed high."]


def test_add_error_points_at_a_field_and_drops_its_clean_value():
    class Pair(forms.Form):
        low = forms.IntegerField()
        high = forms.IntegerField()

        def clean(self):
            if self.cleaned_data["low"] > self.cleaned_data["high"]:
                self.add_error("high", "Must be at least low.")
                self.add_error(None, "Check the range.")

    form = Pair({"low": 5, "high": 1})
    assert form.errors == {
        "high": ["Must be at least low."],
        "__all__": ["Check the range."],
    }
    assert form.cleaned_data == {"low": 5}


def test_add_error_rejects_an_unknown_field():
    form = ContactForm({"subject": "a"})
    with pytest.raises(KeyError):
        form.add_error("nope", "x")


def test_initial_values_prefer_the_form_over_the_field():
    class Defaults(forms.Form):
        a = forms.CharField(initial="field")
        b = forms.CharField(initial=lambda: "called")

    form = Defaults(initial={"a": "form"})
    assert form.get_initial_for_field("a") == "form"
    assert form.get_initial_for_field("b") == "called"


def test_form_repr_never_shows_data():
    class Login(forms.Form):
        password = forms.PasswordField()

    assert "hunter2" not in repr(Login({"password": "hunter2"}))


# --- fieldsets --------------------------------------------------------------


def test_form_without_meta_has_one_untitled_fieldset():
    assert ContactForm.fieldsets == (
        Fieldset(None, "", ("subject", "retries", "notify"), ()),
    )


def test_meta_fieldsets_are_normalised_at_class_definition():
    class Grouped(ContactForm):
        class Meta:
            fieldsets = (
                (
                    "Message",
                    {
                        "description": "What to send.",
                        "fields": ("subject",),
                        "classes": ("wide",),
                    },
                ),
                (None, {"fields": [("retries", "notify")]}),
            )

    assert Grouped.fieldsets == (
        Fieldset("Message", "What to send.", ("subject",), ("wide",)),
        Fieldset(None, "", ("retries", "notify"), ()),
    )
    assert Grouped.fieldsets[0].title == "Message"


def test_unnamed_fields_go_into_a_trailing_fieldset():
    class Partial(ContactForm):
        class Meta:
            fieldsets = (("Main", {"fields": ("retries",)}),)

    assert Partial.fieldsets[-1] == Fieldset(None, "", ("subject", "notify"), ())


def test_fieldset_naming_an_unknown_field_fails_at_class_definition():
    with pytest.raises(FormDefinitionError) as info:

        class Broken(ContactForm):
            class Meta:
                fieldsets = ((None, {"fields": ("subject", "sujbect")}),)

    assert info.value.form_name == "Broken"
    assert info.value.field_name == "sujbect"
    assert "Broken" in str(info.value) and "sujbect" in str(info.value)


def test_field_listed_twice_fails_at_class_definition():
    with pytest.raises(FormDefinitionError, match="more than one fieldset") as info:

        class Twice(ContactForm):
            class Meta:
                fieldsets = (
                    ("A", {"fields": ("subject",)}),
                    ("B", {"fields": ("subject",)}),
                )

    assert info.value.field_name == "subject"


@pytest.mark.parametrize(
    "fieldsets",
    [
        "subject",
        ((None, {"fields": "subject"}),),
        ((None,),),
        ((None, ["subject"]),),
        ((None, {"fields": ("subject",), "colour": "red"}),),
        ((42, {"fields": ("subject",)}),),
    ],
)
def test_malformed_fieldsets_fail_at_class_definition(fieldsets):
    meta = type("Meta", (), {"fieldsets": fieldsets})
    with pytest.raises(FormDefinitionError):
        type("Malformed", (ContactForm,), {"Meta": meta})


def test_meta_is_inherited_like_any_attribute():
    class Parent(ContactForm):
        class Meta:
            fieldsets = (("Main", {"fields": ("subject",)}),)

    class Child(Parent):
        extra = forms.CharField()

    assert Child.fieldsets == (
        Fieldset("Main", "", ("subject",), ()),
        Fieldset(None, "", ("retries", "notify", "extra"), ()),
    )


# --- layering ---------------------------------------------------------------


def test_forms_import_without_qt_or_database():
    code = (
        "import sys; from desktop_app import forms; "
        "bad = [m for m in ('PySide6', 'sqlalchemy') if m in sys.modules]; "
        "assert not bad, bad"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_rebind_checks_new_values_from_scratch():
    class Hours(forms.Form):
        start = forms.IntegerField(min_value=0)
        end = forms.IntegerField(required=False)

    form = Hours({"start": -1, "end": 3})
    assert list(form.errors) == ["start"]
    form.rebind({"start": 2})
    assert form.is_valid()
    assert form.cleaned_data == {"start": 2, "end": None}
    form.rebind({})
    assert form.errors == {"start": ["This field is required."]}


def test_clean_hooks_run_for_declared_and_per_instance_fields():
    class Shout(forms.Form):
        word = forms.CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["extra"] = forms.CharField(required=False)

        def clean_word(self):
            return self.cleaned_data["word"].upper()

        def clean_extra(self):
            return self.cleaned_data["extra"] + "!"

    form = Shout({"word": "hi", "extra": "yo"})
    assert form.is_valid()
    assert form.cleaned_data == {"word": "HI", "extra": "yo!"}
