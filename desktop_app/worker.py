"""The background worker: slow integration work off the caller's thread.

Network calls and file writes done for a signal must never block the thread
that sent it (often the UI thread). Integrations hand such work to
:py:meth:`Integration.run_in_background`, which lands here. Each piece of work
is recorded as activity for its configuration when it finishes.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from desktop_app.activity import OUTCOME_FAILED, OUTCOME_OK, get_activity_log

if TYPE_CHECKING:
    from desktop_app.config import IntegrationConfig
    from desktop_app.integration import Integration

__all__ = ["BackgroundWorker"]

logger = logging.getLogger(__name__)


class BackgroundWorker:
    """A small thread pool that records what it ran.

    Args:
        max_workers (int): Threads to run work on.
    """

    def __init__(self, max_workers: int = 4) -> None:
        self._max_workers = max_workers
        self._executor: ThreadPoolExecutor | None = None
        self._pending: set[Future] = set()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)

    def submit(
        self,
        integration: Integration,
        config: IntegrationConfig | None,
        func: Callable[..., Any],
        *args: Any,
        signal: str = "",
        **kwargs: Any,
    ) -> Future:
        """Run ``func(*args, **kwargs)`` in the background and record it."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self._max_workers, thread_name_prefix="desktop-app-worker"
                )
            future = self._executor.submit(
                self._run, integration, config, func, args, kwargs, signal
            )
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _run(
        self,
        integration: Integration,
        config: IntegrationConfig | None,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        signal: str,
    ) -> Any:
        started = time.time()
        t0 = time.perf_counter()
        config_id = config.id if config is not None else None
        config_name = config.name if config is not None else None
        try:
            result = func(*args, **kwargs)
        except Exception as e:
            logger.exception(
                "Background work of %s for config %s failed",
                integration.integration_id,
                config_id,
            )
            get_activity_log().record(
                signal,
                integration.integration_id,
                started,
                time.perf_counter() - t0,
                OUTCOME_FAILED,
                f"{type(e).__name__}: {e}",
                "".join(traceback.format_exception(e)),
                config_id,
                config_name,
            )
            raise
        get_activity_log().record(
            signal,
            integration.integration_id,
            started,
            time.perf_counter() - t0,
            OUTCOME_OK,
            config_id=config_id,
            config_name=config_name,
        )
        return result

    def _done(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)
            if not self._pending:
                self._idle.notify_all()

    @property
    def busy(self) -> bool:
        """Whether any work is queued or running."""
        with self._lock:
            return bool(self._pending)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no work is queued or running.

        Returns:
            bool: True if idle, False if the timeout ran out first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._pending:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting work; optionally wait for what is running."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=not wait)
