"""A yes-or-no question in plain words, with buttons named for what they do."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

__all__ = ["ask"]


def ask(
    parent: QWidget | None,
    *,
    name: str,
    title: str,
    text: str,
    details: str,
    yes: tuple[str, str],
    no: tuple[str, str],
    default_yes: bool,
) -> bool:
    """Ask, and return whether the user chose ``yes``.

    Args:
        parent (QWidget | None): The window it belongs to.
        name (str): The box's object name (tests and accessibility tools).
        title (str): The window title.
        text (str): What happened, one sentence.
        details (str): The question, under it.
        yes (tuple[str, str]): The accepting button's text and object name.
        no (tuple[str, str]): The other button's text and object name.
        default_yes (bool): Whether Enter chooses ``yes``.
    """
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(details)
    accept = box.addButton(yes[0], QMessageBox.ButtonRole.AcceptRole)
    accept.setObjectName(yes[1])
    reject = box.addButton(no[0], QMessageBox.ButtonRole.RejectRole)
    reject.setObjectName(no[1])
    box.setDefaultButton(accept if default_yes else reject)
    box.exec()
    return box.clickedButton() is accept
