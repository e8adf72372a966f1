"""IntegrationConfigForm against a fake integration.

The fake stands in for ``desktop_app.integration.Integration`` until it
lands; these tests should later run against the real manager and store.
"""

from __future__ import annotations

import pytest

from desktop_app import forms
from desktop_app.config import IntegrationConfig
from desktop_app.errors import StoreError
from desktop_app.forms import Fieldset, IntegrationConfigForm, ValidationError

BASIC_DESCRIPTION = (
    "Start by giving this configuration a name so you can easily identify it "
    "later. You can also mark this configuration as enabled or disabled."
)


class RecordingConfig(IntegrationConfig):
    """An IntegrationConfig whose save() is observable (and can fail)."""

    __slots__ = ("saved", "fail_with")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved = []
        self.fail_with = None

    def save(self):
        if self.fail_with is not None:
            raise self.fail_with
        self.saved.append((self.name, self.enabled, dict(self.settings)))
        return self


class FakeIntegration:
    name = "My Integration"
    integration_id = "tests.MyIntegration"
    default_settings = {
        "endpoint_url": "https://example.com/endpoint/",
        "client_id": "abc123",
    }

    def __init__(self):
        self.created = []

    def create_config(self, save=False, **kwargs):
        config = RecordingConfig(self.integration_id, **kwargs)
        self.created.append(config)
        return config


# The reference document's example, verbatim but for the imports.
class MyIntegrationConfigForm(IntegrationConfigForm):
    endpoint_url = forms.CharField(label="Endpoint URL", required=True)
    client_id = forms.CharField(label="Client ID", required=True)

    class Meta:
        fieldsets = (
            (
                None,
                {
                    "description": (
                        "Some useful instructions for the integration. This "
                        "is a good place to tell them what info to gather "
                        "from another service."
                    ),
                    "fields": ("endpoint_url", "client_id"),
                },
            ),
        )


class SecretForm(IntegrationConfigForm):
    token = forms.PasswordField(label="API token")


@pytest.fixture
def integration():
    return FakeIntegration()


def stored_config(**settings):
    return RecordingConfig(
        "tests.MyIntegration", id=7, name="Old", enabled=False, settings=settings
    )


VALID = {
    "name": "Production",
    "enabled": True,
    "endpoint_url": "https://api.example.com/",
    "client_id": "xyz",
}


# --- fieldsets --------------------------------------------------------------


def test_basic_info_fieldset_comes_first():
    assert MyIntegrationConfigForm.fieldsets[0] == Fieldset(
        "Basic Information", BASIC_DESCRIPTION, ("name", "enabled", "local_site"), ()
    )
    assert MyIntegrationConfigForm.fieldsets[1].fields == ("endpoint_url", "client_id")
    assert len(MyIntegrationConfigForm.fieldsets) == 2


def test_base_form_has_only_the_basic_info_fieldset():
    # With Review Board's hidden local_site (it shows no row).
    assert [fs.fields for fs in IntegrationConfigForm.fieldsets] == [
        ("name", "enabled", "local_site")
    ]


def test_form_without_meta_puts_its_fields_in_a_trailing_fieldset():
    class NoMeta(IntegrationConfigForm):
        endpoint_url = forms.CharField(label="Endpoint URL", required=True)

    assert [(fs.title, fs.fields) for fs in NoMeta.fieldsets] == [
        ("Basic Information", ("name", "enabled", "local_site")),
        (None, ("endpoint_url",)),
    ]


def test_unnamed_fields_trail_after_meta_fieldsets():
    class Extra(MyIntegrationConfigForm):
        timeout = forms.IntegerField(required=False)

    assert Extra.fieldsets[-1] == Fieldset(None, "", ("timeout",), ())


def test_meta_naming_basic_fields_does_not_duplicate_them():
    class OwnLayout(MyIntegrationConfigForm):
        class Meta:
            fieldsets = (("Everything", {"fields": ("enabled", "endpoint_url")}),)

    assert [(fs.title, fs.fields) for fs in OwnLayout.fieldsets] == [
        ("Basic Information", ("name", "local_site")),
        ("Everything", ("enabled", "endpoint_url")),
        (None, ("client_id",)),
    ]


def test_fieldsets_are_fixed_at_class_definition(integration):
    before = MyIntegrationConfigForm.fieldsets
    MyIntegrationConfigForm(integration, config=stored_config())
    MyIntegrationConfigForm(integration, VALID)
    assert MyIntegrationConfigForm.fieldsets is before


def test_basic_fields_metadata():
    name = IntegrationConfigForm.base_fields["name"]
    enabled = IntegrationConfigForm.base_fields["enabled"]
    assert (name.label, name.max_length, name.required) == ("Name", 255, True)
    assert (enabled.label, enabled.required, enabled.initial) == (
        "Enabled",
        False,
        True,
    )


# --- initial values ---------------------------------------------------------


def test_new_config_initials_come_from_defaults_then_fields(integration):
    form = MyIntegrationConfigForm(integration)
    assert form.integration is integration
    assert form.config is None
    assert form.initial == {
        "name": "My Integration",  # a new config suggests the integration's name
        "enabled": True,
        "endpoint_url": "https://example.com/endpoint/",
        "client_id": "abc123",
    }


def test_existing_config_initials_come_from_the_config(integration):
    config = stored_config(client_id="stored")
    form = MyIntegrationConfigForm(integration, config=config)
    assert form.config is config
    assert form.get_initial_for_field("name") == "Old"
    assert form.get_initial_for_field("enabled") is False
    assert form.get_initial_for_field("client_id") == "stored"
    assert form.get_initial_for_field("endpoint_url") == (
        "https://example.com/endpoint/"
    )


# --- saving -----------------------------------------------------------------


def test_save_creates_a_config_with_every_cleaned_field(integration):
    form = MyIntegrationConfigForm(integration, VALID)
    config = form.save()
    assert integration.created == [config]
    assert config.saved == [
        (
            "Production",
            True,
            {"endpoint_url": "https://api.example.com/", "client_id": "xyz"},
        )
    ]
    assert form.config is config


def test_save_updates_an_existing_config_with_a_new_settings_dict(integration):
    config = stored_config(client_id="old", unrelated="kept")
    old_settings = config.settings
    form = MyIntegrationConfigForm(integration, VALID, config=config)
    assert form.save() is config
    assert integration.created == []
    assert config.settings == {
        "client_id": "xyz",
        "endpoint_url": "https://api.example.com/",
        "unrelated": "kept",
    }
    assert config.settings is not old_settings
    assert old_settings == {"client_id": "old", "unrelated": "kept"}
    assert (config.name, config.enabled) == ("Production", True)


def test_invalid_form_saves_nothing(integration):
    config = stored_config(client_id="old")
    form = MyIntegrationConfigForm(
        integration, {**VALID, "endpoint_url": ""}, config=config
    )
    with pytest.raises(ValidationError) as info:
        form.save()
    assert info.value.messages == ["Endpoint URL: This field is required."]
    assert config.saved == []
    assert (config.name, config.settings) == ("Old", {"client_id": "old"})
    assert integration.created == []


def test_unbound_form_cannot_save(integration):
    with pytest.raises(ValidationError):
        MyIntegrationConfigForm(integration).save()
    assert integration.created == []


def test_failed_store_leaves_the_config_unchanged(integration):
    config = stored_config(client_id="old")
    config.fail_with = StoreError("disk full")
    old_settings = config.settings
    form = MyIntegrationConfigForm(integration, VALID, config=config)
    with pytest.raises(StoreError):
        form.save()
    assert (config.name, config.enabled) == ("Old", False)
    assert config.settings is old_settings
    assert old_settings == {"client_id": "old"}


def test_enabled_is_optional_and_missing_means_disabled(integration):
    data = {k: v for k, v in VALID.items() if k != "enabled"}
    config = MyIntegrationConfigForm(integration, data).save()
    assert config.enabled is False


def test_string_data_from_a_command_line_is_cleaned(integration):
    class Typed(IntegrationConfigForm):
        retries = forms.IntegerField()

    form = Typed(integration, {"name": "cli", "enabled": "off", "retries": "3"})
    config = form.save()
    assert (config.enabled, config.settings) == (False, {"retries": 3})


# --- secrets ----------------------------------------------------------------


def test_stored_secret_is_never_an_initial_value(integration):
    config = stored_config(token="s3cret")
    form = SecretForm(integration, config=config)
    assert form.has_stored_secret("token")
    assert form.get_initial_for_field("token") == ""
    assert "s3cret" not in repr(form.initial)


def test_empty_password_keeps_the_stored_secret(integration):
    config = stored_config(token="s3cret")
    form = SecretForm(integration, {"name": "x", "token": ""}, config=config)
    assert form.is_valid(), form.errors
    form.save()
    assert config.settings["token"] == "s3cret"


def test_new_password_replaces_the_stored_secret(integration):
    config = stored_config(token="s3cret")
    SecretForm(integration, {"name": "x", "token": "new"}, config=config).save()
    assert config.settings["token"] == "new"


def test_empty_password_without_a_stored_secret_is_required(integration):
    form = SecretForm(integration, {"name": "x"}, config=stored_config())
    assert not form.has_stored_secret("token")
    assert form.errors == {"token": ["This field is required."]}


def test_save_error_messages_never_contain_the_secret(integration):
    class Short(IntegrationConfigForm):
        token = forms.PasswordField(max_length=3)

    form = Short(integration, {"name": "x", "token": "s3cret-token"})
    with pytest.raises(ValidationError) as info:
        form.save()
    assert "s3cret-token" not in str(info.value)
