"""Loading folder plugins: the good one works, broken ones are reported."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop_app import signals
from desktop_app.activity import get_activity_log
from tests._support.plugin_files import write_plugin
from tests._support.saved_configs import add_enabled_config

ROOT = Path(__file__).resolve().parents[2]

GOOD = """
from desktop_app import Integration, SignalHook, define_signal, forms

__version__ = "1.2"

ping = define_signal(
    "test.good.ping",
    description="A ping.",
    payload={"count": forms.IntegerField()},
)
received = []


class GoodIntegration(Integration):
    integration_id = "test.good"
    name = "Good"

    def initialize(self):
        SignalHook(self, ping, self._on_ping)

    def _on_ping(self, count, **kwargs):
        for config in self.get_configs():
            received.append((config.name, count))
"""


def test_good_plugin_loads_and_delivers(manager, plugins_dir, make_plugins):
    write_plugin(plugins_dir, "good.py", GOOD)
    add_enabled_config(manager, "test.good", "first")
    pm = make_plugins()
    [info] = pm.load_all()
    assert info.status == "loaded", info.error
    assert info.source == "folder"
    assert info.version == "1.2"
    assert info.path == plugins_dir / "good.py"
    assert info.integration_ids == ["test.good"]
    assert info.signal_names == ["test.good.ping"]
    assert manager.get_integration("test.good").enabled
    signals.get_signal("test.good.ping").send(None, count=3)
    module = sys.modules[info.module_name]
    assert module.received == [("first", 3)]


def test_broken_plugins_are_reported_and_the_good_one_still_works(
    manager, plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "good.py", GOOD)
    write_plugin(plugins_dir, "syntax.py", "def broken(:\n    pass\n")
    write_plugin(plugins_dir, "missing.py", "import nope_not_installed_xyz\n")
    write_plugin(plugins_dir, "raises.py", "raise RuntimeError('boom at import')\n")
    write_plugin(plugins_dir, "exits.py", "import sys\nsys.exit(3)\n")
    add_enabled_config(manager, "test.good")
    pm = make_plugins()
    pm.load_all()
    by_name = {p.name: p for p in pm.plugins}
    assert by_name["good"].status == "loaded"
    for name, text in [
        ("syntax", "SyntaxError"),
        ("missing", "ModuleNotFoundError: No module named 'nope_not_installed_xyz'"),
        ("raises", "RuntimeError: boom at import"),
        ("exits", "SystemExit: 3"),
    ]:
        info = by_name[name]
        assert info.status == "failed"
        assert text in info.error
        assert "\n" not in info.error
        assert "Traceback" in info.traceback
        assert info.path == plugins_dir / f"{name}.py"
        assert info.module_name not in sys.modules
    signals.get_signal("test.good.ping").send(None, count=1)
    assert sys.modules[by_name["good"].module_name].received == [("cfg", 1)]


def test_keyboard_interrupt_raised_by_a_plugin_is_its_failure(
    plugins_dir, make_plugins
):
    # Plugin code, not the user's Ctrl-C: it must not stop the app (the
    # user's Ctrl-C is tested in test_containment).
    write_plugin(plugins_dir, "ctrl_c.py", "raise KeyboardInterrupt\n")
    (info,) = make_plugins().load_all()
    assert info.failed
    assert info.error == "KeyboardInterrupt"


def test_integration_failing_in_initialize_is_recorded(
    manager, plugins_dir, make_plugins
):
    write_plugin(
        plugins_dir,
        "bad_init.py",
        """
        from desktop_app import Integration

        class BadInit(Integration):
            integration_id = "test.bad_init"

            def initialize(self):
                raise ValueError("no token configured")
        """,
    )
    add_enabled_config(manager, "test.bad_init")
    [info] = make_plugins().load_all()
    assert info.status == "failed"
    assert "initialize() failed: ValueError: no token configured" in info.error
    assert "Traceback" in info.traceback
    assert info.integration_ids == ["test.bad_init"]
    assert not manager.get_integration("test.bad_init").enabled


def test_extension_failing_in_initialize_is_recorded_and_rolled_back(
    manager, plugins_dir, make_plugins
):
    write_plugin(
        plugins_dir,
        "bad_ext.py",
        """
        from desktop_app import Extension, Integration, IntegrationHook

        class Thing(Integration):
            integration_id = "test.bad_ext.thing"

            def initialize(self):
                pass

        class BadExtension(Extension):
            def initialize(self):
                IntegrationHook(self, Thing)
                raise OSError("cannot reach the service")
        """,
    )
    [info] = make_plugins().load_all()
    assert info.status == "failed"
    assert info.error == "OSError: cannot reach the service"
    assert not manager.is_registered("test.bad_ext.thing")


def test_extension_provides_integrations_through_its_hook(
    manager, plugins_dir, make_plugins
):
    write_plugin(
        plugins_dir,
        "with_ext.py",
        """
        from desktop_app import Extension, Integration, IntegrationHook

        class Provided(Integration):
            integration_id = "test.with_ext.provided"

            def initialize(self):
                pass

        class MyExtension(Extension):
            def initialize(self):
                IntegrationHook(self, Provided)
        """,
    )
    pm = make_plugins()
    [info] = pm.load_all()
    assert info.status == "loaded", info.error
    assert info.integration_ids == ["test.with_ext.provided"]
    assert info.extension_ids == [f"{info.module_name}.MyExtension"]
    pm.unload_all()
    assert not manager.is_registered("test.with_ext.provided")


def test_a_plugin_is_credited_with_what_it_registered_even_when_it_removes_one(
    manager, plugins_dir, make_plugins
):
    # Two plugins load; the second's extension takes the first's integration
    # out and provides its own. Only its own is the second plugin's.
    write_plugin(plugins_dir, "a_first.py", GOOD)
    write_plugin(
        plugins_dir,
        "b_taker.py",
        """
        from desktop_app import Extension, Integration, IntegrationHook
        from desktop_app.manager import get_integration_manager

        class Own(Integration):
            integration_id = "test.taker.own"

            def initialize(self):
                pass

        class Taker(Extension):
            def initialize(self):
                get_integration_manager().unregister_integration_class("test.good")
                IntegrationHook(self, Own)
        """,
    )
    pm = make_plugins()
    by_name = {info.name: info for info in pm.load_all()}
    assert by_name["b_taker"].integration_ids == ["test.taker.own"]
    assert not manager.is_registered("test.good")
    pm.unload_all()
    assert not manager.is_registered("test.taker.own")


def test_handler_that_raises_is_recorded_and_does_not_reach_the_sender(
    manager, plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "good.py", GOOD)
    write_plugin(
        plugins_dir,
        "z_bad_handler.py",
        """
        from desktop_app import Integration, SignalHook, signals

        class BadHandler(Integration):
            integration_id = "test.bad_handler"

            def initialize(self):
                ping = signals.get_signal("test.good.ping")
                SignalHook(self, ping, self._on_ping)

            def _on_ping(self, **kwargs):
                raise ZeroDivisionError("handler bug")
        """,
    )
    add_enabled_config(manager, "test.good")
    add_enabled_config(manager, "test.bad_handler")
    pm = make_plugins()
    pm.load_all()
    assert [p.status for p in pm.plugins] == ["loaded", "loaded"]
    signals.get_signal("test.good.ping").send(None, count=7)
    assert sys.modules[pm.get("good").module_name].received == [("cfg", 7)]
    failed = [r for r in get_activity_log().records() if r.failed]
    assert [(r.integration_id, r.error) for r in failed] == [
        ("test.bad_handler", "ZeroDivisionError: handler bug")
    ]


def test_duplicate_integration_id_fails_the_second_plugin(
    manager, plugins_dir, make_plugins
):
    code = """
        from desktop_app import Integration

        class Same(Integration):
            integration_id = "test.same"

            def initialize(self):
                pass
        """
    write_plugin(plugins_dir, "a_first.py", code)
    write_plugin(plugins_dir, "b_second.py", code)
    write_plugin(plugins_dir, "good.py", GOOD)
    pm = make_plugins()
    pm.load_all()
    first, second, good = pm.get("a_first"), pm.get("b_second"), pm.get("good")
    assert first.status == "loaded"
    assert good.status == "loaded"
    assert second.status == "failed"
    assert second.error == (
        'the integration id "test.same" is already registered by plugin "a_first"'
    )
    assert second.integration_ids == []
    assert type(manager.get_integration("test.same")).__module__ == first.module_name


def test_private_and_hidden_files_are_skipped(plugins_dir, make_plugins):
    write_plugin(plugins_dir, "_helper.py", "raise RuntimeError('not a plugin')\n")
    write_plugin(plugins_dir, ".hidden.py", "raise RuntimeError('not a plugin')\n")
    write_plugin(plugins_dir, "notes.txt", "not python")
    write_plugin(plugins_dir, "no_init/mod.py", "raise RuntimeError('no package')\n")
    write_plugin(plugins_dir, "good.py", GOOD)
    assert [p.name for p in make_plugins().load_all()] == ["good"]


def test_package_plugin_with_relative_imports(manager, plugins_dir, make_plugins):
    write_plugin(
        plugins_dir,
        "pkg/__init__.py",
        """
        from desktop_app import Integration
        from .helpers import NAME

        class PackageIntegration(Integration):
            integration_id = "test.pkg"
            name = NAME

            def initialize(self):
                pass
        """,
    )
    write_plugin(plugins_dir, "pkg/helpers.py", "NAME = 'From a package'\n")
    pm = make_plugins()
    [info] = pm.load_all()
    assert info.status == "loaded", info.traceback
    assert info.path == plugins_dir / "pkg"
    assert manager.get_integration("test.pkg").name == "From a package"
    assert f"{info.module_name}.helpers" in sys.modules
    pm.unload_all()
    assert f"{info.module_name}.helpers" not in sys.modules


def test_same_file_name_in_two_folders_is_a_clear_clash(
    tmp_path, manager, make_plugins
):
    for n in (1, 2):
        write_plugin(
            tmp_path / f"src{n}",
            "dup.py",
            f"""
            from desktop_app import Integration
            VALUE = {n}

            class Dup(Integration):
                integration_id = "test.dup{n}"

                def initialize(self):
                    pass
            """,
        )
    one = make_plugins(tmp_path / "src1").load_all()[0]
    two = make_plugins(tmp_path / "src2").load_all()[0]
    assert one.status == "loaded"
    assert two.status == "failed"
    assert two.error == (
        f'the module name "dup" is already taken by the plugin '
        f"{tmp_path / 'src1' / 'dup.py'}; rename the plugin's file or folder"
    )
    # The first keeps its module and integration: no silent shadowing.
    assert sys.modules["dup"].VALUE == 1
    assert manager.is_registered("test.dup1")
    assert not manager.is_registered("test.dup2")
