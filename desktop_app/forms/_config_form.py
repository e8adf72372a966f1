"""The base form for configuring an integration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from desktop_app.forms._boolean_field import BooleanField
from desktop_app.forms._errors import ValidationError
from desktop_app.forms._field import Field
from desktop_app.forms._fieldsets import Fieldset, normalize_fieldsets
from desktop_app.forms._form import NON_FIELD_ERRORS, Form
from desktop_app.forms._text_fields import CharField

if TYPE_CHECKING:
    from desktop_app.config import IntegrationConfig
    from desktop_app.integration import Integration

__all__ = ["BASIC_INFO_FIELDSET", "IntegrationConfigForm"]

#: Fields stored as columns of the configuration, not in its settings.
_COLUMN_FIELDS = ("name", "enabled")

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


class IntegrationConfigForm(Form):
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

    Args:
        integration (Integration): The integration being configured. It
            provides ``default_settings`` and ``create_config()``.
        data (mapping, optional): Raw values; see :py:class:`Form`.
        config (IntegrationConfig, optional): The configuration to edit;
            ``None`` to create a new one on :py:meth:`save`.

    Attributes:
        integration (Integration): As given.
        config (IntegrationConfig | None): The configuration edited; after
            a successful :py:meth:`save`, the one saved.
    """

    name = CharField(label="Name", max_length=255)
    enabled = BooleanField(label="Enabled", required=False, initial=True)

    @classmethod
    def _build_fieldsets(cls) -> tuple[Fieldset, ...]:
        declared = getattr(getattr(cls, "Meta", None), "fieldsets", ())
        return normalize_fieldsets(
            cls.__name__, declared, cls.base_fields, leading=(BASIC_INFO_FIELDSET,)
        )

    def __init__(
        self,
        integration: Integration,
        data: Mapping[str, Any] | None = None,
        *,
        config: IntegrationConfig | None = None,
    ) -> None:
        self.integration = integration
        self.config = config
        super().__init__(data)
        self.initial = {
            name: self._initial_value(name, field)
            for name, field in self.fields.items()
        }

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

    def save(self, *, force: bool = False) -> IntegrationConfig:
        """Validate, store the configuration and return it.

        Nothing is changed when the form is invalid or when storing fails:
        the configuration object gets back its previous name, enabled state
        and settings before the error is re-raised.

        Args:
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
        self.apply_to(config)
        try:
            # Plain save() unless forced: config-like objects of hosts and
            # test kits whose save() takes no arguments keep working.
            saved = config.save(force=True) if force else config.save()
        except BaseException:
            config.name, config.enabled, config.settings = previous
            raise
        self.config = saved if saved is not None else config
        return self.config

    def apply_to(self, config: IntegrationConfig) -> IntegrationConfig:
        """Put the cleaned values into ``config`` without storing it.

        :py:meth:`save` stores one configuration per call; an import
        applies thousands of validated forms this way and stores them in
        one transaction (:py:meth:`IntegrationManager.bulk_create`).

        Call only on a valid form. ``config.settings`` is replaced by a new
        dict (the old one is left as it was, so a caller can restore it).

        Returns:
            IntegrationConfig: ``config``.
        """
        cleaned = self.cleaned_data
        settings = dict(config.settings)
        settings.update(
            (key, value) for key, value in cleaned.items() if key not in _COLUMN_FIELDS
        )
        config.name = cleaned["name"]
        config.enabled = cleaned["enabled"]
        config.settings = settings
        return config

    def _create_config(self) -> IntegrationConfig:
        return self.integration.create_config()

    def _initial_value(self, name: str, field: Field) -> Any:
        config = self.config
        if self.has_stored_secret(name):
            return ""  # kept on empty input, never shown
        if config is not None:
            if name in _COLUMN_FIELDS:
                return getattr(config, name)
            if name in config.settings:
                return config.settings[name]
        defaults = getattr(self.integration, "default_settings", None) or {}
        if name in defaults:
            return defaults[name]
        initial = field.get_initial()
        if name == "name" and config is None and not initial:
            # A new configuration starts with a sensible name the user can
            # keep or change, rather than an empty required field.
            return getattr(self.integration, "name", None) or ""
        return initial

    def _clean_field(self, name: str, field: Field) -> Any:
        value = self.data.get(name)
        # A new configuration has no stored secrets: no need to ask per
        # field (an import cleans 10,000 new ones).
        if (
            self.config is not None
            and self.has_stored_secret(name)
            and field.is_empty(value)
        ):
            return self.config.settings[name]
        return field.clean(value)

    def _error_summary(self) -> list[str]:
        summary: list[str] = []
        for name, messages in self.errors.items():
            label = None if name == NON_FIELD_ERRORS else self.fields[name].label
            summary.extend(f"{label}: {m}" if label else m for m in messages)
        return summary
