"""Fixtures for plugin tests: a temp plugins folder and a plugin manager."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.plugins import PluginManager


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
