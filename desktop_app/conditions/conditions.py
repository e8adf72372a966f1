"""Conditions and sets of conditions, as ``djblets.conditions.conditions``.

A :py:class:`ConditionSet` is what a configuration stores (through
:py:meth:`~ConditionSet.serialize`, a plain JSON dict) and what an
integration asks, on each event, whether the event matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

from desktop_app.conditions.choices import BaseConditionChoice, ConditionChoices
from desktop_app.conditions.errors import (
    ConditionChoiceNotFoundError,
    ConditionOperatorNotFoundError,
    InvalidConditionModeError,
    InvalidConditionValueError,
)
from desktop_app.conditions.operators import BaseConditionOperator
from desktop_app.conditions.values import ValueStateCache
from desktop_app.forms._field import shorten

__all__ = ["Condition", "ConditionSet"]


class Condition:
    """One rule: a choice, an operator and (for most operators) a value.

    Attributes:
        choice (BaseConditionChoice): What the rule looks at.
        operator (BaseConditionOperator): How it compares.
        value (object): The stored value, deserialized (``None`` for
            operators without a value).
        raw_value (object): The stored value as stored.
    """

    @classmethod
    def deserialize(
        cls,
        choices: ConditionChoices,
        data: Any,
        condition_index: int | None = None,
        choice_kwargs: Mapping[str, Any] | None = None,
    ) -> Condition:
        """Build a condition from what :py:meth:`serialize` stored.

        Raises:
            ConditionChoiceNotFoundError: No ``choice``, or an unknown one.
            ConditionOperatorNotFoundError: No ``op``, or one the choice
                does not offer.
            InvalidConditionValueError: No ``value`` where the operator
                needs one, or a value that does not suit it.
        """
        if not isinstance(data, Mapping):
            raise InvalidConditionValueError(
                "A condition must be a mapping of choice, op and value.",
                code="invalid",
                condition_index=condition_index,
            )
        if "choice" not in data:
            raise ConditionChoiceNotFoundError(
                "A choice is required.", condition_index=condition_index
            )
        if "op" not in data:
            raise ConditionOperatorNotFoundError(
                "An operator is required.", condition_index=condition_index
            )
        choice_id, operator_id = data["choice"], data["op"]
        try:
            choice = choices.get_choice(choice_id, choice_kwargs=choice_kwargs)
        except ConditionChoiceNotFoundError as e:
            e.condition_index = condition_index
            raise
        try:
            operator = choice.get_operator(operator_id)
        except ConditionOperatorNotFoundError as e:
            e.condition_index = condition_index
            raise
        value_field = operator.value_field
        if value_field is None:
            return cls(choice, operator)
        if "value" not in data:
            raise InvalidConditionValueError(
                "A value is required.", code="required", condition_index=condition_index
            )
        raw_value = data["value"]
        try:
            value = value_field.deserialize_value(raw_value)
        except InvalidConditionValueError as e:
            e.condition_index = condition_index
            raise
        return cls(choice, operator, value, raw_value)

    def __init__(
        self,
        choice: BaseConditionChoice,
        operator: BaseConditionOperator,
        value: Any = None,
        raw_value: Any = None,
    ) -> None:
        self.choice = choice
        self.operator = operator
        self.value = value
        self.raw_value = value if raw_value is None else raw_value

    def matches(
        self, value: Any, value_state_cache: ValueStateCache | None = None
    ) -> bool:
        """Return whether a value satisfies this rule.

        Raises:
            TypeError: The operator cannot compare the values (say,
                ``contains`` on a number).
        """
        return self.choice.matches(
            operator=self.operator,
            match_value=value,
            condition_value=self.value,
            value_state_cache={} if value_state_cache is None else value_state_cache,
        )

    def serialize(self) -> dict[str, Any]:
        """Return the rule as a JSON-safe dict: ``choice``, ``op`` and, for
        operators with a value field, ``value``."""
        data: dict[str, Any] = {
            "choice": self.choice.choice_id,
            "op": self.operator.operator_id,
        }
        value_field = self.operator.value_field
        if value_field is not None:
            data["value"] = (
                None if self.value is None else value_field.serialize_value(self.value)
            )
        return data

    to_json = serialize

    def __repr__(self) -> str:
        return f"<Condition {self.serialize()!r}>"


class ConditionSet:
    """Rules and how they combine.

    Args:
        mode (str): :py:attr:`MODE_ALWAYS` (every event matches),
            :py:attr:`MODE_ALL` (every rule must hold; no rules: no match,
            as in djblets) or :py:attr:`MODE_ANY` (one rule is enough).
        conditions (iterable of Condition): The rules.

    Raises:
        InvalidConditionModeError: Another mode.
    """

    #: Every event matches, whatever the rules.
    MODE_ALWAYS: ClassVar[str] = "always"

    #: Every rule must hold.
    MODE_ALL: ClassVar[str] = "all"

    #: At least one rule must hold.
    MODE_ANY: ClassVar[str] = "any"

    #: The modes, in menu order.
    MODES: ClassVar[tuple[str, ...]] = ("always", "all", "any")

    #: The mode a new set gets.
    DEFAULT_MODE: ClassVar[str] = MODE_ALL

    @classmethod
    def deserialize(
        cls,
        choices: ConditionChoices,
        data: Any,
        choice_kwargs: Mapping[str, Any] | None = None,
    ) -> ConditionSet:
        """Build a set from what :py:meth:`serialize` stored.

        Raises:
            InvalidConditionModeError: The mode is missing or unknown.
            ConditionChoiceNotFoundError, ConditionOperatorNotFoundError,
            InvalidConditionValueError: A rule is bad (the error's
                ``condition_index`` says which).
        """
        if not isinstance(data, Mapping):
            raise InvalidConditionModeError(
                "Conditions must be stored as a mapping of mode and conditions."
            )
        mode = str(data.get("mode"))
        _check_mode(mode)
        rules = data.get("conditions") or []
        if not isinstance(rules, (list, tuple)):
            raise InvalidConditionValueError(
                "The conditions must be a list.", code="invalid"
            )
        return cls(
            mode,
            [
                Condition.deserialize(choices, rule, index, choice_kwargs)
                for index, rule in enumerate(rules)
            ],
        )

    def __init__(
        self, mode: str = DEFAULT_MODE, conditions: Iterable[Condition] = ()
    ) -> None:
        _check_mode(mode)
        self.mode = mode
        self.conditions: list[Condition] = list(conditions)

    def matches(self, **values: Any) -> bool:
        """Return whether the values satisfy the set.

        Each rule reads the keyword named by its choice's ``value_kwarg``;
        a rule whose keyword is not given does not hold.

        Raises:
            TypeError: A rule cannot compare its values (the integration
                framework's ``match_conditions`` turns this into no match).
        """
        if self.mode == self.MODE_ALWAYS:
            return True
        results = self._results(values)
        if self.mode == self.MODE_ANY:
            return any(results)
        found = False
        for result in results:
            if not result:
                return False
            found = True
        return found

    def _results(self, values: Mapping[str, Any]) -> Iterator[bool]:
        cache: ValueStateCache = {}
        for condition in self.conditions:
            kwarg = condition.choice.value_kwarg
            yield kwarg in values and condition.matches(values[kwarg], cache)

    def serialize(self) -> dict[str, Any]:
        """Return the set as a JSON-safe dict, exactly as djblets stores it:
        ``{'mode': 'all', 'conditions': [{'choice': ..., 'op': ..., 'value':
        ...}]}``."""
        return {
            "mode": self.mode,
            "conditions": [condition.serialize() for condition in self.conditions],
        }

    to_json = serialize

    def __repr__(self) -> str:
        return f"<ConditionSet {self.serialize()!r}>"


def _check_mode(mode: Any) -> None:
    if mode not in ConditionSet.MODES:
        shown = shorten(str(mode))
        raise InvalidConditionModeError(
            f'"{shown}" is not a valid condition mode (use always, all or any).'
        )
