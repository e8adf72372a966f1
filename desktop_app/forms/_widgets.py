"""Widget markers: hints from a form author about how to edit a text field.

Forms stay free of Qt, so a widget here draws nothing. It only tells the UI
which of its editors to pick for a field (a one-line edit, a multi-line edit,
a masked edit). The names and call styles mirror Django's so that form code
written for Django reads the same here.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["PasswordInput", "Textarea", "TextInput", "Widget", "coerce_widget"]


class Widget:
    """Base class of the widget markers.

    Args:
        attrs (dict, optional): Extra hints for the editor, such as
            ``{'placeholder': '...'}``. The UI may honour the ones it knows.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        self.attrs: dict[str, Any] = dict(attrs) if attrs else {}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.attrs == self.attrs

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
