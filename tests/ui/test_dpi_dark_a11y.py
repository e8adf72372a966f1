"""High-DPI, dark palette and accessibility of the window's pieces."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QStyleFactory, QWidget

from desktop_app.ui._style import VisibleIndicatorStyle, is_dark
from desktop_app.ui.config_dialog import ConfigDialog
from tests._support.child_processes import run_python
from tests._support.qt_driving import open_window


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1f1f1f"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, "#e6e6e6"),
    ):
        palette.setColor(role, QColor(color))
    return palette


def _light_pixels_of_unticked_box(qtbot, style) -> int:
    box = QCheckBox("Enabled")
    qtbot.addWidget(box)
    box.setStyle(style)
    box.setPalette(_dark_palette())
    box.resize(box.sizeHint())
    image = box.grab().toImage()
    # The indicator sits at the left; count pixels much lighter than the
    # dark background there.
    width = min(image.width(), image.height())
    return sum(
        1
        for x in range(width)
        for y in range(image.height())
        if QColor(image.pixel(x, y)).lightness() > 110
    )


@pytest.mark.skipif(
    "Fusion" not in QStyleFactory.keys(),  # noqa: SIM118 - a static method
    reason="needs the Fusion style",
)
def test_unticked_check_boxes_are_visible_in_a_dark_palette(qtbot):
    assert is_dark(_dark_palette())
    plain = _light_pixels_of_unticked_box(qtbot, QStyleFactory.create("Fusion"))
    ours = _light_pixels_of_unticked_box(qtbot, VisibleIndicatorStyle("Fusion"))
    assert ours > plain + 20


def test_the_window_and_its_buttons_have_names_and_tooltips(
    qtbot, manager, settings, sample
):
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    open_window(qtbot, window)
    panel = window.config_panel
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.text():
            assert button.toolTip(), f"{button.objectName()} has no tooltip"
    for name in ("integrationList", "integrationFilter", "configList", "configFilter"):
        widget = window.findChild(QWidget, name)
        assert widget is not None and widget.accessibleName(), name
    assert panel.add_button.toolTip()
    window.close()


def test_required_fields_say_so_to_screen_readers(qtbot, sample):
    dialog = ConfigDialog(sample, None)
    qtbot.addWidget(dialog)
    endpoint = dialog.editor("endpoint_url").input
    assert endpoint.accessibleName() == "Endpoint URL"
    assert endpoint.accessibleDescription() == "Required."
    client = dialog.editor("client_id").input
    assert client.accessibleDescription() == "Required. From the service."
    token = dialog.editor("token").input
    assert "Required" not in token.accessibleDescription()
    dialog.done(0)


SCALED_WINDOW = """
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton
from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.ui.app import create_application
from desktop_app.ui.main_window import MainWindow

app = create_application([])
tmp = Path(tempfile.mkdtemp())
manager = IntegrationManager(tmp / "configs.sqlite3", watch_interval=None)
set_integration_manager(manager)
window = MainWindow(manager, QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
window.resize(980, 680)
window.show()
long = "Your configuration database was damaged and has been moved aside; " * 3
window.show_notice(long, tmp)
banner = window.show_notice("2 plugins failed to load.")
banner.add_button("&Details…", "pluginProblemsDetails")
while not window.is_ready:
    app.processEvents()
for _ in range(20):
    app.processEvents()
problems = []
for banner in window.notices():
    label = banner.label
    needed = label.heightForWidth(label.width())
    if label.height() < needed:
        problems.append(f"text cut: {label.height()} < {needed}")
    for button in banner.findChildren(QPushButton):
        hint = button.minimumSizeHint()
        if button.width() < hint.width() or button.height() < hint.height():
            problems.append(f"{button.text()} clipped: {button.size()} < {hint}")
print(app.devicePixelRatio(), problems)
manager.shutdown()
"""


def test_banners_are_not_clipped_at_twice_the_scale():
    result = run_python(SCALED_WINDOW, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "2.0 []"


@pytest.mark.skipif(
    "Fusion" not in QStyleFactory.keys(),  # noqa: SIM118 - a static method
    reason="needs the Fusion style",
)
def test_the_outlining_style_is_used_only_while_the_palette_is_dark(qtbot, qapp):
    from PySide6.QtCore import Qt

    from desktop_app.ui._style import follow_dark_palettes

    before = qapp.palette()
    try:
        qapp.setStyle(QStyleFactory.create("Fusion"))
        qapp.setPalette(QPalette(QColor("#efefef")))
        follow_dark_palettes(qapp)
        assert not isinstance(qapp.style(), VisibleIndicatorStyle)

        # The system switches to a dark colour scheme.
        qapp.setPalette(_dark_palette())
        qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        qtbot.waitUntil(lambda: isinstance(qapp.style(), VisibleIndicatorStyle))
    finally:
        qapp.setPalette(before)
        qapp.setStyle(QStyleFactory.create("Fusion"))
