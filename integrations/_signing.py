"""Signing webhook requests so receivers can check who sent them.

Two schemes, picked by the webhook's ``signing`` setting:

* ``standard``: the Standard Webhooks specification (standardwebhooks.com).
  Headers ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``
  (``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body``), with a
  secret written ``whsec_<base64 key>``. Receivers check it with the
  official libraries of any language.
* ``github``: ``X-Desktop-App-Signature: sha256=<hex HMAC-SHA256 of the
  body>``, the style GitHub made common, for receivers built that way.

The id names one delivery and stays the same on its retries, so a receiver
can drop duplicates; the timestamp and signature are made per attempt, as
receivers refuse old timestamps.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from typing import Any

__all__ = [
    "GITHUB_HEADER",
    "SECRET_PREFIX",
    "SIGNING_GITHUB",
    "SIGNING_STANDARD",
    "check_standard_secret",
    "generate_secret",
    "github_signature",
    "delivery_message_id",
    "new_message_id",
    "signer",
    "standard_headers",
]

SIGNING_STANDARD = "standard"
SIGNING_GITHUB = "github"

#: Header carrying ``sha256=<hex HMAC-SHA256 of the body>`` (github signing).
GITHUB_HEADER = "X-Desktop-App-Signature"

#: How a Standard Webhooks secret starts.
SECRET_PREFIX = "whsec_"

#: Bytes of a generated key: the specification asks for 24 to 64.
_KEY_BYTES = 32

Signer = Callable[[bytes], dict[str, str]]


def generate_secret() -> str:
    """Return a new random secret in the ``whsec_<base64>`` form."""
    key = secrets.token_bytes(_KEY_BYTES)
    return SECRET_PREFIX + base64.b64encode(key).decode("ascii")


def check_standard_secret(secret: str) -> str | None:
    """Return why a secret is not a usable ``whsec_`` secret, or ``None``.

    The message never quotes the secret.
    """
    if not secret.startswith(SECRET_PREFIX):
        return (
            "Standard Webhooks secrets start with whsec_. Press Generate for a "
            "new one, or pick GitHub-style signing for another kind of secret."
        )
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return "The part after whsec_ is not valid base64."
    if not 24 <= len(key) <= 64:
        return (
            f"The key after whsec_ holds {len(key)} bytes; Standard Webhooks "
            "needs 24 to 64. Press Generate for a new one."
        )
    return None


def new_message_id() -> str:
    """Return a new id for one delivery (``msg_`` and 32 hex digits)."""
    # Imported here: ``uuid`` brings ``platform`` with it, and the built-in
    # integrations load at every start, long before their first delivery.
    import uuid

    return f"msg_{uuid.uuid4().hex}"


def delivery_message_id(config_id: Any, signal: str, sent: float | None) -> str:
    """The id of one delivery: the same for each of its attempts (the
    framework retries by calling the integration again), different for
    every event and configuration, so receivers can drop duplicates.

    Args:
        config_id: The configuration's id.
        signal (str): The signal's name.
        sent (float | None): When the event was sent
            (:py:func:`desktop_app.deliveries.event_time`); ``None`` outside
            a delivery gives a new random id.
    """
    if sent is None:
        return new_message_id()
    key = f"{config_id}\x00{signal}\x00{sent!r}".encode()
    return f"msg_{hashlib.sha256(key).hexdigest()[:32]}"


def _standard_key(secret: str) -> bytes:
    # A secret saved before Standard Webhooks signing existed may not be in
    # the whsec_ form: its UTF-8 bytes are the key, as a receiver that is
    # given a raw key would use them.
    if secret.startswith(SECRET_PREFIX):
        try:
            return base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            pass
    return secret.encode("utf-8")


def standard_headers(
    secret: str, message_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    """Return the three Standard Webhooks headers for one attempt."""
    stamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{message_id}.{stamp}.".encode() + body
    digest = hmac.new(_standard_key(secret), signed, hashlib.sha256).digest()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": "v1," + base64.b64encode(digest).decode("ascii"),
    }


def github_signature(secret: str, body: bytes) -> str:
    """Return the ``sha256=<hex>`` value of the github-style header."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signer(scheme: str, secret: str, message_id: str) -> Signer | None:
    """Return the function giving each attempt's signature headers.

    ``None`` when there is no secret: requests go out unsigned.
    """
    if not secret:
        return None
    if scheme == SIGNING_GITHUB:
        return lambda body: {GITHUB_HEADER: github_signature(secret, body)}
    return lambda body: standard_headers(secret, message_id, body)
