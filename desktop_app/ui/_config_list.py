"""The configurations of one integration, as a lazily paged table model.

Only the first page (``PAGE_SIZE`` rows) is read when an integration is
selected; the view asks for more through ``canFetchMore``/``fetchMore`` as
the user scrolls, so 10,000 configurations open as fast as 10, and each
further page continues after the last row loaded (keyset paging), so page
1,000 costs what page 1 does. A short page marks the end, so a filter is
never counted before its rows show (counting scans every row). The rows
are the store's (by name, then id); the model keeps no other copy.

A filter's pages are read on a worker thread: with few matches, filling a
page means testing every name of the integration (15-20 ms at 100,000).
The rows shown stay until the filtered page arrives; a result that the
user has moved on from (typed more, chose another integration) is dropped.
Unfiltered pages are index range scans, as cheap as the page is short,
and stay on the UI thread.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop_app.config import IntegrationConfig
from desktop_app.errors import StoreError
from desktop_app.store import ConfigRecord
from desktop_app.ui._background_reads import BackgroundReads
from desktop_app.ui._config_rows import ConfigRows
from desktop_app.ui._deliveries_feed import DeliveriesFeed, status_data
from desktop_app.ui._views import HeaderedTableModel

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager

__all__ = ["CONFIG_ROLE", "PAGE_SIZE", "STATUS_COLUMN", "ConfigListModel"]

#: Rows read per page.
PAGE_SIZE = 200

#: The :py:class:`~desktop_app.store.ConfigRecord` of a row.
CONFIG_ROLE = Qt.ItemDataRole.UserRole + 1

NAME_COLUMN, ENABLED_COLUMN, UPDATED_COLUMN, STATUS_COLUMN = range(4)
_HEADERS = ("Name", "Enabled", "Last updated", "Status")

_Index = QModelIndex | QPersistentModelIndex

# Loaded rows keep what the list shows (ConfigRows: columns of plain
# values, which CPython's collector does not track, so 100,000 loaded rows
# cost full collections nothing; keeping the configs themselves, each with
# a settings dict, made those collections the worst stall of a long
# scroll). The configs are read again by id when edited.


class ConfigListModel(HeaderedTableModel):
    """Name, enabled (a check box saved at once) and last update of configs.

    Args:
        manager (IntegrationManager): Whose store is read and written.
    """

    headers = _HEADERS

    #: Saving a toggled check box failed; the message says why.
    saveFailed = Signal(str)

    def __init__(
        self, manager: IntegrationManager, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._manager = manager
        self._integration_id: str | None = None
        self._rows = ConfigRows()
        self._total: int | None = 0
        self._at_end = True
        self._search = ""
        #: The configurations are shown, not edited (their integration is
        #: not loaded): the Enabled box cannot be toggled.
        self.read_only = False
        #: The filter asked for last; ``_search`` is the one shown.
        self._requested = ""
        # Numbers the rows' states: a background read started for an
        # older one is dropped when it comes back.
        self._generation = 0
        self._reading = False
        self._reads = BackgroundReads(self)
        self._feed: DeliveriesFeed | None = None
        #: Config id → the required secrets it lacks, read on first paint of
        #: a disabled row; dropped whenever rows are read again.
        self._needs_cache: dict[int, list[str]] = {}

    def set_deliveries_feed(self, feed: DeliveriesFeed) -> None:
        """Show each configuration's delivery status from ``feed``."""
        self._feed = feed
        feed.statusesChanged.connect(self._on_statuses_changed)

    def _on_statuses_changed(self, config_ids: set[int]) -> None:
        if self._rows and config_ids:
            self.dataChanged.emit(
                self.index(0, STATUS_COLUMN),
                self.index(len(self._rows) - 1, STATUS_COLUMN),
            )

    @property
    def integration_id(self) -> str | None:
        """The integration whose configs are shown (``None``: none)."""
        return self._integration_id

    def total(self) -> int | None:
        """How many configs are listed, loaded or not; ``None`` while a
        filter's rows are still being paged in.

        Unfiltered, this is the store's cheap per-integration count. A
        filter's total would need a scan of every row of the integration
        (80 ms at 100,000) on the UI thread, so it is only known once its
        last page has been read.
        """
        return self._total

    @property
    def search(self) -> str:
        """The text the names shown contain (``""``: every config).

        After :py:meth:`set_search` with a filter, this changes when the
        filtered rows arrive (see :py:attr:`requested_search`).
        """
        return self._search

    @property
    def requested_search(self) -> str:
        """The filter asked for last, whether or not its rows are shown."""
        return self._requested

    @property
    def reading(self) -> bool:
        """A page is being read in the background (more cannot be fetched
        until it is in)."""
        return self._reading

    def set_integration(self, integration_id: str | None) -> None:
        """Show another integration's configs, unfiltered, reading the
        first page."""
        self._integration_id = integration_id
        self._requested = ""
        self._read_now(PAGE_SIZE)

    def set_search(self, text: str) -> None:
        """Show only configs whose name contains ``text`` (ignoring case).

        The store filters and pages (``search=``), so narrowing 100,000
        configs reads one page, not all of them. A filter's first page is
        read in the background; the rows shown stay until it arrives.
        Clearing the filter reads the unfiltered first page at once.
        """
        if text == self._requested:
            return
        self._requested = text
        if text and self._integration_id is not None:
            self._generation += 1
            self._read_in_background(text, after=None)
        else:
            self._read_now(PAGE_SIZE)  # a new result: from its first page

    def reload(self) -> None:
        """Re-read as many rows as were loaded (at least a page), and the
        count when unfiltered.

        Synchronous even when filtered: the window selects a row right
        after a change reloads the list. A background read on its way is
        dropped (this one is newer).
        """
        same = self._search == self._requested
        self._read_now(max(len(self._rows), PAGE_SIZE) if same else PAGE_SIZE)

    def _read_now(self, keep: int) -> None:
        """Show the first ``keep`` rows of the filter asked for, read here."""
        self._generation += 1
        self._reading = False
        self._search = self._requested
        if self._integration_id is None:
            self._reset(ConfigRows(), total=0, at_end=True)
            return
        store = self._manager.store
        search = self._search or None
        rows = ConfigRows(
            store.list_configs(
                self._integration_id, search=search, offset=0, limit=keep
            )
        )
        at_end = len(rows) < keep
        if search is None:
            # One row of the store's counts table, not a scan.
            total: int | None = store.count(self._integration_id)
            at_end = at_end or len(rows) >= (total or 0)
        else:
            total = len(rows) if at_end else None
        self._reset(rows, total, at_end)

    def _reset(self, rows: ConfigRows, total: int | None, at_end: bool) -> None:
        self._needs_cache = {}
        self.beginResetModel()
        self._rows, self._total, self._at_end = rows, total, at_end
        self.endResetModel()

    def _read_in_background(self, search: str, after: tuple[str, int] | None) -> None:
        """Read a page of ``search`` (the first, or the one ``after`` a
        row's key) on the worker thread; it is applied when it comes back
        unless the list has moved on (another filter, integration, reload).
        """
        generation = self._generation
        integration_id = self._integration_id
        store = self._manager.store
        self._reading = True

        def read() -> list[ConfigRecord] | None:
            if generation != self._generation:
                return None  # superseded while it waited: skip the scan
            return store.list_configs(
                integration_id, search=search, after=after, limit=PAGE_SIZE
            )

        def done(page: list[ConfigRecord] | None, error: BaseException | None) -> None:
            if generation != self._generation:
                return  # stale: what it was read for is no longer shown
            self._reading = False
            if error is not None:
                if getattr(store, "closed", False):
                    return  # shut down under it: nothing left to show
                raise error  # as the same read on this thread would
            assert page is not None
            at_end = len(page) < PAGE_SIZE
            if after is None:
                self._search = search
                self._reset(
                    ConfigRows(page), total=len(page) if at_end else None, at_end=at_end
                )
            else:
                self._append(page)
                self._at_end = at_end
                if at_end:
                    self._total = len(self._rows)

        self._reads.submit(read, done)

    def stop_reading(self) -> None:
        """Drop background reads (the window is closing)."""
        self._generation += 1
        self._reading = False
        self._reads.shutdown()

    def _append(self, page: list[ConfigRecord]) -> None:
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def on_config_changed(
        self, kind: str, config: IntegrationConfig | ConfigRecord
    ) -> None:
        """Follow a change by patching the loaded rows, not re-reading them.

        A list scrolled far down holds many rows: re-reading 100,000 after
        one was added took 1.7 s. An update that keeps the name is patched
        in place; an addition, a deletion or a rename moves just that row
        (an addition past the loaded rows comes with a later page). With a
        filter shown or being read, the rows are read again instead.
        """
        if config is None or config.integration_id != self._integration_id:
            return
        listed = config if isinstance(config, ConfigRecord) else config.to_record()
        row = self.row_of(config.id)
        if kind == "updated" and row >= 0 and self._rows.name(row) == config.name:
            self._rows.replace(row, listed)
            self.dataChanged.emit(
                self.index(row, 0), self.index(row, len(_HEADERS) - 1)
            )
            return
        if self._search or self._requested or self._reading:
            self.reload()
            return
        rows = self._rows
        # The count first (one row of the store's counts table), so views
        # that follow the row signals see the new total.
        self._total = self._manager.store.count(self._integration_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            rows.remove(row)
            self.endRemoveRows()
        if kind != "deleted":
            position = rows.sort_position(listed.page_key)
            if position < len(rows) or self._at_end:
                self.beginInsertRows(QModelIndex(), position, position)
                rows.insert(position, listed)
                self.endInsertRows()
        self._at_end = len(rows) >= (self._total or 0)

    def row_of(self, config_id: int | None) -> int:
        """Return the loaded row of a config id, or -1."""
        return self._rows.row_of(config_id)

    def config_at(self, row: int) -> ConfigRecord:
        """Return the config shown in a row, as listed: its id, name,
        enabled state and last update (not its settings; read it by id to
        edit it)."""
        rows = self._rows
        assert self._integration_id is not None
        return ConfigRecord(
            self._integration_id,
            id=rows.id(row),
            name=rows.name(row),
            enabled=rows.enabled(row),
            last_updated=rows.last_updated(row),
            load_error=rows.load_error(row),
        )

    # Lazy loading ---------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._at_end and not self._reading

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self._integration_id is None or self._reading:
            return
        store = self._manager.store
        # Keyset paging: continue after the last loaded row. An OFFSET would
        # make SQLite step over every loaded row again, a stall per page
        # that grows with the scroll position.
        after = self.config_at(-1).page_key if self._rows else None
        if self._search:
            self._read_in_background(self._search, after=after)
            return
        page = store.list_configs(self._integration_id, after=after, limit=PAGE_SIZE)
        # A short page is the last one: no count needed to know the end.
        self._at_end = len(page) < PAGE_SIZE
        self._append(page)
        if len(self._rows) >= (self._total or 0):
            self._at_end = True  # the count says so: no empty page to read
        if self._at_end:
            # Follows rows that another process deleted while the user
            # scrolled (a filter's end is noted where its page arrives).
            self._total = len(self._rows)

    # Model API ------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        # On a read-only database the box shows the state but cannot be
        # toggled: nothing could be saved.
        if (
            index.isValid()
            and index.column() == ENABLED_COLUMN
            and not self._manager.store.read_only
            and not self.read_only
        ):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        rows = self._rows
        column = index.column()
        if role == CONFIG_ROLE:
            return self.config_at(row)
        if column == NAME_COLUMN:
            if role in (
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.AccessibleTextRole,
            ):
                return rows.name(row)
            if role == Qt.ItemDataRole.ToolTipRole:
                return rows.load_error(row)
        elif column == ENABLED_COLUMN:
            enabled = rows.enabled(row)
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return "Enabled" if enabled else "Disabled"
        elif column == UPDATED_COLUMN and role == Qt.ItemDataRole.DisplayRole:
            return _format_time(rows.last_updated(row))
        elif column == STATUS_COLUMN:
            if not rows.enabled(row):
                needed = self._needed_secrets(row)
                if needed:
                    return _needs_secret_data(needed, role)
            if self._feed is not None:
                return status_data(self._feed.status(rows.id(row)), role)
        return None

    def _needed_secrets(self, row: int) -> list[str]:
        """What a disabled row lacks (read once per row and listing: the
        rows hold no settings)."""
        config_id = self._rows.id(row)
        cache = self._needs_cache
        if config_id not in cache:
            try:
                config = self._manager.get_config(config_id)
            except (StoreError, LookupError):
                cache[config_id] = []
            else:
                cache[config_id] = self._manager.missing_secrets(config)
        return cache[config_id]

    def setData(  # noqa: N802
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if (
            not index.isValid()
            or index.column() != ENABLED_COLUMN
            or role != Qt.ItemDataRole.CheckStateRole
            or self._manager.store.read_only
            or self.read_only
        ):
            return False
        enabled = Qt.CheckState(value) == Qt.CheckState.Checked
        config_id = self._rows.id(index.row())
        try:
            config = self._manager.get_config(config_id)
            needed = self._manager.missing_secrets(config) if enabled else []
            if needed:
                # Imported without its secret: it would only fail.
                self.saveFailed.emit(
                    f"{config.name} needs {_and(needed)} before it can be "
                    f"enabled: edit it (Enter) to give "
                    f"{'it' if len(needed) == 1 else 'them'}."
                )
                return False
            config.enabled = enabled
            self._manager.save_config(config)
        except StoreError as e:
            self.saveFailed.emit(str(e))
            self.reload()
            return False
        # config_updated usually patched the row already; make sure it did.
        self._rows.replace(index.row(), config.to_record())
        self.dataChanged.emit(index, index)
        return True


def _and(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + f" and {labels[-1]}"


def _needs_secret_data(needed: list[str], role: int) -> Any:
    """The Status cell of a configuration imported without its secret."""
    if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
        return f"Needs a secret: {_and(needed)}"
    if role == Qt.ItemDataRole.ToolTipRole:
        return (
            f"Imported without {_and(needed)} (exports never carry secrets). "
            f"Edit the configuration to give it, then enable it."
        )
    return None


def _format_time(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M")
