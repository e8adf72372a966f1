"""Plugins from installed distributions: what is installed, upgraded or
removed between two starts is what the next start loads."""

from __future__ import annotations

import pytest

from tests._support.plugin_files import make_distribution

PLUGIN = """
from desktop_app import Integration

class {name}(Integration):
    integration_id = "{name}.integration"

    def initialize(self):
        pass
"""


def _install(site, name, version="1.0", entries=None):
    return make_distribution(
        site,
        f"{name}-dist",
        version,
        entries if entries is not None else {name: f"{name}_plugin"},
        {f"{name}_plugin.py": PLUGIN.format(name=name)},
    )


def _start(make_plugins):
    """One start of the app: a new plugin manager loading everything."""
    pm = make_plugins(entry_points=True)
    pm.load_all()
    ours = [p for p in pm.plugins if (p.distribution or "").endswith("-dist")]
    return pm, {(p.name, p.shown_version(), p.status) for p in ours}


@pytest.fixture
def site(tmp_path, monkeypatch):
    folder = tmp_path / "site"
    _install(folder, "acme")
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_a_distribution_installed_between_starts_loads_on_the_next(
    site, make_plugins, manager
):
    pm, loaded = _start(make_plugins)
    assert loaded == {("acme", "1.0", "loaded")}
    pm.unload_all()

    _install(site, "zeta", "2.0")
    pm, loaded = _start(make_plugins)
    assert loaded == {("acme", "1.0", "loaded"), ("zeta", "2.0", "loaded")}
    assert manager.is_registered("zeta.integration")


def test_an_entry_point_added_in_place_loads_on_the_next_start(
    site, make_plugins, manager
):
    # An editable re-install rewrites entry_points.txt in its folder.
    pm, _ = _start(make_plugins)
    pm.unload_all()
    [info] = site.glob("acme_dist-*.dist-info")
    (info / "entry_points.txt").write_text(
        "[desktop_app.plugins]\nacme = acme_plugin\nacme2 = acme2_plugin\n",
        encoding="utf-8",
    )
    (site / "acme2_plugin.py").write_text(PLUGIN.format(name="acme2"))

    _, loaded = _start(make_plugins)
    assert loaded == {("acme", "1.0", "loaded"), ("acme2", "1.0", "loaded")}
    assert manager.is_registered("acme2.integration")


def test_a_distribution_removed_between_starts_is_gone_on_the_next(
    site, make_plugins, manager
):
    pm, _ = _start(make_plugins)
    pm.unload_all()
    [info] = site.glob("acme_dist-*.dist-info")
    for file in info.iterdir():
        file.unlink()
    info.rmdir()

    _, loaded = _start(make_plugins)
    assert loaded == set()
    assert not manager.is_registered("acme.integration")
