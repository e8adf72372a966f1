"""The file or folder path field."""

from __future__ import annotations

import os
from typing import Any, Literal

from desktop_app.forms._errors import ValidationError
from desktop_app.forms._text_fields import CharField

__all__ = ["PathField"]

PathMode = Literal["file", "directory", "save"]
_MODES = ("file", "directory", "save")


class PathField(CharField):
    """A path on this computer, cleaned to a ``str`` (stored as JSON).

    ``~`` is expanded and a relative path made absolute. What must exist
    depends on ``mode``:

    * ``'file'``: an existing file (a file picker for opening).
    * ``'directory'``: an existing folder.
    * ``'save'``: a file that may not exist yet, in an existing folder (a
      file picker for saving).

    Args:
        mode (str): One of ``'file'``, ``'directory'``, ``'save'``.
        **kwargs: See :py:class:`~desktop_app.forms.CharField`.

    Raises:
        ValueError: ``mode`` is not one of the above (a mistake in the form's
            code, found when the class is defined).
    """

    def __init__(self, *, mode: PathMode = "file", **kwargs: Any) -> None:
        if mode not in _MODES:
            raise ValueError(f"PathField mode must be one of {_MODES}, not {mode!r}")
        super().__init__(**kwargs)
        self.mode: PathMode = mode

    def to_python(self, value: Any) -> str:
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        if isinstance(value, bytes):
            raise ValidationError("Enter a text value.", code="invalid")
        text = super().to_python(value)
        try:
            os.fsencode(text)
        except UnicodeError:
            # Lone surrogates and the like: no file system can name it.
            raise ValidationError(
                "Enter a path made of ordinary characters.", code="invalid"
            ) from None
        # Absolute, so what is saved does not depend on the folder the app
        # was started from.
        return os.path.abspath(os.path.expanduser(text)) if text else text

    def validate(self, value: Any) -> None:
        super().validate(value)
        if not value:
            return
        shown = _show(value)
        if self.mode == "file":
            if os.path.isdir(value):
                raise ValidationError(f"Not a file: {shown}", code="not_file")
            if not os.path.isfile(value):
                raise ValidationError(f"File does not exist: {shown}", code="missing")
        elif self.mode == "directory":
            if os.path.exists(value) and not os.path.isdir(value):
                raise ValidationError(f"Not a folder: {shown}", code="not_directory")
            if not os.path.isdir(value):
                raise ValidationError(f"Folder does not exist: {shown}", code="missing")
        else:
            if os.path.isdir(value):
                raise ValidationError(f"Not a file: {shown}", code="not_file")
            parent = os.path.dirname(os.path.abspath(value))
            if not os.path.isdir(parent):
                raise ValidationError(
                    f"Folder does not exist: {_show(parent)}", code="missing"
                )


def _show(path: str) -> str:
    # Long paths are cut in the middle, so the file name stays visible.
    return path if len(path) <= 200 else f"{path[:90]}…{path[-100:]}"
