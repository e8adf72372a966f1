"""The command line and deliveries: ``fire`` prints one line per
configuration and fails on a failure that was only logged; ``deliveries``
lists what is stored; ``retry`` sends one again; and a window's manager
sees deliveries another process made."""

from __future__ import annotations

import threading

from desktop_app.manager import IntegrationManager
from desktop_app.store import ConfigRecord, ConfigStore
from tests._support.child_processes import run_cli
from tests._support.djblets_style import SOURCE
from tests._support.local_http import local_server
from tests._support.plugin_files import write_plugin

CHAT = "tests.djblets_style.Chat"


def make_data_dir(path, **urls):
    plugins = path / "plugins"
    plugins.mkdir(mode=0o700, parents=True)
    path.chmod(0o700)
    write_plugin(plugins, "old_style_chat.py", SOURCE)
    ids = {}
    with ConfigStore(path / "configs.sqlite3") as store:
        for name, url in urls.items():
            record = store.save_config(
                ConfigRecord(
                    CHAT, name=name, enabled=True, settings={"webhook_url": url}
                )
            )
            ids[name] = record.id
    return ids


def test_fire_exits_1_when_a_handler_only_logged_the_failure(tmp_path):
    with local_server() as server:
        ids = make_data_dir(tmp_path, up=server.url, down="http://127.0.0.1:9/x")
        result = run_cli(tmp_path, "fire", "desktop_app.test_event", "message=hi")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert f"{CHAT}  up (#{ids['up']})  ok" in lines
    [down] = [line for line in lines if f"(#{ids['down']})" in line]
    assert "failed: Failed to send notification to http://127.0.0.1:9/x" in down


def test_fire_exits_0_when_every_configuration_succeeded(tmp_path):
    with local_server() as server:
        make_data_dir(tmp_path, one=server.url, two=server.url)
        result = run_cli(tmp_path, "fire", "desktop_app.test_event", "message=hi")
        assert len(server.bodies) == 2
    assert result.returncode == 0, result.stdout + result.stderr


def test_deliveries_lists_what_fire_stored_newest_first(tmp_path):
    with local_server() as server:
        ids = make_data_dir(tmp_path, up=server.url, down="http://127.0.0.1:9/x")
        run_cli(tmp_path, "fire", "desktop_app.test_event", "message=first")
        run_cli(tmp_path, "fire", "desktop_app.test_event", "message=second")
    every = run_cli(tmp_path, "deliveries")
    assert every.returncode == 0
    assert len(every.stdout.splitlines()) == 4
    failed = run_cli(tmp_path, "deliveries", "--failed")
    lines = failed.stdout.splitlines()
    assert len(lines) == 2 and all("FAILED" in line for line in lines)
    one = run_cli(tmp_path, "deliveries", "--config", str(ids["up"]), "--limit", "1")
    [line] = one.stdout.splitlines()
    assert f"up (config {ids['up']})" in line and "  ok  " in line


def test_deliveries_of_an_unknown_configuration_is_an_error(tmp_path):
    make_data_dir(tmp_path)
    result = run_cli(tmp_path, "deliveries", "--config", "99")
    assert result.returncode == 1
    assert result.stderr.strip() == "desktop-app: error: there is no configuration 99"


def test_retry_sends_a_failed_delivery_again(tmp_path):
    with local_server() as server:
        server.status = 500
        ids = make_data_dir(tmp_path, flaky=server.url)
        assert (
            run_cli(tmp_path, "fire", "desktop_app.test_event", "message=x").returncode
            == 1
        )
        with ConfigStore(tmp_path / "configs.sqlite3") as store:
            [failed] = store.list_deliveries(ids["flaky"])
        server.status = 200
        result = run_cli(tmp_path, "retry", str(failed.id))
        assert result.returncode == 0, result.stdout + result.stderr
        assert server.bodies == [b'{"text": "x"}'] * 2
    assert "flaky" in result.stdout and "  ok  " in result.stdout
    with ConfigStore(tmp_path / "configs.sqlite3") as store:
        assert [d.outcome for d in store.list_deliveries(ids["flaky"])] == [
            "ok",
            "failed",
        ]


def test_retry_of_an_unknown_delivery_is_an_error(tmp_path):
    make_data_dir(tmp_path)
    result = run_cli(tmp_path, "retry", "12345")
    assert result.returncode == 1
    assert result.stderr.strip() == "desktop-app: error: There is no delivery 12345"


def test_a_running_manager_sees_deliveries_another_process_made(tmp_path):
    with local_server() as server:
        ids = make_data_dir(tmp_path, up=server.url)
        manager = IntegrationManager(tmp_path / "configs.sqlite3", watch_interval=0.1)
        seen = []
        arrived = threading.Event()

        def on_stored(deliveries):
            seen.extend(deliveries)
            arrived.set()

        manager.deliveries.subscribe(on_stored)
        manager.start()
        try:
            run_cli(tmp_path, "fire", "desktop_app.test_event", "message=hi")
            assert arrived.wait(5)
        finally:
            manager.shutdown()
    [delivery] = seen
    assert (delivery.config_id, delivery.outcome) == (ids["up"], "ok")
