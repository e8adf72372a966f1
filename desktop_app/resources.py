"""Files shipped with the app (icons and other static resources)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["RESOURCES_DIR", "static"]

#: The ``resources/`` folder at the top of the project.
RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


def static(path: str) -> str:
    """Return the absolute path of a file under ``resources/``.

    The desktop counterpart of Django's ``static()``: integrations use it for
    ``icon_static_urls``. The path is returned whether or not the file
    exists, so a missing icon shows a placeholder instead of failing at
    import time.
    """
    return str(RESOURCES_DIR / path)
