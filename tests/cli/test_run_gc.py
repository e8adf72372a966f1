"""``run`` pauses the cyclic garbage collector only while it starts: the
plugins load with it off, and it is on again once they are in, or when the
start fails. (What start-up built is frozen then; the fixture thaws it so
this test process is left as it was.)"""

from __future__ import annotations

import gc

import pytest

import desktop_app.ui.app
import desktop_app.ui.plugins_setup
from desktop_app import _commands


@pytest.fixture
def gc_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


def test_plugins_load_with_gc_paused_and_it_resumes_after(gc_on, tmp_path, monkeypatch):
    seen = {}

    def fake_install(window, paths):
        seen["while loading"] = gc.isenabled()

    def fake_run_app(data_dir, argv=None, after_show=None):
        seen["before show"] = gc.isenabled()
        after_show(object())
        seen["after plugins"] = gc.isenabled()
        return 0

    monkeypatch.setattr(desktop_app.ui.plugins_setup, "install_plugins", fake_install)
    monkeypatch.setattr(desktop_app.ui.app, "run_app", fake_run_app)

    assert _commands.cmd_run(str(tmp_path / "data"), []) == 0
    assert seen == {"before show": False, "while loading": False, "after plugins": True}
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # start-up's objects stay out of later passes


def test_gc_resumes_when_plugin_loading_raises(gc_on, tmp_path, monkeypatch):
    def failing_install(window, paths):
        raise RuntimeError("boom")

    def fake_run_app(data_dir, argv=None, after_show=None):
        after_show(object())
        return 0

    monkeypatch.setattr(
        desktop_app.ui.plugins_setup, "install_plugins", failing_install
    )
    monkeypatch.setattr(desktop_app.ui.app, "run_app", fake_run_app)

    with pytest.raises(RuntimeError):
        _commands.cmd_run(str(tmp_path / "data"), [])
    assert gc.isenabled()


def test_gc_resumes_when_the_window_never_starts(gc_on, tmp_path, monkeypatch):
    def failing_run_app(*args, **kwargs):
        raise RuntimeError("no display")

    monkeypatch.setattr(desktop_app.ui.app, "run_app", failing_run_app)

    with pytest.raises(RuntimeError):
        _commands.cmd_run(str(tmp_path / "data"), [])
    assert gc.isenabled()


def test_gc_left_off_stays_off(tmp_path, monkeypatch):
    was = gc.isenabled()
    gc.disable()
    try:
        monkeypatch.setattr(
            desktop_app.ui.app, "run_app", lambda *a, after_show=None, **k: 0
        )
        _commands.cmd_run(str(tmp_path / "data"), [])
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        if was:
            gc.enable()
