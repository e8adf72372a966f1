"""A field holding a set of conditions, as djblets' ``ConditionsField``.

The clean value is what ``ConditionSet.serialize()`` returns, a plain JSON
dict (``{'mode': 'all', 'conditions': [{'choice': ..., 'op': ...,
'value': ...}]}``), so it is stored in a configuration's settings as djblets
stores it, and exports and ported code agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.conditions import (
    Condition,
    ConditionChoiceNotFoundError,
    ConditionChoices,
    ConditionOperatorNotFoundError,
    ConditionSet,
    ConditionValidationError,
    InvalidConditionModeError,
    InvalidConditionValueError,
    SignalConditionChoices,
)
from desktop_app.forms._errors import ValidationError
from desktop_app.forms._field import Field

__all__ = ["ConditionsField", "always_conditions"]

#: The errors a stored or typed set of rules can have.
_RULE_ERRORS = (
    ConditionChoiceNotFoundError,
    ConditionOperatorNotFoundError,
    InvalidConditionModeError,
    InvalidConditionValueError,
)


def always_conditions() -> dict[str, Any]:
    """Return the conditions of a new configuration: match every event."""
    return {"mode": ConditionSet.MODE_ALWAYS, "conditions": []}


class ConditionsField(Field):
    """Rules deciding which events a configuration acts on.

    Args:
        choices (ConditionChoices | callable, optional): The choices the
            rules may use: a :py:class:`~desktop_app.conditions.ConditionChoices`
            instance, a subclass, or a function returning an instance, as in
            djblets.
        signal (blinker.Signal | str, optional): Instead of ``choices``: a
            signal defined with ``define_signal(payload=...)``; each payload
            field becomes a choice whose id is the field's name, so
            ``config.match_conditions(form_cls, **payload)`` takes the
            payload as sent.
        choice_kwargs (dict, optional): Passed to every choice's
            constructor.
        **kwargs: See :py:class:`~desktop_app.forms.Field`. The initial
            value (and an empty one) matches every event; ``required``
            defaults to ``False``.

    Raises:
        TypeError: Neither ``choices`` nor ``signal`` was given.
    """

    def __init__(
        self,
        choices: ConditionChoices | Callable[[], ConditionChoices] | None = None,
        *,
        signal: Any = None,
        choice_kwargs: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", always_conditions)
        # An empty value means "always", so there is nothing to require.
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        if choices is None and signal is None:
            raise TypeError("ConditionsField needs choices or a signal")
        if callable(choices):
            # A class, or a function returning an instance (Review Board's
            # Travis CI form passes a lambda), called once here as djblets does.
            choices = choices()
            if not isinstance(choices, ConditionChoices):
                raise TypeError(
                    "ConditionsField choices must give a ConditionChoices, "
                    f"not {type(choices).__name__}"
                )
        self.choices: ConditionChoices = (
            choices if choices is not None else SignalConditionChoices([signal])
        )
        self.choice_kwargs: dict[str, Any] = dict(choice_kwargs or {})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, ConditionSet):
            return value.serialize()
        if isinstance(value, str) and value.strip():
            try:
                value = json.loads(value)
            except ValueError:
                raise ValidationError(
                    "Enter the conditions as JSON, such as "
                    '{"mode": "all", "conditions": [...]}.',
                    code="invalid",
                ) from None
        if self.is_empty(value) or value == "":
            return always_conditions()
        if not isinstance(value, Mapping):
            raise ValidationError(
                "Conditions must be a mode and a list of rules.", code="invalid"
            )
        return self.deserialize(value).serialize()

    def deserialize(self, value: Mapping[str, Any]) -> ConditionSet:
        """Return the :py:class:`ConditionSet` of a serialized value.

        Raises:
            ConditionValidationError: Rules are bad; there is one message
                per bad rule, naming it by position ("Condition 2: ...").
        """
        try:
            return ConditionSet.deserialize(
                self.choices, value, choice_kwargs=self.choice_kwargs
            )
        except _RULE_ERRORS as e:
            index = getattr(e, "condition_index", None)
            if index is None:
                raise ConditionValidationError(str(e), code="invalid_conditions") from e
            messages = self._rule_messages(value["conditions"])
            raise ConditionValidationError(
                messages,
                code=getattr(e, "code", None) or "invalid_condition",
                condition_index=index,
            ) from e

    def _rule_messages(self, rules: list[Any]) -> list[str]:
        # Every bad rule at once, so the user fixes them in one go.
        messages = []
        for index, rule in enumerate(rules):
            try:
                Condition.deserialize(self.choices, rule, index, self.choice_kwargs)
            except _RULE_ERRORS as e:
                messages.append(f"Condition {index + 1}: {e}")
        return messages
