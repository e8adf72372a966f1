"""The djblets and Django forms API that real integrations use, without Qt.

Each test is a habit of Review Board's integrations (rbintegrations):
constructor arguments, error lists, prefixes, KeyValueForm hooks, widgets.
"""

from __future__ import annotations

import logging
import math
from urllib.error import URLError

import pytest

from desktop_app import forms
from desktop_app.errors import FormDefinitionError
from desktop_app.extension import Extension
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration
from desktop_app.log import log_timed
from tests._support.ci_plugin import GOOD_TOKEN, build_server, ci_plugin


class TagsForm(IntegrationConfigForm):
    url = forms.URLField()
    tags = forms.CharField(required=False)
    note = forms.CharField(required=False)
    count = forms.IntegerField(required=False)

    class Meta:
        save_blacklist = ("note",)

    def deserialize_tags_field(self, value):
        return " ".join(value)

    def serialize_tags_field(self, value):
        return value.split()


class TagsIntegration(Integration):
    name = "Tags"
    config_form_cls = TagsForm
    default_settings = {"tags": ["a", "b"]}

    def initialize(self):
        pass


@pytest.fixture
def tags(manager):
    return manager.register_integration_class(TagsIntegration)


VALID = {"name": "T", "enabled": True, "url": "https://x.example/", "tags": "x y"}


# The constructor ------------------------------------------------------------


def test_review_board_signature_with_request_and_instance(tags):
    config = TagsForm(tags, data=VALID).save()

    form = TagsForm(tags, None, dict(VALID, tags="z"), None, config)

    assert form.request is None
    assert form.instance is config
    assert form.config is config
    assert form.is_valid()
    assert form.save().settings["tags"] == ["z"]


def test_keywords_and_djblets_positional_data_mean_the_same(tags):
    config = TagsForm(tags, VALID).save()
    by_keyword = TagsForm(tags, request=None, data=VALID, instance=config)
    positional = TagsForm(tags, VALID, config=config)
    assert by_keyword.data == positional.data == VALID
    assert by_keyword.instance is positional.instance is config


def test_instance_and_config_naming_two_objects_is_refused(tags):
    one = TagsForm(tags, VALID).save()
    two = TagsForm(tags, dict(VALID, name="U")).save()
    with pytest.raises(TypeError, match="instance= or config="):
        TagsForm(tags, instance=one, config=two)


# Errors -----------------------------------------------------------------------


class CheckingForm(forms.Form):
    url = forms.URLField()
    token = forms.CharField(required=False)

    def clean(self):
        cleaned = super().clean()
        if self._errors:
            return cleaned
        self._errors["url"] = self.error_class([URLError("refused")])
        self.add_error("token", ValueError("bad token"))
        self.add_error(None, {"token": ["also this"], "__all__": "whole form"})
        return cleaned


def test_errors_of_any_type_become_text():
    form = CheckingForm({"url": "https://x.example/"})
    assert not form.is_valid()
    assert form.errors == {
        "url": ["<urlopen error refused>"],
        "token": ["bad token", "also this"],
        "__all__": ["whole form"],
    }
    assert isinstance(form.errors["url"], forms.ErrorList)
    assert str(form.errors["token"]) == "bad token\nalso this"


def test_add_error_with_a_dict_needs_field_none():
    form = CheckingForm({"url": "https://x.example/"})
    with pytest.raises(TypeError):
        form.add_error("url", {"token": "x"})


def test_repr_does_not_run_validation():
    calls = []

    class CountingForm(forms.Form):
        a = forms.CharField()

        def clean(self):
            calls.append(1)
            return super().clean()

    form = CountingForm({"a": "x"})
    assert "valid=unknown" in repr(form)
    assert calls == []
    assert form.is_valid()
    assert "valid=True" in repr(form)
    assert calls == [1]


# changed_data and prefix ------------------------------------------------------


def test_changed_data_compares_converted_values(tags):
    config = TagsForm(tags, dict(VALID, count=3)).save()
    same = TagsForm(tags, dict(VALID, count="3", tags="x y", note=""), instance=config)
    assert same.changed_data == []
    assert not same.has_changed()
    changed = TagsForm(tags, dict(VALID, count="4", name="New"), instance=config)
    assert changed.changed_data == ["name", "count"]
    assert changed.has_changed()
    assert TagsForm(tags).changed_data == []


def test_prefix_reads_prefixed_keys():
    class Pair(forms.Form):
        a = forms.CharField()

    form = Pair({"one-a": "first", "a": "bare"}, prefix="one")
    assert form.add_prefix("a") == "one-a"
    assert form.is_valid()
    assert form.cleaned_data == {"a": "first"}

    class Prefixed(forms.Form):
        prefix = "two"
        a = forms.CharField()

    assert Prefixed({"two-a": "second"}).cleaned_data == {"a": "second"}
    assert not Prefixed({"a": "bare"}).is_valid()


# KeyValueForm hooks ----------------------------------------------------------


def test_deserialize_applies_to_defaults_and_stored_values(tags):
    assert TagsForm(tags).initial["tags"] == "a b"
    config = TagsForm(tags, dict(VALID, tags="p q")).save()
    assert config.settings["tags"] == ["p", "q"]
    stored = tags.integration_mgr.get_config(config.id)
    assert TagsForm(tags, instance=stored).initial["tags"] == "p q"


def test_save_blacklist_leaves_stored_value_alone(tags):
    config = TagsForm(tags, VALID).save()
    config.set("note", "kept")
    config.save()
    form = TagsForm(tags, dict(VALID, note="typed"), instance=config)
    assert form.initial["note"] is None  # the load blacklist follows it
    assert form.save().settings["note"] == "kept"


def test_save_without_commit_fills_the_instance_only(tags):
    form = TagsForm(tags, VALID)
    config = form.save(commit=False)
    assert config.id is None
    assert config.settings["tags"] == ["x", "y"]
    assert form.instance is config


def test_initial_argument_wins_over_stored_values(tags):
    config = TagsForm(tags, VALID).save()
    form = TagsForm(tags, instance=config, initial={"url": "https://given.example/"})
    assert form.initial["url"] == "https://given.example/"


class DisablingForm(IntegrationConfigForm):
    level = forms.IntegerField(initial=1)

    def load(self):
        self.disabled_fields = {"level": True}
        self.disabled_reasons = {"level": "Needs a newer host."}
        super().load()


class DisablingIntegration(Integration):
    name = "Disabling"
    config_form_cls = DisablingForm

    def initialize(self):
        pass


def test_disabled_field_keeps_its_value_whatever_is_submitted(manager):
    integration = manager.register_integration_class(DisablingIntegration)
    form = DisablingForm(integration, {"name": "D", "level": "7"})
    assert form.is_disabled("level")
    assert form.disabled_reason("level") == "Needs a newer host."
    assert form.save().settings["level"] == 1


def test_basic_info_fieldset_can_be_overridden():
    class Renamed(IntegrationConfigForm):
        url = forms.URLField()
        basic_info_fieldset = (
            "General",
            {"fields": ("name", "enabled", "url"), "description": "Say what."},
        )

    first = Renamed.fieldsets[0]
    assert (first.title, first.description, first.fields) == (
        "General",
        "Say what.",
        ("name", "enabled", "url", "local_site"),  # Review Board's, hidden
    )
    assert len(Renamed.fieldsets) == 1


def test_basic_info_fieldset_naming_an_unknown_field_fails_at_definition():
    with pytest.raises(FormDefinitionError, match="nope"):

        class Broken(IntegrationConfigForm):
            basic_info_fieldset = (None, {"fields": ("name", "nope")})


# Widgets -------------------------------------------------------------------------


def test_widgets_module_names_the_same_classes():
    assert forms.widgets.TextInput is forms.TextInput
    assert forms.widgets.HiddenInput is forms.HiddenInput
    for name in forms.widgets.__all__:
        assert getattr(forms, name) is getattr(forms.widgets, name)


def test_amount_selector_picks_the_largest_even_unit():
    widget = forms.widgets.AmountSelectorWidget(
        unit_choices=[(1, "seconds"), (60, "minutes"), (3600, "hours"), (None, "Never")]
    )
    assert widget.decompress(7200) == (2, 3600)
    assert widget.decompress(90) == (90, 1)
    assert widget.decompress(None) == (None, None)
    assert widget.compress(5, 60) == 300
    assert widget.compress(5, None) is None


def test_amount_selector_refuses_bad_units():
    with pytest.raises(ValueError, match="positive whole number"):
        forms.widgets.AmountSelectorWidget(unit_choices=[(0, "zero")])
    with pytest.raises(ValueError):
        forms.widgets.AmountSelectorWidget(unit_choices=[])


# Utilities beside the framework ----------------------------------------------------


def test_log_timed_logs_begin_end_and_level_by_time_taken(caplog):
    log = logging.getLogger("test.timed")
    with caplog.at_level(logging.DEBUG, logger="test.timed"):
        with log_timed("Quick", logger=log, warning_at=math.inf, critical_at=math.inf):
            pass
        with log_timed("Slow", logger=log, warning_at=0, critical_at=math.inf) as t:
            pass
        log_timed("Very slow", logger=log, warning_at=0, critical_at=0).done()
    levels = [(r.levelname, r.getMessage().split("] ", 1)[1]) for r in caplog.records]
    assert levels[:3] == [("DEBUG", "Begin: Quick"), ("DEBUG", "End: Quick")] + [
        ("DEBUG", levels[2][1])
    ]
    assert levels[2][1].startswith("Quick took ")
    assert levels[5][0] == "WARNING" and levels[5][1].startswith("Slow took ")
    assert levels[8][0] == "CRITICAL"
    assert all(r.trace_id for r in caplog.records)
    assert caplog.records[3].trace_id == t.trace_id


def test_translation_and_json_type_names_import_as_in_django():
    from desktop_app.translation import gettext_lazy as _
    from desktop_app.translation import ugettext
    from desktop_app.typing import JSONDict, StrOrPromise

    assert _("Build server") == ugettext("Build server") == "Build server"
    payload: JSONDict = {"builds": [1, {"ok": True}]}
    label: StrOrPromise = _("Jobs")
    assert (payload["builds"], label) == ([1, {"ok": True}], "Jobs")


def test_extension_bundle_id_is_a_harmless_name():
    class Builds(Extension):
        pass

    assert Builds().get_bundle_id("config") == f"{Builds.id}-config"


# The CI-style plugin, without a window ----------------------------------------------


def test_ci_style_plugin_validates_against_its_server(manager, tmp_path):
    with (
        ci_plugin(manager, tmp_path) as (integration, _module),
        build_server() as (
            url,
            tokens,
        ),
    ):
        form_cls = integration.config_form_cls
        data = {
            "name": "Core builds",
            "enabled": True,
            "server_url": url,
            "api_token": "wrong",
            "job_name": "core",
            "branches": "main, stable",
            "poll_interval": 300,
        }
        refused = form_cls(integration, None, data)
        assert refused.errors == {
            "api_token": ["Unable to authenticate with this API token."]
        }
        accepted = form_cls(integration, None, dict(data, api_token=GOOD_TOKEN))
        config = accepted.save()
        assert tokens == ["wrong", GOOD_TOKEN]
    settings = manager.get_config(config.id).settings
    assert settings["branches"] == ["main", "stable"]
    assert settings["checked_as"] == "builder"
    assert "last_check" not in settings
