"""Every python block of the docs runs, so the guides cannot rot.

Blocks of one document run in order in one namespace, against a fresh
manager on a temp database, as a reader would type them one after another.
An HTML comment right before a block changes how it runs:

* ``<!-- plugin: NAME -->``: the block is a plugin file; it runs as module
  ``NAME`` (importable by later blocks) and is written beside test files.
* ``<!-- test-file: test_NAME.py -->``: the block is a test file; it runs in
  its own pytest process (pytester), with the document's plugin files.
* ``<!-- not-run: reason -->``: the block is not run (keep these rare).

Other languages (``sh``, ``toml``) are never run.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.activity import get_activity_log
from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.signals import get_signal_infos, unregister_signal

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [
    "README.md",
    "docs/writing-integrations.md",
    "docs/testing-integrations.md",
]

_BLOCK = re.compile(
    r"(?:<!--\s*(?P<directive>[\w-]+)\s*:\s*(?P<arg>.*?)\s*-->\s*\n)?"
    r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<code>.*?)^```\s*$",
    re.MULTILINE | re.DOTALL,
)


@dataclass
class Block:
    """One fenced code block and how to run it."""

    lang: str
    code: str
    directive: str | None
    arg: str
    line: int


def code_blocks(document: str) -> list[Block]:
    """Return the fenced blocks of a Markdown document, in order."""
    text = (ROOT / document).read_text(encoding="utf-8")
    return [
        Block(
            m["lang"],
            m["code"],
            m["directive"],
            m["arg"] or "",
            text.count("\n", 0, m.start("code")) + 1,
        )
        for m in _BLOCK.finditer(text)
    ]


def python_blocks(document: str) -> list[Block]:
    return [b for b in code_blocks(document) if b.lang == "python"]


def _installed() -> bool:
    return any(
        ep.value == "desktop_app.pytest_plugin"
        for ep in importlib.metadata.entry_points(group="pytest11")
    )


@pytest.fixture
def doc_manager(tmp_path):
    manager = IntegrationManager(tmp_path / "configs.sqlite3", watch_interval=None)
    set_integration_manager(manager)
    get_activity_log().clear()
    yield manager
    manager.shutdown()
    set_integration_manager(None)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_python_block_runs(document, doc_manager, pytester, monkeypatch):
    blocks = python_blocks(document)
    assert blocks, f"{document} has no python blocks"
    module_name = "docs_" + re.sub(r"\W", "_", Path(document).stem)
    namespace: dict = {"__name__": module_name}
    plugins: dict[str, str] = {}
    monkeypatch.chdir(pytester.path)
    try:
        for block in blocks:
            where = f"{document}, block at line {block.line}"
            if block.directive == "not-run":
                assert block.arg, f"{where}: say why it is not run"
                continue
            if block.directive == "plugin":
                plugins[block.arg] = block.code
                module = types.ModuleType(block.arg)
                module.__file__ = str(pytester.path / f"{block.arg}.py")
                sys.modules[block.arg] = module
                exec(compile(block.code, where, "exec"), module.__dict__)
                namespace[block.arg] = module
            elif block.directive == "test-file":
                # The test file loads the plugin from a plugins folder under
                # its own name, as the app does: the copy run above must not
                # hold that name meanwhile.
                hidden = {n: sys.modules.pop(n) for n in plugins if n in sys.modules}
                try:
                    _run_test_file(pytester, where, block, plugins)
                finally:
                    sys.modules.update(hidden)
            else:
                assert block.directive is None, f"{where}: unknown {block.directive}"
                exec(compile(block.code, where, "exec"), namespace)
    finally:
        doc_manager.wait_for_background_work(10)
        for plugin in plugins:
            sys.modules.pop(plugin, None)
        for info in get_signal_infos():
            if info.module in (module_name, *plugins):
                unregister_signal(info.name)


def _run_test_file(pytester, where: str, block: Block, plugins: dict[str, str]):
    if not _installed():
        pytest.skip("desktop-app is not installed: its fixtures are missing")
    for name, code in plugins.items():
        pytester.path.joinpath(f"{name}.py").write_text(code, encoding="utf-8")
    pytester.path.joinpath(block.arg).write_text(block.code, encoding="utf-8")
    result = pytester.runpytest_subprocess(block.arg, "-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) > 0, f"{where}: no test passed"
    result.assert_outcomes(passed=outcomes["passed"])


@pytest.mark.parametrize("document", DOCUMENTS)
def test_blocks_not_run_are_rare_and_explained(document):
    skipped = [b for b in python_blocks(document) if b.directive == "not-run"]
    assert len(skipped) <= 2, f"{document}: too many blocks are not run"
    assert all(b.arg for b in skipped)


def test_the_readme_links_the_guides():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documentation = readme.split("## Documentation", 1)[1]
    for guide in DOCUMENTS[1:]:
        assert f"({guide})" in documentation
        assert (ROOT / guide).exists()
    sections = re.findall(r"^## (.+)$", readme, re.MULTILINE)
    assert (
        sections.index("Documentation") == sections.index("Writing an integration") + 1
    )


def test_the_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = code_blocks("README.md")
    assert [b.lang for b in blocks[:2]] == ["sh", "sh"]
    assert readme.index("pip install -q -e . && .venv/bin/desktop-app") < readme.index(
        "pip install -q -e '.[test]' && .venv/bin/python -m pytest"
    )
