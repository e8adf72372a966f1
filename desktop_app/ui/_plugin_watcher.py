"""Live reload: watch the plugins folder and reload what changed.

File systems report one save as several events (write, rename, chmod), so
events restart a short timer and the reload runs once things are quiet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from desktop_app.plugins import PluginManager

__all__ = ["PluginWatcher"]


class PluginWatcher(QObject):
    """Calls ``reload`` once the plugins folder has been quiet a moment
    after a change.

    Args:
        plugins (PluginManager): The plugins to keep current.
        reload (callable): Starts the reload of what changed (in the window,
            :py:func:`~desktop_app.ui._plugins_setup.reload_plugins`, which
            imports off the UI thread).
        debounce_ms (int): Quiet time before reloading.
        parent (QObject, optional): Owner.
    """

    def __init__(
        self,
        plugins: PluginManager,
        reload: Callable[[], None],
        debounce_ms: int = 300,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._plugins = plugins
        self._reload = reload
        self._watcher = QFileSystemWatcher(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._on_timeout)
        self._watcher.directoryChanged.connect(self._on_changed)
        self._watcher.fileChanged.connect(self._on_changed)
        plugins.plugins_dir.mkdir(parents=True, exist_ok=True)
        self._rewatch()

    def _rewatch(self) -> None:
        # Watch the folder (files added/removed), every plugin file and
        # package folder (edits), and files inside packages.
        wanted = {str(self._plugins.plugins_dir)}
        for path in self._plugins.plugins_dir.iterdir():
            if path.name.startswith((".", "_")):
                continue
            wanted.add(str(path))
            if path.is_dir():
                wanted.update(str(p) for p in path.rglob("*.py"))
        current = set(self._watcher.files()) | set(self._watcher.directories())
        stale = sorted(current - wanted)
        if stale:
            self._watcher.removePaths(stale)
        new = sorted(p for p in wanted - current if Path(p).exists())
        if new:
            self._watcher.addPaths(new)

    def _on_changed(self, path: str) -> None:
        self._timer.start()

    def _on_timeout(self) -> None:
        self._rewatch()
        self._reload()
