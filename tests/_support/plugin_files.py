"""Plugin sources on disk: drop-in modules and installed-looking
distributions, for the tests that load plugins the way the app does."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_plugin(folder: Path, name: str, code: str) -> Path:
    """Write a plugin file (or ``pkg/__init__.py`` style path) into a folder."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return path


def make_distribution(
    root: Path,
    name: str,
    version: str,
    entry_points: dict[str, str],
    modules: dict[str, str],
) -> Path:
    """Build an installed-looking distribution (a ``*.dist-info`` folder and
    its modules) under ``root``, to put on ``sys.path``."""
    root.mkdir(parents=True, exist_ok=True)
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = ["[desktop_app.plugins]"]
    lines += [f"{key} = {value}" for key, value in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for rel, code in modules.items():
        write_plugin(root, rel, code)
    return root
