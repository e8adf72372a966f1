"""The app's style: the platform's, with check boxes visible in dark palettes.

Some styles (Fusion among them) draw an unticked check box's outline from
the window colour, darkened: on a dark palette that is near-black on a
near-black field, so an unticked box cannot be seen. The proxy adds an
outline in the text colour when the palette is dark, and draws everything
else exactly as the platform style does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QWidget,
)

__all__ = ["VisibleIndicatorStyle", "follow_dark_palettes", "is_dark"]

_CHECKS = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
)


def is_dark(palette: QPalette) -> bool:
    """Whether text fields are dark (light text on a dark base)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class VisibleIndicatorStyle(QProxyStyle):
    """The platform style (or the one named), with unticked check boxes
    outlined in the text colour on dark palettes.

    Args:
        key (str, optional): A style name (``"Fusion"``); the platform's
            default when omitted.
    """

    def __init__(self, key: str | None = None) -> None:
        if key:
            super().__init__(key)
        else:
            super().__init__()

    def drawPrimitive(  # noqa: N802
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _CHECKS or not is_dark(option.palette):
            return
        if option.state & QStyle.StateFlag.State_On:
            return  # the tick shows it
        color = QColor(option.palette.color(QPalette.ColorRole.Text))
        if not option.state & QStyle.StateFlag.State_Enabled:
            color.setAlphaF(0.45)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(color, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
        painter.restore()


def follow_dark_palettes(app: QApplication) -> None:
    """Use :py:class:`VisibleIndicatorStyle` while the palette is dark.

    The proxy calls into Python for every element the style draws, which
    a light palette does not need (the first paint of a full window pays
    for it): it is installed when the app starts dark, or when the system
    switches to a dark colour scheme. An app that sets a dark palette of
    its own installs the style itself.
    """

    def apply() -> None:
        if is_dark(app.palette()) and not isinstance(
            app.style(), VisibleIndicatorStyle
        ):
            app.setStyle(VisibleIndicatorStyle())

    apply()
    if not app.property("desktop_app_follows_palette"):
        app.setProperty("desktop_app_follows_palette", True)
        # After the event loop turn: the new palette is set by then.
        app.styleHints().colorSchemeChanged.connect(
            lambda _scheme: QTimer.singleShot(0, apply)
        )
