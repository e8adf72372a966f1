"""The window on a database it must not change: read-only, with every write
control off and a banner saying why; a newer app's database only after the
user chose "Open read-only"; a data folder it cannot use, one line and a
message box, status 1."""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from desktop_app._paths import DataPaths
from desktop_app._startup import open_app_store
from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.store import ConfigRecord, open_store
from desktop_app.ui._config_list import ENABLED_COLUMN
from desktop_app.ui.app import show_startup_notices
from desktop_app.ui.main_window import MainWindow
from tests._support.child_processes import run_python
from tests._support.qt_driving import open_window
from tests._support.sample_integrations import SampleIntegration


def make_database(data, *names, newer=False):
    data.mkdir(mode=0o700, exist_ok=True)
    DataPaths(data).ensure()
    store, _ = open_store(data / "configs.sqlite3")
    with store:
        for name in names:
            store.save_config(
                ConfigRecord(SampleIntegration.integration_id, name=name, enabled=True)
            )
    if newer:
        raw = sqlite3.connect(data / "configs.sqlite3")
        with raw:
            raw.execute("UPDATE alembic_version SET version_num = '0099'")
            raw.execute("PRAGMA user_version=2003001")
        raw.close()
    return data / "configs.sqlite3"


@pytest.fixture
def read_only_window(qtbot, tmp_path, settings):
    data = tmp_path / "data"
    make_database(data, "kept")
    store, notices = open_app_store(DataPaths(data), read_only=True)
    manager = IntegrationManager(store, watch_interval=None)
    set_integration_manager(manager)
    manager.register_integration_class(SampleIntegration)
    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    open_window(qtbot, window)
    show_startup_notices(window, notices)
    yield window
    window.close()
    manager.shutdown()
    set_integration_manager(None)


def test_a_read_only_database_turns_off_every_write_control(read_only_window):
    window = read_only_window
    panel = window.config_panel
    view = window.findChild(QTableView, "configList")
    view.selectRow(0)
    assert panel.selected_config() is not None  # reading still works

    for action in (
        window.add_action,
        window.edit_action,
        window.duplicate_action,
        window.delete_action,
        window.import_action,
    ):
        assert not action.isEnabled(), action.objectName()
    for button in (
        panel.add_button,
        panel.edit_button,
        panel.duplicate_button,
        panel.delete_button,
    ):
        assert not button.isEnabled(), button.objectName()
    model = view.model()
    cell = model.index(0, ENABLED_COLUMN, QModelIndex())
    assert cell.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert not model.flags(cell) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.setData(
        cell, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert window.manager.store.list_configs()[0].enabled
    # Keyboard and double-click paths lead nowhere either.
    panel.delete_config()
    panel.duplicate_config()
    assert [c.name for c in window.manager.store.list_configs()] == ["kept"]
    texts = [banner.text() for banner in window.notices()]
    assert any("opened read-only" in text for text in texts), texts


_RUN_APP_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from desktop_app.manager import get_integration_manager
from desktop_app.ui.app import run_app

data, answer = Path(sys.argv[1]), sys.argv[2]
seen = {"asked": []}

def answer_modal():
    box = QApplication.activeModalWidget()
    if box is None:
        QTimer.singleShot(20, answer_modal)
        return
    seen["asked"].append({"name": box.objectName(), "text": box.text()})
    from PySide6.QtWidgets import QPushButton
    button = box.findChild(QPushButton, answer) if answer else None
    (button.click() if button is not None else box.close())

def after_show(window):
    seen["read_only"] = get_integration_manager().store.read_only
    seen["banners"] = [b.text() for b in window.notices()]
    seen["import_enabled"] = window.import_action.isEnabled()
    window.close()
    QApplication.instance().quit()

QTimer.singleShot(0, answer_modal)
settings = QSettings(str(data.parent / "settings.ini"), QSettings.Format.IniFormat)
seen["code"] = run_app(data, after_show=after_show, settings=settings)
print(json.dumps(seen))
"""


def run_window(data, answer=""):
    result = run_python(_RUN_APP_SCRIPT, str(data), answer, QT_QPA_PLATFORM="offscreen")
    assert "Traceback" not in result.stderr, result.stderr
    return result, json.loads(result.stdout.strip().splitlines()[-1])


def test_a_newer_database_opens_read_only_when_the_user_chooses_so(tmp_path):
    db = make_database(tmp_path / "data", "kept", newer=True)
    before = db.read_bytes()

    result, seen = run_window(tmp_path / "data", "openReadOnlyButton")

    assert result.returncode == 0
    [asked] = seen["asked"]
    assert asked["name"] == "newerDatabaseBox"
    assert "desktop-app 2.3.1" in asked["text"]
    assert seen["code"] == 0 and seen["read_only"] is True
    assert seen["import_enabled"] is False
    assert any("opened read-only" in text for text in seen["banners"])
    assert db.read_bytes() == before
    assert not list((tmp_path / "data").glob("*.damaged-*"))


def test_quit_on_a_newer_database_leaves_it_alone(tmp_path):
    db = make_database(tmp_path / "data", "kept", newer=True)
    before = db.read_bytes()

    result, seen = run_window(tmp_path / "data", "quitButton")

    assert seen["code"] == 1
    assert "read_only" not in seen  # the window never opened
    assert db.read_bytes() == before
    assert not list((tmp_path / "data").glob("*.damaged-*"))


def test_a_data_folder_that_is_a_file_is_one_line_and_a_message_box(tmp_path):
    (tmp_path / "data").write_text("a file")

    result, seen = run_window(tmp_path / "data")

    assert seen["code"] == 1
    [asked] = seen["asked"]
    assert asked["name"] == "startFailureBox"
    assert "is a file, not a folder" in asked["text"]
    # Qt's offscreen platform adds its own chatter; ours is one line.
    ours = [x for x in result.stderr.splitlines() if x.startswith("desktop-app")]
    assert ours == [f"desktop-app: error: {asked['text']}"]
