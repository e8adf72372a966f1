"""A field holding a set of conditions, as djblets' ``ConditionsField``.

The clean value is what ``ConditionSet.serialize()`` returns, a plain JSON
dict (``{'mode': 'all', 'conditions': [{'choice': ..., 'op': ...,
'value': ...}]}``), so it is stored in a configuration's settings as djblets
stores it, and exports and ported code agree.

The raw value is that dict (or its JSON text, or a ``ConditionSet``) under
the field's own key, which is what the dialog and stored settings give. Data
written for djblets' ``ConditionsWidget`` spreads it over several keys
instead, one HTML input each: ``<name>_mode``, ``<name>_last_id`` (the
highest row number) and, per row ``i``, ``<name>_choice[i]``,
``<name>_operator[i]`` and ``<name>_value[i]``. Rows deleted in the page
leave holes in the numbering. :py:meth:`ConditionsField.value_from_datadict`
reads that encoding when the field's own key is absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.conditions import (
    Condition,
    ConditionChoiceNotFoundError,
    ConditionChoices,
    ConditionOperatorNotFoundError,
    ConditionSet,
    ConditionValidationError,
    InvalidConditionModeError,
    InvalidConditionValueError,
    SignalConditionChoices,
)
from desktop_app.forms._errors import ValidationError
from desktop_app.forms._field import Field

__all__ = ["ConditionsField", "always_conditions"]

#: The errors a stored or typed set of rules can have.
_RULE_ERRORS = (
    ConditionChoiceNotFoundError,
    ConditionOperatorNotFoundError,
    InvalidConditionModeError,
    InvalidConditionValueError,
)


#: A row's key in djblets' encoding, after ``<name>_``: ``choice[3]``. Row
#: numbers are written as ``str(i)`` writes them, as djblets looks them up.
_ROW_KEY = re.compile(r"(?:choice|operator|value)\[(0|[1-9][0-9]*)\]\Z")


class _PostedConditions(dict[str, Any]):
    """Conditions read from djblets' encoding, and the rows it left out.

    djblets reads rows up to ``<name>_last_id`` and ignores any others
    without a word; they are kept here so that cleaning refuses them
    instead of saving fewer rules than were given.

    Attributes:
        stray_rows (list[int]): Rows past ``<name>_last_id``, or every row
            when it is missing or not a number.
        last_id (int | None): The number given in ``<name>_last_id``.
        last_id_key (str): ``<name>_last_id``, for the message.
    """

    def __init__(
        self,
        mode: Any,
        conditions: list[dict[str, Any]],
        stray_rows: list[int],
        last_id: int | None,
        last_id_key: str,
    ) -> None:
        super().__init__(mode=mode, conditions=conditions)
        self.stray_rows = stray_rows
        self.last_id = last_id
        self.last_id_key = last_id_key

    def check_rows(self) -> None:
        """Raise when rows were left out.

        Raises:
            ValidationError: Some rows lie outside ``<name>_last_id``.
        """
        if not self.stray_rows:
            return
        rows = ", ".join(map(str, self.stray_rows))
        if self.last_id is None:
            message = (
                f"Condition rows {rows} were given without a row count: "
                f'set "{self.last_id_key}" to the highest row number.'
            )
        else:
            message = (
                f'Condition rows {rows} are past "{self.last_id_key}" '
                f"({self.last_id}): set it to the highest row number."
            )
        raise ValidationError(message, code="invalid_rows")


def always_conditions() -> dict[str, Any]:
    """Return the conditions of a new configuration: match every event."""
    return {"mode": ConditionSet.MODE_ALWAYS, "conditions": []}


class ConditionsField(Field):
    """Rules deciding which events a configuration acts on.

    Args:
        choices (ConditionChoices | callable, optional): The choices the
            rules may use: a :py:class:`~desktop_app.conditions.ConditionChoices`
            instance, a subclass, or a function returning an instance, as in
            djblets.
        signal (blinker.Signal | str, optional): Instead of ``choices``: a
            signal defined with ``define_signal(payload=...)``; each payload
            field becomes a choice whose id is the field's name, so
            ``config.match_conditions(form_cls, **payload)`` takes the
            payload as sent.
        choice_kwargs (dict, optional): Passed to every choice's
            constructor.
        **kwargs: See :py:class:`~desktop_app.forms.Field`. The initial
            value (and an empty one) matches every event; ``required``
            defaults to ``False``.

    Raises:
        TypeError: Neither ``choices`` nor ``signal`` was given.
    """

    def __init__(
        self,
        choices: ConditionChoices | Callable[[], ConditionChoices] | None = None,
        *,
        signal: Any = None,
        choice_kwargs: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", always_conditions)
        # An empty value means "always", so there is nothing to require.
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        if choices is None and signal is None:
            raise TypeError("ConditionsField needs choices or a signal")
        if callable(choices):
            # A class, or a function returning an instance (Review Board's
            # Travis CI form passes a lambda), called once here as djblets does.
            choices = choices()
            if not isinstance(choices, ConditionChoices):
                raise TypeError(
                    "ConditionsField choices must give a ConditionChoices, "
                    f"not {type(choices).__name__}"
                )
        self.choices: ConditionChoices = (
            choices if choices is not None else SignalConditionChoices([signal])
        )
        self.choice_kwargs: dict[str, Any] = dict(choice_kwargs or {})

    def value_from_datadict(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> Any:
        """Return the raw conditions: ``data[name]``, or else what djblets'
        ``ConditionsWidget`` posts for the field.

        The field's own key wins when it holds a value. Without it, the
        djblets encoding (see the module's description) is read when any
        of its keys is present, into ``{'mode': ..., 'conditions': [...]}``
        with the rows in row order. Each row's value is read by the value
        field of its choice and operator (``get_from_form_data``) and
        converted when the field is cleaned, so ``'3'`` becomes ``3`` for
        a number choice. A row naming an unknown choice or operator keeps
        its value as given and fails when cleaned, with the field's usual
        message; a row missing its choice or operator fails the same way,
        and rows past ``<name>_last_id`` fail too, where djblets would drop
        them silently.
        """
        value = data.get(name)
        if value is not None:
            return value
        prefix = f"{name}_"
        rows = sorted(
            {
                int(match.group(1))
                for key in data
                if isinstance(key, str)
                and key.startswith(prefix)
                and (match := _ROW_KEY.match(key, len(prefix)))
            }
        )
        mode_key, last_id_key = f"{name}_mode", f"{name}_last_id"
        if not rows and mode_key not in data and last_id_key not in data:
            return None
        try:
            last_id: int | None = int(data[last_id_key])
        except (KeyError, TypeError, ValueError):
            last_id = None
        conditions = [
            self._posted_rule(data, files, name, row)
            for row in rows
            if last_id is not None and row <= last_id
        ]
        return _PostedConditions(
            mode=data.get(mode_key),
            conditions=conditions,
            stray_rows=[row for row in rows if last_id is None or row > last_id],
            last_id=last_id,
            last_id_key=last_id_key,
        )

    def _posted_rule(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str, row: int
    ) -> dict[str, Any]:
        """Return one row of djblets' encoding as a serialized rule."""
        choice_id = data.get(f"{name}_choice[{row}]")
        operator_id = data.get(f"{name}_operator[{row}]")
        value_key = f"{name}_value[{row}]"
        rule: dict[str, Any] = {}
        # A missing choice or operator is left out, so that cleaning says
        # "A choice is required." rather than the row vanishing.
        if choice_id is not None:
            rule["choice"] = choice_id
        if operator_id is not None:
            rule["op"] = operator_id
        # Without a known choice and operator there is no value field to
        # read the value: it is kept as given, and the rule fails when
        # cleaned.
        if choice_id is None or operator_id is None:
            rule["value"] = data.get(value_key)
            return rule
        try:
            choice = self.choices.get_choice(
                choice_id, choice_kwargs=self.choice_kwargs
            )
            value_field = choice.get_operator(operator_id).value_field
        except (ConditionChoiceNotFoundError, ConditionOperatorNotFoundError):
            rule["value"] = data.get(value_key)
            return rule
        # Value fields read plain dicts (djblets' QueryDict in its world).
        plain = data if isinstance(data, dict) else dict(data)
        rule["value"] = (
            None
            if value_field is None
            else value_field.get_from_form_data(plain, files, value_key)
        )
        return rule

    def to_python(self, value: Any) -> Any:
        if isinstance(value, _PostedConditions):
            value.check_rows()
        if isinstance(value, ConditionSet):
            return value.serialize()
        if isinstance(value, str) and value.strip():
            try:
                value = json.loads(value)
            except ValueError:
                raise ValidationError(
                    "Enter the conditions as JSON, such as "
                    '{"mode": "all", "conditions": [...]}.',
                    code="invalid",
                ) from None
        if self.is_empty(value) or value == "":
            return always_conditions()
        if not isinstance(value, Mapping):
            raise ValidationError(
                "Conditions must be a mode and a list of rules.", code="invalid"
            )
        return self.deserialize(value).serialize()

    def deserialize(self, value: Mapping[str, Any]) -> ConditionSet:
        """Return the :py:class:`ConditionSet` of a serialized value.

        Raises:
            ConditionValidationError: Rules are bad; there is one message
                per bad rule, naming it by position ("Condition 2: ...").
        """
        try:
            return ConditionSet.deserialize(
                self.choices, value, choice_kwargs=self.choice_kwargs
            )
        except _RULE_ERRORS as e:
            index = getattr(e, "condition_index", None)
            if index is None:
                raise ConditionValidationError(str(e), code="invalid_conditions") from e
            messages = self._rule_messages(value["conditions"])
            raise ConditionValidationError(
                messages,
                code=getattr(e, "code", None) or "invalid_condition",
                condition_index=index,
            ) from e

    def _rule_messages(self, rules: list[Any]) -> list[str]:
        # Every bad rule at once, so the user fixes them in one go.
        messages = []
        for index, rule in enumerate(rules):
            try:
                Condition.deserialize(self.choices, rule, index, self.choice_kwargs)
            except _RULE_ERRORS as e:
                messages.append(f"Condition {index + 1}: {e}")
        return messages
