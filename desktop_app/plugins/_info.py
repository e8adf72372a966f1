"""What the app knows about one plugin: where it came from and how it went."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from desktop_app.plugins._location import failure_location

__all__ = [
    "SOURCE_DISTRIBUTION",
    "SOURCE_FOLDER",
    "STATUS_DISABLED",
    "STATUS_FAILED",
    "STATUS_LOADED",
    "STATUS_REFUSED",
    "PluginInfo",
]

SOURCE_FOLDER: Final = "folder"
SOURCE_DISTRIBUTION: Final = "distribution"

STATUS_LOADED: Final = "loaded"
STATUS_FAILED: Final = "failed"
STATUS_DISABLED: Final = "disabled"
#: Not imported because other users can change its code (see ``error``).
STATUS_REFUSED: Final = "refused"

Source = Literal["folder", "distribution"]
Status = Literal["loaded", "failed", "disabled", "refused"]


@dataclass
class PluginInfo:
    """The state of one plugin, as the plugins page and ``list`` show it.

    A failed plugin keeps its record (path, error, traceback) so the user
    can see what to fix; nothing it registered stays behind, except an
    integration whose ``initialize()`` failed, which the manager keeps (it
    is retried when its configurations change).

    Attributes:
        name (str): File stem, package folder name, or entry point name.
        source (str): ``'folder'`` or ``'distribution'``.
        path (Path | None): The plugin's file or package folder (for a
            distribution, the imported module's file when known).
        module_name (str): The name it is imported under.
        version (str | None): The module's ``__version__``, or the
            distribution's once :py:meth:`shown_version` has read it.
        distribution (str | None): The distribution's name.
        status (str): ``'loaded'``, ``'failed'``, ``'disabled'`` or
            ``'refused'`` (others can write to its code; never imported).
        error (str): One line saying why it failed or was refused (``''``
            if neither).
        traceback (str): The formatted traceback of that failure.
        integration_ids (list[str]): Integrations it registered.
        extension_ids (list[str]): Extensions it enabled.
        signal_names (list[str]): Signals it defined.
        missing_requirements (list[str]): What it needs installed and is
            not (``"PyYAML >= 6 (not installed)"``); it then failed without
            its code running (``desktop-app plugins install-deps NAME``).
    """

    name: str
    source: Source
    path: Path | None = None
    module_name: str = ""
    version: str | None = None
    distribution: str | None = None
    status: Status = STATUS_DISABLED
    error: str = ""
    traceback: str = ""
    integration_ids: list[str] = field(default_factory=list)
    extension_ids: list[str] = field(default_factory=list)
    signal_names: list[str] = field(default_factory=list)
    missing_requirements: list[str] = field(default_factory=list)

    def shown_version(self) -> str | None:
        """The version to show: the distribution's (read from its metadata
        on first use, not at every start), else the module's
        ``__version__``."""
        if self.version is None and self.distribution:
            import importlib.metadata

            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                self.version = importlib.metadata.version(self.distribution)
        return self.version

    @property
    def key(self) -> str:
        """``'<source>:<name>'``: unique even when a folder plugin and a
        distribution share a name. Enabled/disabled choices are stored by it.
        """
        return f"{self.source}:{self.name}"

    @property
    def loaded(self) -> bool:
        return self.status == STATUS_LOADED

    @property
    def failed(self) -> bool:
        return self.status == STATUS_FAILED

    @property
    def refused(self) -> bool:
        return self.status == STATUS_REFUSED

    @property
    def location(self) -> str:
        """``'<file>, line <n>'``: the plugin's own line where it failed
        (from its traceback), or ``''`` when that is not known."""
        found = failure_location(self.traceback, self.path)
        return f"{found[0]}, line {found[1]}" if found else ""

    def registered_summary(self) -> str:
        """One line listing what the plugin registered (for tables)."""
        parts = []
        if self.integration_ids:
            parts.append("integrations: " + ", ".join(self.integration_ids))
        if self.extension_ids:
            parts.append("extensions: " + ", ".join(self.extension_ids))
        if self.signal_names:
            parts.append("signals: " + ", ".join(self.signal_names))
        return "; ".join(parts)

    def reset(self) -> None:
        """Forget the last load's outcome, before loading again."""
        self.status = STATUS_DISABLED
        self.error = ""
        self.traceback = ""
        self.integration_ids = []
        self.extension_ids = []
        self.signal_names = []
        self.missing_requirements = []
