"""Enumerations of choices, declared the way Django models declare them.

Review Board integrations list the values of a setting as a ``TextChoices``
class, hand ``TokenChoices.choices`` to a ``ChoiceField``, and compare the
stored plain string with the members (``token_type ==
TokenChoices.PRIVATE_TOKEN``). So the members are real :py:mod:`enum`
members of ``str`` (or ``int``): equal to, hashed and serialized as their
values, usable as type annotations, each with a label for people.
"""

from __future__ import annotations

import enum
from typing import Any, cast

__all__ = ["Choices", "ChoicesType", "IntegerChoices", "TextChoices"]


def _value_and_label(declared: tuple[Any, ...]) -> tuple[Any, str | None]:
    """Split what a member was declared as: ``value, label`` (the label is
    a trailing text) or the value alone (no label: it comes from the name)."""
    if len(declared) > 1 and isinstance(declared[-1], str):
        *value, label = declared
        # One item is the value itself; several build it (``date(y, m, d)``).
        return (value[0] if len(value) == 1 else tuple(value)), label
    return (declared[0] if len(declared) == 1 else declared), None


def _as_enum(cls: ChoicesType) -> type[Choices]:
    # The typing stubs type members (iteration, __members__) only through a
    # type[...] of them; a metaclass's own ``cls`` is not one.
    return cast("type[Choices]", cls)


class ChoicesType(enum.EnumMeta):
    """Lists the choices at class level and refuses two names for one
    value (one member with two labels)."""

    def __new__(
        metacls, cls: str, bases: tuple[type, ...], classdict: Any, **kwds: Any
    ) -> ChoicesType:
        new = super().__new__(metacls, cls, bases, classdict, **kwds)
        enum.unique(_as_enum(new))
        return new

    def __contains__(cls, value: object) -> bool:
        """Whether ``value`` is a member, or the value of one."""
        if not isinstance(value, enum.Enum):
            return any(member.value == value for member in _as_enum(cls))
        return super().__contains__(value)

    @property
    def names(cls) -> list[str]:
        """The members' names (``'__empty__'`` first if the class has one)."""
        empty = ["__empty__"] if hasattr(cls, "__empty__") else []
        return empty + [member.name for member in _as_enum(cls)]

    @property
    def choices(cls) -> list[tuple[Any, str]]:
        """``(value, label)`` pairs, for ``ChoiceField(choices=...)``; an
        ``__empty__`` label adds ``(None, label)`` first."""
        empty = [(None, cls.__empty__)] if hasattr(cls, "__empty__") else []
        return empty + [(member.value, member.label) for member in _as_enum(cls)]

    @property
    def labels(cls) -> list[str]:
        """The labels, in the order of :py:attr:`choices`."""
        return [label for _value, label in cls.choices]

    @property
    def values(cls) -> list[Any]:
        """The values, in the order of :py:attr:`choices`."""
        return [value for value, _label in cls.choices]


class Choices(enum.Enum, metaclass=ChoicesType):
    """Base of the choices enumerations; mix in a data type to get its
    values (``class Sizes(float, Choices)``).

    A member declared ``NAME = value, label`` reaches ``__new__`` as those
    two arguments (the :py:mod:`enum` way of tuple-valued members): the
    value becomes the member's value, the label is kept beside it.
    """

    #: The declared label; ``None``: made from the name.
    _label_: str | None

    def __new__(cls, *declared: Any) -> Choices:
        value, label = _value_and_label(declared)
        member = cls._make(value)
        member._value_ = value
        member._label_ = label
        return member

    @classmethod
    def _make(cls, value: Any) -> Choices:
        """A new member object holding ``value`` (the data type's own
        constructor in a subclass mixing one in)."""
        return object.__new__(cls)

    @enum.property
    def label(self) -> str:
        """The member's label, as declared (a translated text stays the
        object it was given as) or made from its name: ``PRIVATE_TOKEN``
        reads "Private Token"."""
        label = self._label_
        return label if label is not None else self._name_.replace("_", " ").title()

    def __str__(self) -> str:
        # The value, as in Django 5, so messages and f-strings show what
        # is stored rather than ``TokenChoices.PRIVATE_TOKEN``.
        return str(self.value)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}.{self._name_}"


class TextChoices(str, Choices):
    """Choices whose values are text; ``auto()`` gives the member's name."""

    @classmethod
    def _make(cls, value: Any) -> Choices:
        return str.__new__(cls, value)

    @staticmethod
    def _generate_next_value_(
        name: str, start: int, count: int, last_values: list[Any]
    ) -> str:
        return name


class IntegerChoices(int, Choices):
    """Choices whose values are integers."""

    @classmethod
    def _make(cls, value: Any) -> Choices:
        return int.__new__(cls, value)
