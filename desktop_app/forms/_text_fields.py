"""Text fields: plain text, URLs, email addresses and secrets."""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urlsplit

from desktop_app.forms._errors import ValidationError
from desktop_app.forms._field import Field
from desktop_app.forms._widgets import PasswordInput, TextInput, Widget

__all__ = ["CharField", "EmailField", "PasswordField", "URLField"]

#: Any whitespace (a URL has none); one C-level search per value.
_WHITESPACE = re.compile(r"\s")

#: The longest text any field takes unless the author says otherwise. Settings
#: are stored as JSON and shown in editors; a pasted megabyte is a mistake.
DEFAULT_MAX_LENGTH = 100_000


class CharField(Field):
    """A text value.

    Args:
        min_length (int, optional): Fewest characters accepted.
        max_length (int, optional): Most characters accepted. Even without
            it, text longer than 100,000 characters is rejected.
        strip (bool): Whether to remove surrounding whitespace first.
        **kwargs: See :py:class:`Field`.
    """

    default_widget: ClassVar[type[Widget] | None] = TextInput
    empty_value: ClassVar[Any] = ""

    def __init__(
        self,
        *,
        min_length: int | None = None,
        max_length: int | None = None,
        strip: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.min_length = min_length
        self.max_length = max_length
        self.strip = strip

    def to_python(self, value: Any) -> str:
        if self.is_empty(value):
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValidationError("Enter a text value.", code="invalid")
        text = str(value)
        # Check the length before anything else touches the text, so huge
        # input costs one len() and not a regular expression.
        self._check_max_length(text)
        if "\x00" in text:
            raise ValidationError(
                "Null characters are not allowed.", code="null_characters"
            )
        return text.strip() if self.strip else text

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and self.min_length is not None and len(value) < self.min_length:
            raise ValidationError(
                f"Ensure this value has at least {self.min_length} characters "
                f"(it has {len(value)}).",
                code="min_length",
            )

    def to_data(self, value: Any) -> Any:
        """Return ``""`` for a missing value, so a text editor gets text."""
        return "" if value is None else value

    def _check_max_length(self, text: str) -> None:
        limit = DEFAULT_MAX_LENGTH if self.max_length is None else self.max_length
        if len(text) > limit:
            raise ValidationError(
                f"Ensure this value has at most {limit} characters "
                f"(it has {len(text)}).",
                code="max_length",
            )


class URLField(CharField):
    """A web or FTP address with a host (``http``, ``https`` or ``ftp``)."""

    #: The schemes accepted; others (``file:``, ``javascript:``) are refused.
    schemes: ClassVar[frozenset[str]] = frozenset({"http", "https", "ftp"})

    def to_python(self, value: Any) -> str:
        """Return the text, with ``https://`` put in front of an address
        typed without a scheme (``hooks.slack.com/…``) when that makes it
        valid."""
        text = super().to_python(value)
        if (
            text
            and "://" not in text
            and "https" in self.schemes
            and self._is_valid_url(f"https://{text}")
        ):
            return f"https://{text}"
        return text

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not self._is_valid_url(value):
            raise ValidationError("Enter a valid URL.", code="invalid")

    def _is_valid_url(self, value: str) -> bool:
        if self.schemes is URLField.schemes and _PLAIN_WEB_URL.fullmatch(value):
            return True
        return self._is_valid_url_in_full(value)

    def _is_valid_url_in_full(self, value: str) -> bool:
        if _WHITESPACE.search(value):
            return False
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            return False
        if parts.scheme.lower() not in self.schemes:
            return False
        host = parts.hostname
        if not host:
            return False
        return _is_valid_host(host)


class EmailField(CharField):
    """An email address (``user@example.com``)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not _is_valid_email(value):
            raise ValidationError("Enter a valid email address.", code="invalid")


class PasswordField(CharField):
    """A secret, such as a password or an API token.

    The value is never shown in clear: editors are masked, :py:meth:`to_data`
    gives an editor nothing to show, and no message quotes the value.
    Surrounding whitespace is kept by default, because it may be part of
    the secret.

    When an :py:class:`~desktop_app.forms.IntegrationConfigForm` edits a
    configuration that already has a stored secret, leaving this field empty
    keeps the stored secret.
    """

    default_widget = PasswordInput
    is_secret = True

    def __init__(self, *, strip: bool = False, **kwargs: Any) -> None:
        super().__init__(strip=strip, **kwargs)

    def to_data(self, value: Any) -> str:
        return ""


#: The usual address (``https://hooks.example.com/path?q``: a default scheme,
#: an ASCII host name, no port, user or brackets) in one C-level match. Only
#: addresses the full check below accepts match; anything else takes that
#: check. An import of 10,000 configs spent a third of its time in urlsplit.
_PLAIN_WEB_URL = re.compile(
    # Letters spelled out, no IGNORECASE: in Unicode mode that would let
    # the Kelvin sign match "k".
    r"(?:[hH][tT][tT][pP][sS]?|[fF][tT][pP])://"
    r"(?=[^/?#]{1,253}(?:[/?#]|\Z))"  # a host of at most 253 characters
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
    r"[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"  # the last label is no number
    r"(?:[/?#]\S*)?"  # Unicode \S: no whitespace of any kind
)

_LABEL_RE = re.compile(r"[^\W_](?:[\w-]{0,61}[^\W_])?")
_IPV4_RE = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}")
_EMAIL_LOCAL_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}")


def _is_valid_host(host: str) -> bool:
    if host == "localhost" or ":" in host:  # IPv6 was checked by urlsplit
        return True
    if _IPV4_RE.fullmatch(host):
        return all(int(part) <= 255 for part in host.split("."))
    labels = host.removesuffix(".").split(".")
    if len(labels) < 2 or len(host) > 253:
        return False
    return (
        all(_LABEL_RE.fullmatch(label) for label in labels) and not labels[-1].isdigit()
    )


def _is_valid_email(value: str) -> bool:
    local, at, domain = value.rpartition("@")
    if not at or not _EMAIL_LOCAL_RE.fullmatch(local):
        return False
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    return not domain.endswith(".") and _is_valid_host(domain) and ":" not in domain
