"""The list of problems at the top of a form, shown when OK finds some.

Each problem is a link to its field: clicking it (or Tab to it and Enter)
puts the focus in the field, so a long form with a problem far below is
fixed without hunting. The list follows the live checks and goes away once
everything is fixed.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.forms import NON_FIELD_ERRORS
from desktop_app.ui._fieldset_section import error_color

__all__ = ["ErrorSummary"]


class ErrorSummary(QLabel):
    """A rich-text label listing problems as links to their fields.

    Args:
        labels (mapping): Field name → the label the user sees.
        parent (QWidget): Owner.

    Signals:
        field_chosen (str): A field's link was used; the field's name.
    """

    field_chosen = Signal(str)

    def __init__(
        self,
        labels: Mapping[str, str],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("errorSummary")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self._labels = labels
        self._items: list[tuple[str, str]] = []
        self.linkActivated.connect(self._on_link)
        self.hide()

    def items(self) -> list[tuple[str, str]]:
        """Return the problems listed, as (field name or '__all__', text)."""
        return list(self._items)

    def show_errors(self, errors: Mapping[str, list[str]]) -> None:
        """List the problems (hidden when there are none)."""
        # Problems of the form as a whole are said right below, in the
        # dialog's own line; this lists those with a field to go to.
        self._items = [
            (name, message)
            for name, messages in errors.items()
            if name != NON_FIELD_ERRORS
            for message in messages
        ]
        if not self._items:
            self.hide()
            self.setText("")
            return
        count = len(self._items)
        color = error_color(self)
        lines = []
        for name, message in self._items:
            label = html.escape(self._labels.get(name, name))
            text = html.escape(message)
            lines.append(f'<li><a href="field:{name}">{label}</a>: {text}</li>')
        heading = (
            "1 problem needs fixing before saving:"
            if count == 1
            else f"{count} problems need fixing before saving:"
        )
        self.setText(
            f"<b style='color:{color}'>{heading}</b>"
            f"<ul style='margin:0'>{''.join(lines)}</ul>"
        )
        self.setAccessibleName(
            f"{heading} "
            + " ".join(f"{self._labels.get(n, n)}: {m}" for n, m in self._items)
        )
        self.show()

    def _on_link(self, link: str) -> None:
        if link.startswith("field:"):
            self.field_chosen.emit(link.removeprefix("field:"))
