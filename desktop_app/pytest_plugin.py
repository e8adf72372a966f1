"""pytest fixtures for testing integrations, shipped with desktop-app.

Registered through the ``pytest11`` entry point as ``desktop_app``, so any
project with desktop-app installed gets them with no conftest code. Qt is
only imported by the fixtures that open widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from desktop_app.config import IntegrationConfig
from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.testing import (
    ActivityRecorder,
    wait_for_background_work,
)
from desktop_app.testing import create_config as _create_config


@pytest.fixture
def integration_manager(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[IntegrationManager]:
    """A fresh IntegrationManager on a real SQLite file in a temp folder.

    It is installed as the process-wide manager (what
    ``get_integration_manager()`` returns and what ``IntegrationHook``
    registers with) and shut down after the test: hooks disconnected,
    background work finished, database closed.
    """
    data_dir = tmp_path_factory.mktemp("desktop-app-data")
    manager = IntegrationManager(data_dir / "configs.sqlite3", watch_interval=None)
    set_integration_manager(manager)
    try:
        yield manager
    finally:
        manager.shutdown()
        set_integration_manager(None)


@pytest.fixture
def create_config(
    integration_manager: IntegrationManager,
) -> Callable[..., IntegrationConfig]:
    """Make saved configurations: ``create_config(MyIntegration, name=...,
    enabled=True, **settings)``.

    Registers the integration class first if needed. An enabled config
    enables the integration, so its hooks are live when this returns.
    """

    def factory(
        integration_or_cls: Any,
        *,
        name: str = "Test configuration",
        enabled: bool = True,
        **settings: Any,
    ) -> IntegrationConfig:
        return _create_config(
            integration_manager,
            integration_or_cls,
            name=name,
            enabled=enabled,
            **settings,
        )

    return factory


@pytest.fixture
def activity() -> ActivityRecorder:
    """The activity records produced during the test.

    ``activity.records``, ``activity.failures``,
    ``activity.assert_delivered(signal, integration, config)``,
    ``activity.assert_no_failures()`` and ``activity.wait_for(...)`` for
    background work.
    """
    return ActivityRecorder()


@pytest.fixture
def wait_for_deliveries(
    integration_manager: IntegrationManager,
) -> Callable[[float], None]:
    """Wait for background work started by deliveries to finish:
    ``wait_for_deliveries()`` or ``wait_for_deliveries(timeout=5)``.

    Raises TimeoutError if it is still running after the timeout.
    """

    def wait(timeout: float = 10.0) -> None:
        wait_for_background_work(integration_manager, timeout)

    return wait
