"""Fields that pick one or several values from a list of choices."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from desktop_app.forms._errors import ValidationError
from desktop_app.forms._field import Field, shorten

__all__ = ["ChoiceField", "MultipleChoiceField"]

#: ``(value, label)`` pairs, or Django-style groups ``(heading, [pairs])``.
Choices = Sequence[tuple[Any, Any]]


class ChoiceField(Field):
    """One value out of a list of ``(value, label)`` pairs.

    Args:
        choices (list | callable): The ``(value, label)`` pairs, or a
            callable returning them. A callable is called every time the
            choices are needed, so lists that change while the app runs
            (registered signals, loaded plugins) stay current.
        **kwargs: See :py:class:`~desktop_app.forms.Field`.

    The clean value is the choice's own value (so an ``int`` choice cleans
    to an ``int``), matched either directly or by its text, so
    ``"2"`` from a command line selects the choice ``2``.
    """

    empty_value: ClassVar[Any] = ""

    def __init__(
        self, *, choices: Choices | Callable[[], Choices] = (), **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    @property
    def choices(self) -> list[tuple[Any, str]]:
        """The resolved ``(value, label)`` pairs, evaluated on each access
        (groups, as Django writes them, flattened)."""
        return [pair for _group, pairs in self.grouped_choices for pair in pairs]

    @choices.setter
    def choices(self, choices: Choices | Callable[[], Choices]) -> None:
        self._choices = choices if callable(choices) else list(choices)

    @property
    def grouped_choices(self) -> list[tuple[str | None, list[tuple[Any, str]]]]:
        """The choices under their group headings: ``[(group, pairs)]``,
        with ``None`` for choices outside any group.

        Choices may be grouped as in Django:
        ``[("Audio", [("vinyl", "Vinyl"), ("cd", "CD")]), ("unknown", "Unknown")]``.
        """
        choices = self._choices() if callable(self._choices) else self._choices
        grouped: list[tuple[str | None, list[tuple[Any, str]]]] = []
        for value, label in choices:
            if isinstance(label, (list, tuple)):
                grouped.append((str(value), [(v, lab) for v, lab in label]))
            elif grouped and grouped[-1][0] is None:
                grouped[-1][1].append((value, label))
            else:
                grouped.append((None, [(value, label)]))
        return grouped

    def to_python(self, value: Any) -> Any:
        if self.is_empty(value):
            return ""
        return self._match(value, self.choices)

    def _match(self, value: Any, choices: list[tuple[Any, str]]) -> Any:
        if isinstance(value, (str, int, float)):
            for choice, _label in choices:
                if _same_choice(value, choice):
                    return choice
        shown = shorten(value if isinstance(value, str) else repr(value))
        raise ValidationError(
            f'Select a valid choice. "{shown}" is not one of the available '
            f"choices: {_listed(choices)}.",
            code="invalid_choice",
        )


class MultipleChoiceField(ChoiceField):
    """Several values out of a list of ``(value, label)`` pairs.

    Accepts a list, or a comma-separated string (``"a, b"``) from a command
    line. The clean value is a list in the order given, without repeats.
    """

    empty_value: ClassVar[Any] = []

    def to_python(self, value: Any) -> list[Any]:
        if isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        if self.is_empty(value):
            return []
        if not isinstance(value, (list, tuple)):
            raise ValidationError("Enter a list of values.", code="invalid_list")
        choices = self.choices
        cleaned: list[Any] = []
        for item in value:
            choice = self._match(item, choices)
            if choice not in cleaned:
                cleaned.append(choice)
        return cleaned

    def to_data(self, value: Any) -> list[Any]:
        """Return the selected values as a list, whatever was stored."""
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return list(value) if isinstance(value, (list, tuple)) else [value]


def _same_choice(value: Any, choice: Any) -> bool:
    if isinstance(value, bool) != isinstance(choice, bool):
        return False  # True must not select the choice 1
    if value == choice:
        return True
    # Text from a command line against a typed choice, or the reverse.
    return isinstance(value, str) != isinstance(choice, str) and str(value) == str(
        choice
    )


def _listed(choices: list[tuple[Any, str]], limit: int = 12) -> str:
    """The valid choices, for a message: values (what a command line takes)
    with their labels when those differ."""
    shown = []
    for value, label in choices[:limit]:
        text = str(value)
        shown.append(text if str(label) in ("", text) else f"{text} ({label})")
    more = len(choices) - limit
    return shorten(", ".join(shown) + (f" and {more} more" if more > 0 else ""), 400)
