"""Widget markers, under the name Django gives them (``forms.widgets``).

Integration code written for Django says ``forms.widgets.TextInput(...)``
as often as ``forms.TextInput(...)``; both name the same classes here. A
widget draws nothing: it tells the dialog which editor to build and passes
``attrs`` hints (``placeholder``, ``size``, ``min``, ``max``, ``step``,
``rows``, ``cols``, ``maxlength``, ``readonly``) that the editors honour.
"""

from __future__ import annotations

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
    "AmountSelectorWidget",
    "CheckboxInput",
    "CheckboxSelectMultiple",
    "HiddenInput",
    "NumberInput",
    "PasswordInput",
    "Select",
    "SelectMultiple",
    "TextInput",
    "Textarea",
    "Widget",
]
