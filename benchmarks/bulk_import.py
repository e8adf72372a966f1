"""Benchmark 6, bulk import only: ``python -m benchmarks --only bulk_import``.

The same rows as :py:mod:`benchmarks.scale` reports, without the window
steps (minutes at 100,000 configs), for iterating on the import path.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks._harness import Result
from benchmarks.scale import _import_rounds, import_results


def run(quick: bool = False) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        return import_results(_import_rounds(Path(tmp), 3 if quick else 7))
