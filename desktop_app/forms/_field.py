"""The base class of form fields: metadata plus the cleaning pipeline.

A field is metadata the UI reads to build an editor (label, help text,
required, initial value, widget hint) and the knowledge of how to turn a raw
value into a clean Python value. Raw values come from two places: typed
values from Qt editors (``int``, ``bool``, ``list``) and strings from a
command line (``key=value``), so every field accepts both.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from desktop_app.forms._errors import ValidationError

if TYPE_CHECKING:
    from desktop_app.forms._conditions_of_fields import Condition
from desktop_app.forms._widgets import Widget, coerce_widget

__all__ = ["EMPTY_VALUES", "Field", "pretty_name", "shorten"]

#: Raw values that mean "nothing was entered".
EMPTY_VALUES: tuple[Any, ...] = (None, "", [], (), {})

Validator = Callable[[Any], None]

#: The exact types of the empty containers in :py:data:`EMPTY_VALUES`.
_EMPTY_TYPES = frozenset(type(e) for e in EMPTY_VALUES if e is not None)


class Field:
    """A form field.

    Subclasses override :py:meth:`to_python` (conversion and type errors)
    and :py:meth:`validate` (checks on the converted value).

    Args:
        label (str, optional): Shown next to the editor. Defaults to the
            field's name made readable (``endpoint_url`` → ``Endpoint url``)
            once the form binds the field.
        required (bool): Whether an empty value is an error.
        help_text (str): A sentence shown under the editor.
        initial (object): The value an editor starts with when neither the
            form nor a stored configuration provides one. May be a callable.
        validators (iterable): Callables taking the cleaned value and
            raising :py:class:`ValidationError`; skipped for empty values.
        widget (Widget | type, optional): A hint for the UI's editor choice.
            ``None`` means the default for the field's class.
        visible_when (mapping | callable, optional): When the field is
            shown: other fields' values (``{"auth": "token"}``) or a
            callable taking the current values. A hidden field is neither
            validated nor saved.
        enabled_when (mapping | callable, optional): When the field can be
            edited, in the same form; a disabled field is shown greyed and,
            like a hidden one, neither validated nor saved.

    Attributes:
        name (str | None): The field's name in its form; set by the form.
        widget (Widget | None): The widget marker instance.
        is_secret (bool): Whether the value must never be shown in clear.
    """

    #: The widget marker used when the author gives none (``None``: the UI's
    #: default editor for this field class).
    default_widget: ClassVar[type[Widget] | None] = None

    #: Secrets are masked in editors, never echoed back and never put in
    #: messages.
    is_secret: ClassVar[bool] = False

    #: What an empty optional field cleans to.
    empty_value: ClassVar[Any] = None

    #: Whether the class overrides :py:meth:`value_from_datadict`. Set for
    #: each subclass when it is defined, so forms call the hook only for
    #: fields that need it: an import cleans 10,000 configurations, and a
    #: Python call per field would be most of the cost of a plain lookup.
    _reads_datadict: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._reads_datadict = cls.value_from_datadict is not Field.value_from_datadict

    def __init__(
        self,
        *,
        label: str | None = None,
        required: bool = True,
        help_text: str = "",
        initial: Any = None,
        validators: Iterable[Validator] = (),
        widget: Widget | type[Widget] | None = None,
        visible_when: Condition | None = None,
        enabled_when: Condition | None = None,
    ) -> None:
        self.name: str | None = None
        self.label = label
        self.required = required
        self.help_text = help_text
        self.initial = initial
        self.validators: tuple[Validator, ...] = tuple(validators)
        if widget is None and self.default_widget is not None:
            widget = self.default_widget
        self.widget: Widget | None = coerce_widget(widget)
        self.visible_when = visible_when
        self.enabled_when = enabled_when

    def bind(self, name: str) -> None:
        """Give the field its name in a form (called by the form class)."""
        self.name = name
        if self.label is None:
            self.label = pretty_name(name)

    def value_from_datadict(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> Any:
        """Return this field's raw value from a form's data, as Django's
        ``Widget.value_from_datadict`` does.

        The default reads ``data[name]`` (``None`` when missing). A field
        whose value arrives spread over several keys (djblets' conditions
        post ``<name>_mode``, ``<name>_choice[0]`` ...) overrides this to
        gather them into one raw value for :py:meth:`clean`.

        Args:
            data (mapping): The form's raw values.
            files (mapping): The form's files (a desktop form has none).
            name (str): The field's key in ``data``, with the form's prefix.

        Returns:
            object: The raw value.
        """
        return data.get(name)

    def clean(self, value: Any) -> Any:
        """Return the clean value for a raw one.

        Raises:
            ValidationError: The value is not acceptable; the messages say
            why in words meant for the user.
        """
        value = self.to_python(value)
        self.validate(value)
        if not self.is_empty(value):
            self.run_validators(value)
        return value

    def to_python(self, value: Any) -> Any:
        """Convert a raw value, raising for values of the wrong kind."""
        return self.empty_value if self.is_empty(value) else value

    def validate(self, value: Any) -> None:
        """Check the converted value; the base class checks ``required``."""
        if self.required and self.is_empty(value):
            raise ValidationError("This field is required.", code="required")

    def run_validators(self, value: Any) -> None:
        """Run the author's validators, collecting every message."""
        errors: list[ValidationError] = []
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as e:
                errors.append(e)
        if errors:
            raise ValidationError(errors, code="invalid")

    def is_empty(self, value: Any) -> bool:
        """Return whether a raw or clean value means "nothing entered"."""
        # "Is or equals, with the same type, one of EMPTY_VALUES" (so
        # ``0``, ``False`` and ``0.0`` are not empty), without a generator
        # per call: an import cleans
        # ~10 fields per config and this was a quarter of its time.
        return value is None or (type(value) in _EMPTY_TYPES and not value)

    def to_data(self, value: Any) -> Any:
        """Return what an editor shows for a stored or initial value.

        Stored values are clean values, so this is mostly the identity;
        fields whose editor needs another shape override it.
        """
        return value

    def get_initial(self) -> Any:
        """Return :py:attr:`initial`, calling it when it is a callable."""
        return self.initial() if callable(self.initial) else self.initial

    def __deepcopy__(self, memo: dict[int, Any]) -> Field:
        # Each form instance gets its own fields, but a ``choices`` or
        # ``initial`` callable (often a bound method of a registry) must be
        # shared, not copied along with the object it is bound to.
        # A plain __dict__ copy: copy.copy's reduce protocol costs 5x more.
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.widget = copy.deepcopy(self.widget, memo)
        memo[id(self)] = clone
        return clone

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} required={self.required}>"


def pretty_name(name: str) -> str:
    """Turn a field name into a label, as Django does (``a_b`` → ``A b``)."""
    if not name:
        return ""
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def shorten(text: str, limit: int = 80) -> str:
    """Shorten user input before quoting it in a message.

    Messages are shown in dialogs and logs; a pasted megabyte must not be.
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"
