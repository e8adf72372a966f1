"""The scan of installed distributions is cached in the data folder, and
the cache is dropped as soon as anything installed changes."""

from __future__ import annotations

import importlib.metadata

import pytest

from desktop_app.plugins._discovery import discover_entry_points
from tests.plugins.conftest import make_distribution


def _dist(site, name, version="1.0", group_entries=None):
    return make_distribution(
        site,
        f"{name}-dist",
        version,
        group_entries if group_entries is not None else {name: f"{name}_plugin"},
        {f"{name}_plugin.py": "VALUE = 1\n"},
    )


def _ours(sources):
    """The test's distributions (the app's own built-ins are installed too)."""
    return [s for s in sources if s.distribution and s.distribution.endswith("-dist")]


def _names(sources):
    return [s.name for s in _ours(sources)]


def _no_scan(*args, **kwargs):
    raise AssertionError("importlib.metadata was asked although nothing changed")


@pytest.fixture
def site(tmp_path, monkeypatch):
    folder = tmp_path / "site"
    _dist(folder, "acme")
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_an_unchanged_install_is_answered_from_the_cache(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "entry_points.json"
    first = discover_entry_points(cache)
    assert [(s.name, s.module, s.version) for s in _ours(first)] == [
        ("acme", "acme_plugin", "1.0")
    ]
    assert cache.parent.stat().st_mode & 0o077 == 0

    monkeypatch.setattr(importlib.metadata, "entry_points", _no_scan)
    assert discover_entry_points(cache) == first


def test_installing_a_distribution_is_seen_on_the_next_start(site, tmp_path):
    cache = tmp_path / "cache" / "entry_points.json"
    discover_entry_points(cache)
    _dist(site, "zeta")
    assert _names(discover_entry_points(cache)) == ["acme", "zeta"]


def test_an_entry_points_file_edited_in_place_is_seen(site, tmp_path):
    cache = tmp_path / "cache" / "entry_points.json"
    discover_entry_points(cache)
    [info] = site.glob("acme_dist-*.dist-info")
    (info / "entry_points.txt").write_text(
        "[desktop_app.plugins]\nacme = acme_plugin\nacme2 = acme_plugin\n",
        encoding="utf-8",
    )
    assert _names(discover_entry_points(cache)) == ["acme", "acme2"]


def test_a_damaged_cache_is_scanned_again_and_rewritten(site, tmp_path):
    cache = tmp_path / "cache" / "entry_points.json"
    discover_entry_points(cache)
    cache.write_text("{not json", encoding="utf-8")
    assert _names(discover_entry_points(cache)) == ["acme"]
    assert cache.read_text(encoding="utf-8").startswith("{")


def test_a_cache_folder_others_can_write_is_not_believed(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "entry_points.json"
    discover_entry_points(cache)
    cache.parent.chmod(0o777)
    calls = []
    real = importlib.metadata.entry_points

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(importlib.metadata, "entry_points", counting)
    assert _names(discover_entry_points(cache)) == ["acme"]
    assert calls, "a cache others can write must not decide what is imported"
