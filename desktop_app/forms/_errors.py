"""The error a field or form raises for a value the user must correct."""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.errors import DesktopAppError

__all__ = ["ErrorList", "ValidationError", "error_messages"]


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


class ErrorList(list[str]):
    """The messages of one field, as Django's ``form.error_class`` makes them.

    Integration code writes ``self._errors['url'] = self.error_class([e])``
    with whatever it caught: messages, validation errors, or exception
    objects (``URLError``). Each becomes its text here, so a dialog can
    always show it.
    """

    def __init__(self, messages: Iterable[object] = ()) -> None:
        super().__init__(error_messages(messages))

    def __str__(self) -> str:
        return "\n".join(self)


def error_messages(error: object) -> list[str]:
    """Return the messages of any error value as plain strings.

    Accepts a message, a :py:class:`ValidationError`, any exception, or a
    list of those (nested lists too); ``None`` and empty text are dropped.
    """
    if error is None:
        return []
    if isinstance(error, ValidationError):
        return list(error.messages)
    if isinstance(error, str):
        return [error] if error else []
    if isinstance(error, BaseException):
        text = str(error)
        return [text or type(error).__name__]
    if isinstance(error, (list, tuple, set, frozenset)):
        messages: list[str] = []
        for item in error:
            messages.extend(error_messages(item))
        return messages
    return [str(error)]
