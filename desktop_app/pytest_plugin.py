"""pytest fixtures for testing integrations, shipped with desktop-app.

Registered through the ``pytest11`` entry point as ``desktop_app``, so any
project with desktop-app installed gets them with no conftest code. Qt is
only imported by the fixtures that open widgets, and pytest-qt's ``qtbot``
is only requested by them, so projects without Qt tests need neither.

Fixtures: ``integration_manager``, ``create_config``, ``activity``,
``wait_for_deliveries``, ``config_dialog``, ``main_window`` and
``plugins_dir``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from desktop_app.config import IntegrationConfig
from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.testing import (
    ActivityRecorder,
    PluginsFolder,
    wait_for_background_work,
)
from desktop_app.testing import create_config as _create_config

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.testing import ConfigDialogDriver

__all__ = [
    "activity",
    "config_dialog",
    "create_config",
    "integration_manager",
    "main_window",
    "plugins_dir",
    "wait_for_deliveries",
]


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


@pytest.fixture
def config_dialog(
    request: pytest.FixtureRequest,
    integration_manager: IntegrationManager,
) -> Iterator[Callable[..., ConfigDialogDriver]]:
    """Open the real generated ConfigDialog under pytest-qt's ``qtbot`` and
    drive it like a user: ``dialog = config_dialog(MyIntegration)`` (add) or
    ``config_dialog(MyIntegration, config)`` (edit), then
    ``dialog.fill({...})``, ``dialog.press_ok()``, ``dialog.errors``.

    Returns a driver (``desktop_app.ui.testing.ConfigDialogDriver``):
    ``dialog.fill({"endpoint_url": "...", "enabled": False})`` types, clicks
    and chooses in each field's editor as a user would;
    ``dialog.press_ok()`` returns the saved configuration, or None when the
    dialog stayed open showing errors; ``dialog.errors`` (field name ->
    messages shown), ``dialog.form_errors()``, ``dialog.press_cancel()``,
    ``dialog.editor(name)``, ``dialog.widget(name)``, ``dialog.dialog``.

    The integration class is registered first if needed. Needs pytest-qt
    (requested only when this fixture is used). When neither ``DISPLAY``
    nor ``WAYLAND_DISPLAY`` is set, ``QT_QPA_PLATFORM`` defaults to
    ``offscreen`` so the dialog opens on headless CI machines too.
    """
    qtbot = _qtbot(request, "config_dialog")

    from desktop_app.ui.config_dialog import ConfigDialog
    from desktop_app.ui.testing import ConfigDialogDriver

    drivers: list[ConfigDialogDriver] = []

    def open_dialog(integration_or_cls: Any, config: Any = None) -> ConfigDialogDriver:
        if isinstance(
            integration_or_cls, type
        ) and not integration_manager.is_registered(integration_or_cls):
            integration_manager.register_integration_class(integration_or_cls)
        integration = integration_manager.get_integration(integration_or_cls)
        if config is not None:
            # The dialog edits a fresh copy, as the window hands it one.
            config_id = config if isinstance(config, int) else config.id
            config = integration_manager.get_config(config_id)
        dialog = ConfigDialog(integration, config)
        dialog.show()
        qtbot.waitExposed(dialog)
        driver = ConfigDialogDriver(qtbot, dialog)
        drivers.append(driver)
        return driver

    yield open_dialog

    for driver in drivers:
        driver.close()
        driver.dialog.deleteLater()


@pytest.fixture
def main_window(
    request: pytest.FixtureRequest,
    integration_manager: IntegrationManager,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[MainWindow]:
    """The app's main window on ``integration_manager``, shown and ready:
    its panes are built and plugin loading is over, so a test can click at
    once (``main_window.config_panel.add_button``).

    It lists the integrations registered when it is asked for: register
    them first (``create_config``, ``plugins_dir.load()``), or call
    ``main_window.reload_integrations()`` after registering more. Window
    settings go to a temp file, never the user's. Closed after the test.
    Needs pytest-qt (requested only when this fixture is used).
    """
    qtbot = _qtbot(request, "main_window")
    from desktop_app.ui.testing import open_main_window

    settings = tmp_path_factory.mktemp("desktop-app-window") / "settings.ini"
    window = open_main_window(qtbot, integration_manager, settings_path=settings)
    yield window
    window.close()


def _qtbot(request: pytest.FixtureRequest, fixture: str) -> Any:
    """pytest-qt's ``qtbot``, on the offscreen platform when there is no
    display (headless CI)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        return request.getfixturevalue("qtbot")
    except pytest.FixtureLookupError:
        pytest.fail(
            f"{fixture} needs pytest-qt's qtbot: pip install pytest-qt",
            pytrace=False,
        )


@pytest.fixture
def plugins_dir(
    tmp_path_factory: pytest.TempPathFactory,
    integration_manager: IntegrationManager,
) -> Iterator[PluginsFolder]:
    """A temp plugins folder loaded into ``integration_manager`` the way the
    app loads its ``<data dir>/plugins`` folder: ``write(name, source)``,
    ``load()``, ``reload()``, ``plugin(name)``; load errors are data in
    ``plugins_dir.errors``.

    ``plugins_dir.write("my_plugin", source)`` writes ``my_plugin.py``
    (dedented); ``plugins_dir.load()`` / ``plugins_dir.reload()`` return
    PluginInfo records; ``plugins_dir.plugin("my_plugin")`` is one record
    (``status``, ``error``, ``traceback``, ``integration_ids``);
    ``plugins_dir.errors`` maps each failed plugin's name to its error, so
    load errors are data to assert on. ``plugins_dir.path`` is the folder.
    Installed distributions' plugins (entry points) are not loaded, so only
    the folder's plugins are seen. Everything is unloaded after the test.
    """
    folder = PluginsFolder(
        integration_manager, tmp_path_factory.mktemp("desktop-app-plugins") / "plugins"
    )
    try:
        yield folder
    finally:
        folder.unload_all()
