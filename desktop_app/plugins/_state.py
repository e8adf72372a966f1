"""The user's choice of which plugins are disabled, kept in a JSON file."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

__all__ = ["PluginState"]

logger = logging.getLogger(__name__)


class PluginState:
    """Disabled plugin keys, read from and written to ``plugins.json``.

    Only the disabled ones are stored, so a newly installed plugin is
    enabled by default. Writes go to a temp file that replaces the old one,
    so a crash mid-write never leaves half a file.

    Args:
        path (Path | None): The JSON file; ``None`` keeps choices in memory.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._disabled: set[str] = set()
        self.reload()

    def reload(self) -> None:
        """Read the file again (a broken file counts as empty, logged)."""
        self._disabled = set()
        if self.path is None or not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            disabled = data.get("disabled", [])
            self._disabled = {str(key) for key in disabled}
        except (OSError, ValueError, AttributeError, TypeError):
            logger.exception("Cannot read %s; all plugins count as enabled", self.path)

    def is_enabled(self, key: str) -> bool:
        return key not in self._disabled

    def set_enabled(self, key: str, enabled: bool) -> None:
        """Record the choice and write the file at once."""
        if enabled:
            self._disabled.discard(key)
        else:
            self._disabled.add(key)
        self._write()

    def _write(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"disabled": sorted(self._disabled)}, indent=2) + "\n"
        fd, tmp = tempfile.mkstemp(
            prefix=".plugins-", suffix=".json", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
