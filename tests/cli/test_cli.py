"""The command line, driven through subprocess: output and exit codes."""

from __future__ import annotations

import textwrap

import pytest

from desktop_app.store import ConfigRecord, ConfigStore
from tests._support.child_processes import run_cli, run_python

PLUGIN = """
from desktop_app import Integration, SignalHook, define_signal, forms

ping = define_signal(
    "cli.ping",
    description="A ping from the command line.",
    payload={
        "count": forms.IntegerField(min_value=-100),
        "who": forms.CharField(required=False),
    },
)


def _work(count, who, out):
    if count < 0:
        raise ValueError("negative count")
    with open(out, "a") as f:
        f.write(f"{who}:{count}\\n")


class CliIntegration(Integration):
    integration_id = "cli.integration"
    name = "CLI test"

    def initialize(self):
        SignalHook(self, ping, self._on_ping)

    def _on_ping(self, count, who="", **kwargs):
        for config in self.get_configs():
            self.run_in_background(
                config, _work, count, who, config.get("out"), signal="cli.ping"
            )
"""


@pytest.fixture
def data_dir(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "cli_plugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    (plugins / "broken.py").write_text("import not_installed_anywhere\n")
    store = ConfigStore(tmp_path / "configs.sqlite3")
    store.save_config(
        ConfigRecord(
            "cli.integration",
            name="to file",
            enabled=True,
            settings={"out": str(tmp_path / "out.txt")},
        )
    )
    store.close()
    return tmp_path


def test_list_shows_plugins_errors_and_integrations(data_dir):
    result = run_cli(data_dir, "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    [broken] = [line for line in lines if line.strip().startswith("broken")]
    assert "failed: ModuleNotFoundError: No module named 'not_installed_anywhere'" in (
        broken
    )
    assert any("cli_plugin" in line and "loaded" in line for line in lines)
    assert any(
        "cli.integration  CLI test  1 configurations, 1 enabled" in line
        for line in lines
    )


def test_data_dir_option_overrides_the_environment(data_dir, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("empty")
    result = run_cli(elsewhere, "--data-dir", str(data_dir), "list")
    assert "cli.integration" in result.stdout
    result = run_cli(elsewhere, "list", "--data-dir", str(data_dir))
    assert "cli.integration" in result.stdout


def test_signals_lists_payload_fields(data_dir):
    result = run_cli(data_dir, "signals")
    assert result.returncode == 0, result.stderr
    # Name, label, group, then the description.
    assert "cli.ping  Ping  [Cli plugin]  A ping from the command line." in (
        result.stdout
    )
    assert "    count: IntegerField, required" in result.stdout
    assert "    who: CharField, optional" in result.stdout
    assert "desktop_app.config_created" in result.stdout


def test_fire_delivers_and_prints_what_ran(data_dir):
    result = run_cli(data_dir, "fire", "cli.ping", "count=5", "who=ann")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (data_dir / "out.txt").read_text() == "ann:5\n"
    assert "cli.integration  to file (#1)  ok" in result.stdout


def test_fire_exits_1_when_a_delivery_fails(data_dir):
    result = run_cli(data_dir, "fire", "cli.ping", "count=-1")
    assert result.returncode == 1
    assert "cli.integration  to file (#1)  failed: ValueError: negative count" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fire", "no.such"], 'desktop-app: error: unknown signal "no.such"'),
        (
            ["fire", "cli.ping", "count=abc"],
            'desktop-app: error: bad value for "count": Enter a whole number.',
        ),
        (["fire", "cli.ping", "count"], 'expected key=value, got "count"'),
        (["fire", "cli.ping", "count=1", "nope=2"], 'no payload field "nope"'),
    ],
)
def test_fire_usage_errors_are_one_line_and_exit_2(data_dir, args, message):
    result = run_cli(data_dir, *args)
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("desktop-app: error: ") and message in last
    assert "Traceback" not in result.stderr
    assert not (data_dir / "out.txt").exists()


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["run"],
        ["list"],
        ["signals"],
        ["fire"],
        ["plugins"],
        ["plugins", "install-deps"],
    ],
)
def test_every_command_has_help(tmp_path, command):
    result = run_cli(tmp_path, *command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: desktop-app")


def test_help_does_not_import_heavy_modules(tmp_path):
    code = (
        "import sys\n"
        "from desktop_app.__main__ import build_parser\n"
        "build_parser()\n"
        "heavy = ('sqlalchemy', 'PySide6', 'desktop_app.plugins', 'alembic')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    out = run_python(code)
    assert out.stdout.strip() == "[]", out.stderr


def test_fire_passes_every_declared_field_with_none_for_the_rest(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    out = tmp_path / "seen.txt"
    (plugins / "strict.py").write_text(
        textwrap.dedent(
            f"""
            from desktop_app import Integration, SignalHook, define_signal, forms

            done = define_signal(
                "strict.done",
                payload={{
                    "count": forms.IntegerField(),
                    "who": forms.CharField(required=False),
                }},
            )


            class Strict(Integration):
                integration_id = "strict.Strict"

                def initialize(self):
                    SignalHook(self, done, self._on_done)

                # Both are plain required keywords, as Review Board's
                # handlers take them.
                def _on_done(self, sender, count, who, **kwargs):
                    with open({str(out)!r}, "a") as f:
                        f.write(f"{{count!r}} {{who!r}}\\n")
            """
        ),
        encoding="utf-8",
    )
    store = ConfigStore(tmp_path / "configs.sqlite3")
    store.save_config(ConfigRecord("strict.Strict", name="on", enabled=True))
    store.close()
    result = run_cli(tmp_path, "fire", "strict.done", "count=3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text() == "3 None\n"


def test_list_shows_configurations_whose_integration_is_not_loaded(data_dir):
    store = ConfigStore(data_dir / "configs.sqlite3")
    store.save_config(
        ConfigRecord(
            "broken.Notifier",
            name="Team room",
            enabled=False,
            settings={"room": "ops", "token": "s3cr3t-value"},
        )
    )
    store.close()
    result = run_cli(data_dir, "list")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Not loaded (configurations kept):" in out
    assert "broken.Notifier" in out
    assert 'Its plugin "broken" failed to load: ModuleNotFoundError' in out
    assert "- Team room (disabled)" in out
    assert "room: ops" in out
    assert "s3cr3t-value" not in out
