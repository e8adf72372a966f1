"""Secrets of configurations (``PasswordField`` values) in the OS keyring.

A database file gets copied, synced and attached to bug reports; a keyring
does not. So when the ``keyring`` library has a real backend (macOS
Keychain, Windows Credential Locker, Secret Service, KWallet), a secret
setting is stored there under the service ``"desktop-app"`` and the database
keeps only a reference, ``{"$secret": "<uuid>"}``. On a machine without a
backend (headless, no D-Bus), the value stays in the database, which is
private to the user (0600), and :py:func:`secrets_storage_note` gives the
UI the sentence to show about it once.

Integrations never see references: the manager resolves them when it builds
the snapshots of enabled configurations and when it loads a configuration
for editing, so ``config.get("api_token")`` is the clear value. Every value
resolved or stored is registered with :py:mod:`desktop_app.activity`, which
scrubs it from recorded errors and tracebacks.

``keyring`` is imported only when a configuration has a secret, because
discovering its backends costs start-up time.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import Any

from desktop_app.activity import forget_secret, register_secret
from desktop_app.errors import StoreError

__all__ = [
    "REFERENCE_KEY",
    "SERVICE_NAME",
    "delete_secrets",
    "is_reference",
    "references_in",
    "resolve_secrets",
    "secret_fields",
    "secrets_backend_available",
    "secrets_storage_note",
    "store_secrets",
    "strip_secrets",
]

logger = logging.getLogger(__name__)

#: The keyring service name all secrets are stored under.
SERVICE_NAME = "desktop-app"

#: The key of a reference object stored in place of a secret.
REFERENCE_KEY = "$secret"

_note_given = False


def secrets_backend_available() -> bool:
    """Whether the keyring has a real backend that can hold secrets.

    The ``fail`` and ``null`` backends, and a chainer without backends, do
    not count: storing there would lose or refuse the secret.
    """
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    if type(backend).__module__ == "keyring.backends.null":
        return False
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return False
    try:
        return backend.priority > 0
    except Exception:  # a backend's priority may probe the system and fail
        return False


def secrets_storage_note() -> str | None:
    """Return, once per process, the note to show when secrets stay in the
    database; ``None`` when a keyring is available or the note was given."""
    global _note_given
    if _note_given or secrets_backend_available():
        return None
    _note_given = True
    return (
        "No system keyring is available on this computer, so passwords and "
        "tokens of your configurations are stored in the configuration "
        "database, which only your user account can read."
    )


def secret_fields(integration: Any) -> tuple[str, ...]:
    """Names of the secret fields of an integration's configuration form."""
    return _secret_fields_of(getattr(integration, "config_form_cls", None))


@functools.lru_cache(maxsize=256)
def _secret_fields_of(form_cls: Any) -> tuple[str, ...]:
    # Once per form class (their fields are fixed when the class is
    # defined), not once per stored configuration: an import asks 10,000
    # times.
    fields = getattr(form_cls, "base_fields", None) or {}
    return tuple(name for name, field in fields.items() if field.is_secret)


def is_reference(value: Any) -> bool:
    """Whether a stored setting is a reference to a keyring entry."""
    return (
        isinstance(value, dict)
        and len(value) == 1
        and isinstance(value.get(REFERENCE_KEY), str)
    )


def references_in(settings: dict[str, Any]) -> list[str]:
    """The keyring entry ids referenced by stored settings."""
    return [v[REFERENCE_KEY] for v in settings.values() if is_reference(v)]


def resolve_secrets(config: Any, integration: Any = None) -> None:
    """Replace references in ``config.settings`` by their clear values.

    A reference whose entry is gone (another machine, a wiped keyring)
    becomes ``None``, so the form asks for the secret again.

    Args:
        config (IntegrationConfig): Changed in place.
        integration (Integration, optional): Gives the secret field names,
            whose clear values (no keyring) are registered for scrubbing.
    """
    settings = config.settings
    for name in secret_fields(integration or config.integration):
        value = settings.get(name)
        if isinstance(value, str):
            register_secret(value)
    refs = [(k, v[REFERENCE_KEY]) for k, v in settings.items() if is_reference(v)]
    if not refs:
        return
    settings = config.settings = dict(settings)
    for name, ref in refs:
        value = _get(ref)
        if value is None:
            logger.warning(
                "The secret %r of configuration %s is missing from the keyring",
                name,
                config.id,
            )
        else:
            register_secret(value)
        settings[name] = value


def store_secrets(
    integration: Any, settings: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Move the clear secrets of ``settings`` into the keyring.

    Each save gets new entries (never overwrites), so a save that then fails
    (a conflict) cannot change the secret another copy refers to.

    Returns:
        tuple: The settings to put in the database, and the new entry ids
        (to delete with :py:func:`delete_secrets` if the save fails).

    Raises:
        desktop_app.errors.StoreError: The keyring refused a secret.
    """
    names = [
        n
        for n in secret_fields(integration)
        if isinstance(settings.get(n), str) and settings[n]
    ]
    if not names:
        return settings, []
    for name in names:
        register_secret(settings[name])
    if not secrets_backend_available():
        return settings, []
    # uuid here, not at the top: it imports platform, and every start
    # imports this module while only saving a secret needs it.
    import uuid

    import keyring
    from keyring.errors import KeyringError

    stored = dict(settings)
    created: list[str] = []
    for name in names:
        ref = str(uuid.uuid4())
        try:
            keyring.set_password(SERVICE_NAME, ref, settings[name])
        except KeyringError as e:
            delete_secrets(created)
            raise StoreError(
                f"The secret {name!r} cannot be stored in the system keyring: "
                f"{type(e).__name__}"
            ) from None  # the cause may quote the secret
        created.append(ref)
        stored[name] = {REFERENCE_KEY: ref}
    return stored, created


def delete_secrets(refs: Iterable[str], *, forget: bool = False) -> None:
    """Delete keyring entries (missing ones are fine).

    Args:
        refs (iterable of str): Entry ids.
        forget (bool): Also stop scrubbing their values (the configuration
            is gone).
    """
    refs = list(refs)
    if not refs or not secrets_backend_available():
        return
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    for ref in refs:
        if forget:
            value = _get(ref)
            if value is not None:
                forget_secret(value)
        try:
            keyring.delete_password(SERVICE_NAME, ref)
        except PasswordDeleteError:
            pass
        except KeyringError as e:
            logger.warning("Cannot delete keyring entry %s: %s", ref, e)


def strip_secrets(integration: Any, settings: dict[str, Any]) -> dict[str, Any]:
    """Return ``settings`` without secret fields or references (exports)."""
    names = set(secret_fields(integration))
    return {k: v for k, v in settings.items() if k not in names and not is_reference(v)}


def _get(ref: str) -> str | None:
    if not secrets_backend_available():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE_NAME, ref)
    except KeyringError as e:
        logger.warning("Cannot read keyring entry %s: %s", ref, e)
        return None
