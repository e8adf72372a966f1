"""``ConfigSignalHook``: handle a signal once per enabled configuration.

The framework does the loop: for each enabled configuration of the owner
(whose conditions match, when the form has a conditions field and the
configuration can check them), the callback runs on the worker with a time
limit and retries, and one delivery is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop_app._delivery_queue import DeliveryItem, approx_size, run_scoped
from desktop_app.hooks import ANY, SignalHook, _accepted_keywords

__all__ = ["ConfigSignalHook"]

#: A number, or a function of the configuration giving one.
PerConfig = float | int | Callable[[Any], Any] | None


class ConfigSignalHook(SignalHook):
    """Runs ``callback(config, **payload)`` for each enabled configuration.

    The callback runs on the manager's worker, never on the sender's
    thread. Its return value is the delivery's plain message ("HTTP 200");
    raising fails the delivery (and is retried, unless the exception has
    ``retryable = False``). :py:func:`desktop_app.deliveries.report` inside
    it sets the message or failure explicitly.

    Args:
        owner (Integration): The hook's owner.
        signal (blinker.Signal): What to listen to.
        callback (callable): ``callback(config, **payload) -> str | None``;
            it gets the payload keywords it names (all with ``**kwargs``).
        timeout (float | callable, optional): Seconds per attempt, or
            ``timeout(config)``; default: the owner's ``background_timeout``.
        retries (int | callable, optional): Further attempts after a failed
            one, or ``retries(config)``; default 0.
        backoff (float | callable): Seconds before the first retry, doubled
            before each further one.
        conditions_key (str): The form field holding the configuration's
            conditions; checked when the owner's form has it.
        config_filter (callable, optional): ``config_filter(config) -> bool``:
            configurations it returns False for are left out (no delivery).
        prepare (callable, optional): Turns the payload into what the
            callbacks get, once per event on the sender's thread (for
            example a JSON-safe copy, so later changes to the objects do not
            reach the worker).
        sender (object): Only signals from this sender.
    """

    def initialize(  # type: ignore[override]
        self,
        signal: Any,
        callback: Callable[..., Any],
        *,
        timeout: PerConfig = None,
        retries: PerConfig = None,
        backoff: PerConfig = 1.0,
        conditions_key: str = "conditions",
        config_filter: Callable[[Any], bool] | None = None,
        prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        sender: Any = ANY,
    ) -> None:
        self.config_callback = callback
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.conditions_key = conditions_key
        self.config_filter = config_filter
        self.prepare = prepare
        accepts = _accepted_keywords(callback)
        self._callback_accepts = None if accepts is None else accepts - {"config"}
        self._run = run_scoped(self.owner, callback)
        super().initialize(signal, self._fan_out, sender)
        self.attributed = False  # it records its own deliveries
        self.quiet = True  # ... so the hub records no dispatch row

    def _fan_out(self, **payload: Any) -> None:
        payload.pop("sender", None)
        payload.pop("signal", None)
        configs = self.owner.get_configs()
        if not configs:
            return
        self.deliver(configs, payload)

    def deliver(
        self, configs: Any, payload: dict[str, Any], *, check_conditions: bool = True
    ) -> list[DeliveryItem]:
        """Queue this signal for the given configurations.

        Returns:
            list[DeliveryItem]: One per configuration queued; each item's
            ``done`` future resolves with the outcome.
        """
        manager = self.owner.integration_mgr
        if self.prepare is not None:
            payload = self.prepare(payload)
        accepts = self._callback_accepts
        kwargs = (
            payload
            if accepts is None
            else {k: v for k, v in payload.items() if k in accepts}
        )
        items = []
        size = approx_size(kwargs)  # once per event; the configs share it
        for config in configs:
            if self.config_filter is not None and not self.config_filter(config):
                continue
            item = DeliveryItem(
                self.owner,
                config,
                self.signal_name,
                kwargs,
                self._run,
                retries=int(_value(self.retries, config) or 0),
                timeout=_float(_value(self.timeout, config)),
                backoff=float(_value(self.backoff, config) or 0.0),
                size=size,
            )
            if check_conditions and not self._conditions_match(config, payload):
                manager.deliveries.record(
                    config,
                    self.signal_name,
                    payload,
                    "skipped",
                    "Skipped: the configuration's conditions did not match",
                    attempts=0,
                )
                continue
            manager.delivery_queue.put(item)
            items.append(item)
        return items

    def _conditions_match(self, config: Any, payload: dict[str, Any]) -> bool:
        form_cls = getattr(self.owner, "config_form_cls", None)
        match = getattr(config, "match_conditions", None)
        if form_cls is None or match is None:
            return True
        fields = (
            getattr(form_cls, "base_fields", None)
            or getattr(form_cls, "declared_fields", None)
            or {}
        )
        if self.conditions_key not in fields:
            return True
        # The "Event" choice reads the signal's name, as signal=.
        values = {"signal": self.signal_name, **payload}
        return bool(match(form_cls, conditions_key=self.conditions_key, **values))


def _value(value: PerConfig, config: Any) -> Any:
    return value(config) if callable(value) else value


def _float(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
