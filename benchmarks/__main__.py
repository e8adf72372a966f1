"""Run the benchmark suite: ``python -m benchmarks [--quick] [--only N ...]``.

Prints a Markdown table of medians (min–max) and ratios to their floors and
writes every sample to JSON (default ``benchmarks/results.json``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from pathlib import Path

from benchmarks._harness import render_table

#: Benchmark modules, in report order.
MODULES = [
    "dispatch",
    "save",
    "startup",
    "scale",
    "bulk_import",
    "dialog",
    "burst",
    "throughput",
]
#: Run when no --only is given (scale already reports the bulk-import rows).
DEFAULT_MODULES = [m for m in MODULES if m != "bulk_import"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--only", nargs="*", choices=MODULES, help="modules to run")
    parser.add_argument(
        "--json",
        type=Path,
        default=Path(__file__).with_name("results.json"),
        help="where to write the samples",
    )
    args = parser.parse_args(argv)
    results = []
    for name in args.only or DEFAULT_MODULES:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"running {name}…", file=sys.stderr, flush=True)
        results.extend(module.run(quick=args.quick))
    table = render_table(results)
    print(table)
    args.json.write_text(
        json.dumps(
            {
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "quick": args.quick,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "results": [r.to_json() for r in results],
                "table": table,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
