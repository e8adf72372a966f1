"""A web address that is itself a credential."""

from __future__ import annotations

from typing import Any, ClassVar

from desktop_app.forms._text_fields import URLField
from desktop_app.forms._widgets import PasswordInput, Widget

__all__ = ["SecretURLField"]


class SecretURLField(URLField):
    """A URL that grants access by itself, such as a chat service's
    incoming-webhook URL: anyone holding it can post.

    It is validated as a :py:class:`URLField` and kept as a secret, as a
    :py:class:`PasswordField` is: masked in the editor, stored in the
    keyring, never exported in clear, and left unchanged when the field
    stays empty while editing.
    """

    default_widget: ClassVar[type[Widget] | None] = PasswordInput
    is_secret = True

    def to_data(self, value: Any) -> str:
        return ""
