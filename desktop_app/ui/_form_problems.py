"""What the configuration dialog does with the states a form's own code
sets: disabled fields, errors on hidden fields, and code that fails.

Kept apart from :py:mod:`desktop_app.ui.config_dialog` so that dialog stays
about laying out and saving.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from desktop_app.activity import scrub_secrets
from desktop_app.forms import NON_FIELD_ERRORS
from desktop_app.ui._widget_editors import HiddenEditor

if TYPE_CHECKING:
    from desktop_app.forms import IntegrationConfigForm
    from desktop_app.ui._fieldset_section import FieldsetSection
    from desktop_app.ui.editors import Editor

__all__ = [
    "HiddenFieldErrors",
    "apply_disabled_fields",
    "form_code_failure",
    "form_open_failure",
]

logger = logging.getLogger(__name__)

#: Stands for a secret in a message.
_HIDDEN = "********"


def apply_disabled_fields(
    form: IntegrationConfigForm, sections: Mapping[str, FieldsetSection]
) -> None:
    """Show the fields the form's ``load()`` disabled, each with its reason."""
    if not form.disabled_fields:
        return
    for name, section in sections.items():
        if form.is_disabled(name):
            section.set_disabled(name, form.disabled_reason(name))


class HiddenFieldErrors:
    """Moves the errors of hidden fields to the form's own messages, named
    by the field's label, since they have no row to be shown under.

    Args:
        form (IntegrationConfigForm): The dialog's form, for the labels.
        editors (mapping): Field name → editor.
    """

    def __init__(self, form: IntegrationConfigForm, editors: Mapping[str, Editor]):
        self._labels = {
            name: form.fields[name].label or name
            for name, editor in editors.items()
            if isinstance(editor, HiddenEditor)
        }

    def moved_to_top(self, errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
        """Return ``errors`` with hidden fields' messages made form-wide."""
        moved = dict(errors)
        for name, label in self._labels.items():
            for message in moved.pop(name, []):
                moved.setdefault(NON_FIELD_ERRORS, [])
                moved[NON_FIELD_ERRORS] = [
                    *moved[NON_FIELD_ERRORS],
                    f"{label} (not shown): {message}",
                ]
        return moved


def form_code_failure(
    error: Exception, *, form_cls: type[Any], values: Mapping[str, Any]
) -> str:
    """Log a failure of a form's own code and return the message to show.

    The message names what failed in the exception's words, with any
    secret (typed in the dialog or already known) replaced by stars; the
    log gets the same words and where the code failed.
    """
    text = str(error) or type(error).__name__
    fields = getattr(form_cls, "base_fields", {})
    for name, field in fields.items():
        value = values.get(name)
        if getattr(field, "is_secret", False) and isinstance(value, str) and value:
            text = text.replace(value, _HIDDEN)
    text = scrub_secrets(text)
    logger.error(
        "The form %s failed while checking its values: %s\n%s",
        getattr(form_cls, "__qualname__", form_cls),
        text,
        "".join(traceback.format_tb(error.__traceback__)),
    )
    return f"Checking these values failed: {text}"


def form_open_failure(error: Exception, *, form_cls: type[Any]) -> str:
    """Log a failure of a form's own code while its dialog was being built
    (its ``__init__`` or ``load()``) and return the message to show.

    Such a form cannot be edited at all, so the user gets the reason
    instead of a click that does nothing.
    """
    text = scrub_secrets(str(error) or "")
    logger.error(
        "The form %s failed while opening: %s: %s\n%s",
        getattr(form_cls, "__qualname__", form_cls),
        type(error).__name__,
        text,
        "".join(traceback.format_tb(error.__traceback__)),
    )
    what = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return (
        f"The form of this integration failed to open ({what}). "
        "The plugin that provides it may need an update."
    )
