"""Folder plugins import under their own name, like installed packages."""

from __future__ import annotations

import importlib.util
import queue
import sys

import pytest

from desktop_app import Integration
from desktop_app.errors import PluginNameClashError
from desktop_app.plugins._names import InstalledNames, claim
from tests._support.plugin_files import write_plugin

INIT = """
import myplugin.helpers
from myplugin.integrations import Chat
from myplugin.extension import ChatExtension

assert myplugin.helpers.NAME == "Chat from a package"
"""

HELPERS = "NAME = 'Chat from a package'\n"

INTEGRATIONS = """
from desktop_app import Integration
from myplugin.helpers import NAME


class Chat(Integration):
    name = NAME

    def initialize(self):
        pass


class NotExposed(Integration):
    # Defined in a submodule the package's top level does not import.
    def initialize(self):
        pass
"""

EXTENSION = """
from desktop_app import Extension, Integration
from desktop_app.hooks import IntegrationHook


class Paged(Integration):
    integration_id = "myplugin.Paged"

    def initialize(self):
        pass


class ChatExtension(Extension):
    def initialize(self):
        IntegrationHook(self, Paged)
"""


def write_package(plugins_dir):
    write_plugin(plugins_dir, "myplugin/__init__.py", INIT)
    write_plugin(plugins_dir, "myplugin/helpers.py", HELPERS)
    write_plugin(plugins_dir, "myplugin/integrations.py", INTEGRATIONS)
    write_plugin(plugins_dir, "myplugin/extension.py", EXTENSION)


def test_package_imports_its_own_modules_by_name(manager, plugins_dir, make_plugins):
    write_package(plugins_dir)
    pm = make_plugins()
    [info] = pm.load_all()
    assert info.status == "loaded", info.traceback
    assert info.module_name == "myplugin"
    # The id is the module path, as djblets makes it: nothing of the folder.
    assert manager.get_integration("myplugin.integrations.Chat").name == (
        "Chat from a package"
    )
    assert sorted(info.integration_ids) == [
        "myplugin.Paged",
        "myplugin.integrations.Chat",
    ]
    assert info.extension_ids == ["myplugin.extension.ChatExtension"]
    assert not manager.is_registered("myplugin.integrations.NotExposed")
    pm.unload_all()
    assert not [m for m in sys.modules if m.partition(".")[0] == "myplugin"]


def test_default_id_does_not_depend_on_the_folder(tmp_path, manager, make_plugins):
    ids = []
    for where in ("here", "there/deeper"):
        write_plugin(
            tmp_path / where,
            "hello.py",
            "from desktop_app import Integration\n\n"
            "class Hello(Integration):\n"
            "    def initialize(self):\n"
            "        pass\n",
        )
        pm = make_plugins(tmp_path / where)
        [info] = pm.load_all()
        ids.append(info.integration_ids)
        pm.unload_all()
    assert ids == [["hello.Hello"], ["hello.Hello"]]


def test_name_of_an_installed_module_is_a_clear_load_error(
    manager, plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "json.py", "raise RuntimeError('never runs')\n")
    write_plugin(plugins_dir, "email/__init__.py", "raise RuntimeError('never')\n")
    pm = make_plugins()
    by_name = {p.name: p for p in pm.load_all()}
    for name in ("json", "email"):
        info = by_name[name]
        assert info.status == "failed"
        assert info.error.startswith(
            f'the module name "{name}" is already taken by the installed module '
        )
        assert info.error.endswith("rename the plugin's file or folder")
    # The standard library's modules are untouched.
    import json

    assert json.dumps([1]) == "[1]"
    pm.unload_all()
    assert sys.modules["json"] is json


@pytest.mark.parametrize("run", ["load_all", "in the background"])
def test_name_of_a_module_installed_but_not_imported_is_a_load_error(
    manager, plugins_dir, make_plugins, tmp_path, monkeypatch, run
):
    # A run of imports lists sys.path once (InstalledNames); a name one of
    # its folders holds must still be found, as a module, a package, an
    # extension-like file or a namespace folder, whatever its case.
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "h15_lib.py").write_text("VALUE = 1\n")
    (site / "h15_pkg").mkdir()
    (site / "h15_pkg" / "__init__.py").write_text("")
    (site / "h15_ns").mkdir()
    monkeypatch.syspath_prepend(str(site))
    # As after the app's own imports: the path finder knows every entry,
    # so the listing is used rather than a lookup per name.
    assert importlib.util.find_spec("h15_absent") is None
    for name in ("h15_lib", "h15_pkg", "h15_ns", "h15_free"):
        write_plugin(plugins_dir, f"{name}.py", "VALUE = 'plugin'\n")
    pm = make_plugins()

    if run == "load_all":
        plugins = pm.load_all()
    else:
        calls: queue.SimpleQueue = queue.SimpleQueue()
        done: list[bool] = []
        pm.load_all_in_background(calls.put, finished=lambda: done.append(True))
        while not done:
            calls.get(timeout=30)()
        plugins = pm.plugins

    by_name = {p.name: p for p in plugins}
    for name in ("h15_lib", "h15_pkg", "h15_ns"):
        assert by_name[name].status == "failed", name
        assert "already taken by the installed module" in by_name[name].error
        assert name not in sys.modules
    assert by_name["h15_free"].status == "loaded"


def test_a_folder_added_to_sys_path_during_a_run_is_looked_in(
    manager, plugins_dir, make_plugins, tmp_path, monkeypatch
):
    # The listing belongs to the sys.path it was made from: a plugin whose
    # requirements put plugin-deps on sys.path is checked against that too.
    site = tmp_path / "late" / "site-packages"
    site.mkdir(parents=True)
    (site / "h15_late.py").write_text("VALUE = 1\n")
    listed = InstalledNames()
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(PluginNameClashError):
        claim("h15_late", "h15_late", plugins_dir / "h15_late.py", listed)


def test_file_and_package_of_the_same_name_clash(manager, plugins_dir, make_plugins):
    write_plugin(plugins_dir, "twin.py", "VALUE = 'file'\n")
    write_plugin(plugins_dir, "twin/__init__.py", "VALUE = 'package'\n")
    pm = make_plugins()
    by_name = {p.name: p for p in pm.load_all()}
    assert by_name["twin"].status == "loaded"
    assert by_name["twin.py"].status == "failed"
    assert by_name["twin.py"].error == (
        f'the module name "twin" is already taken by the plugin '
        f"{plugins_dir / 'twin'}; rename the plugin's file or folder"
    )
    assert sys.modules["twin"].VALUE == "package"


def test_submodule_imported_later_is_checked_like_the_plugin(
    manager, plugins_dir, make_plugins
):
    write_plugin(
        plugins_dir,
        "lazy/__init__.py",
        """
        from desktop_app import Integration

        class Lazy(Integration):
            def initialize(self):
                pass

        def load_late():
            import lazy.late
            return lazy.late.VALUE
        """,
    )
    pm = make_plugins()
    [info] = pm.load_all()
    assert info.loaded, info.traceback
    late = write_plugin(plugins_dir, "lazy/late.py", "VALUE = 1\n")
    late.chmod(0o666)
    module = sys.modules["lazy"]
    try:
        module.load_late()
    except Exception as e:  # noqa: BLE001 - the refusal is what we look at
        error = e
    assert "writable by other users" in str(error)
    assert "lazy.late" not in sys.modules
    late.chmod(0o600)
    assert module.load_late() == 1


def test_plugin_ids_are_not_taken_from_base_classes():
    class Base(Integration):
        def initialize(self):
            pass

    assert Base.integration_id == f"{__name__}.Base"
