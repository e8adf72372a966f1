"""Helpers for testing integrations, used by the shipped pytest fixtures.

Qt-free: the dialog helpers live in :py:mod:`desktop_app.ui.testing`. Plugin
authors normally use the fixtures (see ``pytest --fixtures``), but these
helpers work in any test runner.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from desktop_app.activity import ActivityLog, ActivityRecord, get_activity_log
from desktop_app.config import IntegrationConfig
from desktop_app.integration import Integration
from desktop_app.manager import IntegrationManager

__all__ = ["ActivityRecorder", "create_config", "wait_for_background_work"]


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
        """Every record made since the recorder started, oldest first."""
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
