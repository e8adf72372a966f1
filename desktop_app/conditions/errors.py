"""Errors of conditions, with the names ``djblets.conditions.errors`` uses.

Each error keeps its culprit (the condition's index in its set, the choice
or operator id) so a form can say which rule is wrong.
"""

from __future__ import annotations

from desktop_app.errors import DesktopAppError
from desktop_app.forms._errors import ValidationError

__all__ = [
    "ConditionChoiceConflictError",
    "ConditionChoiceNotFoundError",
    "ConditionOperatorConflictError",
    "ConditionOperatorNotFoundError",
    "ConditionValidationError",
    "InvalidConditionModeError",
    "InvalidConditionValueError",
]


class ConditionChoiceConflictError(DesktopAppError, KeyError):
    """A choice with the same id is already registered."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ConditionOperatorConflictError(DesktopAppError, KeyError):
    """An operator with the same id is already registered."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ConditionChoiceNotFoundError(DesktopAppError, LookupError):
    """A stored rule names a choice that the choices do not offer (any
    more).

    Attributes:
        choice_id (str | None): The id looked for.
        condition_index (int | None): The rule's index in its set.
    """

    def __init__(
        self,
        message: str,
        condition_index: int | None = None,
        choice_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.condition_index = condition_index
        self.choice_id = choice_id


class ConditionOperatorNotFoundError(DesktopAppError, LookupError):
    """A stored rule names an operator its choice does not offer.

    Attributes:
        operator_id (str | None): The id looked for.
        condition_index (int | None): The rule's index in its set.
    """

    def __init__(
        self,
        message: str,
        condition_index: int | None = None,
        operator_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.condition_index = condition_index
        self.operator_id = operator_id


class InvalidConditionModeError(DesktopAppError, ValueError):
    """The match mode is not ``always``, ``all`` or ``any``."""


class InvalidConditionValueError(DesktopAppError, ValueError):
    """A rule's value is missing or does not suit its choice and operator.

    Attributes:
        code (str | None): The form validation code behind it, if any.
        condition_index (int | None): The rule's index in its set.
    """

    def __init__(
        self,
        message: str,
        code: str | None = None,
        condition_index: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.condition_index = condition_index


class ConditionValidationError(ValidationError):
    """A set of conditions given to a form is not valid; for the user.

    A :py:class:`~desktop_app.forms.ValidationError`, so a form shows it at
    the conditions field.

    Args:
        message (str | list[str]): One message, or one per bad rule.

    Attributes:
        condition_index (int | None): The index of the (first) bad rule.
    """

    def __init__(
        self,
        message: str | list[str],
        code: str | None = None,
        condition_index: int | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.condition_index = condition_index
