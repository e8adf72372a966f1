"""The entry-point scan is remembered in the data folder and read again as
soon as anything it came from changes: a distribution installed, removed
or edited in place, ``sys.path``, a damaged or untrusted cache file."""

from __future__ import annotations

import json
import os
import sys
import time

import pytest

from desktop_app.plugins._entry_point_cache import CACHE_NAME
from tests._support.plugin_files import make_distribution

PLUGIN = """
from desktop_app import Integration

class {name}(Integration):
    integration_id = "{name}.integration"

    def initialize(self):
        pass
"""


def _install(site, name):
    make_distribution(
        site,
        f"{name}-dist",
        "1.0",
        {name: f"{name}_plugin"},
        {f"{name}_plugin.py": PLUGIN.format(name=name)},
    )


def _age(*folders):
    """Date every file and folder under ``folders`` a minute back: the cache
    trusts no time younger than two seconds."""
    past = time.time() - 60
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            for name in dirs + files:
                os.utime(os.path.join(root, name), (past, past))
        os.utime(folder, (past, past))


def _names(make_plugins):
    """One start: the names of the test distributions' plugins found
    (loaded or not)."""
    pm = make_plugins(entry_points=True)
    found = pm.load_all()
    pm.unload_all()
    return {p.name for p in found if (p.distribution or "").endswith("-dist")}


@pytest.fixture
def site(tmp_path, monkeypatch):
    folder = tmp_path / "site"
    _install(folder, "acme")
    # Only folders the test controls and the installed ones (which nothing
    # writes to while tests run): other tests write to the current folder
    # and to folders they put on sys.path.
    installed = [p for p in sys.path if p.startswith((sys.prefix, sys.base_prefix))]
    monkeypatch.setattr(sys, "path", [str(folder), *installed])
    _age(folder)
    return folder


@pytest.fixture
def cache_file(plugins_dir):
    return plugins_dir.parent / "cache" / CACHE_NAME


def _plant(cache_file, name):
    """Add an entry point to the stored answer, keeping its fingerprint: it
    is reported only if the stored answer is believed."""
    data = json.loads(cache_file.read_text())
    data["entry_points"].append([name, f"{name}_plugin", "planted-dist"])
    cache_file.write_text(json.dumps(data))


def test_the_scan_is_stored_and_believed_while_nothing_changed(
    site, make_plugins, cache_file
):
    names = _names(make_plugins)
    assert names == {"acme"}
    assert cache_file.is_file()
    _plant(cache_file, "planted")

    pm = make_plugins(entry_points=True)
    assert "planted" in {s.name for s in pm._new_sources()}


@pytest.mark.parametrize("change", ["install", "remove", "edit in place", "sys.path"])
def test_a_change_to_what_is_installed_is_seen_on_the_next_start(
    site, make_plugins, cache_file, tmp_path, monkeypatch, change
):
    _names(make_plugins)
    _plant(cache_file, "planted")
    [info] = site.glob("acme_dist-*.dist-info")
    expected = {"acme"}
    # Each change is dated back too, so it is the fingerprint that tells
    # (not the two-second rule for fresh times).
    if change == "install":
        _install(site, "zeta")
        _age(site)
        expected = {"acme", "zeta"}
    elif change == "remove":
        for file in info.iterdir():
            file.unlink()
        info.rmdir()
        _age(site)
        expected = set()
    elif change == "edit in place":
        # An editable re-install rewrites entry_points.txt; the folders
        # around it keep their times.
        site_time = site.stat().st_mtime_ns
        (info / "entry_points.txt").write_text(
            "[desktop_app.plugins]\nacme = acme_plugin\nacme2 = acme_plugin\n"
        )
        past = time.time() - 30
        os.utime(info / "entry_points.txt", (past, past))
        assert site.stat().st_mtime_ns == site_time
        assert info.stat().st_mtime_ns <= site_time
        expected = {"acme", "acme2"}
    else:
        other = tmp_path / "other-site"
        _install(other, "omega")
        _age(other)
        monkeypatch.setattr(sys, "path", [str(other), *sys.path])
        expected = {"acme", "omega"}

    names = _names(make_plugins)
    assert names == expected  # the planted entry is gone: read afresh


def test_an_edit_that_keeps_every_time_and_size_is_the_limit(
    site, make_plugins, cache_file
):
    # What the fingerprint cannot see, stated: the same size written back
    # with the old time. Installers never do that; a re-install changes
    # the folder or the file's time.
    _names(make_plugins)
    [info] = site.glob("acme_dist-*.dist-info")
    entry_points = info / "entry_points.txt"
    before = entry_points.stat()
    text = entry_points.read_text().replace("acme =", "acmf =")
    entry_points.write_text(text)
    os.utime(entry_points, ns=(before.st_atime_ns, before.st_mtime_ns))

    names = _names(make_plugins)
    assert names == {"acme"}


def test_a_damaged_cache_is_read_again_and_replaced(site, make_plugins, cache_file):
    cache_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    cache_file.write_bytes(b"\x00not json")

    names = _names(make_plugins)
    assert names == {"acme"}
    assert json.loads(cache_file.read_text())["entry_points"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_cache_others_can_write_to_is_not_believed(site, make_plugins, cache_file):
    _names(make_plugins)
    _plant(cache_file, "planted")
    cache_file.parent.chmod(0o777)
    try:
        names = _names(make_plugins)
    finally:
        cache_file.parent.chmod(0o700)
    assert names == {"acme"}


def test_a_just_installed_distribution_is_not_cached_until_its_time_is_settled(
    site, make_plugins, cache_file
):
    _install(site, "fresh")  # times of now: a coarse clock could repeat them

    names = _names(make_plugins)
    assert names == {"acme", "fresh"}
    assert not cache_file.exists()


def test_nothing_is_cached_when_another_finder_lists_distributions(
    site, make_plugins, cache_file, monkeypatch
):
    class Lister:
        @staticmethod
        def find_spec(*args, **kwargs):
            return None

        @staticmethod
        def find_distributions(*args, **kwargs):
            return iter(())

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Lister()])

    names = _names(make_plugins)
    assert names == {"acme"}
    assert not cache_file.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_cache_is_private(site, make_plugins, cache_file):
    _names(make_plugins)
    assert cache_file.stat().st_mode & 0o777 == 0o600
    assert cache_file.parent.stat().st_mode & 0o777 == 0o700


def test_the_importlib_metadata_backport_does_not_turn_the_cache_off(
    site, make_plugins, cache_file
):
    # keyring and others bring the backport, which puts its own finder of
    # distributions on sys.meta_path; it looks in the same folders.
    pytest.importorskip("importlib_metadata")
    assert any(type(f).__module__ == "importlib_metadata" for f in sys.meta_path)

    assert _names(make_plugins) == {"acme"}
    assert cache_file.is_file()


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_cache_file_others_can_write_to_is_not_believed(
    site, make_plugins, cache_file
):
    _names(make_plugins)
    _plant(cache_file, "planted")
    cache_file.chmod(0o666)

    assert _names(make_plugins) == {"acme"}
