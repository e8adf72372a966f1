"""Declarative forms: a class of fields that validates one set of values."""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import Any, ClassVar

from desktop_app.forms._conditions_of_fields import (
    FieldState,
    check_condition_names,
    field_states,
    has_conditions,
    inactive_fields,
)
from desktop_app.forms._errors import ErrorList, ValidationError, error_messages
from desktop_app.forms._field import Field
from desktop_app.forms._fieldsets import Fieldset, normalize_fieldsets

__all__ = ["NON_FIELD_ERRORS", "Form"]

#: The key of :py:attr:`Form.errors` for errors about the form as a whole.
NON_FIELD_ERRORS = "__all__"


class _FormFields(dict[str, Field]):
    """A form's fields. One added under a name after the form was made
    (``self.fields['project'] = forms.ChoiceField(...)`` in a Django form's
    ``__init__``) is bound to that name, as a declared field is, so its
    editor, label and errors know it."""

    def __setitem__(self, name: str, field: Field) -> None:
        if isinstance(field, Field) and field.name != name:
            field.bind(name)
        super().__setitem__(name, field)


class Form:
    """A set of fields, validated together, in the style of Django forms.

    Fields are declared as class attributes. The class collects them into
    :py:attr:`base_fields` (inherited fields first, then the class's own in
    declaration order) and removes them from the class namespace; a subclass
    can drop an inherited field by setting its name to ``None``. An
    optional inner ``Meta`` class may give ``fieldsets`` (Django admin
    style), turned into :py:attr:`fieldsets` when the class is defined.

    Validation runs lazily, on the first access of :py:attr:`errors`,
    :py:meth:`is_valid` or :py:attr:`cleaned_data`, in this order: each
    field's :py:meth:`~desktop_app.forms.Field.clean`, then the form's
    ``clean_<field>()`` hook if any (it reads ``self.cleaned_data`` and
    returns the value), then :py:meth:`clean` for checks across fields.

    Args:
        data (mapping, optional): The raw values, keyed by field name (with
            the prefix, if any). A missing key means an empty value. Without
            data the form is unbound: it only describes its fields and
            initial values.
        files (mapping, optional): Accepted for Django's signature; a
            desktop form has no uploads, so it is only handed on to the
            fields' ``value_from_datadict``.
        initial (mapping, optional): Values editors start with, overriding
            each field's ``initial``.
        prefix (str, optional): Read each field's value from
            ``data['<prefix>-<name>']``, as Django does, so two forms can
            share one set of data. Defaults to the class's ``prefix``.

    Attributes:
        fields (dict[str, Field]): This instance's own copies of the fields,
            so a form may change one (say, its choices) without touching
            the class.
        data (dict): The raw values (empty when unbound).
        initial (dict): The initial values given.
    """

    #: Every field of the form class, by name, in display order.
    base_fields: ClassVar[dict[str, Field]] = {}

    #: The normalised fieldsets; every field appears in exactly one.
    fieldsets: ClassVar[tuple[Fieldset, ...]] = ()

    #: The default prefix of the keys in ``data`` (see :py:meth:`add_prefix`).
    prefix: str | None = None

    #: The list class of each field's messages, for ``clean()`` code that
    #: writes ``self._errors[name] = self.error_class([...])`` as in Django.
    error_class: ClassVar[type[ErrorList]] = ErrorList

    #: The fields declared by this very class (not inherited), bound.
    _declared_fields: ClassVar[dict[str, Field]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own: dict[str, Field] = {}
        for name, value in list(vars(cls).items()):
            if isinstance(value, Field):
                # A copy, so one field object reused under two names (or in
                # two forms) is bound once per place.
                field = copy.deepcopy(value)
                field.bind(name)
                own[name] = field
                delattr(cls, name)
        cls._declared_fields = own

        fields: dict[str, Field] = {}
        for klass in reversed(cls.__mro__):
            fields.update(vars(klass).get("_declared_fields", {}))
            for name, value in vars(klass).items():
                if value is None and name in fields:
                    del fields[name]
        cls.base_fields = fields
        check_condition_names(cls.__name__, fields)
        cls.fieldsets = cls._build_fieldsets()

    @classmethod
    def _build_fieldsets(cls) -> tuple[Fieldset, ...]:
        """Return the class's fieldsets; called once, at class definition."""
        declared = getattr(getattr(cls, "Meta", None), "fieldsets", ())
        return normalize_fieldsets(cls.__name__, declared, cls.base_fields)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        *,
        initial: Mapping[str, Any] | None = None,
        prefix: str | None = None,
    ) -> None:
        self.is_bound = data is not None
        self.files: dict[str, Any] = dict(files) if files else {}
        if prefix is not None:
            self.prefix = prefix
        self.data: dict[str, Any] = dict(data) if data is not None else {}
        self.initial: dict[str, Any] = dict(initial) if initial else {}
        # Each field's own __deepcopy__, without copy.deepcopy's dispatch
        # over the dict: building a form per imported config made that
        # dispatch a fifth of an import.
        memo: dict[int, Any] = {}
        self.fields: dict[str, Field] = _FormFields(
            {name: field.__deepcopy__(memo) for name, field in self.base_fields.items()}
        )
        self._errors: dict[str, list[str]] | None = None
        self._cleaned_data: dict[str, Any] = {}

    def rebind(self, data: Mapping[str, Any]) -> None:
        """Take another set of raw values, dropping earlier results.

        For checking many sets of values with one form (an import checks
        thousands of configurations): building a form per set copies every
        field each time. The form's own fields and initial values stay as
        they are.
        """
        self.is_bound = True
        self.data = dict(data)
        self._errors = None
        self._cleaned_data = {}

    @property
    def errors(self) -> dict[str, list[str]]:
        """Messages by field name (``'__all__'`` for the form as a whole).

        Empty for an unbound form. Validation runs on first access.
        """
        if self._errors is None:
            self.full_clean()
        assert self._errors is not None
        return self._errors

    @property
    def cleaned_data(self) -> dict[str, Any]:
        """The clean values of the fields that passed validation."""
        self.errors  # noqa: B018 - validates on first access
        return self._cleaned_data

    @cleaned_data.setter
    def cleaned_data(self, values: dict[str, Any]) -> None:
        # Django's is a plain attribute: tests of a clean_<field>() set it
        # and call the hook (Review Board's I Done This tests do). What is
        # set counts as the result of validation, so reading it does not
        # validate over it.
        if self._errors is None:
            self._errors = {}
        self._cleaned_data = values

    def current_fieldsets(self) -> tuple[Fieldset, ...]:
        """The class's :py:attr:`fieldsets` for the fields this form has.

        Django forms may add fields in ``__init__`` (``self.fields['x'] =
        ...``) or remove some: a removed field is left out (a fieldset
        left empty goes), and an added one that no fieldset names comes
        last, in a group of its own, as fields no fieldset names do.
        """
        fields = self.fields
        named: set[str] = set()
        shown: list[Fieldset] = []
        for fieldset in self.fieldsets:
            named.update(fieldset.fields)
            present = tuple(name for name in fieldset.fields if name in fields)
            if present:
                shown.append(
                    fieldset
                    if len(present) == len(fieldset.fields)
                    else fieldset._replace(fields=present)
                )
        added = tuple(name for name in fields if name not in named)
        if added:
            shown.append(Fieldset(None, "", added))
        return tuple(shown)

    def is_valid(self) -> bool:
        """Return whether the form is bound and has no errors."""
        return self.is_bound and not self.errors

    def non_field_errors(self) -> list[str]:
        """Return the messages about the form as a whole."""
        return list(self.errors.get(NON_FIELD_ERRORS, []))

    def add_prefix(self, field_name: str) -> str:
        """Return the key of a field's value in ``data`` (Django's rule:
        ``'<prefix>-<name>'`` with a prefix, the bare name without)."""
        return f"{self.prefix}-{field_name}" if self.prefix else field_name

    def _raw_value(self, name: str) -> Any:
        """Return a field's raw value from ``data`` (``None`` if missing),
        through the field's :py:meth:`~desktop_app.forms.Field.value_from_datadict`
        when its class overrides it."""
        key = self.add_prefix(name) if self.prefix else name
        field = self.fields.get(name)
        if field is not None and field._reads_datadict:
            return field.value_from_datadict(self.data, self.files, key)
        return self.data.get(key)

    @property
    def changed_data(self) -> list[str]:
        """Names of the fields whose submitted value differs from the
        initial one (empty for an unbound form), in field order."""
        if not self.is_bound:
            return []
        return [
            name
            for name, field in self.fields.items()
            if self._field_changed(name, field)
        ]

    def has_changed(self) -> bool:
        """Return whether any submitted value differs from its initial one."""
        return bool(self.changed_data)

    def _field_changed(self, name: str, field: Field) -> bool:
        """Compare one field's submitted and initial values, both converted
        the field's way (``"5"`` and ``5`` are the same number); a value
        that does not convert counts as changed."""
        initial = self.get_initial_for_field(name)
        try:
            data = field.to_python(self._raw_value(name))
        except ValidationError:
            return True
        try:
            initial = field.to_python(field.to_data(initial))
        except ValidationError:
            return True
        empty = field.is_empty
        if empty(data) and empty(initial):
            return False
        return bool(data != initial)

    def field_states(
        self, data: Mapping[str, Any] | None = None
    ) -> dict[str, FieldState]:
        """Return field name → whether it is shown and editable, following
        each field's ``visible_when`` and ``enabled_when``.

        Args:
            data (mapping, optional): Raw values by field name to judge;
                the form's own :py:attr:`data` by default.
        """
        return field_states(self.fields, self._data_by_name() if data is None else data)

    def _data_by_name(self) -> Mapping[str, Any]:
        """:py:attr:`data` keyed by field name, as conditions read it: with
        a prefix, each field's value is under ``'<prefix>-<name>'``."""
        if not self.prefix:
            return self.data
        return {name: self._raw_value(name) for name in self.fields}

    def get_initial_for_field(self, name: str) -> Any:
        """Return the value an editor for ``name`` starts with.

        The form's ``initial`` wins over the field's own ``initial``.
        """
        if name in self.initial:
            value = self.initial[name]
            return value() if callable(value) else value
        return self.fields[name].get_initial()

    def add_error(self, field: str | None, error: object) -> None:
        """Record an error and drop the field from :py:attr:`cleaned_data`.

        Meant for :py:meth:`clean`, to attach a cross-field problem to the
        field the user should change.

        Args:
            field (str | None): The field's name; ``None`` for the form.
            error (object): The message(s): a string, a
                :py:class:`ValidationError`, any exception (its text is
                shown), a list of those, or, with ``field=None``, a dict of
                field name → such errors, as Django takes.

        Raises:
            KeyError: The form has no such field.
        """
        if isinstance(error, dict):
            if field is not None:
                raise TypeError(
                    "add_error() takes a dict of errors only with field=None"
                )
            for name, errors in error.items():
                self.add_error(None if name == NON_FIELD_ERRORS else name, errors)
            return
        if field is not None and field not in self.fields:
            raise KeyError(f"{type(self).__name__} has no field named {field!r}")
        if self._errors is None:
            self._errors = {}
        key = NON_FIELD_ERRORS if field is None else field
        messages = self._errors.setdefault(key, self.error_class())
        messages.extend(error_messages(error))
        self._cleaned_data.pop(key, None)

    def full_clean(self) -> None:
        """Validate all data now, replacing earlier results."""
        self._errors = {}
        self._cleaned_data = {}
        if not self.is_bound:
            return
        # A class is hashable; mypy checks a type[Form] value against the
        # instance's __hash__ instead (a known mypy limitation).
        hooks = _field_hooks(type(self))  # type: ignore[arg-type]
        # Fields hidden or disabled by their visible_when / enabled_when
        # are not the user's to fill in: neither validated nor saved.
        inactive = (
            inactive_fields(self.fields, self._data_by_name())
            if _declares_conditions(type(self))  # type: ignore[arg-type]
            else frozenset()
        )
        for name, field in self.fields.items():
            if name in inactive:
                continue
            try:
                self._cleaned_data[name] = self._clean_field(name, field)
                # The class's clean_<field>() hooks, looked up once per class
                # (a field added to one instance is looked up by name).
                try:
                    hook = hooks[name]
                except KeyError:
                    hook = f"clean_{name}" if hasattr(self, f"clean_{name}") else None
                if hook is not None:
                    self._cleaned_data[name] = getattr(self, hook)()
            except ValidationError as e:
                self.add_error(name, e)
        try:
            cleaned = self.clean()
        except ValidationError as e:
            self.add_error(None, e)
        else:
            if cleaned is not None:
                self._cleaned_data = cleaned
        self._errors = _plain_errors(self._errors, self.error_class)

    def _clean_field(self, name: str, field: Field) -> Any:
        """Return the clean value of one field (subclasses may step in)."""
        return field.clean(self._raw_value(name))

    def clean(self) -> dict[str, Any] | None:
        """Check values against each other; override in subclasses.

        Raise :py:class:`ValidationError` for a form-wide error, or call
        :py:meth:`add_error` to point at a field. Return the cleaned data
        (or ``None`` to keep it as is).
        """
        return self._cleaned_data

    def __repr__(self) -> str:
        # Never the data: it may hold secrets. Never validation either: a
        # debugger or a log line must not run the author's clean(), which
        # may reach a server.
        if not self.is_bound:
            state = "unbound"
        elif self._errors is None:
            state = "valid=unknown"
        else:
            state = f"valid={not self._errors}"
        return f"<{type(self).__name__} {state} fields={list(self.fields)}>"


def _plain_errors(
    errors: Mapping[str, Any] | None, error_class: type[ErrorList]
) -> dict[str, list[str]]:
    """Return the errors with every message as text.

    ``clean()`` code may have written ``self._errors[name]`` directly with
    exception objects or a plain list; a dialog must get strings.
    """
    plain: dict[str, list[str]] = {}
    for key, value in (errors or {}).items():
        messages = error_class(value if isinstance(value, list) else [value])
        if messages:
            plain[str(key)] = messages
    return plain


@functools.lru_cache(maxsize=256)
def _declares_conditions(form_cls: type[Form]) -> bool:
    """Whether a form class has fields with ``visible_when`` or
    ``enabled_when`` (looked up once per class: an import validates
    thousands of configurations through the same form)."""
    return has_conditions(form_cls.base_fields)


@functools.lru_cache(maxsize=256)
def _field_hooks(form_cls: type[Form]) -> dict[str, str | None]:
    """Field name → name of its ``clean_<field>()`` hook (``None``: none),
    for the class's declared fields. Bounded, so form classes of reloaded
    plugins are not kept forever."""
    return {
        name: f"clean_{name}" if hasattr(form_cls, f"clean_{name}") else None
        for name in form_cls.base_fields
    }
