"""Shared test set-up: headless Qt and a fresh manager per test."""

from __future__ import annotations

import os

# Qt tests run without a display; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from desktop_app.activity import get_activity_log  # noqa: E402
from desktop_app.manager import (  # noqa: E402
    IntegrationManager,
    set_integration_manager,
)


@pytest.fixture(autouse=True)
def _stop_stale_modal_polls():
    """Polls for a modal that an earlier test waited for in vain stop."""
    from tests._support.modal_polls import current_test

    current_test[0] += 1


@pytest.fixture
def db_path(tmp_path):
    """Path of a fresh SQLite database file in a temp folder."""
    return tmp_path / "configs.sqlite3"


@pytest.fixture
def manager(db_path):
    """A process-wide IntegrationManager on a real SQLite file."""
    mgr = IntegrationManager(db_path, watch_interval=None)
    set_integration_manager(mgr)
    get_activity_log().clear()
    yield mgr
    mgr.shutdown()
    set_integration_manager(None)


@pytest.fixture
def memory_keyring():
    """A real keyring backend in memory, so secrets take the keyring path."""
    import keyring

    from tests._support.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring(monkeypatch):
    """No usable keyring: secrets stay in the database (and the one-time
    note about it is due again)."""
    import keyring
    from keyring.backends import fail

    from desktop_app import _secrets as secrets

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setattr(secrets, "_note_given", False)
    yield
    keyring.set_keyring(previous)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """Close configuration dialogs left open without asking.

    pytest-qt closes a test's widgets at teardown; a dialog whose values
    were changed (a test that failed half-way) would answer with its
    "Discard changes?" box and wait for a click forever, hanging the run
    instead of reporting the failure.
    """
    import sys

    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets is not None else None
    if app is not None:
        from desktop_app.ui.config_dialog import ConfigDialog

        for widget in app.topLevelWidgets():
            if isinstance(widget, ConfigDialog) and widget.isVisible():
                widget.done(widgets.QDialog.DialogCode.Rejected)
    return (yield)
