"""Fixtures for plugin tests: a temp plugins folder and a plugin manager."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from desktop_app.config import IntegrationConfig
from desktop_app.plugins import PluginManager


def write_plugin(folder: Path, name: str, code: str) -> Path:
    """Write a plugin file (or ``pkg/__init__.py`` style path) into a folder."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return path


def make_distribution(
    root: Path,
    name: str,
    version: str,
    entry_points: dict[str, str],
    modules: dict[str, str],
) -> Path:
    """Build an installed-looking distribution (a ``*.dist-info`` folder and
    its modules) under ``root``, to put on ``sys.path``."""
    root.mkdir(parents=True, exist_ok=True)
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = ["[desktop_app.plugins]"]
    lines += [f"{key} = {value}" for key, value in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for rel, code in modules.items():
        write_plugin(root, rel, code)
    return root


def add_enabled_config(manager, integration_id: str, name: str = "cfg") -> int:
    """Store an enabled config for an integration that is not registered yet."""
    config = IntegrationConfig(integration_id, name=name, enabled=True)
    manager.store.save_config(config)
    manager.clear_all_configs_cache()
    return config.id


@pytest.fixture
def plugins_dir(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    return folder


@pytest.fixture
def make_plugins(manager, plugins_dir, tmp_path):
    """Factory of PluginManagers; every one made is unloaded at the end."""
    made: list[PluginManager] = []

    def make(folder: Path | None = None, **kwargs) -> PluginManager:
        kwargs.setdefault("entry_points", False)
        kwargs.setdefault("state_path", tmp_path / "plugins.json")
        pm = PluginManager(manager, folder or plugins_dir, **kwargs)
        made.append(pm)
        return pm

    yield make
    for pm in reversed(made):
        pm.unload_all()
