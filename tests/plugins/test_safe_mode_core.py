"""Safe mode without a window: the start marker, built-ins only, and the
command line's --safe-mode."""

from __future__ import annotations

import os

from desktop_app.__main__ import build_parser
from desktop_app._start_marker import MARKER_NAME, LastStart, StartMarker
from desktop_app.plugins._discovery import PluginSource, is_builtin
from tests._support.child_processes import run_cli, run_python
from tests._support.plugin_files import make_distribution, write_plugin

PLUGIN = """
from desktop_app import Integration

class Dropped(Integration):
    integration_id = "test.safe.dropped"
    name = "Dropped"

    def initialize(self):
        pass
"""


def test_the_marker_records_the_plugin_loading_and_goes_when_the_start_ends(
    tmp_path,
):
    marker = StartMarker(tmp_path)
    assert marker.last_start() is None
    marker.loading("folder:early", "early")  # before begin: not a start
    assert marker.last_start() is None

    marker.begin()
    assert marker.last_start() == LastStart(None, None)
    marker.loading("folder:slow", "slow")
    assert marker.last_start() == LastStart("folder:slow", "slow")
    assert os.stat(tmp_path / MARKER_NAME).st_mode & 0o777 == 0o600

    marker.finish()
    assert marker.last_start() is None
    marker.loading("folder:later", "later")  # a reload after the start
    assert marker.last_start() is None


def test_an_unreadable_marker_still_counts_as_an_unfinished_start(tmp_path):
    (tmp_path / MARKER_NAME).write_text("{not json")
    assert StartMarker(tmp_path).last_start() == LastStart()


_CRASHING_START = """
import sys
from desktop_app.__main__ import build_parser
from desktop_app._start_marker import StartMarker
from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.plugins import PluginManager

data = sys.argv[1]
manager = IntegrationManager(data + "/configs.sqlite3", watch_interval=None)
set_integration_manager(manager)
marker = StartMarker(data)
marker.begin()
plugins = PluginManager(
    manager,
    data + "/plugins",
    entry_points=False,
    on_loading=lambda info: marker.loading(info.key, info.name),
)
plugins.load_all()
marker.finish()
"""


def test_a_plugin_that_kills_the_start_is_named_by_the_marker(tmp_path):
    plugins = tmp_path / "plugins"
    write_plugin(plugins, "a_fine.py", PLUGIN)
    write_plugin(plugins, "b_crasher.py", "import os\nos._exit(3)\n")
    write_plugin(plugins, "c_never.py", PLUGIN)

    result = run_python(_CRASHING_START, str(tmp_path))

    assert result.returncode == 3, result.stderr
    assert StartMarker(tmp_path).last_start() == LastStart(
        "folder:b_crasher", "b_crasher"
    )


def test_built_ins_are_this_projects_integrations_only():
    ours = PluginSource(
        "webhook",
        "distribution",
        module="integrations.webhook",
        distribution="desktop-app",
    )
    assert is_builtin(ours)
    assert is_builtin(
        PluginSource(
            "x", "distribution", module="integrations", distribution="Desktop_App"
        )
    )
    # Another distribution with a package of the same name is not ours.
    assert not is_builtin(
        PluginSource("x", "distribution", module="integrations.x", distribution="evil")
    )
    assert not is_builtin(
        PluginSource("x", "distribution", module="other.x", distribution="desktop-app")
    )
    assert not is_builtin(PluginSource("x", "folder"))


def test_safe_mode_loads_built_ins_but_no_drop_ins_or_other_distributions(
    tmp_path, manager, plugins_dir, make_plugins, monkeypatch
):
    write_plugin(plugins_dir, "dropped.py", PLUGIN)
    site = make_distribution(
        tmp_path / "site",
        "third-party",
        "1.0",
        {"third": "third_party_plugin"},
        {"third_party_plugin.py": PLUGIN.replace("dropped", "third")},
    )
    monkeypatch.syspath_prepend(str(site))

    plugins = make_plugins(entry_points=True, safe_mode=True)
    plugins.load_all()

    names = {info.name for info in plugins.plugins}
    assert "webhook" in names and plugins.get("webhook").loaded
    assert "dropped" not in names and "third" not in names
    assert not manager.is_registered("test.safe.dropped")
    assert not manager.is_registered("test.safe.third")
    assert plugins.reload_changed() == []  # the folder stays out


def test_the_command_line_safe_mode_lists_built_ins_only(tmp_path):
    write_plugin(tmp_path / "plugins", "dropped.py", PLUGIN)
    (tmp_path / "plugins").chmod(0o700)

    normal = run_cli(tmp_path, "list")
    for args in (["--safe-mode", "list"], ["list", "--safe-mode"]):
        safe = run_cli(tmp_path, *args)
        assert safe.returncode == 0, safe.stderr
        assert "dropped" not in safe.stdout
        assert "webhook" in safe.stdout
    assert "dropped" in normal.stdout


def test_run_and_every_command_accept_safe_mode():
    parser = build_parser()
    assert parser.parse_args(["--safe-mode"]).safe_mode is True
    assert parser.parse_args(["run", "--safe-mode"]).safe_mode is True
    assert parser.parse_args(["fire", "x", "--safe-mode"]).safe_mode is True
    assert parser.parse_args(["run"]).safe_mode is False
