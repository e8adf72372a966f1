"""Help → Getting started: the user guide shipped inside the package.

The guide is Markdown in ``desktop_app/help/`` (package data, so it is
there in an installed app, not only in a source checkout), rendered by
Qt's own Markdown support: no browser, no network.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

__all__ = ["GettingStartedWindow", "getting_started_text"]


def getting_started_text() -> str:
    """The Markdown of the Getting started guide."""
    return (
        resources.files("desktop_app")
        .joinpath("help", "getting-started.md")
        .read_text(encoding="utf-8")
    )


class GettingStartedWindow(QDialog):
    """A non-modal window showing the Getting started guide."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gettingStarted")
        self.setWindowTitle("Getting started")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("gettingStartedText")
        self.browser.setAccessibleName("Getting started")
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(getting_started_text())
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(640, 620)
