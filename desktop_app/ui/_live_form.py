"""A generated dialog that follows the user's typing.

As the user edits, fields declared with ``visible_when`` / ``enabled_when``
appear, disappear and grey out at once; a field's own errors show when it
loses focus; the form's checks across fields run after a short pause; and an
error goes away as soon as the value is fixed. Fields the user has not
visited are never scolded before OK is pressed. The form's ``clean()``
runs on the manager's worker unless the form says it is quick.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit

from desktop_app._worker import BackgroundTimeoutError
from desktop_app.forms import NON_FIELD_ERRORS, IntegrationConfigForm, ValidationError
from desktop_app.forms._conditions_of_fields import has_conditions
from desktop_app.ui._fieldset_section import FieldsetSection
from desktop_app.ui._futures import when_done
from desktop_app.ui.editors import Editor

__all__ = ["PAUSE_MS", "LiveForm"]

#: How long typing must pause before the whole form is checked.
PAUSE_MS = 400


class LiveForm(QObject):
    """Applies conditions and validation to a dialog's editors as they change.

    Args:
        editors (mapping): Field name → editor.
        section_of (mapping): Field name → the section showing it.
        form_cls (type): The dialog's form class.
        integration (Integration): The integration configured.
        config (IntegrationConfig | None): The configuration edited.
        parent (QObject): Owner (the dialog).

    Attributes:
        config (IntegrationConfig | None): As given; the dialog updates it
            when it reloads the stored configuration.

    Signals:
        checked (dict): The errors of the latest check, by field name
            (``'__all__'`` for the form), limited to what is shown.
    """

    checked = Signal(dict)

    def __init__(
        self,
        editors: Mapping[str, Editor],
        section_of: Mapping[str, FieldsetSection],
        form_cls: type[IntegrationConfigForm],
        integration: Any,
        config: Any,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._editors = editors
        self._section_of = section_of
        # The form is made here rather than by a callback of the dialog: a
        # reference back to the dialog would keep it alive after closing.
        self._form_cls = form_cls
        self._integration = integration
        self.config = config
        #: Whether some field shows, hides or greys out with others' values:
        #: if none does, nothing is re-evaluated as the user types.
        self._conditional = has_conditions(form_cls.base_fields)
        #: Fields whose errors may be shown: visited and left, or all of
        #: them once OK was pressed.
        self._judged: set[str] = set()
        self._edited: set[str] = set()
        self.shown: dict[str, list[str]] = {}
        self.inactive: frozenset[str] = frozenset()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self.check_now)
        #: Counts checks, so a background result older than the latest
        #: check is dropped.
        self._generation = 0
        #: The form's checks running on the worker, and whether another was
        #: asked for meanwhile.
        self._running: Future[Any] | None = None
        self._again = False
        #: Inputs that are typed into (judged when left), by id.
        self._typed: dict[int, str] = {}
        for name, editor in editors.items():
            # Bound methods, not lambdas: a lambda held by a connection
            # would keep the dialog alive after it is closed.
            editor.changed.connect(self._on_editor_changed)
            # Leaving a line edit or spin box is its editingFinished (a
            # signal, unlike an event filter, is never delivered to a half
            # destroyed dialog). Other inputs change in one step: a choice,
            # a tick.
            finished = getattr(editor.input, "editingFinished", None)
            if finished is not None:
                finished.connect(self._on_editing_finished)
                self._typed[id(editor.input)] = name
            elif isinstance(editor.input, QPlainTextEdit):
                self._typed[id(editor.input)] = name

    #: Turns a field's name into its key in the form's data (the form's
    #: ``add_prefix``; the dialog sets it for a form with a prefix).
    add_prefix: Callable[[str], str] = staticmethod(str)

    def _make_form(self, values: dict[str, Any]) -> IntegrationConfigForm:
        data = {self.add_prefix(name): value for name, value in values.items()}
        return self._form_cls(self._integration, data, config=self.config)

    def values(self) -> dict[str, Any]:
        """Return the editors' raw values."""
        return {name: editor.value() for name, editor in self._editors.items()}

    def apply_conditions(self) -> None:
        """Show, hide, enable and disable fields for the current values."""
        if not self._conditional:
            return
        form = self._make_form(self.values())
        states = form.field_states()
        # djblets' disabled_fields stay disabled whatever enabled_when says.
        disabled = set(getattr(form, "disabled_fields", ()) or ())
        inactive = set()
        for name, state in states.items():
            editor = self._editors.get(name)
            if editor is None:
                continue
            self._section_of[name].set_field_visible(name, state.visible)
            editor.widget.setEnabled(state.enabled and name not in disabled)
            if not state.active:
                inactive.add(name)
        self.inactive = frozenset(inactive)

    def judge_all(self) -> None:
        """From now on every field's errors are shown (OK was pressed)."""
        self._judged.update(self._editors)

    def check_now(
        self, errors: Mapping[str, list[str]] | None = None
    ) -> dict[str, list[str]]:
        """Validate the values now; show the errors of judged fields and the
        form's own, clear the fixed ones. Returns what is shown.

        The fields' own checks run here. The form's ``clean()`` runs here
        too when the form says it is quick (``live_clean = True``);
        otherwise on the worker (a djblets form's ``clean()`` may ask a
        server whether credentials work, which must not block the window),
        and what it finds is shown when it is done, if the values are still
        the same. OK passes the errors of its full validation as
        ``errors``.
        """
        self._timer.stop()
        self._generation += 1
        values = self.values()
        in_background = False
        try:
            form = self._make_form(values)
            if errors is None:
                if getattr(self._form_cls, "live_clean", False):
                    errors = form.errors
                else:
                    errors = self._field_errors(form)
                    in_background = True
        except Exception as e:  # the integration's own code: load(), clean()
            return self._show_failure(e, values)
        shown = self._show(form, errors)
        if in_background:
            self._check_in_background()
        return shown

    def _show(
        self, form: IntegrationConfigForm, errors: Mapping[str, list[str]]
    ) -> dict[str, list[str]]:
        shown: dict[str, list[str]] = {}
        for name, messages in errors.items():
            if name == NON_FIELD_ERRORS or name in self._judged:
                shown[name] = messages
            elif name in self._edited:
                # Being typed into: only what the form's clean() says about
                # it, not the field's own "not a URL yet".
                own = self._own_errors(form, name)
                extra = [m for m in messages if m not in own]
                if extra:
                    shown[name] = extra
        self.shown = shown
        self.checked.emit(shown)
        return shown

    def _show_failure(
        self, error: Exception, values: dict[str, Any]
    ) -> dict[str, list[str]]:
        from desktop_app.ui._form_problems import form_code_failure

        message = form_code_failure(error, form_cls=self._form_cls, values=values)
        self.shown = {NON_FIELD_ERRORS: [message]}
        self.checked.emit(self.shown)
        return self.shown

    # The form's clean() on the worker ------------------------------------------

    def is_checking(self) -> bool:
        """Whether the form's checks are running in the background."""
        return self._running is not None

    def _check_in_background(self) -> None:
        """Run the full validation of the values on screen on the worker;
        one at a time (a newer request waits for the running one)."""
        if self._running is not None:
            self._again = True
            return
        values = self.values()
        data = {self.add_prefix(name): value for name, value in values.items()}
        form_cls, integration, config = self._form_cls, self._integration, self.config
        try:
            future = integration.integration_mgr.check_form(
                integration, lambda: form_cls(integration, data, config=config)
            )
        except RuntimeError:
            return  # the worker is shut down: the app is quitting
        self._running = future
        generation = self._generation
        when_done(
            future, self, lambda f: self._checked_in_background(generation, values, f)
        )

    def _checked_in_background(
        self, generation: int, values: dict[str, Any], future: Future[Any]
    ) -> None:
        self._running = None
        if self._again:
            self._again = False
            self._check_in_background()
            return
        if generation != self._generation or values != self.values():
            return  # the values changed meanwhile: a newer check follows
        error = future.exception()
        if isinstance(error, BackgroundTimeoutError):
            errors = dict(self.shown)
            errors[NON_FIELD_ERRORS] = [
                f"Checking these values took longer than {error.timeout:g} s; "
                "they are checked again when you press OK."
            ]
            self._show(self._make_form(values), errors)
            return
        if error is not None:
            if not isinstance(error, Exception):  # SystemExit and the like
                error = RuntimeError(f"{type(error).__name__}: {error}")
            self._show_failure(error, values)
            return
        try:
            form = self._make_form(values)
        except Exception as e:  # the integration's own code: load()
            self._show_failure(e, values)
            return
        self._show(form, future.result())

    def _field_errors(self, form: IntegrationConfigForm) -> dict[str, list[str]]:
        """Each active field's own errors (no ``clean()`` of the form)."""
        disabled = set(getattr(form, "disabled_fields", ()) or ())
        errors: dict[str, list[str]] = {}
        for name in form.fields:
            if name in self.inactive or name in disabled:
                continue
            messages = self._own_errors(form, name)
            if messages:
                errors[name] = messages
        return errors

    @staticmethod
    def _own_errors(form: IntegrationConfigForm, name: str) -> list[str]:
        try:
            form.fields[name].clean(form.data.get(form.add_prefix(name)))
        except ValidationError as e:
            return e.messages
        return []

    def _on_editor_changed(self) -> None:
        editor = self.sender()
        if isinstance(editor, Editor) and editor.field.name:
            self._on_changed(editor.field.name)

    def _on_changed(self, name: str) -> None:
        self._edited.add(name)
        if id(self._editors[name].input) not in self._typed:
            self._judged.add(name)
        self.apply_conditions()
        if name in self.shown:
            # Fixed errors go at once, not after the pause.
            self.check_now()
        self._timer.start()

    def _on_editing_finished(self) -> None:
        name = self._typed.get(id(self.sender()))
        if name is not None and name in self._edited:
            self._judged.add(name)
            self.check_now()
