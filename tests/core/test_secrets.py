"""Secrets live in the keyring, and never leak into records, logs or reprs."""

from __future__ import annotations

import json
import logging
import sqlite3

import pytest

from desktop_app import _secrets as secrets
from desktop_app.activity import (
    SecretScrubbingFilter,
    get_activity_log,
    scrub_secrets,
)
from desktop_app.errors import ConfigConflictError
from tests._support.token_integration import (
    Tokened,
    TokenForm,
    poked,
    save_form,
)

TOKEN = "tok-\N{SNOWMAN}-s3cr3t-value"


def raw_settings(manager, config_id):
    raw = sqlite3.connect(manager.store.path)
    try:
        (text,) = raw.execute(
            "SELECT settings FROM configs WHERE id = ?", (config_id,)
        ).fetchone()
    finally:
        raw.close()
    return json.loads(text)


def test_keyring_holds_the_secret_and_db_a_reference(manager, memory_keyring):
    manager.register_integration_class(Tokened)
    config = save_form(manager, token=TOKEN)
    stored = raw_settings(manager, config.id)
    assert set(stored["token"]) == {"$secret"}
    assert TOKEN not in json.dumps(stored)
    assert memory_keyring.entries == {
        ("desktop-app", stored["token"]["$secret"]): TOKEN
    }
    integration = manager.get_integration(Tokened)
    assert [c.get("token") for c in integration.get_configs()] == [TOKEN]
    assert config.settings["token"] == TOKEN  # the caller's object stays clear
    assert secrets.secrets_backend_available()


def test_editing_keeps_the_stored_secret_and_replaces_entries(manager, memory_keyring):
    manager.register_integration_class(Tokened)
    config = save_form(manager, token=TOKEN)
    loaded = manager.get_config(config.id)
    assert loaded.settings["token"] == TOKEN
    form = TokenForm(manager.get_integration(Tokened), config=loaded)
    assert form.has_stored_secret("token") and form.initial["token"] == ""
    save_form(manager, config=loaded, token="", url="changed")
    assert manager.get_config(config.id).settings["token"] == TOKEN
    assert len(memory_keyring.entries) == 1  # the old entry was deleted
    save_form(manager, config=manager.get_config(config.id), token="new-token")
    assert list(memory_keyring.entries.values()) == ["new-token"]


def test_deleting_a_config_deletes_its_keyring_entries(manager, memory_keyring):
    manager.register_integration_class(Tokened)
    config = save_form(manager, token=TOKEN)
    manager.delete_config(config.id)
    assert memory_keyring.entries == {}


def test_conflicting_save_leaves_no_orphan_entry(manager, memory_keyring):
    manager.register_integration_class(Tokened)
    config = save_form(manager, token=TOKEN)
    stale = manager.get_config(config.id)
    save_form(manager, config=manager.get_config(config.id), token="theirs")
    with pytest.raises(ConfigConflictError):
        save_form(manager, config=stale, token="mine")
    assert list(memory_keyring.entries.values()) == ["theirs"]


def test_without_keyring_the_secret_stays_in_the_db(manager, no_keyring):
    manager.register_integration_class(Tokened)
    assert not secrets.secrets_backend_available()
    config = save_form(manager, token=TOKEN)
    assert raw_settings(manager, config.id)["token"] == TOKEN
    assert manager.get_config(config.id).settings["token"] == TOKEN
    note = secrets.secrets_storage_note()
    assert "keyring" in note and "database" in note
    assert secrets.secrets_storage_note() is None  # shown once


def test_note_is_silent_when_a_keyring_exists(memory_keyring):
    assert secrets.secrets_storage_note() is None


@pytest.mark.parametrize("background", [False, True])
def test_secrets_are_scrubbed_from_activity_records(
    manager, memory_keyring, background
):
    manager.register_integration_class(Tokened)
    save_form(manager, token=TOKEN)
    poked.send("test", background=background)
    assert manager.wait_for_background_work(timeout=5)
    failures = [r for r in get_activity_log().records() if r.failed]
    assert failures
    for record in failures:
        assert TOKEN not in record.error and TOKEN not in record.traceback
        assert "server rejected token ********" in record.error


def test_secrets_never_in_repr_or_logs(manager, no_keyring, caplog):
    manager.register_integration_class(Tokened)
    config = save_form(manager, token=TOKEN)
    assert TOKEN not in repr(config)
    assert TOKEN not in repr(manager.get_integration(Tokened).get_configs())
    handler = logging.StreamHandler()
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "got %s", (TOKEN,), None
    )
    assert SecretScrubbingFilter().filter(record)
    assert TOKEN not in handler.format(record)
    assert scrub_secrets(f"a {TOKEN} b") == "a ******** b"


def test_strip_secrets_drops_fields_and_references(memory_keyring):
    stripped = secrets.strip_secrets(
        Tokened, {"url": "u", "token": "x", "other": {"$secret": "abc"}}
    )
    assert stripped == {"url": "u"}


def test_undo_of_a_delete_puts_the_secret_back_in_the_keyring(manager, memory_keyring):
    manager.register_integration_class(Tokened)
    config = manager.get_config(save_form(manager, token=TOKEN).id)
    manager.delete_config(config)
    manager.restore_config(config)
    assert set(raw_settings(manager, config.id)["token"]) == {"$secret"}
    assert manager.get_config(config.id).settings["token"] == TOKEN
