"""Fieldsets: the groups and order in which a form's fields are shown.

Authors write them as Django admin does, in ``Meta.fieldsets``::

    fieldsets = (
        ('Connection', {'description': '...', 'fields': ('url', 'token')}),
        (None, {'fields': ('retries',), 'classes': ('collapse',)}),
    )

Here they become :py:class:`Fieldset` tuples once, when the form class is
defined, so a mistake fails at import with the class and field named, not
when a user first opens the dialog.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from desktop_app.errors import FormDefinitionError

__all__ = ["Fieldset", "normalize_fieldsets"]

_OPTIONS = frozenset({"fields", "description", "classes"})


class Fieldset(NamedTuple):
    """One group of fields, in display order.

    Attributes:
        title (str | None): Heading of the group; ``None`` for no heading.
        description (str): Instructions shown above the fields.
        fields (tuple[str, ...]): Names of the fields, in order.
        classes (tuple[str, ...]): Presentation hints, such as
            ``'collapse'``; the UI honours the ones it knows.
    """

    title: str | None
    description: str
    fields: tuple[str, ...]
    classes: tuple[str, ...] = ()


def normalize_fieldsets(
    form_name: str,
    declared: Sequence[Any],
    field_names: Iterable[str],
    leading: Sequence[Fieldset] = (),
) -> tuple[Fieldset, ...]:
    """Validate Django-admin fieldsets and return them as :py:class:`Fieldset`.

    Every field of the form ends up in exactly one fieldset: fields that no
    fieldset names go into a trailing fieldset without a title, so a field
    is never silently hidden.

    Args:
        form_name (str): The form class's name, for error messages.
        declared (sequence): The author's ``Meta.fieldsets``.
        field_names (iterable of str): The form's fields, in order.
        leading (sequence of Fieldset): Fieldsets placed before the declared
            ones (already valid). A field that a declared fieldset names is
            dropped from them instead of shown twice; a leading fieldset
            left without fields is dropped.

    Raises:
        desktop_app.errors.FormDefinitionError: A fieldset is malformed,
            names an unknown field, or a field is named twice.
    """
    known = list(field_names)
    if isinstance(declared, (str, bytes)) or not isinstance(declared, Sequence):
        raise FormDefinitionError(
            form_name, "Meta.fieldsets must be a tuple of (title, options) pairs"
        )
    parsed = [_parse(form_name, index, entry) for index, entry in enumerate(declared)]
    seen: set[str] = set()
    for index, fieldset in enumerate(parsed):
        for name in fieldset.fields:
            if name not in known:
                raise FormDefinitionError(
                    form_name,
                    f'fieldset {index} names the unknown field "{name}"',
                    name,
                )
            if name in seen:
                raise FormDefinitionError(
                    form_name,
                    f'the field "{name}" is in more than one fieldset',
                    name,
                )
            seen.add(name)
    result: list[Fieldset] = []
    for fieldset in leading:
        fields = tuple(name for name in fieldset.fields if name not in seen)
        if fields:
            result.append(fieldset._replace(fields=fields))
            seen.update(fields)
    result.extend(parsed)
    rest = tuple(name for name in known if name not in seen)
    if rest:
        result.append(Fieldset(None, "", rest))
    return tuple(result)


def _parse(form_name: str, index: int, entry: Any) -> Fieldset:
    def fail(problem: str) -> FormDefinitionError:
        return FormDefinitionError(form_name, f"fieldset {index} {problem}")

    if not isinstance(entry, (tuple, list)) or len(entry) != 2:
        raise fail("must be a (title, options) pair")
    title, options = entry
    if title is not None and not isinstance(title, str):
        raise fail("has a title that is neither a string nor None")
    if not isinstance(options, dict):
        raise fail("must have a dict of options")
    unknown = set(options) - _OPTIONS
    if unknown:
        raise fail(f"has unknown options {sorted(unknown)}")
    description = options.get("description") or ""
    if not isinstance(description, str):
        raise fail("has a description that is not a string")
    return Fieldset(
        title,
        description,
        _names(fail, options.get("fields", ()), "fields"),
        _names(fail, options.get("classes", ()), "classes"),
    )


def _names(fail: Any, value: Any, option: str) -> tuple[str, ...]:
    # ('a') instead of ('a',) is the classic slip; say so instead of
    # treating the string as a list of one-letter names.
    if isinstance(value, str) or not isinstance(value, (tuple, list)):
        raise fail(f'has "{option}" that is not a tuple or list of strings')
    names: list[str] = []
    for item in value:
        # Django admin puts fields on one line with a nested tuple; the
        # order is kept, the line hint is not.
        items = item if isinstance(item, (tuple, list)) else (item,)
        for name in items:
            if not isinstance(name, str):
                raise fail(f'has "{option}" that is not a tuple or list of strings')
            names.append(name)
    return tuple(names)
