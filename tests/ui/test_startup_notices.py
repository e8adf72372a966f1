"""What the window tells the user when it starts on a damaged database or
a data folder others can read: a banner that stays until dismissed."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop_app._paths import DataPaths
from desktop_app._startup import open_app_store
from desktop_app.ui.app import show_startup_notices
from desktop_app.ui.main_window import MainWindow
from tests._support.child_processes import run_python

_RUN_APP_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from desktop_app.ui.app import run_app

seen = {}

def after_show(window):
    seen["banners"] = [
        {"text": b.text(), "folder": str(b.folder)} for b in window.notices()
    ]
    window.close()
    QApplication.instance().quit()

data = Path(sys.argv[1])
settings = QSettings(str(data.parent / "settings.ini"), QSettings.Format.IniFormat)
seen["code"] = run_app(data, after_show=after_show, settings=settings)
print(json.dumps(seen))
"""


def test_the_window_starts_on_a_damaged_database_and_shows_a_banner(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    data.chmod(0o700)
    (data / "configs.sqlite3").write_bytes(b"\x00garbage" * 512)

    result = run_python(_RUN_APP_SCRIPT, str(data), QT_QPA_PLATFORM="offscreen")

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0
    [damaged] = data.glob("configs.sqlite3.damaged-*")
    [banner] = seen["banners"]
    assert banner["text"].startswith("Your configuration database was damaged")
    assert str(damaged) in banner["text"]
    assert banner["folder"] == str(data)


def test_banners_show_every_notice_and_go_away_when_dismissed(
    qtbot, tmp_path, settings
):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    (data / "configs.sqlite3").write_text("not sqlite at all" * 100)
    store, notices = open_app_store(DataPaths(data))
    from desktop_app.manager import IntegrationManager

    manager = IntegrationManager(store, watch_interval=None)
    window = MainWindow(manager, settings=settings)
    qtbot.addWidget(window)
    window.show()
    try:
        show_startup_notices(window, notices)

        permissions, damage = window.notices()
        assert "can be read by other users (mode 755)" in permissions.text()
        assert permissions.findChild(QPushButton, "showFolderButton") is None
        assert "moved to" in damage.text()
        assert damage.findChild(QPushButton, "showFolderButton").isVisible()
        assert damage.label.accessibleName().startswith("Warning: Your configuration")

        qtbot.mouseClick(
            damage.findChild(QPushButton, "dismissNoticeButton"),
            Qt.MouseButton.LeftButton,
        )
        assert window.notices() == [permissions]
    finally:
        window.close()
        manager.shutdown()


_BACKUP_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from desktop_app.ui.app import run_app

seen = {"polls": 0}

def look(window):
    texts = [b.text() for b in window.notices()]
    seen["polls"] += 1
    if any("Today's backup" in t for t in texts) or seen["polls"] > 500:
        seen["banners"] = texts
        window.close()
        QApplication.instance().quit()
    else:
        QTimer.singleShot(20, lambda: look(window))

def after_show(window):
    # The window is up before the daily backup is over (it runs on a thread).
    seen["shown"] = window.isVisible()
    look(window)

data = Path(sys.argv[1])
settings = QSettings(str(data.parent / "settings.ini"), QSettings.Format.IniFormat)
seen["code"] = run_app(data, after_show=after_show, settings=settings)
print(json.dumps(seen))
"""


def test_the_daily_backup_is_made_off_the_start_and_kept_at_exit(tmp_path):
    from desktop_app.store.backup import list_backups

    data = tmp_path / "data"
    DataPaths(data).ensure()
    store, _ = open_app_store(DataPaths(data), defer_backup=True)
    store.close()
    # Opening for the window leaves the backup to it.
    assert list_backups(data / "backups") == []

    result = run_python(
        _BACKUP_SCRIPT.replace("> 500", "> 5"), str(data), QT_QPA_PLATFORM="offscreen"
    )

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0 and seen["shown"]
    assert not any("Today's backup" in text for text in seen["banners"])
    # Made while the window was open, finished before run_app returned.
    assert len(list_backups(data / "backups")) == 1


def test_a_daily_backup_that_cannot_be_made_becomes_a_banner(tmp_path):
    data = tmp_path / "data"
    DataPaths(data).ensure()
    (data / "backups").rmdir()
    (data / "backups").write_text("a file where the backups folder goes")

    result = run_python(_BACKUP_SCRIPT, str(data), QT_QPA_PLATFORM="offscreen")

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0
    [banner] = [t for t in seen["banners"] if "Today's backup" in t]
    assert "was skipped" in banner
