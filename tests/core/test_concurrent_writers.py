"""Several processes writing one database file: no lock errors, no lost
writes, and stale copies conflict instead of overwriting."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app import forms
from desktop_app.errors import ConfigConflictError
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 3
CONFIGS_EACH = 200

PRELUDE = """
import sys
from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration
from desktop_app.manager import IntegrationManager

class CounterForm(IntegrationConfigForm):
    count = forms.IntegerField()
    writer = forms.CharField()

class Counter(Integration):
    integration_id = "tests.concurrent.Counter"
    config_form_cls = CounterForm
    def initialize(self):
        pass

manager = IntegrationManager(sys.argv[1], watch_interval=None)
integration = manager.register_integration_class(Counter)
"""

WRITER = """
writer = sys.argv[2]
ids = []
for i in range(int(sys.argv[3])):
    data = {"name": f"{writer}-{i}", "enabled": True, "count": i, "writer": writer}
    ids.append(CounterForm(integration, data).save().id)
for i, config_id in enumerate(ids):
    config = manager.get_config(config_id)
    data = {"name": config.name, "enabled": False, "count": i + 1000,
            "writer": writer}
    CounterForm(integration, data, config=config).save()
print(" ".join(map(str, ids)))
manager.shutdown()
"""


class CounterForm(IntegrationConfigForm):
    count = forms.IntegerField()
    writer = forms.CharField()


class Counter(Integration):
    integration_id = "tests.concurrent.Counter"
    config_form_cls = CounterForm

    def initialize(self):
        pass


def test_concurrent_writers_never_hit_locks_or_lose_writes(db_path):
    from desktop_app.store import ConfigStore

    ConfigStore(db_path).close()
    script = textwrap.dedent(PRELUDE) + textwrap.dedent(WRITER)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(db_path), f"w{n}", str(CONFIGS_EACH)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert "database is locked" not in err
        assert proc.returncode == 0, err
    raw = sqlite3.connect(db_path)
    rows = raw.execute("SELECT id, name, enabled, settings, revision FROM configs")
    stored = {
        id_: (name, enabled, json.loads(s), rev) for id_, name, enabled, s, rev in rows
    }
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()
    assert len(stored) == WRITERS * CONFIGS_EACH
    for n, (out, _err) in enumerate(results):
        for i, config_id in enumerate(map(int, out.split())):
            name, enabled, settings, revision = stored[config_id]
            assert name == f"w{n}-{i}" and not enabled and revision == 2
            assert settings == {"count": i + 1000, "writer": f"w{n}"}


def _form_gone_stale(manager):
    """Save a config, open a form on it, then have another process save it.

    Returns:
        tuple: The config as first saved, and the form (now stale) whose
        own save would change ``count`` to 2.
    """
    integration = manager.register_integration_class(Counter)
    data = {"name": "shared", "enabled": True, "count": 1, "writer": "here"}
    config = CounterForm(integration, data).save()
    stale_form = CounterForm(
        integration,
        {**data, "count": 2},
        config=manager.get_config(config.id),
    )
    other = textwrap.dedent(PRELUDE) + textwrap.dedent(
        f"""
        config = manager.get_config({config.id})
        data = {{"name": "shared", "enabled": True, "count": 99, "writer": "there"}}
        CounterForm(integration, data, config=config).save()
        manager.shutdown()
        """
    )
    subprocess.run(
        [sys.executable, "-c", other, str(manager.store.path)],
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    return config, stale_form


def test_stale_form_in_one_process_conflicts_with_a_save_in_another(manager):
    config, stale_form = _form_gone_stale(manager)
    before = stale_form.config.settings
    with pytest.raises(ConfigConflictError) as info:
        stale_form.save()
    assert info.value.config_id == config.id
    assert stale_form.config.settings == before  # the form's copy is untouched
    stored = manager.get_config(config.id)
    assert (stored.settings, stored.revision) == ({"count": 99, "writer": "there"}, 2)


def test_a_forced_form_save_overwrites_the_newer_copy_of_another_process(manager):
    config, stale_form = _form_gone_stale(manager)
    with pytest.raises(ConfigConflictError):
        stale_form.save()

    saved = stale_form.save(force=True)

    stored = manager.get_config(config.id)
    assert (stored.settings, stored.revision) == ({"count": 2, "writer": "here"}, 3)
    assert saved.revision == 3
    # After the overwrite the copy is current again: a plain save works.
    data = {"name": "shared", "enabled": True, "count": 3, "writer": "here"}
    CounterForm(stale_form.integration, data, config=saved).save()
    assert manager.get_config(config.id).settings["count"] == 3
