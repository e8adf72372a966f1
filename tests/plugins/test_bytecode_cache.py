"""Folder plugins' compiled code is cached by content, never trusted by
modification time."""

from __future__ import annotations

import os
import sys

from tests._support.plugin_files import write_plugin

PLUGIN = """
    from desktop_app import Integration

    VALUE = {value!r}

    class Cached(Integration):
        integration_id = "tests.cached"
        name = "Cached"

        def initialize(self):
            pass
"""


def test_unchanged_plugins_reuse_cached_code_and_edits_miss_it(
    make_plugins, plugins_dir, tmp_path
):
    cache = tmp_path / "cache" / "plugins"
    path = write_plugin(plugins_dir, "cached.py", PLUGIN.format(value="aaa"))

    pm = make_plugins()
    pm.load_all()
    entries = sorted(cache.iterdir())
    assert len(entries) == 1
    assert cache.stat().st_mode & 0o077 == 0
    pm.unload_all()

    # Same size, same mtime: only the content says it changed.
    stat = path.stat()
    write_plugin(plugins_dir, "cached.py", PLUGIN.format(value="bbb"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    pm = make_plugins()
    pm.load_all()
    module = pm.manager.get_integration("tests.cached").__class__.__module__
    assert sys.modules[module].VALUE == "bbb"
    assert len(list(cache.iterdir())) == 2


def test_a_cache_folder_others_can_write_is_not_used(
    make_plugins, plugins_dir, tmp_path
):
    cache = tmp_path / "cache" / "plugins"
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    write_plugin(plugins_dir, "cached.py", PLUGIN.format(value="aaa"))

    make_plugins().load_all()

    assert list(cache.iterdir()) == []  # neither read nor written
