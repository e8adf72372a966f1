"""The layers of DESIGN.md, checked from the source.

Qt stays in ``desktop_app/ui/``; the UI never talks SQL (it goes through
the manager and the store's API); the core never imports the UI.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests._support.child_processes import run_python

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "desktop_app"


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


CORE = [p for p in _modules(PACKAGE) if "ui" not in p.relative_to(PACKAGE).parts]
UI = _modules(PACKAGE / "ui")


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_never_imports_qt_or_the_ui(path):
    imported = _imports(path)
    assert not {m for m in imported if m.split(".")[0] in ("PySide6", "shiboken6")}
    # Entry points (the `run` command, the dialog fixture) may reach the UI
    # from inside a function, never when the module is imported.
    top_level = _imports(path, top_level_only=True)
    assert not {m for m in top_level if m.startswith("desktop_app.ui")}


@pytest.mark.parametrize("path", UI, ids=lambda p: str(p.relative_to(ROOT)))
def test_ui_module_never_runs_sql(path):
    imported = _imports(path)
    banned = {"sqlite3", "sqlalchemy", "alembic"}
    assert not {m for m in imported if m.split(".")[0] in banned}
    # The store's public API (ConfigStore methods via the manager) is fine;
    # its private modules (models, engine, SQL) are not.
    assert not {m for m in imported if m.startswith("desktop_app.store._")}


def test_builtin_integrations_import_qt_only_lazily():
    for path in _modules(ROOT / "integrations"):
        top = _imports(path, top_level_only=True)
        assert not {m for m in top if m.startswith("PySide6")}, path


@pytest.mark.parametrize(
    "modules",
    [
        "desktop_app.plugins, desktop_app.__main__",
        "integrations.webhook",
        "integrations.chat",
        "integrations.event_file",
        "integrations.desktop_notification",
    ],
)
def test_importing_the_core_and_built_ins_loads_no_qt(modules):
    # What the source check above cannot see: imports made when modules run.
    code = (
        f"import sys, {modules};"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
