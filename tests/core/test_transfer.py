"""Export without secrets; import all-or-nothing, validated like the dialog."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app import forms
from desktop_app._transfer import (
    FORMAT,
    export_configs,
    import_configs,
    missing_secrets,
)
from desktop_app.errors import StoreError
from desktop_app.forms import IntegrationConfigForm, ValidationError
from desktop_app.integration import Integration
from desktop_app.signals import config_created, configs_reloaded


class MailForm(IntegrationConfigForm):
    to = forms.EmailField()
    hour = forms.IntegerField(min_value=0, max_value=23)
    color = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")])
    password = forms.PasswordField()


class Mail(Integration):
    integration_id = "tests.transfer.Mail"
    config_form_cls = MailForm

    def initialize(self):
        pass


GOOD = {"to": "ops@example.com", "hour": 3, "color": "red", "password": "hunter22"}


def document(*configs):
    return json.dumps({"format": FORMAT, "version": 1, "configs": list(configs)})


def item(name="nightly", **settings):
    values = {k: v for k, v in GOOD.items() if k != "password"}
    values.update(settings)
    return {
        "integration_id": Mail.integration_id,
        "name": name,
        "enabled": True,
        "settings": values,
    }


def snapshot(manager):
    return [
        (c.id, c.name, c.enabled, c.settings, c.revision)
        for c in manager.store.list_configs()
    ]


@pytest.fixture
def mail(manager):
    return manager.register_integration_class(Mail)


def test_export_strips_secrets_and_round_trips(manager, mail):
    config = mail.create_config(name="a", enabled=True, settings=GOOD, save=True)
    text = export_configs(manager, [config])
    assert "hunter22" not in text
    data = json.loads(text)
    assert data["format"] == FORMAT and data["version"] == 1
    assert data["configs"] == [item("a")]
    (imported,) = import_configs(manager, text)
    assert imported.id != config.id
    # The secret is left empty for the user to fill in.
    assert imported.settings == {**GOOD, "password": ""}
    # It needs that secret, so it waits disabled until it is given.
    assert (imported.name, imported.enabled) == ("a", False)
    assert missing_secrets(mail, imported) == ["Password"]
    assert missing_secrets(mail, config) == []


def test_bad_value_names_config_and_field_and_saves_nothing(manager, mail):
    before = snapshot(manager)
    text = document(item("fine"), item("broken", hour=99))
    with pytest.raises(ValidationError) as info:
        import_configs(manager, text)
    message = " ".join(info.value.messages)
    assert "Configuration 2 ('broken')" in message and "Hour" in message
    assert snapshot(manager) == before


def test_each_item_is_checked_on_its_own(manager, mail):
    # One form checks every item of an integration: nothing of an earlier
    # item (its values, a secret it lacked) may carry over to the next.
    incomplete = item("second")
    del incomplete["settings"]["color"]
    with pytest.raises(ValidationError) as info:
        import_configs(manager, document(item("first", password="pw"), incomplete))
    assert info.value.messages == [
        "Configuration 2 ('second'): Color: This field is required."
    ]
    assert snapshot(manager) == []
    first, second = import_configs(
        manager, document(item("first"), item("second", password="pw"))
    )
    assert (first.settings["password"], second.settings["password"]) == ("", "pw")


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        json.dumps({"format": "other", "version": 1, "configs": []}),
        json.dumps({"format": FORMAT, "version": 2, "configs": []}),
        json.dumps({"format": FORMAT, "version": 1, "configs": {}}),
        document("x"),
        document({"integration_id": "nope", "name": "x", "settings": {}}),
        document({**item(), "extra": 1}),
        document({**item(), "settings": []}),
        '{"format": "desktop-app-configs", "version": 1, "configs": [NaN]}',
    ],
)
def test_malformed_documents_are_validation_errors(manager, mail, text):
    with pytest.raises(ValidationError):
        import_configs(manager, text)
    assert snapshot(manager) == []


def test_failure_midway_stores_nothing_and_deletes_new_secrets(
    manager, mail, memory_keyring
):
    # A real failure inside the one INSERT transaction: SQLite aborts the
    # third row, after the first two went in.
    raw = sqlite3.connect(manager.store.path)
    raw.execute(
        "CREATE TRIGGER fail_three BEFORE INSERT ON configs "
        "WHEN NEW.name = 'three' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    raw.commit()
    raw.close()
    text = document(
        item("one", password="pw-one"),
        item("two", password="pw-two"),
        item("three", password="pw-three"),
    )
    with pytest.raises(StoreError):
        import_configs(manager, text)
    assert snapshot(manager) == []
    assert memory_keyring.entries == {}


def test_import_is_one_change_for_listeners(manager, mail, memory_keyring):
    seen = []

    def on_created(sender, **kwargs):
        seen.append("created")

    def on_reloaded(sender, **kwargs):
        seen.append("reloaded")

    config_created.connect(on_created)
    configs_reloaded.connect(on_reloaded)
    try:
        imported = import_configs(
            manager,
            document(*(item(f"c{i}", password=f"pw{i}") for i in range(50))),
        )
    finally:
        config_created.disconnect(on_created)
        configs_reloaded.disconnect(on_reloaded)
    assert seen == ["reloaded"]
    assert [c.name for c in imported] == [f"c{i}" for i in range(50)]
    assert manager.count_configs()[Mail.integration_id] == (50, 50)
    assert mail.enabled
    assert len(mail.get_configs()) == 50
    # Secrets went to the keyring; the objects returned keep clear values.
    assert imported[7].settings["password"] == "pw7"
    assert "pw7" not in json.dumps([c.settings for c in manager.store.list_configs()])
    assert len(memory_keyring.entries) == 50


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=json_values,
    enabled=json_values,
    hour=json_values,
    to=json_values,
    color=json_values,
    password=json_values,
    junk=st.dictionaries(st.text(max_size=8), json_values, max_size=2),
)
def test_hand_edited_imports_fail_only_with_validation_error(
    manager, mail, name, enabled, hour, to, color, password, junk
):
    before = snapshot(manager)
    settings_ = {"hour": hour, "to": to, "color": color, "password": password, **junk}
    text = document(
        item("good"),
        {
            "integration_id": Mail.integration_id,
            "name": name,
            "enabled": enabled,
            "settings": settings_,
        },
    )
    try:
        saved = import_configs(manager, text)
    except ValidationError:
        assert snapshot(manager) == before
    else:
        assert len(saved) == 2
        for config in saved:
            manager.delete_config(config)
