"""The "Coming from djblets" table of the integration guide: every name it
points to exists, and it covers every djblets / Django / Review Board
framework import that Review Board's integrations (rbintegrations: Slack,
Mattermost, CircleCI, Travis CI, Jenkins CI, Discord, Microsoft Teams,
Matrix, GitLab CI, Asana, Trello, I Done This and their base classes)
make."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "writing-integrations.md"

#: Framework imports of rbintegrations' integration and form modules, as
#: found when porting them (Review Board's own objects left out).
RBINTEGRATIONS_IMPORTS = [
    "django.utils.functional.cached_property",
    "django.utils.translation",
    "django.forms.widgets",
    "djblets.util.typing",
    "djblets.log.log_timed",
    "djblets.log.TimedLogInfo",
    "djblets.forms.widgets.AmountSelectorWidget",
    "djblets.forms.fields.ConditionsField",
    "djblets.conditions.choices",
    "djblets.integrations.forms.IntegrationConfigForm",
    "reviewboard.integrations.forms.IntegrationConfigForm",
    "reviewboard.integrations.base.Integration",
    "reviewboard.integrations.models.IntegrationConfig",
    "reviewboard.extensions.base.Extension",
    "reviewboard.extensions.hooks.SignalHook",
    "reviewboard.extensions.hooks.IntegrationHook",
    "django.utils.html.format_html",
    "django.db.models.TextChoices",
    "django.core.exceptions.ValidationError",
]


def _table() -> list[tuple[str, str]]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Coming from djblets", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] != "---" and "`" in cells[0] + cells[1]:
            rows.append((cells[0], cells[1]))
    return rows


def _code(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _resolve(dotted: str) -> object:
    dotted = dotted.removeprefix("from ").replace(" import ", ".")
    dotted = dotted.removesuffix("()")
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def test_the_table_has_no_row_twice():
    references = [ref for ref, _ in _table()]
    assert len(references) == len(set(references))
    assert len(references) > 20


_OURS = ("desktop_app", "from desktop_app", "functools")


@pytest.mark.parametrize(
    "target",
    [t for _, here in _table() for t in _code(here) if t.startswith(_OURS)],
)
def test_every_name_the_table_points_to_exists(target):
    assert _resolve(target) is not None


@pytest.mark.parametrize("path", RBINTEGRATIONS_IMPORTS)
def test_every_framework_import_of_rbintegrations_is_in_the_table(path):
    references = [name for ref, _ in _table() for name in _code(ref)]
    # A row names a module or an object in it ("django.forms.widgets"
    # covers "django.forms.widgets.TextInput").
    assert any(path == name or path.startswith(name + ".") for name in references), path
