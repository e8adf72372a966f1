"""Configurations whose integration is not loaded are shown, not hidden."""

from __future__ import annotations

from desktop_app._unavailable import HIDDEN_VALUE, NOT_LOADED_REASON, shown_settings
from desktop_app.store import ConfigRecord
from tests._support.sample_integrations import SampleIntegration, valid_settings

WORKS = """
from desktop_app import Integration

class Pager(Integration):
    integration_id = "plugin.pager.Pager"
    name = "Pager"

    def initialize(self):
        pass
"""


def test_configs_of_an_unknown_integration_are_listed_with_settings(manager):
    manager.store.save_config(
        ConfigRecord(
            "gone.Integration",
            name="Old hook",
            enabled=True,
            settings={"url": "https://example.com/h", "api_token": "abc123"},
        )
    )
    manager.register_integration_class(SampleIntegration)
    manager.create_config(SampleIntegration, name="Here", settings=valid_settings())

    [entry] = manager.get_unavailable_integrations()

    assert entry.integration_id == "gone.Integration"
    assert (entry.total, entry.enabled) == (1, 1)
    assert entry.reason == NOT_LOADED_REASON
    [record] = entry.configs
    assert record.name == "Old hook"
    assert record.settings["url"] == "https://example.com/h"
    # Read-only presentation: a value under a secret-sounding name is hidden.
    assert shown_settings(record) == [
        ("api_token", HIDDEN_VALUE),
        ("url", "https://example.com/h"),
    ]


def test_a_keyring_reference_is_never_shown(manager):
    record = ConfigRecord(
        "gone.Integration", name="x", settings={"hook": {"$secret": "uuid-1"}}
    )
    assert shown_settings(record) == [("hook", HIDDEN_VALUE)]


def test_a_plugin_that_breaks_explains_its_integration(plugins_dir):
    manager = plugins_dir.plugin_manager.manager
    plugins_dir.write("pager", WORKS)
    plugins_dir.load()
    manager.create_config("plugin.pager.Pager", name="On call", settings={"n": 1})
    assert manager.get_unavailable_integrations() == []

    plugins_dir.write("pager", WORKS + "\nraise RuntimeError('broken on purpose')\n")
    plugins_dir.reload()

    plugins = plugins_dir.plugin_manager
    [entry] = manager.get_unavailable_integrations(
        explain=plugins.why_not_loaded,
        names=plugins.former_name,
        also=plugins.lost_integrations(),
    )
    assert entry.integration_id == "plugin.pager.Pager"
    assert entry.display_name == "Pager"
    assert entry.reason == (
        'Its plugin "pager" failed to load: RuntimeError: broken on purpose'
    )
    assert [c.name for c in entry.configs] == ["On call"]
    assert entry.configs[0].settings == {"n": 1}


def test_a_broken_plugin_without_configs_is_still_listed_as_lost(plugins_dir):
    manager = plugins_dir.plugin_manager.manager
    plugins_dir.write("pager", WORKS)
    plugins_dir.load()
    plugins_dir.write("pager", "def broken(:\n")
    plugins_dir.reload()
    plugins = plugins_dir.plugin_manager
    assert plugins.lost_integrations() == ["plugin.pager.Pager"]
    [entry] = manager.get_unavailable_integrations(
        explain=plugins.why_not_loaded, also=plugins.lost_integrations()
    )
    assert entry.total == 0
    assert "SyntaxError" in entry.reason
