"""Calls that Review Board's integrations (rbintegrations) make unchanged,
found by porting Slack, Mattermost, CircleCI, Travis CI, Jenkins CI and
I Done This: each failed here before, and each test repeats the call the
way they write it."""

from __future__ import annotations

import pytest

from desktop_app import forms
from desktop_app.conditions import ConditionSet
from desktop_app.conditions.choices import BaseConditionStringChoice, ConditionChoices
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration


class Builds(Integration):
    integration_id = "tests.rb_shapes.Builds"
    name = "Builds"

    def initialize(self):
        pass


class BranchChoice(BaseConditionStringChoice):
    choice_id = "branch"
    name = "Branch"
    value_kwarg = "review_request"

    def get_match_value(self, review_request, **kwargs):
        return review_request["branch"]


class RepositoryChoice(BaseConditionStringChoice):
    choice_id = "repository"
    name = "Repository"
    value_kwarg = "review_request"

    def get_match_value(self, review_request, **kwargs):
        return review_request["repository"]


class AllChoices(ConditionChoices):
    choice_classes = [BranchChoice, RepositoryChoice]


class BranchOnlyChoices(ConditionChoices):
    """Computes its choices from another set, as Travis CI's
    ``GitHubOnlyConditionChoices.get_defaults()`` does."""

    def get_defaults(self):
        for choice in AllChoices():
            if choice is not RepositoryChoice:
                yield choice


def test_get_configs_takes_review_boards_local_site_argument(manager):
    # Slack's notify(): ``integration.get_configs(local_site)`` with the
    # review request's Local Site, None outside Review Board's multi-site setup.
    builds = manager.register_integration_class(Builds)
    builds.create_config(name="a", enabled=True, save=True)
    builds.create_config(
        name="b", enabled=True, settings={"local_site": "team"}, save=True
    )
    builds.create_config(name="off", enabled=False, save=True)

    assert [c.name for c in builds.get_configs(None)] == ["a", "b"]
    assert [c.name for c in builds.get_configs(local_site=None)] == ["a"]
    assert [c.name for c in builds.get_configs("team")] == ["b"]
    assert [c.name for c in builds.get_configs(None, name="b")] == ["b"]


def test_create_config_takes_review_boards_local_site(manager):
    # rbintegrations' tests: ``create_config(name=..., enabled=True,
    # local_site=local_site)``, None outside a multi-site setup.
    builds = manager.register_integration_class(Builds)
    plain = builds.create_config(name="a", enabled=True, local_site=None, save=True)
    team = builds.create_config(name="b", enabled=True, local_site="team", save=True)

    assert plain.local_site is None and "local_site" not in plain.settings
    assert team.local_site == "team"
    assert [c.name for c in builds.get_configs("team")] == ["b"]
    assert [c.local_site for c in builds.get_configs()] == [None, "team"]
    assert manager.get_config(team.id).local_site == "team"  # stored


def test_configs_and_snapshots_have_djblets_pk(manager):
    # The CI integrations store ``config.pk`` in their build records.
    builds = manager.register_integration_class(Builds)
    config = builds.create_config(name="a", enabled=True, save=True)
    [snapshot] = builds.get_configs()

    assert config.pk == config.id == snapshot.pk
    assert builds.create_config(name="unsaved").pk is None


def test_condition_choices_subclass_computes_its_defaults():
    choices = BranchOnlyChoices()

    assert [c.choice_id for c in choices] == ["branch"]
    assert [c.choice_id for c in AllChoices()] == ["branch", "repository"]
    # Passing choices still wins over the defaults, as in djblets.
    assert [c.choice_id for c in BranchOnlyChoices([RepositoryChoice])] == [
        "repository"
    ]


def test_conditions_field_takes_a_function_returning_choices(manager):
    # Travis CI: ConditionsField(choices=lambda: GitHubOnlyConditionChoices()).
    calls = []

    def make_choices():
        calls.append(1)
        return BranchOnlyChoices()

    class TravisLikeForm(IntegrationConfigForm):
        conditions = forms.ConditionsField(choices=make_choices, label="Conditions")

    builds = manager.register_integration_class(Builds)
    rule = {
        "mode": "all",
        "conditions": [{"choice": "branch", "op": "is", "value": "main"}],
    }
    form = TravisLikeForm(
        builds, request=None, data={"name": "CI", "enabled": True, "conditions": rule}
    )
    assert form.is_valid(), form.errors
    config = form.save()

    assert calls == [1]  # called once, when the field was made
    assert config.match_conditions(TravisLikeForm, review_request={"branch": "main"})
    assert not config.match_conditions(TravisLikeForm, review_request={"branch": "dev"})
    # The repository choice was filtered out by get_defaults().
    bad = TravisLikeForm(
        builds,
        data={
            "name": "CI",
            "conditions": {
                "mode": "all",
                "conditions": [{"choice": "repository", "op": "is", "value": "core"}],
            },
        },
    )
    assert not bad.is_valid()
    assert 'no condition choice "repository"' in bad.errors["conditions"][0]
    assert ConditionSet.deserialize(BranchOnlyChoices(), rule).matches(
        review_request={"branch": "main"}
    )


def test_conditions_field_says_what_a_wrong_choices_function_gave():
    with pytest.raises(TypeError, match="must give a ConditionChoices, not list"):
        forms.ConditionsField(choices=lambda: [BranchChoice])


def test_extension_metadata_names_and_describes_it():
    # rbintegrations' extension sets only djblets' metadata dict.
    from desktop_app.extension import Extension

    class Integrations(Extension):
        metadata = {
            "Name": "Review Board Integrations",
            "Summary": "A set of third-party service integrations.",
        }

    class Named(Integrations):
        name = "Own name"

    assert Integrations().display_name == "Review Board Integrations"
    assert Integrations.description == "A set of third-party service integrations."
    assert Named().display_name == "Own name"


class JenkinsLikeForm(IntegrationConfigForm):
    """Reads Review Board's ``local_site`` field in ``__init__``, as Jenkins
    CI's form does to make its API token."""

    jenkins_user_token = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        local_site = self.fields["local_site"].initial
        self.initial["jenkins_user_token"] = f"token-for-{local_site}"


def test_config_form_has_review_boards_local_site_field(manager):
    builds = manager.register_integration_class(Builds)
    form = JenkinsLikeForm(builds, data={"name": "CI", "enabled": True})

    assert form.initial["jenkins_user_token"] == "token-for-None"
    assert form.is_valid(), form.errors
    config = form.save()
    # Empty, it is not stored: the desktop has no Local Sites.
    assert "local_site" not in manager.get_config(config.id).settings
    assert "local_site" not in JenkinsLikeForm(builds).initial
    # Where Review Board has it, hidden: the dialog shows no row for it.
    assert "local_site" in JenkinsLikeForm.fieldsets[0].fields
    assert isinstance(form.fields["local_site"].widget, forms.HiddenInput)

    team = JenkinsLikeForm(builds, data={"name": "Team", "local_site": "team"}).save()
    assert manager.get_config(team.id).local_site == "team"
    assert JenkinsLikeForm(builds, instance=team).initial["local_site"] == "team"


class TeamForm(IntegrationConfigForm):
    team_id = forms.CharField()

    def clean_team_id(self):
        # I Done This keeps the part after the last slash.
        return self.cleaned_data["team_id"].rsplit("/", 1)[-1]


def test_cleaned_data_can_be_set_before_calling_a_clean_hook(manager):
    # I Done This's tests: ``form.cleaned_data = {...}; form.clean_team_id()``.
    builds = manager.register_integration_class(Builds)
    form = TeamForm(builds)
    form.cleaned_data = {"team_id": "t/team123"}

    assert form.clean_team_id() == "team123"
    assert form.cleaned_data == {"team_id": "t/team123"}  # not validated over
