"""TextChoices and IntegerChoices, as Review Board's GitLab CI integration
declares and uses them (``from django.db.models import TextChoices``)."""

from __future__ import annotations

import enum
import json

import pytest

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration
from desktop_app.translation import gettext_lazy as _


# GitLab CI's declaration, verbatim but for the imports.
class TokenChoices(forms.TextChoices):
    PRIVATE_TOKEN = "private_token", _("Private API token")
    OAUTH_TOKEN = "oauth_token", _("OAuth token")


class TokenForm(forms.Form):
    token_type = forms.ChoiceField(
        choices=TokenChoices.choices, initial=TokenChoices.PRIVATE_TOKEN
    )


class Priority(forms.IntegerChoices):
    LOW = 1, "Low priority"
    NORMAL = 2
    URGENT_NOW = 3


# Members ----------------------------------------------------------------------


def test_members_equal_their_plain_string_values():
    token_type = "private_token"

    assert token_type == TokenChoices.PRIVATE_TOKEN
    assert token_type != TokenChoices.OAUTH_TOKEN
    assert isinstance(TokenChoices.PRIVATE_TOKEN, str)
    assert {"private_token": 1}[TokenChoices.PRIVATE_TOKEN] == 1


def test_value_label_and_lookup_by_value():
    member = TokenChoices("oauth_token")

    assert member is TokenChoices.OAUTH_TOKEN
    assert member.value == "oauth_token"
    assert type(member.value) is str
    assert member.label == "OAuth token"
    assert TokenChoices["PRIVATE_TOKEN"].label == "Private API token"


def test_label_is_the_gettext_lazy_object_as_given():
    label = _("Private API token")

    class Kinds(forms.TextChoices):
        PRIVATE = "private", label

    assert Kinds.PRIVATE.label is label


def test_str_and_format_give_the_value_and_repr_the_name():
    member = TokenChoices.PRIVATE_TOKEN

    assert str(member) == "private_token"
    assert f"type={member}" == "type=private_token"
    assert repr(member) == "TokenChoices.PRIVATE_TOKEN"
    assert json.dumps({"t": member}) == '{"t": "private_token"}'


def test_label_without_one_declared_comes_from_the_name():
    class Kinds(forms.TextChoices):
        PRIVATE_TOKEN = "private_token"
        OAUTH = "oauth"

    assert Kinds.PRIVATE_TOKEN.label == "Private Token"
    assert Kinds.choices == [("private_token", "Private Token"), ("oauth", "Oauth")]


def test_auto_value_of_text_choices_is_the_name():
    class Kinds(forms.TextChoices):
        FIRST = enum.auto()
        SECOND = enum.auto(), "Second one"

    assert Kinds.FIRST == "FIRST"
    assert Kinds.SECOND.value == "SECOND"
    assert Kinds.SECOND.label == "Second one"


def test_two_names_for_one_value_are_refused():
    with pytest.raises(ValueError, match="duplicate"):

        class Kinds(forms.TextChoices):
            A = "a", "A"
            B = "a", "Also A"


# Class attributes -------------------------------------------------------------


def test_class_lists_choices_labels_values_and_names():
    assert TokenChoices.choices == [
        ("private_token", "Private API token"),
        ("oauth_token", "OAuth token"),
    ]
    assert TokenChoices.labels == ["Private API token", "OAuth token"]
    assert TokenChoices.values == ["private_token", "oauth_token"]
    assert TokenChoices.names == ["PRIVATE_TOKEN", "OAUTH_TOKEN"]


def test_empty_choice_comes_first():
    class Kinds(forms.TextChoices):
        A = "a", "Ay"
        __empty__ = "(Unknown)"

    assert Kinds.choices == [(None, "(Unknown)"), ("a", "Ay")]
    assert Kinds.names == ["__empty__", "A"]
    assert list(Kinds) == [Kinds.A]


def test_in_accepts_members_and_plain_values():
    assert "private_token" in TokenChoices
    assert TokenChoices.OAUTH_TOKEN in TokenChoices
    assert "nope" not in TokenChoices
    assert Priority.LOW not in TokenChoices


# IntegerChoices ---------------------------------------------------------------


def test_integer_choices_are_ints_with_labels():
    assert Priority.LOW == 1
    assert Priority.NORMAL + 1 == 3
    assert Priority(3) is Priority.URGENT_NOW
    assert str(Priority.NORMAL) == "2"
    assert Priority.LOW.label == "Low priority"
    assert Priority.URGENT_NOW.label == "Urgent Now"
    assert Priority.choices == [(1, "Low priority"), (2, "Normal"), (3, "Urgent Now")]
    assert Priority.values == [1, 2, 3]


def test_integer_choices_in_a_choice_field_clean_to_ints():
    class PriorityForm(forms.Form):
        priority = forms.ChoiceField(choices=Priority.choices)

    form = PriorityForm(data={"priority": "2"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["priority"] == Priority.NORMAL
    assert type(form.cleaned_data["priority"]) is int


# In forms ---------------------------------------------------------------------


def test_choice_field_accepts_a_value_of_the_choices():
    form = TokenForm(data={"token_type": "private_token"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["token_type"] == TokenChoices.PRIVATE_TOKEN


def test_choice_field_rejects_a_value_outside_the_choices():
    form = TokenForm(data={"token_type": "nope"})

    assert not form.is_valid()
    assert "token_type" in form.errors
    assert "nope" in form.errors["token_type"][0]


def test_choice_field_shows_the_labels():
    field = TokenForm().fields["token_type"]

    assert field.choices == TokenChoices.choices
    assert field.initial == "private_token"


class GitLabForm(IntegrationConfigForm):
    token_type = forms.ChoiceField(
        choices=TokenChoices.choices, initial=TokenChoices.PRIVATE_TOKEN
    )


class GitLabIntegration(Integration):
    name = "GitLab CI"
    config_form_cls = GitLabForm

    def initialize(self):
        pass


def test_saved_choice_reads_back_equal_to_the_member(manager):
    gitlab = manager.register_integration_class(GitLabIntegration)
    form = GitLabForm(
        gitlab, data={"name": "CI", "enabled": True, "token_type": "oauth_token"}
    )
    assert form.is_valid(), form.errors
    form.save()

    (config,) = gitlab.get_configs()
    token_type = config.get("token_type")

    assert token_type == TokenChoices.OAUTH_TOKEN
    assert token_type != TokenChoices.PRIVATE_TOKEN
    assert TokenChoices(token_type).label == "OAuth token"
