"""Sending one signal to one configuration: Retry, Send test event, and
running ``Integration.test_config`` on the worker.

Each returns a ``Future`` resolving with the outcome of the delivery it
recorded (``'ok'``, ``'failed'``, ``'timed_out'`` …), so callers (the
window, the command line) can wait for it or follow it without blocking.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from desktop_app import signals
from desktop_app._config_hook import ConfigSignalHook
from desktop_app._dispatch import hooks_on
from desktop_app._legacy_handlers import offload
from desktop_app._payload import load_payload
from desktop_app.errors import DeliveryActionError

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager

__all__ = ["retry_delivery", "run_test_config", "send_to_config"]


def retry_delivery(manager: IntegrationManager, delivery_id: int) -> Future[str]:
    """Send a stored delivery's signal and payload to its configuration
    again (a new delivery is recorded).

    Raises:
        DeliveryActionError: No such delivery, its payload was shortened,
            or its configuration cannot take it now.
    """
    delivery = manager.store.get_delivery(delivery_id)
    if delivery is None:
        raise DeliveryActionError(delivery_id, f"There is no delivery {delivery_id}")
    payload = load_payload(delivery.payload)
    if payload is None:
        raise DeliveryActionError(
            delivery_id,
            f"Delivery {delivery_id} cannot be sent again: its payload was too "
            f"large to keep",
        )
    return send_to_config(manager, delivery.config_id, delivery.signal, payload)


def send_to_config(
    manager: IntegrationManager,
    config_id: int,
    signal_name: str = "desktop_app.test_event",
    payload: dict[str, Any] | None = None,
) -> Future[str]:
    """Deliver a signal to one configuration only.

    Raises:
        DeliveryActionError: The configuration is not enabled, its
            integration is not loaded, or nothing of it handles the signal.
    """
    if payload is None:
        payload = {"message": "Test event", "severity": "info"}
    config = manager.get_config(config_id)
    try:
        integration = manager.get_integration(config.integration_id)
    except Exception as e:
        raise DeliveryActionError(
            config_id, f'The integration of "{config.name}" is not loaded'
        ) from e
    snapshot = next((c for c in integration.get_configs() if c.id == config_id), None)
    if snapshot is None:
        raise DeliveryActionError(
            config_id, f'"{config.name}" is disabled: enable it to send it events'
        )
    info_signal = _signal(signal_name)
    hooks = [
        h
        for h in (hooks_on(info_signal) if info_signal is not None else [])
        if h.owner is integration
    ]
    if not hooks:
        raise DeliveryActionError(
            config_id,
            f'"{config.name}" does not handle {signal_name}: pick it in the '
            f"configuration's events",
        )
    result: Future[str] = Future()
    pending = [len(hooks)]
    outcomes: list[str] = []

    def settle(outcome: str) -> None:
        outcomes.append(outcome)
        pending[0] -= 1
        if pending[0] == 0 and not result.done():
            bad = [o for o in outcomes if o != "ok"]
            result.set_result(bad[0] if bad else "ok")

    for hook in hooks:
        if isinstance(hook, ConfigSignalHook):
            items = hook.deliver([snapshot], dict(payload), check_conditions=False)
            if not items:
                settle("skipped")
            for item in items:
                item.done.add_done_callback(lambda f: settle(f.result()))
        else:
            kwargs = {**payload, "sender": None, "signal": info_signal}
            if hook.accepts is not None:
                kwargs = {k: v for k, v in kwargs.items() if k in hook.accepts}
            future = offload(hook, kwargs, only_config_id=config_id, on_finish=settle)
            if future is None:
                settle("skipped")
    return result


def _signal(name: str) -> Any:
    try:
        return signals.get_signal_info(name).signal
    except KeyError:
        return None


def run_test_config(
    manager: IntegrationManager,
    integration_id: str,
    settings: dict[str, Any],
    timeout: float | None = None,
) -> Future[str]:
    """Run ``integration.test_config(settings)`` on the worker.

    The future resolves with its success message, or fails with its
    exception (``BackgroundTimeoutError`` past the time limit). Nothing is
    recorded or saved: the values are the dialog's, not a configuration's.
    """
    integration = manager.get_integration(integration_id)
    return manager.worker.submit_job(
        integration,
        lambda: integration.test_config(dict(settings)),
        timeout=timeout,
        record=False,
        signal="test_config",
    )
