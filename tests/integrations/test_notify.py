"""The Notify built-in through Apprise's ``json://`` scheme against a real
local HTTP server, and Apprise kept off start-up."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from desktop_app import signals
from desktop_app.errors import DeliveryError
from tests._support.saved_configs import save_config
from tests.integrations.conftest import ROOT

NOTIFY = "desktop_app.integrations.notify"


def _json_url(url: str) -> str:
    return url.replace("http://", "json://", 1)


def test_each_picked_event_is_sent_as_a_sentence(builtins, manager, http_server):
    url, server = http_server
    save_config(
        manager,
        NOTIFY,
        name="Phone",
        urls=_json_url(url),
        signals=[signals.test_event.name],
    )
    signals.test_event.send(None, message="hi", severity="warning")
    signals.app_started.send(None)  # not picked
    assert manager.wait_for_background_work(10)
    [body] = server.bodies()
    assert body["title"] == "Test event"
    assert body["message"] == "Test event from desktop-app: hi (warning)"
    [record] = [r for r in _records() if r.integration_id == NOTIFY]
    assert record.outcome == "ok"


def test_several_urls_each_get_the_notification(builtins, manager, http_server):
    url, server = http_server
    save_config(
        manager,
        NOTIFY,
        urls=f"{_json_url(url)}/one, {_json_url(url)}/two",
        signals=[signals.test_event.name],
        title="{config_name}",
        body="{message} — {payload[severity]}",
    )
    signals.test_event.send(None, message="deploy done", severity="info")
    assert manager.wait_for_background_work(10)
    assert sorted(r["path"] for r in server.requests) == ["/hook/one", "/hook/two"]
    assert {b["title"] for b in server.bodies()} == {"test"}
    assert {b["message"] for b in server.bodies()} == {"deploy done — info"}


def test_a_failing_service_is_reported_without_its_token(
    builtins, manager, http_server
):
    url, server = http_server
    server.fail_first = 99
    integration = manager.get_integration(NOTIFY)
    secret_url = f"{_json_url(url)}/TOKEN-abcdef123456"
    with pytest.raises(DeliveryError) as caught:
        integration.test_config({"urls": secret_url})
    message = str(caught.value)
    assert "1 of 1 failed" in message and "127.0.0.1" in message
    assert "TOKEN-abcdef123456" not in message
    assert len(server.requests) == 1


def test_test_config_sends_a_real_test_notification(builtins, manager, http_server):
    url, server = http_server
    integration = manager.get_integration(NOTIFY)
    message = integration.test_config({"urls": _json_url(url), "name": "Phone"})
    assert message == "Sent to 1 service."
    [body] = server.bodies()
    assert body["message"] == (
        "Test event from desktop-app: This is a test of your configuration. (info)"
    )


@pytest.mark.parametrize(
    ("urls", "expected"),
    [
        ("not a url", "has no service in front"),
        ("nosuchservice://abc", "(nosuchservice://…) is not a service Apprise knows"),
        ("json://localhost/x nosuchservice://abc", "URL 2 (nosuchservice://…)"),
    ],
)
def test_urls_apprise_cannot_use_are_refused_at_the_field(
    builtins, manager, urls, expected
):
    integration = manager.get_integration(NOTIFY)
    values = dict(integration.default_settings)
    values.update(name="n", enabled=True, urls=urls, signals=["desktop_app.test_event"])
    form = integration.config_form_cls(integration, values)
    assert not form.is_valid()
    [message] = form.errors["urls"]
    assert expected in message
    assert "abc" not in message


def test_the_urls_are_a_secret_field(builtins, manager):
    integration = manager.get_integration(NOTIFY)
    assert integration.config_form_cls.base_fields["urls"].is_secret


def test_apprise_is_not_imported_while_the_app_starts_and_loads_plugins(tmp_path):
    # A fresh process: this one has imported Apprise in other tests.
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from desktop_app.manager import IntegrationManager, set_integration_manager
        from desktop_app.plugins import PluginManager

        data = Path({str(tmp_path)!r})
        manager = IntegrationManager(data / "c.sqlite3", watch_interval=None)
        set_integration_manager(manager)
        plugins = PluginManager(manager, data / "plugins", state_path=data / "p.json")
        plugins.load_all()
        loaded = {{p.name for p in plugins.plugins if p.status == "loaded"}}
        assert "notify" in loaded, loaded
        assert manager.get_integration("{NOTIFY}") is not None
        heavy = [m for m in ("apprise", "requests", "markdown", "yaml")
                 if m in sys.modules]
        print("heavy:", heavy)
        manager.shutdown()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "heavy: []" in done.stdout


def _records():
    from desktop_app.activity import get_activity_log

    return [r for r in get_activity_log().records() if r.config_id is not None]
