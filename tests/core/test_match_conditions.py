"""config.match_conditions(): djblets' behaviour on editable configurations
and on the snapshots get_configs() returns; rules that cannot be checked
count as no match, are recorded in activity, and never raise."""

from __future__ import annotations

import pytest

from desktop_app import forms, signals
from desktop_app.conditions import ConditionChoices
from desktop_app.conditions.choices import (
    BaseConditionChoice,
    BaseConditionStringChoice,
)
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration
from desktop_app.testing import ActivityRecorder

build_finished = signals.define_signal(
    "tests.match.build_finished",
    description="A build finished.",
    payload={
        "branch": forms.CharField(label="Branch"),
        "minutes": forms.IntegerField(label="Minutes"),
    },
)


class BuildForm(IntegrationConfigForm):
    conditions = forms.ConditionsField(signal=build_finished)


class RepositoryChoice(BaseConditionStringChoice):
    choice_id = "repository"
    name = "Repository"
    value_kwarg = "repository"

    def get_match_value(self, value, value_state_cache=None, **kwargs):
        return value["name"]  # djblets choices often read an object


class RepositoryChoices(ConditionChoices):
    choice_classes = [RepositoryChoice]


class RepositoryForm(IntegrationConfigForm):
    conditions = forms.ConditionsField(RepositoryChoices)


class Builds(Integration):
    name = "Builds"
    config_form_cls = BuildForm

    def initialize(self):
        pass


def _config(manager, conditions, **kwargs):
    integration = manager.register_integration_class(Builds)
    return integration.create_config(
        name="ci",
        enabled=True,
        settings={"conditions": conditions},
        save=True,
        **kwargs,
    )


def _all(*rules):
    return {
        "mode": "all",
        "conditions": [
            dict(zip(("choice", "op", "value"), r, strict=False)) for r in rules
        ],
    }


def test_matches_on_config_and_on_snapshot(manager):
    config = _config(
        manager, _all(("branch", "is", "main"), ("minutes", "less-than", 10))
    )
    (snapshot,) = config.integration.get_configs()
    for target in (config, snapshot):
        assert target.match_conditions(BuildForm, branch="main", minutes=3)
        assert not target.match_conditions(BuildForm, branch="dev", minutes=3)
        assert not target.match_conditions(BuildForm, branch="main", minutes=30)


def test_conditions_saved_through_the_form_match(manager):
    integration = manager.register_integration_class(Builds)
    form = BuildForm(
        integration,
        data={
            "name": "main only",
            "enabled": True,
            "conditions": _all(("branch", "starts-with", "rel")),
        },
    )
    assert form.is_valid(), form.errors
    config = form.save()
    assert config.settings["conditions"] == _all(("branch", "starts-with", "rel"))
    assert config.match_conditions(BuildForm, branch="release-1", minutes=1)
    assert not config.match_conditions(BuildForm, branch="main", minutes=1)


def test_always_and_no_stored_conditions_match_everything(manager):
    integration = manager.register_integration_class(Builds)
    always = integration.create_config(
        name="a", settings={"conditions": {"mode": "always", "conditions": []}}
    )
    older = integration.create_config(name="b", settings={})
    assert always.match_conditions(BuildForm, branch="x")
    assert older.match_conditions(BuildForm)


def test_another_conditions_key(manager):
    class TwoSets(IntegrationConfigForm):
        conditions = forms.ConditionsField(signal=build_finished)
        quiet_when = forms.ConditionsField(signal=build_finished)

    integration = manager.register_integration_class(Builds)
    config = integration.create_config(
        name="x", settings={"quiet_when": _all(("minutes", "greater-than", 60))}
    )
    assert config.match_conditions(TwoSets, "quiet_when", minutes=61)
    assert not config.match_conditions(TwoSets, conditions_key="quiet_when", minutes=5)


def test_choices_reading_objects_like_djblets(manager):
    integration = manager.register_integration_class(Builds)
    config = integration.create_config(
        name="x", settings={"conditions": _all(("repository", "is", "core"))}
    )
    assert config.match_conditions(RepositoryForm, repository={"name": "core"})
    assert not config.match_conditions(RepositoryForm, repository={"name": "web"})


@pytest.mark.parametrize(
    ("stored", "reason"),
    [
        (_all(("branch", "matches-regex", "(")), "not a valid regular expression"),
        (_all(("author", "is", "me")), 'no condition choice "author"'),
        (_all(("minutes", "contains", 3)), 'No operator "contains"'),
        ({"mode": "sometimes", "conditions": []}, '"sometimes" is not a valid'),
        ({"mode": "all", "conditions": "branch is main"}, "not a list of rules"),
        ("branch is main", "not valid JSON"),
        (["branch"], "not a mode and a list of rules"),
        (_all(("minutes", "is", "many")), "Enter a whole number"),
        (
            {"mode": "all", "conditions": [["branch", "is", "main"]]},
            "must be a mapping",
        ),
    ],
)
def test_bad_stored_rules_do_not_match_and_are_recorded(manager, stored, reason):
    config = _config(manager, stored)
    (snapshot,) = config.integration.get_configs()
    recorder = ActivityRecorder()

    assert snapshot.match_conditions(BuildForm, branch="main", minutes=3) is False

    (record,) = recorder.failures
    assert reason in record.error
    assert record.config_id == config.id
    assert record.integration_id == config.integration_id
    assert record.error.startswith('Conditions of "ci" counted as not matching')


def test_a_missing_payload_field_is_no_match_and_recorded(manager):
    config = _config(manager, _all(("minutes", "greater-than", 1)))
    recorder = ActivityRecorder()
    assert not config.match_conditions(BuildForm, branch="main", signal=build_finished)
    (record,) = recorder.failures
    assert 'the event has no "minutes" field' in record.error
    assert record.signal == "tests.match.build_finished"


def test_one_bad_rule_in_any_mode_leaves_the_others_working(manager):
    stored = {
        "mode": "any",
        "conditions": [
            {"choice": "branch", "op": "matches-regex", "value": "(("},
            {"choice": "branch", "op": "is", "value": "main"},
        ],
    }
    config = _config(manager, stored)
    recorder = ActivityRecorder()
    assert config.match_conditions(BuildForm, branch="main", minutes=1)
    assert not config.match_conditions(BuildForm, branch="dev", minutes=1)
    assert len(recorder.failures) == 2


def test_a_choice_that_raises_is_no_match(manager):
    class Broken(BaseConditionChoice):
        choice_id = "broken"
        operators = RepositoryChoice.operators
        default_value_field = RepositoryChoice.default_value_field

        def get_match_value(self, value, value_state_cache=None, **kwargs):
            raise RuntimeError("plugin bug")

    class BrokenForm(IntegrationConfigForm):
        conditions = forms.ConditionsField(ConditionChoices([Broken]))

    integration = manager.register_integration_class(Builds)
    config = integration.create_config(
        name="x", settings={"conditions": _all(("broken", "is", "a"))}
    )
    recorder = ActivityRecorder()
    assert config.match_conditions(BrokenForm, value="a") is False
    assert "RuntimeError: plugin bug" in recorder.failures[0].error


def test_a_form_without_the_conditions_field_is_no_match(manager):
    config = _config(manager, _all(("branch", "is", "main")))
    recorder = ActivityRecorder()
    assert not config.match_conditions(IntegrationConfigForm, branch="main")
    assert 'has no conditions field "conditions"' in recorder.failures[0].error
