"""File → Import / Export configurations: moving configurations between
machines or keeping a copy, through :py:mod:`desktop_app._transfer`.

Exports never contain secrets (passwords are left out); an import is
checked as a whole through each integration's form and saves all of its
configurations or none. Configurations whose names the user already has
are skipped, replace the user's (keeping their history and passwords) or
are added beside them: the user is asked.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

# Qt dialogs and desktop_app._transfer are imported by the actions when
# used: the menus import this module while the window is built, and the
# first frame should not wait for code only a menu command needs.

if TYPE_CHECKING:
    from desktop_app._transfer import SameName
    from desktop_app.ui.main_window import MainWindow

__all__ = ["export_configs", "import_configs"]

_FILTER = "Configurations (*.json);;All files (*)"


def export_configs(
    window: MainWindow,
    path: str | Path | None = None,
    *,
    selected_only: bool | None = None,
) -> int:
    """Export the selected integration's configurations (all of them when
    none is selected), or only the selected configurations, to a JSON file.

    Args:
        window (MainWindow): The window (its manager and selection).
        path (str | Path, optional): Where to write; asks when omitted.
        selected_only (bool, optional): Only the selected configurations;
            ``None`` asks when some are selected.

    Returns:
        int: How many configurations were written (0 when cancelled).
    """
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from desktop_app import _transfer as transfer
    from desktop_app.errors import StoreError

    manager = window.manager
    integration = window.selected_integration()
    selected = _selected_ids(window)
    if selected and selected_only is None:
        selected_only = _ask_which(window, len(selected), integration)
        if selected_only is None:
            return 0
    try:
        if selected_only:
            configs = [manager.get_config(config_id) for config_id in selected]
        else:
            configs = manager.get_integration_configs(integration)
    except StoreError as e:
        # The store's own words say what failed and what to do.
        QMessageBox.warning(window, "Export configurations", str(e))
        return 0
    if not configs:
        QMessageBox.information(
            window, "Export configurations", "There are no configurations to export."
        )
        return 0
    if path is None:
        suggested = (
            f"{integration.display_name if integration else 'configurations'}.json"
        )
        path, _ = QFileDialog.getSaveFileName(
            window, "Export configurations", suggested, _FILTER
        )
        if not path:
            return 0
    try:
        transfer.write_export(manager, configs, path)
    except OSError as e:
        QMessageBox.warning(
            window, "Export configurations", f"Could not write {path}:\n{e.strerror}"
        )
        return 0
    window.statusBar().showMessage(
        f"Exported {len(configs)} configuration(s) to {path} (passwords are "
        f"never exported).",
        8000,
    )
    return len(configs)


def import_configs(
    window: MainWindow,
    path: str | Path | None = None,
    *,
    skip_existing: bool | None = None,
    on_same_name: SameName | None = None,
) -> int:
    """Import configurations from a JSON file made by :py:func:`export_configs`
    (or edited by hand).

    Args:
        window (MainWindow): The window.
        path (str | Path, optional): What to read; asks when omitted.
        skip_existing (bool, optional): ``True`` is ``on_same_name="skip"``,
            ``False`` is ``"add"``.
        on_same_name (str, optional): What to do with configurations whose
            name their integration already has: ``"add"`` them beside,
            ``"skip"`` them or ``"replace"`` the stored ones; when neither
            this nor ``skip_existing`` is given, asks if there are such.

    Returns:
        int: How many configurations were added or replaced (0 when
        cancelled or refused; a refused file saves nothing and says why).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

    from desktop_app import _transfer as transfer
    from desktop_app.errors import DesktopAppError
    from desktop_app.forms import ValidationError

    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            window, "Import configurations", "", _FILTER
        )
        if not path:
            return 0
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        QMessageBox.warning(
            window, "Import configurations", f"Could not read {path}:\n{e}"
        )
        return 0
    if on_same_name is None and skip_existing is not None:
        on_same_name = "skip" if skip_existing else "add"
    if on_same_name is None:
        same = transfer.same_named(window.manager, text)
        on_same_name = _ask_skip(window, same) if same else "add"
        if on_same_name is None:
            return 0
    # A large file takes a moment (10,000 configurations: about a third of a
    # second, all validated before anything is saved): say so with the
    # busy cursor and a status message while the window waits.
    window.statusBar().showMessage(f"Importing {Path(path).name}…")
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        plan = transfer.plan_import(window.manager, text, on_same_name=on_same_name)
        transfer.apply_import(window.manager, plan)
    except (ValidationError, DesktopAppError) as e:
        refused: Exception | None = e
    else:
        refused = None
    finally:
        QApplication.restoreOverrideCursor()
        window.statusBar().clearMessage()
    if refused is not None:
        messages = getattr(refused, "messages", None) or [str(refused)]
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Import configurations",
            f"Nothing was imported from {Path(path).name}:",
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setObjectName("importErrorBox")
        box.setInformativeText("\n".join(messages))
        box.exec()
        return 0
    count = len(plan.configs)
    # Say what happened to the ones the user has when any were touched:
    # "Imported 3 configuration(s) from x.json: 1 added, 2 replaced."
    detail = f": {plan.summary()}" if plan.replaced or plan.skipped else ""
    window.statusBar().showMessage(
        f"Imported {count} configuration(s) from {Path(path).name}{detail}.", 8000
    )
    return count


def _selected_ids(window: MainWindow) -> list[int]:
    from desktop_app.ui._config_list import CONFIG_ROLE

    panel = getattr(window, "config_panel", None)
    if panel is None:
        return []
    rows = panel.view.selectionModel().selectedRows()
    ids = [getattr(row.data(CONFIG_ROLE), "id", None) for row in rows]
    return [i for i in ids if isinstance(i, int)]


def _ask_which(window: MainWindow, count: int, integration: object) -> bool | None:
    """Ask whether to export the selection or all; ``None``: cancelled."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Export configurations",
        "Export the selected configuration(s) or all of them?",
        QMessageBox.StandardButton.Cancel,
        window,
    )
    box.setObjectName("exportWhichBox")
    selected = box.addButton(f"&Selected ({count})", QMessageBox.ButtonRole.AcceptRole)
    selected.setObjectName("exportSelectedButton")
    every = box.addButton("&All", QMessageBox.ButtonRole.AcceptRole)
    every.setObjectName("exportAllButton")
    box.setDefaultButton(selected)
    box.exec()
    clicked = box.clickedButton()
    if clicked is selected:
        return True
    if clicked is every:
        return False
    return None


def _ask_skip(window: MainWindow, names: list[str]) -> SameName | None:
    """Ask what to do with same-named configurations: ``"skip"``,
    ``"replace"`` or ``"add"``; ``None``: cancelled."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    # Rich text, for the choices below; the names are the user's, escaped.
    shown = ", ".join(f'"{html.escape(n[:60], quote=False)}"' for n in names[:5])
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Import configurations",
        f"{len(names)} configuration(s) in the file have the name of one you "
        f"already have: {shown}{more}.",
        QMessageBox.StandardButton.Cancel,
        window,
    )
    box.setObjectName("importSameNamesBox")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setInformativeText(
        "<p><b>Skip them</b>: yours stay as they are; the file's are left "
        "out.</p>"
        "<p><b>Replace them</b>: yours take the file's settings. They keep "
        "their history, and their passwords when the file has none.</p>"
        "<p><b>Keep both</b>: the file's are added next to yours, with the "
        "same names.</p>"
    )
    choices: tuple[tuple[SameName, str, str, str], ...] = (
        (
            "skip",
            "&Skip them",
            "skipSameNamedButton",
            "Import only the configurations whose names are new",
        ),
        (
            "replace",
            "&Replace them",
            "replaceSameNamedButton",
            "Overwrite your configurations of the same name with the file's "
            "settings (history and passwords are kept)",
        ),
        (
            "add",
            "&Keep both",
            "keepBothButton",
            "Add the file's configurations beside yours, with the same names",
        ),
    )
    buttons = {}
    for mode, text, name, tip in choices:
        button = box.addButton(text, QMessageBox.ButtonRole.AcceptRole)
        button.setObjectName(name)
        button.setToolTip(tip)
        buttons[mode] = button
    # Skipping is the default: it changes nothing the user already has.
    box.setDefaultButton(buttons["skip"])
    box.exec()
    clicked = box.clickedButton()
    return next((mode for mode, b in buttons.items() if b is clicked), None)
