"""Where a plugin failed: the innermost line of its own code in a traceback.

The one-line error says what went wrong; the file and line say where to
look, without reading the whole traceback. Only the plugin's own files
count: a failure inside a library it called is placed at the plugin's
line that called it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["failure_location"]

#: A frame line of a formatted traceback (``format_exception``), the
#: location line of a ``SyntaxError`` included.
_FRAME = re.compile(r'^ *File "(?P<file>[^"\n]+)", line (?P<line>\d+)', re.MULTILINE)


def failure_location(
    traceback_text: str, plugin_path: Path | None
) -> tuple[str, int] | None:
    """Return ``(file, line)`` of the innermost frame in the plugin's code.

    Args:
        traceback_text (str): The formatted traceback of the failure.
        plugin_path (Path | None): The plugin's file or package folder (for
            a distribution, its module's file; its package's folder counts).

    Returns:
        tuple | None: None when no frame is the plugin's (the failure was
        found before its code ran: a name clash, a missing package).
    """
    if not traceback_text or plugin_path is None:
        return None
    own = plugin_path.parent if plugin_path.name == "__init__.py" else plugin_path
    file_prefix = str(own)
    folder_prefix = file_prefix + os.sep
    found = None
    for match in _FRAME.finditer(traceback_text):
        file = match.group("file")
        if file == file_prefix or file.startswith(folder_prefix):
            found = (file, int(match.group("line")))
    return found
