"""Conditions posted as djblets' ``ConditionsWidget`` posts them.

Review Board's integration tests build form data the way the page does:
``conditions_mode``, ``conditions_last_id`` and, per row ``i``,
``conditions_choice[i]``, ``conditions_operator[i]`` and
``conditions_value[i]``. A ``ConditionsField`` reads that when its own key is
absent, and never loses a rule without saying so.
"""

from __future__ import annotations

import pytest

from desktop_app import forms
from desktop_app.conditions import ConditionChoices
from desktop_app.conditions.choices import (
    BaseConditionBooleanChoice,
    BaseConditionIntegerChoice,
    BaseConditionStringChoice,
)
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration


class BranchChoice(BaseConditionStringChoice):
    choice_id = "branch"
    name = "Branch"
    value_kwarg = "branch"


class AttemptsChoice(BaseConditionIntegerChoice):
    choice_id = "attempts"
    name = "Attempts"
    value_kwarg = "attempts"


class UrgentChoice(BaseConditionBooleanChoice):
    choice_id = "urgent"
    name = "Urgent"
    value_kwarg = "urgent"


class BuildChoices(ConditionChoices):
    choice_classes = [BranchChoice, AttemptsChoice, UrgentChoice]


class BuildForm(IntegrationConfigForm):
    conditions = forms.ConditionsField(BuildChoices)
    ref = forms.CharField()


class BuildIntegration(Integration):
    name = "Builds"
    config_form_cls = BuildForm

    def initialize(self):
        pass


@pytest.fixture
def builds(manager):
    return manager.register_integration_class(BuildIntegration)


#: What GitLab CI's form tests post, with this form's own field.
GITLAB_STYLE = {
    "conditions_last_id": 0,
    "conditions_mode": "always",
    "name": "test",
    "ref": "main",
}


def posted(mode, rows, last_id, **extra):
    """Form data for ``rows``: row number → (choice, operator, value)."""
    data = {
        "name": "Posted",
        "enabled": True,
        "ref": "main",
        "conditions_mode": mode,
        "conditions_last_id": str(last_id),
    }
    for row, (choice, op, value) in rows.items():
        data[f"conditions_choice[{row}]"] = choice
        data[f"conditions_operator[{row}]"] = op
        data[f"conditions_value[{row}]"] = value
    data.update(extra)
    return data


def stored_conditions(manager, config):
    return manager.get_config(config.id).settings["conditions"]


def test_gitlab_style_data_saves_always(builds, manager):
    form = BuildForm(builds, None, GITLAB_STYLE)
    assert form.errors == {}
    config = form.save()
    assert stored_conditions(manager, config) == {"mode": "always", "conditions": []}


def test_rules_with_a_hole_are_saved_in_row_order(builds, manager):
    # Row 1 was deleted in the page: rows 0 and 2 remain, last_id is 2.
    data = posted(
        "all",
        {2: ("attempts", "less-than", "3"), 0: ("branch", "is", "main")},
        last_id=2,
    )
    form = BuildForm(builds, None, data)
    assert form.errors == {}
    config = form.save()
    assert stored_conditions(manager, config) == {
        "mode": "all",
        "conditions": [
            {"choice": "branch", "op": "is", "value": "main"},
            {"choice": "attempts", "op": "less-than", "value": 3},
        ],
    }
    saved = manager.get_config(config.id)
    assert saved.match_conditions(BuildForm, branch="main", attempts=2)
    assert not saved.match_conditions(BuildForm, branch="main", attempts=5)


def test_mode_any_and_values_take_their_choices_types(builds, manager):
    data = posted(
        "any",
        {0: ("urgent", "is", "False"), 1: ("attempts", "is", "7")},
        last_id=1,
    )
    config = BuildForm(builds, None, data).save()
    assert stored_conditions(manager, config) == {
        "mode": "any",
        "conditions": [
            {"choice": "urgent", "op": "is", "value": False},
            {"choice": "attempts", "op": "is", "value": 7},
        ],
    }


def test_an_unknown_choice_is_the_fields_error_and_nothing_is_saved(builds, manager):
    data = posted(
        "all",
        {0: ("branch", "is", "main"), 1: ("tag", "is", "v1")},
        last_id=1,
    )
    form = BuildForm(builds, None, data)
    assert not form.is_valid()
    assert list(form.errors) == ["conditions"]
    assert form.errors["conditions"][0].startswith(
        'Condition 2: There is no condition choice "tag"'
    )
    with pytest.raises(ValueError):
        form.save()
    assert manager.get_integration_configs(BuildIntegration) == []


def test_an_unknown_operator_is_the_fields_error(builds):
    form = BuildForm(builds, None, posted("all", {0: ("branch", "is-about", "x")}, 0))
    assert not form.is_valid()
    assert form.errors["conditions"][0].startswith("Condition 1: ")
    assert "is-about" in form.errors["conditions"][0]


def test_a_value_that_does_not_suit_its_choice_is_the_fields_error(builds):
    form = BuildForm(builds, None, posted("all", {0: ("attempts", "is", "many")}, 0))
    assert form.errors["conditions"][0].startswith("Condition 1: Enter a whole number")


def test_a_row_without_an_operator_is_an_error_not_a_lost_rule(builds):
    data = posted("all", {}, last_id=0, **{"conditions_choice[0]": "branch"})
    form = BuildForm(builds, None, data)
    assert form.errors["conditions"] == ["Condition 1: An operator is required."]


@pytest.mark.parametrize(
    ("last_id", "message"),
    [
        (0, 'Condition rows 1 are past "conditions_last_id" (0)'),
        ("", 'Condition rows 0, 1 were given without a row count: set "conditions_'),
    ],
)
def test_rows_outside_last_id_are_an_error_not_dropped(builds, last_id, message):
    rows = {0: ("branch", "is", "main"), 1: ("branch", "is", "dev")}
    form = BuildForm(builds, None, posted("all", rows, last_id=last_id))
    assert not form.is_valid()
    assert form.errors["conditions"][0].startswith(message)


def test_a_missing_mode_is_the_fields_error(builds):
    data = posted("all", {0: ("branch", "is", "main")}, last_id=0)
    del data["conditions_mode"]
    form = BuildForm(builds, None, data)
    assert form.errors["conditions"] == [
        '"None" is not a valid condition mode (use always, all or any).'
    ]


def test_the_fields_own_key_wins_over_the_posted_rows(builds, manager):
    serialized = {
        "mode": "all",
        "conditions": [{"choice": "branch", "op": "is", "value": "stable"}],
    }
    data = posted(
        "any", {0: ("branch", "is", "main")}, last_id=0, conditions=serialized
    )
    config = BuildForm(builds, None, data).save()
    assert stored_conditions(manager, config) == serialized


def test_without_any_conditions_keys_the_field_means_always(builds, manager):
    config = BuildForm(builds, None, {"name": "Plain", "ref": "main"}).save()
    assert stored_conditions(manager, config) == {"mode": "always", "conditions": []}


def test_posted_rows_are_read_under_the_forms_prefix():
    class Prefixed(forms.Form):
        prefix = "ci"
        conditions = forms.ConditionsField(BuildChoices)

    form = Prefixed(
        {
            "ci-conditions_mode": "all",
            "ci-conditions_last_id": "0",
            "ci-conditions_choice[0]": "attempts",
            "ci-conditions_operator[0]": "greater-than",
            "ci-conditions_value[0]": "1",
        }
    )
    assert form.cleaned_data["conditions"] == {
        "mode": "all",
        "conditions": [{"choice": "attempts", "op": "greater-than", "value": 1}],
    }


def test_changed_data_and_visible_when_see_the_posted_rules(builds):
    class Shown(forms.Form):
        conditions = forms.ConditionsField(BuildChoices)
        reason = forms.CharField(
            visible_when=lambda values: values["conditions"]["mode"] != "always"
        )

    data = posted("all", {0: ("branch", "is", "main")}, last_id=0)
    form = Shown(data)
    assert form.changed_data == ["conditions"]
    assert form.field_states()["reason"].visible
    assert form.errors == {"reason": ["This field is required."]}
    assert (
        not Shown(dict(data, conditions_mode="always")).field_states()["reason"].visible
    )


def test_a_field_may_read_its_value_from_several_keys():
    class RangeField(forms.Field):
        def value_from_datadict(self, data, files, name):
            return (data.get(f"{name}_low"), data.get(f"{name}_high"))

    class RangeForm(forms.Form):
        span = RangeField()
        label = forms.CharField()

    form = RangeForm({"span_low": 1, "span_high": 5, "label": "x"})
    assert form.cleaned_data == {"span": (1, 5), "label": "x"}
