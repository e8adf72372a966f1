"""The yes/no field."""

from __future__ import annotations

from typing import Any, ClassVar

from desktop_app.forms._errors import ValidationError
from desktop_app.forms._field import Field

__all__ = ["BooleanField"]

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


class BooleanField(Field):
    """A yes/no value, edited with a check box.

    Accepts ``bool``, ``0``/``1`` and the words ``true/false``, ``yes/no``,
    ``on/off``, ``1/0`` in any case. ``None`` or a missing value is
    ``False``.

    As in Django, ``required=True`` (the default) means the box **must be
    checked** (think "I accept the terms"). For an ordinary on/off setting,
    such as ``enabled``, pass ``required=False``.
    """

    empty_value: ClassVar[Any] = False

    def to_python(self, value: Any) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            word = value.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        raise ValidationError(
            "Enter true or false (yes/no, on/off, 1/0).", code="invalid"
        )

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError("This field is required.", code="required")

    def is_empty(self, value: Any) -> bool:
        return value is None or value is False or value == ""

    def to_data(self, value: Any) -> bool:
        """Return a check box state, reading a stored ``"yes"`` leniently."""
        try:
            return self.to_python(value)
        except ValidationError:
            return bool(value)
