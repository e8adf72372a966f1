"""The desktop window: the only part of desktop-app that imports Qt.

Import the modules you need (``desktop_app.ui.main_window``,
``desktop_app.ui.config_dialog`` …); this package imports nothing itself, so
importing one dialog does not build the whole window. The one thing it does
on import is :py:func:`~desktop_app.ui._none_refcount.protect_none`: with
PySide6 6.12 on Python 3.11, calls into Qt leak references to ``None`` until
CPython aborts, and every Qt user of ours must be covered before its first
call.
"""

from __future__ import annotations

from desktop_app.ui._none_refcount import protect_none

protect_none()

__all__: list[str] = []
