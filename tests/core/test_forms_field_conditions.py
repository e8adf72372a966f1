"""visible_when / enabled_when: which fields count, without Qt."""

from __future__ import annotations

import pytest

from desktop_app import forms


class AuthForm(forms.Form):
    auth = forms.ChoiceField(choices=[("none", "None"), ("token", "Token")])
    token = forms.CharField(visible_when={"auth": "token"})
    verbose = forms.BooleanField(required=False)
    level = forms.IntegerField(enabled_when={"verbose": True}, min_value=1, max_value=5)
    note = forms.CharField(
        required=False, visible_when=lambda values: values.get("auth") != "none"
    )


def test_hidden_field_is_neither_validated_nor_saved():
    form = AuthForm({"auth": "none", "token": "", "verbose": True, "level": 2})
    assert form.is_valid(), form.errors
    assert "token" not in form.cleaned_data
    assert "note" not in form.cleaned_data


def test_shown_field_is_validated():
    form = AuthForm({"auth": "token", "token": "", "verbose": True, "level": 2})
    assert form.errors == {"token": ["This field is required."]}


def test_disabled_field_is_skipped_and_enabled_one_checked():
    off = AuthForm({"auth": "none", "verbose": False, "level": 99})
    assert off.is_valid(), off.errors
    assert "level" not in off.cleaned_data
    on = AuthForm({"auth": "none", "verbose": "true", "level": "99"})
    assert list(on.errors) == ["level"]


def test_a_prefixed_form_judges_its_own_values():
    # Its data is keyed "<prefix>-<name>"; conditions read it by name.
    form = AuthForm({"p-auth": "token", "p-token": "", "p-level": 2}, prefix="p")
    assert form.field_states()["token"].visible is True
    assert form.errors == {"token": ["This field is required."]}
    hidden = AuthForm({"p-auth": "none", "p-level": 2}, prefix="p")
    assert hidden.is_valid(), hidden.errors
    assert "token" not in hidden.cleaned_data


def test_field_states_follow_typed_values():
    form = AuthForm()
    states = form.field_states({"auth": "token", "verbose": False})
    assert states["token"] == forms.FieldState(visible=True, enabled=True)
    assert states["level"] == forms.FieldState(visible=True, enabled=False)
    assert not states["level"].active
    assert form.field_states({"auth": "none"})["token"].visible is False


def test_mapping_accepts_one_of_and_predicates():
    class F(forms.Form):
        kind = forms.CharField()
        a = forms.CharField(visible_when={"kind": ("x", "y")})
        b = forms.CharField(
            visible_when={"kind": lambda v: bool(v) and v.startswith("z")}
        )

    states = F().field_states({"kind": "y"})
    assert (states["a"].visible, states["b"].visible) == (True, False)
    states = F().field_states({"kind": "zed"})
    assert (states["a"].visible, states["b"].visible) == (False, True)


def test_a_field_depending_on_a_hidden_field_is_hidden_too():
    class F(forms.Form):
        advanced = forms.BooleanField(required=False)
        mode = forms.ChoiceField(
            choices=[("a", "A"), ("b", "B")], visible_when={"advanced": True}
        )
        extra = forms.CharField(visible_when={"mode": "b"})

    states = F().field_states({"advanced": False, "mode": "b"})
    assert not states["mode"].visible
    assert not states["extra"].visible
    assert F({"advanced": False, "mode": "b"}).is_valid()


def test_a_bool_is_not_a_number_in_conditions():
    class F(forms.Form):
        flag = forms.BooleanField(required=False)
        x = forms.CharField(required=False, visible_when={"flag": 1})

    assert not F().field_states({"flag": True})["x"].visible


def test_unknown_field_in_condition_is_refused_at_class_definition():
    with pytest.raises(ValueError, match="visible_when names no field.*'nope'"):

        class Bad(forms.Form):
            a = forms.CharField(visible_when={"nope": 1})


def test_config_form_keeps_hidden_stored_setting():
    # A hidden field's stored value is left as it was (not overwritten, not
    # dropped), so switching back shows it again.
    from desktop_app.forms import IntegrationConfigForm

    class Form(IntegrationConfigForm):
        auth = forms.ChoiceField(choices=[("none", "None"), ("basic", "Basic")])
        user = forms.CharField(visible_when={"auth": "basic"})

    class Config:
        name = "x"
        enabled = True
        settings = {"auth": "basic", "user": "ann"}

        def save(self):
            return self

    class Integ:
        name = "I"
        default_settings: dict = {}

    config = Config()
    form = Form(Integ(), {"name": "x", "enabled": True, "auth": "none"}, config=config)
    assert form.is_valid(), form.errors
    form.save()
    assert config.settings == {"auth": "none", "user": "ann"}
