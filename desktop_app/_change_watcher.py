"""Noticing configuration changes committed by other processes."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager

__all__ = ["ChangeWatcher"]

logger = logging.getLogger(__name__)


class ChangeWatcher(threading.Thread):
    """Polls the store for commits by other processes (another window, the
    command line) and has the manager apply them.

    Cached snapshots are dropped on the watcher's thread at once, so the
    next event already sees the change; re-evaluating enabled states runs
    through the manager's dispatcher (the UI thread in the window).

    Args:
        manager (IntegrationManager): The manager to keep current.
        interval (float): Seconds between checks.
    """

    def __init__(self, manager: IntegrationManager, interval: float) -> None:
        super().__init__(name="desktop-app-change-watcher", daemon=True)
        self._manager = manager
        self._interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        manager = self._manager
        store = manager.store
        # Unknown at first: the first change seen may be one made before
        # the watcher started, so it always reloads.
        counter: int | None = None
        while not self._stop_event.wait(self._interval):
            try:
                if store.has_external_changes():
                    # A delivery another process stored moves data_version
                    # too; only a change of configs needs a reload.
                    new_counter = self._configs_counter()
                    if new_counter is None or new_counter != counter:
                        counter = new_counter
                        manager.clear_all_configs_cache()
                        manager.dispatch(manager.reload_configs)
                    manager.deliveries.poll_external()
            except Exception:
                if self._stop_event.is_set():
                    return
                logger.exception("Checking the store for changes failed")

    def _configs_counter(self) -> int | None:
        try:
            return self._manager.store.configs_change_counter()
        except Exception:  # an old schema, a closed store: always reload
            return None

    def stop(self) -> None:
        """Stop polling and wait (briefly) for the thread to end."""
        self._stop_event.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout=5)
