"""Conditions: rules a configuration keeps to decide which events it acts
on, modelled on ``djblets.conditions`` (same names, same stored form).

Ported code changes only its import prefix: ``djblets.conditions`` becomes
``desktop_app.conditions``, with the submodules ``choices``,
``conditions``, ``operators``, ``values`` and ``errors``.
"""

from __future__ import annotations

from desktop_app.conditions._payload import (
    EVENT_CHOICE_ID,
    SignalConditionChoices,
    payload_choice_class,
)
from desktop_app.conditions.choices import BaseConditionChoice, ConditionChoices
from desktop_app.conditions.conditions import Condition, ConditionSet
from desktop_app.conditions.errors import (
    ConditionChoiceConflictError,
    ConditionChoiceNotFoundError,
    ConditionOperatorConflictError,
    ConditionOperatorNotFoundError,
    ConditionValidationError,
    InvalidConditionModeError,
    InvalidConditionValueError,
)
from desktop_app.conditions.operators import BaseConditionOperator, ConditionOperators

__all__ = [
    "EVENT_CHOICE_ID",
    "BaseConditionChoice",
    "BaseConditionOperator",
    "Condition",
    "ConditionChoiceConflictError",
    "ConditionChoiceNotFoundError",
    "ConditionChoices",
    "ConditionOperatorConflictError",
    "ConditionOperatorNotFoundError",
    "ConditionOperators",
    "ConditionSet",
    "ConditionValidationError",
    "InvalidConditionModeError",
    "InvalidConditionValueError",
    "SignalConditionChoices",
    "payload_choice_class",
]
