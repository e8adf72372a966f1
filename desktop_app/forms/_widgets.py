"""Widget markers: hints from a form author about how to edit a text field.

Forms stay free of Qt, so a widget here draws nothing. It only tells the UI
which of its editors to pick for a field (a one-line edit, a multi-line edit,
a masked edit). The names and call styles mirror Django's so that form code
written for Django reads the same here.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = [
    "AmountSelectorWidget",
    "CheckboxInput",
    "CheckboxSelectMultiple",
    "HiddenInput",
    "NumberInput",
    "PasswordInput",
    "Select",
    "SelectMultiple",
    "TextInput",
    "Textarea",
    "Widget",
    "coerce_widget",
]


class Widget:
    """Base class of the widget markers.

    Args:
        attrs (dict, optional): Extra hints for the editor, such as
            ``{'placeholder': '...'}``. The UI may honour the ones it knows.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        self.attrs: dict[str, Any] = dict(attrs) if attrs else {}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash(type(self))

    def __deepcopy__(self, memo: dict[int, Any]) -> Widget:
        # Every form instance copies its fields and their widgets; a marker
        # is only its attrs, so copy those (values deeply) without the
        # generic reduce/reconstruct walk, a fifth of an import of 10,000.
        # A plain __dict__ copy: copy.copy's reduce protocol costs 5x more.
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.attrs = copy.deepcopy(self.attrs, memo) if self.attrs else {}
        memo[id(self)] = clone
        return clone

    def __repr__(self) -> str:
        return f"{type(self).__name__}(attrs={self.attrs!r})"


class TextInput(Widget):
    """A single line of text (the default for text fields)."""


class Textarea(Widget):
    """Several lines of text."""


class PasswordInput(Widget):
    """A masked line of text; the UI never shows the value in clear.

    Args:
        attrs (dict, optional): See :py:class:`Widget`.
        render_value (bool): Accepted for compatibility with Django and
            ignored: a stored secret is never put back into an editor.
    """

    def __init__(
        self, attrs: dict[str, Any] | None = None, render_value: bool = False
    ) -> None:
        super().__init__(attrs)


class HiddenInput(Widget):
    """Not shown at all: the field keeps the value it was loaded with.

    Django forms use it for values the user must not edit but the form must
    send back; the dialog shows no row for such a field and saves the value
    it started with (or the one the form's code put in ``initial``).
    """

    #: Django's flag, read by code that treats hidden fields apart.
    is_hidden = True


class NumberInput(Widget):
    """A number; ``attrs`` ``min``, ``max`` and ``step`` bound the editor."""


class CheckboxInput(Widget):
    """A check box (the default for yes/no fields)."""


class Select(Widget):
    """A drop-down list.

    Args:
        attrs (dict, optional): See :py:class:`Widget`.
        choices (sequence): ``(value, label)`` pairs, for a field that has
            none of its own (a choice field's own choices win).
    """

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(attrs)
        self.choices: list[tuple[Any, Any]] = list(choices)


class SelectMultiple(Select):
    """A list to pick several values from (a list of check boxes here)."""


class CheckboxSelectMultiple(SelectMultiple):
    """Check boxes to pick several values from."""


class AmountSelectorWidget(Widget):
    """An amount and its unit, such as "5 minutes", stored as one number.

    Made for an :py:class:`~desktop_app.forms.IntegerField` that holds a
    value in a base unit (seconds, bytes); the editor shows a number and a
    unit list, and the value is the number times the unit's factor. A unit
    whose factor is ``None`` (such as "Never") stands for no value.

    Args:
        unit_choices (sequence): ``(factor, label)`` pairs, the base unit
            (factor ``1``) first, then larger units in increasing order,
            then at most one ``(None, label)``.
        number_attrs (dict, optional): ``attrs`` of the number part
            (``min``, ``max``, ``step``).
        select_attrs (dict, optional): ``attrs`` of the unit list.
        attrs (dict, optional): See :py:class:`Widget`.

    Raises:
        ValueError: ``unit_choices`` is empty or a factor is not a positive
            whole number or ``None``.
    """

    def __init__(
        self,
        unit_choices: Any,
        number_attrs: dict[str, Any] | None = None,
        select_attrs: dict[str, Any] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        units = [(factor, str(label)) for factor, label in unit_choices]
        if not units:
            raise ValueError("AmountSelectorWidget needs at least one unit")
        for factor, label in units:
            if factor is not None and (
                isinstance(factor, bool) or not isinstance(factor, int) or factor < 1
            ):
                raise ValueError(
                    f'The unit "{label}" has the factor {factor!r}; use a '
                    f"positive whole number, or None for no value"
                )
        self.unit_choices: list[tuple[int | None, str]] = units
        self.number_attrs: dict[str, Any] = dict(number_attrs or {})
        self.select_attrs: dict[str, Any] = dict(select_attrs or {})

    def decompress(self, value: Any) -> tuple[int | None, int | None]:
        """Split a stored value into ``(amount, factor)`` for the editor.

        The largest unit that divides the value evenly is picked, so 7200
        seconds shows as 2 hours and 90 seconds as 90 seconds. ``None``
        gives ``(None, None)``.
        """
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            return None, None
        for factor, _label in reversed(self.unit_choices):
            if factor is not None and value % factor == 0:
                return value // factor, factor
        return value, 1

    def compress(self, amount: Any, factor: Any) -> int | None:
        """Return the value for an amount in a unit (``None`` for no value)."""
        if factor is None or amount is None or amount == "":
            return None
        return int(amount) * int(factor)


def coerce_widget(widget: Widget | type[Widget] | None) -> Widget | None:
    """Return a widget instance for a widget class, instance or ``None``.

    Django lets authors write ``widget=forms.Textarea`` as well as
    ``widget=forms.Textarea()``; both must mean the same here.

    Raises:
        TypeError: ``widget`` is not a widget marker.
    """
    if widget is None or isinstance(widget, Widget):
        return widget
    if isinstance(widget, type) and issubclass(widget, Widget):
        return widget()
    raise TypeError(
        f"widget must be a desktop_app.forms widget class or instance, not {widget!r}"
    )
