"""Integration icons: sharp at 2x, a placeholder when files are missing."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter

from desktop_app.integration import Integration
from desktop_app.ui._icons import integration_icon
from desktop_app.ui._integration_list import IntegrationDelegate, IntegrationListModel
from tests._support.sample_integrations import SampleIntegration


def test_at_device_pixel_ratio_2_the_icon_is_the_96px_2x_image(sample):
    icon = integration_icon(sample)
    hi = icon.pixmap(QSize(48, 48), 2.0)
    assert hi.devicePixelRatio() == 2.0
    assert (hi.width(), hi.height()) == (96, 96)
    image = hi.toImage()
    assert image.pixelColor(10, 10) == QColor("#0000ff")  # the 2x file
    assert image.pixelColor(90, 90) == QColor("#0000ff")

    lo = icon.pixmap(QSize(48, 48), 1.0)
    assert (lo.width(), lo.height()) == (48, 48)
    assert lo.toImage().pixelColor(10, 10) == QColor("#ff0000")  # the 1x file


def test_the_list_delegate_paints_the_2x_image_on_a_high_dpi_device(
    qtbot, manager, sample
):
    from PySide6.QtWidgets import QListView

    model = IntegrationListModel(manager)
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = IntegrationDelegate(view)
    view.setItemDelegate(delegate)
    view.resize(400, 200)
    view.show()
    size = delegate.sizeHint(_option(view), model.index(0))
    target = QImage(400 * 2, size.height() * 2, QImage.Format.Format_ARGB32)
    target.setDevicePixelRatio(2.0)
    target.fill(QColor("white"))
    painter = QPainter(target)
    option = _option(view)
    option.rect = view.visualRect(model.index(0))
    option.rect.moveTop(0)
    delegate.paint(painter, option, model.index(0))
    painter.end()
    # Icon at logical (8, 8)-(56, 56): device pixels are blue (2x), not red.
    assert target.pixelColor(2 * 8 + 4, 2 * 8 + 4) == QColor("#0000ff")
    assert target.pixelColor(2 * 55, 2 * 55) == QColor("#0000ff")


def _option(view):
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.initFrom(view)
    return option


def test_a_missing_icon_file_shows_a_placeholder_and_logs_a_warning(
    manager, tmp_path, caplog
):
    class Broken(Integration):
        integration_id = "tests.ui.Broken"
        name = "Broken Icons"
        icon_static_urls = {
            "1x": str(tmp_path / "missing.png"),
            "2x": str(tmp_path / "missing@2x.png"),
        }

        def initialize(self):
            pass

    (tmp_path / "garbage.png").write_bytes(b"not a png")
    broken = manager.register_integration_class(Broken)
    with caplog.at_level(logging.WARNING, logger="desktop_app.ui._icons"):
        icon = integration_icon(broken)
    assert not icon.isNull()
    pixmap = icon.pixmap(QSize(48, 48), 2.0)
    assert (pixmap.width(), pixmap.height()) == (96, 96)  # drawn at 2x too
    messages = [r.getMessage() for r in caplog.records]
    assert any("missing.png" in m for m in messages)
    assert any("placeholder" in m for m in messages)


def test_an_unreadable_2x_file_keeps_the_1x_image(
    manager, tmp_path, caplog, sample_icons
):
    garbage = tmp_path / "garbage@2x.png"
    garbage.write_bytes(b"not a png")

    class Half(Integration):
        integration_id = "tests.ui.Half"
        icon_static_urls = {"1x": sample_icons["1x"], "2x": str(garbage)}

        def initialize(self):
            pass

    with caplog.at_level(logging.WARNING, logger="desktop_app.ui._icons"):
        icon = integration_icon(manager.register_integration_class(Half))
    assert icon.pixmap(QSize(48, 48), 1.0).toImage().pixelColor(5, 5) == QColor(
        "#ff0000"
    )
    assert any("garbage@2x.png" in r.getMessage() for r in caplog.records)


def test_icons_are_loaded_once_per_integration(sample):
    assert integration_icon(sample).cacheKey() == integration_icon(sample).cacheKey()
    assert SampleIntegration.integration_id == sample.integration_id
