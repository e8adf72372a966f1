"""Value fields of conditions: how a rule's value is edited and stored.

Named as ``djblets.conditions.values`` names them. A value field wraps a
``desktop_app.forms`` field (:py:attr:`BaseConditionValueField.field`),
which the dialog's conditions editor turns into an editor and which
cleans what the user typed. Stored values are JSON values; a field turns
them into what operators compare (a compiled pattern for a regex).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from desktop_app.conditions.errors import InvalidConditionValueError
from desktop_app.forms._boolean_field import BooleanField
from desktop_app.forms._choice_fields import ChoiceField, MultipleChoiceField
from desktop_app.forms._errors import ValidationError
from desktop_app.forms._field import Field, shorten
from desktop_app.forms._number_fields import FloatField, IntegerField
from desktop_app.forms._text_fields import CharField

__all__ = [
    "BaseConditionValueField",
    "ConditionValueBooleanField",
    "ConditionValueCharField",
    "ConditionValueChoiceField",
    "ConditionValueFloatField",
    "ConditionValueFormField",
    "ConditionValueIntegerField",
    "ConditionValueMultipleChoiceField",
    "ConditionValueRegexField",
]

#: Cache shared by the conditions of one match, as djblets passes it.
ValueStateCache = dict[str, Any]


class BaseConditionValueField:
    """Base class of value fields.

    Attributes:
        field (desktop_app.forms.Field | None): The form field that edits
            and cleans the value; ``None`` for fields with no editor.
    """

    field: Field | None = None

    def serialize_value(self, value: Any) -> Any:
        """Return the JSON value to store for a value."""
        return value

    def deserialize_value(self, value_data: Any) -> Any:
        """Return the value operators compare, from a stored value.

        Raises:
            InvalidConditionValueError: The stored value is not acceptable.
        """
        return value_data

    def get_from_form_data(self, data: Any, files: Any = None, name: str = "") -> Any:
        """Return the value typed in a form (``data[name]``, or ``data``
        itself when it is not a mapping)."""
        if isinstance(data, dict):
            return data.get(name)
        return data


class ConditionValueFormField(BaseConditionValueField):
    """A value edited and cleaned by a ``desktop_app.forms`` field.

    Args:
        field (desktop_app.forms.Field | callable): The field, or a callable
            returning it (so choices can be read when needed).
    """

    def __init__(self, field: Field | Callable[[], Field]) -> None:
        self._field = field

    @property
    def field(self) -> Field:  # type: ignore[override]  # a property here
        field = self._field() if callable(self._field) else self._field
        if field.name is None:
            field.bind("value")  # its label and messages say "Value"
        return field

    def deserialize_value(self, value_data: Any) -> Any:
        try:
            return self.field.clean(value_data)
        except ValidationError as e:
            raise InvalidConditionValueError(str(e), code=e.code) from e


class ConditionValueBooleanField(ConditionValueFormField):
    """Yes or no."""

    def __init__(self, **field_kwargs: Any) -> None:
        field_kwargs.setdefault("required", False)
        field_kwargs.setdefault("label", "Yes")  # a check box's own text
        super().__init__(BooleanField(**field_kwargs))


class ConditionValueCharField(ConditionValueFormField):
    """A line of text, kept exactly as typed (a space can be what a rule
    looks for)."""

    def __init__(self, **field_kwargs: Any) -> None:
        field_kwargs.setdefault("strip", False)
        super().__init__(CharField(**field_kwargs))


class ConditionValueIntegerField(ConditionValueFormField):
    """A whole number."""

    def __init__(self, **field_kwargs: Any) -> None:
        super().__init__(IntegerField(**field_kwargs))


class ConditionValueFloatField(ConditionValueFormField):
    """A number, whole or decimal."""

    def __init__(self, **field_kwargs: Any) -> None:
        super().__init__(FloatField(**field_kwargs))


class ConditionValueChoiceField(ConditionValueFormField):
    """One value out of ``(value, label)`` choices."""

    def __init__(
        self,
        choices: Sequence[tuple[Any, str]] | Callable[[], Sequence[tuple[Any, str]]],
        **field_kwargs: Any,
    ) -> None:
        super().__init__(ChoiceField(choices=choices, **field_kwargs))


class ConditionValueMultipleChoiceField(ConditionValueFormField):
    """Several values out of ``(value, label)`` choices (for ``one-of``)."""

    def __init__(
        self,
        choices: Sequence[tuple[Any, str]] | Callable[[], Sequence[tuple[Any, str]]],
        **field_kwargs: Any,
    ) -> None:
        super().__init__(MultipleChoiceField(choices=choices, **field_kwargs))


class ConditionValueRegexField(ConditionValueCharField):
    """A regular expression: stored as its text, compared compiled."""

    def serialize_value(self, value: Any) -> Any:
        return value.pattern if isinstance(value, re.Pattern) else value

    def deserialize_value(self, value_data: Any) -> Any:
        if isinstance(value_data, re.Pattern):
            return value_data
        text = super().deserialize_value(value_data)
        try:
            return re.compile(text)
        except (re.error, TypeError, ValueError, OverflowError, RecursionError) as e:
            reason = e.msg if isinstance(e, re.error) else str(e)
            raise InvalidConditionValueError(
                f'"{shorten(str(text))}" is not a valid regular expression: {reason}.',
                code="invalid_regex",
            ) from e
