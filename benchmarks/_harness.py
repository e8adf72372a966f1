"""Timing helpers shared by the benchmarks.

Every target is a ratio measured in one run, so candidates and their floors
are timed in interleaved rounds: machine noise hits both alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Measurement:
    """Samples of one thing, in one unit."""

    name: str
    unit: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)


@dataclass
class Result:
    """One row of the report: a measurement, optionally against a floor."""

    benchmark: str
    measurement: Measurement
    floor: Measurement | None = None
    target: float | None = None
    note: str = ""
    #: Shown in the target column of a row without a ratio target (the
    #: scale steps' longest stall against its limit).
    verdict: str = ""

    @property
    def ratio(self) -> float | None:
        if self.floor is None or not self.floor.median:
            return None
        return self.measurement.median / self.floor.median

    @property
    def met(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.ratio <= self.target

    def to_json(self) -> dict:
        data = {
            "benchmark": self.benchmark,
            "name": self.measurement.name,
            "unit": self.measurement.unit,
            "median": self.measurement.median,
            "min": self.measurement.low,
            "max": self.measurement.high,
            "samples": len(self.measurement.samples),
            "note": self.note,
        }
        if self.floor is not None:
            data["floor"] = asdict(self.floor) | {"median": self.floor.median}
            data["ratio"] = self.ratio
            data["target"] = self.target
            data["met"] = self.met
        return data


def interleaved(
    rounds: int, candidates: dict[str, Callable[[], float]]
) -> dict[str, list[float]]:
    """Run each candidate once per round, in turn, and collect its samples.

    Each candidate returns its own figure for the round (e.g. µs per call).
    """
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, run in candidates.items():
            samples[name].append(run())
    return samples


def per_call_us(func: Callable[[], object], calls: int) -> Callable[[], float]:
    """Wrap ``func`` into a round that returns µs per call over ``calls``."""

    def run() -> float:
        t0 = time.perf_counter()
        for _ in range(calls):
            func()
        return (time.perf_counter() - t0) / calls * 1e6

    return run


def format_value(value: float, unit: str) -> str:
    if unit in ("µs", "ms", "s"):
        return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"
    if unit == "MiB":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def render_table(results: list[Result]) -> str:
    """Render results as a Markdown table (also fine in a terminal)."""
    lines = [
        "| benchmark | what | median (min–max) | floor median | ratio | target |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        m = r.measurement
        spread = (
            f"{format_value(m.median, m.unit)} {m.unit} "
            f"({format_value(m.low, m.unit)}–{format_value(m.high, m.unit)})"
        )
        floor = (
            f"{format_value(r.floor.median, r.floor.unit)} {r.floor.unit}"
            if r.floor
            else ""
        )
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
        target = ""
        if r.target is not None:
            target = f"≤ {r.target:g}× " + ("✅" if r.met else "❌")
        elif r.verdict:
            target = r.verdict
        lines.append(
            f"| {r.benchmark} | {m.name} | {spread} | {floor} | {ratio} | {target} |"
        )
    return "\n".join(lines)
