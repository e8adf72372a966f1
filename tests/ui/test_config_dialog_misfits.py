"""Stored values that no longer fit the form (a plugin turned a text field
into a number, or dropped a choice) open anyway: the field shows empty,
a message names the stored value, and the value stays stored until the
user saves."""

from __future__ import annotations

from tests._support.config_dialog_driving import click_ok, open_dialog
from tests._support.sample_integrations import valid_settings


def _stored(manager, sample, **settings):
    config = sample.create_config(
        name="Old", settings=valid_settings(**settings), save=True
    )
    return manager.get_config(config.id)


def test_values_of_another_type_open_empty_with_a_message(qtbot, manager, sample):
    config = _stored(
        manager, sample, timeout="soon", level="verbose", channels=["a", "zz"]
    )

    dialog = open_dialog(qtbot, sample, config)

    assert dialog.editor("timeout").value() is None
    assert dialog.editor("level").value() == ""
    assert dialog.editor("channels").value() == []
    errors = dialog.field_errors()
    assert errors["timeout"] == [
        "The stored value 'soon' does not fit this field any more, so it is "
        "shown empty. It is kept until you save."
    ]
    assert "'verbose'" in errors["level"][0]
    assert "['a', 'zz']" in errors["channels"][0]
    # Values that fit are shown as stored, without a message.
    assert dialog.editor("client_id").value() == "abc"
    assert dialog.editor("retries").value() == 2
    assert "client_id" not in errors and "retries" not in errors


def test_a_text_stored_in_a_number_field_no_longer_stops_the_dialog(
    qtbot, manager, sample
):
    # Before: TypeError from QSpinBox.setValue(str), and no dialog.
    config = _stored(manager, sample, retries="three")
    dialog = open_dialog(qtbot, sample, config)
    assert dialog.isVisible()
    assert "'three'" in dialog.field_errors()["retries"][0]


def test_a_required_number_that_does_not_fit_shows_blank_and_is_never_guessed(
    qtbot, manager, sample
):
    # Before: the spin box showed its minimum, and OK saved that number as
    # if the user had chosen it.
    config = _stored(manager, sample, retries="three")
    dialog = open_dialog(qtbot, sample, config)
    retries = dialog.editor("retries")
    assert retries.value() is None
    assert retries.spin.text().strip() == ""

    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.field_errors()["retries"][0] == "This field is required."
    assert manager.get_config(config.id).settings["retries"] == "three"

    retries.spin.setFocus()
    retries.spin.selectAll()
    qtbot.keyClicks(retries.spin, "4")
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert manager.get_config(config.id).settings["retries"] == 4


def test_the_stored_value_stays_until_the_user_saves(qtbot, manager, sample):
    config = _stored(manager, sample, timeout="soon", level="verbose")
    dialog = open_dialog(qtbot, sample, config)

    # Nothing typed: closing asks nothing and changes nothing.
    assert not dialog.is_modified()
    dialog.reject()
    assert not dialog.isVisible()
    assert manager.get_config(config.id).settings["timeout"] == "soon"

    dialog = open_dialog(qtbot, sample, manager.get_config(config.id))
    click_ok(qtbot, dialog)  # Level is required: the form says so, and waits
    assert dialog.isVisible()
    errors = dialog.field_errors()["level"]
    assert errors[0] == "This field is required."
    assert "'verbose'" in errors[1]
    assert manager.get_config(config.id).settings["level"] == "verbose"

    dialog.editor("level").set_value("debug")
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    saved = manager.get_config(config.id).settings
    assert saved["level"] == "debug"
    assert saved.get("timeout") is None
