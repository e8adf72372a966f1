"""Ownership, not only mode bits: a plugin runs only when its code and every
folder from the data folder down to it belong to the user (or root) and
others cannot write to them. Symbolic links are followed only to targets
that pass the same checks.

The tests run as root (as CI does), which can hand files to another uid.
"""

from __future__ import annotations

import os
import sys

import pytest

from desktop_app._paths import DataPaths, user_name
from desktop_app.errors import PluginUnsafeError
from desktop_app.plugins._safety import check_plugin_safe
from tests._support.child_processes import run_cli
from tests._support.plugin_files import write_plugin

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX owners")

OTHER = 12345

GOOD = """
from desktop_app import Integration

class Safe(Integration):
    integration_id = "test.owned"
    name = "Owned"

    def initialize(self):
        pass
"""

RUNS_ON_IMPORT = """
import pathlib
pathlib.Path(__file__).with_name("ran.txt").write_text("ran")
"""


@pytest.fixture(autouse=True)
def _can_give_files_away(tmp_path):
    probe = tmp_path / "probe"
    probe.touch()
    try:
        os.chown(probe, OTHER, OTHER)
    except PermissionError:
        pytest.skip("handing files to another user needs root")


def give_away(path):
    os.chown(path, OTHER, OTHER, follow_symlinks=False)


def owned_by_other(path) -> str:
    return (
        f"{path} belongs to another user (uid {OTHER}), who could change the "
        f"code it runs; if you trust it, fix it with chown {user_name()} {path}, "
        f"else remove it"
    )


def test_a_read_only_plugin_owned_by_another_user_is_refused(
    manager, plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "good.py", GOOD)
    theirs = write_plugin(plugins_dir, "theirs.py", RUNS_ON_IMPORT)
    theirs.chmod(0o644)
    give_away(theirs)

    plugins = make_plugins()
    plugins.load_all()

    assert plugins.get("good").loaded
    refused = plugins.get("theirs")
    assert refused.refused
    assert refused.error == owned_by_other(theirs)
    assert not (plugins_dir / "ran.txt").exists()


def test_a_module_inside_a_package_owned_by_another_user_refuses_it(
    plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "pkg/__init__.py", "from . import helper\n")
    helper = write_plugin(plugins_dir, "pkg/helper.py", RUNS_ON_IMPORT)
    give_away(helper)

    plugins = make_plugins()
    plugins.load_all()

    assert plugins.get("pkg").error == owned_by_other(helper)
    assert not (plugins_dir / "pkg" / "ran.txt").exists()


def test_another_user_replacing_plugins_in_an_open_data_folder_runs_nothing(
    tmp_path, manager, make_plugins
):
    # The reproduction: a 0777 data folder; another user moved the victim's
    # plugins folder away and put their own, with their own code, in place.
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o777)
    theirs = data / "plugins"
    write_plugin(theirs, "evil.py", RUNS_ON_IMPORT)
    theirs.chmod(0o755)
    give_away(theirs)
    give_away(theirs / "evil.py")

    plugins = make_plugins(theirs)
    plugins.load_all()

    info = plugins.get("evil")
    assert info.refused
    # The outermost problem is named first: fixing it is what protects.
    assert info.error == (
        f"{data} is writable by other users (mode 0777); fix it with chmod go-w {data}"
    )
    assert not (theirs / "ran.txt").exists()
    assert not any(m.endswith(".evil") for m in sys.modules)


def test_a_plugins_folder_owned_by_another_user_refuses_its_plugins(
    plugins_dir, make_plugins
):
    write_plugin(plugins_dir, "evil.py", RUNS_ON_IMPORT)
    plugins_dir.chmod(0o755)
    give_away(plugins_dir)

    plugins = make_plugins()
    plugins.load_all()

    assert plugins.get("evil").error == owned_by_other(plugins_dir)
    assert not (plugins_dir / "ran.txt").exists()


def test_every_folder_between_the_data_folder_and_the_plugins_is_checked(tmp_path):
    data = tmp_path / "data"
    plugin = write_plugin(data / "shared" / "plugins", "p.py", GOOD)
    (data / "shared").chmod(0o775)

    with pytest.raises(PluginUnsafeError) as caught:
        check_plugin_safe("p", plugin, plugin.parent, data)

    assert caught.value.unsafe_path == str(data / "shared")
    assert caught.value.mode == 0o775


def test_a_link_to_a_private_file_of_the_user_loads(
    tmp_path, manager, plugins_dir, make_plugins
):
    elsewhere = tmp_path / "dev"
    target = write_plugin(elsewhere, "linked.py", GOOD)
    elsewhere.chmod(0o755)
    target.chmod(0o644)
    (plugins_dir / "linked.py").symlink_to(target)

    plugins = make_plugins()
    plugins.load_all()

    assert plugins.get("linked").loaded
    assert manager.is_registered("test.owned")


def test_a_link_to_another_users_file_is_refused_and_says_why(
    tmp_path, plugins_dir, make_plugins
):
    target = write_plugin(tmp_path / "dev", "linked.py", RUNS_ON_IMPORT)
    give_away(target)
    link = plugins_dir / "linked.py"
    link.symlink_to(target)

    plugins = make_plugins()
    plugins.load_all()

    info = plugins.get("linked")
    assert info.refused
    assert info.error == (
        f"{link} is a symbolic link, followed only when its target passes the "
        f"same checks, and it does not: {owned_by_other(target)}"
    )
    assert not (tmp_path / "dev" / "ran.txt").exists()


def test_a_link_into_a_folder_others_can_write_to_is_refused(
    tmp_path, plugins_dir, make_plugins
):
    # The file is the user's, but whoever can write to its folder can
    # replace it.
    open_folder = tmp_path / "open"
    target = write_plugin(open_folder, "linked.py", RUNS_ON_IMPORT)
    open_folder.chmod(0o777)
    (plugins_dir / "linked.py").symlink_to(target)

    plugins = make_plugins()
    plugins.load_all()

    error = plugins.get("linked").error
    assert "is a symbolic link, followed only when its target passes" in error
    assert f"{open_folder} is writable by other users (mode 0777)" in error
    assert not (open_folder / "ran.txt").exists()


def test_a_linked_plugins_folder_owned_by_another_user_is_refused(
    tmp_path, make_plugins
):
    theirs = tmp_path / "theirs"
    write_plugin(theirs, "evil.py", RUNS_ON_IMPORT)
    theirs.chmod(0o755)
    give_away(theirs)
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "plugins").symlink_to(theirs)

    plugins = make_plugins(data / "plugins")
    plugins.load_all()

    info = plugins.get("evil")
    assert info.error == (
        f"{data / 'plugins'} is a symbolic link, followed only when its target "
        f"passes the same checks, and it does not: {owned_by_other(theirs)}"
    )
    assert not (theirs / "ran.txt").exists()


def test_a_data_folder_others_can_write_to_is_a_refusal_with_the_fix(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o777)

    paths = DataPaths(data).ensure()

    assert paths.permission_warnings[0] == (
        f"Plugins are not loaded from {data}: the folder can be changed by other "
        f"users (mode 777), so they could make this app run their code. Run "
        f"'chmod 700 {data}', then reload plugins or start the app again."
    )


def test_a_data_folder_of_another_user_is_a_refusal_with_the_fix(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    give_away(data)

    paths = DataPaths(data).ensure()

    assert paths.permission_warnings[0] == (
        f"Plugins are not loaded from {data}: the folder belongs to another user "
        f"(uid {OTHER}), so they could make this app run their code. Run "
        f"'chown {user_name()} {data}' and 'chmod 700 {data}', then reload "
        f"plugins or start the app again."
    )


def test_the_command_line_refuses_drop_ins_from_an_open_data_folder(tmp_path):
    data = tmp_path / "data"
    write_plugin(data / "plugins", "dropped.py", RUNS_ON_IMPORT)
    data.chmod(0o777)
    (data / "plugins").chmod(0o700)

    result = run_cli(data, "list")

    assert result.returncode == 0, result.stderr
    assert (
        f"desktop-app: warning: Plugins are not loaded from {data}: the folder "
        f"can be changed by other users (mode 777)" in result.stderr
    )
    [line] = [line for line in result.stdout.splitlines() if "dropped" in line]
    assert line.endswith(
        f"refused: {data} is writable by other users (mode 0777); "
        f"fix it with chmod go-w {data} ({data / 'plugins' / 'dropped.py'})"
    )
    assert not (data / "plugins" / "ran.txt").exists()
