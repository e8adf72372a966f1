"""Declarative forms and fields, without Qt and without a database.

Integration authors write their configuration forms with these, the way
Django forms are written (``from desktop_app import forms``,
``forms.CharField(...)``). A field is metadata plus cleaning; the UI maps
each field class to an editor.
"""

from __future__ import annotations

from desktop_app.forms import widgets
from desktop_app.forms._boolean_field import BooleanField
from desktop_app.forms._choice_fields import ChoiceField, MultipleChoiceField
from desktop_app.forms._conditions_field import ConditionsField
from desktop_app.forms._conditions_of_fields import FieldState
from desktop_app.forms._config_form import BASIC_INFO_FIELDSET, IntegrationConfigForm
from desktop_app.forms._errors import ErrorList, ValidationError
from desktop_app.forms._field import Field
from desktop_app.forms._field_extras import (
    ActionChoice,
    FieldAction,
    add_field_action,
    set_field_preview,
)
from desktop_app.forms._fieldsets import Fieldset
from desktop_app.forms._form import NON_FIELD_ERRORS, Form
from desktop_app.forms._key_value_form import KeyValueForm
from desktop_app.forms._number_fields import FloatField, IntegerField
from desktop_app.forms._path_field import PathField
from desktop_app.forms._secret_url_field import SecretURLField
from desktop_app.forms._text_choices import Choices, IntegerChoices, TextChoices
from desktop_app.forms._text_fields import (
    CharField,
    EmailField,
    PasswordField,
    URLField,
)
from desktop_app.forms._widgets import (
    AmountSelectorWidget,
    CheckboxInput,
    CheckboxSelectMultiple,
    HiddenInput,
    NumberInput,
    PasswordInput,
    Select,
    SelectMultiple,
    Textarea,
    TextInput,
    Widget,
)

__all__ = [
    "BASIC_INFO_FIELDSET",
    "NON_FIELD_ERRORS",
    "AmountSelectorWidget",
    "ActionChoice",
    "BooleanField",
    "CharField",
    "CheckboxInput",
    "CheckboxSelectMultiple",
    "ChoiceField",
    "Choices",
    "ConditionsField",
    "EmailField",
    "ErrorList",
    "Field",
    "FieldAction",
    "FieldState",
    "Fieldset",
    "FloatField",
    "Form",
    "HiddenInput",
    "IntegerChoices",
    "IntegerField",
    "IntegrationConfigForm",
    "KeyValueForm",
    "MultipleChoiceField",
    "NumberInput",
    "PasswordField",
    "PasswordInput",
    "PathField",
    "Select",
    "SelectMultiple",
    "SecretURLField",
    "TextChoices",
    "TextInput",
    "Textarea",
    "URLField",
    "ValidationError",
    "Widget",
    "widgets",
    "add_field_action",
    "set_field_preview",
]
