"""Folder plugins import under their own name, like installed packages."""

from __future__ import annotations

import sys

from desktop_app import Integration
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
