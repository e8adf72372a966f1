"""Exporting configurations to JSON and importing them back.

An export is meant to be shared (a bug report, another machine), so secrets
never go into it. An import is treated as hand-edited text: the whole
document is checked first, each configuration is cleaned by its
integration's form exactly as the dialog would, and nothing is saved unless
everything is valid. Then every configuration is stored in one transaction
(:py:meth:`IntegrationManager.bulk_save`), so an import is all or nothing
and costs one commit, not one per configuration. A same-named configuration
can be added beside the stored one, skipped, or replace it (keeping its id,
its history and the secrets the file does not have).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from desktop_app._import_plan import (
    ImportPlan,
    SameName,
    apply_import,
    same_named_configs,
)
from desktop_app._private_files import write_private_text
from desktop_app._secrets import is_reference, secret_fields, strip_secrets
from desktop_app.errors import IntegrationNotRegisteredError
from desktop_app.forms import IntegrationConfigForm, ValidationError

if TYPE_CHECKING:
    from desktop_app.config import IntegrationConfig
    from desktop_app.manager import IntegrationManager

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ImportPlan",
    "SameName",
    "apply_import",
    "export_configs",
    "import_configs",
    "missing_secrets",
    "plan_import",
    "same_named",
    "write_export",
]

#: Identifies our documents among other JSON files.
FORMAT = "desktop-app-configs"

#: Bumped when the document's shape changes incompatibly.
FORMAT_VERSION = 1

_CONFIG_KEYS = {"integration_id", "name", "enabled", "settings"}


def export_configs(
    manager: IntegrationManager, configs: Iterable[IntegrationConfig]
) -> str:
    """Return configurations as a JSON document, without their secrets.

    Args:
        manager (IntegrationManager): Knows the integrations, and so which
            settings are secrets.
        configs (iterable of IntegrationConfig): What to export.
    """
    items = []
    for config in configs:
        integration = (
            manager.get_integration(config.integration_id)
            if manager.is_registered(config.integration_id)
            else None
        )
        items.append(
            {
                "integration_id": config.integration_id,
                "name": config.name,
                "enabled": bool(config.enabled),
                "settings": strip_secrets(integration, config.settings),
            }
        )
    document = {"format": FORMAT, "version": FORMAT_VERSION, "configs": items}
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)


def write_export(
    manager: IntegrationManager,
    configs: Iterable[IntegrationConfig],
    path: str | os.PathLike[str],
) -> None:
    """Export configurations to the file ``path``, private to the user.

    The file is created 0600 (missing folders 0700) and replaces ``path``
    whole once written: an export names the user's services and accounts
    even without its secrets.

    Raises:
        OSError: The file cannot be written.
    """
    write_private_text(path, export_configs(manager, configs))


def import_configs(
    manager: IntegrationManager,
    text: str,
    *,
    skip_existing: bool = False,
    on_same_name: SameName | None = None,
) -> list[IntegrationConfig]:
    """Validate a JSON document of configurations, then save all of them.

    Secrets are not in exports; a secret field missing from the document is
    left empty for the user to fill in, instead of failing the import. A
    configuration that needs such a secret is imported disabled (see
    :py:func:`missing_secrets`), so nothing runs without its credentials.
    The same in two steps, to show what would happen before saving:
    :py:func:`plan_import`, then :py:func:`apply_import`.

    Args:
        manager (IntegrationManager): Where the configurations go.
        text (str): The document.
        skip_existing (bool): The same as ``on_same_name="skip"`` (kept for
            callers written before ``on_same_name``).
        on_same_name (str, optional): What to do with a configuration whose
            integration already has one of the same name: ``"add"`` it
            beside (the default), ``"skip"`` it, or ``"replace"`` the
            stored one (see :py:func:`plan_import`).

    Returns:
        list[IntegrationConfig]: The saved configurations, added and
        replaced, in the document's order.

    Raises:
        desktop_app.forms.ValidationError: The document is not valid; the
            message names the configuration and field. Nothing was saved.
        desktop_app.errors.ImportConflictError: A configuration to replace
            was changed or deleted meanwhile; nothing was saved.
        desktop_app.errors.StoreError: Storing failed; nothing was kept.
    """
    if on_same_name is None:
        on_same_name = "skip" if skip_existing else "add"
    plan = plan_import(manager, text, on_same_name=on_same_name)
    apply_import(manager, plan)
    return plan.configs


def plan_import(
    manager: IntegrationManager, text: str, *, on_same_name: SameName = "add"
) -> ImportPlan:
    """Check a document and work out what importing it saves; store nothing.

    With ``on_same_name="replace"``, a configuration whose integration
    already has one of the same name (exactly, case included) takes that
    one's place: the stored configuration keeps its id, and with it its
    deliveries and status, and gets the file's name, enabled state and
    settings (settings the file lacks are gone, as in a new one). A secret
    the file has no value for (exports never have them) keeps the stored
    value, so replacing from an export never loses a password. When several
    stored configurations have the name, the file's first one with it
    replaces the oldest, its second the next oldest, and so on; the file's
    ones left over are added. Each stored configuration is read at its
    current revision, and :py:func:`apply_import` refuses to save if any of
    them changes in between.

    Args:
        manager (IntegrationManager): Where the configurations would go.
        text (str): The document.
        on_same_name (str): ``"add"``, ``"skip"`` or ``"replace"`` (see
            :py:func:`import_configs`).

    Returns:
        ImportPlan: What would be saved.

    Raises:
        desktop_app.forms.ValidationError: The document is not valid; the
            message names the configuration and field.
        ValueError: ``on_same_name`` is not one of the three.
    """
    if on_same_name not in ("add", "skip", "replace"):
        raise ValueError(
            f"on_same_name must be 'add', 'skip' or 'replace', not {on_same_name!r}"
        )
    items = _parse(text)
    taken = {} if on_same_name == "add" else same_named_configs(manager, items)
    skipped = 0
    if on_same_name == "skip":
        kept = [i for i in items if _name_key(i) not in taken]
        skipped = len(items) - len(kept)
        items = kept
    checkers: dict[str, _ConfigChecker] = {}
    configs = []
    replaced = []
    # Each parsed item is let go once its configuration is built, so the
    # import holds one copy of every configuration, not two: holding both
    # made enough long-lived objects to set off full collections of the
    # whole process in the middle of a large import.
    items.reverse()  # popped from the end: document order
    for index in range(len(items)):
        item = items.pop()
        integration_id = item["integration_id"]
        checker = checkers.get(integration_id)
        if checker is None:
            checker = _ConfigChecker(manager, integration_id, _where(index, item))
            checkers[integration_id] = checker
        key = _name_key(item)
        stored = taken.get(key) if taken and key else None
        existing = stored.pop(0) if stored else None
        config = checker.check(index, item, existing)
        configs.append(config)
        if existing is not None:
            replaced.append(config)
    return ImportPlan(configs, replaced, skipped)


def _parse(text: str) -> list[dict[str, Any]]:
    if not isinstance(text, str):
        raise ValidationError("The import is not text.", code="invalid")
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as e:
        raise ValidationError(
            f"The import is not valid JSON: {e}", code="invalid"
        ) from e
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError(
            f'The import is not a desktop-app export (no "format": "{FORMAT}").',
            code="invalid",
        )
    version = document.get("version")
    if type(version) is not int or not 1 <= version <= FORMAT_VERSION:
        raise ValidationError(
            f"The import has version {version!r}; this app reads version "
            f"{FORMAT_VERSION}.",
            code="invalid",
        )
    items = document.get("configs")
    if not isinstance(items, list):
        raise ValidationError('The import has no "configs" list.', code="invalid")
    for index, item in enumerate(items):
        where = f"Configuration {index + 1}"
        if not isinstance(item, dict):
            raise ValidationError(f"{where} is not an object.", code="invalid")
        unknown = set(item) - _CONFIG_KEYS
        if unknown:
            raise ValidationError(
                f"{where} has unknown keys: {', '.join(sorted(unknown))}.",
                code="invalid",
            )
        if not isinstance(item.get("integration_id"), str):
            raise ValidationError(f"{where} has no integration_id.", code="invalid")
        if not isinstance(item.get("settings", {}), dict):
            raise ValidationError(
                f"{where}: settings must be an object.", code="invalid"
            )
    return items


class _ConfigChecker:
    """Cleans the imported configurations of one integration.

    One form serves every configuration of the integration, re-bound for
    each (:py:meth:`Form.rebind`): a form per configuration copied every
    field each time, and that was most of an import of 10,000.
    """

    def __init__(self, manager: IntegrationManager, integration_id: str, where: str):
        try:
            self.integration = manager.get_integration(integration_id)
        except IntegrationNotRegisteredError:
            raise ValidationError(
                f"{where}: the integration {integration_id[:200]!r} is not installed.",
                code="unknown_integration",
            ) from None
        form_cls = self.integration.config_form_cls or IntegrationConfigForm
        self.form: IntegrationConfigForm = form_cls(self.integration)
        # Secret fields and whether the form requires them when present.
        self.secrets = {
            name: self.form.fields[name].required
            for name in secret_fields(self.integration)
        }
        self.needed = any(self.secrets.values())

    def check(
        self,
        index: int,
        item: dict[str, Any],
        existing: IntegrationConfig | None = None,
    ) -> IntegrationConfig:
        """Return a new, unsaved configuration for one valid item, or
        ``existing`` (a copy) with the item's values, keeping the secrets
        the item has no value for.

        Raises:
            desktop_app.forms.ValidationError: The item is not valid; the
                messages name it (its number and name) and the field.
        """
        form = self.form
        settings = item.get("settings", {})
        for secret, required in self.secrets.items():
            # Exports leave secrets out: a missing one is for the user to
            # fill in later, not a reason to refuse the import.
            form.fields[secret].required = required and settings.get(secret) not in (
                None,
                "",
            )
        form.rebind(
            {
                **settings,
                "name": item.get("name"),
                "enabled": item.get("enabled", False),
            }
        )
        if not form.is_valid():
            where = _where(index, item)
            raise ValidationError(
                [f"{where}: {message}" for message in form._error_summary()],
                code="invalid",
            )
        fields = form.fields
        # Settings no field declares are kept as they are (already JSON
        # values), except keyring references: a crafted file must not point
        # at secrets.
        extra = {
            k: v for k, v in settings.items() if k not in fields and not is_reference(v)
        }
        if existing is None:
            config = self.integration.create_config(settings=extra)
        else:
            config = existing.copy()
            config.settings = extra
        form.apply_to(config)
        if existing is not None:
            for secret in self.secrets:
                kept = existing.settings.get(secret)
                if settings.get(secret) in (None, "") and kept not in (None, ""):
                    config.settings[secret] = kept
        if self.needed and missing_secrets(self.integration, config):
            config.enabled = False  # until the user gives the secret
        return config


def same_named(manager: IntegrationManager, text: str) -> list[str]:
    """Return the names in a document that its integration already has (so
    the user can choose to skip or replace them); ``[]`` for a document that
    is not valid, which the import itself then refuses with its reasons."""
    try:
        items = _parse(text)
    except ValidationError:
        return []
    taken = same_named_configs(manager, items)
    return [str(item["name"]) for item in items if _name_key(item) in taken]


def missing_secrets(integration: Any, config: IntegrationConfig) -> list[str]:
    """Return the labels of the required secrets a configuration lacks
    (after an import, which never brings secrets): it "needs a secret"
    before it may be enabled."""
    form_cls = getattr(integration, "config_form_cls", None) or IntegrationConfigForm
    fields = form_cls.base_fields
    return [
        fields[name].label or name
        for name in secret_fields(integration)
        if fields[name].required and config.settings.get(name) in (None, "")
    ]


def _name_key(item: dict[str, Any]) -> tuple[str, str] | None:
    """An item's (integration id, name), to look up stored ones by; ``None``
    when its name is not text (the form then refuses it)."""
    name = item.get("name")
    return (item["integration_id"], name) if isinstance(name, str) else None


def _where(index: int, item: dict[str, Any]) -> str:
    """Name an imported item in a message: its number, and its name if any."""
    name = item.get("name")
    return f"Configuration {index + 1}" + (
        f" ({name[:80]!r})" if isinstance(name, str) else ""
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
