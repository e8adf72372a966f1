"""The base form for configuring an integration."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from desktop_app.forms._boolean_field import BooleanField
from desktop_app.forms._errors import ValidationError
from desktop_app.forms._field import Field
from desktop_app.forms._fieldsets import Fieldset, normalize_fieldsets
from desktop_app.forms._form import NON_FIELD_ERRORS
from desktop_app.forms._key_value_form import KeyValueForm
from desktop_app.forms._text_fields import CharField
from desktop_app.forms._widgets import HiddenInput

if TYPE_CHECKING:
    from desktop_app.config import IntegrationConfig
    from desktop_app.integration import Integration

__all__ = ["BASIC_INFO_FIELDSET", "IntegrationConfigForm"]

#: Fields stored as columns of the configuration, not in its settings.
_COLUMN_FIELDS = ("name", "enabled")

#: Review Board's form has a ``local_site`` field (its Jenkins form reads
#: ``self.fields['local_site'].initial``). The desktop has no Local Sites:
#: the field is hidden, and stored only when it holds something.
_LOCAL_SITE = "local_site"

#: The fieldset every configuration form starts with.
BASIC_INFO_FIELDSET = Fieldset(
    title="Basic Information",
    description=(
        "Start by giving this configuration a name so you can easily "
        "identify it later. You can also mark this configuration as enabled "
        "or disabled."
    ),
    fields=_COLUMN_FIELDS,
)


class IntegrationConfigForm(KeyValueForm):
    """A form that creates or edits one configuration of an integration.

    Subclasses add fields for their settings; every field except ``name``
    and ``enabled`` is saved into ``config.settings`` under its name. The
    fieldsets always begin with the "Basic Information" fieldset (``name``,
    ``enabled``), followed by ``Meta.fieldsets`` and then any fields that no
    fieldset names.

    Initial values come, in this order, from the configuration being edited,
    the integration's ``default_settings``, and the field's ``initial``.

    Secrets (:py:class:`~desktop_app.forms.PasswordField`) are never put in
    :py:attr:`initial`. When the configuration being edited has a stored
    secret, :py:meth:`has_stored_secret` is true and leaving the field empty
    keeps the stored secret, so the UI can show an empty masked editor with
    a placeholder instead of echoing the secret.

    The constructor takes djblets' and Review Board's arguments, so forms
    written for them construct the same way:
    ``Form(integration, request=None, data=None, files=None,
    instance=None)``. A mapping given as the second positional argument is
    taken as ``data`` (djblets' own order, and this project's), anything
    else there as ``request``.

    The :py:class:`~desktop_app.forms.KeyValueForm` hooks work as in
    djblets: ``load()``, ``serialize_<field>_field()`` and
    ``deserialize_<field>_field()`` (also applied to ``default_settings``),
    the load and save blacklists, ``disabled_fields`` and
    ``disabled_reasons``. :py:attr:`basic_info_fieldset` may be overridden.

    Args:
        integration (Integration): The integration being configured. It
            provides ``default_settings`` and ``create_config()``.
        request (object, optional): Review Board passes the web request;
            the desktop has none, so this is ``None`` unless a host passes
            something.
        data (mapping, optional): Raw values; see :py:class:`Form`.
        files (mapping, optional): See :py:class:`Form`.
        instance (IntegrationConfig, optional): The configuration to edit;
            ``None`` to create a new one on :py:meth:`save`.
        config (IntegrationConfig, optional): Another name for ``instance``.
        **kwargs: ``initial`` and ``prefix``; see :py:class:`Form`.

    Attributes:
        integration (Integration): As given.
        request (object | None): As given.
        instance (IntegrationConfig | None): The configuration edited; after
            a successful :py:meth:`save`, the one saved. Also
            :py:attr:`config`.

    Raises:
        TypeError: ``instance`` and ``config`` name different objects.
    """

    #: Fields stored as columns of the configuration, not in its settings.
    model_fields: ClassVar[tuple[str, ...]] = _COLUMN_FIELDS

    #: The fieldset shown first: a :py:class:`Fieldset` or a djblets-style
    #: ``(title, {'fields': ..., 'description': ...})`` pair. Override it to
    #: retitle, describe or extend it; ``None`` for none.
    basic_info_fieldset: ClassVar[Any] = BASIC_INFO_FIELDSET

    name = CharField(label="Name", max_length=255)
    enabled = BooleanField(label="Enabled", required=False, initial=True)
    local_site = Field(label="Local Site", required=False, widget=HiddenInput)

    @classmethod
    def _build_fieldsets(cls) -> tuple[Fieldset, ...]:
        declared = getattr(getattr(cls, "Meta", None), "fieldsets", ())
        basic = cls.basic_info_fieldset
        if basic is not None and not isinstance(basic, Fieldset):
            # A djblets-style pair, checked like Meta.fieldsets.
            basic = normalize_fieldsets(cls.__name__, (basic,), cls.base_fields)[0]
        if basic is not None and _LOCAL_SITE not in basic.fields:
            # Where Review Board's form has it; a hidden field shows no row.
            basic = basic._replace(fields=(*basic.fields, _LOCAL_SITE))
        return normalize_fieldsets(
            cls.__name__,
            declared,
            cls.base_fields,
            leading=(basic,) if basic is not None else (),
        )

    def __init__(
        self,
        integration: Integration,
        request: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        instance: IntegrationConfig | None = None,
        *,
        config: IntegrationConfig | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(request, Mapping) and data is None:
            request, data = None, request
        if config is not None and instance is not None and config is not instance:
            raise TypeError("Pass the configuration as instance= or config=, not both")
        self.integration = integration
        self.request = request
        super().__init__(
            data, files, instance if instance is not None else config, **kwargs
        )

    @property
    def config(self) -> IntegrationConfig | None:
        """The configuration edited (djblets' name for :py:attr:`instance`)."""
        config: IntegrationConfig | None = self.instance
        return config

    @config.setter
    def config(self, config: IntegrationConfig | None) -> None:
        self.instance = config

    def load(self) -> None:
        """See :py:meth:`KeyValueForm.load`; an empty ``local_site`` (the
        desktop's only kind) is left out of :py:attr:`initial`, which then
        holds what djblets' form holds."""
        super().load()
        if self.initial.get(_LOCAL_SITE) is None and _LOCAL_SITE not in (
            self._initial_given
        ):
            self.initial.pop(_LOCAL_SITE, None)

    def load_initial(self, name: str, field: Field) -> Any:
        """Return the value a field's editor starts with: the edited
        configuration's, else the integration's ``default_settings``
        (both through ``deserialize_<name>_field()``), else the field's.
        A stored secret is never an initial value."""
        config = self.config
        if self.has_stored_secret(name):
            return ""  # kept on empty input, never shown
        if config is not None:
            if name in self.model_fields:
                return getattr(config, name)
            if name in config.settings:
                return self.deserialize_value(name, config.settings[name])
        defaults = getattr(self.integration, "default_settings", None) or {}
        if name in defaults:
            return self.deserialize_value(name, defaults[name])
        initial = field.get_initial()
        if name == "name" and config is None and not initial:
            # A new configuration starts with a sensible name the user can
            # keep or change, rather than an empty required field.
            return getattr(self.integration, "name", None) or ""
        return initial

    def get_key_value(self, key: str, default: Any = None) -> Any:
        """Return a column (``name``, ``enabled``) or a setting."""
        if key in self.model_fields:
            return getattr(self.instance, key)
        return self.instance.get(key, default)

    def set_key_value(self, key: str, value: Any) -> None:
        """Set a column (``name``, ``enabled``) or a setting, in memory."""
        if key in self.model_fields:
            setattr(self.instance, key, value)
        else:
            self.instance.set(key, value)

    def has_stored_secret(self, name: str) -> bool:
        """Return whether the edited configuration has a secret for ``name``.

        Then an empty value for that field keeps the stored secret.
        """
        field = self.fields[name]
        return bool(
            field.is_secret
            and self.config is not None
            and self.config.settings.get(name) not in (None, "")
        )

    def save(
        self,
        commit: bool = True,
        extra_save_blacklist: Iterable[str] = (),
        *,
        force: bool = False,
    ) -> IntegrationConfig:
        """Validate, store the configuration and return it.

        Nothing is changed when the form is invalid or when storing fails:
        the configuration object gets back its previous name, enabled state
        and settings before the error is re-raised.

        Args:
            commit (bool): Store the configuration. ``False`` only puts the
                values into it (creating it if needed), as in djblets.
            extra_save_blacklist (iterable of str): Fields not to save,
                besides :py:meth:`get_save_blacklist`.
            force (bool): Store even when the configuration was saved
                elsewhere since it was loaded, replacing that newer version.
                For the user's explicit "Overwrite" after a conflict only.

        Raises:
            ValidationError: The form is not valid (its messages are those
                of :py:attr:`errors`, prefixed with the fields' labels).
            desktop_app.errors.ConfigConflictError: The stored copy is newer
                (unless ``force``).
            desktop_app.errors.StoreError: Storing failed.
        """
        if not self.is_valid():
            raise ValidationError(self._error_summary(), code="invalid")
        config = self.config if self.config is not None else self._create_config()
        previous = (config.name, config.enabled, config.settings)
        self.apply_to(config, extra_save_blacklist)
        if not commit:
            self.config = config
            return config
        try:
            # Plain save() unless forced: config-like objects of hosts and
            # test kits whose save() takes no arguments keep working.
            saved = config.save(force=True) if force else config.save()
        except BaseException:
            config.name, config.enabled, config.settings = previous
            raise
        self.config = saved if saved is not None else config
        return self.config

    def apply_to(
        self, config: IntegrationConfig, extra_save_blacklist: Iterable[str] = ()
    ) -> IntegrationConfig:
        """Put the cleaned values into ``config`` without storing it.

        :py:meth:`save` stores one configuration per call; an import
        applies thousands of validated forms this way and stores them in
        one transaction (:py:meth:`IntegrationManager.bulk_create`).

        Call only on a valid form. ``config.settings`` is replaced by a new
        dict (the old one is left as it was, so a caller can restore it).
        Values go through ``serialize_<field>_field()``; blacklisted fields
        are left as they are.

        Returns:
            IntegrationConfig: ``config``.
        """
        cleaned = self.cleaned_data
        blacklist = set(self.get_save_blacklist())
        blacklist.update(extra_save_blacklist)
        settings = dict(config.settings)
        columns = self.model_fields
        serializers = self.serializers()
        for key, value in cleaned.items():
            if key in blacklist or (key == _LOCAL_SITE and value is None):
                continue
            # Only keys the class does not know (a field added to this
            # form, a value clean() added) are looked up one by one.
            hook = serializers[key] if key in serializers else self._hook_of(key)
            if hook is not None:
                value = getattr(self, hook)(value)
            if key in columns:
                setattr(config, key, value)
            else:
                settings[key] = value
        config.settings = settings
        return config

    def _create_config(self) -> IntegrationConfig:
        return self.integration.create_config()

    def _clean_field(self, name: str, field: Field) -> Any:
        # The plain lookup unless a prefix, a disabled field or a field
        # reading several keys needs the full rule: an import cleans 10,000
        # configurations of ~10 fields.
        if self.prefix or self.disabled_fields or field._reads_datadict:
            value = self._raw_value(name)
        else:
            value = self.data.get(name)
        # A new configuration has no stored secrets: no need to ask per
        # field.
        config = self.instance
        if (
            config is not None
            and self.has_stored_secret(name)
            and field.is_empty(value)
        ):
            return config.settings[name]
        return field.clean(value)

    def _error_summary(self) -> list[str]:
        summary: list[str] = []
        for name, messages in self.errors.items():
            label = None if name == NON_FIELD_ERRORS else self.fields[name].label
            summary.extend(f"{label}: {m}" if label else m for m in messages)
        return summary
