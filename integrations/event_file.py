"""Event file: append one JSON line per picked event to a file, rotating
it at a size the user sets (``events.log`` → ``events.log.1`` …)."""

from __future__ import annotations

import json
import os
import threading
from functools import cached_property
from typing import Any, ClassVar

from desktop_app import forms
from desktop_app._private_files import open_private_append
from desktop_app.config import IntegrationConfig
from desktop_app.forms import IntegrationConfigForm
from desktop_app.resources import static
from integrations._common import (
    SignalPickingIntegration,
    event_body,
    event_conditions_field,
    signal_choices,
)

__all__ = ["EventFileConfigForm", "EventFileIntegration", "append_line"]

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(path: str) -> threading.Lock:
    # One lock per file: two configs writing the same file from worker
    # threads must not interleave lines or rotate under each other.
    key = os.path.normcase(os.path.abspath(path))
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def append_line(path: str, line: str, max_bytes: int, keep: int) -> str:
    """Append a line, first rotating the file if the line would make it
    exceed ``max_bytes``.

    Returns:
        str: What was done, for the activity log.
    """
    data = (line.rstrip("\n") + "\n").encode("utf-8")
    with _lock_for(path):
        rotated = False
        try:
            size = os.path.getsize(path)
        except FileNotFoundError:
            size = 0
        if size and size + len(data) > max_bytes:
            _rotate(path, keep)
            rotated = True
        # A new file is 0600: events carry the user's data.
        with open_private_append(path) as f:
            f.write(data)
    return f"appended to {path}" + (" (rotated)" if rotated else "")


def _rotate(path: str, keep: int) -> None:
    if keep < 1:
        os.remove(path)
        return
    oldest = f"{path}.{keep}"
    if os.path.exists(oldest):
        os.remove(oldest)
    for n in range(keep - 1, 0, -1):
        if os.path.exists(f"{path}.{n}"):
            os.replace(f"{path}.{n}", f"{path}.{n + 1}")
    os.replace(path, f"{path}.1")


class EventFileConfigForm(IntegrationConfigForm):
    """The file, its rotation, and the events."""

    #: Its checks are local and quick: run them as the user types.
    live_clean = True

    path = forms.PathField(
        label="File",
        mode="save",
        help_text="Each event is appended as one line of JSON.",
    )
    signals = forms.MultipleChoiceField(
        label="Events", choices=signal_choices, help_text="The events to write."
    )
    conditions = event_conditions_field()
    max_kb = forms.IntegerField(
        label="Rotate at (KB)",
        min_value=1,
        max_value=1024 * 1024,
        help_text="When the file would grow past this size it is renamed to "
        "FILE.1 (older ones to .2, .3 …) and a new file is started.",
    )
    keep = forms.IntegerField(label="Rotated files to keep", min_value=0, max_value=100)

    class Meta:
        fieldsets = (
            (
                "File",
                {
                    "description": "Pick a file to append events to; it is "
                    "created when the first event arrives.",
                    "fields": ("path", "signals", "conditions"),
                },
            ),
            (
                "Rotation",
                {
                    "description": "Keeps the file from growing without end.",
                    "fields": ("max_kb", "keep"),
                    "classes": ("collapse",),
                },
            ),
        )


class EventFileIntegration(SignalPickingIntegration):
    """Writes events to a local JSON-lines file."""

    integration_id = "desktop_app.integrations.event_file"
    name = "Event file"
    description = "Append each event as a JSON line to a file, with rotation."
    config_form_cls = EventFileConfigForm
    default_settings: ClassVar[dict[str, Any]] = {
        "path": "",
        "signals": [],
        "conditions": {"mode": "always", "conditions": []},
        "max_kb": 1024,
        "keep": 5,
    }

    @cached_property
    def icon_static_urls(self) -> dict[str, str]:
        return {
            "1x": static("icons/event_file.png"),
            "2x": static("icons/event_file@2x.png"),
        }

    def deliver(
        self, config: IntegrationConfig, signal: str, payload: dict[str, Any]
    ) -> None:
        line = json.dumps(event_body(signal, payload), ensure_ascii=False)
        self.run_in_background(
            config,
            append_line,
            os.path.expanduser(config.get("path")),
            line,
            int(config.get("max_kb")) * 1024,
            int(config.get("keep")),
            signal=signal,
        )
