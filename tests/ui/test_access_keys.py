"""Access keys (Alt+letter) never clash: a menu title and a button sharing
a letter make Alt+letter do one of the two, and not always the same."""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtWidgets import QAbstractButton, QLabel

_MNEMONIC = re.compile(r"&([^&\s])")


def access_key(text: str) -> str | None:
    match = _MNEMONIC.search(text.replace("&&", ""))
    return match.group(1).lower() if match else None


def test_menus_and_window_buttons_have_distinct_access_keys(window):
    menu_keys = [
        key
        for action in window.menuBar().actions()
        if (key := access_key(action.text())) is not None
    ]
    widget_keys = {}
    for widget in [
        *window.findChildren(QAbstractButton),
        *window.findChildren(QLabel),
    ]:
        if widget.window() is not window:
            continue
        key = access_key(widget.text())
        if key is not None:
            widget_keys.setdefault(key, []).append(widget.text())
    assert sorted(menu_keys) == sorted(set(menu_keys)), menu_keys
    clashes = {key: texts for key, texts in widget_keys.items() if key in menu_keys}
    assert clashes == {}
    repeated = {k: v for k, v in widget_keys.items() if len(v) > 1}
    assert repeated == {}
    assert widget_keys, "the window's buttons have access keys"


def test_each_menus_entries_have_distinct_access_keys(window):
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        keys = Counter(
            key
            for action in menu.actions()
            if action.isVisible() and (key := access_key(action.text())) is not None
        )
        assert [k for k, n in keys.items() if n > 1] == [], menu_action.text()
