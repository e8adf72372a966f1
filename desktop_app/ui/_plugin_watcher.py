"""Live reload: watch the plugins folder and reload what changed.

File systems report one save as several events (write, rename, chmod), so
events restart a short timer and the reload runs once things are quiet.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from desktop_app.plugins import PluginInfo, PluginManager

__all__ = ["PluginWatcher"]

logger = logging.getLogger(__name__)


class PluginWatcher(QObject):
    """Calls :py:meth:`PluginManager.reload_changed` after folder changes.

    Args:
        plugins (PluginManager): The plugins to keep current.
        debounce_ms (int): Quiet time before reloading.
        parent (QObject, optional): Owner.

    Signals:
        reloaded(list): The plugins that were added, reloaded or removed.
    """

    reloaded = Signal(list)

    def __init__(
        self,
        plugins: PluginManager,
        debounce_ms: int = 300,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._plugins = plugins
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
        changed: list[PluginInfo] = self._plugins.reload_changed()
        self._rewatch()
        if changed:
            logger.info("Reloaded plugins: %s", ", ".join(p.name for p in changed))
            self.reloaded.emit(changed)
