"""The plugin manager: discovers, loads, reloads and unloads plugins.

One broken plugin never hurts the rest: everything that runs plugin code
(import, extension and integration set-up) is wrapped, the failure is
recorded on that plugin's :py:class:`PluginInfo` with its traceback, and
whatever it had registered is taken out again.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.activity import scrub_secrets
from desktop_app.errors import (
    IntegrationAlreadyRegisteredError,
    PluginConflictError,
    PluginNotFoundError,
    PluginUnsafeError,
)
from desktop_app.plugins._discovery import (
    PluginSource,
    discover_entry_points,
    discover_folder,
    fingerprint,
    is_builtin,
)
from desktop_app.plugins._importing import (
    folder_module_name,
    import_distribution_module,
    import_folder_plugin,
    remove_modules,
)
from desktop_app.plugins._info import (
    SOURCE_FOLDER,
    STATUS_DISABLED,
    STATUS_FAILED,
    STATUS_LOADED,
    STATUS_REFUSED,
    PluginInfo,
)
from desktop_app.plugins._registration import (
    Contributions,
    register_contributions,
    unregister_contributions,
)
from desktop_app.plugins._safety import check_plugin_safe
from desktop_app.plugins._state import PluginState

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager

__all__ = ["PluginManager"]

logger = logging.getLogger(__name__)


class PluginManager:
    """Loads plugins into an integration manager and keeps them current.

    Not thread-safe: call it from one thread (the UI thread in the app).

    Args:
        manager (IntegrationManager): Where integrations are registered. It
            should be the process-wide one, since extensions'
            ``IntegrationHook``s register with that.
        plugins_dir (str | os.PathLike): The drop-in folder.
        state_path (str | os.PathLike | None): The JSON file of disabled
            plugins; defaults to ``plugins.json`` beside the folder.
        entry_points (bool): Also load installed distributions' plugins.
        bytecode_cache (str | os.PathLike | None): Where folder plugins'
            compiled code is cached, keyed by their source bytes; defaults
            to ``cache/plugins`` beside the folder.
        safe_mode (bool): Load only the built-in integrations (this
            project's own entry points): no drop-ins, no other
            distributions. For a start after one a plugin broke.
        on_loading (callable, optional): Called with each plugin's
            :py:class:`PluginInfo` just before its code runs, so a start
            that dies inside a plugin can name it next time.
    """

    def __init__(
        self,
        manager: IntegrationManager,
        plugins_dir: str | os.PathLike[str],
        *,
        state_path: str | os.PathLike[str] | None = None,
        entry_points: bool = True,
        bytecode_cache: str | os.PathLike[str] | None = None,
        safe_mode: bool = False,
        on_loading: Callable[[PluginInfo], None] | None = None,
    ) -> None:
        self.manager = manager
        self.plugins_dir = Path(plugins_dir)
        self.bytecode_cache = (
            Path(bytecode_cache)
            if bytecode_cache
            else self.plugins_dir.parent / "cache" / "plugins"
        )
        self.state = PluginState(
            Path(state_path) if state_path else self.plugins_dir.parent / "plugins.json"
        )
        self.use_entry_points = entry_points
        self.safe_mode = safe_mode
        self.on_loading = on_loading
        self._plugins: dict[str, PluginInfo] = {}
        self._sources: dict[str, PluginSource] = {}
        self._contributions: dict[str, Contributions] = {}
        self._fingerprints: dict[str, str] = {}
        #: Integration id → key of the plugin that registered it.
        self._owners: dict[str, str] = {}

    # Queries --------------------------------------------------------------

    @property
    def plugins(self) -> list[PluginInfo]:
        """Every known plugin: distributions first, then folder plugins."""
        return list(self._plugins.values())

    def get(self, name: str) -> PluginInfo:
        """Return a plugin by key (``'folder:foo'``) or name (``'foo'``).

        Raises:
            PluginNotFoundError: No such plugin.
        """
        info = self._plugins.get(name)
        if info is None:
            info = next((p for p in self._plugins.values() if p.name == name), None)
        if info is None:
            raise PluginNotFoundError(name)
        return info

    def owner_of(self, integration_id: str) -> PluginInfo | None:
        """Return the plugin that registered an integration, if any."""
        key = self._owners.get(integration_id)
        return self._plugins.get(key) if key else None

    # Loading --------------------------------------------------------------

    def load_all(self) -> list[PluginInfo]:
        """Discover and load every plugin not loaded yet.

        Returns:
            list[PluginInfo]: Every known plugin, whatever its status.
        """
        sources = discover_entry_points() if self.use_entry_points else []
        if self.safe_mode:
            sources = [s for s in sources if is_builtin(s)]
        else:
            sources += discover_folder(self.plugins_dir)
        for source in sources:
            if source.key not in self._plugins:
                self._add(source)
        return self.plugins

    def reload(self, name: str) -> PluginInfo:
        """Unload a plugin and load it again from its current code.

        Configurations are untouched: they are keyed by integration id and
        re-attach when the integrations register again.
        """
        info = self.get(name)
        self._unload(info)
        source = self._sources[info.key]
        if source.path is not None:
            self._fingerprints[info.key] = fingerprint(source.path)
        self._load(info, source)
        return info

    def reload_changed(self) -> list[PluginInfo]:
        """Bring the folder plugins in line with the folder: load new ones,
        drop removed ones, reload changed ones.

        Returns:
            list[PluginInfo]: The plugins added, reloaded or removed.
        """
        touched: list[PluginInfo] = []
        if self.safe_mode:
            return touched  # drop-ins stay out until a normal start
        found = {s.key: s for s in discover_folder(self.plugins_dir)}
        for key, info in list(self._plugins.items()):
            if info.source == SOURCE_FOLDER and key not in found:
                self._unload(info)
                del self._plugins[key]
                self._sources.pop(key, None)
                self._fingerprints.pop(key, None)
                touched.append(info)
        for key, source in found.items():
            if key not in self._plugins:
                touched.append(self._add(source))
                continue
            assert source.path is not None
            new = fingerprint(source.path)
            info = self._plugins[key]
            if new != self._fingerprints.get(key):
                self._sources[key] = source
                self._fingerprints[key] = new
                self._unload(info)
                self._load(info, source)
                touched.append(info)
            elif info.refused:
                # Same code, maybe fixed modes or owners (chmod and chown
                # change no content):
                # check again; it counts as a change only if it now loads.
                self._load(info, source)
                if info.status != STATUS_REFUSED:
                    touched.append(info)
        return touched

    def set_enabled(self, name: str, enabled: bool) -> PluginInfo:
        """Enable or disable a plugin, store the choice, and apply it now."""
        info = self.get(name)
        self.state.set_enabled(info.key, enabled)
        if enabled and info.status == STATUS_DISABLED:
            self._load(info, self._sources[info.key])
        elif not enabled:
            self._unload(info)
            info.reset()
        return info

    def unload_all(self) -> None:
        """Unload every plugin, newest first (at shutdown)."""
        for info in reversed(self.plugins):
            self._unload(info)

    # Internals ------------------------------------------------------------

    def _add(self, source: PluginSource) -> PluginInfo:
        module_name = source.module or folder_module_name(self.plugins_dir, source.name)
        info = PluginInfo(
            source.name,
            source.source,  # type: ignore[arg-type]
            source.path,
            module_name,
            source.version,
            source.distribution,
        )
        self._plugins[info.key] = info
        self._sources[info.key] = source
        # A one-file plugin's fingerprint comes from the bytes its import
        # ran (see _load), saving a second read and hash of every file.
        self._fingerprints.pop(info.key, None)
        self._load(info, source)
        if source.path is not None and info.key not in self._fingerprints:
            # Not imported (disabled, refused) or a package.
            self._fingerprints[info.key] = fingerprint(source.path)
        return info

    def _load(self, info: PluginInfo, source: PluginSource) -> None:
        info.reset()
        if not self.state.is_enabled(info.key):
            return
        if source.source == SOURCE_FOLDER and source.path is not None:
            try:
                check_plugin_safe(info.name, source.path, self.plugins_dir)
            except PluginUnsafeError as e:
                # Not a failure of the plugin: its code never ran. The user
                # fixes the modes or owners, then Reload plugins tries again.
                info.status = STATUS_REFUSED
                info.error = e.reason
                logger.error("Plugin %s refused: %s", info.name, e.reason)
                return
        if self.on_loading is not None:
            self.on_loading(info)
        contributions = Contributions()
        self._contributions[info.key] = contributions
        try:
            if source.path is not None:
                module = import_folder_plugin(
                    source.path,
                    info.module_name,
                    self.bytecode_cache,
                    on_source=lambda digest: self._fingerprints.__setitem__(
                        info.key, digest
                    ),
                )
            else:
                module = import_distribution_module(info.module_name)
                module_file = getattr(module, "__file__", None)
                if info.path is None and module_file:
                    info.path = Path(module_file)
            if info.version is None:
                version = getattr(module, "__version__", None)
                info.version = str(version) if version is not None else None
            register_contributions(module, self.manager, contributions)
        except KeyboardInterrupt:
            self._undo(info, contributions)
            raise
        except IntegrationAlreadyRegisteredError as e:
            holder = self.owner_of(e.integration_id)
            conflict = PluginConflictError(
                info.name,
                e.integration_id,
                holder.name if holder else None,
                str(info.path) if info.path else None,
            )
            self._fail(info, contributions, conflict.reason, e)
            return
        except BaseException as e:  # noqa: B036 - SystemExit from plugin code too
            self._fail(info, contributions, _one_line(e), e)
            return
        self._record(info, contributions)
        for integration_id in info.integration_ids:
            error = self.manager.integration_errors.get(integration_id)
            if error is not None:
                info.status = STATUS_FAILED
                # Shown by the plugins page and `list`: no known secret.
                info.error = scrub_secrets(f"integration {integration_id}: {error[0]}")
                info.traceback = scrub_secrets(error[1])
                logger.error("Plugin %s: %s", info.name, info.error)
                return
        info.status = STATUS_LOADED
        logger.info("Plugin %s loaded (%s)", info.name, info.registered_summary())

    def _record(self, info: PluginInfo, contributions: Contributions) -> None:
        info.integration_ids = list(contributions.integration_ids)
        info.extension_ids = [e.id for e in contributions.extensions]
        info.signal_names = list(contributions.signal_names)
        for integration_id in info.integration_ids:
            self._owners[integration_id] = info.key

    def _fail(
        self,
        info: PluginInfo,
        contributions: Contributions,
        message: str,
        error: BaseException,
    ) -> None:
        logger.error("Plugin %s failed: %s", info.name, message, exc_info=error)
        self._undo(info, contributions)
        info.status = STATUS_FAILED
        # Shown by the plugins page and `list`: no known secret.
        info.error = scrub_secrets(message)
        info.traceback = scrub_secrets("".join(traceback.format_exception(error)))

    def _undo(self, info: PluginInfo, contributions: Contributions) -> None:
        try:
            unregister_contributions(self.manager, contributions, info.name)
        finally:
            for integration_id in contributions.integration_ids:
                if self._owners.get(integration_id) == info.key:
                    del self._owners[integration_id]
            self._contributions.pop(info.key, None)
            remove_modules(info.module_name)

    def _unload(self, info: PluginInfo) -> None:
        contributions = self._contributions.get(info.key)
        if contributions is not None:
            self._undo(info, contributions)
        info.integration_ids = []
        info.extension_ids = []
        info.signal_names = []


def _one_line(error: BaseException) -> str:
    if isinstance(error, SyntaxError):
        where = f" (line {error.lineno})" if error.lineno else ""
        return f"SyntaxError: {error.msg}{where}"
    text = str(error).strip().splitlines()
    detail = f": {text[0]}" if text else ""
    return f"{type(error).__name__}{detail}"
