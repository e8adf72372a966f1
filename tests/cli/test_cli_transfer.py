"""``desktop-app export`` / ``import``: real files, real store, a real
subprocess; all or nothing, and secrets never travel."""

from __future__ import annotations

import json
import textwrap

import pytest

from desktop_app.store import ConfigRecord, ConfigStore
from tests._support.child_processes import run_cli

PLUGIN = """
from desktop_app import Integration, forms


class KeyForm(forms.IntegrationConfigForm):
    url = forms.URLField()
    api_key = forms.PasswordField(label="API key")


class KeyIntegration(Integration):
    integration_id = "cli.keyed"
    name = "Keyed"
    config_form_cls = KeyForm

    def initialize(self):
        pass


class PlainIntegration(Integration):
    integration_id = "cli.plain"
    name = "Plain"

    def initialize(self):
        pass
"""


@pytest.fixture
def data_dir(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "keyed.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    store = ConfigStore(tmp_path / "configs.sqlite3")
    store.save_config(
        ConfigRecord(
            "cli.keyed",
            name="Pager",
            enabled=True,
            settings={"url": "https://pager.example.com/", "api_key": "s3cret-key"},
        )
    )
    store.save_config(ConfigRecord("cli.plain", name="Plain one", enabled=True))
    store.close()
    return tmp_path


def stored(data_dir):
    store = ConfigStore(data_dir / "configs.sqlite3")
    try:
        return sorted(
            (r.integration_id, r.name, r.enabled) for r in store.list_configs()
        )
    finally:
        store.close()


def test_export_writes_every_configuration_without_secrets(data_dir):
    result = run_cli(data_dir, "export", "all.json")
    assert result.returncode == 0, result.stderr
    assert "Exported 2 configuration(s)" in result.stdout
    text = (data_dir / "all.json").read_text()
    assert "s3cret-key" not in text
    names = [c["name"] for c in json.loads(text)["configs"]]
    assert sorted(names) == ["Pager", "Plain one"]


def test_export_of_one_integration(data_dir):
    result = run_cli(data_dir, "export", "--integration", "cli.plain", "plain.json")
    assert result.returncode == 0, result.stderr
    configs = json.loads((data_dir / "plain.json").read_text())["configs"]
    assert [c["name"] for c in configs] == ["Plain one"]


def test_export_of_an_unknown_integration_says_so(data_dir):
    result = run_cli(data_dir, "export", "--integration", "nope", "x.json")
    assert result.returncode == 2
    assert "no integration 'nope' is installed" in result.stderr
    assert not (data_dir / "x.json").exists()


def test_import_adds_all_and_flags_those_needing_a_secret(data_dir):
    assert run_cli(data_dir, "export", "all.json").returncode == 0
    result = run_cli(data_dir, "import", "all.json")
    assert result.returncode == 0, result.stderr
    assert "Imported 2 configuration(s)" in result.stdout
    assert "Pager: needs a secret (API key); left disabled" in result.stdout
    rows = stored(data_dir)
    assert rows.count(("cli.keyed", "Pager", False)) == 1  # the imported copy
    assert rows.count(("cli.keyed", "Pager", True)) == 1  # the original
    assert rows.count(("cli.plain", "Plain one", True)) == 2


def test_dry_run_checks_and_saves_nothing(data_dir):
    run_cli(data_dir, "export", "all.json")
    before = stored(data_dir)
    result = run_cli(data_dir, "import", "--dry-run", "all.json")
    assert result.returncode == 0, result.stderr
    assert "Would import 2 configuration(s)" in result.stdout
    assert stored(data_dir) == before


def test_skip_existing_leaves_out_same_named_configurations(data_dir):
    run_cli(data_dir, "export", "all.json")
    before = stored(data_dir)
    result = run_cli(data_dir, "import", "--skip-existing", "all.json")
    assert result.returncode == 0, result.stderr
    assert "Imported 0 configuration(s)" in result.stdout
    assert stored(data_dir) == before


def test_a_bad_configuration_refuses_the_whole_file(data_dir):
    document = {
        "format": "desktop-app-configs",
        "version": 1,
        "configs": [
            {"integration_id": "cli.plain", "name": "Fine", "settings": {}},
            {
                "integration_id": "cli.keyed",
                "name": "Bad",
                "settings": {"url": "not a url at all"},
            },
        ],
    }
    (data_dir / "bad.json").write_text(json.dumps(document))
    before = stored(data_dir)
    result = run_cli(data_dir, "import", "bad.json")
    assert result.returncode == 1
    assert "nothing was imported from bad.json" in result.stderr
    assert "Configuration 2 ('Bad')" in result.stderr and "valid URL" in result.stderr
    assert stored(data_dir) == before


def test_an_unreadable_file_is_one_line(data_dir):
    result = run_cli(data_dir, "import", "missing.json")
    assert result.returncode == 2
    assert result.stderr.startswith("desktop-app: error: could not read missing.json")


def stored_records(data_dir):
    store = ConfigStore(data_dir / "configs.sqlite3")
    try:
        return {(r.integration_id, r.name): r for r in store.list_configs()}
    finally:
        store.close()


def edit_pager(data_dir, url):
    store = ConfigStore(data_dir / "configs.sqlite3")
    try:
        (pager,) = store.list_configs("cli.keyed")
        store.save_config(
            ConfigRecord(
                "cli.keyed",
                name="Pager",
                enabled=True,
                settings={**pager.settings, "url": url},
                id=pager.id,
                revision=pager.revision,
            )
        )
    finally:
        store.close()


def test_replace_updates_same_named_configurations_keeping_their_secret(data_dir):
    assert run_cli(data_dir, "export", "all.json").returncode == 0
    edit_pager(data_dir, "https://edited.example.com/")
    before = stored_records(data_dir)
    document = json.loads((data_dir / "all.json").read_text())
    document["configs"].append(
        {"integration_id": "cli.plain", "name": "Plain two", "settings": {}}
    )
    (data_dir / "more.json").write_text(json.dumps(document))

    result = run_cli(data_dir, "import", "--replace", "more.json")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Imported 3 configuration(s) from more.json: 1 added, 2 replaced."
    )
    assert "needs a secret" not in result.stdout  # Pager kept its API key
    after = stored_records(data_dir)
    assert sorted(after) == sorted([*before, ("cli.plain", "Plain two")])
    pager = after[("cli.keyed", "Pager")]
    old = before[("cli.keyed", "Pager")]
    assert (pager.id, pager.revision) == (old.id, old.revision + 1)
    assert pager.settings == {
        "url": "https://pager.example.com/",  # the file's
        "api_key": "s3cret-key",  # kept: exports have no secrets
    }
    assert pager.enabled


def test_dry_run_with_replace_says_what_would_change_and_saves_nothing(data_dir):
    run_cli(data_dir, "export", "all.json")
    document = json.loads((data_dir / "all.json").read_text())
    document["configs"].append(
        {
            "integration_id": "cli.keyed",
            "name": "New pager",
            "settings": {"url": "https://new.example.com/"},
        }
    )
    (data_dir / "more.json").write_text(json.dumps(document))
    before = stored(data_dir)

    result = run_cli(data_dir, "import", "--dry-run", "--replace", "more.json")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Would import 3 configuration(s) from more.json: 1 added, 2 replaced.",
        "  would replace: Pager (Keyed)",
        "  would replace: Plain one (Plain)",
        "  would add: New pager (Keyed)",
        "  New pager: needs a secret (API key); would be disabled until it is given.",
    ]
    assert stored(data_dir) == before


def test_a_bad_file_with_replace_changes_nothing(data_dir):
    document = {
        "format": "desktop-app-configs",
        "version": 1,
        "configs": [
            {"integration_id": "cli.plain", "name": "Plain one", "enabled": False},
            {"integration_id": "cli.keyed", "name": "Pager", "settings": {"url": "?"}},
        ],
    }
    (data_dir / "bad.json").write_text(json.dumps(document))
    before = stored_records(data_dir)
    result = run_cli(data_dir, "import", "--replace", "bad.json")
    assert result.returncode == 1
    assert "nothing was imported from bad.json" in result.stderr
    assert "Configuration 2 ('Pager')" in result.stderr
    assert stored_records(data_dir) == before


def test_replace_and_skip_existing_exclude_each_other(data_dir):
    run_cli(data_dir, "export", "all.json")
    result = run_cli(data_dir, "import", "--replace", "--skip-existing", "all.json")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_skip_existing_says_how_many_it_skipped(data_dir):
    run_cli(data_dir, "export", "all.json")
    result = run_cli(data_dir, "import", "--skip-existing", "--dry-run", "all.json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Would import 0 configuration(s) from all.json: 0 added, 2 skipped."
    )
