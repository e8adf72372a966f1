"""Condition choices over a change, as Review Board defines them over a
review request: each reads one value out of the ``change`` keyword."""

from __future__ import annotations

from desktop_app.conditions.choices import (
    BaseConditionIntegerChoice,
    BaseConditionStringChoice,
    ConditionChoices,
)


class ChangeChoiceMixin:
    """Every choice here reads the ``change`` keyword of match_conditions."""

    value_kwarg = "change"


class RepositoryChoice(ChangeChoiceMixin, BaseConditionStringChoice):
    choice_id = "repository"
    name = "Repository"

    def get_match_value(self, change, **kwargs):
        return change.repository


class BranchChoice(ChangeChoiceMixin, BaseConditionStringChoice):
    choice_id = "branch"
    name = "Branch"

    def get_match_value(self, change, **kwargs):
        return change.branch


class LinesChoice(ChangeChoiceMixin, BaseConditionIntegerChoice):
    choice_id = "lines"
    name = "Lines changed"

    def get_match_value(self, change, **kwargs):
        return change.lines


class ChangeConditionChoices(ConditionChoices):
    choice_classes = [RepositoryChoice, BranchChoice, LinesChoice]


class BuildableChoices(ConditionChoices):
    """What a CI configuration may test: everything but the size, computed
    from the full set the way Travis CI narrows Review Board's."""

    def get_defaults(self):
        for choice in ChangeConditionChoices():
            if choice is not LinesChoice:
                yield choice
