"""Helpers for testing integrations, used by the shipped pytest fixtures.

Qt-free: the dialog helpers live in :py:mod:`desktop_app.ui.testing`. Plugin
authors normally use the fixtures (see ``pytest --fixtures``), but these
helpers work in any test runner.
"""

from __future__ import annotations

import contextlib
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop_app.activity import ActivityLog, ActivityRecord, get_activity_log
from desktop_app.config import IntegrationConfig
from desktop_app.integration import Integration
from desktop_app.manager import IntegrationManager
from desktop_app.plugins import PluginInfo, PluginManager

__all__ = [
    "ActivityRecorder",
    "PluginsFolder",
    "create_config",
    "wait_for_background_work",
]


def create_config(
    manager: IntegrationManager,
    integration_or_cls: Integration | type[Integration] | str,
    *,
    name: str = "Test configuration",
    enabled: bool = True,
    **settings: Any,
) -> IntegrationConfig:
    """Register the integration class if needed and return a saved config.

    Args:
        manager (IntegrationManager): Where to register and save.
        integration_or_cls: An integration class, instance or id.
        name (str): The configuration's name.
        enabled (bool): Whether it is enabled (enabling the integration).
        **settings: The configuration's settings.
    """
    if isinstance(integration_or_cls, type) and not manager.is_registered(
        integration_or_cls
    ):
        manager.register_integration_class(integration_or_cls)
    integration = manager.get_integration(integration_or_cls)
    return integration.create_config(
        name=name, enabled=enabled, settings=settings, save=True
    )


def wait_for_background_work(
    manager: IntegrationManager, timeout: float = 10.0
) -> None:
    """Wait until work that deliveries started in the background is done.

    Raises:
        TimeoutError: It was still running after ``timeout`` seconds.
    """
    if not manager.wait_for_background_work(timeout):
        raise TimeoutError(
            f"Background work was still running after {timeout:g} seconds"
        )


class ActivityRecorder:
    """The activity records produced since it was created, with asserts.

    Args:
        log (ActivityLog): The log to watch (default: the process-wide one).
    """

    def __init__(self, log: ActivityLog | None = None) -> None:
        self.log = log or get_activity_log()
        existing = self.log.records()
        self._since = existing[-1].seq if existing else 0

    @property
    def records(self) -> list[ActivityRecord]:
        """Every record made since the recorder started, oldest first.

        Deliveries of a handler run are recorded off the event path: those
        already handed over are waited for (briefly) first.
        """
        from desktop_app.manager import get_integration_manager

        # No manager installed: nothing is pending.
        with contextlib.suppress(RuntimeError):
            get_integration_manager().deliveries.flush(5.0)
        return self.log.records(since=self._since)

    @property
    def failures(self) -> list[ActivityRecord]:
        """The records whose outcome is not ``'ok'``."""
        return [r for r in self.records if r.failed]

    def __iter__(self) -> Iterator[ActivityRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def clear(self) -> None:
        """Forget what was recorded so far."""
        records = self.log.records()
        self._since = records[-1].seq if records else self._since

    def find(
        self,
        signal: Any = None,
        integration: Any = None,
        config: Any = None,
        outcome: str | None = None,
    ) -> list[ActivityRecord]:
        """Return the records matching every criterion given.

        Args:
            signal: A signal or its name.
            integration: An integration class, instance or id.
            config: A configuration, or its id.
            outcome (str): ``'ok'``, ``'failed'`` or ``'timeout'``.
        """
        signal_name = getattr(signal, "name", signal)
        integration_id = getattr(integration, "integration_id", integration)
        config_id = getattr(config, "id", config)
        return [
            r
            for r in self.records
            if (signal_name is None or r.signal == signal_name)
            and (integration_id is None or r.integration_id == integration_id)
            and (config_id is None or r.config_id == config_id)
            and (outcome is None or r.outcome == outcome)
        ]

    def assert_delivered(
        self,
        signal: Any = None,
        integration: Any = None,
        config: Any = None,
        *,
        outcome: str | None = "ok",
    ) -> ActivityRecord:
        """Assert that a delivery matching the criteria was recorded.

        Returns:
            ActivityRecord: The first matching record.

        Raises:
            AssertionError: None matched; the message lists what was seen.
        """
        found = self.find(signal, integration, config, outcome)
        if not found:
            raise AssertionError(
                "No delivery matched "
                f"signal={getattr(signal, 'name', signal)!r}, "
                f"integration={getattr(integration, 'integration_id', integration)!r}, "
                f"config={getattr(config, 'id', config)!r}, outcome={outcome!r}. "
                f"Recorded:\n{self.describe()}"
            )
        return found[0]

    def assert_no_failures(self) -> None:
        """Assert that nothing failed or timed out.

        Raises:
            AssertionError: Lists each failure with its error and traceback.
        """
        failures = self.failures
        if failures:
            details = "\n".join(
                f"- {r.signal} → {r.integration_id} (config {r.config_id}): "
                f"{r.outcome}: {r.error}\n{r.traceback}"
                for r in failures
            )
            raise AssertionError(f"{len(failures)} delivery(ies) failed:\n{details}")

    def wait_for(
        self,
        signal: Any = None,
        integration: Any = None,
        config: Any = None,
        *,
        outcome: str | None = None,
        timeout: float = 5.0,
    ) -> ActivityRecord:
        """Wait until a matching record appears (for background work).

        Raises:
            AssertionError: None appeared within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            found = self.find(signal, integration, config, outcome)
            if found:
                return found[0]
            if time.monotonic() >= deadline:
                return self.assert_delivered(
                    signal, integration, config, outcome=outcome
                )
            time.sleep(0.01)

    def describe(self) -> str:
        """One line per record, for assertion messages."""
        if not self.records:
            return "  (nothing)"
        return "\n".join(
            f"  {r.signal} → {r.integration_id} config={r.config_id} {r.outcome}"
            + (f": {r.error}" if r.error else "")
            for r in self.records
        )


class PluginsFolder:
    """A plugins folder wired to a :py:class:`PluginManager`, for tests.

    It loads drop-in modules exactly as the app does (same discovery,
    import, registration and failure handling), but only from this folder:
    installed distributions' entry points are left out unless asked for, so
    a test sees its own plugins and nothing else.

    Args:
        manager (IntegrationManager): Where the plugins register.
        path (Path): The folder (created if missing).
        entry_points (bool): Also load installed distributions' plugins.

    Attributes:
        path (Path): The folder.
        plugin_manager (PluginManager): The loader, for anything not
            wrapped here (``set_enabled()``, ``owner_of()`` …).
    """

    def __init__(
        self,
        manager: IntegrationManager,
        path: Path,
        *,
        entry_points: bool = False,
    ) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.plugin_manager = PluginManager(
            manager,
            self.path,
            state_path=self.path.parent / f"{self.path.name}.json",
            entry_points=entry_points,
        )

    def write(self, name: str, source: str) -> Path:
        """Write ``<name>.py`` into the folder (the source is dedented).

        A name with slashes makes a package: ``write("pkg/__init__", ...)``.

        Returns:
            Path: The file written.
        """
        file = self.path / f"{name}.py"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
        return file

    def load(self) -> list[PluginInfo]:
        """Load every plugin not loaded yet; return all known plugins."""
        return self.plugin_manager.load_all()

    def reload(self, name: str | None = None) -> list[PluginInfo]:
        """Reload one plugin, or (no name) do what the folder watcher does:
        load new files, reload changed ones, drop removed ones.

        Returns:
            list[PluginInfo]: The plugins reloaded, added or removed.
        """
        if name is not None:
            return [self.plugin_manager.reload(name)]
        return self.plugin_manager.reload_changed()

    def plugin(self, name: str) -> PluginInfo:
        """Return a plugin's record by name (``status``, ``error`` …).

        Raises:
            desktop_app.errors.PluginNotFoundError: No such plugin.
        """
        return self.plugin_manager.get(name)

    @property
    def plugins(self) -> list[PluginInfo]:
        """Every known plugin, whatever its status."""
        return self.plugin_manager.plugins

    @property
    def errors(self) -> dict[str, str]:
        """Plugin name → the one-line error of each plugin that failed."""
        return {p.name: p.error for p in self.plugin_manager.plugins if p.failed}

    def unload_all(self) -> None:
        """Unload every plugin (the fixture does it after the test)."""
        self.plugin_manager.unload_all()
