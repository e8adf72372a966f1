"""Operators of conditions, with the ids and names ``djblets.conditions``
uses, and the :py:class:`ConditionOperators` registry a choice lists them
in.

An operator compares the value an event brings (``match_value``) with the
value stored in the rule (``condition_value``). Operators that need no
stored value (``any``, ``none``) set :py:attr:`value_field` to ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from desktop_app.conditions.errors import (
    ConditionOperatorConflictError,
    ConditionOperatorNotFoundError,
)
from desktop_app.conditions.values import (
    BaseConditionValueField,
    ConditionValueRegexField,
)

if TYPE_CHECKING:
    from desktop_app.conditions.choices import BaseConditionChoice

__all__ = [
    "AnyOperator",
    "BaseConditionOperator",
    "ConditionOperators",
    "ContainsOperator",
    "DoesNotContainOperator",
    "DoesNotMatchRegexOperator",
    "EndsWithOperator",
    "GreaterThanOperator",
    "IsNotOneOfOperator",
    "IsNotOperator",
    "IsOneOfOperator",
    "IsOperator",
    "LessThanOperator",
    "MatchesRegexOperator",
    "StartsWithOperator",
    "UnsetOperator",
]


class BaseConditionOperator:
    """Base class of operators; one instance belongs to one choice.

    Args:
        choice (BaseConditionChoice): The choice owning this operator.
    """

    #: Unique within a choice; stored in each rule as ``op``.
    operator_id: ClassVar[str] = ""

    #: Shown in the operator menu.
    name: ClassVar[str] = ""

    @classmethod
    def with_overrides(cls, **attrs: Any) -> type[BaseConditionOperator]:
        """Return a subclass with some attributes replaced (a name, a value
        field), for choices that reuse an operator with small changes."""
        return type(f"Custom{cls.__name__}", (cls,), attrs)

    def __init__(self, choice: BaseConditionChoice) -> None:
        self.choice = choice

    @property
    def value_field(self) -> BaseConditionValueField | None:
        """The field of the stored value: the choice's default unless the
        operator class sets its own (``None``: no value)."""
        default = self.choice.default_value_field
        if callable(default) and not isinstance(default, BaseConditionValueField):
            return default()
        return default

    @property
    def has_custom_value_field(self) -> bool:
        """Whether this operator class sets its own value field."""
        return type(self).value_field is not BaseConditionOperator.value_field

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        """Return whether the event's value satisfies the rule.

        Raises:
            TypeError: The values cannot be compared this way (the caller
                counts the rule as not matching).
        """
        raise NotImplementedError


class IsOperator(BaseConditionOperator):
    """Equal to the stored value."""

    operator_id = "is"
    name = "Is"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return bool(match_value == condition_value)


class IsNotOperator(BaseConditionOperator):
    """Not equal to the stored value."""

    operator_id = "is-not"
    name = "Is not"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return bool(match_value != condition_value)


class ContainsOperator(BaseConditionOperator):
    """The event's text (or list) contains the stored value."""

    operator_id = "contains"
    name = "Contains"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return condition_value in match_value


class DoesNotContainOperator(BaseConditionOperator):
    """The event's text (or list) does not contain the stored value."""

    operator_id = "does-not-contain"
    name = "Does not contain"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return condition_value not in match_value


class StartsWithOperator(BaseConditionOperator):
    """The event's text starts with the stored text."""

    operator_id = "starts-with"
    name = "Starts with"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return bool(match_value.startswith(condition_value))


class EndsWithOperator(BaseConditionOperator):
    """The event's text ends with the stored text."""

    operator_id = "ends-with"
    name = "Ends with"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return bool(match_value.endswith(condition_value))


class MatchesRegexOperator(BaseConditionOperator):
    """The stored regular expression is found in the event's text (a
    search, not a match of the whole text)."""

    operator_id = "matches-regex"
    name = "Matches regex"
    value_field = ConditionValueRegexField()

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return condition_value.search(match_value) is not None


class DoesNotMatchRegexOperator(MatchesRegexOperator):
    """The stored regular expression is not found in the event's text."""

    operator_id = "does-not-match-regex"
    name = "Does not match regex"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return condition_value.search(match_value) is None


class AnyOperator(BaseConditionOperator):
    """The event's value is set: not ``None`` nor empty (``0`` and
    ``False`` are values)."""

    operator_id = "any"
    name = "Has a value"
    value_field = None

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return not _is_unset(match_value)


class UnsetOperator(BaseConditionOperator):
    """The event's value is unset: ``None`` or empty."""

    operator_id = "none"
    name = "Is unset"
    value_field = None

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return _is_unset(match_value)


class IsOneOfOperator(BaseConditionOperator):
    """Equal to one of the stored values."""

    operator_id = "one-of"
    name = "Is one of"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return match_value in condition_value


class IsNotOneOfOperator(BaseConditionOperator):
    """Equal to none of the stored values."""

    operator_id = "not-one-of"
    name = "Is not one of"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return match_value not in condition_value


class GreaterThanOperator(BaseConditionOperator):
    """The event's number is greater than the stored one."""

    operator_id = "greater-than"
    name = "Greater than"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return bool(match_value > condition_value)


class LessThanOperator(BaseConditionOperator):
    """The event's number is less than the stored one."""

    operator_id = "less-than"
    name = "Less than"

    def matches(
        self, match_value: Any, condition_value: Any = None, **kwargs: Any
    ) -> bool:
        return bool(match_value < condition_value)


def _is_unset(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (bool, int, float)):
        return False
    try:
        return len(value) == 0
    except TypeError:
        return False


class ConditionOperators:
    """The operators a choice offers, in menu order.

    Args:
        operators (iterable of type, optional): Operator classes; without
            it, :py:attr:`operator_classes` is used.

    Raises:
        ConditionOperatorConflictError: Two operators share an id.
    """

    #: The operators of a subclass that passes none to the constructor.
    operator_classes: ClassVar[tuple[type[BaseConditionOperator], ...]] = ()

    def __init__(self, operators: Iterable[type[BaseConditionOperator]] = ()) -> None:
        self._by_id: dict[str, type[BaseConditionOperator]] = {}
        for operator_cls in tuple(operators) or self.operator_classes:
            self.register(operator_cls)

    def register(self, operator_cls: type[BaseConditionOperator]) -> None:
        """Add an operator class.

        Raises:
            ConditionOperatorConflictError: Its id is taken.
        """
        operator_id = operator_cls.operator_id
        if operator_id in self._by_id:
            raise ConditionOperatorConflictError(
                f'Could not register the operator "{operator_id}": another '
                "operator has the same id."
            )
        self._by_id[operator_id] = operator_cls

    def unregister(self, operator_cls: type[BaseConditionOperator]) -> None:
        """Remove an operator class (no error when it is not there)."""
        if self._by_id.get(operator_cls.operator_id) is operator_cls:
            del self._by_id[operator_cls.operator_id]

    def get_operator(
        self, operator_id: str, choice: BaseConditionChoice
    ) -> BaseConditionOperator:
        """Return a new operator instance for a choice.

        Raises:
            ConditionOperatorNotFoundError: No operator has that id.
        """
        operator_cls = (
            self._by_id.get(operator_id) if isinstance(operator_id, str) else None
        )
        if operator_cls is None:
            raise ConditionOperatorNotFoundError(
                f'No operator "{operator_id}" for "{choice.name or choice.choice_id}".',
                operator_id=str(operator_id),
            )
        return operator_cls(choice)

    def __iter__(self) -> Iterator[type[BaseConditionOperator]]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, operator_cls: object) -> bool:
        return operator_cls in self._by_id.values()
