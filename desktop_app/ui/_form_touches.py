"""Small kindnesses of the configuration dialog, kept out of its main flow.

* A field whose value differs from the integration's default says so under
  it, with a "Reset to default" link (as VS Code's settings editor does).
* A field with a default is not marked required: leaving it alone is fine.
* A name another configuration of the integration already has gets a
  warning (not an error: two may share a name, but they are easy to mix up).
* A web address typed without ``https://`` and a relative path are shown
  the way they will be saved once the user leaves the field.
* The label column keeps its width when a section opens, and opening a
  collapsed section grows the dialog (up to the screen) and scrolls to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLineEdit, QScrollArea

from desktop_app import forms
from desktop_app.errors import StoreError
from desktop_app.ui._fieldset_section import FieldsetSection
from desktop_app.ui.editors import Editor

if TYPE_CHECKING:
    from desktop_app.ui.config_dialog import ConfigDialog

__all__ = ["FormTouches", "default_of"]

#: Fields stored as columns, whose "default" is not a setting.
_COLUMNS = ("name", "enabled")

_MISSING = object()


def default_of(form: forms.IntegrationConfigForm, name: str) -> Any:
    """Return a field's default (the integration's ``default_settings``,
    else the field's ``initial``), or ``_MISSING`` when it has none."""
    field = form.fields[name]
    if name in _COLUMNS or field.is_secret:
        return _MISSING
    defaults = getattr(form.integration, "default_settings", None) or {}
    if name in defaults:
        return defaults[name]
    initial = field.get_initial()
    return _MISSING if initial is None else initial


class FormTouches(QObject):
    """Attaches the touches above to a dialog's editors.

    Args:
        dialog (ConfigDialog): The dialog (its editors and sections).
        form (IntegrationConfigForm): An unbound form of the dialog's class.
        scroll (QScrollArea): The dialog's scroll area.
        sections (sequence): The dialog's sections.
    """

    def __init__(
        self,
        dialog: ConfigDialog,
        form: forms.IntegrationConfigForm,
        scroll: QScrollArea,
        sections: Sequence[FieldsetSection],
    ) -> None:
        super().__init__(dialog)  # no reference back: it would keep the
        # dialog alive after closing
        self._form = form
        self._scroll = scroll
        self._editors: dict[str, Editor] = {
            name: dialog.editor(name) for name in form.fields
        }
        self._section_of = {
            name: section for section in sections for name in section.editors
        }
        self._defaults = {
            name: default
            for name in form.fields
            if (default := default_of(form, name)) is not _MISSING
        }
        # Bound methods and sender(), not lambdas: a lambda held by a
        # connection would keep the dialog alive after it is closed.
        for editor in self._editors.values():
            editor.changed.connect(self._on_editor_changed)
            if isinstance(editor.input, QLineEdit):
                editor.input.editingFinished.connect(self._on_editing_finished)
        self._unmark_required()
        self._steady_label_column(sections)
        self._toggles = {
            section.toggle_button: section
            for section in sections
            if section.toggle_button is not None
        }
        self._opened: FieldsetSection | None = None
        # A timer of our own, stopped with the dialog if it closes first.
        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.setInterval(0)
        self._open_timer.timeout.connect(self._show_opened_section)
        for button in self._toggles:
            button.toggled.connect(self._on_section_toggled)

    # Defaults --------------------------------------------------------------

    def is_default(self, name: str) -> bool:
        """Whether a field with a default shows it (``True`` without one)."""
        if name not in self._defaults:
            return True
        field = self._form.fields[name]
        return _clean(field, self._editors[name].value()) == _clean(
            field, field.to_data(self._defaults[name])
        )

    def reset(self, name: str) -> None:
        """Put a field back to its default."""
        field = self._form.fields[name]
        editor = self._editors[name]
        editor.set_value(field.to_data(self._defaults[name]))
        editor.changed.emit()
        editor.input.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        """Update every marker (after the dialog filled its editors)."""
        for name in self._editors:
            self._on_changed(name)

    def _on_editor_changed(self) -> None:
        editor = self.sender()
        if isinstance(editor, Editor) and editor.field.name:
            self._on_changed(editor.field.name)

    def _on_editing_finished(self) -> None:
        for name, editor in self._editors.items():
            if editor.input is self.sender():
                self._tidy(name)

    def _on_changed(self, name: str) -> None:
        if name in self._defaults:
            self._mark_default(name)
        if name == "name":
            self._warn_duplicate_name()

    def _mark_default(self, name: str) -> None:
        section = self._section_of[name]
        changed = not self.is_default(name)
        if not changed and section.find_note(name, "default") is None:
            return
        label = section.note_label(name, "default")
        if label.text() == "":
            label.setTextFormat(Qt.TextFormat.RichText)
            accent = label.palette().color(QPalette.ColorRole.Highlight).name()
            label.setText(
                f"<span style='color:{accent}'>●</span> Changed from the default. "
                f"<a href='{name}'>Reset to default</a>"
            )
            label.setToolTip(f"Default: {_shown(self._defaults[name])}")
            label.setAccessibleName(f"{self._form.fields[name].label}: changed")
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.LinksAccessibleByMouse
                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
            label.linkActivated.connect(self.reset)
        label.setVisible(changed)

    def _unmark_required(self) -> None:
        for name in self._defaults:
            label = self._section_of[name].label(name)
            if label is not None:
                label.setText(self._form.fields[name].label or name)

    # Name ------------------------------------------------------------------

    def duplicate_name_warning(self) -> str:
        """Return the warning shown under Name ("" when the name is free)."""
        text = str(self._editors["name"].value() or "").strip()
        if not text or not self._name_taken(text):
            return ""
        return (
            f"Another configuration of {self._form.integration.display_name} "
            f'is already named "{text[:80]}". '
            f"You can keep it, but the two are easy to mix up."
        )

    def _name_taken(self, text: str) -> bool:
        # An index lookup in the store, not a read of every configuration:
        # an integration may have a hundred thousand.
        form = self._form
        manager = getattr(form.integration, "integration_mgr", None)
        if manager is None:
            return False
        try:
            return bool(
                manager.is_config_name_taken(
                    form.integration, text, getattr(form.config, "id", None)
                )
            )
        except StoreError:
            return False  # the dialog still works; only the warning is lost

    def _warn_duplicate_name(self) -> None:
        if "name" not in self._section_of:
            return
        section = self._section_of["name"]
        warning = self.duplicate_name_warning()
        if not warning and section.find_note("name", "warning") is None:
            return
        label = section.note_label("name", "warning")
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setText(f"⚠ {warning}" if warning else "")
        label.setAccessibleName(f"Warning: {warning}" if warning else "")
        label.setVisible(bool(warning))

    # Values shown as they will be saved -----------------------------------

    def _tidy(self, name: str) -> None:
        editor = self._editors[name]
        field = self._form.fields[name]
        if not isinstance(field, (forms.URLField, forms.PathField)):
            return
        text = editor.value()
        try:
            tidy = field.to_python(text)
        except forms.ValidationError:
            return
        if tidy != text and isinstance(tidy, str):
            editor.set_value(tidy)
            editor.changed.emit()

    def finish_values(self) -> None:
        """Tidy the field being edited (OK may be pressed without leaving
        it)."""
        for name in self._editors:
            self._tidy(name)

    # Layout ----------------------------------------------------------------

    def _steady_label_column(self, sections: Sequence[FieldsetSection]) -> None:
        # QFormLayout sizes the label column from the rows shown: opening a
        # section with a longer label pushed every editor to the right. With
        # every section open from the start there is nothing to open.
        if all(section.is_expanded() for section in sections):
            return
        labels = [
            label
            for section in sections
            for name in section.editors
            if (label := section.label(name)) is not None
        ]
        if labels:
            width = max(label.sizeHint().width() for label in labels)
            for label in labels:
                label.setMinimumWidth(width)

    def _on_section_toggled(self, shown: bool) -> None:
        section = self._toggles.get(self.sender())  # type: ignore[call-overload]
        if not shown or section is None:
            return
        # After the layout took the new rows in (a bound method, not a
        # lambda holding the dialog).
        self._opened = section
        self._open_timer.start()

    def _show_opened_section(self) -> None:
        section = self._opened
        if section is None:
            return
        self._opened = None
        dialog = self._scroll.window()
        content = self._scroll.widget()
        if content is None:
            return
        missing = content.sizeHint().height() - self._scroll.viewport().height()
        screen = dialog.screen()
        if missing > 0 and screen is not None:
            room = screen.availableGeometry().height() - dialog.frameGeometry().height()
            grow = min(missing, max(room, 0))
            if grow > 0:
                dialog.resize(dialog.width(), dialog.height() + grow)
        editors = list(section.editors.values())
        if editors:
            self._scroll.ensureWidgetVisible(editors[-1].widget)
        if section.toggle_button is not None:
            self._scroll.ensureWidgetVisible(section.toggle_button)


def _clean(field: forms.Field, value: Any) -> Any:
    try:
        return field.to_python(value)
    except forms.ValidationError:
        return value


def _shown(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value))
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"
