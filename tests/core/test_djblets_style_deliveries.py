"""Unchanged djblets-style handlers get deliveries per configuration: the
loop over get_configs() attributes its work, and an error logged or raised
while a configuration is processed fails that configuration's delivery."""

from __future__ import annotations

import logging

from desktop_app import deliveries
from desktop_app.hooks import SignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal, test_event
from tests._support.djblets_style import ChatIntegration
from tests._support.local_http import local_server

poked = define_signal("tests.djblets_style.poked")


def _configs(manager, cls, **settings_by_name):
    integration = manager.register_integration_class(cls)
    return {
        name: integration.create_config(
            name=name, enabled=True, settings=settings, save=True
        )
        for name, settings in settings_by_name.items()
    }


def _outcome(manager, config):
    [delivery] = manager.get_deliveries(config.id)
    return delivery.outcome, delivery.message


def test_a_logged_error_fails_only_that_configurations_delivery(manager):
    with local_server() as server:
        made = _configs(
            manager,
            ChatIntegration,
            up={"webhook_url": server.url},
            down={"webhook_url": "http://127.0.0.1:9/hook"},
        )
        test_event.send(None, message="hello")
        assert manager.wait_for_background_work(10)
        assert server.bodies == [b'{"text": "hello"}']
    assert _outcome(manager, made["up"]) == ("ok", "")
    outcome, message = _outcome(manager, made["down"])
    assert outcome == "failed"
    assert message.startswith("Failed to send notification to http://127.0.0.1:9/hook")


class Raising(Integration):
    integration_id = "tests.djblets_style.Raising"

    def initialize(self):
        SignalHook(self, poked, self.on_poked)

    def on_poked(self, **kwargs):
        for config in self.get_configs():
            if config.get("explode"):
                raise RuntimeError("boom")
            deliveries.report(config, message=f"sent to {config.name}")


def test_an_exception_fails_the_configuration_being_processed(manager):
    made = _configs(manager, Raising, first={}, second={"explode": True}, third={})
    poked.send(None)
    assert manager.wait_for_background_work(10)
    assert _outcome(manager, made["first"]) == ("ok", "sent to first")
    assert _outcome(manager, made["second"]) == ("failed", "RuntimeError: boom")
    # The loop never reached the third one: no delivery pretends it ran.
    assert manager.get_deliveries(made["third"].id) == []


class Background(Integration):
    integration_id = "tests.djblets_style.Background"

    def initialize(self):
        SignalHook(self, poked, self.on_poked)

    def on_poked(self, **kwargs):
        for config in self.get_configs():
            self.run_in_background(config, self.post, config.get("fail"))

    @staticmethod
    def post(fail):
        if fail:
            raise ConnectionRefusedError("connection refused")
        return "HTTP 204"


def test_background_work_started_in_the_loop_is_that_configurations_delivery(
    manager,
):
    made = _configs(manager, Background, fine={}, broken={"fail": True})
    poked.send(None)
    assert manager.wait_for_background_work(10)
    assert _outcome(manager, made["fine"]) == ("ok", "HTTP 204")
    assert _outcome(manager, made["broken"]) == (
        "failed",
        "ConnectionRefusedError: connection refused",
    )


def test_logging_outside_any_handler_fails_nothing(manager):
    made = _configs(manager, Raising, quiet={})
    logging.getLogger("elsewhere").error("unrelated trouble")
    poked.send(None)
    assert manager.wait_for_background_work(10)
    assert _outcome(manager, made["quiet"]) == ("ok", "sent to quiet")
