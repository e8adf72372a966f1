"""Starting the window: ``run_app(data_dir)``.

The window is shown as early as possible; slower start-up work (plugin
loading) belongs in ``after_show``, which runs once the first frame is
painted.

Set ``DESKTOP_APP_EXIT_AFTER_FIRST_PAINT=1`` to print when the window and the
populated integrations list were first painted and exit right then (see
:py:mod:`desktop_app.ui._first_paint`).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import signals
from desktop_app._containment import install_interrupt_marker
from desktop_app._paths import APP_NAME, DataPaths
from desktop_app._startup import (
    StartupNotice,
    install_secret_scrubbing,
    open_app_store,
)
from desktop_app.errors import SchemaTooNewError, StoreError
from desktop_app.manager import IntegrationManager, set_integration_manager
from desktop_app.store.recovery import make_routine_backup
from desktop_app.ui._bridge import UiDispatcher
from desktop_app.ui._first_paint import install_if_requested
from desktop_app.ui._questions import ask
from desktop_app.ui.main_window import MainWindow

if TYPE_CHECKING:
    from desktop_app.store import ConfigStore

__all__ = [
    "ask_open_newer_read_only",
    "create_application",
    "report_start_failure",
    "run_app",
    "show_startup_notices",
    "start_routine_backup",
]


def create_application(argv: list[str] | None = None) -> QApplication:
    """Return the QApplication, creating it with the app's names.

    The organisation and application names decide where ``QSettings``
    keeps the window layout. The style is the platform's so the window
    follows the system palette, light or dark, with unticked check boxes
    kept visible in dark palettes (:py:mod:`desktop_app.ui._style`).
    """
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    from desktop_app.ui._style import follow_dark_palettes

    follow_dark_palettes(app)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    return app


def run_app(
    data_dir: Path,
    argv: list[str] | None = None,
    after_show: Callable[[MainWindow], None] | None = None,
    settings: QSettings | None = None,
    read_only: bool = False,
) -> int:
    """Open the window on a data folder and run until it is closed.

    Args:
        data_dir (Path): The data folder (database, plugins).
        argv (list[str], optional): Arguments for Qt.
        after_show (callable, optional): Called with the window once it is
            shown and painted (for example to load plugins; the list follows
            what is registered).
        settings (QSettings, optional): Where the window keeps its layout;
            the application's default settings if omitted.
        read_only (bool): Open the database read-only.

    Returns:
        int: The exit code: 1 when the data folder or database cannot be
        used at all (said in one line on stderr and in a message box), or
        the user chose Quit over opening a newer app's database read-only.
    """
    app = create_application(argv)
    install_secret_scrubbing()
    # The user's Ctrl-C stays distinct from a plugin's KeyboardInterrupt.
    install_interrupt_marker()
    # A damaged database is moved aside here, before anything reads it; the
    # window says so once it is painted (see show_startup_notices).
    opened = _open_store(DataPaths(data_dir), read_only)
    if opened is None:
        return 1
    store, notices = opened
    manager = IntegrationManager(store)
    set_integration_manager(manager)
    window = MainWindow(manager, settings=settings)
    # DESKTOP_APP_EXIT_AFTER_FIRST_PAINT=1: report first paints and exit.
    install_if_requested(window)
    try:
        window.show()
        QTimer.singleShot(0, lambda: show_startup_notices(window, notices))
        backup = start_routine_backup(window, store)
        if after_show is not None:
            QTimer.singleShot(0, lambda: after_show(window))
        QTimer.singleShot(0, lambda: signals.app_started.send(manager))
        code = app.exec()
    finally:
        signals.app_stopping.send(manager)
        manager.shutdown()
        set_integration_manager(None)
    # A backup under way finishes (it writes a copy, then renames it).
    backup.join()
    return code


def start_routine_backup(window: MainWindow, store: ConfigStore) -> threading.Thread:
    """Make the daily backup on a thread of its own, once the window is up.

    It copies, compacts and syncs the whole database, and prunes older
    copies: work the first frame must not wait for. A backup that cannot be
    made becomes a banner, as it was a start-up notice before.
    """
    dispatch = UiDispatcher(window)

    def run() -> None:
        message = make_routine_backup(store)
        if message is not None:
            text = message

            def tell() -> None:
                window.show_notice(text, store.backup_dir)

            dispatch(tell)

    thread = threading.Thread(target=run, name="desktop-app-backup")
    thread.start()
    return thread


def _open_store(
    paths: DataPaths, read_only: bool
) -> tuple[ConfigStore, list[StartupNotice]] | None:
    """Open the store, or tell the user why not and return ``None``.

    A database from a newer version of the app is never replaced: the user
    chooses between looking at it read-only and quitting.
    """
    try:
        try:
            return open_app_store(paths, read_only=read_only, defer_backup=True)
        except SchemaTooNewError as e:
            if not ask_open_newer_read_only(e):
                return None
            return open_app_store(paths, read_only=True, defer_backup=True)
    except StoreError as e:
        report_start_failure(e)
        return None


def ask_open_newer_read_only(error: SchemaTooNewError) -> bool:
    """Ask whether to open a newer app's database read-only.

    Returns:
        bool: ``True`` for "Open read-only", ``False`` for "Quit".
    """
    return ask(
        None,
        name="newerDatabaseBox",
        title="Database from a newer version",
        text=f"{error}.",
        details=(
            "You can look at your configurations read-only: nothing is changed "
            "on disk, so the newer version keeps working with them."
        ),
        yes=("Open read-only", "openReadOnlyButton"),
        no=("Quit", "quitButton"),
        default_yes=False,
    )


def report_start_failure(error: StoreError) -> None:
    """Say why the window cannot open: one line on stderr (for whoever
    started it from a terminal) and a message box (for everyone else)."""
    line = " ".join(str(error).split())
    print(f"desktop-app: error: {line}", file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Critical, "desktop-app cannot start", line)
    box.setObjectName("startFailureBox")
    box.exec()


def show_startup_notices(window: MainWindow, notices: list[StartupNotice]) -> None:
    """Show each start-up notice as a banner at the top of the window.

    Banners, not message boxes: the user sees the window they asked for at
    once, and the notice stays until they dismiss it.
    """
    for notice in notices:
        window.show_notice(notice.text, notice.folder)
