"""Killing a process mid-save never loses an acknowledged configuration."""

from __future__ import annotations

import sys

import pytest

from stress.crash_harness import CrashRunner

ROUNDS = 100


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
def test_sigkill_while_saving_loses_no_acknowledged_save(tmp_path):
    runner = CrashRunner(tmp_path, seed=7)
    try:
        for _ in range(ROUNDS):
            assert runner.run_round() == []
    finally:
        runner.close()
    stats = runner.stats
    assert stats.rounds == ROUNDS
    assert stats.killed_mid_run == ROUNDS
    assert stats.acknowledged >= ROUNDS
    assert stats.configs > 0
