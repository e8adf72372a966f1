"""Kill a process that is saving configurations, then check nothing was lost.

A *zygote* process imports the app once and forks one saver per round, so a
round costs a fork instead of an interpreter start. The saver stores
configurations through :py:meth:`IntegrationConfigForm.save` on a real
manager, and after each save returns it appends ``id n checksum`` to an
acknowledgement file. The runner kills it with SIGKILL a few milliseconds
later, and checks the database: ``PRAGMA integrity_check`` is ``ok``, and
every acknowledged save is there with exactly its settings (or a later
save of the same config that committed before the kill).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CrashRunner", "expected_settings", "zygote_main"]

ROOT = Path(__file__).resolve().parents[1]
COLORS = ("red", "green", "blue")
INTEGRATION_ID = "stress.crash.Saver"


def expected_settings(n: int) -> dict:
    """The settings the saver stores for save number ``n``."""
    return {
        "label": f"config {n} — ü\N{SNOWMAN}",
        "count": n,
        "flag": n % 2 == 0,
        "color": COLORS[n % 3],
    }


def expected_name(n: int) -> str:
    return f"crash {n}"


def checksum(settings: dict) -> str:
    text = json.dumps(settings, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- the child side ---------------------------------------------------------


def _saver_classes():
    from desktop_app import forms
    from desktop_app.forms import IntegrationConfigForm
    from desktop_app.integration import Integration

    class SaverForm(IntegrationConfigForm):
        label = forms.CharField()
        count = forms.IntegerField(min_value=0)
        flag = forms.BooleanField(required=False)
        color = forms.ChoiceField(choices=[(c, c.title()) for c in COLORS])

    class Saver(Integration):
        integration_id = INTEGRATION_ID
        config_form_cls = SaverForm

        def initialize(self) -> None:
            pass

    return Saver, SaverForm


def _save_loop(db: str, ack_path: str, base: int, seed: int) -> None:
    from desktop_app.manager import IntegrationManager

    rng = random.Random(seed)
    saver_cls, form_cls = _saver_classes()
    manager = IntegrationManager(db, watch_interval=None)
    integration = manager.register_integration_class(saver_cls)
    ack = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    mine: list[int] = []
    for i in range(10**9):
        n = base + i
        data = {"name": expected_name(n), "enabled": n % 2 == 0}
        data.update(expected_settings(n))
        config = None
        if mine and rng.random() < 0.4:
            config = manager.get_config(rng.choice(mine))
        form = form_cls(integration, data, config=config)
        saved = form.save()
        if config is None:
            mine.append(saved.id)
        os.write(ack, f"{saved.id} {n} {checksum(saved.settings)}\n".encode())


def _warm(db: str) -> None:
    from desktop_app.manager import IntegrationManager

    saver_cls, form_cls = _saver_classes()
    manager = IntegrationManager(db, watch_interval=None)
    integration = manager.register_integration_class(saver_cls)
    data = {"name": "warm", "enabled": True, **expected_settings(0)}
    saved = form_cls(integration, data).save()
    form_cls(integration, data, config=manager.get_config(saved.id)).save()
    manager.shutdown()


def zygote_main() -> None:
    """Serve ``fork ACK BASE SEED`` and ``wait PID`` commands on stdin."""
    import tempfile
    import threading

    db = sys.argv[1]
    # Warm imports and SQLAlchemy's caches once, on a scratch file, so each
    # forked saver starts saving within milliseconds.
    with tempfile.TemporaryDirectory() as scratch:
        _warm(str(Path(scratch) / "warm.sqlite3"))
    assert threading.active_count() == 1, "fork needs a single-threaded zygote"
    for line in sys.stdin:
        command, *args = line.split()
        if command == "fork":
            pid = os.fork()
            if pid == 0:
                try:
                    _save_loop(db, args[0], int(args[1]), int(args[2]))
                finally:
                    os._exit(1)
            print(pid, flush=True)
        elif command == "wait":
            _, status = os.waitpid(int(args[0]), 0)
            print(status, flush=True)


# --- the runner side --------------------------------------------------------


@dataclass
class CrashStats:
    """Figures of a run."""

    rounds: int = 0
    acknowledged: int = 0
    configs: int = 0
    killed_mid_run: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


class CrashRunner:
    """Runs kill rounds against one database file, reused across rounds.

    Args:
        workdir (pathlib.Path): Holds the database and acknowledgement files.
        seed (int): Makes the kill delays reproducible.
    """

    def __init__(self, workdir: Path, seed: int = 0) -> None:
        self.workdir = Path(workdir)
        self.db = self.workdir / "configs.sqlite3"
        self.rng = random.Random(seed)
        self.acked: dict[int, int] = {}
        self.stats = CrashStats()
        self._zygote = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from stress.crash_harness import zygote_main; zygote_main()",
                str(self.db),
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ask(self, line: str) -> str:
        assert self._zygote.stdin and self._zygote.stdout
        self._zygote.stdin.write(line + "\n")
        self._zygote.stdin.flush()
        return self._zygote.stdout.readline().strip()

    def run_round(self) -> list[str]:
        """Fork a saver, kill it after 5–60 ms of saving, check the file.

        Returns:
            list[str]: Problems found (empty when nothing was lost).
        """
        t0 = time.perf_counter()
        number = self.stats.rounds
        ack_path = self.workdir / f"acks-{number}.txt"
        pid = int(self._ask(f"fork {ack_path} {number * 1_000_000} {number}"))
        deadline = time.monotonic() + 30
        while not (ack_path.exists() and ack_path.stat().st_size):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                self._ask(f"wait {pid}")
                return [f"round {number}: the saver never acknowledged a save"]
            time.sleep(0.001)
        time.sleep(self.rng.uniform(0.005, 0.060))
        os.kill(pid, signal.SIGKILL)
        status = int(self._ask(f"wait {pid}"))
        if os.WIFSIGNALED(status):
            self.stats.killed_mid_run += 1
        problems = self._collect(ack_path) + self.verify()
        ack_path.unlink()
        self.stats.rounds += 1
        self.stats.seconds += time.perf_counter() - t0
        self.stats.problems.extend(problems)
        return problems

    def _collect(self, ack_path: Path) -> list[str]:
        problems = []
        text = ack_path.read_text()
        lines = text.split("\n")[:-1]  # a torn last line was never acked
        for line in lines:
            id_, n, check = line.split()
            if check != checksum(expected_settings(int(n))):
                problems.append(f"save {n}: settings in memory were wrong")
            self.acked[int(id_)] = max(self.acked.get(int(id_), -1), int(n))
            self.stats.acknowledged += 1
        return problems

    def verify(self) -> list[str]:
        """Check the file against every save acknowledged so far."""
        problems = []
        raw = sqlite3.connect(self.db)
        try:
            integrity = raw.execute("PRAGMA integrity_check").fetchall()
            if integrity != [("ok",)]:
                problems.append(f"integrity_check: {integrity[:3]}")
            rows = raw.execute(
                "SELECT id, name, enabled, settings FROM configs"
            ).fetchall()
        finally:
            raw.close()
        stored = {}
        for id_, name, enabled, text in rows:
            settings = json.loads(text)
            n = settings.get("count")
            if settings != expected_settings(n) or name != expected_name(n):
                problems.append(f"config {id_}: stored settings do not match")
            if bool(enabled) != (n % 2 == 0):
                problems.append(f"config {id_}: enabled flag does not match")
            stored[id_] = n
        for id_, n in self.acked.items():
            if id_ not in stored:
                problems.append(f"config {id_}: acknowledged save {n} is missing")
            elif stored[id_] < n:
                problems.append(
                    f"config {id_}: acknowledged save {n} lost (found {stored[id_]})"
                )
        self.stats.configs = len(stored)
        return problems

    def close(self) -> None:
        """Stop the zygote."""
        if self._zygote.stdin:
            self._zygote.stdin.close()
        self._zygote.wait(timeout=10)
        if self._zygote.stdout:
            self._zygote.stdout.close()
