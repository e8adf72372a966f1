"""The delivery queue under load: a failing configuration waits between
retries without holding up others, the queue is bounded and records what it
skips, and shutting down records every delivery still waiting."""

from __future__ import annotations

import threading

from desktop_app.hooks import ConfigSignalHook
from desktop_app.integration import Integration
from desktop_app.signals import define_signal

burst = define_signal("tests.delivery_queue.burst")
gate = threading.Event()


class Endpoint(Integration):
    integration_id = "tests.delivery_queue.Endpoint"
    delivered: list = []

    def initialize(self):
        ConfigSignalHook(
            self,
            burst,
            self.handle,
            retries=lambda config: config.get("retries", 0),
            backoff=lambda config: config.get("backoff", 0),
        )

    def handle(self, config, n=0):
        mode = config.get("mode")
        if mode == "dead":
            raise ConnectionRefusedError("connection refused")
        if mode == "gated":
            gate.wait(30)
        Endpoint.delivered.append((config.name, n))
        return "ok"


def _make(manager, **configs):
    Endpoint.delivered = []
    integration = manager.register_integration_class(Endpoint)
    return {
        name: integration.create_config(
            name=name, enabled=True, settings=settings, save=True
        )
        for name, settings in configs.items()
    }


def test_a_dead_endpoint_waiting_to_retry_does_not_delay_another(manager):
    made = _make(
        manager,
        dead={"mode": "dead", "retries": 3, "backoff": 30},
        fine={},
    )
    counted: dict[int, int] = {}
    done = threading.Event()

    def check(deliveries):
        # Identical successes in a row are stored as one row counting them;
        # a row that counts more in a later write is told again, whole.
        for d in deliveries:
            if d.config_id == made["fine"].id:
                counted[d.id] = d.repeats
        if sum(counted.values()) == 40:
            done.set()

    manager.deliveries.subscribe(check)
    for n in range(40):
        burst.send(None, n=n)
    # The dead one's first retry is 30 s away; the other one is done anyway.
    assert done.wait(20)
    assert [n for name, n in Endpoint.delivered if name == "fine"] == list(range(40))
    assert manager.get_deliveries(made["dead"].id) == []  # still waiting
    assert manager.delivery_queue.busy


def test_deliveries_past_the_bound_are_recorded_as_skipped(manager):
    gate.clear()
    made = _make(manager, slow={"mode": "gated"})
    manager.delivery_queue.max_per_config = 5
    try:
        for n in range(10):
            burst.send(None, n=n)
    finally:
        gate.set()
    assert manager.wait_for_background_work(10)
    rows = manager.get_deliveries(made["slow"].id, limit=100)
    counts = {"ok": 0, "skipped": 0}
    for d in rows:
        counts[d.outcome] += d.repeats
    # One running, five waiting, four past the bound (those four in a row
    # for the same reason: one row counting them).
    assert counts == {"ok": 6, "skipped": 4}
    [skipped] = [d for d in rows if d.outcome == "skipped"]
    assert skipped.repeats == 4
    assert skipped.message == (
        "Not delivered: 5 deliveries to this configuration were already waiting"
    )
    # The Activity panel's row for them says how many it stands for.
    from desktop_app.activity import get_activity_log

    assert f"{skipped.message} (4 events)" in [
        r.error for r in get_activity_log().records() if r.config_id == made["slow"].id
    ]


def test_shutting_down_records_every_waiting_delivery_as_not_delivered(
    db_path, manager
):
    gate.clear()
    made = _make(
        manager,
        slow={"mode": "gated"},
        retrying={"mode": "dead", "retries": 5, "backoff": 60},
    )
    for n in range(20):
        burst.send(None, n=n)
    try:
        manager.shutdown()
    finally:
        gate.set()
    from desktop_app.store import ConfigStore

    with ConfigStore(db_path) as store:
        slow = store.list_deliveries(made["slow"].id, limit=100)
        retrying = store.list_deliveries(made["retrying"].id, limit=100)
    assert sum(d.repeats for d in slow) == 20
    assert sum(d.repeats for d in retrying) == 20
    assert {d.message for d in slow if d.outcome == "skipped"} == {
        "Not delivered: the app was quitting"
    }
    assert all("the app was quitting" in d.message for d in retrying)


def test_large_payloads_are_bounded_by_size_and_recorded_when_skipped(manager):
    gate.clear()
    made = _make(manager, slow={"mode": "gated"})
    manager.delivery_queue.max_bytes = 50_000
    try:
        for _ in range(20):
            burst.send(None, n="x" * 10_000)
    finally:
        gate.set()
    assert manager.wait_for_background_work(10)
    rows = manager.get_deliveries(made["slow"].id, limit=100)
    skipped = [d for d in rows if d.outcome == "skipped"]
    # One running, about five waiting (10 KB each), the rest skipped.
    assert 10 <= sum(d.repeats for d in skipped) <= 15
    assert skipped[0].message.startswith("Not delivered: ")
    assert skipped[0].message.endswith("KiB of events were already waiting")


def test_skipped_deliveries_keep_a_short_payload_and_small_ones_can_be_retried(
    manager,
):
    from desktop_app._delivery_queue import SKIPPED_PAYLOAD
    from desktop_app._payload import TRUNCATED, load_payload

    made = _make(manager, slow={"mode": "gated"})
    manager.delivery_queue.max_per_config = 1

    def skipped_after(payloads):
        gate.clear()
        try:
            for n in ("running", "queued", *payloads):
                burst.send(None, n=n)
        finally:
            gate.set()
        assert manager.wait_for_background_work(10)
        rows = manager.get_deliveries(made["slow"].id, limit=100)
        return [d for d in rows if d.outcome == "skipped"]

    [large] = skipped_after(["y" * 50_000])
    # The large one keeps a start only, marked, and cannot be sent again.
    assert large.payload.endswith(TRUNCATED)
    assert len(large.payload) <= SKIPPED_PAYLOAD + len(TRUNCATED)
    assert load_payload(large.payload) is None

    # Skipped in a row for the same reason: one row counting both, which
    # keeps the latest payload, whole when small: Retry sends it.
    both = skipped_after(["y" * 50_000, "small"])[0]
    assert both.repeats == 2
    assert load_payload(both.payload) == {"n": "small"}
    assert manager.retry_delivery(both.id).result(10) == "ok"
    assert ("slow", "small") in Endpoint.delivered


def test_a_long_text_is_cut_after_its_secrets_are_scrubbed():
    from desktop_app._payload import MAX_PAYLOAD, TRUNCATED, summarize_payload
    from desktop_app.activity import forget_secret, register_secret

    secret = "sk_live_" + "Q7w" * 10
    register_secret(secret)
    try:
        # Many secrets early (scrubbing makes the text shorter, pulling what
        # follows into the part kept), and one across the point where the
        # raw text would be cut.
        early = (secret + " ") * 200
        text = early + "a" * (MAX_PAYLOAD - len(early) - 10) + secret + "b" * 100_000
        summary = summarize_payload({"message": text, "level": "info"})
    finally:
        forget_secret(secret)
    assert summary.endswith(TRUNCATED)
    assert len(summary) == MAX_PAYLOAD + len(TRUNCATED)
    assert "sk_live" not in summary and "Q7wQ7w" not in summary
    assert summary.startswith('{"level": "info", "message": "')


def test_a_deliverys_outcome_can_be_waited_for_before_or_after_it_ends(manager):
    _make(manager, gated={"mode": "gated"}, quick={})
    [hook] = [h for h in manager.get_integration(Endpoint).hooks if h.signal is burst]
    gate.clear()
    try:
        by_name = {c.name: c for c in manager.get_integration(Endpoint).get_configs()}
        gated_item, quick_item = hook.deliver(
            [by_name["gated"], by_name["quick"]], {"n": 1}
        )
        waiting = gated_item.done  # asked for while it runs
        assert not waiting.done()
    finally:
        gate.set()
    assert waiting.result(timeout=10) == "ok"
    assert manager.wait_for_background_work(10)
    # Asked for only after it ended: already resolved.
    assert quick_item.done.result(timeout=0) == "ok"
    assert quick_item.done is quick_item.done
