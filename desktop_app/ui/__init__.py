"""The desktop window: the only part of desktop-app that imports Qt.

Import the modules you need (``desktop_app.ui.main_window``,
``desktop_app.ui.config_dialog`` …); this package imports nothing itself, so
importing one dialog does not build the whole window.
"""

from __future__ import annotations

__all__: list[str] = []
