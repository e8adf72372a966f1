"""Plugins: drop-in modules and installed distributions that add
integrations, extensions and signals.

Qt-free; the window adds a folder watcher and a plugins page on top
(:py:mod:`desktop_app.ui._plugin_watcher`, :py:mod:`desktop_app.ui._plugins_dialog`).
"""

from __future__ import annotations

from desktop_app.plugins._discovery import ENTRY_POINT_GROUP, PluginSource
from desktop_app.plugins._info import (
    SOURCE_DISTRIBUTION,
    SOURCE_FOLDER,
    STATUS_DISABLED,
    STATUS_FAILED,
    STATUS_LOADED,
    STATUS_REFUSED,
    PluginInfo,
)
from desktop_app.plugins._manager import PluginManager

__all__ = [
    "ENTRY_POINT_GROUP",
    "SOURCE_DISTRIBUTION",
    "SOURCE_FOLDER",
    "STATUS_DISABLED",
    "STATUS_FAILED",
    "STATUS_LOADED",
    "STATUS_REFUSED",
    "PluginInfo",
    "PluginManager",
    "PluginSource",
]
