"""The shipped fixtures, used the way a plugin author's project uses them.

pytester runs pytest in a subprocess in an empty folder, so the fixtures
come only from the ``pytest11`` entry point of the installed package.
"""

from __future__ import annotations

import importlib.metadata
import os

import pytest

pytest_plugins = ["pytester"]


def _installed() -> bool:
    return any(
        ep.name == "desktop_app" and ep.value == "desktop_app.pytest_plugin"
        for ep in importlib.metadata.entry_points(group="pytest11")
    )


@pytest.fixture(autouse=True)
def _needs_install():
    if not _installed():
        if os.environ.get("CI"):
            pytest.fail(
                "desktop-app is not installed: its pytest11 entry point is missing"
            )
        pytest.skip("desktop-app is not installed (pip install -e .)")


PLUGIN = """
from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal

ticket_closed = define_signal("acme.ticket_closed")


class NotifierForm(IntegrationConfigForm):
    channel = forms.CharField(label="Channel")


class Notifier(Integration):
    integration_id = "acme.Notifier"
    name = "Notifier"
    default_settings = {"channel": "#general"}
    config_form_cls = NotifierForm
    sent = []

    def initialize(self):
        SignalHook(self, ticket_closed, self._on_closed)

    def _on_closed(self, ticket, **kwargs):
        for config in self.get_configs():
            self.run_in_background(config, self._post, config.get("channel"),
                                   ticket, signal="acme.ticket_closed")

    def _post(self, channel, ticket):
        if channel == "#broken":
            raise ConnectionError("chat server unreachable")
        Notifier.sent.append((channel, ticket))
"""

TESTS = """
import pytest
from acme_notifier import Notifier, ticket_closed


def test_delivers_to_each_enabled_config(integration_manager, create_config,
                                         activity, wait_for_deliveries):
    dev = create_config(Notifier, name="dev", channel="#dev")
    create_config(Notifier, name="off", enabled=False, channel="#off")

    ticket_closed.send(None, ticket=42)
    wait_for_deliveries()

    assert Notifier.sent == [("#dev", 42)]
    activity.assert_delivered("acme.ticket_closed", Notifier, dev)
    activity.assert_no_failures()


def test_failures_are_visible(create_config, activity, wait_for_deliveries):
    broken = create_config(Notifier, name="broken", channel="#broken")
    ticket_closed.send(None, ticket=1)
    wait_for_deliveries()
    record = activity.assert_delivered(
        integration=Notifier, config=broken, outcome="failed"
    )
    assert "chat server unreachable" in record.error
    with pytest.raises(AssertionError, match="unreachable"):
        activity.assert_no_failures()


def test_manager_is_process_wide_and_real(integration_manager, create_config):
    from desktop_app.manager import get_integration_manager
    assert get_integration_manager() is integration_manager
    config = create_config(Notifier, name="kept")
    assert integration_manager.store.path.exists()
    configs = integration_manager.get_integration_configs(Notifier)
    assert [c.name for c in configs] == ["kept"]
"""


def test_fixtures_work_from_the_entry_point(pytester):
    pytester.makepyfile(acme_notifier=PLUGIN, test_acme=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_fixtures_are_documented(pytester):
    result = pytester.runpytest_subprocess("--fixtures", "-v")
    out = result.stdout.str()
    for name in (
        "integration_manager",
        "create_config",
        "activity",
        "wait_for_deliveries",
        "config_dialog",
        "plugins_dir",
    ):
        assert name in out
    assert "real SQLite file" in out
    assert "WAYLAND_DISPLAY" in out
    assert "load errors are data" in out


DIALOG_PLUGIN = """
from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration


class PagerForm(IntegrationConfigForm):
    endpoint_url = forms.URLField(label="Endpoint URL")
    token = forms.PasswordField(label="Token")
    retries = forms.IntegerField(label="Retries", min_value=0, max_value=5)
    level = forms.ChoiceField(label="Level", choices=[("low", "Low"), ("high", "High")])
    events = forms.MultipleChoiceField(
        label="Events", choices=[("open", "Opened"), ("close", "Closed")],
        required=False,
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    verbose = forms.BooleanField(label="Verbose", required=False)

    def clean_endpoint_url(self):
        url = self.cleaned_data["endpoint_url"]
        if not url.startswith("https://"):
            raise forms.ValidationError("Use https.")
        return url

    class Meta:
        fieldsets = (
            ("Connection", {"fields": ("endpoint_url", "token")}),
            ("Delivery", {"fields": ("retries", "level", "events", "notes"),
                          "classes": ("collapse",)}),
        )


class Pager(Integration):
    integration_id = "acme.Pager"
    name = "Pager"
    default_settings = {"retries": 2, "level": "low"}
    config_form_cls = PagerForm

    def initialize(self):
        pass
"""

DIALOG_TESTS = """
import os

from acme_pager import Pager


def test_offscreen_by_default_without_a_display(config_dialog):
    config_dialog(Pager)
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"


def test_errors_are_shown_per_field_then_ok_saves(config_dialog, integration_manager):
    dialog = config_dialog(Pager)
    assert dialog.editor("retries").value() == 2  # from default_settings
    dialog.fill({"name": "ops", "endpoint_url": "http://example.com/hook"})
    assert dialog.press_ok() is None
    assert dialog.errors["endpoint_url"] == ["Use https."]
    assert "token" in dialog.errors and "level" not in dialog.errors
    assert dialog.dialog.isVisible()

    saved = dialog.fill({
        "endpoint_url": "https://example.com/hook",
        "token": "s3cret",
        "retries": 4,
        "level": "High",
        "events": ["open", "close"],
        "notes": "line one\\nline two",
        "verbose": True,
        "enabled": False,
    }).press_ok()

    assert saved is not None and not dialog.dialog.isVisible()
    stored = integration_manager.get_config(saved.id)
    assert (stored.name, stored.enabled) == ("ops", False)
    assert stored.settings == {
        "endpoint_url": "https://example.com/hook", "token": "s3cret",
        "retries": 4, "level": "high", "events": ["open", "close"],
        "notes": "line one\\nline two", "verbose": True,
    }


def test_editing_keeps_a_stored_secret_left_empty(config_dialog, create_config,
                                                  integration_manager):
    config = create_config(Pager, name="ops", endpoint_url="https://a.example.com/",
                           token="kept", level="low")
    dialog = config_dialog(Pager, config)
    assert dialog.widget("token").text() == ""  # never shown in clear
    dialog.fill({"retries": 0}).press_ok()
    stored = integration_manager.get_config(config.id)
    assert stored.settings["token"] == "kept"
    assert stored.settings["retries"] == 0


def test_out_of_range_number_is_refused_like_a_user_would_be(config_dialog):
    import pytest

    dialog = config_dialog(Pager)
    with pytest.raises(ValueError, match="did not accept 9"):
        dialog.fill({"retries": 9})
    with pytest.raises(ValueError, match="does not offer 'medium'"):
        dialog.fill({"level": "medium"})
    with pytest.raises(KeyError, match="fields: name, enabled"):
        dialog.fill({"endpoint": "x"})


def test_cancel_discards_changes_and_saves_nothing(config_dialog, integration_manager):
    dialog = config_dialog(Pager)
    dialog.fill({"name": "draft"})
    assert dialog.press_cancel(discard=False) is False
    assert dialog.press_cancel() is True
    assert integration_manager.get_integration_configs(Pager) == []
"""


def test_config_dialog_fixture_drives_the_real_dialog(pytester, monkeypatch):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(acme_pager=DIALOG_PLUGIN, test_pager=DIALOG_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


PLUGINS_DIR_TESTS = '''
from desktop_app.manager import get_integration_manager


GOOD = """
    from desktop_app.integration import Integration
    from desktop_app.signals import define_signal

    pinged = define_signal("dropin.pinged")


    class Pinger(Integration):
        integration_id = "dropin.Pinger"
        name = "Pinger v1"
        seen = []

        def initialize(self):
            from desktop_app.hooks import SignalHook
            SignalHook(self, pinged, self._on_pinged)

        def _on_pinged(self, n):
            for config in self.get_configs():
                Pinger.seen.append((config.name, n))
"""


def test_drop_in_plugin_loads_and_delivers(plugins_dir, create_config, activity):
    path = plugins_dir.write("pinger", GOOD)
    assert path == plugins_dir.path / "pinger.py"
    infos = plugins_dir.load()
    assert [(p.name, p.status) for p in infos] == [("pinger", "loaded")]
    assert plugins_dir.errors == {}
    assert plugins_dir.plugin("pinger").integration_ids == ["dropin.Pinger"]

    integration = get_integration_manager().get_integration("dropin.Pinger")
    create_config(integration, name="cfg")
    from desktop_app.signals import get_signal
    get_signal("dropin.pinged").send(None, n=7)
    assert type(integration).seen == [("cfg", 7)]
    activity.assert_delivered("dropin.pinged", "dropin.Pinger")


def test_load_errors_are_data(plugins_dir):
    plugins_dir.write("good", GOOD)
    plugins_dir.write("broken", "def oops(:\\n    pass\\n")
    plugins_dir.write("raises", "raise RuntimeError('needs an API key')")
    plugins_dir.load()
    errors = plugins_dir.errors
    assert set(errors) == {"broken", "raises"}
    assert errors["broken"].startswith("SyntaxError")
    assert "line 1" in errors["broken"]
    assert errors["raises"] == "RuntimeError: needs an API key"
    assert "Traceback" in plugins_dir.plugin("raises").traceback
    assert plugins_dir.plugin("good").loaded


def test_reload_picks_up_an_edit_and_a_fix(plugins_dir):
    plugins_dir.write("pinger", "raise ImportError('half written')")
    plugins_dir.load()
    assert "pinger" in plugins_dir.errors
    plugins_dir.write("pinger", GOOD.replace("v1", "v2"))
    touched = plugins_dir.reload()
    assert [p.name for p in touched] == ["pinger"]
    assert plugins_dir.errors == {}
    pinger = get_integration_manager().get_integration("dropin.Pinger")
    assert pinger.name == "Pinger v2"


def test_only_the_folder_is_loaded(plugins_dir):
    plugins_dir.load()
    assert plugins_dir.plugins == []
    assert get_integration_manager().get_integrations() == []
'''


def test_plugins_dir_fixture_loads_drop_ins_and_exposes_errors(pytester):
    pytester.makepyfile(test_dropins=PLUGINS_DIR_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_plugins_are_unloaded_after_the_test(pytester):
    pytester.makepyfile(
        test_unload="""
        from desktop_app.signals import get_signal_infos

        def test_load(plugins_dir):
            plugins_dir.write("p", '''
                from desktop_app.signals import define_signal
                sig = define_signal("unload.check")
            ''')
            plugins_dir.load()
            assert "unload.check" in [i.name for i in get_signal_infos()]

        def test_gone_afterwards():
            assert "unload.check" not in [i.name for i in get_signal_infos()]
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_projects_without_qt_tests_need_neither_qt_nor_pytest_qt(pytester):
    pytester.makepyfile(
        test_headless="""
        import sys

        def test_core_fixtures_import_no_qt(integration_manager, plugins_dir):
            plugins_dir.load()
            assert "PySide6" not in sys.modules

        def test_the_dialog_fixture_says_what_is_missing(config_dialog):
            pass
        """
    )
    result = pytester.runpytest_subprocess(
        "-p", "no:pytest-qt", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*config_dialog needs pytest-qt*"])
