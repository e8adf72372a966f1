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
    result = pytester.runpytest_subprocess("--fixtures")
    out = result.stdout.str()
    for name in (
        "integration_manager",
        "create_config",
        "activity",
        "wait_for_deliveries",
    ):
        assert name in out
    assert "real SQLite file" in out
