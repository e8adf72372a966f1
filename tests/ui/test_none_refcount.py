"""Qt calls must never abort the app with "deallocating None".

shiboken6 6.12.0 drops a reference to ``None`` on every call of a void Qt
method (and every invalid ``QVariant`` handed back); on Python 3.11, where
``None`` is mortal, a few thousand calls (scrolling a long list was enough)
abort the process. pyproject excludes PySide6 6.12 for that reason; these
tests catch a release with the same bug, and check that our own model
overrides never leak ``None`` references either.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from desktop_app.store import ConfigRecord
from desktop_app.ui._config_list import ConfigListModel
from desktop_app.ui._integration_list import IntegrationListModel
from tests._support.sample_integrations import SampleIntegration


def test_many_qt_calls_after_importing_the_ui_do_not_abort(tmp_path):
    # More void calls than None has references in a fresh 3.11 process
    # (~5,000); PySide6 6.12.0 aborts here with SIGABRT.
    script = textwrap.dedent(
        """
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QModelIndex, QStringListModel, Qt
        from PySide6.QtWidgets import QApplication, QTableView
        app = QApplication([])
        model = QStringListModel([str(i) for i in range(100)])
        view = QTableView()
        view.setModel(model)
        view.show()
        for _ in range(20_000):
            app.processEvents()
            model.index(0).data(Qt.ItemDataRole.FontRole)  # invalid: None
            view.viewport().update()
        print("survived")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "survived" in result.stdout


def test_our_model_overrides_do_not_leak_none(qtbot, manager):
    integration = manager.register_integration_class(SampleIntegration)
    manager.store.bulk_insert(
        ConfigRecord(integration.integration_id, name=f"c{i}") for i in range(300)
    )
    model = ConfigListModel(manager)
    model.set_integration(integration.integration_id)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 800)
    view.show()
    qtbot.waitExposed(view)
    integrations = IntegrationListModel(manager)
    unhandled = (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole)

    def calls():
        # Qt calls our data()/headerData()/flags()/rowCount() for every
        # cell and role while painting; each of these Python calls into Qt
        # is one void call (repaint) or one None-returning lookup.
        view.viewport().repaint()
        for row in range(50):
            for column in range(3):
                model.flags(model.index(row, column))
        return 1

    calls()
    before = sys.getrefcount(None)
    qt_side = sum(calls() for _ in range(100))
    # Only the 100 repaint() calls may cost a reference each; the thousands
    # of override calls Qt made meanwhile must cost none.
    assert before - sys.getrefcount(None) <= qt_side

    index = integrations.index(0)
    before = sys.getrefcount(None)
    for _ in range(10_000):
        for role in unhandled:
            integrations.data(index, role)  # Python call: returns None
            model.data(model.index(0, 2), role)
            model.headerData(0, Qt.Orientation.Vertical, role)
    # 60,000 calls; a leak would lose 60,000 references (allow for noise:
    # the interpreter's own None references come and go).
    assert before - sys.getrefcount(None) < 100
