"""Live reload, enable/disable stored across runs, and entry points."""

from __future__ import annotations

import json
import sys

from desktop_app import signals
from tests._support.plugin_files import make_distribution, write_plugin
from tests._support.saved_configs import add_enabled_config

VERSIONED = """
from desktop_app import Integration, SignalHook, define_signal

tick = define_signal("test.reload.tick")
seen = []


class Versioned(Integration):
    integration_id = "test.reload"
    name = "Version {version}"

    def initialize(self):
        SignalHook(self, tick, self._on_tick)

    def _on_tick(self, **kwargs):
        seen.extend((config.name, {version}) for config in self.get_configs())
"""


def test_reload_changed_picks_up_new_behaviour_and_keeps_configs(
    manager, plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "versioned.py", VERSIONED.format(version=1))
    config_id = add_enabled_config(manager, "test.reload", "kept")
    pm = make_plugins()
    [info] = pm.load_all()
    assert manager.get_integration("test.reload").name == "Version 1"
    assert pm.reload_changed() == []  # nothing changed yet

    # Same size, same second: still noticed (content hashes, no stale pyc).
    write_plugin(plugins_dir, "versioned.py", VERSIONED.format(version=2))
    assert pm.reload_changed() == [info]
    assert info.status == "loaded"
    integration = manager.get_integration("test.reload")
    assert integration.name == "Version 2"
    assert integration.enabled
    signals.get_signal("test.reload.tick").send(None)
    assert sys.modules[info.module_name].seen == [("kept", 2)]
    assert [c.id for c in manager.get_integration_configs("test.reload")] == [config_id]


def test_reload_changed_adds_new_and_drops_removed_plugins(
    manager, plugins_dir, make_plugins
):
    pm = make_plugins()
    assert pm.load_all() == []
    path = write_plugin(plugins_dir, "versioned.py", VERSIONED.format(version=1))
    [added] = pm.reload_changed()
    assert added.status == "loaded" and manager.is_registered("test.reload")
    path.unlink()
    [removed] = pm.reload_changed()
    assert removed is added
    assert pm.plugins == []
    assert not manager.is_registered("test.reload")
    assert "test.reload.tick" not in {s.name for s in signals.get_signal_infos()}
    assert added.module_name not in sys.modules


def test_a_fixed_plugin_loads_on_reload(manager, plugins_dir, make_plugins):
    write_plugin(plugins_dir, "versioned.py", "this is not python\n")
    pm = make_plugins()
    [info] = pm.load_all()
    assert info.status == "failed"
    write_plugin(plugins_dir, "versioned.py", VERSIONED.format(version=1))
    pm.reload("versioned")
    assert info.status == "loaded" and info.error == "" and info.traceback == ""


def test_disabled_plugin_is_not_imported_and_choice_is_stored(
    manager, plugins_dir, make_plugins, tmp_path
):
    write_plugin(plugins_dir, "versioned.py", VERSIONED.format(version=1))
    pm = make_plugins()
    pm.load_all()
    info = pm.set_enabled("versioned", False)
    assert info.status == "disabled"
    assert not manager.is_registered("test.reload")
    state = json.loads((tmp_path / "plugins.json").read_text())
    assert state == {"disabled": ["folder:versioned"]}
    pm.unload_all()

    again = make_plugins()
    [info2] = again.load_all()
    assert info2.status == "disabled"
    assert info2.module_name not in sys.modules
    again.set_enabled("versioned", True)
    assert info2.status == "loaded"
    assert manager.is_registered("test.reload")
    assert json.loads((tmp_path / "plugins.json").read_text()) == {"disabled": []}


def test_state_file_defaults_beside_the_plugins_folder(manager, plugins_dir):
    from desktop_app.plugins import PluginManager

    pm = PluginManager(manager, plugins_dir, entry_points=False)
    assert pm.state.path == plugins_dir.parent / "plugins.json"


def test_entry_point_plugins_load_as_distributions(
    manager, plugins_dir, make_plugins, tmp_path, monkeypatch
):
    site = make_distribution(
        tmp_path / "site",
        "acme-plugins",
        "3.4.5",
        {"acme": "acme_plugin"},
        {
            "acme_plugin/__init__.py": """
                from desktop_app import Integration

                class Acme(Integration):
                    integration_id = "acme.integration"

                    def initialize(self):
                        pass
                """,
        },
    )
    monkeypatch.syspath_prepend(str(site))
    # A folder plugin with the same name as the entry point does not clash.
    write_plugin(
        plugins_dir,
        "acme.py",
        """
        from desktop_app import Integration

        class FolderAcme(Integration):
            integration_id = "acme.folder"

            def initialize(self):
                pass
        """,
    )
    pm = make_plugins(entry_points=True)
    pm.load_all()
    dist = pm.get("distribution:acme")
    folder = pm.get("folder:acme")
    assert dist.source == "distribution"
    assert dist.shown_version() == "3.4.5"
    assert dist.distribution == "acme-plugins"
    assert dist.module_name == "acme_plugin"
    assert dist.status == "loaded", dist.traceback
    assert dist.integration_ids == ["acme.integration"]
    assert folder.status == "loaded" and folder.integration_ids == ["acme.folder"]
    pm.reload("distribution:acme")
    assert dist.status == "loaded" and manager.is_registered("acme.integration")
    pm.unload_all()
    assert "acme_plugin" not in sys.modules


def test_unchanged_plugins_are_not_reloaded_whatever_their_state(
    manager, plugins_dir, make_plugins
):
    # Loaded, failed, disabled and package plugins: each remembers what it
    # loaded (or would have), so a scan of an unchanged folder touches none.
    write_plugin(plugins_dir, "versioned.py", VERSIONED.format(version=1))
    write_plugin(plugins_dir, "broken.py", "this is not python\n")
    write_plugin(plugins_dir, "off.py", "raise RuntimeError('never imported')\n")
    write_plugin(plugins_dir, "pkg/__init__.py", "from . import helper\n")
    write_plugin(plugins_dir, "pkg/helper.py", "VALUE = 1\n")
    pm = make_plugins()
    pm.load_all()
    pm.set_enabled("off", False)
    statuses = {info.name: info.status for info in pm.plugins}
    assert statuses == {
        "broken": "failed",
        "off": "disabled",
        "pkg": "loaded",
        "versioned": "loaded",
    }

    assert pm.reload_changed() == []

    write_plugin(plugins_dir, "pkg/helper.py", "VALUE = 2\n")
    [changed] = pm.reload_changed()
    assert changed.name == "pkg"
