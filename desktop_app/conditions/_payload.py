"""Condition choices built from signals' declared payloads.

``define_signal(payload={...})`` describes each payload keyword with a form
field. :py:class:`SignalConditionChoices` turns each into a choice whose id
and ``value_kwarg`` are the keyword's name, so
``config.match_conditions(form_cls, **payload)`` takes the payload as sent,
with the operators that fit the field's type.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

from desktop_app.conditions.choices import (
    STRING_OPERATORS,
    BaseConditionChoice,
    ConditionChoices,
)
from desktop_app.conditions.operators import (
    AnyOperator,
    BaseConditionOperator,
    ConditionOperators,
    ContainsOperator,
    DoesNotContainOperator,
    GreaterThanOperator,
    IsNotOneOfOperator,
    IsNotOperator,
    IsOneOfOperator,
    IsOperator,
    LessThanOperator,
    UnsetOperator,
)
from desktop_app.conditions.values import (
    BaseConditionValueField,
    ConditionValueBooleanField,
    ConditionValueCharField,
    ConditionValueChoiceField,
    ConditionValueFloatField,
    ConditionValueIntegerField,
    ConditionValueMultipleChoiceField,
    ValueStateCache,
)
from desktop_app.forms._boolean_field import BooleanField
from desktop_app.forms._choice_fields import ChoiceField, MultipleChoiceField
from desktop_app.forms._field import Field, pretty_name
from desktop_app.forms._number_fields import FloatField, IntegerField

__all__ = ["EVENT_CHOICE_ID", "SignalConditionChoices", "payload_choice_class"]

#: The id (and ``value_kwarg``) of the choice "Event": the signal's name.
EVENT_CHOICE_ID = "signal"

_TEXT_OPERATORS = (
    *STRING_OPERATORS,
    AnyOperator.with_overrides(name="Is set"),
    UnsetOperator,
)
_NUMBER_OPERATORS = (
    IsOperator,
    IsNotOperator,
    GreaterThanOperator,
    LessThanOperator,
    AnyOperator.with_overrides(name="Is set"),
    UnsetOperator,
)


class _TextChoice(BaseConditionChoice):
    """A payload keyword holding text; an absent value reads as empty text,
    so ``contains`` on it is a plain no rather than an error."""

    def get_match_value(
        self,
        value: Any,
        value_state_cache: ValueStateCache | None = None,
        **kwargs: Any,
    ) -> Any:
        if value is None:
            return ""
        return value if isinstance(value, str) else str(value)


class _NumberChoice(BaseConditionChoice):
    """A payload keyword holding a number; an absent number is neither
    greater nor less than anything, a plain no rather than an error."""

    def matches(
        self,
        operator: BaseConditionOperator,
        match_value: Any,
        condition_value: Any,
        value_state_cache: ValueStateCache,
        **kwargs: Any,
    ) -> bool:
        if match_value is None and isinstance(
            operator, (GreaterThanOperator, LessThanOperator)
        ):
            return False
        return super().matches(
            operator, match_value, condition_value, value_state_cache, **kwargs
        )


def payload_choice_class(name: str, field: Field) -> type[BaseConditionChoice]:
    """Return a choice class for one payload keyword described by a form
    field: its id and ``value_kwarg`` are ``name``, its operators and value
    field fit the field's type (text, number, yes/no, choice)."""
    label = field.label or pretty_name(name)
    base: type[BaseConditionChoice] = BaseConditionChoice
    operators: Iterable[type[BaseConditionOperator]]
    value_field: BaseConditionValueField
    if isinstance(field, BooleanField):
        operators, value_field = (IsOperator,), ConditionValueBooleanField()
    elif isinstance(field, IntegerField):
        base, operators = _NumberChoice, _NUMBER_OPERATORS
        value_field = ConditionValueIntegerField()
    elif isinstance(field, FloatField):
        base, operators = _NumberChoice, _NUMBER_OPERATORS
        value_field = ConditionValueFloatField()
    elif isinstance(field, MultipleChoiceField):
        value_field = ConditionValueChoiceField(_choices_of(field))
        operators = (
            ContainsOperator.with_overrides(name="Includes"),
            DoesNotContainOperator.with_overrides(name="Does not include"),
            AnyOperator.with_overrides(name="Is set"),
            UnsetOperator,
        )
    elif isinstance(field, ChoiceField):
        value_field = ConditionValueChoiceField(_choices_of(field))
        several = ConditionValueMultipleChoiceField(_choices_of(field))
        operators = (
            IsOperator,
            IsNotOperator,
            IsOneOfOperator.with_overrides(value_field=several),
            IsNotOneOfOperator.with_overrides(value_field=several),
            AnyOperator.with_overrides(name="Is set"),
            UnsetOperator,
        )
    else:
        base, operators, value_field = (
            _TextChoice,
            _TEXT_OPERATORS,
            ConditionValueCharField(),
        )
    attrs = {
        "choice_id": name,
        "name": str(label),
        "value_kwarg": name,
        "operators": ConditionOperators(operators),
        "default_value_field": value_field,
        "__doc__": f"The payload field {name!r}.",
    }
    return type(f"PayloadChoice_{name}", (base,), attrs)


def _choices_of(field: Field) -> Any:
    # Read when the rule is edited or checked, so choices that change while
    # the app runs stay current.
    return lambda: getattr(field, "choices", [])


class _EventChoice(BaseConditionChoice):
    """The signal's name; matches take it as ``signal=``."""

    choice_id = EVENT_CHOICE_ID
    name = "Event"
    value_kwarg = EVENT_CHOICE_ID
    default_value_field = ConditionValueChoiceField(lambda: _signal_choices())
    operators = ConditionOperators(
        [
            IsOperator,
            IsNotOperator,
            IsOneOfOperator.with_overrides(
                value_field=ConditionValueMultipleChoiceField(lambda: _signal_choices())
            ),
            IsNotOneOfOperator.with_overrides(
                value_field=ConditionValueMultipleChoiceField(lambda: _signal_choices())
            ),
        ]
    )

    def get_match_value(
        self,
        value: Any,
        value_state_cache: ValueStateCache | None = None,
        **kwargs: Any,
    ) -> Any:
        name = getattr(value, "name", value)
        return name if isinstance(name, str) else str(name)


def _signal_choices() -> list[tuple[str, str]]:
    from desktop_app import signals

    return [
        (info.name, str(getattr(info, "label", None) or info.name))
        for info in signals.get_signal_infos()
    ]


class SignalConditionChoices(ConditionChoices):
    """One choice per payload keyword of some signals, read from the
    signal registry each time, so plugins' signals defined later count.

    Args:
        signals (iterable, optional): Signals (blinker signals or names)
            whose payloads give the choices; ``None``: every registered
            signal. A keyword declared by several signals is one choice
            (the first declaration, by signal name, gives its type).
        include_event (bool): Add the choice "Event" (id ``'signal'``),
            matched against the ``signal=`` keyword, for integrations that
            handle several signals.
        choices (iterable of type): Further choice classes, registered as
            usual.
    """

    def __init__(
        self,
        signals: Iterable[Any] | None = None,
        *,
        include_event: bool = False,
        choices: Iterable[type[BaseConditionChoice]] = (),
    ) -> None:
        self._signal_names = (
            None
            if signals is None
            else tuple(s if isinstance(s, str) else s.name for s in signals)
        )
        self._include_event = include_event
        self._made: dict[tuple[str, int], type[BaseConditionChoice]] = {}
        self._lock = threading.Lock()
        super().__init__(choices)

    def get_choice_classes(self) -> Mapping[str, type[BaseConditionChoice]]:
        from desktop_app import signals

        if self._signal_names is None:
            infos = signals.get_signal_infos()
        else:
            infos = []
            for name in self._signal_names:
                try:
                    infos.append(signals.get_signal_info(name))
                except KeyError:
                    continue  # its plugin is not loaded (now)
        found: dict[str, type[BaseConditionChoice]] = {}
        if self._include_event:
            found[EVENT_CHOICE_ID] = _EventChoice
        with self._lock:
            for info in infos:
                for name, field in info.payload.items():
                    if name in found or not isinstance(field, Field):
                        continue
                    key = (name, id(field))
                    choice_cls = self._made.get(key)
                    if choice_cls is None:
                        choice_cls = self._made[key] = payload_choice_class(name, field)
                    found[name] = choice_cls
        for choice_id, choice_cls in self._registered.items():
            found.setdefault(choice_id, choice_cls)
        return found
