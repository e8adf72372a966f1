"""The error a field or form raises for a value the user must correct."""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.errors import DesktopAppError

__all__ = ["ValidationError"]


class ValidationError(DesktopAppError, ValueError):
    """A value does not pass a field's or a form's validation.

    Unlike the other errors of desktop-app, this one is meant for the user:
    its messages are shown next to the editor, so they are full sentences and
    never contain a secret value. It is a :py:class:`ValueError` too, so code
    that converts values can catch it the usual way.

    Args:
        message (str | list | ValidationError): One message, or a list of
            messages and/or other validation errors (flattened).
        code (str, optional): A short machine-readable reason, such as
            ``'required'``, for callers that react to *why* it failed.

    Attributes:
        messages (list[str]): Every message, in order.
        code (str | None): The reason code given, if any.
    """

    def __init__(
        self,
        message: str | ValidationError | Iterable[str | ValidationError],
        code: str | None = None,
    ) -> None:
        self.messages: list[str] = _flatten(message)
        self.code = code
        super().__init__("; ".join(self.messages))


def _flatten(message: object) -> list[str]:
    if isinstance(message, ValidationError):
        return list(message.messages)
    if isinstance(message, str):
        return [message]
    if isinstance(message, (list, tuple)):
        messages: list[str] = []
        for item in message:
            messages.extend(_flatten(item))
        return messages
    return [str(message)]
