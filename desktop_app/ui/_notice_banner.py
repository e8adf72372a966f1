"""A banner across the top of the window for what the user must know.

Used for start-up notices (a damaged database that was moved aside, a data
folder other users can read). A banner rather than a message box: the
window is usable at once, the text stays until the user dismisses it, and
"Show folder" lets them act on it (the moved file is right there).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QWidget,
)

__all__ = ["NoticeBanner"]

# Fixed colours for both text and background, so the banner reads the same
# in light and dark palettes (amber, as warnings are on most platforms).
_STYLE = """
#noticeBanner { background: #fff4ce; border: 1px solid #e0c060; border-radius: 4px; }
#noticeBanner QLabel { color: #3b2f00; }
"""


class NoticeBanner(QFrame):
    """One dismissible warning with an optional "Show folder" button.

    Args:
        text (str): The paragraph shown.
        folder (Path, optional): Offered by a "Show folder" button.
        parent (QWidget, optional): The window.
    """

    #: Emitted once the user dismissed the banner.
    dismissed = Signal()

    def __init__(
        self, text: str, folder: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBanner")
        self.setStyleSheet(_STYLE)
        self._folder = folder
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 8, 8)
        self._layout = layout

        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style()
            .standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            .pixmap(size, size)
        )
        layout.addWidget(icon)

        self.label = QLabel(text, self)
        self.label.setObjectName("noticeText")
        self.label.setWordWrap(True)
        # Selectable: the user may want to copy the path of the moved file.
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(f"Warning: {text}")
        layout.addWidget(self.label, 1)

        if folder is not None:
            self.folder_button = QPushButton("Show folder", self)
            self.folder_button.setObjectName("showFolderButton")
            self.folder_button.setToolTip(f"Open {folder} in the file manager")
            self.folder_button.clicked.connect(self._on_show_folder)
            layout.addWidget(self.folder_button)
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.setObjectName("dismissNoticeButton")
        self.dismiss_button.setToolTip("Hide this message")
        self.dismiss_button.clicked.connect(self._on_dismiss)
        layout.addWidget(self.dismiss_button)

    def add_button(self, text: str, object_name: str) -> QPushButton:
        """Add an action button before "Dismiss"; the caller connects it."""
        button = QPushButton(text, self)
        button.setObjectName(object_name)
        button.setToolTip(text.replace("&", ""))  # callers may say more
        index = self._layout.indexOf(self.dismiss_button)
        self._layout.insertWidget(index, button)
        return button

    def text(self) -> str:
        """The paragraph shown."""
        return self.label.text()

    def set_text(self, text: str) -> None:
        """Change the paragraph (a banner kept current, such as the plugin
        problems one)."""
        self.label.setText(text)
        self.label.setAccessibleName(f"Warning: {text}")

    @property
    def folder(self) -> Path | None:
        """The folder "Show folder" opens, if the banner has the button."""
        return self._folder

    def _on_show_folder(self) -> None:
        if self._folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder)))

    def _on_dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
        self.deleteLater()
