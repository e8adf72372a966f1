"""Plugin sources on disk: drop-in modules and installed-looking
distributions, for the tests that load plugins the way the app does."""

from __future__ import annotations

import contextlib
import sys
import textwrap
import threading
import types
from collections.abc import Iterator
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


#: A plugin whose import waits on the gate module ``_held_gate`` (see
#: :py:func:`held_import_gate`) before defining ``test.held``.
HELD_PLUGIN = """
import _held_gate
from desktop_app import Integration

_held_gate.entered.set()
_held_gate.release.wait()


class Held(Integration):
    integration_id = "test.held"
    name = "Held"

    def initialize(self):
        pass
"""


@contextlib.contextmanager
def held_import_gate(
    module_name: str = "_held_gate",
) -> Iterator[types.SimpleNamespace]:
    """Install a gate module (by default ``_held_gate``, which
    :py:data:`HELD_PLUGIN` imports):
    ``entered`` is set once the import is under way, and it goes on when
    ``release`` is set (at the latest on leaving, when the plugin threads
    are joined so none outlives the test by much)."""
    gate = types.ModuleType(module_name)
    gate.entered = threading.Event()  # type: ignore[attr-defined]
    gate.release = threading.Event()  # type: ignore[attr-defined]
    sys.modules[module_name] = gate
    try:
        yield gate  # type: ignore[misc]
    finally:
        gate.release.set()  # type: ignore[attr-defined]
        for thread in threading.enumerate():
            if thread.name.startswith("desktop-app-plugin-"):
                thread.join(10)
        sys.modules.pop(module_name, None)
