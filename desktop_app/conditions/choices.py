"""Choices of conditions (what a rule looks at) and the
:py:class:`ConditionChoices` registry, as ``djblets.conditions.choices``.

A choice has an id (stored in each rule as ``choice``), a name for the
menu, the operators it offers, the value field of their stored value, and
:py:attr:`~BaseConditionChoice.value_kwarg`: the keyword of
``ConditionSet.matches(**values)`` it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from desktop_app.conditions.errors import (
    ConditionChoiceConflictError,
    ConditionChoiceNotFoundError,
)
from desktop_app.conditions.operators import (
    BaseConditionOperator,
    ConditionOperators,
    ContainsOperator,
    DoesNotContainOperator,
    DoesNotMatchRegexOperator,
    EndsWithOperator,
    GreaterThanOperator,
    IsNotOperator,
    IsOperator,
    LessThanOperator,
    MatchesRegexOperator,
    StartsWithOperator,
)
from desktop_app.conditions.values import (
    BaseConditionValueField,
    ConditionValueBooleanField,
    ConditionValueCharField,
    ConditionValueFloatField,
    ConditionValueIntegerField,
    ValueStateCache,
)
from desktop_app.forms._field import shorten

__all__ = [
    "BaseConditionBooleanChoice",
    "BaseConditionChoice",
    "BaseConditionFloatChoice",
    "BaseConditionIntegerChoice",
    "BaseConditionStringChoice",
    "ConditionChoiceMatchListItemsMixin",
    "ConditionChoices",
]


class BaseConditionChoice:
    """Base class of choices.

    Args:
        **kwargs: Extra state (``choice_kwargs`` of a set or a field), kept
            in :py:attr:`extra_state`.
    """

    #: Unique within a :py:class:`ConditionChoices`.
    choice_id: ClassVar[str | None] = None

    #: Shown in the choice menu.
    name: ClassVar[str | None] = None

    #: The operators offered (a :py:class:`ConditionOperators`).
    operators: ClassVar[ConditionOperators | None] = None

    #: The value field of the operators that do not set their own: an
    #: instance, a callable returning one, or ``None``.
    default_value_field: (
        BaseConditionValueField | Callable[..., BaseConditionValueField | None] | None
    ) = None

    #: The keyword of ``ConditionSet.matches(**values)`` this choice reads.
    value_kwarg: ClassVar[str] = "value"

    def __init__(self, **kwargs: Any) -> None:
        self.extra_state: dict[str, Any] = kwargs

    def get_operator(self, operator_id: str) -> BaseConditionOperator:
        """Return a new instance of one of this choice's operators.

        Raises:
            ConditionOperatorNotFoundError: The choice has no such operator.
        """
        assert self.operators is not None, f"{type(self).__name__} has no operators"
        return self.operators.get_operator(operator_id, self)

    def get_operators(self) -> Iterator[BaseConditionOperator]:
        """Yield a new instance of each operator, in menu order."""
        assert self.operators is not None, f"{type(self).__name__} has no operators"
        for operator_cls in self.operators:
            yield operator_cls(self)

    def get_match_value(
        self,
        value: Any,
        value_state_cache: ValueStateCache | None = None,
        **kwargs: Any,
    ) -> Any:
        """Return what the operators compare, from the value passed to
        ``matches`` (override to read an attribute of an object, say)."""
        return value

    def matches(
        self,
        operator: BaseConditionOperator,
        match_value: Any,
        condition_value: Any,
        value_state_cache: ValueStateCache,
        **kwargs: Any,
    ) -> bool:
        """Return whether a value satisfies this choice with an operator."""
        return operator.matches(
            match_value=self.get_match_value(
                match_value, value_state_cache=value_state_cache
            ),
            condition_value=condition_value,
        )


class ConditionChoiceMatchListItemsMixin(BaseConditionChoice):
    """Match each item of a list value rather than the list: the rule holds
    when any item matches (all items with :py:attr:`require_match_all_items`)."""

    #: Whether every item must match.
    require_match_all_items: ClassVar[bool] = False

    def matches(
        self,
        operator: BaseConditionOperator,
        match_value: Any,
        condition_value: Any,
        value_state_cache: ValueStateCache,
        **kwargs: Any,
    ) -> bool:
        items = self.get_match_value(match_value, value_state_cache=value_state_cache)
        if not items:
            return False
        check = all if self.require_match_all_items else any
        return check(
            operator.matches(match_value=item, condition_value=condition_value)
            for item in items
        )


class BaseConditionBooleanChoice(BaseConditionChoice):
    """A yes/no value: ``is``."""

    operators = ConditionOperators([IsOperator])
    default_value_field = ConditionValueBooleanField()


class BaseConditionIntegerChoice(BaseConditionChoice):
    """A whole number: ``is``, ``is-not``, ``greater-than``, ``less-than``."""

    operators = ConditionOperators(
        [IsOperator, IsNotOperator, GreaterThanOperator, LessThanOperator]
    )
    default_value_field = ConditionValueIntegerField()


class BaseConditionFloatChoice(BaseConditionChoice):
    """A number: the operators of :py:class:`BaseConditionIntegerChoice`."""

    operators = ConditionOperators(
        [IsOperator, IsNotOperator, GreaterThanOperator, LessThanOperator]
    )
    default_value_field = ConditionValueFloatField()


#: The operators of a text value (choices built from signals' payloads add
#: "is set" and "is not set" to them).
STRING_OPERATORS = (
    IsOperator,
    IsNotOperator,
    ContainsOperator,
    DoesNotContainOperator,
    StartsWithOperator,
    EndsWithOperator,
    MatchesRegexOperator,
    DoesNotMatchRegexOperator,
)


class BaseConditionStringChoice(BaseConditionChoice):
    """Text: equality, containment, prefix, suffix and regex operators."""

    operators = ConditionOperators(list(STRING_OPERATORS))
    default_value_field = ConditionValueCharField()


class ConditionChoices:
    """The choices a set of conditions may use, in menu order.

    Used two ways, as in djblets: built with a list of choice classes, or
    subclassed with :py:attr:`choice_classes`. Further choices can be
    registered later.

    Args:
        choices (iterable of type, optional): Choice classes; without it,
            :py:attr:`choice_classes`.

    Raises:
        ConditionChoiceConflictError: Two choices share an id.
    """

    #: The choices of a subclass that passes none to the constructor.
    choice_classes: ClassVar[Iterable[type[BaseConditionChoice]]] = ()

    def __init__(self, choices: Iterable[type[BaseConditionChoice]] = ()) -> None:
        self._registered: dict[str, type[BaseConditionChoice]] = {}
        for choice_cls in tuple(choices) or tuple(self.get_defaults()):
            self.register(choice_cls)

    def get_defaults(self) -> Iterable[type[BaseConditionChoice]]:
        """Return the choice classes a new instance starts with, as djblets'
        registries do: :py:attr:`choice_classes` unless a subclass computes
        them (Review Board's Travis CI form filters another set here)."""
        return self.choice_classes

    def get_choice_classes(self) -> Mapping[str, type[BaseConditionChoice]]:
        """Return choice id → choice class. Subclasses whose choices follow
        something that changes (registered signals) compute them here."""
        return self._registered

    def register(self, choice_cls: type[BaseConditionChoice]) -> None:
        """Add a choice class.

        Raises:
            ConditionChoiceConflictError: Its id is taken.
        """
        choice_id = choice_cls.choice_id
        if not choice_id:
            raise ValueError(f"{choice_cls.__name__} has no choice_id")
        if choice_id in self._registered:
            raise ConditionChoiceConflictError(
                f'Could not register the condition choice "{choice_id}": '
                "another choice has the same id."
            )
        self._registered[choice_id] = choice_cls

    def unregister(self, choice_cls: type[BaseConditionChoice]) -> None:
        """Remove a choice class (no error when it is not there)."""
        choice_id = choice_cls.choice_id or ""
        if self._registered.get(choice_id) is choice_cls:
            del self._registered[choice_id]

    def get(self, attr_name: str, attr_value: Any) -> type[BaseConditionChoice]:
        """Return the choice class whose ``attr_name`` is ``attr_value``
        (djblets registries look up ``'choice_id'`` this way).

        Raises:
            ConditionChoiceNotFoundError: None has it.
        """
        if attr_name == "choice_id" and isinstance(attr_value, str):
            found = self.get_choice_classes().get(attr_value)
            if found is not None:
                return found
        else:
            for choice_cls in self:
                if getattr(choice_cls, attr_name, None) == attr_value:
                    return choice_cls
        shown = shorten(str(attr_value))
        raise ConditionChoiceNotFoundError(
            f'There is no condition choice "{shown}" (any more).',
            choice_id=str(attr_value),
        )

    def get_choice(
        self, choice_id: str, choice_kwargs: Mapping[str, Any] | None = None
    ) -> BaseConditionChoice:
        """Return a new instance of a choice.

        Raises:
            ConditionChoiceNotFoundError: No choice has that id.
        """
        return self.get("choice_id", choice_id)(**dict(choice_kwargs or {}))

    def get_choices(
        self, choice_kwargs: Mapping[str, Any] | None = None
    ) -> Iterator[BaseConditionChoice]:
        """Yield a new instance of each choice, in menu order."""
        for choice_cls in self:
            yield choice_cls(**dict(choice_kwargs or {}))

    def __iter__(self) -> Iterator[type[BaseConditionChoice]]:
        return iter(list(self.get_choice_classes().values()))

    def __len__(self) -> int:
        return len(self.get_choice_classes())

    def __contains__(self, choice_cls: object) -> bool:
        return choice_cls in self.get_choice_classes().values()
