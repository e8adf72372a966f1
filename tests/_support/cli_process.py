"""Running the real command line in a child process, for the CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``python -m desktop_app ARGS`` on a data folder; capture its output."""
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=data_dir,
        timeout=60,
    )
