"""Draw the built-in integrations' icons (1x 48×48 and 2x 96×96 PNGs).

Run from anywhere: ``python resources/icons/make_icons.py``. Each icon is a
simple white glyph on a coloured rounded square, drawn in a 48-unit
coordinate space and scaled, so both sizes stay crisp.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

HERE = Path(__file__).resolve().parent
WHITE = QColor("white")


def _pen(width: float) -> QPen:
    pen = QPen(WHITE, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def webhook(p: QPainter) -> None:
    # Three linked nodes: the classic "webhook" triangle.
    p.setPen(_pen(3.5))
    nodes = [QPointF(24, 13), QPointF(13, 33), QPointF(35, 33)]
    for a, b in ((0, 1), (1, 2), (2, 0)):
        p.drawLine(nodes[a], nodes[b])
    p.setBrush(QBrush(WHITE))
    for node in nodes:
        p.drawEllipse(node, 4.5, 4.5)


def chat(p: QPainter) -> None:
    path = QPainterPath()
    path.addRoundedRect(QRectF(10, 12, 28, 19), 5, 5)
    tail = QPainterPath()
    tail.moveTo(16, 30)
    tail.lineTo(14, 38)
    tail.lineTo(23, 30)
    tail.closeSubpath()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(WHITE))
    p.drawPath(path.united(tail))
    p.setBrush(QBrush(QColor("#7b3fc4")))
    for x in (17, 24, 31):
        p.drawEllipse(QPointF(x, 21.5), 2.2, 2.2)


def event_file(p: QPainter) -> None:
    page = QPainterPath()
    page.moveTo(14, 9)
    page.lineTo(28, 9)
    page.lineTo(35, 16)
    page.lineTo(35, 39)
    page.lineTo(14, 39)
    page.closeSubpath()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(WHITE))
    p.drawPath(page)
    p.setPen(_pen(2.2))
    p.setPen(QPen(QColor("#1f8a5b"), 2.2))
    for y in (21, 26, 31):
        p.drawLine(QPointF(18, y), QPointF(31, y))


def desktop_notification(p: QPainter) -> None:
    bell = QPainterPath()
    bell.moveTo(12, 33)
    bell.cubicTo(16, 29, 15, 24, 16, 20)
    bell.cubicTo(17, 14, 20, 11, 24, 11)
    bell.cubicTo(28, 11, 31, 14, 32, 20)
    bell.cubicTo(33, 24, 32, 29, 36, 33)
    bell.closeSubpath()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(WHITE))
    p.drawPath(bell)
    p.drawEllipse(QPointF(24, 37), 3.5, 3.5)


def notify(p: QPainter) -> None:
    # A paper plane: a message sent out to another service.
    plane = QPainterPath()
    plane.moveTo(9, 23)
    plane.lineTo(39, 10)
    plane.lineTo(30, 38)
    plane.lineTo(23, 29)
    plane.closeSubpath()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(WHITE))
    p.drawPath(plane)
    p.setPen(QPen(QColor("#0b7285"), 2.2))
    p.drawLine(QPointF(23, 29), QPointF(39, 10))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(WHITE))
    fold = QPainterPath()
    fold.moveTo(23, 29)
    fold.lineTo(22, 37)
    fold.lineTo(26.5, 33.5)
    fold.closeSubpath()
    p.drawPath(fold)


ICONS: dict[str, tuple[str, Callable[[QPainter], None]]] = {
    "webhook": ("#d9480f", webhook),
    "chat": ("#7b3fc4", chat),
    "event_file": ("#1f8a5b", event_file),
    "desktop_notification": ("#1864ab", desktop_notification),
    "notify": ("#0b7285", notify),
}


def render(color: str, glyph: Callable[[QPainter], None], size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 48, size / 48)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor(color)))
    p.drawRoundedRect(QRectF(2, 2, 44, 44), 9, 9)
    glyph(p)
    p.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    for name, (color, glyph) in ICONS.items():
        for suffix, size in (("", 48), ("@2x", 96)):
            path = HERE / f"{name}{suffix}.png"
            if not render(color, glyph, size).save(str(path), "PNG"):
                print(f"cannot write {path}", file=sys.stderr)
                return 1
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
