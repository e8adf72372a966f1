"""The event-burst stress run at a small size: every event is delivered and
recorded, and shutting down mid-burst neither hangs nor loses track of what
was done (``python -m stress.event_burst`` is the full-size run)."""

from __future__ import annotations

import json

from stress.event_burst import run_drain, run_exit


def test_a_burst_is_delivered_and_recorded_in_full(tmp_path):
    result = run_drain(tmp_path, events=200, configs=3)
    assert result.drained
    assert result.expected == 600
    assert result.delivered == 600
    assert result.recorded == 600
    assert result.failed == 0 and result.skipped == 0
    # Under the log's bound, every row is still shown (identical ones in a
    # row share one).
    assert 0 < result.kept <= 600
    assert result.stored == 600


def test_shutting_down_mid_burst_ends_its_threads_and_records_every_delivery(
    tmp_path,
):
    result = run_exit(tmp_path, events=200, configs=3)
    assert result.threads_left == 0
    assert 0 <= result.delivered <= result.expected == 600
    # Every delivery has its record, stored: the ones that ran, and the ones
    # that did not, saying so.
    assert result.recorded == result.stored == result.expected
    assert result.not_delivered == result.expected - result.delivered
    for path in tmp_path.glob("events-*.log"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert json.loads(line)["signal"] == "desktop_app.test_event"
