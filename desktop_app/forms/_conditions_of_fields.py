"""When a field is shown and editable: ``visible_when`` and ``enabled_when``.

A field may depend on the values of others ("the token only when the
authentication is 'token'"). The condition is declared on the field, so the
dialog applies it as the user types and the form skips the field when it
does not apply: a hidden or disabled field is neither validated nor saved.

A condition is either a mapping, field name → expected value, all of which
must hold, or a callable taking the current values (a dict by field name)
and returning a bool. In a mapping, an expected value that is a list, tuple,
set or frozenset means "one of these", and a callable means "this predicate
of the value is true".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop_app.forms._errors import ValidationError

if TYPE_CHECKING:
    from desktop_app.forms._field import Field

__all__ = [
    "Condition",
    "FieldState",
    "check_condition_names",
    "condition_holds",
    "current_values",
    "field_states",
    "has_conditions",
    "inactive_fields",
]

#: What ``visible_when`` and ``enabled_when`` accept.
Condition = Mapping[str, Any] | Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class FieldState:
    """Whether a field is shown and whether it can be edited."""

    visible: bool = True
    enabled: bool = True

    @property
    def active(self) -> bool:
        """Whether the field counts: it is validated and saved."""
        return self.visible and self.enabled


def condition_holds(condition: Condition | None, values: Mapping[str, Any]) -> bool:
    """Return whether a condition holds for the current values.

    ``None`` (no condition) always holds.
    """
    if condition is None:
        return True
    if callable(condition):
        return bool(condition(values))
    for name, expected in condition.items():
        value = values.get(name)
        if callable(expected):
            if not expected(value):
                return False
        elif isinstance(expected, (list, tuple, set, frozenset)):
            if not any(_same(value, option) for option in expected):
                return False
        elif not _same(value, expected):
            return False
    return True


def _same(value: Any, expected: Any) -> bool:
    # A bool is no number here: {"enabled": 1} should not match True.
    if isinstance(value, bool) is not isinstance(expected, bool):
        return False
    return bool(value == expected)


def current_values(
    fields: Mapping[str, Field], data: Mapping[str, Any]
) -> dict[str, Any]:
    """Return each field's value as conditions see it.

    The clean value where the raw one cleans (``"true"`` from a command
    line is ``True``, ``"3"`` is ``3``), else the raw value as given, so a
    half-typed value still decides what is shown. A field that reads its
    value from several keys (``Field.value_from_datadict``) reads it here
    the same way as when the form is cleaned.
    """
    values: dict[str, Any] = {}
    for name, field in fields.items():
        raw = (
            field.value_from_datadict(data, {}, name)
            if field._reads_datadict
            else data.get(name)
        )
        try:
            values[name] = field.to_python(raw)
        except ValidationError:
            values[name] = raw
    return values


def field_states(
    fields: Mapping[str, Field], data: Mapping[str, Any]
) -> dict[str, FieldState]:
    """Return field name → :py:class:`FieldState` for raw values ``data``.

    Conditions see :py:func:`current_values`. A field shown only when a
    hidden field has some value is hidden too: conditions are applied until
    nothing changes, with hidden and disabled fields seen as empty.
    """
    values = current_values(fields, data)
    states = {name: FieldState() for name in fields}
    if not has_conditions(fields):
        return states
    for _round in range(len(fields) + 1):
        seen = {
            name: (value if states[name].active else None)
            for name, value in values.items()
        }
        new = {
            name: FieldState(
                visible=condition_holds(_conditions_of(field)[0], seen),
                enabled=condition_holds(_conditions_of(field)[1], seen),
            )
            for name, field in fields.items()
        }
        if new == states:
            break
        states = new
    return states


def inactive_fields(
    fields: Mapping[str, Field], data: Mapping[str, Any]
) -> frozenset[str]:
    """Return the names of the fields hidden or disabled for ``data``."""
    if not any(_conditions_of(field) != (None, None) for field in fields.values()):
        return frozenset()
    return frozenset(
        name for name, state in field_states(fields, data).items() if not state.active
    )


def check_condition_names(form_name: str, fields: Mapping[str, Field]) -> None:
    """Refuse a mapping condition that names no field of the form.

    Raises:
        ValueError: A condition names an unknown field (a mistake in the
            form's code, found when the class is defined).
    """
    for name, field in fields.items():
        for kind, condition in zip(
            ("visible_when", "enabled_when"), _conditions_of(field), strict=True
        ):
            if condition is None or callable(condition):
                continue
            unknown = [key for key in condition if key not in fields]
            if unknown:
                raise ValueError(
                    f"{form_name}.{name}: {kind} names no field of the form: "
                    f"{', '.join(map(repr, unknown))}"
                )


def has_conditions(fields: Mapping[str, Field]) -> bool:
    """Whether any field declares ``visible_when`` or ``enabled_when`` (most
    forms do not, and need no re-evaluation as the user types)."""
    return any(_conditions_of(field) != (None, None) for field in fields.values())


def _conditions_of(field: Field) -> tuple[Condition | None, Condition | None]:
    return (
        getattr(field, "visible_when", None),
        getattr(field, "enabled_when", None),
    )
