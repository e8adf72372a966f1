"""Deliveries waiting for the writer are plain tuples of plain values, which
the garbage collector stops tracking (``desktop_app._told``), and each
configuration's identical plain deliveries in a row are gathered into one
run before anything is built (``desktop_app._delivery_runs``)."""

from __future__ import annotations

import gc

from desktop_app._delivery_runs import RUN_WINDOW, group_runs
from desktop_app._told import is_told, told


class Config:
    def __init__(self, config_id: int, name: str) -> None:
        self.id = config_id
        self.integration_id = "tests.told.Integration"
        self.name = name


A = Config(1, "a")
B = Config(2, "b")


def _skip(config, started, message="Not delivered: full"):
    return told(config, "sig", "{}", "skipped", message, started, 0.0, 0, "")


def _ok(config, started, message="HTTP 200", attempts=1, details=""):
    return told(config, "sig", "{}", "ok", message, started, 0.01, attempts, details)


def test_a_waiting_record_holds_only_plain_values():
    record = _skip(A, 1.0)
    assert is_told(record)
    assert record[0] == (1, "tests.told.Integration", "a")  # not the config
    flat = [*record[0], *record[1:]]
    assert all(isinstance(v, (str, int, float)) for v in flat)


def test_the_collector_stops_tracking_waiting_records():
    records = [_skip(A, float(n)) for n in range(100)]
    # Untracked as the collector looks at them: the inner (who) tuple first,
    # the record at the next look (before they could reach the oldest
    # generation, which a collection of a younger one precedes).
    gc.collect()
    gc.collect()
    assert not any(gc.is_tracked(r) for r in records)
    # A record holding an event's payload (a dict) is tracked as it must be.
    with_payload = told(A, "sig", {"n": [1]}, "ok", "", 1.0, 0.0, 1, "")
    gc.collect()
    assert gc.is_tracked(with_payload)


def test_each_configurations_runs_are_gathered_across_interleaving():
    items = [_skip(A, 1), _skip(B, 1), _skip(A, 2), _skip(B, 2), _skip(A, 3)]
    grouped = group_runs(items)
    assert [len(g) for g in grouped] == [3, 2]
    assert [g[0][0][0] for g in grouped] == [1, 2]


def test_another_outcome_or_message_or_a_failure_ends_a_run():
    failed = told(A, "sig", "{}", "failed", "HTTP 500", 3.0, 0.1, 1, "Traceback")
    items = [
        _ok(A, 1),
        _ok(A, 2),
        _ok(A, 3, message="HTTP 201"),
        _ok(A, 4, message="HTTP 201"),
        failed,
        _ok(A, 5, message="HTTP 201"),
        _ok(A, 6, attempts=2),  # retried: has something to tell
        _skip(A, 7),
    ]
    grouped = group_runs(items)
    shapes = [len(g) if type(g) is list else g[3] for g in grouped]
    # A lone record stays itself (a tuple); its outcome is shown here.
    assert shapes == [2, 2, "failed", "ok", "ok", "skipped"]


def test_a_run_ends_after_its_window_and_a_batch_ends_every_run():
    items = [_skip(A, 0), _skip(A, RUN_WINDOW - 1), _skip(A, RUN_WINDOW + 1)]
    assert [len(g) if type(g) is list else 1 for g in group_runs(items)] == [2, 1]

    class Batch:  # any other queue item
        pass

    batch = Batch()
    grouped = group_runs([_skip(A, 1), _skip(A, 2), batch, _skip(A, 3)])
    assert grouped[1] is batch
    assert len(grouped[0]) == 2 and is_told(grouped[2])


def test_a_renamed_configuration_starts_a_new_run():
    renamed = Config(1, "a (renamed)")
    grouped = group_runs([_skip(A, 1), _skip(A, 2), _skip(renamed, 3)])
    assert [len(g) if type(g) is list else 1 for g in grouped] == [2, 1]
