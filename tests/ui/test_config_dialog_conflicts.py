"""The configuration dialog when someone else saved the same configuration
meanwhile (another window or the command line), and where it tells the
user that secrets stay in the database."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QLabel

from desktop_app import _secrets as secrets
from desktop_app.store import ConfigStore
from tests._support.config_dialog_driving import (
    answer_next_message_box,
    click_ok,
    open_dialog,
    type_into,
)
from tests._support.sample_integrations import OtherIntegration, valid_settings


def save_elsewhere(manager, config_id, **changes):
    """Save the configuration through a second store on the same file, as
    another window or the command line would."""
    other = ConfigStore(manager.store.path)
    try:
        other.save_config(dataclasses.replace(other.get_config(config_id), **changes))
    finally:
        other.close()


@pytest.fixture
def edited(manager, sample):
    """A dialog editing a config that another writer then saved."""
    config = manager.create_config(
        sample, name="Shared", settings=valid_settings(client_id="mine")
    )
    return config, manager.get_config(config.id)


def test_reload_after_a_conflict_shows_the_stored_version_and_saves_on_top(
    qtbot, manager, sample, edited
):
    config, stale = edited
    dialog = open_dialog(qtbot, sample, stale)
    type_into(qtbot, dialog, "client_id", "my edit")
    save_elsewhere(
        manager, config.id, name="Renamed", settings=valid_settings(client_id="theirs")
    )

    seen = answer_next_message_box(qtbot, "reloadButton")
    click_ok(qtbot, dialog)

    assert seen["name"] == "configConflictBox"
    assert seen["buttons"] == ["Cancel", "Overwrite", "Reload"]
    assert seen["default"] == "Cancel"
    assert "another window or the command line" in seen["text"]
    assert dialog.isVisible()
    assert dialog.editor("name").value() == "Renamed"
    assert dialog.editor("client_id").value() == "theirs"
    assert dialog.windowTitle() == "Edit Renamed"
    assert not dialog.is_modified()
    assert dialog.form_errors() == []
    # Reloaded means current: editing again saves without a conflict.
    type_into(qtbot, dialog, "client_id", "after reload")
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    stored = manager.get_config(config.id)
    assert (stored.name, stored.settings["client_id"]) == ("Renamed", "after reload")
    assert stored.revision == 3


def test_overwrite_after_a_conflict_saves_the_edits_over_the_newer_copy(
    qtbot, manager, sample, edited
):
    config, stale = edited
    dialog = open_dialog(qtbot, sample, stale)
    type_into(qtbot, dialog, "client_id", "my edit")
    save_elsewhere(manager, config.id, settings=valid_settings(client_id="theirs"))

    answer_next_message_box(qtbot, "overwriteButton")
    click_ok(qtbot, dialog)

    assert not dialog.isVisible()
    assert dialog.saved_config is not None
    stored = manager.get_config(config.id)
    assert stored.settings["client_id"] == "my edit"
    assert stored.revision == 3


def test_overwrite_of_a_configuration_deleted_elsewhere_says_so(
    qtbot, manager, sample, edited
):
    config, stale = edited
    dialog = open_dialog(qtbot, sample, stale)
    type_into(qtbot, dialog, "client_id", "my edit")
    save_elsewhere(manager, config.id, name="Renamed")
    answer_next_message_box(qtbot, "overwriteButton")
    other = ConfigStore(manager.store.path)
    other.delete_config(config.id)
    other.close()

    click_ok(qtbot, dialog)

    assert dialog.isVisible()
    [message] = dialog.form_errors()
    assert str(config.id) in message


def test_without_a_keyring_the_first_password_dialog_says_where_secrets_go(
    qtbot, manager, sample, no_keyring
):
    other = manager.register_integration_class(OtherIntegration)
    no_password = open_dialog(qtbot, other)
    assert no_password.secrets_note is None  # no password here: nothing said

    first = open_dialog(qtbot, sample)
    note = first.findChild(QLabel, "secretsNote")
    assert note is not None and note.isVisible()
    assert "No system keyring is available" in note.text()
    assert "configuration database" in note.text()

    second = open_dialog(qtbot, sample)
    assert second.findChild(QLabel, "secretsNote") is None


def test_with_a_keyring_no_note_is_shown(qtbot, manager, sample, monkeypatch):
    monkeypatch.setattr(secrets, "_note_given", False)
    monkeypatch.setattr(secrets, "secrets_backend_available", lambda: True)
    dialog = open_dialog(qtbot, sample)
    assert dialog.findChild(QLabel, "secretsNote") is None
