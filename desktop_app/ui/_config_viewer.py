"""A configuration shown read-only, when its integration is not loaded.

Without the integration there is no form to edit it with, but the settings
are the user's data: they can read and copy them (to set the plugin up
again, say). Secrets stay hidden (see
:py:func:`desktop_app._unavailable.shown_settings`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app._unavailable import shown_settings
from desktop_app.store import ConfigRecord

__all__ = ["ConfigViewer"]


class ConfigViewer(QDialog):
    """Shows one stored configuration's name, state and settings, read-only.

    Args:
        record (ConfigRecord): The configuration as stored.
        reason (str): Why it cannot be edited, in plain words.
        parent (QWidget, optional): The parent widget.
    """

    def __init__(
        self, record: ConfigRecord, reason: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("configViewer")
        self.setWindowTitle(f"{record.name} (read-only)")
        layout = QVBoxLayout(self)
        note = QLabel(
            f"{reason} These settings are kept as they were saved and can be "
            "read and copied, not changed.",
            self,
        )
        note.setObjectName("configViewerNote")
        note.setWordWrap(True)
        layout.addWidget(note)

        body = QWidget(self)
        rows = QFormLayout(body)
        rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, QLineEdit] = {}
        shown = [
            ("Name", record.name),
            ("Enabled", "Yes" if record.enabled else "No"),
            *shown_settings(record),
        ]
        for key, text in shown:
            edit = QLineEdit(text, body)
            edit.setReadOnly(True)
            edit.setObjectName(f"setting_{key}")
            edit.setAccessibleName(key)
            edit.setToolTip(text)
            edit.setCursorPosition(0)
            rows.addRow(f"{key}:", edit)
            self.fields[key] = edit
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 360)

    def values(self) -> dict[str, str]:
        """What each row shows (for tests and screen readers)."""
        return {key: edit.text() for key, edit in self.fields.items()}
