"""Storage failures reach the user as messages, never as silence or
tracebacks: the dialog's OK, the enabled toggle, Delete, Undo and Import,
each driven through the real widgets against a real fault."""

from __future__ import annotations

import json
import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QTableView,
)

from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.ui import _transfer_actions as transfer_actions
from desktop_app.ui._config_list import ENABLED_COLUMN
from desktop_app.ui.config_dialog import ConfigDialog
from tests._support.config_dialog_driving import click_ok, type_into
from tests._support.modal_polls import current_test
from tests._support.qt_driving import check_indicator_center, click
from tests._support.sample_integrations import SampleIntegration, valid_settings
from tests._support.storage_faults import (
    SHORT_BUSY_TIMEOUT,
    fill_up,
    no_file_growth,
    small_filesystem,
    write_lock_held,
)

LOCKED = "is locked by another program"
OK = QMessageBox.StandardButton.Ok
YES = QMessageBox.StandardButton.Yes


@pytest.fixture(autouse=True)
def _short_busy_timeout(monkeypatch):
    monkeypatch.setenv("DESKTOP_APP_BUSY_TIMEOUT", SHORT_BUSY_TIMEOUT)


@pytest.fixture
def no_tracebacks(monkeypatch):
    """Collect what reaches ``sys.excepthook`` (an exception escaping a Qt
    slot); the test asserts there is none."""
    escaped = []
    monkeypatch.setattr(sys, "excepthook", lambda *info: escaped.append(info))
    return escaped


@pytest.fixture
def dialogs(qtbot):
    """Open config dialogs; a test that fails with edits in one must not
    hang in teardown on the "Discard changes?" question, so each is closed
    with done(), which asks nothing."""
    opened = []

    def open_one(integration, config=None):
        # Not qtbot.addWidget: pytest-qt closes its widgets before fixtures
        # end, and close() asks.
        dialog = ConfigDialog(integration, config)
        opened.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    yield open_one
    for dialog in opened:
        dialog.done(0)
        dialog.deleteLater()


def _fill_new_config(qtbot, dialog):
    type_into(qtbot, dialog, "name", "Team hook")
    type_into(qtbot, dialog, "endpoint_url", "https://example.com/hook")
    type_into(qtbot, dialog, "client_id", "abc")


def _select_first_config(window):
    integrations = window.findChild(QListView, "integrationList")
    model = integrations.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == "Sample Service":
            integrations.setCurrentIndex(model.index(row, 0))
    view = window.findChild(QTableView, "configList")
    view.selectRow(0)
    return view


def _answer_message_boxes(qtbot, *buttons):
    """Answer the next message boxes in turn, one button each; return what
    each said, as ``(title, text)``, in order."""
    seen = []
    handled = []
    polls = [0]
    test = current_test[0]

    def poll():
        if current_test[0] != test:
            return
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and all(box is not b for b in handled):
            handled.append(box)
            seen.append((box.windowTitle(), f"{box.text()}\n{box.informativeText()}"))
            button = box.button(buttons[len(seen) - 1])
            if button is None:  # not the box expected: close it, fail later
                box.reject()
            else:
                click(qtbot, button)
        polls[0] += 1
        # Give up after a while, so a box that never came cannot leave a
        # poll behind to answer another test's box.
        if len(seen) < len(buttons) and polls[0] < 250:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


# The dialog's OK --------------------------------------------------------


def test_ok_on_a_full_disk_says_so_and_keeps_the_edits(
    qtbot, tmp_path, no_tracebacks, dialogs
):
    with small_filesystem(tmp_path) as disk:
        manager = IntegrationManager(disk / "configs.sqlite3", watch_interval=None)
        set_integration_manager(manager)
        try:
            sample = manager.register_integration_class(SampleIntegration)
            dialog = dialogs(sample)
            _fill_new_config(qtbot, dialog)
            filler = fill_up(disk)

            click_ok(qtbot, dialog)

            assert dialog.isVisible()
            assert dialog.form_errors() == [
                f"The disk holding {disk / 'configs.sqlite3'} is full. "
                f"Free some space, then try again."
            ]
            assert dialog.values()["name"] == "Team hook"
            assert manager.get_integration_configs(sample) == []

            filler.unlink()
            click_ok(qtbot, dialog)
            assert not dialog.isVisible()
            assert [c.name for c in manager.get_integration_configs(sample)] == [
                "Team hook"
            ]
        finally:
            manager.shutdown()
            set_integration_manager(None)
    assert no_tracebacks == []


def test_ok_while_another_program_holds_the_lock_says_so_then_saves(
    qtbot, manager, sample, no_tracebacks, dialogs
):
    dialog = dialogs(sample)
    _fill_new_config(qtbot, dialog)
    with write_lock_held(manager.store.path):
        click_ok(qtbot, dialog)
        assert dialog.isVisible()
        (message,) = dialog.form_errors()
        assert LOCKED in message and message.endswith("then try again.")
        assert dialog.findChild(QLabel, "formErrors").isVisible()
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert len(manager.get_integration_configs(sample)) == 1
    assert no_tracebacks == []


def test_ok_when_the_disk_fails_the_write_shows_an_io_error(
    qtbot, manager, sample, no_tracebacks, dialogs
):
    config = manager.create_config(sample, name="Old", settings=valid_settings())
    dialog = dialogs(sample, manager.get_config(config.id))
    type_into(qtbot, dialog, "name", "New")
    with no_file_growth():
        click_ok(qtbot, dialog)
    assert dialog.isVisible()
    (message,) = dialog.form_errors()
    assert "input/output error" in message
    assert manager.get_config(config.id).name == "Old"
    assert dialog.values()["name"] == "New"
    assert no_tracebacks == []


# The list: the enabled toggle and Delete ----------------------------------


def test_the_enabled_toggle_on_a_locked_database_says_so(
    qtbot, manager, window, sample, no_tracebacks
):
    config = manager.create_config(sample, name="Hook", settings=valid_settings())
    view = _select_first_config(window)
    index = view.model().index(0, ENABLED_COLUMN)
    seen = _answer_message_boxes(qtbot, OK)
    with write_lock_held(manager.store.path):
        click(qtbot, view.viewport(), check_indicator_center(view, index))
    ((title, text),) = seen
    assert title == "Cannot save the configuration"
    assert LOCKED in text
    assert manager.get_config(config.id).enabled is False
    assert (
        view.model().index(0, ENABLED_COLUMN).data(Qt.ItemDataRole.CheckStateRole)
        == Qt.CheckState.Unchecked
    )
    assert no_tracebacks == []


def test_delete_on_a_locked_database_says_so_and_keeps_the_config(
    qtbot, manager, window, sample, no_tracebacks
):
    config = manager.create_config(sample, name="Kept", settings=valid_settings())
    _select_first_config(window)
    seen = _answer_message_boxes(qtbot, YES, OK)
    with write_lock_held(manager.store.path):
        click(qtbot, window.config_panel.delete_button)
    (_confirm, (title, text)) = seen
    assert title == "Cannot delete the configuration"
    assert LOCKED in text
    assert [c.id for c in manager.get_integration_configs(sample)] == [config.id]
    assert not window.undo_action.isEnabled()
    assert no_tracebacks == []


# Undo -----------------------------------------------------------------


def test_undo_on_a_locked_database_says_so_and_can_be_tried_again(
    qtbot, manager, window, sample, no_tracebacks
):
    config = manager.create_config(sample, name="Oops", settings=valid_settings())
    _select_first_config(window)
    _answer_message_boxes(qtbot, YES)
    click(qtbot, window.config_panel.delete_button)
    assert manager.get_integration_configs(sample) == []

    undo = window.statusBar().findChild(QPushButton, "undoButton")
    seen = _answer_message_boxes(qtbot, OK)
    with write_lock_held(manager.store.path):
        click(qtbot, undo)
    ((title, text),) = seen
    assert title == "Cannot undo"
    assert LOCKED in text
    assert manager.get_integration_configs(sample) == []
    # Nothing lost: Undo still offers the same configuration.
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == '&Undo delete "Oops"'

    window.undo_action.trigger()
    assert [c.id for c in manager.get_integration_configs(sample)] == [config.id]
    assert no_tracebacks == []


# Import ---------------------------------------------------------------


def test_import_on_a_locked_database_says_so_and_imports_nothing(
    qtbot, manager, window, sample, tmp_path, no_tracebacks
):
    path = tmp_path / "import.json"
    path.write_text(
        json.dumps(
            {
                "format": "desktop-app-configs",
                "version": 1,
                "configs": [
                    {
                        "integration_id": sample.integration_id,
                        "name": "Imported",
                        "enabled": True,
                        "settings": valid_settings(),
                    }
                ],
            }
        )
    )
    seen = _answer_message_boxes(qtbot, OK)
    with write_lock_held(manager.store.path):
        assert transfer_actions.import_configs(window, path) == 0
    ((_title, text),) = seen
    assert "Nothing was imported" in text
    assert LOCKED in text
    assert manager.get_integration_configs(sample) == []
    assert transfer_actions.import_configs(window, path) == 1
    assert no_tracebacks == []
