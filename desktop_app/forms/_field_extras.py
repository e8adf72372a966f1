"""Extras a field can carry for the dialog: action buttons and a live preview.

Fields stay Qt-free metadata; these are more of it. An action is a button
beside the editor (``Generate`` for a secret, ``Services…`` for a list of
URL forms); a preview is a line under it, recomputed from the form's
current values as the user types. The UI maps both
(``desktop_app/ui/_field_extras.py``); without a window they are unused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "ActionChoice",
    "FieldAction",
    "add_field_action",
    "field_actions",
    "field_preview",
    "set_field_preview",
]

F = TypeVar("F")

#: The form's current raw values, by field name.
Values = Mapping[str, Any]


@dataclass(frozen=True)
class ActionChoice:
    """One entry of an action's picker.

    Attributes:
        title (str): What the list shows ("Telegram").
        detail (str): Shown for the selected entry (its URL forms).
        value (str): Put into the field when the entry is used.
    """

    title: str
    detail: str
    value: str


@dataclass(frozen=True)
class FieldAction:
    """A button beside a field's editor.

    Exactly one of ``run`` and ``choices`` is given.

    Attributes:
        label (str): The button's text ("Generate").
        tooltip (str): What the button does, in a sentence.
        run (callable): Takes the current values and returns the field's
            new value (``None`` leaves it unchanged).
        choices (callable): Returns the entries of a searchable picker;
            the chosen entry's value is added to the field.
        reveal (bool): Show a masked field's new value, so the user can
            copy it (a generated secret the receiver needs too).
    """

    label: str
    tooltip: str = ""
    run: Callable[[Values], Any] | None = None
    choices: Callable[[], Sequence[ActionChoice]] | None = None
    reveal: bool = False

    def __post_init__(self) -> None:
        if (self.run is None) == (self.choices is None):
            raise TypeError("A FieldAction takes either run or choices.")


def add_field_action(field: F, action: FieldAction) -> F:
    """Give a field one more action button; returns the field."""
    field.actions = (*field_actions(field), action)  # type: ignore[attr-defined]
    return field


def field_actions(field: Any) -> tuple[FieldAction, ...]:
    """The action buttons of a field, in the order they were added."""
    return tuple(getattr(field, "actions", ()))


def set_field_preview(field: F, preview: Callable[[Values], str]) -> F:
    """Show ``preview(values)`` under a field as the user types.

    The callable may raise :py:class:`~desktop_app.forms.ValidationError`:
    its message is shown instead of a preview. Returns the field.
    """
    field.preview = preview  # type: ignore[attr-defined]
    return field


def field_preview(field: Any) -> Callable[[Values], str] | None:
    """The preview callable of a field, or ``None``."""
    preview = getattr(field, "preview", None)
    return preview if callable(preview) else None
