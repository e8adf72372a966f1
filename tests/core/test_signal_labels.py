"""Signals a person understands: labels, groups and the internal flag."""

from __future__ import annotations

import pytest

from desktop_app import signals
from desktop_app.signals import define_signal, get_signal_info, unregister_signal


@pytest.fixture
def defined():
    names = []

    def define(name, **kwargs):
        names.append(name)
        return define_signal(name, **kwargs)

    yield define
    for name in names:
        unregister_signal(name)


def test_a_signal_without_a_label_gets_one_from_its_name(defined):
    defined("myapp.review_published", module="myapp.signals")
    info = get_signal_info("myapp.review_published")
    assert info.label == "Review published"
    assert info.group == "Myapp"
    assert info.internal is False


def test_label_group_and_internal_are_kept_as_given(defined):
    defined(
        "ci.build_failed",
        description="A build failed.",
        label="Build failed",
        group="Continuous integration",
        internal=True,
        module="ci_plugin",
    )
    info = get_signal_info("ci.build_failed")
    assert (info.label, info.group, info.internal) == (
        "Build failed",
        "Continuous integration",
        True,
    )


def test_a_later_definition_fills_in_what_the_first_left_out(defined):
    defined("x.thing_done", module="x")
    defined("x.thing_done", label="Thing finished", description="Done.")
    info = get_signal_info("x.thing_done")
    assert (info.label, info.description, info.group) == (
        "Thing finished",
        "Done.",
        "X",
    )


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("a.b.some_thing", "Some thing"),
        ("plain", "Plain"),
        ("camel.buildFailed", "Build failed"),
        ("acronym.CI_done", "CI done"),
        ("dash.file-saved", "File saved"),
    ],
)
def test_labels_from_names_read_as_words(name, label):
    assert signals.label_from_name(name) == label


def test_folder_plugins_are_grouped_by_their_own_name():
    assert signals.signal_group_for("desktop_app_plugins.s0123456789.team_chat") == (
        "Team chat"
    )
    assert signals.signal_group_for("integrations.webhook") == "Webhook"
    assert signals.signal_group_for("desktop_app.signals") == "This app"


def test_the_apps_life_cycle_signals_are_internal_and_grouped():
    infos = {info.name: info for info in signals.get_signal_infos()}
    for name in (
        "desktop_app.app_started",
        "desktop_app.app_stopping",
        "desktop_app.integration_enabled",
        "desktop_app.integration_disabled",
    ):
        assert infos[name].internal, name
        assert infos[name].group == "This app"
    for name in (
        "desktop_app.config_created",
        "desktop_app.config_updated",
        "desktop_app.config_deleted",
        "desktop_app.configs_reloaded",
    ):
        assert infos[name].internal, name
        assert infos[name].group == "Configurations"
    test_event = infos["desktop_app.test_event"]
    assert (test_event.label, test_event.internal) == ("Test event", False)
    assert infos["desktop_app.config_deleted"].label == "Configuration deleted"


def test_pickers_list_the_app_first_then_configurations_then_plugins(defined):
    defined("zzz.alpha", module="aaa_plugin")
    ordered = sorted(signals.get_signal_infos(), key=signals.display_order)
    groups = [info.group for info in ordered]
    assert groups.index("Configurations") > groups.index("This app")
    assert groups.index("Aaa plugin") > groups.index("Configurations")


def test_the_events_field_shows_label_and_description_on_two_lines():
    from integrations._common import signal_choices

    groups = dict(signal_choices())
    assert list(groups)[:2] == ["This app", "Configurations"]
    choices = dict(groups["This app"])
    assert choices["desktop_app.test_event"] == (
        "Test event\nA test event you can send by hand to check your integrations."
    )
    assert "desktop_app.config_deleted" in dict(groups["Configurations"])


def test_grouped_choices_validate_like_flat_ones():
    from desktop_app import forms

    field = forms.MultipleChoiceField(
        choices=[("Audio", [("vinyl", "Vinyl"), ("cd", "CD")]), ("other", "Other")]
    )
    assert field.choices == [("vinyl", "Vinyl"), ("cd", "CD"), ("other", "Other")]
    assert field.grouped_choices == [
        ("Audio", [("vinyl", "Vinyl"), ("cd", "CD")]),
        (None, [("other", "Other")]),
    ]
    assert field.clean(["cd", "other"]) == ["cd", "other"]
