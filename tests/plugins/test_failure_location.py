"""A failed plugin says where: its own file and line."""

from __future__ import annotations

from tests._support.plugin_files import write_plugin


def test_failure_location_is_the_plugins_own_innermost_line(plugins_dir, make_plugins):
    write_plugin(plugins_dir, "syntax.py", "x = 1\ndef oops(:\n")
    write_plugin(
        plugins_dir,
        "deep/__init__.py",
        "from deep.helpers import load\n\nload()\n",
    )
    write_plugin(
        plugins_dir,
        "deep/helpers.py",
        "import json\n\n\ndef load():\n    return json.loads('{')\n",
    )
    write_plugin(plugins_dir, "clash_json/__init__.py", "")
    write_plugin(plugins_dir, "json.py", "")
    by_name = {p.name: p for p in make_plugins().load_all()}
    assert by_name["syntax"].location == f"{plugins_dir / 'syntax.py'}, line 2"
    # Inside json's own code, placed at the plugin's line that called it.
    assert by_name["deep"].location == (
        f"{plugins_dir / 'deep' / 'helpers.py'}, line 5"
    )
    # Refused before any of its code ran: no line to show.
    assert by_name["json"].failed and by_name["json"].location == ""
    assert by_name["clash_json"].loaded
