"""Running Python in a child process: the real command line, or a script.

A child process is the only honest place for what one test process cannot
show: a fresh ``sys.modules`` (what an import pulls in), a second
``QApplication.exec()``, an exit code.
"""

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


def run_python(code: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``python -c CODE ARGS`` from the repository root; capture its output.

    Args:
        code: The script.
        *args: Its command-line arguments (``sys.argv[1:]``).
        **env: Environment variables to set on top of this process's.
    """
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT), **env),
        cwd=ROOT,
        timeout=60,
    )
