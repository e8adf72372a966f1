"""The integrations list: a model over the manager, a filter, a delegate.

Rows are the manager's registered integrations; counts come from one
read of the store's per-integration counts table
(:py:meth:`IntegrationManager.count_configs`), re-read when a configuration
changes, never one query per row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop_app.ui._icons import ICON_SIZE, integration_icon

if TYPE_CHECKING:
    from desktop_app.integration import Integration
    from desktop_app.manager import IntegrationManager

__all__ = [
    "DESCRIPTION_ROLE",
    "INTEGRATION_ROLE",
    "SUMMARY_ROLE",
    "IntegrationDelegate",
    "IntegrationFilterModel",
    "IntegrationListModel",
    "counts_text",
]

#: The :py:class:`Integration` instance of a row.
INTEGRATION_ROLE = Qt.ItemDataRole.UserRole + 1
#: The integration's description.
DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 2
#: "N configurations, M enabled".
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 3
#: Name and description together, for filtering.
_SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4

_Index = QModelIndex | QPersistentModelIndex


def counts_text(total: int, enabled: int) -> str:
    """Return "N configurations, M enabled" in words a person would use."""
    noun = "configuration" if total == 1 else "configurations"
    return f"{total} {noun}, {enabled} enabled"


class IntegrationListModel(QAbstractListModel):
    """The registered integrations, with their configuration counts.

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
        #: Ids of integrations with a failing configuration (marked).
        self._failing: set[str] = set()

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
        self.endResetModel()

    def refresh_counts(self) -> None:
        """Re-read the counts (one query) after a configuration changed."""
        self._counts = self._manager.count_configs()
        if self._integrations:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._integrations) - 1), [SUMMARY_ROLE]
            )

    def refresh_state(self) -> None:
        """Repaint rows after integrations were enabled or disabled."""
        if self._integrations:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._integrations) - 1)
            )

    def row_of(self, integration_id: str) -> int:
        """Return the row of an integration id, or -1."""
        for row, integration in enumerate(self._integrations):
            if integration.integration_id == integration_id:
                return row
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._integrations)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        integration = self._integrations[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return integration.display_name
        if role == Qt.ItemDataRole.DecorationRole:
            return integration_icon(integration)
        if role == DESCRIPTION_ROLE:
            return integration.description or ""
        if role == SUMMARY_ROLE:
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


class IntegrationFilterModel(QSortFilterProxyModel):
    """Narrows the list to integrations whose name or description matches."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setFilterRole(_SEARCH_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


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
        if icon is not None:
            # The device painted on knows the real ratio (screen or image).
            device = painter.device()
            ratio = device.devicePixelRatioF() if device is not None else 1.0
            pixmap = icon.pixmap(QSize(ICON_SIZE, ICON_SIZE), ratio)
            painter.drawPixmap(icon_rect, pixmap)

        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
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
        painter.setPen(palette.color(text_role))
        name = index.data(Qt.ItemDataRole.DisplayRole) or ""
        painter.drawText(
            QRect(text_left, top, text_rect.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(bold).elidedText(
                name, Qt.TextElideMode.ElideRight, text_rect.width()
            ),
        )
        painter.setFont(option.font)
        description = index.data(DESCRIPTION_ROLE) or ""
        painter.drawText(
            QRect(text_left, top + line, text_rect.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(
                description, Qt.TextElideMode.ElideRight, text_rect.width()
            ),
        )
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
