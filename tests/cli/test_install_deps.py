"""``desktop-app plugins install-deps``: a plugin's requirements installed
with pip into the data folder, from a local wheel (never the network)."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import zipfile

import pytest

from tests._support.child_processes import ROOT
from tests._support.plugin_files import write_plugin

PLUGIN = """
requirements = ["h12-tinydep >= 1"]

import h12_tinydep

from desktop_app import Integration


class Needy(Integration):
    name = h12_tinydep.NAME

    def initialize(self):
        pass
"""


def build_wheel(folder):
    """A minimal pure-Python wheel of ``h12-tinydep`` 1.0."""
    folder.mkdir()
    info = "h12_tinydep-1.0.dist-info"
    files = {
        "h12_tinydep/__init__.py": "NAME = 'Needy, from a wheel'\n",
        f"{info}/METADATA": "Metadata-Version: 2.1\nName: h12-tinydep\nVersion: 1.0\n",
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
            "Tag: py3-none-any\n"
        ),
    }
    record = []
    for name, text in files.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
        record.append(f"{name},sha256={digest.rstrip(b'=').decode()},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = "\n".join(record) + "\n"
    with zipfile.ZipFile(folder / "h12_tinydep-1.0-py3-none-any.whl", "w") as whl:
        for name, text in files.items():
            whl.writestr(name, text)
    return folder


@pytest.fixture
def data_dir(tmp_path):
    data = tmp_path / "data"
    write_plugin(data / "plugins", "needy.py", PLUGIN)
    return data


def run(data_dir, wheels, *args, stdin=""):
    env = dict(
        os.environ,
        DESKTOP_APP_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
        # pip: this folder only, no index, no machine-wide settings.
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheels),
    )
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=data_dir,
        timeout=180,
    )


def test_install_deps_asks_installs_and_the_plugin_loads(tmp_path, data_dir):
    wheels = build_wheel(tmp_path / "wheels")
    listed = run(data_dir, wheels, "list")
    assert (
        "  needy  [plugins folder]  -  failed: needs h12-tinydep >= 1 (not installed); "
        "install with: desktop-app plugins install-deps needy "
        f"({data_dir / 'plugins' / 'needy.py'})"
    ) in listed.stdout.splitlines()

    declined = run(data_dir, wheels, "plugins", "install-deps", "needy", stdin="n\n")
    assert declined.returncode == 1
    assert declined.stdout.splitlines() == [
        "needy needs h12-tinydep >= 1 (not installed).",
        f"Install with pip into {data_dir / 'plugin-deps'}? [y/N] Nothing installed.",
    ]
    assert not (data_dir / "plugin-deps" / "h12_tinydep").exists()

    installed = run(data_dir, wheels, "plugins", "install-deps", "needy", "--yes")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (data_dir / "plugin-deps" / "h12_tinydep" / "__init__.py").is_file()
    assert "Installed." in installed.stdout

    listed = run(data_dir, wheels, "list")
    assert "  needy  [plugins folder]  -  loaded  (integrations: needy.Needy)" in (
        listed.stdout.splitlines()
    )
    assert "needy.Needy  Needy, from a wheel" in listed.stdout

    again = run(data_dir, wheels, "plugins", "install-deps", "needy")
    assert again.returncode == 0
    assert again.stdout == "Everything needy needs is installed.\n"


def test_install_deps_of_an_unknown_plugin_is_one_line(tmp_path, data_dir):
    result = run(data_dir, tmp_path, "plugins", "install-deps", "nope", "--yes")
    assert result.returncode == 1
    assert result.stderr == (
        f'desktop-app: error: no plugin named "nope" in {data_dir / "plugins"}\n'
    )


def test_install_deps_that_pip_cannot_find_fails_clearly(tmp_path, data_dir):
    (tmp_path / "empty").mkdir()
    result = run(data_dir, tmp_path / "empty", "plugins", "install-deps", "needy", "-y")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        "desktop-app: error: pip could not install them (exit status 1)"
    )
    assert "Traceback" not in result.stderr
