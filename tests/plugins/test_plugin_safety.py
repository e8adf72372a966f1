"""Plugins are code: a plugin others can change is refused, not imported."""

from __future__ import annotations

import os
import sys

import pytest

from desktop_app.errors import PluginUnsafeError
from desktop_app.plugins import STATUS_REFUSED
from tests._support.plugin_files import write_plugin

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")

GOOD = """
from desktop_app import Integration

MARK = []

class Safe(Integration):
    integration_id = "test.safe"
    name = "Safe"

    def initialize(self):
        pass
"""

RUNS_ON_IMPORT = """
import pathlib
pathlib.Path(__file__).with_name("ran.txt").write_text("ran")
"""


def test_a_plugins_folder_writable_by_others_refuses_every_plugin(
    manager, plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "good.py", GOOD)
    write_plugin(plugins_dir, "sneaky.py", RUNS_ON_IMPORT)
    plugins_dir.chmod(0o777)

    plugins = make_plugins()
    plugins.load_all()

    for name in ("good", "sneaky"):
        info = plugins.get(name)
        assert info.status == STATUS_REFUSED and info.refused
        assert info.error == (
            f"{plugins_dir} is writable by other users (mode 0777); "
            f"fix it with chmod go-w {plugins_dir}"
        )
    assert not (plugins_dir / "ran.txt").exists()  # its code never ran
    assert not manager.is_registered("test.safe")
    assert not any(m.endswith(".sneaky") for m in sys.modules)


def test_a_group_writable_file_is_refused_and_the_rest_load(
    manager, plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "good.py", GOOD)
    sneaky = write_plugin(plugins_dir, "sneaky.py", RUNS_ON_IMPORT)
    sneaky.chmod(0o664)

    plugins = make_plugins()
    plugins.load_all()

    assert plugins.get("good").loaded
    assert manager.is_registered("test.safe")
    refused = plugins.get("sneaky")
    assert refused.refused
    assert refused.error == (
        f"{sneaky} is writable by other users (mode 0664); "
        f"fix it with chmod go-w {sneaky}"
    )
    assert not (plugins_dir / "ran.txt").exists()


def test_a_writable_module_inside_a_package_refuses_the_package(
    plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "pkg/__init__.py", "from . import helper\n")
    helper = write_plugin(plugins_dir, "pkg/helper.py", RUNS_ON_IMPORT)
    helper.chmod(0o646)

    plugins = make_plugins()
    plugins.load_all()

    info = plugins.get("pkg")
    assert info.refused
    assert str(helper) in info.error and "(mode 0646)" in info.error


def test_fixing_the_mode_and_reloading_loads_the_refused_plugin(
    manager, plugins_dir, make_plugins
):
    good = write_plugin(plugins_dir, "good.py", GOOD)
    good.chmod(0o666)
    plugins = make_plugins()
    plugins.load_all()
    assert plugins.get("good").refused

    good.chmod(0o644)
    plugins.reload_changed()

    assert plugins.get("good").loaded
    assert manager.is_registered("test.safe")


def test_the_error_carries_the_culprit():
    error = PluginUnsafeError("p", "/x/plugins", 0o777, "/x/plugins/p.py")
    assert (error.plugin_name, error.unsafe_path, error.mode, error.path) == (
        "p",
        "/x/plugins",
        0o777,
        "/x/plugins/p.py",
    )
    assert "chmod go-w /x/plugins" in error.reason


def test_a_still_refused_plugin_is_not_reported_as_changed(plugins_dir, make_plugins):
    good = write_plugin(plugins_dir, "good.py", GOOD)
    good.chmod(0o666)
    plugins = make_plugins()
    plugins.load_all()

    assert plugins.reload_changed() == []
    assert plugins.get("good").refused
