"""The plugin manager: discovers, loads, reloads and unloads plugins.

One broken plugin never hurts the rest: everything that runs plugin code
(import, extension and integration set-up) is wrapped, the failure is
recorded on that plugin's :py:class:`PluginInfo` with its traceback, and
whatever it had registered is taken out again.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import types
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app._containment import (
    describe_error,
    format_traceback,
    is_user_interrupt,
)
from desktop_app.activity import scrub_secrets
from desktop_app.errors import (
    IntegrationAlreadyRegisteredError,
    PluginConflictError,
    PluginLoadError,
    PluginNotFoundError,
    PluginRequirementsError,
    PluginUnsafeError,
)
from desktop_app.plugins._background import (
    Batches,
    Imported,
    import_in_background,
    stack_of,
)
from desktop_app.plugins._discovery import (
    PluginSource,
    discover_entry_points,
    discover_folder,
    fingerprint,
    is_builtin,
)
from desktop_app.plugins._entry_point_cache import (
    CACHE_NAME as ENTRY_POINTS_CACHE_NAME,
)
from desktop_app.plugins._importing import (
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
from desktop_app.plugins._names import InstalledNames, folder_module_name
from desktop_app.plugins._registration import (
    Contributions,
    register_contributions,
    unregister_contributions,
)
from desktop_app.plugins._requirements import (
    DEPS_FOLDER,
    declared_requirements,
    drop_deps_dir,
    unmet_requirements,
    use_deps_dir,
)
from desktop_app.plugins._safety import check_plugin_safe
from desktop_app.plugins._state import PluginState

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager

__all__ = ["DEFAULT_IMPORT_TIMEOUT", "PluginManager", "import_timeout_from_env"]

logger = logging.getLogger(__name__)

_Dispatch = Callable[[Callable[[], None]], None]
_Progress = Callable[[int, int, PluginInfo], None]
#: ``(dispatch, everything, progress, finished)`` of a reload.
_ReloadRequest = tuple[
    _Dispatch, bool, _Progress | None, Callable[[list[PluginInfo]], None] | None
]

#: Seconds a plugin's import may take before it is skipped.
DEFAULT_IMPORT_TIMEOUT = 10.0


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
        deps_dir (str | os.PathLike | None): Where ``plugins install-deps``
            puts the packages folder plugins declare in ``requirements``;
            defaults to ``plugin-deps`` beside the folder. On ``sys.path``
            (last) once a plugin declares requirements.
        import_timeout (float): Seconds one plugin's import may take. A
            plugin still importing then is reported as failed and skipped,
            so one that hangs at import (a network call, a deadlock) cannot
            hang start-up. Defaults to ``$DESKTOP_APP_PLUGIN_TIMEOUT``, else
            :py:data:`DEFAULT_IMPORT_TIMEOUT`.
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
        import_timeout: float | None = None,
        deps_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        if import_timeout is None:
            import_timeout = import_timeout_from_env()
        if not 0 < import_timeout < float("inf"):
            raise ValueError("import_timeout must be a positive number of seconds")
        self.manager = manager
        self.import_timeout = float(import_timeout)
        self.plugins_dir = Path(plugins_dir)
        self.bytecode_cache = (
            Path(bytecode_cache)
            if bytecode_cache
            else self.plugins_dir.parent / "cache" / "plugins"
        )
        self.state = PluginState(
            Path(state_path) if state_path else self.plugins_dir.parent / "plugins.json"
        )
        self.deps_dir = (
            Path(deps_dir) if deps_dir else self.plugins_dir.parent / DEPS_FOLDER
        )
        self._deps_on_path = False
        self.use_entry_points = entry_points
        #: Where the entry-point scan is remembered (see _entry_point_cache).
        self.entry_point_cache = (
            self.plugins_dir.parent / "cache" / ENTRY_POINTS_CACHE_NAME
        )
        self.safe_mode = safe_mode
        self.on_loading = on_loading
        self._plugins: dict[str, PluginInfo] = {}
        self._sources: dict[str, PluginSource] = {}
        self._contributions: dict[str, Contributions] = {}
        self._fingerprints: dict[str, str] = {}
        #: Integration id → key of the plugin that registered it.
        self._owners: dict[str, str] = {}
        #: Plugin key → number of its latest load: a background import
        #: whose load was superseded (reload, disable, unload) is dropped.
        self._generation: dict[str, int] = {}
        self._background_runs = 0
        #: Reloads asked for while plugins were loading; run at its end.
        self._waiting_reloads: list[_ReloadRequest] = []
        #: Integration id → (plugin key, display name) of every integration
        #: a plugin registered in this run, kept after the plugin breaks so
        #: its configurations can still say where they came from.
        self._registered_before: dict[str, tuple[str, str]] = {}

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

    def lost_integrations(self) -> list[str]:
        """Integrations a plugin registered earlier in this run that are
        not registered now (the plugin broke, was turned off or removed)."""
        return [
            integration_id
            for integration_id in self._registered_before
            if not self.manager.is_registered(integration_id)
        ]

    def former_name(self, integration_id: str) -> str | None:
        """The name an integration had when a plugin last registered it."""
        known = self._registered_before.get(integration_id)
        return known[1] if known else None

    def why_not_loaded(self, integration_id: str) -> str | None:
        """Say in plain words why an integration is not registered, if a
        plugin explains it: the one that registered it before, or one that
        did not load whose module the id belongs to (ids default to the
        module path and class name)."""
        known = self._registered_before.get(integration_id)
        info = self._plugins.get(known[0]) if known else None
        if info is None:
            for candidate in self._plugins.values():
                if candidate.loaded or not candidate.module_name:
                    continue
                # The module path as imported, and as the plugin knows
                # itself (a folder plugin without the generated prefix).
                names = {candidate.module_name, candidate.name}
                if any(integration_id.startswith(n + ".") for n in names):
                    info = candidate
                    break
        if info is None:
            return "The plugin that provided it was removed." if known else None
        if info.failed:
            return f'Its plugin "{info.name}" failed to load: {info.error}'
        if info.refused:
            return f'Its plugin "{info.name}" was not loaded: {info.error}'
        if info.status == STATUS_DISABLED:
            return f'Its plugin "{info.name}" is turned off (Tools → Plugins…).'
        return f'Its plugin "{info.name}" no longer provides it.'

    # Loading --------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """Whether a :py:meth:`load_all_in_background` run is under way."""
        return self._background_runs > 0

    def load_all(self) -> list[PluginInfo]:
        """Discover and load every plugin not loaded yet, one after the
        other, each import bounded by ``import_timeout``.

        Returns:
            list[PluginInfo]: Every known plugin, whatever its status.
        """
        sources = self._new_sources()
        # One listing of sys.path for the whole run (see InstalledNames).
        installed = InstalledNames() if sources else None
        for source in sources:
            self._add(source, installed)
        return self.plugins

    def load_all_in_background(
        self,
        dispatch: _Dispatch,
        *,
        progress: _Progress | None = None,
        finished: Callable[[], None] | None = None,
    ) -> None:
        """Discover, check and import plugins on helper threads; register
        each one through ``dispatch``; return at once.

        Nothing but registration runs on this thread: finding the plugins
        (installed distributions' metadata, the folder), the ownership
        checks and the imports all happen on the loader thread, so in the
        window they overlap the first frame instead of delaying it.
        Registration (``initialize()``, hooks) touches the manager and, in
        the window, Qt objects, so it comes back to this thread. Each
        import gets ``import_timeout`` seconds; one that runs longer is
        reported as failed and the loader moves on.

        Args:
            dispatch (callable): Runs a callable on this manager's thread
                (in the window, a queued call onto the UI thread).
            progress (callable, optional): Called through ``dispatch`` as
                ``progress(done, total, info)`` after each batch of plugins
                registered together (``info``: the batch's last).
            finished (callable, optional): Called through ``dispatch`` once
                every plugin has been dealt with.
        """
        known = set(self._plugins)
        self._background_runs += 1
        #: Every plugin found, in order; filled by the scan before any
        #: outcome is delivered. ``None``: not imported (disabled, refused).
        found: list[tuple[PluginInfo, PluginSource]] = []
        done = 0

        def register(batch: list[tuple[int, Imported | None]]) -> None:
            nonlocal done
            for index, outcome in batch:
                done += 1
                info, source = found[index]
                if info.key in self._plugins:
                    # A reload got there first.
                    if outcome is not None:
                        _drop_stale(info.module_name, source, outcome)
                    continue
                self._adopt(info, source)
                if outcome is not None:
                    self._finish(info, source, outcome)
                self._fingerprint_if_missing(info, source)
            if progress is not None:
                progress(done, len(found), found[batch[-1][0]][0])

        batches: Batches[tuple[int, Imported | None]] = Batches(dispatch, register)

        def end() -> None:
            batches.flush()
            self._run_ended(finished)

        def deliver(index: int, outcome: Imported | None) -> None:
            batches.put((index, outcome))

        def scan() -> None:
            try:
                sources = self._new_sources(known)
            except Exception:  # a broken installed distribution's metadata
                logger.exception("Could not look for plugins")
                sources = []
            safe_folders: set[Path] = set()
            to_import: list[int] = []
            for source in sources:
                info = self._detached_info(source)
                found.append((info, source))
                try:
                    may = self._may_import(info, source, safe_folders)
                except Exception as e:  # a check that broke: say so, go on
                    logger.exception("Could not check plugin %s", info.name)
                    info.status = STATUS_FAILED
                    info.error = scrub_secrets(_one_line(e))
                    may = False
                if may:
                    to_import.append(len(found) - 1)
            # One listing of sys.path for the whole run (see InstalledNames).
            installed = InstalledNames() if to_import else None
            for index in range(len(found)):
                if index not in to_import:
                    deliver(index, None)

            def before(job: int) -> None:
                if self.on_loading is not None:
                    self.on_loading(found[to_import[job]][0])

            def run_import(job: int, outcome: Imported) -> None:
                info, source = found[to_import[job]]
                self._import(info.module_name, source, outcome, installed)

            import_in_background(
                len(to_import),
                run_import,
                timeout=self.import_timeout,
                deliver=lambda job, outcome: deliver(to_import[job], outcome),
                end=lambda: dispatch(end),
                before=before,
            )

        threading.Thread(
            target=scan, name="desktop-app-plugin-scan", daemon=True
        ).start()

    def reload_in_background(
        self,
        dispatch: Callable[[Callable[[], None]], None],
        *,
        everything: bool = False,
        progress: Callable[[int, int, PluginInfo], None] | None = None,
        finished: Callable[[list[PluginInfo]], None] | None = None,
    ) -> None:
        """Reload plugins without running their code on this thread.

        With ``everything`` false this is :py:meth:`reload_changed` (the
        folder watcher): new drop-ins load, removed ones go, changed ones
        reload. With it true every enabled plugin reloads as well (Tools →
        Reload plugins). The folder is scanned and hashed on a helper
        thread, plugins are unloaded here, and their imports run on the
        loader thread within ``import_timeout``, as at start-up. A request
        made while plugins are loading waits for that run to end.

        Args:
            dispatch (callable): Runs a callable on this manager's thread.
            everything (bool): Reload every enabled plugin, changed or not.
            progress (callable, optional): As for
                :py:meth:`load_all_in_background`.
            finished (callable, optional): Called through ``dispatch`` with
                the plugins added, reloaded or removed.
        """
        request = (dispatch, everything, progress, finished)
        if self.loading:
            self._waiting_reloads.append(request)
            return
        self._background_runs += 1  # scanning counts as loading

        def scan() -> None:
            try:
                found: dict[str, PluginSource] = {}
                if not self.safe_mode:
                    found = {s.key: s for s in discover_folder(self.plugins_dir)}
                prints = {
                    key: fingerprint(source.path)
                    for key, source in found.items()
                    if source.path is not None
                }
            except Exception:
                # Never leave the reload hanging (Reload plugins greyed):
                # nothing is changed, and the log says why.
                logger.exception("Could not scan the plugins folder")
                dispatch(lambda: self._scan_failed(request))
                return
            dispatch(lambda: self._reload_found(request, found, prints))

        threading.Thread(
            target=scan, name="desktop-app-plugin-scan", daemon=True
        ).start()

    def _scan_failed(self, request: _ReloadRequest) -> None:
        """A reload whose folder scan failed ends with nothing changed."""
        finished = request[3]
        self._run_ended(None)
        if finished is not None:
            finished([])

    def _reload_found(
        self,
        request: _ReloadRequest,
        found: dict[str, PluginSource],
        prints: dict[str, str],
    ) -> None:
        """Apply a folder scan (on this thread): unload what changed or
        went, then import what is new or changed in the background."""
        dispatch, everything, progress, finished = request
        self._background_runs -= 1
        touched: list[PluginInfo] = []
        jobs: list[tuple[PluginInfo, PluginSource]] = []

        safe_folders: set[Path] = set()

        def queue(info: PluginInfo, source: PluginSource) -> bool:
            if self._begin(info, source, safe_folders):
                jobs.append((info, source))
                return True
            self._fingerprint_if_missing(info, source)
            return False

        for key, info in list(self._plugins.items()):
            if info.source == SOURCE_FOLDER and key not in found:
                self._unload(info)
                del self._plugins[key]
                self._sources.pop(key, None)
                self._fingerprints.pop(key, None)
                touched.append(info)
            elif (
                everything
                and info.source != SOURCE_FOLDER
                and info.status != STATUS_DISABLED
            ):
                self._unload(info)
                queue(info, self._sources[key])
                touched.append(info)
        for key, source in found.items():
            known = self._plugins.get(key)
            if known is None:
                added = self._new_info(source)
                queue(added, source)
                touched.append(added)
                continue
            info = known
            changed = prints.get(key) != self._fingerprints.get(key)
            if changed or (everything and info.status != STATUS_DISABLED):
                self._sources[key] = source
                self._fingerprints[key] = prints.get(key, "")
                self._unload(info)
                queue(info, source)
                touched.append(info)
            elif info.refused and queue(info, source):
                # Same code, maybe fixed modes or owners: it counts as a
                # change only if it may now load.
                touched.append(info)
            elif info.missing_requirements:
                # Same code, maybe its packages installed since (plugins
                # install-deps): it is tried again.
                self._unload(info)
                queue(info, source)
                touched.append(info)

        def done() -> None:
            if finished is not None:
                finished(touched)

        self._import_jobs(jobs, dispatch, progress, done)

    def _run_ended(self, finished: Callable[[], None] | None) -> None:
        """A background run is over (on this thread): say so, then start
        the reloads asked for meanwhile."""
        self._background_runs -= 1
        if finished is not None:
            finished()
        if self._waiting_reloads and not self.loading:
            self._run_waiting_reloads()

    def _run_waiting_reloads(self) -> None:
        """Start one reload covering every request made while loading."""
        waiting = self._waiting_reloads
        self._waiting_reloads = []

        def all_finished(changed: list[PluginInfo]) -> None:
            for request in waiting:
                if request[3] is not None:
                    request[3](changed)

        self.reload_in_background(
            waiting[-1][0],
            everything=any(request[1] for request in waiting),
            progress=waiting[-1][2],
            finished=all_finished,
        )

    def _import_jobs(
        self,
        jobs: list[tuple[PluginInfo, PluginSource]],
        dispatch: _Dispatch,
        progress: _Progress | None,
        finished: Callable[[], None] | None,
    ) -> None:
        """Import ``jobs`` on the loader thread; register them through
        ``dispatch`` in batches; call ``finished`` through it at the end."""
        total = len(jobs)
        generations = [self._generation[info.key] for info, _source in jobs]
        self._background_runs += 1

        done = 0

        def register(batch: list[tuple[int, Imported]]) -> None:
            nonlocal done
            for job, outcome in batch:
                done += 1
                info, source = jobs[job]
                if self._generation.get(info.key) == generations[job] and (
                    self._plugins.get(info.key) is info
                ):
                    self._finish(info, source, outcome)
                    self._fingerprint_if_missing(info, source)
                else:
                    _drop_stale(info.module_name, source, outcome)
            if progress is not None:
                progress(done, total, jobs[batch[-1][0]][0])

        batches: Batches[tuple[int, Imported]] = Batches(dispatch, register)

        def end() -> None:
            batches.flush()
            self._run_ended(finished)

        def deliver(job: int, outcome: Imported) -> None:
            batches.put((job, outcome))

        def before(job: int) -> None:
            if self.on_loading is not None:
                self.on_loading(jobs[job][0])

        listed: list[InstalledNames] = []

        def run_import(job: int, outcome: Imported) -> None:
            # One listing of sys.path for the run, made on the loader thread.
            if not listed:
                listed.append(InstalledNames())
            self._import(jobs[job][0].module_name, jobs[job][1], outcome, listed[0])

        import_in_background(
            total,
            run_import,
            timeout=self.import_timeout,
            deliver=deliver,
            end=lambda: dispatch(end),
            before=before,
        )

    def _new_sources(self, known: set[str] | None = None) -> list[PluginSource]:
        """Plugins found now whose key is not in ``known`` (by default the
        known plugins; pass a copy when calling from another thread)."""
        sources = (
            discover_entry_points(self.entry_point_cache)
            if self.use_entry_points
            else []
        )
        if self.safe_mode:
            sources = [s for s in sources if is_builtin(s)]
        else:
            sources += discover_folder(self.plugins_dir)
        known = set(self._plugins) if known is None else known
        return [s for s in sources if s.key not in known]

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
        drop removed ones, reload changed ones, and try again those that
        were refused or missed packages.

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
            elif info.missing_requirements:
                # Same code, maybe its packages installed since
                # (``plugins install-deps``): it counts if it now loads.
                missing = info.missing_requirements
                self._load(info, source)
                if info.missing_requirements != missing:
                    touched.append(info)
        return touched

    def set_enabled(
        self,
        name: str,
        enabled: bool,
        *,
        dispatch: _Dispatch | None = None,
        finished: Callable[[], None] | None = None,
    ) -> PluginInfo:
        """Enable or disable a plugin, store the choice, and apply it.

        Without ``dispatch`` a plugin being enabled is imported before this
        returns (within ``import_timeout``); with it, the import runs on the
        loader thread and registration comes back through ``dispatch``, as
        at start-up. ``finished`` is called (through ``dispatch`` when given)
        once the change is applied.
        """
        info = self.get(name)
        self.state.set_enabled(info.key, enabled)
        if enabled and info.status == STATUS_DISABLED:
            source = self._sources[info.key]
            if dispatch is None:
                self._load(info, source)
            elif self._begin(info, source):
                self._import_jobs([(info, source)], dispatch, None, finished)
                return info
        elif not enabled:
            self._unload(info)
            info.reset()
        if finished is not None:
            finished()
        return info

    def unload_all(self) -> None:
        """Unload every plugin, newest first (at shutdown). Imports still
        running in the background are dropped when they finish."""
        for info in reversed(self.plugins):
            self._unload(info)
        if self._deps_on_path:
            drop_deps_dir(self.deps_dir)
            self._deps_on_path = False

    # Internals ------------------------------------------------------------

    def _add(
        self, source: PluginSource, installed: InstalledNames | None = None
    ) -> PluginInfo:
        info = self._new_info(source)
        self._load(info, source, installed)
        self._fingerprint_if_missing(info, source)
        return info

    def _fingerprint_if_missing(self, info: PluginInfo, source: PluginSource) -> None:
        if source.path is not None and info.key not in self._fingerprints:
            # Not imported (disabled, refused, too slow) or a package.
            self._fingerprints[info.key] = fingerprint(source.path)

    def _new_info(self, source: PluginSource) -> PluginInfo:
        info = self._detached_info(source)
        self._adopt(info, source)
        return info

    def _detached_info(self, source: PluginSource) -> PluginInfo:
        """A new record for a plugin, not yet known to this manager (safe to
        make on any thread)."""
        module_name = source.module
        if module_name is None:
            assert source.path is not None
            own = source.path.name
            module_name = folder_module_name(own.removesuffix(".py"))
        return PluginInfo(
            source.name,
            source.source,  # type: ignore[arg-type]
            source.path,
            module_name,
            source.version,
            source.distribution,
        )

    def _adopt(self, info: PluginInfo, source: PluginSource) -> None:
        """Make a plugin's record known (on the manager's thread)."""
        self._plugins[info.key] = info
        self._sources[info.key] = source
        self._generation[info.key] = self._generation.get(info.key, 0) + 1
        # A one-file plugin's fingerprint comes from the bytes its import
        # ran (see _finish), saving a second read and hash of every file.
        self._fingerprints.pop(info.key, None)

    def _load(
        self,
        info: PluginInfo,
        source: PluginSource,
        installed: InstalledNames | None = None,
    ) -> None:
        """Load one plugin now: import it within the time limit (on a
        helper thread), then register it on this thread."""
        if self._begin(info, source):
            self._finish(info, source, self._import_bounded(info, source, installed))

    def _begin(
        self,
        info: PluginInfo,
        source: PluginSource,
        safe_folders: set[Path] | None = None,
    ) -> bool:
        """Reset a plugin before loading; whether its code may be imported.

        ``safe_folders`` is shared by the plugins of one scan, so the
        folders above them are checked once (see ``check_plugin_safe``).
        """
        info.reset()
        self._generation[info.key] = self._generation.get(info.key, 0) + 1
        return self._may_import(info, source, safe_folders)

    def _may_import(
        self,
        info: PluginInfo,
        source: PluginSource,
        safe_folders: set[Path] | None = None,
    ) -> bool:
        """Whether a plugin's code may run: it is enabled, and only the user
        can change it. A refusal is recorded on ``info``. Reads no state
        another thread changes, so the loader thread may ask."""
        if not self.state.is_enabled(info.key):
            return False
        if source.source == SOURCE_FOLDER and source.path is not None:
            try:
                check_plugin_safe(
                    info.name, source.path, self.plugins_dir, safe_folders=safe_folders
                )
            except PluginUnsafeError as e:
                # Not a failure of the plugin: its code never ran. The user
                # fixes the modes or owners, then Reload plugins tries again.
                info.status = STATUS_REFUSED
                info.error = e.reason
                logger.error("Plugin %s refused: %s", info.name, e.reason)
                return False
        return True

    def _import_bounded(
        self,
        info: PluginInfo,
        source: PluginSource,
        installed: InstalledNames | None = None,
    ) -> Imported:
        """Import a plugin's module on a thread of its own and wait at most
        ``import_timeout`` for it.

        Python cannot stop a thread: a plugin that is still importing at
        the deadline is left running on its daemon thread, its result is
        thrown away when it comes, and the plugin is reported as failed.
        Safe to call from any thread: it touches no state of the manager.
        """
        if self.on_loading is not None:
            self.on_loading(info)
        outcome = Imported()
        thread = threading.Thread(
            target=self._import,
            args=(info.module_name, source, outcome, installed),
            name=f"desktop-app-plugin-import:{info.name}",
            daemon=True,
        )
        thread.start()
        if not outcome.done.wait(self.import_timeout):
            with outcome.lock:
                if not outcome.done.is_set():
                    outcome.abandoned = True
                    outcome.stack = stack_of(thread)
        return outcome

    def _import(
        self,
        module_name: str,
        source: PluginSource,
        outcome: Imported,
        installed: InstalledNames | None = None,
    ) -> None:
        module: types.ModuleType | None = None
        try:
            if source.path is not None:
                # Read once: the requirements, the hash and the code are all
                # of these bytes.
                code = _source_of(source.path)
                self._check_requirements(source, code)
                module = import_folder_plugin(
                    source.path,
                    module_name,
                    self.bytecode_cache,
                    on_source=lambda digest: setattr(outcome, "digest", digest),
                    plugin_name=source.name,
                    installed=installed,
                    source=code,
                )
            else:
                module = import_distribution_module(module_name)
        except BaseException as e:  # noqa: B036 - never the user's Ctrl-C here
            # Only the main thread receives signals: whatever reaches this
            # thread (SystemExit, KeyboardInterrupt) is the plugin's doing.
            outcome.error = e
        with outcome.lock:
            if outcome.abandoned:
                # Too late: the plugin was reported and skipped. Take the
                # module out again, unless a reload has put another there.
                if module is not None and sys.modules.get(module_name) is module:
                    remove_modules(module_name, source.path)
                if module is not None or outcome.error is not None:
                    logger.warning(
                        "Plugin module %s finished loading after its time "
                        "limit; ignored",
                        module_name,
                    )
                return
            outcome.module = module
            outcome.done.set()

    def _check_requirements(
        self, source: PluginSource, code: bytes | None = None
    ) -> None:
        """Raise when a folder plugin's declared requirements are not met
        (on the import thread: it reads and may parse the plugin's file).

        Raises:
            PluginRequirementsError: What is missing; the plugin's code
                is not run.
            PluginLoadError: Its ``requirements`` cannot be read.
        """
        assert source.path is not None
        requirements = declared_requirements(source.name, source.path, code)
        if not requirements:
            return
        if use_deps_dir(self.deps_dir):
            self._deps_on_path = True
        unmet = unmet_requirements(requirements)
        if unmet:
            raise PluginRequirementsError(
                source.name, [str(u) for u in unmet], str(source.path)
            )

    def _finish(
        self, info: PluginInfo, source: PluginSource, outcome: Imported
    ) -> None:
        """Register an imported plugin (on the manager's thread)."""
        if outcome.abandoned:
            message = f"took longer than {self.import_timeout:g} s to load; skipped"
            info.status = STATUS_FAILED
            info.error = message
            info.traceback = outcome.stack
            logger.error("Plugin %s %s", info.name, message)
            return
        if outcome.digest is not None:
            self._fingerprints[info.key] = outcome.digest
        contributions = Contributions()
        self._contributions[info.key] = contributions
        try:
            if outcome.error is not None:
                raise outcome.error
            module = outcome.module
            assert module is not None
            if source.path is None:
                module_file = getattr(module, "__file__", None)
                if info.path is None and module_file:
                    info.path = Path(module_file)
            if info.version is None and info.distribution is None:
                version = getattr(module, "__version__", None)
                info.version = str(version) if version is not None else None
            register_contributions(module, self.manager, contributions)
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
        except PluginLoadError as e:
            # Ours, with a plain reason (a name clash, missing packages).
            self._fail(info, contributions, e.reason, e)
            if isinstance(e, PluginRequirementsError):
                info.missing_requirements = list(e.missing)
            return
        except BaseException as e:  # noqa: B036 - SystemExit from plugin code too
            if is_user_interrupt(e) and e is not outcome.error:
                self._undo(info, contributions)
                raise
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
            if self.manager.is_registered(integration_id):
                name = self.manager.get_integration(integration_id).display_name
                self._registered_before[integration_id] = (info.key, name)

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
        info.traceback = scrub_secrets(format_traceback(error))

    def _undo(self, info: PluginInfo, contributions: Contributions) -> None:
        try:
            unregister_contributions(self.manager, contributions, info.name)
        finally:
            for integration_id in contributions.integration_ids:
                if self._owners.get(integration_id) == info.key:
                    del self._owners[integration_id]
            self._contributions.pop(info.key, None)
            # A folder plugin drops its modules only while it holds the
            # name: one refused for a clash leaves the holder's alone.
            owner = self._sources[info.key].path if info.key in self._sources else None
            remove_modules(info.module_name, owner)

    def _unload(self, info: PluginInfo) -> None:
        # A background import of this plugin that is still to come is stale.
        self._generation[info.key] = self._generation.get(info.key, 0) + 1
        contributions = self._contributions.get(info.key)
        if contributions is not None:
            self._undo(info, contributions)
        info.integration_ids = []
        info.extension_ids = []
        info.signal_names = []


def _drop_stale(module_name: str, source: PluginSource, outcome: Imported) -> None:
    """Take out a module whose load was superseded (disabled, reloaded or
    unloaded meanwhile), unless a newer load has put another in its place:
    it would hold the plugin's name and keep its memory."""
    if outcome.module is not None and sys.modules.get(module_name) is outcome.module:
        remove_modules(module_name, source.path)


def _source_of(path: Path) -> bytes | None:
    """The bytes of the file a folder plugin runs (a package's
    ``__init__.py``), or None when it cannot be read (the import then says
    why)."""
    try:
        file = path / "__init__.py" if path.is_dir() else path
        return file.read_bytes()
    except OSError:
        return None


def import_timeout_from_env() -> float:
    """``$DESKTOP_APP_PLUGIN_TIMEOUT`` as seconds, when it is a positive
    number; :py:data:`DEFAULT_IMPORT_TIMEOUT` otherwise."""
    raw = os.environ.get("DESKTOP_APP_PLUGIN_TIMEOUT", "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_IMPORT_TIMEOUT
    return value if 0 < value < float("inf") else DEFAULT_IMPORT_TIMEOUT


def _one_line(error: BaseException) -> str:
    if isinstance(error, SyntaxError):
        where = f" (line {error.lineno})" if error.lineno else ""
        return f"SyntaxError: {error.msg}{where}"
    lines = describe_error(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
