"""The desktop window: the only part of desktop-app that imports Qt.

A host application imports the public modules it needs:
``desktop_app.ui.app`` (``run_app``), ``desktop_app.ui.main_window``
(``MainWindow``), ``desktop_app.ui.config_dialog`` (``ConfigDialog``),
``desktop_app.ui.config_panel`` (``ConfigPanel``), ``desktop_app.ui.editors``
(the field type → editor registry) and ``desktop_app.ui.testing``. Modules
named ``_name`` are the window's own parts. This package imports nothing
itself, so importing one dialog does not build the whole window.
"""

from __future__ import annotations

__all__: list[str] = []
