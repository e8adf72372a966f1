"""Bad command-line input: bytes that are not UTF-8, control characters in
names the command line echoes, and a ``--timeout`` that is no time.

Driven through child processes: the bytes must arrive as the shell would
pass them (Python decodes them with surrogateescape).
"""

from __future__ import annotations

import os
import textwrap

import pytest

from tests._support.child_processes import run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="bytes in argv")

PLUGIN = """
from pathlib import Path

from desktop_app import define_signal, forms

echo = define_signal("cli.echo", payload={"who": forms.CharField(required=False)})


def _record(sender, **payload):
    with open(Path(__file__).parent.parent / "sent.txt", "a") as f:
        f.write(repr(payload) + "\\n")


echo.connect(_record, weak=False)
"""


@pytest.fixture
def data_dir(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir(mode=0o700)
    (plugins / "echo.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    return tmp_path


def arg(raw: bytes) -> str:
    """A command-line word holding exactly these bytes."""
    return os.fsdecode(raw)


def test_the_plugin_receives_a_valid_value(data_dir):
    result = run_cli(data_dir, "fire", "cli.echo", "who=ann")

    assert result.returncode == 0, result.stderr
    assert (data_dir / "sent.txt").read_text() == "{'who': 'ann'}\n"


@pytest.mark.parametrize(
    "word, shown",
    [
        (b"who=caf\xe9", r"who=caf\xe9"),  # Latin-1, not UTF-8
        (b"who=\xff\xfe", r"who=\xff\xfe"),
        (b"who=\xed\xa0\x80", r"who=\xed\xa0\x80"),  # an encoded surrogate
        (b"w\x80o=ann", r"w\x80o=ann"),  # in the key too
    ],
)
def test_a_value_that_is_not_utf8_is_rejected_and_not_sent(data_dir, word, shown):
    result = run_cli(data_dir, "fire", "cli.echo", arg(word))

    assert result.returncode == 2
    assert result.stderr == f'desktop-app: error: not valid UTF-8 text: "{shown}"\n'
    assert not (data_dir / "sent.txt").exists()


def test_control_characters_in_an_echoed_signal_name_are_escaped(data_dir):
    result = run_cli(data_dir, "fire", "evil\x1b[2J\nsignal\x07")

    assert result.returncode == 2
    assert result.stderr == (
        'desktop-app: error: unknown signal "evil\\x1b[2J\\nsignal\\x07"\n'
    )


def test_a_signal_name_that_is_not_utf8_is_echoed_as_its_bytes(data_dir):
    result = run_cli(data_dir, "fire", arg(b"sig\xffnal"))

    assert result.returncode == 2
    assert result.stderr == 'desktop-app: error: unknown signal "sig\\xffnal"\n'


def test_control_characters_in_a_plugin_name_are_escaped_in_list(data_dir):
    # A file name is text anyone who can write the folder chose: it must not
    # drive the terminal (clear the screen, fake a line of output).
    name = arg(b"bad\x1b[31m\xff")
    (data_dir / "plugins" / f"{name}.py").write_text("raise ValueError('x')\n")

    result = run_cli(data_dir, "list")

    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    [line] = [line for line in result.stdout.splitlines() if "bad" in line]
    assert line.startswith("  bad\\x1b[31m\\xff  [plugins folder]")
    shown_path = f"{data_dir}/plugins/bad\\x1b[31m\\xff.py"
    assert line.endswith(f"failed: ValueError: x (at {shown_path}, line 1)")


@pytest.mark.parametrize("timeout", ["0", "-5", "nan", "inf", "-inf", "1e400", "soon"])
def test_timeout_must_be_positive_and_finite(data_dir, timeout):
    result = run_cli(data_dir, "fire", "cli.echo", f"--timeout={timeout}")

    assert result.returncode == 2
    [last] = result.stderr.splitlines()[-1:]
    assert last.startswith("desktop-app fire: error: argument --timeout: ")
    assert repr(timeout) in last
    assert not (data_dir / "sent.txt").exists()


def test_a_small_positive_timeout_is_accepted(data_dir):
    result = run_cli(data_dir, "fire", "cli.echo", "--timeout", "0.5")

    assert result.returncode == 0, result.stderr
    assert (data_dir / "sent.txt").exists()
