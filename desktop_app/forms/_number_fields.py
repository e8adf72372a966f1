"""Number fields: whole numbers and finite decimal numbers."""

from __future__ import annotations

import math
import re
from typing import Any

from desktop_app.forms._errors import ValidationError
from desktop_app.forms._field import Field

__all__ = ["FloatField", "IntegerField"]

# "12", "-3", "+4" and "12.0" (a spin box may hand over a float's text).
_INTEGER_RE = re.compile(r"[+-]?\d+(?:\.0*)?")


class _NumberField(Field):
    """Shared range checks of :py:class:`IntegerField` and :py:class:`FloatField`.

    Args:
        min_value (int | float, optional): Smallest value accepted.
        max_value (int | float, optional): Largest value accepted.
        **kwargs: See :py:class:`~desktop_app.forms.Field`.
    """

    def __init__(
        self,
        *,
        min_value: int | float | None = None,
        max_value: int | float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.min_value = min_value
        self.max_value = max_value

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                f"Ensure this value is greater than or equal to {self.min_value}.",
                code="min_value",
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                f"Ensure this value is less than or equal to {self.max_value}.",
                code="max_value",
            )


class IntegerField(_NumberField):
    """A whole number.

    Accepts ``int``, floats without a fractional part and their text
    (``"12"``, ``"12.0"``). Refuses ``bool``: ``True`` is an ``int`` to
    Python but never a number a user meant.
    """

    def to_python(self, value: Any) -> int | None:
        if self.is_empty(value) or (isinstance(value, str) and not value.strip()):
            return None
        if type(value) is int:
            return value
        invalid = ValidationError("Enter a whole number.", code="invalid")
        if isinstance(value, bool):
            raise invalid
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            if not math.isfinite(value) or not value.is_integer():
                raise invalid
            return int(value)
        if isinstance(value, str):
            text = value.strip()
            if not _INTEGER_RE.fullmatch(text):
                raise invalid
            try:
                # int() refuses more than 4300 digits with ValueError.
                return int(text.split(".", 1)[0])
            except ValueError:
                raise invalid from None
        raise invalid


class FloatField(_NumberField):
    """A finite number (``nan`` and infinities are refused).

    Accepts ``int``, ``float`` and their text; refuses ``bool``.
    """

    def to_python(self, value: Any) -> float | None:
        if self.is_empty(value) or (isinstance(value, str) and not value.strip()):
            return None
        invalid = ValidationError("Enter a number.", code="invalid")
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise invalid
        try:
            number = float(value.strip() if isinstance(value, str) else value)
        except (ValueError, OverflowError):
            raise invalid from None
        if not math.isfinite(number):
            raise ValidationError("Enter a finite number.", code="invalid")
        return number
