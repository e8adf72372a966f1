"""Tools → Fire signal…: send a registered signal with a typed payload.

The payload form is generated from the signal's payload fields with the same
editor registry as configuration dialogs, and cleaned by a Qt-free form
(:py:func:`desktop_app.signals.payload_form_class`), so the values sent are
the typed values a host application would send.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import signals
from desktop_app.forms import NON_FIELD_ERRORS, Fieldset, Form
from desktop_app.ui._fieldset_section import (
    FieldsetSection,
    error_color,
    new_form_layout,
)
from desktop_app.ui.editors import Editor

__all__ = ["FireSignalDialog"]


class FireSignalDialog(QDialog):
    """Picks a signal, fills its payload, and sends it.

    Args:
        parent (QWidget, optional): The parent window.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fireSignalDialog")
        self.setWindowTitle("Fire signal")
        self._infos = signals.get_signal_infos()
        self._section: FieldsetSection | None = None
        #: Holds the payload section's rows; replaced with each signal.
        self._section_host: QWidget | None = None
        self._form_cls: type[Form] | None = None

        layout = QVBoxLayout(self)
        self.combo = QComboBox(self)
        self.combo.setObjectName("signalCombo")
        self.combo.setAccessibleName("Signal")
        for info in self._infos:
            self.combo.addItem(info.name, info.name)
        picker = QFormLayout()
        picker.addRow("&Signal:", self.combo)
        layout.addLayout(picker)
        self.description = QLabel("", self)
        self.description.setObjectName("signalDescription")
        self.description.setWordWrap(True)
        layout.addWidget(self.description)
        self._payload_host = QVBoxLayout()
        layout.addLayout(self._payload_host)
        self.status = QLabel("", self)
        self.status.setObjectName("fireStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.send_button = QPushButton("&Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.send_button.clicked.connect(self.send)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.combo.currentIndexChanged.connect(self._on_signal_changed)
        self._on_signal_changed(self.combo.currentIndex())
        self.resize(480, self.sizeHint().height())

    def select_signal(self, name: str) -> None:
        """Choose a signal by name."""
        index = self.combo.findData(name)
        if index < 0:
            raise KeyError(name)
        self.combo.setCurrentIndex(index)

    def editor(self, name: str) -> Editor:
        """Return the editor of a payload field."""
        if self._section is None:
            raise KeyError(name)
        return self._section.editors[name]

    def field_errors(self) -> dict[str, list[str]]:
        """Return payload field → the messages shown under it."""
        return self._section.shown_errors() if self._section is not None else {}

    def _on_signal_changed(self, index: int) -> None:
        if self._section_host is not None:
            self._section_host.deleteLater()
            self._section_host = None
        self._section = None
        self.status.clear()
        if index < 0:
            self.description.setText("No signals are registered.")
            self.send_button.setEnabled(False)
            return
        info = self._infos[index]
        self.description.setText(info.description or "")
        self._form_cls = signals.payload_form_class(info)
        form = self._form_cls()
        if form.fields:
            fieldset = Fieldset("Payload", "", tuple(form.fields))
            host = QWidget(self)
            host.setObjectName("payloadSection")
            rows = new_form_layout(host)
            rows.setContentsMargins(0, 0, 0, 0)
            self._section = FieldsetSection(fieldset, form.fields, rows)
            for name, editor in self._section.editors.items():
                field = form.fields[name]
                editor.set_value(field.to_data(form.get_initial_for_field(name)))
            self._payload_host.addWidget(host)
            self._section_host = host
        self.send_button.setEnabled(True)

    def send(self) -> bool:
        """Validate the payload and send the signal.

        Returns:
            bool: Whether it was sent.
        """
        index = self.combo.currentIndex()
        form_cls = self._form_cls
        if index < 0 or form_cls is None:
            return False
        info = self._infos[index]
        data = (
            {name: e.value() for name, e in self._section.editors.items()}
            if self._section is not None
            else {}
        )
        form = form_cls(data)
        if self._section is not None:
            for name in self._section.editors:
                self._section.set_errors(name, form.errors.get(name, []))
        if not form.is_valid():
            self._set_status(" ".join(form.errors.get(NON_FIELD_ERRORS, [])), True)
            return False
        receivers = len(list(info.signal.receivers_for(None)))
        info.signal.send(None, **form.cleaned_data)
        noun = "receiver" if receivers == 1 else "receivers"
        self._set_status(f"Sent {info.name} to {receivers} {noun}.", False)
        return True

    def _set_status(self, text: str, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {error_color(self)};" if error else "")
