"""The command line with a secret configured: errors stay one line each, and
no secret (long or short) reaches the terminal."""

from __future__ import annotations

import pytest

from desktop_app.store import ConfigRecord, ConfigStore
from tests._support.child_processes import run_cli
from tests._support.plugin_files import write_plugin

PLUGIN = """
from desktop_app import Integration, SignalHook, define_signal, forms
from desktop_app.forms import IntegrationConfigForm

ping = define_signal("secrets.ping", payload={})


class TokenForm(IntegrationConfigForm):
    token = forms.PasswordField()


def _call_server(token):
    raise PermissionError(f"server rejected token {token}")


class TokenIntegration(Integration):
    integration_id = "secrets.integration"
    name = "Token"
    config_form_cls = TokenForm

    def initialize(self):
        SignalHook(self, ping, self._on_ping)

    def _on_ping(self, **kwargs):
        for config in self.get_configs():
            self.run_in_background(
                config, _call_server, config.get("token"), signal="secrets.ping"
            )
"""

# A plugin that fails to load once the secrets are known (it reads the
# configurations first), with the secret in its error.
LATE_FAILURE = """
from desktop_app import get_integration_manager

for config in get_integration_manager().get_enabled_configs("secrets.integration"):
    raise RuntimeError(f"cannot log in with {config.get('token')}")
"""


def make_data_dir(path, secret):
    plugins = path / "plugins"
    plugins.mkdir(mode=0o700, parents=True)
    path.chmod(0o700)
    write_plugin(plugins, "secret_plugin.py", PLUGIN)
    write_plugin(plugins, "zz_late_failure.py", LATE_FAILURE)
    with ConfigStore(path / "configs.sqlite3") as store:
        # As saved on a machine without a keyring: the secret in the row.
        store.save_config(
            ConfigRecord(
                "secrets.integration",
                name="prod",
                enabled=True,
                settings={"token": secret},
            )
        )
    return path


def assert_one_line_errors(stderr: str, secret: str) -> None:
    lines = stderr.splitlines()
    assert lines, "expected the failure to be reported on stderr"
    for line in lines:
        assert line.startswith("desktop-app: "), stderr
    assert "Traceback" not in stderr
    assert not any(secret == word.strip("'\".,:") for word in stderr.split())
    assert secret not in stderr or len(secret) < 4


@pytest.mark.parametrize("secret", ["s3cr3t-long-token", "k9"])
def test_fire_with_a_failing_delivery_prints_one_line_errors(tmp_path, secret):
    data_dir = make_data_dir(tmp_path / "data", secret)
    result = run_cli(data_dir, "fire", "secrets.ping")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "secrets.integration  prod (#1)  failed: PermissionError: server "
        "rejected token ********"
    ) in result.stdout
    assert_one_line_errors(result.stderr, secret)
    assert "Background work of secrets.integration for config 1 failed" in (
        result.stderr
    )


@pytest.mark.parametrize("secret", ["s3cr3t-long-token", "k9"])
def test_list_with_a_plugin_failing_on_a_secret_stays_one_line(tmp_path, secret):
    data_dir = make_data_dir(tmp_path / "data", secret)
    result = run_cli(data_dir, "list")
    assert result.returncode == 0, result.stderr
    [failed] = [
        line for line in result.stdout.splitlines() if "zz_late_failure" in line
    ]
    assert "RuntimeError: cannot log in with ********" in failed
    assert secret not in result.stdout.replace("secrets.", "")
    assert_one_line_errors(result.stderr, secret)


@pytest.mark.parametrize("secret", ["s3cr3t-long-token", "k9"])
def test_list_verbose_shows_the_traceback_without_the_secret(tmp_path, secret):
    data_dir = make_data_dir(tmp_path / "data", secret)
    result = run_cli(data_dir, "list", "--verbose")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    [at] = [
        i for i, line in enumerate(lines) if "zz_late_failure  [plugins folder]" in line
    ]
    plugin_file = data_dir / "plugins" / "zz_late_failure.py"
    assert lines[at].endswith(f"(at {plugin_file}, line 5)")
    assert lines[at + 1] == "    Traceback (most recent call last):"
    assert f'      File "{plugin_file}", line 5, in <module>' in lines
    assert "    RuntimeError: cannot log in with ********" in lines
    assert secret not in result.stdout.replace("secrets.", "")
