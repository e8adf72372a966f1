"""A plugin reloaded while the app runs does not keep its old version alive."""

from __future__ import annotations

import gc
import sys
import weakref

from tests._support.plugin_files import write_plugin
from tests._support.saved_configs import add_enabled_config
from tests.plugins.test_reload_and_state import VERSIONED


def test_a_reloaded_plugin_leaves_no_trace_of_its_first_version(
    manager, plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "versioned.py", VERSIONED.format(version=1))
    add_enabled_config(manager, "test.reload", "kept")
    pm = make_plugins()
    [info] = pm.load_all()
    first = manager.get_integration("test.reload")
    assert first.enabled  # its hooks are live, so there is something to hold
    first_class = weakref.ref(type(first))
    first_module = weakref.ref(sys.modules[info.module_name])
    del first

    write_plugin(plugins_dir, "versioned.py", VERSIONED.format(version=2))
    assert pm.reload_changed() == [info]
    gc.collect()  # classes sit in reference cycles: only a collection frees them

    assert first_class() is None
    assert first_module() is None
    assert manager.get_integration("test.reload").name == "Version 2"
