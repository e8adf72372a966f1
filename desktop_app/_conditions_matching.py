"""``config.match_conditions()``: check a configuration's stored conditions
against an event, without ever raising into the handler.

Stored rules outlive the code that wrote them: a choice a plugin dropped, a
regular expression edited by hand, an event that lacks a field. Such a rule
counts as not matching, and the reason goes to the activity log (and the
log), where the user can see why a configuration stayed quiet.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any

from desktop_app.activity import OUTCOME_FAILED, get_activity_log
from desktop_app.conditions import (
    Condition,
    ConditionChoiceNotFoundError,
    ConditionOperatorNotFoundError,
    ConditionSet,
    InvalidConditionModeError,
    InvalidConditionValueError,
)
from desktop_app.conditions.values import ValueStateCache
from desktop_app.forms._conditions_field import ConditionsField
from desktop_app.forms._field import shorten

__all__ = ["match_conditions"]

logger = logging.getLogger(__name__)

_RULE_ERRORS = (
    ConditionChoiceNotFoundError,
    ConditionOperatorNotFoundError,
    InvalidConditionModeError,
    InvalidConditionValueError,
)


def match_conditions(
    config: Any,
    form_cls: type,
    conditions_key: str = "conditions",
    match_kwargs: Mapping[str, Any] | None = None,
) -> bool:
    """Return whether an event satisfies a configuration's conditions.

    Args:
        config (IntegrationConfig | ConfigSnapshot): Its ``get()`` gives
            the stored conditions.
        form_cls (type): The configuration form; its field named
            ``conditions_key`` (a ``ConditionsField``) gives the choices.
        conditions_key (str): The setting and field holding the conditions.
        match_kwargs (Mapping): The values rules read (the payload).

    Returns:
        bool: ``True`` when the event matches. A configuration without
        stored conditions (saved before the form had the field, or an empty
        value) matches every event, as the field's initial value does. A
        rule that cannot be checked does not match.
    """
    values = dict(match_kwargs or {})
    problems: list[str] = []
    try:
        matched = _match(config, form_cls, conditions_key, values, problems)
    finally:
        if problems:
            _record(config, values, problems)
    return matched


def _match(
    config: Any,
    form_cls: type,
    key: str,
    values: dict[str, Any],
    problems: list[str],
) -> bool:
    field = getattr(form_cls, "base_fields", {}).get(key)
    if not isinstance(field, ConditionsField):
        problems.append(f'the form {form_cls.__name__} has no conditions field "{key}"')
        return False
    data = config.get(key)
    if isinstance(data, str) and data.strip():
        # JSON text, as the form also takes it (a hand-edited export).
        try:
            data = json.loads(data)
        except ValueError:
            problems.append("the stored conditions are not valid JSON")
            return False
    if field.is_empty(data) or data == "":
        return True  # nothing stored: as the form's initial "always"
    if not isinstance(data, Mapping):
        problems.append("the stored conditions are not a mode and a list of rules")
        return False
    mode = data.get("mode")
    if mode not in ConditionSet.MODES:
        problems.append(f'"{shorten(str(mode))}" is not a valid condition mode')
        return False
    if mode == ConditionSet.MODE_ALWAYS:
        return True
    rules = data.get("conditions") or []
    if not isinstance(rules, (list, tuple)):
        problems.append("the stored conditions are not a list of rules")
        return False
    results = [
        _check_rule(field, index, rule, values, problems, cache={})
        for index, rule in enumerate(rules)
    ]
    if mode == ConditionSet.MODE_ANY:
        return any(results)
    return bool(results) and all(results)


def _check_rule(
    field: ConditionsField,
    index: int,
    rule: Any,
    values: dict[str, Any],
    problems: list[str],
    cache: ValueStateCache,
) -> bool:
    where = f"condition {index + 1}"
    try:
        condition = Condition.deserialize(
            field.choices, rule, index, choice_kwargs=field.choice_kwargs
        )
    except _RULE_ERRORS as e:
        problems.append(f"{where}: {e}")
        return False
    except Exception as e:  # a plugin's choice or value field failed
        problems.append(f"{where}: {type(e).__name__}: {shorten(str(e))}")
        return False
    kwarg = condition.choice.value_kwarg
    if kwarg not in values:
        problems.append(f'{where}: the event has no "{kwarg}" field')
        return False
    try:
        return bool(condition.matches(values[kwarg], cache))
    except Exception as e:  # plugin code, or values that do not compare
        name = condition.choice.name or condition.choice.choice_id
        problems.append(
            f"{where} ({name} {(condition.operator.name or '').lower()}) could "
            f"not be checked: {type(e).__name__}: {shorten(str(e))}"
        )
        return False


def _record(config: Any, values: Mapping[str, Any], problems: list[str]) -> None:
    signal = values.get("signal")
    signal_name = getattr(signal, "name", signal)
    message = (
        f'Conditions of "{getattr(config, "name", "")}" counted as not '
        f"matching: {'; '.join(problems)}."
    )
    logger.warning("%s", message)
    get_activity_log().record(
        signal_name if isinstance(signal_name, str) else "",
        getattr(config, "integration_id", "") or "",
        time.time(),
        0.0,
        OUTCOME_FAILED,
        message,
        config_id=getattr(config, "id", None),
        config_name=getattr(config, "name", None),
    )
