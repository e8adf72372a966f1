"""Undo for deleted configurations: Edit → Undo and the status bar's button.

Deleting asks first, and Undo brings a configuration back under its old id
with its settings and secrets (``IntegrationManager.restore_config``).
Deletions pile up: each Undo restores the newest one left, so deleting
three by mistake takes three Ctrl+Z, as in any editor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton

from desktop_app.config import IntegrationConfig
from desktop_app.errors import StoreError

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager
    from desktop_app.ui.main_window import MainWindow

__all__ = ["DeleteUndo"]

#: How long the status bar offers Undo after a deletion.
OFFER_MS = 15_000

#: Deletions kept for Undo; older ones drop off.
LIMIT = 50


class DeleteUndo:
    """Remembers deleted configurations and restores them, newest first.

    Args:
        window (MainWindow): Whose status bar shows the offer and whose
            ``config_panel`` selects a restored configuration.
        manager (IntegrationManager): Restores the configurations.
        action (QAction): Edit → Undo, kept enabled and named to match.
    """

    def __init__(
        self, window: MainWindow, manager: IntegrationManager, action: QAction
    ) -> None:
        self._window = window
        self._manager = manager
        self._action = action
        self._deleted: list[IntegrationConfig] = []
        # Made with the first deletion: the first QPushButton of a process
        # pays the class's set-up, which the first frame need not pay.
        self._button: QPushButton | None = None
        window.statusBar().messageChanged.connect(self._on_message_changed)
        self._update_action()

    def next(self) -> IntegrationConfig | None:
        """The configuration the next Undo restores, if any."""
        return self._deleted[-1] if self._deleted else None

    def deleted(self, config: IntegrationConfig) -> None:
        """Note a deletion and offer to undo it."""
        self._deleted.append(config)
        del self._deleted[:-LIMIT]
        self._window.statusBar().showMessage(f'Deleted "{config.name}".', OFFER_MS)
        self._offer_button().show()
        self._update_action()

    def undo(self) -> None:
        """Bring back the newest deleted configuration, under its old id."""
        if not self._deleted:
            return
        config = self._deleted.pop()
        if self._button is not None:
            self._button.hide()
        try:
            self._manager.restore_config(config)
        except StoreError as e:
            from PySide6.QtWidgets import QMessageBox

            # Keep it: once the disk has room again (or the lock is gone),
            # Undo must still bring it back.
            self._deleted.append(config)
            QMessageBox.warning(self._window, "Cannot undo", str(e))
        else:
            self._window.statusBar().showMessage(f'Restored "{config.name}".', 5000)
            panel = self._window.config_panel
            if (
                panel.integration is not None
                and panel.integration.integration_id == config.integration_id
            ):
                panel.select_config(config.id)
        self._update_action()

    def _offer_button(self) -> QPushButton:
        if self._button is None:
            self._button = QPushButton("Undo", self._window)
            self._button.setObjectName("undoButton")
            self._button.setToolTip(
                "Bring back the configuration deleted last (Ctrl+Z)"
            )
            self._button.setFlat(True)
            self._button.clicked.connect(self.undo)
            self._window.statusBar().addPermanentWidget(self._button)
        return self._button

    def _on_message_changed(self, message: str) -> None:
        if not message and self._button is not None:
            # The offer expired with its message; Edit → Undo still works.
            self._button.hide()

    def _update_action(self) -> None:
        config = self.next()
        self._action.setEnabled(config is not None)
        self._action.setText(
            f'&Undo delete "{config.name}"' if config is not None else "&Undo"
        )
