"""Secrets never leak: not from a failing store, not in short form, not from
backups of deleted configurations, and the files the app writes are private.

Companion of ``test_secrets.py`` (where secrets are kept); this file is about
where they must never end up.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
import traceback
from datetime import UTC, datetime, timedelta

import pytest

from desktop_app._transfer import FORMAT, import_configs, write_export
from desktop_app.activity import (
    SCRUBBED,
    SecretScrubbingFilter,
    forget_secret,
    get_activity_log,
    register_secret,
    scrub_secrets,
)
from desktop_app.errors import StoreError
from desktop_app.store import list_backups, make_backup
from integrations.event_file import append_line
from tests._support.token_integration import (
    Tokened,
    poked,
    save_form,
)

TOKEN = "tok-leak-\N{SNOWMAN}-s3cr3t"


@pytest.fixture
def forget_after():
    """Values registered during the test stop being scrubbed after it, so
    one test's short secret does not garble another's text."""
    values: list[str] = []
    yield values
    for value in values:
        forget_secret(value)


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def refuse_writes(db_path, message="disk I/O error"):
    """Make the real database refuse every insert and update, as a full or
    failing disk would, through SQLite itself."""
    raw = sqlite3.connect(db_path)
    for event in ("INSERT", "UPDATE"):
        raw.execute(
            f"CREATE TRIGGER refuse_{event.lower()} BEFORE {event} ON configs "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    raw.commit()
    raw.close()


def assert_no_secret(error: BaseException, caplog, secret: str = TOKEN) -> None:
    """The secret is in neither the error text, its whole traceback (chained
    causes included) nor any log record, before any scrubbing."""
    assert secret not in str(error)
    assert secret not in "".join(traceback.format_exception(error))
    assert secret not in caplog.text
    for record in caplog.records:
        assert secret not in repr(record.args)


# --- scrub at the source: a failing store -------------------------------------


@pytest.mark.parametrize("keyring_fixture", ["memory_keyring", "no_keyring"])
def test_a_failing_store_names_no_secret(manager, request, keyring_fixture, caplog):
    request.getfixturevalue(keyring_fixture)
    caplog.set_level(logging.DEBUG)
    manager.register_integration_class(Tokened)
    config = save_form(manager, token="first-" + TOKEN)
    refuse_writes(manager.store.path)
    with pytest.raises(StoreError) as new:
        save_form(manager, token=TOKEN)
    # The store's own words, naming the file: the failure reached the user.
    assert str(manager.store.path) in str(new.value)
    assert_no_secret(new.value, caplog)
    with pytest.raises(StoreError) as edit:
        save_form(manager, config=manager.get_config(config.id), token=TOKEN)
    assert_no_secret(edit.value, caplog)


def test_settings_that_cannot_be_stored_name_no_secret(manager, no_keyring, caplog):
    manager.register_integration_class(Tokened)
    integration = manager.get_integration(Tokened)
    with pytest.raises(StoreError) as info:
        integration.create_config(
            name="cfg", settings={"token": TOKEN, "odd": {1, 2}}, save=True
        )
    assert "cannot be stored" in str(info.value)
    assert_no_secret(info.value, caplog)


def test_a_failing_import_names_no_secret(manager, no_keyring, caplog):
    manager.register_integration_class(Tokened)
    refuse_writes(manager.store.path)
    text = json.dumps(
        {
            "format": FORMAT,
            "version": 1,
            "configs": [
                {
                    "integration_id": Tokened.integration_id,
                    "name": "imported",
                    "settings": {"url": "u", "token": TOKEN},
                }
            ],
        }
    )
    with pytest.raises(StoreError) as info:
        import_configs(manager, text)
    assert_no_secret(info.value, caplog)


# --- secrets of any length ------------------------------------------------------


@pytest.mark.parametrize("secret", ["q", "q7", "q7!"])
def test_short_secrets_are_scrubbed_where_they_stand_alone(secret, forget_after):
    forget_after.append(secret)
    register_secret(secret)
    assert scrub_secrets(f"token {secret} rejected") == f"token {SCRUBBED} rejected"
    assert scrub_secrets(f"token='{secret}'") == f"token='{SCRUBBED}'"
    assert scrub_secrets(secret) == SCRUBBED
    assert scrub_secrets(f"{secret}\n") == f"{SCRUBBED}\n"
    # Inside a longer word or number it is not the secret: left as it is.
    for text in (f"x{secret}", f"{secret}x", f"_{secret}_", f"9{secret}9"):
        assert scrub_secrets(text) == text


def test_long_secrets_are_scrubbed_even_inside_words(forget_after):
    forget_after.append("abcd")
    register_secret("abcd")
    assert scrub_secrets("xxabcdyy") == f"xx{SCRUBBED}yy"


def test_short_secret_is_scrubbed_from_activity_records(
    manager, no_keyring, forget_after
):
    forget_after.append("k9")
    manager.register_integration_class(Tokened)
    save_form(manager, token="k9")
    poked.send("test")
    # The configuration's delivery is recorded off the event path.
    assert manager.wait_for_background_work(5)
    [record] = [r for r in get_activity_log().records() if r.failed]
    assert record.error == f"PermissionError: server rejected token {SCRUBBED}"
    assert "k9" not in record.traceback


# --- log records: scrubbed, and no traceback a formatter leaves out ---------------


class _NoTracebacks(logging.Formatter):
    def formatException(self, ei):  # noqa: N802 - logging's naming
        return ""


def _failed_record():
    try:
        raise PermissionError(f"server rejected {TOKEN}")
    except PermissionError:
        import sys

        exc_info = sys.exc_info()
    return logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "work for %s failed", (TOKEN,), exc_info
    )


def test_filter_keeps_each_handlers_choice_of_tracebacks(forget_after):
    forget_after.append(TOKEN)
    register_secret(TOKEN)
    one_line = logging.StreamHandler()
    one_line.setFormatter(_NoTracebacks("%(message)s"))
    full = logging.StreamHandler()
    full.setFormatter(logging.Formatter("%(message)s"))
    one_line.addFilter(SecretScrubbingFilter(one_line))
    full.addFilter(SecretScrubbingFilter(full))
    record = _failed_record()
    # The same record goes through both handlers, in this order.
    assert one_line.filter(record)
    assert one_line.format(record) == f"work for {SCRUBBED} failed"
    assert full.filter(record)
    text = full.format(record)
    assert "Traceback (most recent call last)" in text
    assert f"PermissionError: server rejected {SCRUBBED}" in text
    assert TOKEN not in text


# --- files the app writes are private ----------------------------------------------


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_export_file_is_0600_in_new_0700_folders(
    manager, no_keyring, tmp_path, loose_umask
):
    manager.register_integration_class(Tokened)
    config = save_form(manager, token=TOKEN)
    path = tmp_path / "exports" / "june" / "configs.json"
    write_export(manager, [config], path)
    assert mode(path) == 0o600
    assert mode(path.parent) == mode(path.parent.parent) == 0o700
    assert TOKEN not in path.read_text(encoding="utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["configs.json"]
    # Replacing a file others could read leaves a private one.
    path.write_text("old")
    path.chmod(0o644)
    write_export(manager, [config], path)
    assert mode(path) == 0o600
    assert json.loads(path.read_text(encoding="utf-8"))["configs"][0]["name"] == "cfg"


def test_event_files_are_0600(tmp_path, loose_umask):
    path = tmp_path / "events.log"
    append_line(str(path), '{"n": 1}', max_bytes=10, keep=2)
    assert mode(path) == 0o600
    append_line(str(path), '{"n": 2}', max_bytes=10, keep=2)  # rotates
    assert mode(path) == 0o600 and mode(f"{path}.1") == 0o600
    assert path.read_text() == '{"n": 2}\n'


# --- deleted configurations leave no secret behind ------------------------------


def test_deleting_removes_the_keyring_entry_and_stops_scrubbing(
    manager, memory_keyring
):
    manager.register_integration_class(Tokened)
    config = save_form(manager, token=TOKEN)
    assert list(memory_keyring.entries.values()) == [TOKEN]
    manager.delete_config(config.id)
    assert memory_keyring.entries == {}


def _backup(manager, day):
    return make_backup(
        manager.store.path,
        manager.store.backup_dir,
        now=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day),
    )


def _rows(path):
    raw = sqlite3.connect(path)
    try:
        return sorted(raw.execute("SELECT id, name FROM configs"))
    finally:
        raw.close()


def test_backups_lose_a_deleted_configs_clear_secret(manager, no_keyring):
    manager.register_integration_class(Tokened)
    kept = save_form(manager, name="kept", token="kept-secret")
    doomed = save_form(manager, name="doomed", token=TOKEN)
    first = _backup(manager, 0)
    as_stored = json.dumps(TOKEN)[1:-1].encode()  # as the row's JSON holds it
    assert as_stored in first.read_bytes()  # no keyring: clear in the row
    manager.delete_config(doomed.id)
    # A new configuration takes the deleted one's id (ids are reused).
    reused = save_form(manager, name="reused", token="new-secret")
    assert reused.id == doomed.id
    second = _backup(manager, 1)
    for backup in (first, second):
        data = backup.read_bytes()
        assert as_stored not in data, backup
        assert b"kept-secret" in data
    assert _rows(first) == [(kept.id, "kept")]
    assert _rows(second) == [(kept.id, "kept"), (reused.id, "reused")]
    assert [b.path for b in list_backups(manager.store.backup_dir)] == [second, first]
    raw = sqlite3.connect(first)
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert raw.execute("SELECT total FROM config_counts").fetchall() == [(1,)]
    raw.close()
    assert mode(first) == 0o600


def test_a_damaged_backup_is_removed_rather_than_kept_with_a_secret(
    manager, no_keyring
):
    manager.register_integration_class(Tokened)
    save_form(manager, token=TOKEN)
    damaged = _backup(manager, 0)
    damaged.write_bytes(b"not a database, but " + TOKEN.encode() * 100)
    current = _backup(manager, 1)
    assert not damaged.exists()
    assert [b.path for b in list_backups(manager.store.backup_dir)] == [current]


def test_a_new_backup_holds_no_trace_of_a_deleted_row(manager, no_keyring):
    # Unless built with secure delete on (Debian's is; macOS's and the
    # python.org Windows builds are not), SQLite leaves a deleted row's
    # bytes in the page until they are reused, and a page-by-page copy
    # would carry them into the backup. The delete is made as such a
    # build makes it.
    manager.register_integration_class(Tokened)
    save_form(manager, name="kept", token="kept-secret")
    doomed = save_form(manager, name="doomed", token=TOKEN)
    raw = sqlite3.connect(manager.store.path)
    raw.execute("PRAGMA secure_delete=OFF")
    with raw:
        raw.execute("DELETE FROM configs WHERE id = ?", (doomed.id,))
    raw.close()
    backup = _backup(manager, 0)
    assert json.dumps(TOKEN)[1:-1].encode() not in backup.read_bytes()
    assert _rows(backup) == [(1, "kept")]
