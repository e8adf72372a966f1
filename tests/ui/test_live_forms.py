"""Live, declarative forms: conditions, validation as the user edits, the
error summary, defaults, focus and friendlier values, driven by typing,
tabbing and clicking."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QToolButton,
)

from desktop_app.ui.config_dialog import ConfigDialog
from tests._support.conditional_integration import AlertIntegration
from tests._support.config_dialog_driving import click_ok, type_into


def open_dialog(qtbot, integration, config=None):
    """Open the dialog; closed at the end without the discard question, so
    a failing test ends instead of waiting on that box."""
    dialog = ConfigDialog(integration, config)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # focus moves only in one
    return dialog


def tick(qtbot, dialog, name):
    """Click a check box on its box (its middle may be past the text)."""
    box = dialog.findChild(QCheckBox, name)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))


@pytest.fixture
def alert(manager):
    return manager.register_integration_class(AlertIntegration)


def choose(qtbot, dialog, name, text):
    """Pick a combo box entry with the keyboard, as a user would."""
    combo = dialog.findChild(QComboBox, name)
    combo.setFocus()
    index = combo.findText(text)
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def tab_out(qtbot, dialog, name):
    """Leave a field with Tab."""
    edit = dialog.findChild(QLineEdit, name)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def test_fields_appear_and_grey_out_as_the_user_chooses(qtbot, alert):
    dialog = open_dialog(qtbot, alert)
    token = dialog.findChild(QLineEdit, "token")
    attempts = dialog.findChild(QSpinBox, "attempts")
    assert not token.isVisible() and not dialog.label("token").isVisible()
    assert not attempts.isEnabled()

    choose(qtbot, dialog, "auth", "Token")
    assert token.isVisible() and dialog.label("token").isVisible()
    tick(qtbot, dialog, "retry")
    assert attempts.isEnabled()

    choose(qtbot, dialog, "auth", "None")
    assert not token.isVisible()


def test_hidden_fields_are_not_validated_or_saved(qtbot, manager, alert):
    dialog = open_dialog(qtbot, alert)
    type_into(qtbot, dialog, "url", "https://example.com/hook")
    choose(qtbot, dialog, "auth", "Token")
    choose(qtbot, dialog, "auth", "None")  # the empty, required token is hidden
    click_ok(qtbot, dialog)
    assert dialog.saved_config is not None
    [stored] = manager.get_integration_configs(alert)
    assert "token" not in stored.settings and "username" not in stored.settings


def test_a_field_error_shows_on_leaving_it_and_goes_when_fixed(qtbot, alert):
    dialog = open_dialog(qtbot, alert)
    type_into(qtbot, dialog, "url", "no such thing")
    assert dialog.field_errors() == {}  # not while typing
    tab_out(qtbot, dialog, "url")
    assert dialog.field_errors() == {"url": ["Enter a valid URL."]}

    edit = dialog.findChild(QLineEdit, "url")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "https://example.com/x")
    assert dialog.field_errors() == {}  # at once, no pause needed


def test_the_forms_clean_runs_after_a_pause_in_typing(qtbot, alert):
    dialog = open_dialog(qtbot, alert)
    choose(qtbot, dialog, "auth", "User and password")
    type_into(qtbot, dialog, "username", "admin")
    qtbot.waitUntil(
        lambda: (
            dialog.field_errors().get("username")
            == ["Use a user of its own, not admin."]
        )
    )
    # The untouched, required URL is not scolded before OK.
    assert "url" not in dialog.field_errors()
    type_into(qtbot, dialog, "username", "ann")
    assert "username" not in dialog.field_errors()


def test_ok_with_errors_shows_a_summary_linking_to_the_fields(qtbot, alert):
    dialog = open_dialog(qtbot, alert)
    choose(qtbot, dialog, "auth", "Token")
    click_ok(qtbot, dialog)
    summary = dialog.error_summary
    assert summary.isVisible()
    assert summary.items() == [
        ("url", "This field is required."),
        ("token", "This field is required."),
    ]
    assert "2 problems need fixing" in summary.text()
    assert '<a href="field:token">Token</a>' in summary.text()

    summary.linkActivated.emit("field:token")
    assert dialog.focusWidget() is dialog.findChild(QLineEdit, "token")

    type_into(qtbot, dialog, "token", "t0k")
    type_into(qtbot, dialog, "url", "https://example.com/")
    assert summary.items() == []
    assert not summary.isVisible()


def test_a_changed_default_is_marked_and_can_be_reset(qtbot, alert):
    dialog = open_dialog(qtbot, alert)
    tick(qtbot, dialog, "retry")
    spin = dialog.findChild(QSpinBox, "attempts")
    assert spin.value() == 3
    assert dialog.findChild(QLabel, "attempts_default") is None  # not changed
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    marker = dialog.findChild(QLabel, "attempts_default")
    assert marker.isVisible()
    assert "Changed from the default" in marker.text()
    assert marker.toolTip() == "Default: 3"

    marker.linkActivated.emit("attempts")
    assert spin.value() == 3
    assert not marker.isVisible()


def test_fields_with_a_default_are_not_marked_required(qtbot, alert):
    dialog = open_dialog(qtbot, alert)
    assert "*" in dialog.label("url").text()
    assert "*" not in dialog.label("auth").text()
    assert "*" not in dialog.label("attempts").text()


def test_dialog_opens_in_name_with_its_text_selected(qtbot, alert):
    dialog = open_dialog(qtbot, alert)
    name = dialog.findChild(QLineEdit, "name")
    qtbot.waitUntil(lambda: dialog.focusWidget() is name)
    assert name.selectedText() == "Alert Service"
    qtbot.keyClicks(name, "Pager")
    assert name.text() == "Pager"
    # Tab goes from field to field, never to the scroll area.
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.findChild(QCheckBox, "enabled")
    assert dialog.findChild(QScrollArea).focusPolicy() == Qt.FocusPolicy.NoFocus
    assert dialog.findChild(QCheckBox, "enabled").text() == "Enabled"


def test_a_bare_address_gets_https_in_front(qtbot, manager, alert):
    dialog = open_dialog(qtbot, alert)
    type_into(qtbot, dialog, "url", "hooks.slack.com/services/T0/B0")
    tab_out(qtbot, dialog, "url")
    url = "https://hooks.slack.com/services/T0/B0"
    assert dialog.findChild(QLineEdit, "url").text() == url
    assert dialog.field_errors() == {}
    click_ok(qtbot, dialog)
    [stored] = manager.get_integration_configs(alert)
    assert stored.settings["url"] == url


def test_a_relative_path_is_saved_absolute(
    qtbot, manager, sample, tmp_path, monkeypatch
):
    from tests._support.sample_integrations import valid_settings

    monkeypatch.chdir(tmp_path)
    dialog = open_dialog(qtbot, sample)
    for name, value in valid_settings().items():
        if isinstance(value, str) and name != "level":
            type_into(qtbot, dialog, name, value)
    dialog.findChild(QToolButton, "sectionToggle").click()
    type_into(qtbot, dialog, "log_file", "out.log")
    click_ok(qtbot, dialog)
    [stored] = manager.get_integration_configs(sample)
    assert stored.settings["log_file"] == str(tmp_path / "out.log")


def test_a_name_already_in_use_gets_a_warning(qtbot, alert):
    alert.create_config(
        name="Alert Service", settings={"url": "https://a.example.com/", "auth": "none"}
    ).save()
    dialog = open_dialog(qtbot, alert)
    warning = dialog.findChild(QLabel, "name_warning")
    assert warning.isVisible()
    assert 'already named "Alert Service"' in warning.text()
    type_into(qtbot, dialog, "name", "Night pager")
    assert not warning.isVisible()


def test_opening_a_section_shows_it_and_labels_stay_put(qtbot, sample):
    dialog = open_dialog(qtbot, sample)
    dialog.resize(dialog.width(), 300)
    endpoint = dialog.findChild(QLineEdit, "endpoint_url")
    x_before = endpoint.mapTo(dialog, endpoint.rect().topLeft()).x()
    height_before = dialog.height()
    qtbot.mouseClick(
        dialog.findChild(QToolButton, "sectionToggle"), Qt.MouseButton.LeftButton
    )
    verbose = dialog.findChild(QCheckBox, "verbose")
    # The dialog grows, or scrolls, until the section's last field shows.
    qtbot.waitUntil(lambda: not verbose.visibleRegion().isEmpty())
    assert dialog.height() >= height_before
    assert endpoint.mapTo(dialog, endpoint.rect().topLeft()).x() == x_before


def test_choice_list_ends_with_its_last_row(qtbot, sample):
    from PySide6.QtWidgets import QListWidget

    dialog = open_dialog(qtbot, sample)
    dialog.findChild(QToolButton, "sectionToggle").click()
    view = dialog.findChild(QListWidget, "channels")
    qtbot.waitUntil(view.isVisible)
    last = view.visualItemRect(view.item(view.count() - 1))
    # Only the rows' own spacing (and QRect.bottom()'s last pixel) below.
    assert view.viewport().height() - last.bottom() <= view.spacing() + 1
    assert view.verticalScrollBar().maximum() == 0


def test_a_forms_clean_runs_on_the_worker_unless_it_says_it_is_quick(
    qtbot, alert, monkeypatch
):
    # A djblets form's clean() may ask a server whether credentials work: it
    # runs on the worker after a pause, and the window keeps answering while
    # it does. AlertConfigForm says live_clean = True (it runs at once);
    # here it does not, and its clean() waits until the test lets it go.
    import threading

    from tests._support.conditional_integration import AlertConfigForm

    asked = threading.Event()
    go_on = threading.Event()
    original = AlertConfigForm.clean

    def slow_clean(form):
        asked.set()
        go_on.wait(10)
        return original(form)

    monkeypatch.setattr(AlertConfigForm, "live_clean", False)
    monkeypatch.setattr(AlertConfigForm, "clean", slow_clean)
    dialog = open_dialog(qtbot, alert)
    choose(qtbot, dialog, "auth", "User and password")
    type_into(qtbot, dialog, "username", "admin")
    dialog._live.check_now()
    qtbot.waitUntil(asked.is_set)
    assert dialog._live.is_checking()
    # The window answers while clean() runs: typing elsewhere shows at once.
    type_into(qtbot, dialog, "name", "Night pager")
    assert dialog.findChild(QLineEdit, "name").text() == "Night pager"
    assert "username" not in dialog.field_errors()

    go_on.set()
    qtbot.waitUntil(lambda: not dialog._live.is_checking())
    qtbot.waitUntil(
        lambda: (
            dialog.field_errors().get("username")
            == ["Use a user of its own, not admin."]
        )
    )
    type_into(qtbot, dialog, "username", "night")
    dialog._live.check_now()
    qtbot.waitUntil(lambda: "username" not in dialog.field_errors())


def test_a_background_check_that_hangs_is_given_up_on_with_a_message(
    qtbot, alert, monkeypatch
):
    import threading

    from desktop_app import _form_check
    from tests._support.conditional_integration import AlertConfigForm

    released = threading.Event()

    def hanging_clean(form):
        released.wait(10)
        return form.cleaned_data

    monkeypatch.setattr(_form_check, "FORM_CHECK_TIMEOUT", 0.2)
    monkeypatch.setattr(AlertConfigForm, "live_clean", False)
    monkeypatch.setattr(AlertConfigForm, "clean", hanging_clean)
    try:
        dialog = open_dialog(qtbot, alert)
        type_into(qtbot, dialog, "name", "Pager")
        dialog._live.check_now()
        qtbot.waitUntil(
            lambda: (
                "took longer than" in " ".join(dialog._live.shown.get("__all__", []))
            )
        )
        assert dialog.isVisible()
    finally:
        released.set()
