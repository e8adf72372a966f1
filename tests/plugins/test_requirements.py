"""Plugins declare the packages they need; an unmet one is a plain status,
and the plugin's code is not run."""

from __future__ import annotations

import sys

import pytest

from tests._support.plugin_files import make_distribution, write_plugin

NEEDY = """
requirements = {requirements!r}

import {module}

from desktop_app import Integration


class Needy(Integration):
    def initialize(self):
        pass
"""


@pytest.fixture
def installed(tmp_path):
    """An installed distribution ``h12-fakedep`` 1.0 on ``sys.path``."""
    root = make_distribution(
        tmp_path / "site",
        "h12-fakedep",
        "1.0",
        {},
        {"h12_fakedep/__init__.py": "VERSION = '1.0'\n"},
    )
    sys.path.append(str(root))
    yield root
    sys.path.remove(str(root))
    sys.modules.pop("h12_fakedep", None)


def write_needy(plugins_dir, requirements, module="h12_fakedep"):
    write_plugin(
        plugins_dir,
        "needy.py",
        NEEDY.format(requirements=requirements, module=module),
    )


def test_a_missing_package_is_a_plain_status(plugins_dir, make_plugins, manager):
    write_needy(plugins_dir, ["h12-not-installed >= 6"], module="h12_not_installed")
    [info] = make_plugins().load_all()
    assert info.status == "failed"
    assert info.error == (
        "needs h12-not-installed >= 6 (not installed); install with: "
        "desktop-app plugins install-deps needy"
    )
    assert info.missing_requirements == ["h12-not-installed >= 6 (not installed)"]
    # Its code never ran: no ModuleNotFoundError, no registered integration.
    assert "ModuleNotFoundError" not in info.traceback
    assert not manager.is_registered("needy.Needy")


def test_a_too_old_package_names_the_version_found(
    installed, plugins_dir, make_plugins
):
    write_needy(plugins_dir, ["H12_FakeDep>=2,<3"])
    [info] = make_plugins().load_all()
    assert info.missing_requirements == ["H12_FakeDep < 3, >= 2 (1.0 installed)"]


@pytest.mark.parametrize(
    "requirements",
    [
        ["h12-fakedep >= 1"],
        ("h12-fakedep",),
        ["h12-fakedep", "h12-never; sys_platform == 'no-such-platform'"],
        ["packaging >= 20"],
    ],
)
def test_met_requirements_load(installed, plugins_dir, make_plugins, requirements):
    write_needy(plugins_dir, requirements)
    [info] = make_plugins().load_all()
    assert info.status == "loaded", info.error
    assert info.missing_requirements == []


@pytest.mark.parametrize(
    ("declaration", "error"),
    [
        (
            "requirements = 'PyYAML'\n",
            "its requirements (line 1) must be a list of strings such as "
            '["PyYAML >= 6"]',
        ),
        (
            "requirements = [compute()]\n",
            "its requirements (line 1) must be a list of strings such as "
            '["PyYAML >= 6"]',
        ),
        (
            "requirements = ['PyYAML >>= 6']\n",
            "its requirement 'PyYAML >>= 6' is not valid: ",
        ),
    ],
)
def test_a_bad_declaration_is_a_clear_error(
    plugins_dir, make_plugins, declaration, error
):
    write_plugin(plugins_dir, "bad_decl.py", declaration + "raise SystemExit(9)\n")
    [info] = make_plugins().load_all()
    assert info.status == "failed"
    assert info.error.startswith(error)
    assert "SystemExit" not in info.error


def test_reload_tries_again_once_the_package_is_there(
    tmp_path, plugins_dir, make_plugins
):
    write_needy(plugins_dir, ["h12-later >= 1"], module="h12_later")
    pm = make_plugins()
    [info] = pm.load_all()
    assert info.missing_requirements
    assert pm.reload_changed() == []  # nothing new: no change reported
    make_distribution(
        pm.deps_dir, "h12-later", "1.5", {}, {"h12_later/__init__.py": ""}
    )
    try:
        assert pm.reload_changed() == [info]
        assert info.status == "loaded", info.error
        assert str(pm.deps_dir) in sys.path  # after the app's own packages
        assert sys.path.index(str(pm.deps_dir)) > 0
    finally:
        pm.unload_all()
        sys.modules.pop("h12_later", None)
    assert str(pm.deps_dir) not in sys.path
