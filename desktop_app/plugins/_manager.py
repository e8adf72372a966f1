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
import time
import traceback
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

__all__ = ["DEFAULT_IMPORT_TIMEOUT", "PluginManager", "import_timeout_from_env"]

logger = logging.getLogger(__name__)

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
        self.use_entry_points = entry_points
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
        for source in self._new_sources():
            self._add(source)
        return self.plugins

    def load_all_in_background(
        self,
        dispatch: Callable[[Callable[[], None]], None],
        *,
        progress: Callable[[int, int, PluginInfo], None] | None = None,
        finished: Callable[[], None] | None = None,
    ) -> int:
        """Discover plugins here, import them on a loader thread, and
        register each one through ``dispatch``.

        Plugin code at import time is what can hang, and it runs off this
        thread; registration (``initialize()``, hooks) touches the manager
        and, in the window, Qt objects, so it comes back to this thread.
        Each import gets ``import_timeout`` seconds; one that runs longer is
        reported as failed and the loader moves on.

        Args:
            dispatch (callable): Runs a callable on this manager's thread
                (in the window, a queued call onto the UI thread).
            progress (callable, optional): Called through ``dispatch`` as
                ``progress(done, total, info)`` after each batch of plugins
                registered together (``info``: the batch's last).
            finished (callable, optional): Called through ``dispatch`` once
                every plugin has been dealt with.

        Returns:
            int: How many plugins will be imported (``total`` above).
        """
        jobs: list[tuple[PluginInfo, PluginSource, int]] = []
        for source in self._new_sources():
            info = self._new_info(source)
            if self._begin(info, source):
                jobs.append((info, source, self._generation[info.key]))
            else:
                self._fingerprint_if_missing(info, source)
        total = len(jobs)
        self._background_runs += 1

        # Imports finished on the loader thread wait here until this thread
        # takes them, all that are ready at once: one queued call per batch,
        # not per plugin, so 200 plugins cost a few event-loop turns (and
        # status-bar updates), not 200.
        ready: list[tuple[PluginInfo, PluginSource, int, _Imported]] = []
        ready_lock = threading.Lock()
        done = 0

        def register_ready() -> None:
            nonlocal done
            with ready_lock:
                batch = ready[:]
                ready.clear()
            for info, source, generation, outcome in batch:
                done += 1
                if self._generation.get(info.key) == generation and (
                    self._plugins.get(info.key) is info
                ):
                    self._finish(info, source, outcome)
                    self._fingerprint_if_missing(info, source)
            if batch and progress is not None:
                progress(done, total, batch[-1][0])

        def end() -> None:
            register_ready()
            self._background_runs -= 1
            if finished is not None:
                finished()

        def deliver(job: int, outcome: _Imported) -> None:
            info, source, generation = jobs[job]
            with ready_lock:
                first = not ready
                ready.append((info, source, generation, outcome))
            if first:
                dispatch(register_ready)

        # One loader thread imports the plugins one after the other; a
        # watchdog gives each import its time. Only a plugin that overruns
        # costs a thread: it is abandoned there (Python cannot stop a
        # thread) and a new loader goes on with the next plugin.
        cond = threading.Condition()
        watch = _Watch()

        def loader(start: int) -> None:
            me = threading.current_thread()
            for job in range(start, len(jobs)):
                info, source, _generation = jobs[job]
                outcome = _Imported()
                with cond:
                    if watch.loader is not me:
                        return
                    watch.begin(job, outcome, self.import_timeout)
                    cond.notify()
                if self.on_loading is not None:
                    self.on_loading(info)
                self._import(info.module_name, source, outcome)
                with cond:
                    if watch.loader is not me:
                        return  # the watchdog reported it as too slow
                    watch.outcome = None
                deliver(job, outcome)
            with cond:
                if watch.loader is me:
                    watch.over = True
                    cond.notify()
            dispatch(end)

        def start_loader(start: int) -> None:
            thread = threading.Thread(
                target=loader,
                args=(start,),
                name="desktop-app-plugin-loader",
                daemon=True,
            )
            watch.loader = thread
            thread.start()

        def watchdog() -> None:
            with cond:
                while not watch.over:
                    outcome = watch.outcome
                    if outcome is None:
                        cond.wait()
                        continue
                    remaining = watch.deadline - time.monotonic()
                    if remaining > 0:
                        cond.wait(remaining)
                        continue
                    with outcome.lock:
                        if outcome.done.is_set():
                            # Finished just in time; the loader delivers it.
                            cond.wait(0.01)
                            continue
                        outcome.abandoned = True
                        assert watch.loader is not None
                        outcome.stack = _stack_of(watch.loader)
                    deliver(watch.job, outcome)
                    watch.outcome = None
                    start_loader(watch.job + 1)

        with cond:
            start_loader(0)
        threading.Thread(
            target=watchdog, name="desktop-app-plugin-watchdog", daemon=True
        ).start()
        return total

    def _new_sources(self) -> list[PluginSource]:
        sources = discover_entry_points() if self.use_entry_points else []
        if self.safe_mode:
            sources = [s for s in sources if is_builtin(s)]
        else:
            sources += discover_folder(self.plugins_dir)
        return [s for s in sources if s.key not in self._plugins]

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
        """Unload every plugin, newest first (at shutdown). Imports still
        running in the background are dropped when they finish."""
        for info in reversed(self.plugins):
            self._unload(info)

    # Internals ------------------------------------------------------------

    def _add(self, source: PluginSource) -> PluginInfo:
        info = self._new_info(source)
        self._load(info, source)
        self._fingerprint_if_missing(info, source)
        return info

    def _fingerprint_if_missing(self, info: PluginInfo, source: PluginSource) -> None:
        if source.path is not None and info.key not in self._fingerprints:
            # Not imported (disabled, refused, too slow) or a package.
            self._fingerprints[info.key] = fingerprint(source.path)

    def _new_info(self, source: PluginSource) -> PluginInfo:
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
        # ran (see _finish), saving a second read and hash of every file.
        self._fingerprints.pop(info.key, None)
        return info

    def _load(self, info: PluginInfo, source: PluginSource) -> None:
        """Load one plugin now: import it within the time limit (on a
        helper thread), then register it on this thread."""
        if self._begin(info, source):
            self._finish(info, source, self._import_bounded(info, source))

    def _begin(self, info: PluginInfo, source: PluginSource) -> bool:
        """Reset a plugin before loading; whether its code may be imported."""
        info.reset()
        self._generation[info.key] = self._generation.get(info.key, 0) + 1
        if not self.state.is_enabled(info.key):
            return False
        if source.source == SOURCE_FOLDER and source.path is not None:
            try:
                check_plugin_safe(info.name, source.path, self.plugins_dir)
            except PluginUnsafeError as e:
                # Not a failure of the plugin: its code never ran. The user
                # fixes the modes or owners, then Reload plugins tries again.
                info.status = STATUS_REFUSED
                info.error = e.reason
                logger.error("Plugin %s refused: %s", info.name, e.reason)
                return False
        return True

    def _import_bounded(self, info: PluginInfo, source: PluginSource) -> _Imported:
        """Import a plugin's module on a thread of its own and wait at most
        ``import_timeout`` for it.

        Python cannot stop a thread: a plugin that is still importing at
        the deadline is left running on its daemon thread, its result is
        thrown away when it comes, and the plugin is reported as failed.
        Safe to call from any thread: it touches no state of the manager.
        """
        if self.on_loading is not None:
            self.on_loading(info)
        outcome = _Imported()
        thread = threading.Thread(
            target=self._import,
            args=(info.module_name, source, outcome),
            name=f"desktop-app-plugin-import:{info.name}",
            daemon=True,
        )
        thread.start()
        if not outcome.done.wait(self.import_timeout):
            with outcome.lock:
                if not outcome.done.is_set():
                    outcome.abandoned = True
                    outcome.stack = _stack_of(thread)
        return outcome

    def _import(
        self, module_name: str, source: PluginSource, outcome: _Imported
    ) -> None:
        module: types.ModuleType | None = None
        try:
            if source.path is not None:
                module = import_folder_plugin(
                    source.path,
                    module_name,
                    self.bytecode_cache,
                    on_source=lambda digest: setattr(outcome, "digest", digest),
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
                    remove_modules(module_name)
                if module is not None or outcome.error is not None:
                    logger.warning(
                        "Plugin module %s finished loading after its time "
                        "limit; ignored",
                        module_name,
                    )
                return
            outcome.module = module
            outcome.done.set()

    def _finish(
        self, info: PluginInfo, source: PluginSource, outcome: _Imported
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
            if info.version is None:
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
            remove_modules(info.module_name)

    def _unload(self, info: PluginInfo) -> None:
        # A background import of this plugin that is still to come is stale.
        self._generation[info.key] = self._generation.get(info.key, 0) + 1
        contributions = self._contributions.get(info.key)
        if contributions is not None:
            self._undo(info, contributions)
        info.integration_ids = []
        info.extension_ids = []
        info.signal_names = []


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


class _Watch:
    """What the background loader's watchdog watches (guarded by its
    condition): the loader thread now importing, the import it is in and
    when that import's time is up."""

    def __init__(self) -> None:
        self.loader: threading.Thread | None = None
        self.outcome: _Imported | None = None
        self.job = 0
        self.deadline = 0.0
        self.over = False

    def begin(self, job: int, outcome: _Imported, timeout: float) -> None:
        self.job = job
        self.outcome = outcome
        self.deadline = time.monotonic() + timeout


class _Imported:
    """The outcome of one plugin's import, handed from its import thread
    to the thread that registers it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.module: types.ModuleType | None = None
        self.error: BaseException | None = None
        self.digest: str | None = None
        #: Set at the deadline; the import's late result is then ignored.
        self.abandoned = False
        self.stack = ""


def _stack_of(thread: threading.Thread) -> str:
    """Where a stuck import thread is, for the plugin's traceback."""
    frame = sys._current_frames().get(thread.ident or -1)
    if frame is None:
        return ""
    return "Stuck at:\n" + "".join(traceback.format_stack(frame))
