"""Render the README screenshots of the window and a configuration dialog.

Run it from the project folder::

    python docs/make_screenshots.py

It renders everything twice, at scale 1 and with ``QT_SCALE_FACTOR=2`` (each
in its own process, since Qt reads the factor at start-up), into
``docs/screenshots/``. The data is made up in a temporary data folder: demo
integrations with icons drawn here at 48 and 96 px, some configurations and
a little activity, including a failure.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    """Render at scale 1 and 2, each in a fresh process."""
    OUT.mkdir(parents=True, exist_ok=True)
    for scale, theme in (("1", "light"), ("2", "light"), ("1", "dark")):
        env = dict(os.environ, QT_SCALE_FACTOR=scale)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        subprocess.run(
            [sys.executable, __file__, "--render", scale, theme],
            check=True,
            env=env,
            cwd=ROOT,
        )
    return 0


def _use_dark_palette(app) -> None:
    """Stand in for a system dark theme (offscreen has none)."""
    from PySide6.QtGui import QColor, QPalette

    from desktop_app.ui._style import VisibleIndicatorStyle

    app.setStyle(VisibleIndicatorStyle("Fusion"))
    palette = QPalette()
    role = QPalette.ColorRole
    for r, color in (
        (role.Window, "#2b2b2b"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#1f1f1f"),
        (role.AlternateBase, "#2a2a2a"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#353535"),
        (role.ButtonText, "#e6e6e6"),
        (role.Highlight, "#2f65ca"),
        (role.HighlightedText, "#ffffff"),
        (role.ToolTipBase, "#353535"),
        (role.ToolTipText, "#e6e6e6"),
        (role.PlaceholderText, "#8a8a8a"),
        (role.Link, "#7aa7ff"),
    ):
        palette.setColor(r, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#7a7a7a"))
    app.setPalette(palette)


def render(scale: str, theme: str = "light") -> None:
    """Build the demo data, open the window and the dialog, save PNGs."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QItemSelectionModel, QSettings
    from PySide6.QtWidgets import QApplication, QLineEdit

    from desktop_app._paths import DataPaths
    from desktop_app.manager import IntegrationManager, set_integration_manager
    from desktop_app.ui.app import create_application
    from desktop_app.ui.config_dialog import ConfigDialog
    from desktop_app.ui.main_window import MainWindow

    suffix = "" if scale == "1" else f"@{scale}x"
    if theme == "dark":
        suffix += "-dark"
    app = create_application([])
    if theme == "dark":
        _use_dark_palette(app)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        demo = _demo_module(tmp_path / "icons")
        paths = DataPaths(tmp_path / "data").ensure()
        manager = IntegrationManager(paths.database, watch_interval=None)
        set_integration_manager(manager)
        try:
            chat = manager.register_integration_class(demo.ChatNotifier)
            tracker = manager.register_integration_class(demo.IssueTracker)
            manager.register_integration_class(demo.MailDigest)
            for name, enabled in (
                ("#releases", True),
                ("#reviews (team A)", True),
                ("#reviews (team B)", False),
                ("Ops on-call", True),
            ):
                manager.create_config(
                    chat,
                    name=name,
                    enabled=enabled,
                    settings={"webhook_url": "https://chat.example.com/hooks/1"},
                )
            manager.create_config(
                tracker,
                name="Main project",
                enabled=True,
                settings={
                    "server_url": "https://issues.example.com/",
                    "project": "CORE",
                },
            )
            settings = QSettings(
                str(tmp_path / "settings.ini"), QSettings.Format.IniFormat
            )
            window = MainWindow(manager, settings=settings)
            window.resize(1000, 680)
            window.show()
            window.activity_dock.setMinimumHeight(180)
            for title in ("Release 2.4.0", "Review #1182 published", "Nightly build"):
                demo.review_published.send(None, title=title)
                time.sleep(0.01)
            # Handlers sent from the window's thread run on the worker; their
            # deliveries reach the list and the Activity panel once stored.
            manager.wait_for_background_work(10)
            manager.deliveries.flush(10)
            _pump(app, 0.5)
            panel = window.config_panel
            panel.view.selectionModel().setCurrentIndex(
                panel.model.index(1, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            activity = window.activity_panel.view
            for row in range(activity.model().rowCount()):
                outcome = str(activity.model().index(row, 5).data() or "")
                if "failed" in outcome:
                    activity.selectRow(row)
                    activity.scrollTo(activity.model().index(row, 0))
            _pump(app, 0.2)
            window.grab().save(str(OUT / f"main-window{suffix}.png"))

            dialog = ConfigDialog(tracker, None, window)
            dialog.show()
            dialog.findChild(QLineEdit, "name").setText("Support desk")
            dialog.findChild(QLineEdit, "server_url").setText("issues.example")
            dialog.accept()  # invalid: the errors appear under the fields
            _pump(app, 0.2)
            dialog.grab().save(str(OUT / f"config-dialog-error{suffix}.png"))
            dialog.done(0)

            releases = manager.get_integration_configs(chat)[0]
            releases.set(
                "conditions",
                {
                    "mode": "any",
                    "conditions": [
                        {"choice": "title", "op": "starts-with", "value": "Release"},
                        {"choice": "title", "op": "matches-regex", "value": "#1[0-9]+"},
                    ],
                },
            )
            dialog = ConfigDialog(chat, releases, window)
            dialog.show()
            _pump(app, 0.2)
            dialog.grab().save(str(OUT / f"config-dialog-conditions{suffix}.png"))
            dialog.done(0)

            # A configuration's History: two quiet successes in a row (one
            # row counting them), then a failure, selected.
            configs = manager.get_integration_configs(chat)
            ops = next(c for c in configs if c.name == "Ops on-call")
            window.show_config_deliveries(chat.integration_id, ops.id)
            history = window.config_delivery_actions.dialogs[ops.id]
            _pump(app, 0.3)
            history.view.selectRow(0)
            _pump(app, 0.2)
            history.grab().save(str(OUT / f"history{suffix}.png"))
            history.close()

            from desktop_app.ui._fire_signal_dialog import FireSignalDialog

            fire = FireSignalDialog(window)
            fire.show()
            _pump(app, 0.2)
            fire.grab().save(str(OUT / f"fire-signal{suffix}.png"))
            fire.done(0)
            window.close()
        finally:
            manager.shutdown()
            set_integration_manager(None)
        _render_first_start(app, tmp_path / "first", demo, suffix)
        _render_plugin_problems(app, tmp_path / "problems", demo, suffix)
    QApplication.processEvents()


def _render_first_start(app, data_dir: Path, demo, suffix: str) -> None:
    """The window on a first start: the welcome where configurations go."""
    from PySide6.QtCore import QSettings

    from desktop_app.activity import get_activity_log
    from desktop_app.manager import IntegrationManager, set_integration_manager
    from desktop_app.ui.main_window import MainWindow

    data_dir.mkdir(parents=True)
    # A first start has run nothing: the Activity panel stays collapsed.
    get_activity_log().clear()
    manager = IntegrationManager(data_dir / "configs.sqlite3", watch_interval=None)
    set_integration_manager(manager)
    try:
        manager.register_integration_class(demo.ChatNotifier)
        manager.register_integration_class(demo.IssueTracker)
        settings = QSettings(str(data_dir / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(manager, settings=settings)
        window.resize(1000, 680)
        window.show()
        while not window.is_ready:
            app.processEvents()
        _pump(app, 0.2)
        window.grab().save(str(OUT / f"welcome{suffix}.png"))
        window.close()
    finally:
        manager.shutdown()
        set_integration_manager(None)


def _render_plugin_problems(app, data_dir: Path, demo, suffix: str) -> None:
    """A plugin that broke: the banner, its integration greyed with its
    configurations read-only, and the plugins page listing problems first."""
    import logging
    import textwrap

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction

    from desktop_app._paths import DataPaths
    from desktop_app.manager import IntegrationManager, set_integration_manager
    from desktop_app.ui._plugins_dialog import PluginsDialog
    from desktop_app.ui._plugins_setup import install_plugins
    from desktop_app.ui.main_window import MainWindow

    logging.getLogger("desktop_app").setLevel(logging.CRITICAL)  # expected errors
    paths = DataPaths(data_dir).ensure()
    pager = textwrap.dedent(
        """
        from desktop_app import Integration

        class Pager(Integration):
            integration_id = "pager.Pager"
            name = "Pager"
            description = "Pages the person on call."

            def initialize(self):
                pass
        """
    )
    (paths.plugins_dir / "pager.py").write_text(pager, encoding="utf-8")
    (paths.plugins_dir / "weather.py").write_text("import weather_service_sdk\n")
    manager = IntegrationManager(paths.database, watch_interval=None)
    set_integration_manager(manager)
    try:
        chat = manager.register_integration_class(demo.ChatNotifier)
        manager.create_config(
            chat,
            name="#releases",
            enabled=True,
            settings={"webhook_url": "https://chat.example.com/hooks/1"},
        )
        settings = QSettings(str(data_dir / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(manager, settings=settings)
        window.resize(1000, 680)
        window.show()
        plugins = install_plugins(window, paths, entry_points=False)
        while not window.is_ready:
            app.processEvents()
        for name, number in (("On call (Alice)", "+1 555 0100"), ("On call (Bob)", "")):
            manager.create_config(
                "pager.Pager", name=name, enabled=True, settings={"number": number}
            )
        (paths.plugins_dir / "pager.py").write_text("def page(:\n", encoding="utf-8")
        window.findChild(QAction, "reloadPluginsAction").trigger()
        window.integration_view.setCurrentIndex(window.integration_filter.index(1, 0))
        _pump(app, 0.3)
        window.grab().save(str(OUT / f"plugin-problems{suffix}.png"))
        page = PluginsDialog(plugins, window)
        page.show()
        _pump(app, 0.2)
        page.grab().save(str(OUT / f"plugins-page{suffix}.png"))
        page.done(0)
        window.close()
        plugins.unload_all()
    finally:
        manager.shutdown()
        set_integration_manager(None)


def _pump(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _draw_icon(path: Path, size: int, color: str, glyph: str) -> str:
    """Draw a rounded square with a simple glyph; return the file path."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 48
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(color))
    p.drawRoundedRect(QRectF(2 * s, 2 * s, 44 * s, 44 * s), 10 * s, 10 * s)
    p.setBrush(QColor("white"))
    if glyph == "chat":
        p.drawRoundedRect(QRectF(11 * s, 13 * s, 26 * s, 18 * s), 5 * s, 5 * s)
        tail = QPainterPath(QPointF(16 * s, 30 * s))
        tail.lineTo(14 * s, 37 * s)
        tail.lineTo(23 * s, 30 * s)
        p.drawPath(tail)
        p.setBrush(QColor(color))
        for x in (17, 24, 31):
            p.drawEllipse(QPointF(x * s, 22 * s), 2 * s, 2 * s)
    else:  # a check list
        pen = QPen(QColor("white"), 3 * s)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        for y in (15, 24, 33):
            p.drawLine(QPointF(22 * s, y * s), QPointF(36 * s, y * s))
            p.drawEllipse(QPointF(14 * s, y * s), 1.5 * s, 1.5 * s)
    p.end()
    image.save(str(path))
    return str(path)


def _demo_module(icon_dir: Path):
    """Define the demo integrations (as a plugin author would)."""
    import types

    from desktop_app import forms
    from desktop_app.forms import IntegrationConfigForm
    from desktop_app.hooks import SignalHook
    from desktop_app.integration import Integration
    from desktop_app.signals import define_signal

    icon_dir.mkdir(parents=True, exist_ok=True)
    icons = {}
    for name, color, glyph in (
        ("chat", "#3b82c4", "chat"),
        ("tracker", "#2f9e6e", "list"),
    ):
        icons[name] = {
            "1x": _draw_icon(icon_dir / f"{name}.png", 48, color, glyph),
            "2x": _draw_icon(icon_dir / f"{name}@2x.png", 96, color, glyph),
        }
    review_published = define_signal(
        "demo.review_published",
        description="A review request was published.",
        payload={"title": forms.CharField(label="Title")},
    )

    class ChatForm(IntegrationConfigForm):
        webhook_url = forms.URLField(label="Webhook URL")
        token = forms.PasswordField(label="Token", required=False)
        conditions = forms.ConditionsField(signal=review_published)

    class ChatNotifier(Integration):
        integration_id = "demo.ChatNotifier"
        name = "Chat Notifier"
        description = "Posts a message to a chat channel when a review is published."
        config_form_cls = ChatForm
        icon_static_urls = icons["chat"]

        def initialize(self):
            SignalHook(self, review_published, self._on_review_published)

        def _on_review_published(self, title, **kwargs):
            # As Review Board's chat integrations do: one post per
            # configuration, errors logged (each one fails that delivery).
            for config in self.get_configs():
                if "Nightly" in title and config.name == "Ops on-call":
                    logging.getLogger("demo.chat").error(
                        "Couldn't reach chat.example.com: connection refused"
                    )

    class TrackerForm(IntegrationConfigForm):
        server_url = forms.URLField(
            label="Server URL", help_text="The address of your issue tracker."
        )
        project = forms.CharField(label="Project key", max_length=20)
        api_token = forms.PasswordField(label="API token", required=False)
        retries = forms.IntegerField(
            label="Retries", min_value=0, max_value=10, initial=3
        )

        class Meta:
            fieldsets = (
                (
                    "Connection",
                    {
                        "description": "Where issues are filed.",
                        "fields": ("server_url", "project", "api_token"),
                    },
                ),
                ("Advanced", {"classes": ("collapse",), "fields": ("retries",)}),
            )

    class IssueTracker(Integration):
        integration_id = "demo.IssueTracker"
        name = "Issue Tracker"
        description = "Files an issue for every failed build."
        config_form_cls = TrackerForm
        icon_static_urls = icons["tracker"]

        def initialize(self):
            SignalHook(self, review_published, self._on_review_published)

        def _on_review_published(self, **kwargs):
            for config in self.get_configs():
                config.get("project")

    class MailDigest(Integration):
        integration_id = "demo.MailDigest"
        name = "Mail Digest"
        description = "Sends a daily summary by email (no icon: a placeholder)."

        def initialize(self):
            pass

    return types.SimpleNamespace(
        ChatNotifier=ChatNotifier,
        IssueTracker=IssueTracker,
        MailDigest=MailDigest,
        review_published=review_published,
    )


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--render":
        render(*sys.argv[2:4])
        sys.exit(0)
    sys.exit(main())
