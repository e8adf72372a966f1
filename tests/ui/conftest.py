"""Fixtures for the window tests: sample integrations, icons, settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from desktop_app.signals import unregister_signal
from desktop_app.ui._icons import clear_icon_cache
from tests._support.sample_integrations import (
    SAMPLE_SIGNAL_NAME,
    OtherIntegration,
    SampleIntegration,
    write_png,
)


@pytest.fixture(autouse=True)
def _fresh_icons(qapp):
    clear_icon_cache()
    SampleIntegration.received = []
    yield
    clear_icon_cache()


@pytest.fixture
def sample_icons(tmp_path):
    """A red 48 px 1x file and a blue 96 px 2x file."""
    return {
        "1x": write_png(tmp_path / "sample.png", 48, "#ff0000"),
        "2x": write_png(tmp_path / "sample@2x.png", 96, "#0000ff"),
    }


@pytest.fixture
def sample(manager, sample_icons, monkeypatch):
    """The registered SampleIntegration instance."""
    monkeypatch.setattr(SampleIntegration, "icon_static_urls", sample_icons)
    return manager.register_integration_class(SampleIntegration)


@pytest.fixture
def other(manager):
    """The registered OtherIntegration instance (no icon files)."""
    return manager.register_integration_class(OtherIntegration)


@pytest.fixture
def settings(tmp_path):
    """A QSettings in a temp file, so tests never touch the user's."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(scope="session", autouse=True)
def _drop_sample_signal():
    yield
    unregister_signal(SAMPLE_SIGNAL_NAME)


@pytest.fixture
def window(qtbot, manager, settings, sample):
    """The main window, shown, on the manager with the sample integration
    registered (test files that need another window define their own)."""
    from desktop_app.ui.main_window import MainWindow
    from tests._support.qt_driving import open_window

    win = MainWindow(manager, settings=settings)
    qtbot.addWidget(win)
    open_window(qtbot, win)
    yield win
    win.close()
