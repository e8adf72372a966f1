"""The configuration dialog's Test button.

Shown only when the integration overrides ``Integration.test_config``. It
runs that on the values on screen (validated, not saved) on the manager's
worker, with a busy bar, the integration's time limit and a Cancel; the
result shows inline under the form.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from desktop_app._containment import describe_error
from desktop_app._worker import BackgroundTimeoutError
from desktop_app.ui._futures import when_done

if TYPE_CHECKING:
    from desktop_app.integration import Integration
    from desktop_app.ui.config_dialog import ConfigDialog

__all__ = ["ConfigTester"]


class ConfigTester(QWidget):
    """The Test button (in the dialog's button box) and its result row.

    Args:
        dialog (ConfigDialog): The dialog; its ``test_values()`` gives the
            settings to test.
        integration (Integration): Whose ``test_config`` runs.
    """

    def __init__(self, dialog: ConfigDialog, integration: Integration) -> None:
        super().__init__(dialog)
        self.setObjectName("configTestRow")
        self._dialog = dialog
        self._integration = integration
        self._generation = 0
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("configTestBusy")
        self.busy.setRange(0, 0)  # a busy indicator
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Testing")
        self.busy.hide()
        layout.addWidget(self.busy)
        self.result_label = QLabel("", self)
        self.result_label.setObjectName("configTestResult")
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label, 1)
        self.cancel_button = QPushButton("Cancel test", self)
        self.cancel_button.setObjectName("configTestCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        layout.addWidget(self.cancel_button)
        self.test_button = dialog.button_box.addButton(
            "&Test", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.test_button.setObjectName("configTestButton")
        self.test_button.setToolTip(
            "Check the connection with the values on screen, without saving them"
        )
        self.test_button.clicked.connect(self.start)
        self.hide()

    @property
    def running(self) -> bool:
        """Whether a test is under way."""
        return self.busy.isVisible()

    def start(self) -> None:
        """Validate the values on screen and test them on the worker."""
        settings = self._dialog.test_values()
        if settings is None:
            self._show("Fix the problems shown before testing.", ok=False)
            return
        manager = self._integration.integration_mgr
        try:
            future = manager.test_config(self._integration.integration_id, settings)
        except RuntimeError as e:  # the worker is shut down (quitting)
            self._show(describe_error(e), ok=False)
            return
        self._generation += 1
        generation = self._generation
        self.show()
        self.busy.show()
        self.cancel_button.show()
        self.test_button.setEnabled(False)
        self.result_label.setText("Testing…")
        when_done(future, self, lambda f: self._finished(generation, f))

    def cancel(self) -> None:
        """Stop waiting for the running test (its result is ignored)."""
        self._generation += 1
        self._idle()
        self._show("Test cancelled.", ok=None)

    def _finished(self, generation: int, future: Future[Any]) -> None:
        if generation != self._generation:
            return  # cancelled, or superseded by a newer test
        self._idle()
        error = future.exception()
        if error is None:
            self._show(f"✔ {future.result() or 'Test passed'}", ok=True)
        elif isinstance(error, BackgroundTimeoutError):
            self._show(f"✘ No answer within {error.timeout:g} s", ok=False)
        else:
            self._show(f"✘ {_plain(error)}", ok=False)

    def _idle(self) -> None:
        self.busy.hide()
        self.cancel_button.hide()
        self.test_button.setEnabled(True)

    def _show(self, text: str, *, ok: bool | None) -> None:
        from desktop_app.activity import scrub_secrets

        self.show()
        self.result_label.setText(scrub_secrets(text))
        self.result_label.setAccessibleName(f"Test result: {scrub_secrets(text)}")
        color = {True: "#2e7d32", False: "#d03b3b", None: ""}[ok]
        self.result_label.setStyleSheet(f"color: {color};" if color else "")


def _plain(error: BaseException) -> str:
    """An exception's own text (the failure message ``test_config`` gave),
    or its description when it has none."""
    text = " ".join(str(error).split())
    return text or describe_error(error)
