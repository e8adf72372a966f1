"""The integrations list: a model over the manager, a filter, a delegate.

Rows are the manager's registered integrations; counts come from one
read of the store's per-integration counts table
(:py:meth:`IntegrationManager.count_configs`), re-read when a configuration
changes, never one query per row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop_app.ui._icons import ICON_SIZE, integration_icon

if TYPE_CHECKING:
    from collections.abc import Iterable

    from desktop_app._config_search import ConfigMatch
    from desktop_app._unavailable import UnavailableIntegration
    from desktop_app.integration import Integration
    from desktop_app.manager import IntegrationManager

__all__ = [
    "DESCRIPTION_ROLE",
    "INTEGRATION_ROLE",
    "SUMMARY_ROLE",
    "UNAVAILABLE_ROLE",
    "PluginExplainer",
    "IntegrationDelegate",
    "IntegrationFilterModel",
    "IntegrationListModel",
    "counts_text",
    "matches_text",
]

#: The :py:class:`Integration` instance of a row.
INTEGRATION_ROLE = Qt.ItemDataRole.UserRole + 1
#: The integration's description.
DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 2
#: "N configurations, M enabled".
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 3
#: Name and description together, for filtering.
_SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4
#: The :py:class:`UnavailableIntegration` of a row whose integration is not
#: loaded (``None`` for a loaded one).
UNAVAILABLE_ROLE = Qt.ItemDataRole.UserRole + 5
#: The integration id of any row.
ID_ROLE = Qt.ItemDataRole.UserRole + 6

_Index = QModelIndex | QPersistentModelIndex


def counts_text(total: int, enabled: int) -> str:
    """Return "N configurations, M enabled" in words a person would use."""
    noun = "configuration" if total == 1 else "configurations"
    return f"{total} {noun}, {enabled} enabled"


class PluginExplainer(Protocol):
    """What the plugin manager tells the list about integrations that are
    not loaded (see :py:class:`desktop_app.plugins.PluginManager`)."""

    def why_not_loaded(self, integration_id: str) -> str | None: ...

    def former_name(self, integration_id: str) -> str | None: ...

    def lost_integrations(self) -> Iterable[str]: ...


class IntegrationListModel(QAbstractListModel):
    """The registered integrations, with their configuration counts, then
    those not loaded that have configurations (or broke in this run), as
    greyed "unavailable" rows.

    Args:
        manager (IntegrationManager): Where integrations and counts come from.
    """

    def __init__(
        self, manager: IntegrationManager, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._manager = manager
        self._integrations: list[Integration] = manager.get_integrations()
        self._counts: dict[str, tuple[int, int]] = manager.count_configs()
        self._plugins: PluginExplainer | None = None
        # Read on reload(), not now: the window is built before plugins
        # load, and every plugin's integration would flash as "Not loaded".
        self._unavailable: list[UnavailableIntegration] = []
        #: Integration id → its configurations the filter matched.
        self._matches: dict[str, list[ConfigMatch]] = {}
        #: Ids of integrations with a failing configuration (marked).
        self._failing: set[str] = set()

    def set_config_matches(self, matches: dict[str, list[ConfigMatch]]) -> None:
        """Show which configurations the filter matched (``{}``: none)."""
        self._matches = matches
        self.refresh_state()

    def has_config_match(self, integration_id: str) -> bool:
        """Whether the filter matched one of its configurations."""
        return integration_id in self._matches

    def set_plugins(self, plugins: PluginExplainer | None) -> None:
        """Ask ``plugins`` why integrations are missing (on the next reload)."""
        self._plugins = plugins

    def _read_unavailable(self) -> list[UnavailableIntegration]:
        plugins = self._plugins
        if plugins is None:
            return self._manager.get_unavailable_integrations(with_configs=False)
        if getattr(plugins, "loading", False):
            return []  # not known yet: the integration may still register
        return self._manager.get_unavailable_integrations(
            explain=plugins.why_not_loaded,
            names=plugins.former_name,
            also=plugins.lost_integrations(),
            with_configs=False,
        )

    def set_failing(self, integration_ids: set[str]) -> None:
        """Mark the integrations whose configurations are failing."""
        if integration_ids != self._failing:
            self._failing = set(integration_ids)
            self.refresh_state()

    def reload(self) -> None:
        """Re-read the registered integrations (after plugins changed)."""
        self.beginResetModel()
        self._integrations = self._manager.get_integrations()
        self._counts = self._manager.count_configs()
        self._unavailable = self._read_unavailable()
        self.endResetModel()

    def refresh_counts(self) -> None:
        """Re-read the counts (one query) after a configuration changed."""
        self._counts = self._manager.count_configs()
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0), self.index(self.rowCount() - 1), [SUMMARY_ROLE]
            )

    def refresh_state(self) -> None:
        """Repaint rows after integrations were enabled or disabled."""
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))

    def row_of(self, integration_id: str) -> int:
        """Return the row of an integration id (loaded or not), or -1."""
        for row, integration in enumerate(self._integrations):
            if integration.integration_id == integration_id:
                return row
        for row, entry in enumerate(self._unavailable, start=len(self._integrations)):
            if entry.integration_id == integration_id:
                return row
        return -1

    def loaded_count(self) -> int:
        """How many rows are registered integrations (they come first)."""
        return len(self._integrations)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return len(self._integrations) + len(self._unavailable)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.row() >= len(self._integrations):
            entry = self._unavailable[index.row() - len(self._integrations)]
            return self._unavailable_data(entry, role)
        integration = self._integrations[index.row()]
        if role == ID_ROLE:
            return integration.integration_id
        if role == Qt.ItemDataRole.DisplayRole:
            return integration.display_name
        if role == Qt.ItemDataRole.DecorationRole:
            return integration_icon(integration)
        if role == DESCRIPTION_ROLE:
            return integration.description or ""
        if role == SUMMARY_ROLE:
            matched = self._matches.get(integration.integration_id)
            if matched:
                return matches_text(matched)
            total, enabled = self._counts.get(integration.integration_id, (0, 0))
            text = counts_text(total, enabled)
            if integration.integration_id in self._failing:
                text += " · ⚠ a configuration is failing"
            return text
        if role == INTEGRATION_ROLE:
            return integration
        if role == _SEARCH_ROLE:
            return f"{integration.display_name}\n{integration.description or ''}"
        if role == Qt.ItemDataRole.ToolTipRole:
            error = self._manager.integration_errors.get(integration.integration_id)
            tip = integration.description or integration.display_name
            if integration.integration_id in self._failing:
                tip += "\n\nA configuration's last delivery failed."
            return f"{tip}\n\n{error[0]}" if error else tip
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return self.data(index, SUMMARY_ROLE)
        return None

    def _unavailable_data(self, entry: UnavailableIntegration, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.display_name
        if role == Qt.ItemDataRole.DecorationRole:
            from desktop_app.ui._icons import placeholder_icon

            return placeholder_icon(entry.display_name)
        if role == DESCRIPTION_ROLE:
            return unavailable_label(entry)
        if role == SUMMARY_ROLE:
            matched = self._matches.get(entry.integration_id)
            if matched:
                return matches_text(matched)
            total, enabled = self._counts.get(entry.integration_id, (0, 0))
            return counts_text(total, enabled) + " (read-only)"
        if role == UNAVAILABLE_ROLE:
            return entry
        if role == ID_ROLE:
            return entry.integration_id
        if role == _SEARCH_ROLE:
            return f"{entry.display_name}\n{entry.integration_id}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{unavailable_label(entry)}: {entry.reason}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return f"{unavailable_label(entry)}. {entry.reason}"
        return None


def matches_text(matches: list[ConfigMatch]) -> str:
    """ "Matches: #ops, #ops-eu and 3 more" for a row's summary line."""
    names = [match.name for match in matches[:2]]
    more = len(matches) - len(names)
    text = "Matches: " + ", ".join(names)
    return f"{text} and {more} more" if more else text


def unavailable_label(entry: UnavailableIntegration) -> str:
    """ "Failed to load" when its plugin failed, else "Not loaded"."""
    return "Failed to load" if "failed to load" in entry.reason else "Not loaded"


class IntegrationFilterModel(QSortFilterProxyModel):
    """Narrows the list to integrations whose name or description matches,
    or one of whose configurations matched (see
    :py:meth:`IntegrationListModel.set_config_matches`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setFilterRole(_SEARCH_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: _Index
    ) -> bool:
        if super().filterAcceptsRow(source_row, source_parent):
            return True
        source = self.sourceModel()
        if not isinstance(source, IntegrationListModel):
            return False
        integration_id = source.index(source_row).data(ID_ROLE)
        return bool(integration_id) and source.has_config_match(integration_id)


class IntegrationDelegate(QStyledItemDelegate):
    """Paints a row: 48 px icon, bold name, description, counts."""

    MARGIN = 8
    SPACING = 12

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        lines = option.fontMetrics.lineSpacing() * 3 + 4
        return QSize(240, max(ICON_SIZE, lines) + 2 * self.MARGIN)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: _Index
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else None
        # The background and selection, as the style draws them, no text.
        opt.text = ""
        opt.icon = type(opt.icon)()
        if style is not None:
            style.drawControl(
                QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget
            )

        rect = option.rect.adjusted(
            self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN
        )
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        icon_rect = QRect(
            rect.left(),
            rect.top() + (rect.height() - ICON_SIZE) // 2,
            ICON_SIZE,
            ICON_SIZE,
        )
        # Not loaded: greyed, with "Failed to load" where the description
        # would be.
        unavailable = index.data(UNAVAILABLE_ROLE) is not None
        if icon is not None:
            # The device painted on knows the real ratio (screen or image).
            device = painter.device()
            ratio = device.devicePixelRatioF() if device is not None else 1.0
            mode = QIcon.Mode.Disabled if unavailable else QIcon.Mode.Normal
            pixmap = icon.pixmap(QSize(ICON_SIZE, ICON_SIZE), ratio, mode)
            painter.drawPixmap(icon_rect, pixmap)

        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        text_group = (
            QPalette.ColorGroup.Disabled
            if unavailable and not selected
            else QPalette.ColorGroup.Normal
        )
        text_left = icon_rect.right() + self.SPACING
        text_rect = QRect(
            text_left, rect.top(), rect.right() - text_left, rect.height()
        )
        metrics = option.fontMetrics
        line = metrics.lineSpacing()
        top = text_rect.top() + (text_rect.height() - 3 * line) // 2

        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(palette.color(text_group, text_role))
        name = index.data(Qt.ItemDataRole.DisplayRole) or ""
        painter.drawText(
            QRect(text_left, top, text_rect.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(bold).elidedText(
                name, Qt.TextElideMode.ElideRight, text_rect.width()
            ),
        )
        painter.setFont(option.font)
        if unavailable:
            italic = QFont(option.font)
            italic.setItalic(True)
            painter.setFont(italic)
        description = index.data(DESCRIPTION_ROLE) or ""
        painter.drawText(
            QRect(text_left, top + line, text_rect.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(
                description, Qt.TextElideMode.ElideRight, text_rect.width()
            ),
        )
        painter.setFont(option.font)
        if not selected:
            painter.setPen(
                palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            )
        painter.drawText(
            QRect(text_left, top + 2 * line, text_rect.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            index.data(SUMMARY_ROLE) or "",
        )
        painter.restore()
