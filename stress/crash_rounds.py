"""Kill a saving process many times and prove no acknowledged save is lost.

Usage: ``python -m stress.crash_rounds --rounds 1000`` (from the checkout).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stress.crash_harness import CrashRunner  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        runner = CrashRunner(Path(tmp), seed=args.seed)
        try:
            for _ in range(args.rounds):
                for problem in runner.run_round():
                    print("PROBLEM:", problem)
        finally:
            runner.close()
    s = runner.stats
    print(
        f"{s.rounds} SIGKILL rounds in {s.seconds:.1f} s, {s.killed_mid_run} "
        f"killed while saving; {s.acknowledged} acknowledged saves on "
        f"{s.configs} configurations; integrity_check ok after every kill; "
        f"{len(s.problems)} problems"
    )
    return 1 if s.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
