"""Forms that load from and save to a key/value store, as djblets' do.

djblets' ``KeyValueForm`` is the base of every integration configuration
form, and real integrations override its hooks: ``load()`` to mark fields
disabled before the values are read, ``serialize_<field>_field()`` and
``deserialize_<field>_field()`` to store a value in another shape than the
editor shows, and the load and save blacklists to leave fields out. This
class gives those hooks the same names and order here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from desktop_app.forms._field import Field
from desktop_app.forms._form import Form

__all__ = ["KeyValueForm"]


class KeyValueForm(Form):
    """A form whose initial values come from an object's keys, and whose
    clean values go back to them.

    The object (:py:attr:`instance`) is anything with ``get(key, default)``
    and item assignment, unless a subclass overrides
    :py:meth:`get_key_value` and :py:meth:`set_key_value`.

    Construction ends with :py:meth:`load`; saving is :py:meth:`save`.
    Subclasses may add, for a field ``name``:

    * ``deserialize_name_field(value)``: the stored value → what the editor
      shows (called by :py:meth:`load`);
    * ``serialize_name_field(value)``: the clean value → what is stored
      (called by :py:meth:`save`).

    ``Meta.load_blacklist`` and ``Meta.save_blacklist`` (or the methods
    :py:meth:`get_load_blacklist` and :py:meth:`get_save_blacklist`) name
    fields that are not loaded or not saved.

    Args:
        data (mapping, optional): Raw values; see :py:class:`Form`.
        files (mapping, optional): See :py:class:`Form`.
        instance (object, optional): The object loaded from and saved to;
            ``None`` until :py:meth:`save` creates one with
            :py:meth:`create_instance`.
        **kwargs: ``initial`` and ``prefix``; see :py:class:`Form`.

    Attributes:
        instance (object | None): As given; after :py:meth:`save`, the one
            saved.
        disabled_fields (dict | list): Names of fields shown disabled; set
            it in :py:meth:`load` before calling the base class's. A
            disabled field keeps its initial value whatever is submitted.
        disabled_reasons (dict[str, str]): Field name → why it is disabled,
            shown beside the editor.
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        instance: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, files, **kwargs)
        #: Names given in ``initial=``: those win over stored values.
        self._initial_given = frozenset(self.initial)
        self.instance = instance
        self.disabled_fields: Mapping[str, Any] | Iterable[str] = {}
        self.disabled_reasons: dict[str, str] = {}
        self.load()

    # Loading ---------------------------------------------------------------

    def load(self) -> None:
        """Set each field's initial value from :py:attr:`instance`.

        Fields in the load blacklist keep their own initial value. Override
        to prepare the form (say, fill :py:attr:`disabled_fields`) and then
        call the base class's ``load()``.
        """
        blacklist = set(self.get_load_blacklist())
        given = self._initial_given
        for name, field in self.fields.items():
            if name in given:
                continue
            self.initial[name] = (
                field.get_initial()
                if name in blacklist
                else self.load_initial(name, field)
            )

    def load_initial(self, name: str, field: Field) -> Any:
        """Return the value a field's editor starts with.

        The stored value, passed through ``deserialize_<name>_field()``
        when the form has one; the field's own initial value when there is
        no instance.
        """
        if self.instance is None:
            return field.get_initial()
        value = self.get_key_value(name, default=field.get_initial())
        return self.deserialize_value(name, value)

    def deserialize_value(self, name: str, value: Any) -> Any:
        """Apply ``deserialize_<name>_field()``, if the form defines it."""
        return self._apply_hook("deserialize", name, value)

    def serialize_value(self, name: str, value: Any) -> Any:
        """Apply ``serialize_<name>_field()``, if the form defines it."""
        return self._apply_hook("serialize", name, value)

    def _apply_hook(self, kind: str, name: str, value: Any) -> Any:
        hooks = _value_hooks(type(self))[kind]  # type: ignore[arg-type]
        hook = hooks[name] if name in hooks else self._hook_of(name, kind)
        return value if hook is None else getattr(self, hook)(value)

    def serializers(self) -> Mapping[str, str | None]:
        """Field name → the name of its ``serialize_<field>_field`` method
        (``None``: none), for the class's fields; looked up once per class,
        since an import saves thousands of forms."""
        return _value_hooks(type(self))["serialize"]  # type: ignore[arg-type]

    def _hook_of(self, name: str, kind: str = "serialize") -> str | None:
        attr = f"{kind}_{name}_field"
        return attr if hasattr(self, attr) else None

    def get_key_value(self, key: str, default: Any = None) -> Any:
        """Return a key's stored value (``instance.get(key, default)``)."""
        return self.instance.get(key, default)

    def set_key_value(self, key: str, value: Any) -> None:
        """Store a key's value (``instance[key] = value``)."""
        self.instance[key] = value

    def get_load_blacklist(self) -> Iterable[str]:
        """Return the fields not loaded: ``Meta.load_blacklist``, else the
        save blacklist."""
        meta = getattr(self, "Meta", None)
        if meta is not None and hasattr(meta, "load_blacklist"):
            return tuple(meta.load_blacklist)
        return tuple(self.get_save_blacklist())

    def get_save_blacklist(self) -> Iterable[str]:
        """Return the fields not saved: ``Meta.save_blacklist``, else none."""
        return tuple(getattr(getattr(self, "Meta", None), "save_blacklist", ()))

    # Disabled fields -----------------------------------------------------

    def is_disabled(self, name: str) -> bool:
        """Return whether the field is disabled (see
        :py:attr:`disabled_fields`: a dict of name → flag, or names)."""
        disabled = self.disabled_fields
        if isinstance(disabled, Mapping):
            return bool(disabled.get(name))
        return name in disabled

    def disabled_reason(self, name: str) -> str:
        """Return why a disabled field is disabled (``""`` if not said)."""
        return str(self.disabled_reasons.get(name) or "")

    def _raw_value(self, name: str) -> Any:
        # A disabled editor cannot change its value, whatever data says
        # (Django's rule for disabled fields).
        if self.disabled_fields and self.is_disabled(name):
            return self.get_initial_for_field(name)
        return super()._raw_value(name)

    # Saving --------------------------------------------------------------

    def save(
        self, commit: bool = True, extra_save_blacklist: Iterable[str] = ()
    ) -> Any:
        """Put the clean values into :py:attr:`instance` and save it.

        Args:
            commit (bool): Whether to call :py:meth:`save_instance` after
                setting the values.
            extra_save_blacklist (iterable of str): More fields not to save.

        Returns:
            object: The instance.

        Raises:
            ValueError: The form has errors.
        """
        if self.errors:
            raise ValueError("The form could not be saved due to one or more errors.")
        if self.instance is None:
            self.instance = self.create_instance()
        blacklist = set(extra_save_blacklist) | set(self.get_save_blacklist())
        for key, value in self.cleaned_data.items():
            if key not in blacklist:
                self.set_key_value(key, self.serialize_value(key, value))
        if commit:
            self.save_instance()
        return self.instance

    def create_instance(self) -> Any:
        """Return a new object to save to; subclasses without an instance
        must override it."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement create_instance()"
        )

    def save_instance(self) -> None:
        """Store the instance; nothing by default."""


@functools.lru_cache(maxsize=256)
def _value_hooks(form_cls: type[KeyValueForm]) -> dict[str, dict[str, str | None]]:
    """kind (``serialize``/``deserialize``) → field name → the name of the
    class's ``<kind>_<field>_field`` method (``None``: none). Bounded, so
    classes of reloaded plugins go."""
    return {
        kind: {
            name: (
                f"{kind}_{name}_field"
                if hasattr(form_cls, f"{kind}_{name}_field")
                else None
            )
            for name in form_cls.base_fields
        }
        for kind in ("serialize", "deserialize")
    }
