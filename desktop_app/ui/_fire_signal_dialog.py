"""Tools → Fire signal…: send a registered signal with a typed payload.

The payload form is generated from the signal's payload fields with the same
editor registry as configuration dialogs, and cleaned by a Qt-free form
(:py:func:`desktop_app.signals.payload_form_class`), so the values sent are
the typed values a host application would send.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import signals
from desktop_app.forms import NON_FIELD_ERRORS, Fieldset, Form
from desktop_app.ui._choice_list import no_matches_text
from desktop_app.ui._fieldset_section import (
    FieldsetSection,
    error_color,
    new_form_layout,
)
from desktop_app.ui.editors import Editor

__all__ = ["FireSignalDialog"]


class FireSignalDialog(QDialog):
    """Picks a signal, fills its payload, and sends it.

    Signals are listed by group, each with its label and its description on
    a second line; the search box narrows the list. The app's internal
    life-cycle signals are hidden unless "Show internal events" is ticked,
    so nobody fakes "App quitting" to a real service by accident.

    Args:
        parent (QWidget, optional): The parent window.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fireSignalDialog")
        self.setWindowTitle("Fire signal")
        self._infos = sorted(signals.get_signal_infos(), key=signals.display_order)
        self._current: signals.SignalInfo | None = None
        self._section: FieldsetSection | None = None
        #: Holds the payload section's rows; replaced with each signal.
        self._section_host: QWidget | None = None
        self._form_cls: type[Form] | None = None

        layout = QVBoxLayout(self)
        label = QLabel("&Event to send:", self)
        layout.addWidget(label)
        self.search = QLineEdit(self)
        self.search.setObjectName("signalSearch")
        self.search.setPlaceholderText("Search events")
        self.search.setAccessibleName("Search events")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.signal_list = QListWidget(self)
        self.signal_list.setObjectName("signalList")
        self.signal_list.setAccessibleName("Event to send")
        self.signal_list.setWordWrap(True)
        self.signal_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.signal_list.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.signal_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.signal_list.setMinimumHeight(
            8 * self.signal_list.fontMetrics().lineSpacing()
        )
        label.setBuddy(self.search)
        layout.addWidget(self.signal_list, 2)
        self.no_matches = QLabel("", self)
        self.no_matches.setObjectName("signalNoMatches")
        self.no_matches.hide()
        layout.addWidget(self.no_matches)
        self.show_internal = QCheckBox("Show &internal events", self)
        self.show_internal.setObjectName("showInternalSignals")
        self.show_internal.setToolTip(
            "Also list the events the app sends about itself (starting, "
            "quitting, configurations changing). Sending one by hand makes "
            "your integrations believe it happened."
        )
        layout.addWidget(self.show_internal)
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

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.send_button = QPushButton("&Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip("Send the chosen event with this payload")
        self.send_button.setDefault(True)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.send_button.clicked.connect(self.send)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.search.textChanged.connect(self._fill)
        self.show_internal.toggled.connect(self._fill)
        self.signal_list.currentItemChanged.connect(self._on_current_changed)
        self._fill()
        self.resize(520, max(480, self.sizeHint().height()))

    def shown_signals(self) -> list[str]:
        """The names of the signals listed now (search and toggle applied)."""
        return [item.data(Qt.ItemDataRole.UserRole) for item in self._signal_items()]

    def select_signal(self, name: str) -> None:
        """Choose a signal by name (listing internal ones if it is one)."""
        info = next((i for i in self._infos if i.name == name), None)
        if info is None:
            raise KeyError(name)
        if getattr(info, "internal", False) and not self.show_internal.isChecked():
            self.show_internal.setChecked(True)
        if name not in self.shown_signals():
            self.search.clear()
        for item in self._signal_items():
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.signal_list.setCurrentItem(item)
                return
        raise KeyError(name)

    def _signal_items(self) -> list[QListWidgetItem]:
        items = (self.signal_list.item(i) for i in range(self.signal_list.count()))
        return [
            item for item in items if item.data(Qt.ItemDataRole.UserRole) is not None
        ]

    def _fill(self) -> None:
        """List the signals that pass the search and the internal toggle,
        under a heading per group, keeping the chosen one when it stays."""
        keep = self._current.name if self._current is not None else None
        needle = self.search.text().strip().casefold()
        internal = self.show_internal.isChecked()
        self.signal_list.blockSignals(True)
        self.signal_list.clear()
        group = None
        choose: QListWidgetItem | None = None
        for info in self._infos:
            label = getattr(info, "label", "") or info.name
            if getattr(info, "internal", False) and not internal:
                continue
            text = f"{label}\n{info.description}" if info.description else label
            if needle and needle not in f"{text}\n{info.name}".casefold():
                continue
            info_group = getattr(info, "group", "")
            if info_group != group:
                group = info_group
                heading = QListWidgetItem(group or "Other", self.signal_list)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
            item = QListWidgetItem(text, self.signal_list)
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            item.setToolTip(info.name)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text.replace("\n", ". "))
            if choose is None or info.name == keep:
                choose = item
        self.signal_list.blockSignals(False)
        self.no_matches.setText(no_matches_text(self.search.text().strip()))
        self.no_matches.setVisible(choose is None and bool(needle))
        if choose is None:
            self._on_current_changed(None, None)
        else:
            self.signal_list.setCurrentItem(choose)

    def _on_current_changed(
        self, item: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        info = next((i for i in self._infos if i.name == name), None)
        if info is self._current and info is not None:
            return
        self._show_signal(info)

    def editor(self, name: str) -> Editor:
        """Return the editor of a payload field."""
        if self._section is None:
            raise KeyError(name)
        return self._section.editors[name]

    def field_errors(self) -> dict[str, list[str]]:
        """Return payload field → the messages shown under it."""
        return self._section.shown_errors() if self._section is not None else {}

    def _show_signal(self, info: signals.SignalInfo | None) -> None:
        if self._section_host is not None:
            self._section_host.deleteLater()
            self._section_host = None
        self._section = None
        self.status.clear()
        self._current = info
        if info is None:
            self.description.setText(
                "No signals are registered." if not self._infos else ""
            )
            self.send_button.setEnabled(False)
            return
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
        info = self._current
        form_cls = self._form_cls
        if info is None or form_cls is None:
            return False
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
