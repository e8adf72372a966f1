"""desktop_app.conditions: every operator and mode, the stored form djblets
uses, round trips, and clear errors for bad rules."""

from __future__ import annotations

import re

import pytest

from desktop_app import forms, signals
from desktop_app.conditions import (
    Condition,
    ConditionChoiceConflictError,
    ConditionChoiceNotFoundError,
    ConditionChoices,
    ConditionOperatorNotFoundError,
    ConditionSet,
    ConditionValidationError,
    InvalidConditionModeError,
    InvalidConditionValueError,
    SignalConditionChoices,
)
from desktop_app.conditions.choices import (
    BaseConditionBooleanChoice,
    BaseConditionChoice,
    BaseConditionIntegerChoice,
    BaseConditionStringChoice,
    ConditionChoiceMatchListItemsMixin,
)
from desktop_app.conditions.operators import (
    AnyOperator,
    ConditionOperators,
    IsNotOneOfOperator,
    IsOneOfOperator,
    UnsetOperator,
)
from desktop_app.conditions.values import ConditionValueMultipleChoiceField


class RepositoryChoice(BaseConditionStringChoice):
    choice_id = "repository"
    name = "Repository"


class CountChoice(BaseConditionIntegerChoice):
    choice_id = "count"
    name = "Count"
    value_kwarg = "count"


class UrgentChoice(BaseConditionBooleanChoice):
    choice_id = "urgent"
    name = "Urgent"
    value_kwarg = "urgent"


class BranchChoice(BaseConditionChoice):
    choice_id = "branch"
    name = "Branch"
    value_kwarg = "branch"
    default_value_field = ConditionValueMultipleChoiceField(
        [("main", "Main"), ("dev", "Dev")]
    )
    operators = ConditionOperators(
        [IsOneOfOperator, IsNotOneOfOperator, AnyOperator, UnsetOperator]
    )


class FilesChoice(ConditionChoiceMatchListItemsMixin, BaseConditionStringChoice):
    choice_id = "files"
    name = "Files"
    value_kwarg = "files"


class ReviewChoices(ConditionChoices):
    choice_classes = [RepositoryChoice, CountChoice, UrgentChoice, BranchChoice]


def rule_set(mode, *rules):
    return ConditionSet.deserialize(
        ReviewChoices(),
        {
            "mode": mode,
            "conditions": [
                dict(zip(("choice", "op", "value"), rule, strict=False))
                for rule in rules
            ],
        },
    )


def test_serialize_is_exactly_the_djblets_form():
    conditions = rule_set("all", ("repository", "is", "core"))
    assert conditions.serialize() == {
        "mode": "all",
        "conditions": [{"choice": "repository", "op": "is", "value": "core"}],
    }


@pytest.mark.parametrize(
    ("op", "value", "event", "expected"),
    [
        ("is", "core", "core", True),
        ("is", "core", "Core", False),
        ("is-not", "core", "web", True),
        ("is-not", "core", "core", False),
        ("contains", "or", "core", True),
        ("contains", "x", "core", False),
        ("does-not-contain", "x", "core", True),
        ("does-not-contain", "or", "core", False),
        ("starts-with", "co", "core", True),
        ("starts-with", "re", "core", False),
        ("ends-with", "re", "core", True),
        ("ends-with", "co", "core", False),
        ("matches-regex", r"^c.r", "core", True),
        ("matches-regex", r"\d", "core", False),
        ("matches-regex", "or", "core", True),  # a search, not a full match
        ("does-not-match-regex", r"\d", "core", True),
        ("does-not-match-regex", "^c", "core", False),
    ],
)
def test_text_operators(op, value, event, expected):
    assert rule_set("all", ("repository", op, value)).matches(value=event) is expected


@pytest.mark.parametrize(
    ("op", "value", "event", "expected"),
    [
        ("is", 3, 3, True),
        ("is", 3, 4, False),
        ("is-not", 3, 4, True),
        ("greater-than", 3, 4, True),
        ("greater-than", 3, 3, False),
        ("less-than", 3, 2, True),
        ("less-than", 3, 3, False),
    ],
)
def test_number_operators(op, value, event, expected):
    assert rule_set("all", ("count", op, value)).matches(count=event) is expected


@pytest.mark.parametrize(
    ("op", "value", "event", "expected"),
    [
        ("one-of", ["main", "dev"], "dev", True),
        ("one-of", ["main"], "dev", False),
        ("not-one-of", ["main"], "dev", True),
        ("not-one-of", ["main", "dev"], "dev", False),
        ("any", None, "dev", True),
        ("any", None, "", False),
        ("any", None, None, False),
        ("none", None, None, True),
        ("none", None, [], True),
        ("none", None, "dev", False),
    ],
)
def test_choice_and_presence_operators(op, value, event, expected):
    rule = ("branch", op, value) if value is not None else ("branch", op)
    assert rule_set("all", rule).matches(branch=event) is expected


def test_any_counts_zero_and_false_as_values():
    assert rule_set("all", ("branch", "any")).matches(branch=0) is True
    assert rule_set("all", ("branch", "none")).matches(branch=False) is False


def test_boolean_choice_is():
    assert rule_set("all", ("urgent", "is", True)).matches(urgent=True)
    assert not rule_set("all", ("urgent", "is", True)).matches(urgent=False)


def test_modes_all_any_always():
    rules = (("repository", "is", "core"), ("count", "greater-than", 2))
    assert rule_set("all", *rules).matches(value="core", count=3)
    assert not rule_set("all", *rules).matches(value="core", count=1)
    assert rule_set("any", *rules).matches(value="core", count=1)
    assert not rule_set("any", *rules).matches(value="web", count=1)
    assert rule_set("always", *rules).matches()
    assert rule_set("always").matches(value="anything")


def test_all_without_rules_matches_nothing_any_without_rules_too():
    # As djblets: "all" of no rules is not a match; "always" is the mode
    # that matches everything.
    assert not ConditionSet("all", []).matches(value="x")
    assert not ConditionSet("any", []).matches(value="x")


def test_a_rule_whose_keyword_is_not_given_does_not_hold():
    assert not rule_set("all", ("count", "is", 3)).matches(value="core")
    assert rule_set("any", ("count", "is", 3), ("repository", "is", "core")).matches(
        value="core"
    )


def test_list_items_mixin_matches_any_item():
    choices = ConditionChoices([FilesChoice])
    data = {
        "mode": "all",
        "conditions": [{"choice": "files", "op": "ends-with", "value": ".py"}],
    }
    conditions = ConditionSet.deserialize(choices, data)
    assert conditions.matches(files=["a.txt", "b.py"])
    assert not conditions.matches(files=["a.txt"])
    assert not conditions.matches(files=[])


def test_values_are_cleaned_and_regex_stored_as_text():
    conditions = rule_set(
        "all", ("count", "is", "7"), ("repository", "matches-regex", "a+")
    )
    assert isinstance(conditions.conditions[1].value, re.Pattern)
    assert conditions.serialize()["conditions"] == [
        {"choice": "count", "op": "is", "value": 7},
        {"choice": "repository", "op": "matches-regex", "value": "a+"},
    ]


def test_round_trip_of_a_built_set():
    choice = RepositoryChoice()
    built = ConditionSet(
        ConditionSet.MODE_ANY,
        [Condition(choice, choice.get_operator("starts-with"), "co")],
    )
    again = ConditionSet.deserialize(ReviewChoices(), built.serialize())
    assert again.serialize() == built.serialize()
    assert again.matches(value="core")


@pytest.mark.parametrize(
    ("data", "error", "index"),
    [
        ({"mode": "most", "conditions": []}, InvalidConditionModeError, None),
        ({"conditions": []}, InvalidConditionModeError, None),
        (
            {"mode": "all", "conditions": [{"op": "is"}]},
            ConditionChoiceNotFoundError,
            0,
        ),
        (
            {"mode": "all", "conditions": [{"choice": "gone", "op": "is"}]},
            ConditionChoiceNotFoundError,
            0,
        ),
        (
            {"mode": "all", "conditions": [{"choice": "count", "value": 1}]},
            ConditionOperatorNotFoundError,
            0,
        ),
        (
            {
                "mode": "all",
                "conditions": [
                    {"choice": "count", "op": "is", "value": 1},
                    {"choice": "count", "op": "contains", "value": 1},
                ],
            },
            ConditionOperatorNotFoundError,
            1,
        ),
        (
            {"mode": "all", "conditions": [{"choice": "count", "op": "is"}]},
            InvalidConditionValueError,
            0,
        ),
        (
            {
                "mode": "all",
                "conditions": [{"choice": "count", "op": "is", "value": "x"}],
            },
            InvalidConditionValueError,
            0,
        ),
        (
            {
                "mode": "all",
                "conditions": [
                    {"choice": "repository", "op": "matches-regex", "value": "("}
                ],
            },
            InvalidConditionValueError,
            0,
        ),
    ],
)
def test_bad_stored_sets_raise_the_djblets_errors(data, error, index):
    with pytest.raises(error) as caught:
        ConditionSet.deserialize(ReviewChoices(), data)
    assert getattr(caught.value, "condition_index", None) == index
    assert str(caught.value)


def test_registry_conflicts_and_lookups():
    choices = ReviewChoices()
    with pytest.raises(ConditionChoiceConflictError):
        choices.register(RepositoryChoice)
    assert choices.get_choice("count").name == "Count"
    assert [c.choice_id for c in choices.get_choices()] == [
        "repository",
        "count",
        "urgent",
        "branch",
    ]
    choices.unregister(CountChoice)
    with pytest.raises(ConditionChoiceNotFoundError, match='"count"'):
        choices.get_choice("count")
    assert [op.operator_id for op in RepositoryChoice().get_operators()][:2] == [
        "is",
        "is-not",
    ]


def test_choice_kwargs_reach_the_choice():
    seen = {}

    class Scoped(BaseConditionStringChoice):
        choice_id = "scoped"

        def get_match_value(self, value, value_state_cache=None, **kwargs):
            seen.update(self.extra_state)
            return value

    data = {
        "mode": "all",
        "conditions": [{"choice": "scoped", "op": "is", "value": "a"}],
    }
    conditions = ConditionSet.deserialize(
        ConditionChoices([Scoped]), data, choice_kwargs={"site": "local"}
    )
    assert conditions.matches(value="a")
    assert seen == {"site": "local"}


# --- choices from a signal's payload -------------------------------------


@pytest.fixture
def deploy_signal():
    signal = signals.define_signal(
        "tests.conditions.deployed",
        description="A deploy finished.",
        payload={
            "service": forms.CharField(label="Service"),
            "duration": forms.FloatField(label="Duration"),
            "attempts": forms.IntegerField(label="Attempts"),
            "ok": forms.BooleanField(label="Succeeded"),
            "stage": forms.ChoiceField(
                label="Stage", choices=[("prod", "Production"), ("test", "Test")]
            ),
            "tags": forms.MultipleChoiceField(
                choices=[("a", "A"), ("b", "B")], required=False
            ),
        },
    )
    yield signal
    signals.unregister_signal("tests.conditions.deployed")


def test_signal_payload_gives_one_choice_per_field_with_fitting_operators(
    deploy_signal,
):
    choices = SignalConditionChoices([deploy_signal])
    ops = {
        choice.choice_id: [op.operator_id for op in choice.get_operators()]
        for choice in choices.get_choices()
    }
    assert list(ops) == ["service", "duration", "attempts", "ok", "stage", "tags"]
    assert "matches-regex" in ops["service"] and "greater-than" not in ops["service"]
    assert (
        ops["duration"]
        == ops["attempts"]
        == [
            "is",
            "is-not",
            "greater-than",
            "less-than",
            "any",
            "none",
        ]
    )
    assert ops["ok"] == ["is"]
    assert ops["stage"] == ["is", "is-not", "one-of", "not-one-of", "any", "none"]
    assert ops["tags"] == ["contains", "does-not-contain", "any", "none"]
    assert choices.get_choice("service").name == "Service"


def test_signal_choices_match_the_payload_as_sent(deploy_signal):
    data = {
        "mode": "all",
        "conditions": [
            {"choice": "stage", "op": "one-of", "value": ["prod"]},
            {"choice": "duration", "op": "greater-than", "value": "1.5"},
            {"choice": "tags", "op": "contains", "value": "b"},
            {"choice": "service", "op": "contains", "value": "api"},
        ],
    }
    conditions = ConditionSet.deserialize(SignalConditionChoices([deploy_signal]), data)
    payload = {"service": "api-gw", "duration": 2.0, "stage": "prod", "tags": ["b"]}
    assert conditions.matches(**payload)
    assert not conditions.matches(**{**payload, "stage": "test"})
    assert not conditions.matches(**{**payload, "service": None})  # text: empty


def test_stage_value_must_be_one_of_the_choices(deploy_signal):
    data = {
        "mode": "all",
        "conditions": [{"choice": "stage", "op": "is", "value": "x"}],
    }
    with pytest.raises(InvalidConditionValueError, match="valid choice"):
        ConditionSet.deserialize(SignalConditionChoices([deploy_signal]), data)


def test_event_choice_matches_the_signal_name(deploy_signal):
    choices = SignalConditionChoices(include_event=True)
    data = {
        "mode": "all",
        "conditions": [
            {"choice": "signal", "op": "is", "value": "tests.conditions.deployed"}
        ],
    }
    conditions = ConditionSet.deserialize(choices, data)
    assert conditions.matches(signal=deploy_signal)
    assert not conditions.matches(signal=signals.test_event)


# --- the form field ------------------------------------------------------


def _field(**kwargs):
    field = forms.ConditionsField(ReviewChoices, **kwargs)
    field.bind("conditions")
    return field


def test_field_cleans_to_the_serialized_dict():
    field = _field()
    raw = {"mode": "any", "conditions": [{"choice": "count", "op": "is", "value": "4"}]}
    assert field.clean(raw) == {
        "mode": "any",
        "conditions": [{"choice": "count", "op": "is", "value": 4}],
    }
    assert field.clean(rule_set("all", ("urgent", "is", True))) == {
        "mode": "all",
        "conditions": [{"choice": "urgent", "op": "is", "value": True}],
    }


def test_field_initial_and_empty_mean_always():
    field = _field()
    assert field.get_initial() == {"mode": "always", "conditions": []}
    assert field.clean(None) == {"mode": "always", "conditions": []}


def test_field_takes_json_text_from_a_command_line():
    text = (
        '{"mode": "all", "conditions": '
        '[{"choice": "repository", "op": "is", "value": "x"}]}'
    )
    assert _field().clean(text)["conditions"][0]["value"] == "x"
    with pytest.raises(forms.ValidationError, match="as JSON"):
        _field().clean("mode=all")


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            [{"choice": "gone", "op": "is", "value": 1}],
            'Condition 1: There is no condition choice "gone"',
        ),
        (
            [
                {"choice": "count", "op": "is", "value": 1},
                {"choice": "count", "op": "is", "value": "many"},
            ],
            "Condition 2: Enter a whole number",
        ),
        (
            [{"choice": "repository", "op": "matches-regex", "value": "[a"}],
            'Condition 1: "[a" is not a valid regular expression',
        ),
        (
            [{"choice": "repository", "op": "is", "value": ""}],
            "Condition 1: This field is required",
        ),
    ],
)
def test_field_errors_are_plain_and_name_the_rule(rules, message):
    with pytest.raises(ConditionValidationError) as caught:
        _field().clean({"mode": "all", "conditions": rules})
    assert caught.value.messages[0].startswith(message)


def test_field_needs_choices_or_a_signal():
    with pytest.raises(TypeError):
        forms.ConditionsField()


def test_field_built_from_a_signal(deploy_signal):
    field = forms.ConditionsField(signal=deploy_signal)
    field.bind("conditions")
    cleaned = field.clean(
        {
            "mode": "all",
            "conditions": [{"choice": "attempts", "op": "less-than", "value": "3"}],
        }
    )
    assert cleaned["conditions"][0]["value"] == 3


def test_form_with_conditions_field_reports_errors_at_the_field():
    class Form(forms.Form):
        conditions = forms.ConditionsField(ReviewChoices)

    form = Form({"conditions": {"mode": "sometimes", "conditions": []}})
    assert not form.is_valid()
    assert form.errors["conditions"] == [
        '"sometimes" is not a valid condition mode (use always, all or any).'
    ]
