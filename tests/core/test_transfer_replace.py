"""Importing with ``on_same_name="replace"``: same-named configurations are
updated in place (id, history and secrets the file lacks kept), the rest
added, all in one transaction or not at all."""

from __future__ import annotations

import json
import sqlite3

import pytest

from desktop_app import forms
from desktop_app._transfer import (
    FORMAT,
    apply_import,
    export_configs,
    import_configs,
    plan_import,
    same_named,
)
from desktop_app.errors import ImportConflictError, StoreError
from desktop_app.forms import IntegrationConfigForm, ValidationError
from desktop_app.integration import Integration
from desktop_app.signals import config_updated, configs_reloaded
from desktop_app.store import ConfigRecord


class MailForm(IntegrationConfigForm):
    to = forms.EmailField()
    hour = forms.IntegerField(min_value=0, max_value=23)
    password = forms.PasswordField()


class Mail(Integration):
    integration_id = "tests.transfer_replace.Mail"
    config_form_cls = MailForm

    def initialize(self):
        pass


def document(*configs):
    return json.dumps({"format": FORMAT, "version": 1, "configs": list(configs)})


def item(name, enabled=True, **settings):
    values = {"to": "ops@example.com", "hour": 3, **settings}
    return {
        "integration_id": Mail.integration_id,
        "name": name,
        "enabled": enabled,
        "settings": values,
    }


def rows(manager):
    """What is stored, as the store has it (secrets as references)."""
    return [
        (r.id, r.name, r.enabled, dict(r.settings), r.revision)
        for r in manager.store.list_configs()
    ]


@pytest.fixture
def mail(manager):
    return manager.register_integration_class(Mail)


def make(mail, name, **settings):
    values = {"to": "old@example.com", "hour": 1, "password": "old-pw", **settings}
    return mail.create_config(name=name, enabled=True, settings=values, save=True)


def test_replace_updates_in_place_and_adds_the_others(manager, mail, memory_keyring):
    nightly = make(mail, "nightly")
    manager.deliveries.record(nightly, "desktop_app.test_event", {}, "ok", "sent")
    assert manager.deliveries.flush(5)
    assert len(mail.get_configs()) == 1  # cached before the import

    saved = import_configs(
        manager,
        document(item("nightly", enabled=False, hour=7), item("weekly", hour=9)),
        on_same_name="replace",
    )

    assert [c.name for c in saved] == ["nightly", "weekly"]
    replaced = manager.get_config(nightly.id)
    assert replaced.settings == {
        "to": "ops@example.com",
        "hour": 7,
        "password": "old-pw",  # the file had none: the stored one is kept
    }
    assert replaced.enabled is False
    assert replaced.revision == nightly.revision + 1
    assert replaced.time_added == nightly.time_added
    assert saved[0].id == nightly.id and saved[0].revision == replaced.revision
    # Its history stays with it.
    assert [d.message for d in manager.get_deliveries(nightly.id)] == ["sent"]
    # The new one is disabled: it needs the password the file could not bring.
    (weekly,) = manager.get_integration_configs(mail, name="weekly")
    assert (weekly.enabled, weekly.settings["hour"]) == (False, 9)
    # The cache is current: nothing is enabled any more.
    assert mail.get_configs() == ()
    assert not mail.enabled
    assert manager.count_configs()[Mail.integration_id] == (2, 0)
    # The kept secret lives in one new keyring entry; the old one is gone.
    assert list(memory_keyring.entries.values()) == ["old-pw"]
    assert "old-pw" not in json.dumps([r[3] for r in rows(manager)])


def test_replace_takes_a_secret_the_file_has(manager, mail, memory_keyring):
    nightly = make(mail, "nightly")
    import_configs(
        manager, document(item("nightly", password="new-pw")), on_same_name="replace"
    )
    replaced = manager.get_config(nightly.id)
    assert replaced.settings["password"] == "new-pw"
    assert replaced.enabled
    assert list(memory_keyring.entries.values()) == ["new-pw"]
    (snapshot,) = mail.get_configs()
    assert (snapshot.id, snapshot.get("password")) == (nightly.id, "new-pw")


def test_replace_keeps_a_secret_stored_without_a_keyring(manager, mail, no_keyring):
    nightly = make(mail, "nightly")
    (replaced,) = import_configs(
        manager, document(item("nightly", hour=5)), on_same_name="replace"
    )
    assert (replaced.id, replaced.enabled) == (nightly.id, True)
    stored = manager.store.get_config(nightly.id)
    assert stored.settings["password"] == "old-pw"
    assert stored.settings["hour"] == 5


def test_an_export_imported_with_replace_changes_nothing_but_revisions(
    manager, mail, memory_keyring
):
    one, two = make(mail, "one"), make(mail, "two", hour=4)
    text = export_configs(manager, manager.get_integration_configs(mail))
    saved = import_configs(manager, text, on_same_name="replace")
    assert sorted(c.id for c in saved) == sorted([one.id, two.id])
    after = {c.id: c for c in manager.get_integration_configs(mail)}
    assert set(after) == {one.id, two.id}
    assert after[two.id].settings == two.settings
    assert after[one.id].enabled and after[two.id].enabled


def test_a_bad_item_anywhere_leaves_everything_as_it_was(manager, mail, memory_keyring):
    make(mail, "nightly")
    before = rows(manager)
    keyring_before = dict(memory_keyring.entries)
    text = document(item("nightly", hour=5), item("new"), item("broken", hour=99))
    with pytest.raises(ValidationError) as info:
        import_configs(manager, text, on_same_name="replace")
    assert "Configuration 3 ('broken')" in " ".join(info.value.messages)
    assert rows(manager) == before
    assert memory_keyring.entries == keyring_before
    assert mail.get_configs()[0].get("hour") == 1


def test_a_store_failure_midway_leaves_everything_as_it_was(
    manager, mail, memory_keyring
):
    make(mail, "nightly")
    before = rows(manager)
    keyring_before = dict(memory_keyring.entries)
    # A real failure in the one transaction, after the update went in.
    raw = sqlite3.connect(manager.store.path)
    raw.execute(
        "CREATE TRIGGER fail_new BEFORE INSERT ON configs "
        "WHEN NEW.name = 'new' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    raw.commit()
    raw.close()
    text = document(item("nightly", password="pw2"), item("new", password="pw3"))
    with pytest.raises(StoreError):
        import_configs(manager, text, on_same_name="replace")
    assert rows(manager) == before
    assert memory_keyring.entries == keyring_before


def test_the_oldest_same_named_configurations_are_replaced_first(manager, mail):
    first = make(mail, "dup", hour=1)
    second = make(mail, "dup", hour=2)
    (replaced,) = import_configs(
        manager, document(item("dup", hour=10)), on_same_name="replace"
    )
    assert replaced.id == first.id
    assert manager.get_config(second.id).settings["hour"] == 2

    saved = import_configs(
        manager,
        document(item("dup", hour=20), item("dup", hour=21), item("dup", hour=22)),
        on_same_name="replace",
    )
    assert [c.id for c in saved[:2]] == [first.id, second.id]
    assert saved[2].id not in (first.id, second.id)
    hours = sorted(c.settings["hour"] for c in manager.get_integration_configs(mail))
    assert hours == [20, 21, 22]


def test_oldest_means_added_first_not_lowest_id(manager, mail):
    low, high = make(mail, "dup", hour=1), make(mail, "dup", hour=2)
    # The one with the higher id was added first (say, it came back with
    # Undo, or from another machine's database).
    raw = sqlite3.connect(manager.store.path)
    raw.execute(
        "UPDATE configs SET time_added = '2020-01-01 00:00:00.000000' WHERE id = ?",
        (high.id,),
    )
    raw.commit()
    raw.close()
    (replaced,) = import_configs(
        manager, document(item("dup", hour=10)), on_same_name="replace"
    )
    assert replaced.id == high.id
    assert manager.get_config(low.id).settings["hour"] == 1


def test_names_match_exactly(manager, mail):
    make(mail, "Nightly")
    plan = plan_import(manager, document(item("nightly")), on_same_name="replace")
    assert (len(plan.added), plan.replaced) == (1, [])


def test_a_configuration_changed_meanwhile_fails_the_whole_import(
    manager, mail, memory_keyring
):
    nightly = make(mail, "nightly")
    plan = plan_import(
        manager,
        document(item("nightly", hour=5), item("new", password="pw-new")),
        on_same_name="replace",
    )
    assert plan.summary() == "1 added, 1 replaced"
    edited = manager.get_config(nightly.id)
    edited.set("hour", 12)
    edited.save()  # another window saves in between
    before = rows(manager)
    keyring_before = dict(memory_keyring.entries)

    with pytest.raises(ImportConflictError) as info:
        apply_import(manager, plan)

    assert info.value.config_id == nightly.id and not info.value.deleted
    assert "'nightly' was changed elsewhere" in str(info.value)
    assert "import the file again" in str(info.value)
    assert rows(manager) == before
    assert memory_keyring.entries == keyring_before


def test_a_configuration_deleted_meanwhile_fails_the_whole_import(manager, mail):
    nightly = make(mail, "nightly")
    plan = plan_import(
        manager, document(item("nightly"), item("new")), on_same_name="replace"
    )
    manager.delete_config(nightly.id)
    with pytest.raises(ImportConflictError) as info:
        apply_import(manager, plan)
    assert info.value.deleted
    assert "'nightly' was deleted elsewhere" in str(info.value)
    assert rows(manager) == []


def test_a_replacing_import_is_one_change_for_listeners(manager, mail):
    make(mail, "nightly")
    seen = []

    def note(signal):
        def receiver(sender, **kwargs):
            seen.append(signal)

        return receiver

    updated, reloaded = note("updated"), note("reloaded")
    config_updated.connect(updated)
    configs_reloaded.connect(reloaded)
    try:
        import_configs(
            manager, document(item("nightly"), item("new")), on_same_name="replace"
        )
    finally:
        config_updated.disconnect(updated)
        configs_reloaded.disconnect(reloaded)
    assert seen == ["reloaded"]


def test_skip_existing_is_the_skip_choice(manager, mail):
    make(mail, "nightly")
    text = document(item("nightly"), item("new"))
    assert plan_import(manager, text, on_same_name="skip").summary() == (
        "1 added, 1 skipped"
    )
    (added,) = import_configs(manager, text, skip_existing=True)
    assert added.name == "new"
    with pytest.raises(ValueError, match="on_same_name"):
        plan_import(manager, text, on_same_name="merge")  # type: ignore[arg-type]


def test_a_name_that_is_not_text_is_refused_not_a_crash(manager, mail):
    make(mail, "nightly")
    text = document(item("nightly"), {**item("x"), "name": ["a", "list"]})
    assert same_named(manager, text) == ["nightly"]
    with pytest.raises(ValidationError):
        import_configs(manager, text, on_same_name="replace")
    with pytest.raises(ValidationError):
        import_configs(manager, text, on_same_name="skip")


def test_the_store_updates_and_inserts_in_one_transaction(manager):
    store = manager.store
    stored = store.save_config(ConfigRecord("x", name="a", settings={"n": 1}))
    changed = ConfigRecord("x", name="a", settings={"n": 2}, id=stored.id, revision=1)
    (updated,), batch = store.update_and_insert(
        [changed], [ConfigRecord("x", name="b")]
    )
    assert (updated.revision, dict(updated.settings)) == (2, {"n": 2})
    assert [r.name for r in store.list_configs()] == ["a", "b"]
    assert len(batch) == 1
    # A stale update fails it all, inserts included.
    with pytest.raises(StoreError):
        store.update_and_insert([changed], [ConfigRecord("x", name="c")])
    assert [r.name for r in store.list_configs()] == ["a", "b"]
    with pytest.raises(StoreError, match="no id"):
        store.update_and_insert([ConfigRecord("x", name="d")], [])
