"""Integration icons: one sharp QIcon per integration from its 1x/2x files.

``icon_static_urls`` maps ``'1x'``, ``'2x'`` … to image files. All of them go
into one :py:class:`QIcon`, so Qt picks the 96 px file on a screen with a
device pixel ratio of 2 and the 48 px one on a normal screen. A missing or
unreadable file must never crash the window: it is logged and a neutral,
drawn placeholder takes its place.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QImageReader, QPainter, QPixmap

if TYPE_CHECKING:
    from desktop_app.integration import Integration

__all__ = [
    "ICON_SIZE",
    "clear_icon_cache",
    "eye_icon",
    "integration_icon",
    "placeholder_icon",
]

logger = logging.getLogger(__name__)

#: The logical size of integration icons, in pixels.
ICON_SIZE = 48

_cache: dict[str, QIcon] = {}


def integration_icon(integration: Integration) -> QIcon:
    """Return the integration's icon, loading its files once.

    Args:
        integration (Integration): A registered integration.

    Returns:
        QIcon: Its icon, or a placeholder showing its initial.
    """
    key = integration.integration_id
    icon = _cache.get(key)
    if icon is None:
        icon = _load_icon(integration)
        _cache[key] = icon
    return icon


def clear_icon_cache(integration_id: str | None = None) -> None:
    """Forget loaded icons (all, or one integration's), e.g. after a reload."""
    if integration_id is None:
        _cache.clear()
    else:
        _cache.pop(integration_id, None)


def _load_icon(integration: Integration) -> QIcon:
    integration_id = integration.integration_id
    try:
        urls = dict(integration.icon_static_urls or {})
    except Exception:  # plugin code: a broken property must not break the list
        logger.exception("Reading icon_static_urls of %s failed", integration_id)
        urls = {}
    icon = QIcon()
    for scale_key, path in sorted(urls.items(), key=lambda item: _scale(item[0])):
        # Only the header is read here; QIcon decodes a file when a pixmap
        # of its size is first painted (at 1x the 2x file never is).
        reader = QImageReader(str(path))
        size = reader.size() if reader.canRead() else None
        if size is None or not size.isValid():
            logger.warning(
                "Icon %s of %s cannot be read (%s): %s",
                scale_key,
                integration_id,
                path,
                reader.errorString(),
            )
            continue
        icon.addFile(str(path), size)
    if icon.isNull():
        if urls:
            logger.warning("%s has no usable icon; using a placeholder", integration_id)
        return placeholder_icon(getattr(integration, "display_name", integration_id))
    return icon


def _scale(key: Any) -> float:
    try:
        return float(str(key).rstrip("xX"))
    except ValueError:
        return 1.0


def placeholder_icon(name: str) -> QIcon:
    """Return a neutral icon: a grey rounded square with the name's initial.

    Drawn at 1x and 2x so it is as sharp as a real icon.
    """
    icon = QIcon()
    initial = (name.strip()[:1] or "?").upper()
    for scale in (1, 2):
        size = ICON_SIZE * scale
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#8a8f98"))
        margin = 2 * scale
        rect = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
        painter.drawRoundedRect(rect, 8 * scale, 8 * scale)
        font = QFont()
        font.setPixelSize(int(size * 0.5))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initial)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def eye_icon(crossed: bool) -> QIcon:
    """Return a small eye (``crossed``: struck through) for show/hide toggles.

    Drawn rather than taken from the icon theme, which many desktops lack.
    """
    icon = QIcon()
    for scale in (1, 2):
        size = 16 * scale
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = painter.pen()
        pen.setColor(QColor("#6b7078"))
        pen.setWidthF(1.4 * scale)
        painter.setPen(pen)
        painter.drawEllipse(QRectF(1.5 * scale, 4 * scale, 13 * scale, 8 * scale))
        painter.setBrush(QColor("#6b7078"))
        painter.drawEllipse(QRectF(6 * scale, 6 * scale, 4 * scale, 4 * scale))
        if crossed:
            painter.drawLine(2 * scale, 14 * scale, 14 * scale, 2 * scale)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
