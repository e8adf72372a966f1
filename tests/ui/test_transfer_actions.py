"""File → Export / Import configurations, driven through the window."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.signals import configs_reloaded
from desktop_app.ui import _transfer_actions as transfer_actions
from tests._support.config_dialog_driving import answer_next_message_box
from tests._support.qt_driving import on_next_modal
from tests._support.sample_integrations import valid_settings


def _close_next_message_box(found):
    def close(box):
        found.append(box.text() + "\n" + box.informativeText())
        box.accept()

    on_next_modal(close, QMessageBox)


def test_export_then_import_round_trips_without_the_password(
    qtbot, manager, window, sample, tmp_path
):
    sample.create_config(
        name="Team hook",
        enabled=True,
        settings=valid_settings(token="s3cret"),
        save=True,
    )
    path = tmp_path / "export.json"

    assert window.findChild(type(window.export_action), "exportAction")
    assert transfer_actions.export_configs(window, path) == 1
    text = path.read_text()
    assert "s3cret" not in text
    assert json.loads(text)["configs"][0]["name"] == "Team hook"
    assert "Exported 1 configuration" in window.statusBar().currentMessage()

    during = []

    def note_cursor(sender, **kwargs):
        cursor = QApplication.overrideCursor()
        during.append(cursor.shape() if cursor is not None else None)

    configs_reloaded.connect(note_cursor)
    try:
        # Same-named configurations: a question, answered "Keep both".
        answer = answer_next_message_box(qtbot, "keepBothButton")
        assert transfer_actions.import_configs(window, path) == 1
        assert answer["name"] == "importSameNamesBox"
        assert '"Team hook"' in answer["text"]
    finally:
        configs_reloaded.disconnect(note_cursor)
    assert during == [Qt.CursorShape.WaitCursor]  # busy while it ran…
    assert QApplication.overrideCursor() is None  # …and not after
    assert "Imported 1 configuration" in window.statusBar().currentMessage()
    names = sorted(c.name for c in manager.get_integration_configs(sample))
    assert names == ["Team hook", "Team hook"]
    qtbot.waitUntil(lambda: window.config_panel.model.rowCount() == 2)


def test_a_bad_file_imports_nothing_and_says_why(qtbot, manager, window, tmp_path):
    path = tmp_path / "edited.json"
    path.write_text(
        json.dumps(
            {
                "format": "desktop-app-configs",
                "version": 1,
                "configs": [
                    {
                        "integration_id": "tests.ui.SampleIntegration",
                        "name": "good",
                        "enabled": True,
                        "settings": valid_settings(),
                    },
                    {
                        "integration_id": "tests.ui.SampleIntegration",
                        "name": "bad",
                        "enabled": True,
                        "settings": valid_settings(endpoint_url="not a url"),
                    },
                ],
            }
        )
    )
    shown = []
    _close_next_message_box(shown)

    assert transfer_actions.import_configs(window, path) == 0

    assert manager.get_integration_configs() == []
    assert QApplication.overrideCursor() is None
    assert "Nothing was imported" in shown[0]
    assert "bad" in shown[0]


def test_a_store_failure_on_import_shows_no_secret(
    qtbot, manager, window, sample, tmp_path, no_keyring
):
    secret = "imp0rted-s3cret"
    path = tmp_path / "with-secret.json"
    path.write_text(
        json.dumps(
            {
                "format": "desktop-app-configs",
                "version": 1,
                "configs": [
                    {
                        "integration_id": "tests.ui.SampleIntegration",
                        "name": "has a token",
                        "enabled": True,
                        "settings": valid_settings(token=secret),
                    }
                ],
            }
        )
    )
    raw = sqlite3.connect(manager.store.path)
    raw.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON configs "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
    )
    raw.commit()
    raw.close()
    shown = []
    _close_next_message_box(shown)

    assert transfer_actions.import_configs(window, path) == 0

    assert "Nothing was imported" in shown[0]
    assert str(manager.store.path) in shown[0]
    assert secret not in shown[0]
    assert manager.get_integration_configs() == []


def test_the_exported_file_is_private(qtbot, manager, window, sample, tmp_path):
    sample.create_config(
        name="Team hook", enabled=True, settings=valid_settings(), save=True
    )
    old = os.umask(0o022)
    try:
        path = tmp_path / "new folder" / "export.json"
        assert transfer_actions.export_configs(window, path) == 1
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_store_that_cannot_be_read_makes_export_a_message(
    qtbot, manager, window, sample, tmp_path
):
    sample.create_config(name="Kept", settings=valid_settings(), save=True)
    manager.store.close()  # every read now fails with a StoreError
    shown = []
    _close_next_message_box(shown)

    assert transfer_actions.export_configs(window, tmp_path / "out.json") == 0

    assert "closed" in shown[0] and str(manager.store.path) in shown[0]
    assert not (tmp_path / "out.json").exists()


def test_import_can_skip_same_named_configurations(
    qtbot, manager, window, sample, tmp_path
):
    sample.create_config(
        name="Kept", enabled=True, settings=valid_settings(), save=True
    )
    sample.create_config(
        name="Other", enabled=True, settings=valid_settings(), save=True
    )
    path = tmp_path / "export.json"
    assert transfer_actions.export_configs(window, path) == 2
    manager.delete_config(
        next(c for c in manager.get_integration_configs(sample) if c.name == "Other")
    )
    answer = answer_next_message_box(qtbot, "skipSameNamedButton")
    assert transfer_actions.import_configs(window, path) == 1
    assert answer["default"] == "Skip them"
    names = sorted(c.name for c in manager.get_integration_configs(sample))
    assert names == ["Kept", "Other"]


def test_export_offers_the_selected_configurations(
    qtbot, manager, window, sample, tmp_path
):
    from PySide6.QtWidgets import QListView

    settings = valid_settings()
    sample.create_config(name="One", enabled=True, settings=settings, save=True)
    two = sample.create_config(name="Two", enabled=True, settings=settings, save=True)
    view = window.findChild(QListView, "integrationList")
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.waitUntil(lambda: window.config_panel.model.rowCount() == 2)
    window.config_panel.select_config(two.id)
    path = tmp_path / "selected.json"
    answer = answer_next_message_box(qtbot, "exportSelectedButton")
    assert transfer_actions.export_configs(window, path) == 1
    assert answer["name"] == "exportWhichBox"
    assert [c["name"] for c in json.loads(path.read_text())["configs"]] == ["Two"]

    answer_next_message_box(qtbot, "exportAllButton")
    assert transfer_actions.export_configs(window, path) == 2


def test_an_import_without_its_secret_needs_one_before_it_can_be_enabled(
    qtbot, manager, window, memory_keyring
):
    from desktop_app._transfer import import_configs
    from desktop_app.ui._config_list import ENABLED_COLUMN, STATUS_COLUMN
    from tests._support.token_integration import Tokened

    tokened = manager.register_integration_class(Tokened)
    document = json.dumps(
        {
            "format": "desktop-app-configs",
            "version": 1,
            "configs": [
                {
                    "integration_id": tokened.integration_id,
                    "name": "Moved here",
                    "enabled": True,
                    "settings": {"url": "https://example.com"},
                }
            ],
        }
    )
    import_configs(manager, document)
    window.reload_integrations()
    window.integration_view.setCurrentIndex(
        window.integration_filter.mapFromSource(
            window.integration_model.index(
                window.integration_model.row_of(tokened.integration_id)
            )
        )
    )
    model = window.config_panel.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    status = model.index(0, STATUS_COLUMN).data()
    assert status == "Needs a secret: Token"
    enabled = model.index(0, ENABLED_COLUMN)
    assert enabled.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked

    # Ticking it on is refused, saying what to do.
    found = []
    _close_next_message_box(found)
    assert not model.setData(
        enabled, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    qtbot.waitUntil(lambda: bool(found))
    assert "Moved here needs Token before it can be enabled" in found[0]
    [config] = manager.get_integration_configs(tokened)
    assert not config.enabled


def test_import_can_replace_same_named_configurations(
    qtbot, manager, window, sample, tmp_path, memory_keyring
):
    hook = sample.create_config(
        name="Team hook",
        enabled=True,
        settings=valid_settings(token="s3cret", client_id="from-file"),
        save=True,
    )
    sample.create_config(name="Other", settings=valid_settings(), save=True)
    path = tmp_path / "export.json"
    assert transfer_actions.export_configs(window, path) == 2
    # Since the export: one edited, one deleted.
    edited = manager.get_config(hook.id)
    edited.set("client_id", "edited-here")
    edited.save()
    manager.delete_config(manager.get_integration_configs(sample, name="Other")[0])
    qtbot.waitUntil(lambda: window.config_panel.model.rowCount() == 1)

    answer = answer_next_message_box(qtbot, "replaceSameNamedButton")
    assert transfer_actions.import_configs(window, path) == 2

    assert answer["name"] == "importSameNamesBox"
    assert answer["default"] == "Skip them"
    assert answer["buttons"] == ["Cancel", "Keep both", "Replace them", "Skip them"]
    for choice in ("Skip them", "Replace them", "Keep both"):
        assert f"<b>{choice}</b>" in answer["text"]
    assert "keep their history, and their passwords" in answer["text"]
    assert window.statusBar().currentMessage() == (
        "Imported 2 configuration(s) from export.json: 1 added, 1 replaced."
    )
    replaced = manager.get_config(hook.id)  # the same configuration…
    assert replaced.settings["client_id"] == "from-file"  # …with the file's values
    assert replaced.settings["token"] == "s3cret"  # and the password it had
    assert replaced.enabled
    names = sorted(c.name for c in manager.get_integration_configs(sample))
    assert names == ["Other", "Team hook"]
    model = window.config_panel.model
    qtbot.waitUntil(lambda: model.rowCount() == 2)


def test_the_same_names_buttons_have_tooltips_and_distinct_access_keys(qtbot, window):
    from PySide6.QtWidgets import QPushButton

    seen = {}

    def look(box):
        for name in ("skipSameNamedButton", "replaceSameNamedButton", "keepBothButton"):
            button = box.findChild(QPushButton, name)
            seen[name] = (button.text(), button.toolTip())
        box.reject()

    on_next_modal(look, QMessageBox)
    assert transfer_actions._ask_skip(window, ["Team hook"]) is None
    keys = [text[text.index("&") + 1].lower() for text, _ in seen.values()]
    menus = [a.text() for a in window.menuBar().actions()]
    menu_keys = [t[t.index("&") + 1].lower() for t in menus if "&" in t]
    assert len(set(keys)) == 3 and not set(keys) & set(menu_keys)
    assert all(tip for _, tip in seen.values())
