"""Help → About: the versions people need in a bug report."""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

import desktop_app

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager

__all__ = ["about_text", "show_about"]


def about_text(manager: IntegrationManager) -> str:
    """Return the About text: app, Qt, PySide6, Python versions, database."""
    return (
        f"<h3>desktop-app {desktop_app.__version__}</h3>"
        "<p>Manage integrations: plugins that connect this app to outside "
        "services and react to its events.</p>"
        f"<p>Qt {qVersion()}<br>PySide6 {PySide6.__version__}<br>"
        f"Python {platform.python_version()}</p>"
        f"<p>Database: {manager.store.path}</p>"
    )


def show_about(parent: QWidget | None, manager: IntegrationManager) -> None:
    """Show the About box."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About desktop-app")
    box.setText(about_text(manager))
    box.setIcon(QMessageBox.Icon.Information)
    box.exec()
