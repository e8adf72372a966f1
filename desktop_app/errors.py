"""The one error hierarchy of desktop-app.

Every error takes its culprit (an integration id, a config id, a path, a
field name), builds its message from it and keeps it as an attribute, so
callers can react to *what* failed without parsing text. Core code raises;
only the UI edge turns an error into a dialog.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ConfigConflictError",
    "ConfigNotBoundError",
    "ConfigNotFoundError",
    "DatabaseDamagedError",
    "DatabaseLockedError",
    "DeliveryError",
    "DesktopAppError",
    "DiskFullError",
    "FormDefinitionError",
    "ImportConflictError",
    "IntegrationAlreadyRegisteredError",
    "IntegrationError",
    "IntegrationNotRegisteredError",
    "IntegrationRegistrationError",
    "SchemaTooNewError",
    "PluginConflictError",
    "PluginError",
    "PluginLoadError",
    "PluginNameClashError",
    "PluginNotFoundError",
    "PluginRequirementsError",
    "PluginUnsafeError",
    "ReadOnlyConfigError",
    "ReadOnlyStoreError",
    "StorageFaultError",
    "StorageIOError",
    "StoreError",
]


class DesktopAppError(Exception):
    """Base class of every error raised by desktop-app itself."""


class IntegrationError(DesktopAppError):
    """Something is wrong with an integration class or its registration."""


class IntegrationRegistrationError(IntegrationError):
    """An integration class cannot be registered.

    Attributes:
        integration_cls (type): The offending class.
    """

    def __init__(self, integration_cls: type, reason: str) -> None:
        self.integration_cls = integration_cls
        self.reason = reason
        super().__init__(
            f"Cannot register integration {_qualname(integration_cls)}: {reason}"
        )


class IntegrationAlreadyRegisteredError(IntegrationRegistrationError):
    """An integration with the same id is already registered.

    Attributes:
        integration_id (str): The id that is taken.
    """

    def __init__(self, integration_cls: type, integration_id: str) -> None:
        self.integration_id = integration_id
        super().__init__(
            integration_cls,
            f'the integration id "{integration_id}" is already registered',
        )


class IntegrationNotRegisteredError(IntegrationError):
    """An integration was looked up that is not registered.

    Attributes:
        integration_id (str): The id that was asked for.
    """

    def __init__(self, integration_id: str) -> None:
        self.integration_id = integration_id
        super().__init__(f'The integration "{integration_id}" is not registered')


class StoreError(DesktopAppError):
    """The configuration store cannot do what was asked."""


class DatabaseDamagedError(StoreError):
    """The database file cannot be used: it is not SQLite, it is truncated
    or corrupt, or it fails SQLite's integrity check.

    :py:func:`desktop_app.store.open_store` catches it, moves the file aside
    and restores a backup, so the app still starts.

    Attributes:
        path (pathlib.Path): The damaged file.
        reason (str): What is wrong, in plain words.
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"The database {path} is damaged: {reason}")


class StorageFaultError(StoreError):
    """The database file could not be read or written because of something
    around it (the disk, its permissions, another program), not because of
    what was asked.

    The message says what happened and what the user can do about it, in
    plain words; it never holds a statement's parameters or a setting's
    value, so it can go into a dialog, a log or a terminal as it is.
    Nothing was written when it is raised: the transaction was rolled back.

    Attributes:
        path (pathlib.Path): The database file.
        problem (str): What happened.
        fix (str): What the user can do.
        sqlite_errorname (str | None): SQLite's name for the error (for
            example ``SQLITE_FULL``), for logs and bug reports.
    """

    def __init__(
        self,
        path: Path,
        problem: str,
        fix: str,
        sqlite_errorname: str | None = None,
    ) -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        self.sqlite_errorname = sqlite_errorname
        super().__init__(f"{problem} {fix}")


class DiskFullError(StorageFaultError):
    """The disk (or the user's quota) holding the database is full."""

    def __init__(self, path: Path, sqlite_errorname: str | None = None) -> None:
        super().__init__(
            path,
            f"The disk holding {path} is full.",
            "Free some space, then try again.",
            sqlite_errorname,
        )


class ReadOnlyStoreError(StorageFaultError):
    """The database file, or the folder holding it, cannot be written."""

    def __init__(self, path: Path, sqlite_errorname: str | None = None) -> None:
        super().__init__(
            path,
            f"The configuration database {path} is read-only: the file or "
            f"its folder cannot be written.",
            f"Make both {path.name} and {path.parent} writable for your "
            f"user, then try again.",
            sqlite_errorname,
        )


class DatabaseLockedError(StorageFaultError):
    """Another program kept the database locked for longer than the app
    waits (the busy timeout).

    Attributes:
        timeout (float): How long the app waited, in seconds.
    """

    def __init__(
        self, path: Path, timeout: float, sqlite_errorname: str | None = None
    ) -> None:
        self.timeout = timeout
        super().__init__(
            path,
            f"The configuration database {path} is locked by another program "
            f"(still busy after {timeout:g} s).",
            "Wait for it to finish, or close other copies of the app, then try again.",
            sqlite_errorname,
        )


class StorageIOError(StorageFaultError):
    """The system reported an input/output error on the database file, or
    could not open it."""

    def __init__(self, path: Path, sqlite_errorname: str | None = None) -> None:
        super().__init__(
            path,
            f"The configuration database {path} could not be read or written "
            f"(input/output error).",
            "Check that the disk is connected and healthy and that the file "
            "is not too large for it, then try again.",
            sqlite_errorname,
        )


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the app, whose schema
    this version does not know and must not touch.

    Not damage: the file is sound, and replacing it with a backup would fork
    the user's data between the two versions. The store leaves it alone;
    the front ends stop, or open it read-only when the user asks.

    Attributes:
        path (pathlib.Path): The file.
        revision (str): The schema revision found in it.
        written_by (str | None): The version of desktop-app that wrote that
            schema, when the file records it.
    """

    def __init__(
        self, path: Path, revision: str, written_by: str | None = None
    ) -> None:
        self.path = path
        self.revision = revision
        self.written_by = written_by
        who = f"desktop-app {written_by}, " if written_by else ""
        super().__init__(
            f"The configuration database {path} was written by {who}a newer "
            f"version of the app (schema revision {revision}) and was left "
            f"untouched; update desktop-app, or open the database read-only"
        )


class ConfigNotFoundError(StoreError):
    """A configuration id does not exist (any more).

    Attributes:
        config_id (int): The missing id.
    """

    def __init__(self, config_id: int) -> None:
        self.config_id = config_id
        super().__init__(f"Configuration {config_id} does not exist")


class ConfigConflictError(StoreError):
    """A stale copy of a configuration was saved over a newer one.

    Attributes:
        config_id (int): The configuration's id.
        expected_revision (int): The revision the stale copy was based on.
        actual_revision (int): The revision now stored.
    """

    def __init__(
        self, config_id: int, expected_revision: int, actual_revision: int
    ) -> None:
        self.config_id = config_id
        self.expected_revision = expected_revision
        self.actual_revision = actual_revision
        super().__init__(
            f"Configuration {config_id} was changed elsewhere (revision "
            f"{actual_revision}, this copy is revision {expected_revision}); "
            f"reload it or overwrite the newer version"
        )


class ImportConflictError(StoreError):
    """A configuration an import was to replace was changed or deleted
    (another window, another process) after the import was checked, so
    nothing was imported: replacing it would undo an edit nobody saw.

    Attributes:
        config_id (int): The configuration's id.
        name (str): Its name, as the import read it.
        deleted (bool): Whether it was deleted (else it was changed).
    """

    def __init__(self, config_id: int, name: str, *, deleted: bool) -> None:
        self.config_id = config_id
        self.name = name
        self.deleted = deleted
        what = "deleted" if deleted else "changed"
        super().__init__(
            f"The configuration {name[:80]!r} was {what} elsewhere while the "
            f"file was being checked; import the file again to replace it"
        )


class ReadOnlyConfigError(DesktopAppError, TypeError):
    """Code tried to change a configuration snapshot from ``get_configs()``.

    Snapshots are shared by every later caller; a change would be seen by
    all of them and never saved. A ``TypeError``, like changing any other
    read-only mapping.

    Attributes:
        config_id (int): The snapshot's configuration.
        integration_id (str): Its integration.
    """

    def __init__(self, config_id: int, integration_id: str) -> None:
        self.config_id = config_id
        self.integration_id = integration_id
        super().__init__(
            f"Configuration {config_id} from get_configs() is a read-only "
            f"snapshot. To change it, take an editable copy: "
            f"config = integration.get_config({config_id}) (or "
            f"snapshot.editable()), then config.set(key, value) and "
            f"config.save()."
        )


class ConfigNotBoundError(DesktopAppError):
    """A configuration was saved or deleted without a manager to do it.

    Attributes:
        integration_id (str): The configuration's integration.
    """

    def __init__(self, integration_id: str) -> None:
        self.integration_id = integration_id
        super().__init__(
            f"This {integration_id} configuration has no manager to save it "
            f"with: create it with integration.create_config() or "
            f"manager.create_config(), or pass it to manager.save_config()."
        )


class FormDefinitionError(DesktopAppError, TypeError):
    """A form class is declared wrongly (for example a fieldset names an
    unknown field).

    Attributes:
        form_name (str): The form class's name.
        field_name (str | None): The culprit field, when there is one.
    """

    def __init__(self, form_name: str, message: str, field_name: str | None = None):
        self.form_name = form_name
        self.field_name = field_name
        super().__init__(f"{form_name}: {message}")


class PluginError(DesktopAppError):
    """Something is wrong with a plugin (a drop-in module or a distribution).

    Attributes:
        plugin_name (str): The plugin's name.
    """

    def __init__(self, plugin_name: str, message: str) -> None:
        self.plugin_name = plugin_name
        super().__init__(message)


class PluginLoadError(PluginError):
    """A plugin could not be imported or set up.

    Attributes:
        plugin_name (str): The plugin's name.
        path (str | None): Its file or folder, when it has one.
        reason (str): One line saying what went wrong.
    """

    def __init__(self, plugin_name: str, reason: str, path: str | None = None) -> None:
        self.path = path
        self.reason = reason
        where = f" ({path})" if path else ""
        super().__init__(plugin_name, f'Plugin "{plugin_name}"{where} failed: {reason}')


class PluginConflictError(PluginLoadError):
    """A plugin registers an integration id that another plugin holds.

    Attributes:
        integration_id (str): The contested id.
        holder (str | None): The plugin that registered it first (``None``
            when the app itself registered it).
    """

    def __init__(
        self,
        plugin_name: str,
        integration_id: str,
        holder: str | None,
        path: str | None = None,
    ) -> None:
        self.integration_id = integration_id
        self.holder = holder
        by = f'plugin "{holder}"' if holder else "the application"
        super().__init__(
            plugin_name,
            f'the integration id "{integration_id}" is already registered by {by}',
            path,
        )


class PluginUnsafeError(PluginLoadError):
    """A plugin was refused because other users could change its code.

    A plugin runs with the user's rights; a file or folder another user
    owns or can write to would let them run code as this user.

    Attributes:
        unsafe_path (str): The file or folder another user owns or can
            write to.
        mode (int): Its permission bits.
        owner (int | None): Its owner's uid when that is another user (not
            the user, not root); None when the mode is the problem.
        link (str | None): The symbolic link that led to ``unsafe_path``,
            when the plugin was reached through one.
    """

    def __init__(
        self,
        plugin_name: str,
        unsafe_path: str,
        mode: int,
        path: str | None = None,
        *,
        owner: int | None = None,
        link: str | None = None,
    ) -> None:
        self.unsafe_path = unsafe_path
        self.mode = mode
        self.owner = owner
        self.link = link
        if owner is not None:
            from desktop_app._paths import user_name

            reason = (
                f"{unsafe_path} belongs to another user (uid {owner}), who "
                f"could change the code it runs; if you trust it, fix it with "
                f"chown {user_name()} {unsafe_path}, else remove it"
            )
        else:
            reason = (
                f"{unsafe_path} is writable by other users (mode {mode:04o}); "
                f"fix it with chmod go-w {unsafe_path}"
            )
        if link is not None:
            reason = (
                f"{link} is a symbolic link, followed only when its target "
                f"passes the same checks, and it does not: {reason}"
            )
        super().__init__(plugin_name, reason, path)


class PluginNameClashError(PluginLoadError):
    """A folder plugin's name is already a module: an installed one or
    another plugin's. Plugins import under their own name (``import
    myplugin.sub``), so loading it would shadow the other, or be shadowed.

    Attributes:
        module_name (str): The contested name.
        holder (str): What holds it: a file or folder, or a description.
    """

    def __init__(
        self, plugin_name: str, module_name: str, holder: str, path: str | None = None
    ) -> None:
        self.module_name = module_name
        self.holder = holder
        super().__init__(
            plugin_name,
            f'the module name "{module_name}" is already taken by {holder}; '
            f"rename the plugin's file or folder",
            path,
        )


class PluginRequirementsError(PluginLoadError):
    """A plugin needs packages that are not installed (or not new enough);
    its code was not run.

    Attributes:
        missing (list[str]): One plain line per unmet requirement
            (``"PyYAML >= 6 (not installed)"``).
    """

    def __init__(
        self, plugin_name: str, missing: list[str], path: str | None = None
    ) -> None:
        self.missing = list(missing)
        super().__init__(
            plugin_name,
            f"needs {'; '.join(missing)}; install with: desktop-app plugins "
            f"install-deps {plugin_name}",
            path,
        )


class PluginNotFoundError(PluginError, KeyError):
    """A plugin was looked up by a name no known plugin has."""

    def __init__(self, plugin_name: str) -> None:
        super().__init__(plugin_name, f'No plugin named "{plugin_name}"')

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


class DeliveryError(DesktopAppError):
    """An integration could not deliver an event to its service.

    Attributes:
        target (str): Where it tried to deliver (a URL without its query,
            a file path); never a secret.
        reason (str): One line saying what went wrong.
    """

    #: Whether trying again may help (False: the request itself is wrong).
    retryable = True

    def __init__(self, target: str, reason: str) -> None:
        self.target = target
        self.reason = reason
        super().__init__(f"Delivery to {target} failed: {reason}")


def _qualname(cls: type) -> str:
    return f"{getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', cls)}"


class DeliveryActionError(DesktopAppError):
    """A delivery cannot be retried, or an event sent to one configuration.

    Attributes:
        culprit (int | str): The delivery or configuration id concerned.
    """

    def __init__(self, culprit: int | str, message: str) -> None:
        self.culprit = culprit
        super().__init__(message)
