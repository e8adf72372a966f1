"""The configuration dialog, generated entirely from an integration's form.

The dialog knows nothing about particular fields: it lays out one
:py:class:`~desktop_app.ui._fieldset_section.FieldsetSection` per fieldset,
fills the editors from the form's initial values, and on OK hands the
editors' values to a bound form, which validates and saves through the
manager. A new field type therefore needs one editor mapping, not a new
dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app._secrets import secrets_storage_note
from desktop_app.config import IntegrationConfig
from desktop_app.errors import ConfigConflictError, StoreError
from desktop_app.forms import NON_FIELD_ERRORS, IntegrationConfigForm
from desktop_app.ui._config_test import ConfigTester
from desktop_app.ui._error_summary import ErrorSummary
from desktop_app.ui._field_extras import connect_field_extras
from desktop_app.ui._fieldset_section import (
    FieldsetSection,
    error_color,
    new_form_layout,
)
from desktop_app.ui._form_problems import (
    HiddenFieldErrors,
    apply_disabled_fields,
    form_code_failure,
)
from desktop_app.ui._form_touches import FormTouches
from desktop_app.ui._live_form import LiveForm
from desktop_app.ui.editors import Editor, PasswordEditor

if TYPE_CHECKING:
    from desktop_app.integration import Integration

__all__ = ["ConfigDialog"]


class ConfigDialog(QDialog):
    """Adds or edits one configuration of an integration.

    Args:
        integration (Integration): The integration configured.
        config (IntegrationConfig, optional): The configuration to edit (a
            fresh copy from the manager); ``None`` to add one.
        parent (QWidget, optional): The parent window.

    Attributes:
        saved_config (IntegrationConfig | None): What OK saved, once it did.
    """

    def __init__(
        self,
        integration: Integration,
        config: IntegrationConfig | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("configDialog")
        self._integration = integration
        self._config = config
        self._form_cls: type[IntegrationConfigForm] = (
            integration.config_form_cls or IntegrationConfigForm
        )
        self.saved_config: IntegrationConfig | None = None
        #: Field name → the note on a stored value its editor cannot show.
        self._misfits: dict[str, str] = {}
        form = self._form_cls(integration, config=config)
        if config is None:
            self.setWindowTitle(f"Add {integration.display_name}")
        else:
            self.setWindowTitle(f"Edit {config.name}")

        layout = QVBoxLayout(self)
        self.error_summary = ErrorSummary(
            {name: field.label or name for name, field in form.fields.items()},
            self,
        )
        self.error_summary.field_chosen.connect(self.go_to_field)
        layout.addWidget(self.error_summary)
        self._form_errors = QLabel("", self)
        self._form_errors.setObjectName("formErrors")
        self._form_errors.setWordWrap(True)
        self._form_errors.setTextFormat(Qt.TextFormat.PlainText)
        self._form_errors.setStyleSheet(f"color: {error_color(self)};")
        self._form_errors.hide()
        layout.addWidget(self._form_errors)
        self.secrets_note = self._secrets_note(form)
        if self.secrets_note is not None:
            layout.addWidget(self.secrets_note)

        # The scroll area takes the (still empty) content first: filling a
        # widget and then handing it over reparents every editor again,
        # which was a quarter of the build.
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to fields
        content = QWidget()
        self._scroll.setWidget(content)
        rows = new_form_layout(content)
        self._sections: list[FieldsetSection] = []
        self._editors: dict[str, Editor] = {}
        self._section_of: dict[str, FieldsetSection] = {}
        for fieldset in form.current_fieldsets():
            section = FieldsetSection(fieldset, form.fields, rows)
            self._sections.append(section)
            for name, editor in section.editors.items():
                self._editors[name] = editor
                self._section_of[name] = section
        apply_disabled_fields(form, self._section_of)
        #: Builds the form's data from the editors' values (its prefix).
        self._add_prefix = form.add_prefix
        self._hidden_errors = HiddenFieldErrors(form, self._editors)
        layout.addWidget(self._scroll, 1)
        self._live = LiveForm(
            self._editors, self._section_of, self._form_cls, integration, config, self
        )
        self._live.add_prefix = form.add_prefix
        self._live.checked.connect(self._on_checked)
        self.touches = FormTouches(self, form, self._scroll, self._sections)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.button_box = buttons
        #: The Test button's row, when the integration can test settings.
        self.tester: ConfigTester | None = None
        if integration.can_test_config():
            self.tester = ConfigTester(self, integration)
            layout.addWidget(self.tester)
        layout.addWidget(buttons)

        self._fill(form)
        connect_field_extras(self._editors, self.values)
        # One size hint: each call lays out and polishes every editor again.
        hint = content.sizeHint()
        height = hint.height() + buttons.sizeHint().height() + 48
        if self.secrets_note is not None:
            height += self.secrets_note.heightForWidth(max(520, hint.width())) + 8
        self.resize(max(520, hint.width() + 40), min(height, 720))
        self._focused_once = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's naming
        """Open with the focus in Name, its text selected so typing replaces
        it."""
        super().showEvent(event)
        if not self._focused_once and "name" in self._editors:
            self._focused_once = True
            name = self._editors["name"].input
            name.setFocus(Qt.FocusReason.OtherFocusReason)
            select_all = getattr(name, "selectAll", None)
            if select_all is not None:
                select_all()

    def _make_form(self, values: dict[str, Any]) -> IntegrationConfigForm:
        data = {self._add_prefix(name): value for name, value in values.items()}
        return self._form_cls(self._integration, data, config=self._config)

    def go_to_field(self, name: str) -> None:
        """Put the focus in a field's editor, opening its section and
        scrolling to it (the error summary's links)."""
        editor = self._editors[name]
        self._section_of[name].set_expanded(True)
        editor.input.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll.ensureWidgetVisible(editor.widget)

    def _on_checked(self, errors: dict[str, list[str]]) -> None:
        self._show_errors(errors, focus=False)
        if self.error_summary.isVisible():
            self.error_summary.show_errors(errors)

    def _secrets_note(self, form: IntegrationConfigForm) -> QLabel | None:
        # Where a password goes is worth saying where one is typed, and only
        # once per run (secrets_storage_note() answers once), so the note
        # informs without nagging.
        if not any(field.is_secret for field in form.fields.values()):
            return None
        note = secrets_storage_note()
        if note is None:
            return None
        label = QLabel(note, self)
        label.setObjectName("secretsNote")
        label.setWordWrap(True)
        label.setAccessibleName(f"Note: {note}")
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    # Test and test-kit API ------------------------------------------------

    def editor(self, name: str) -> Editor:
        """Return the editor of a field.

        Raises:
            KeyError: The form has no such field.
        """
        return self._editors[name]

    def label(self, name: str) -> QLabel | None:
        """Return the label beside a field's editor (its buddy is the input);
        ``None`` for a check box, which carries its own.

        Raises:
            KeyError: The form has no such field.
        """
        return self._section_of[name].label(name)

    def field_errors(self) -> dict[str, list[str]]:
        """Return field name → the messages shown under it."""
        shown: dict[str, list[str]] = {}
        for section in self._sections:
            shown.update(section.shown_errors())
        return shown

    def form_errors(self) -> list[str]:
        """Return the form-wide messages shown at the top."""
        text = self._form_errors.text()
        return text.split("\n") if text else []

    def is_modified(self) -> bool:
        """Whether the user changed any value since the dialog opened."""
        return self.values() != self._initial_values

    # Accept / reject ------------------------------------------------------

    def accept(self) -> None:
        """Validate and save; stay open showing the problems if any."""
        self.touches.finish_values()
        values = self.values()
        try:
            form = self._make_form(values)
            valid = form.is_valid()
        except Exception as e:  # the integration's own code: load(), clean()
            message = form_code_failure(e, form_cls=self._form_cls, values=values)
            self._show_errors({NON_FIELD_ERRORS: [message]})
            return
        if not valid:
            self._live.judge_all()
            # Shown through the live checker, so fixes clear them at once.
            errors = self._live.check_now(form.errors)
            self.error_summary.show_errors(errors)
            self._show_errors(errors)
            return
        try:
            saved: IntegrationConfig | None = form.save()
        except ConfigConflictError as e:
            saved = self._resolve_conflict(form, e)
        except StoreError as e:
            self._show_errors({NON_FIELD_ERRORS: [str(e)]})
            return
        if saved is None:
            return
        self.saved_config = saved
        super().accept()

    def _resolve_conflict(
        self, form: IntegrationConfigForm, error: ConfigConflictError
    ) -> IntegrationConfig | None:
        """Ask whose version wins after someone else saved this configuration
        (another window, the command line): the stored one (Reload) or the
        one on screen (Overwrite). Cancel keeps the dialog as it is, so the
        user can copy their edits before deciding.

        Returns:
            IntegrationConfig | None: The configuration saved by Overwrite;
            ``None`` when the dialog stays open.
        """
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Configuration changed elsewhere",
            f'"{self._config.name if self._config else ""}" was saved from '
            f"another window or the command line while you were editing it.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("configConflictBox")
        box.setInformativeText(
            "Reload to discard your changes and edit the saved version, or "
            "overwrite the saved version with yours."
        )
        reload_button = box.addButton("&Reload", QMessageBox.ButtonRole.ResetRole)
        reload_button.setObjectName("reloadButton")
        overwrite_button = box.addButton(
            "&Overwrite", QMessageBox.ButtonRole.DestructiveRole
        )
        overwrite_button.setObjectName("overwriteButton")
        # Either choice throws someone's edits away; Enter must not.
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is overwrite_button:
            try:
                return form.save(force=True)
            except StoreError as e:  # deleted meanwhile, disk full…
                self._show_errors({NON_FIELD_ERRORS: [str(e)]})
                return None
        if clicked is reload_button:
            self._reload_stored(error.config_id)
            return None
        self._show_errors({NON_FIELD_ERRORS: [str(error)]})
        return None

    def _reload_stored(self, config_id: int) -> None:
        try:
            config = self._integration.integration_mgr.get_config(config_id)
        except StoreError as e:  # deleted elsewhere
            self._show_errors({NON_FIELD_ERRORS: [str(e)]})
            return
        self._config = config
        self._live.config = config
        self.setWindowTitle(f"Edit {config.name}")
        self._show_errors({})
        self._fill(self._form_cls(self._integration, config=config))

    def reject(self) -> None:
        """Close without saving, asking first when values were changed."""
        if self.is_modified() and not self._confirm_discard():
            return
        super().reject()

    def _confirm_discard(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Discard changes?",
            "You changed this configuration. Discard the changes?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("discardChangesBox")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Discard

    def _fill(self, form: IntegrationConfigForm) -> None:
        """Put the form's initial values into the editors; they become the
        values :py:meth:`is_modified` compares with.

        A stored value the editor cannot show (a plugin turned a text field
        into a number, or dropped a choice) leaves its field empty, with a
        message under it naming the value: the dialog still opens, and the
        stored value stays as it is until the user saves.
        """
        self._misfits = {}
        for name, editor in self._editors.items():
            field = form.fields[name]
            stored = form.initial.get(name)
            try:
                data = field.to_data(stored)
                fits = editor.fits(data)
                if fits:
                    editor.set_value(data)
            except (TypeError, ValueError, OverflowError):
                fits = False
            if not fits:
                editor.show_unfit()
                self._misfits[name] = _misfit_message(stored, field.is_secret)
            if isinstance(editor, PasswordEditor):
                editor.set_stored_secret(form.has_stored_secret(name))
        self._initial_values = self.values()
        self._live.apply_conditions()
        self.touches.refresh()
        self._show_errors({})

    def test_values(self) -> dict[str, Any] | None:
        """The settings to test: the values on screen, validated (problems
        are shown and ``None`` returned); nothing is saved."""
        form = self._form_cls(self._integration, self.values(), config=self._config)
        if not form.is_valid():
            self._show_errors(form.errors)
            return None
        self._show_errors({})
        stored = dict(self._config.settings) if self._config is not None else {}
        values = {**self._integration.default_settings, **stored}
        for name, value in form.cleaned_data.items():
            # An empty secret field keeps the stored secret, as saving does.
            if value in ("", None) and form.fields[name].is_secret and stored.get(name):
                continue
            values[name] = value
        return values

    def values(self) -> dict[str, Any]:
        """Return every field's current raw value, as OK would submit it."""
        return {name: editor.value() for name, editor in self._editors.items()}

    def _show_errors(self, errors: dict[str, list[str]], *, focus: bool = True) -> None:
        # What did not fit stays said until a save replaces it.
        errors = self._hidden_errors.moved_to_top(errors)
        for name, note in self._misfits.items():
            errors[name] = [*errors.get(name, []), note]
        form_wide = errors.get(NON_FIELD_ERRORS, [])
        self._form_errors.setText("\n".join(form_wide))
        self._form_errors.setAccessibleName(
            f"Error: {' '.join(form_wide)}" if form_wide else ""
        )
        self._form_errors.setVisible(bool(form_wide))
        first_bad: Editor | None = None
        for name, editor in self._editors.items():
            messages = errors.get(name, [])
            self._section_of[name].set_errors(name, messages)
            if messages and first_bad is None:
                first_bad = editor
        if first_bad is not None and focus:
            first_bad.input.setFocus()
            self._scroll.ensureWidgetVisible(first_bad.widget)


def _misfit_message(stored: Any, secret: bool) -> str:
    """Say which stored value did not fit its field (a secret is never
    shown, not even here)."""
    if secret:
        shown = "The stored value"
    else:
        text = repr(stored)
        shown = f"The stored value {text[:80]}{'…' if len(text) > 80 else ''}"
    return (
        f"{shown} does not fit this field any more, so it is shown empty. "
        f"It is kept until you save."
    )
