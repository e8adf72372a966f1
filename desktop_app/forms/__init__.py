"""Declarative forms and fields, without Qt and without a database.

Integration authors write their configuration forms with these, the way
Django forms are written (``from desktop_app import forms``,
``forms.CharField(...)``). A field is metadata plus cleaning; the UI maps
each field class to an editor.
"""

from __future__ import annotations

from desktop_app.forms._boolean_field import BooleanField
from desktop_app.forms._choice_fields import ChoiceField, MultipleChoiceField
from desktop_app.forms._conditions_of_fields import FieldState
from desktop_app.forms._config_form import BASIC_INFO_FIELDSET, IntegrationConfigForm
from desktop_app.forms._errors import ValidationError
from desktop_app.forms._field import Field
from desktop_app.forms._fieldsets import Fieldset
from desktop_app.forms._form import NON_FIELD_ERRORS, Form
from desktop_app.forms._number_fields import FloatField, IntegerField
from desktop_app.forms._path_field import PathField
from desktop_app.forms._text_fields import (
    CharField,
    EmailField,
    PasswordField,
    URLField,
)
from desktop_app.forms._widgets import PasswordInput, Textarea, TextInput, Widget

__all__ = [
    "BASIC_INFO_FIELDSET",
    "NON_FIELD_ERRORS",
    "BooleanField",
    "CharField",
    "ChoiceField",
    "EmailField",
    "Field",
    "FieldState",
    "Fieldset",
    "FloatField",
    "Form",
    "IntegerField",
    "IntegrationConfigForm",
    "MultipleChoiceField",
    "PasswordField",
    "PasswordInput",
    "PathField",
    "TextInput",
    "Textarea",
    "URLField",
    "ValidationError",
    "Widget",
]
