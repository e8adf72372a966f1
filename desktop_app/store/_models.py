"""The ORM model of a stored configuration: the schema's single source.

Alembic migrations create the real tables; this model describes the same
table so queries can be written against typed attributes. The store never
hands these instances out: it reads columns into plain
:py:class:`~desktop_app.config.IntegrationConfig` objects, because the event
hot path must not pay for SQLAlchemy's attribute instrumentation.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Float, Index, Integer, String, Text, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "Base",
    "ChangeCounterRow",
    "ConfigCountRow",
    "ConfigRow",
    "DeliveryRow",
    "DeliveryStatusRow",
    "UTCDateTime",
]


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime stored as naive UTC text and returned timezone-aware.

    SQLite has no timezone-aware type: SQLAlchemy writes the wall-clock
    digits and drops ``tzinfo``. Normalising to UTC on the way in and
    attaching UTC on the way out keeps every timestamp comparable, whatever
    zone the caller used.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None or value.tzinfo is None:
            # Naive values are taken to be UTC already.
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""


class ConfigRow(Base):
    """One row of the ``configs`` table.

    ``settings`` is plain TEXT holding JSON, not a JSON column type: the store
    parses each row itself so that one damaged value is reported on that row
    instead of failing the whole query.
    """

    __tablename__ = "configs"
    __table_args__ = (
        # The list's order and its keyset paging (``WHERE (name_key, id) >
        # (?, ?)``): a page is an index range scan, never a sort of all rows.
        Index("ix_configs_list", "integration_id", "name_key", "id"),
    )

    #: Database id, assigned on insert.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)

    #: The integration's id; configs outlive the plugin that defines them.
    integration_id: Mapped[str] = mapped_column(String(255), index=True)

    #: Human-readable name shown in lists.
    name: Mapped[str] = mapped_column(String(255))

    #: ``name.casefold()``, kept in sync by the store on every write. Stored
    #: and indexed so ordering, paging and searching by name run in SQL
    #: instead of calling a Python function for every row.
    name_key: Mapped[str] = mapped_column(String(255))

    #: Whether events are delivered to this configuration.
    enabled: Mapped[bool] = mapped_column(Boolean, index=True)

    #: JSON text of the integration-specific settings.
    settings: Mapped[str] = mapped_column(Text)

    #: When the configuration was first saved (UTC).
    time_added: Mapped[datetime] = mapped_column(UTCDateTime)

    #: When the configuration was last saved (UTC).
    last_updated: Mapped[datetime] = mapped_column(UTCDateTime)

    #: Increases on every save; the basis of optimistic concurrency.
    revision: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")


class ConfigCountRow(Base):
    """How many configs (and enabled ones) an integration has.

    Kept exact by triggers on ``configs`` (migration ``0004``), so the
    window reads counts without scanning 100,000 rows. Integrations without
    configs have no row.
    """

    __tablename__ = "config_counts"

    #: The integration's id.
    integration_id: Mapped[str] = mapped_column(String(255), primary_key=True)

    #: Its configs.
    total: Mapped[int] = mapped_column(Integer, nullable=False)

    #: Its enabled configs.
    enabled: Mapped[int] = mapped_column(Integer, nullable=False)


class DeliveryRow(Base):
    """One signal handled for one configuration (migration ``0006``).

    Bounded per configuration: the store prunes the oldest rows as it adds
    new ones. Times are seconds since the epoch, which sort and compare
    without parsing.
    """

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_config", "config_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    config_id: Mapped[int] = mapped_column(Integer, nullable=False)
    integration_id: Mapped[str] = mapped_column(String(255), nullable=False)
    config_name: Mapped[str] = mapped_column(String(255), nullable=False)
    signal: Mapped[str] = mapped_column(String(255), nullable=False)
    time: Mapped[float] = mapped_column(Float, nullable=False)
    duration: Mapped[float] = mapped_column(Float, nullable=False)
    #: ``ok``, ``failed``, ``skipped`` or ``timed_out``.
    outcome: Mapped[str] = mapped_column(String(16), nullable=False)
    #: The plain message ("HTTP 200", "Couldn't reach …").
    message: Mapped[str] = mapped_column(Text, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False)
    #: The payload as JSON, secrets scrubbed, shortened when large.
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    #: The traceback or other technical text.
    details: Mapped[str] = mapped_column(Text, nullable=False)
    #: How many identical successful deliveries the row stands for
    #: (migration ``0007``).
    repeats: Mapped[int] = mapped_column(
        Integer, nullable=False, server_default=text("1")
    )
    #: When the latest of them ran; ``None`` for a single delivery.
    last_time: Mapped[float | None] = mapped_column(Float, nullable=True)


class DeliveryStatusRow(Base):
    """A configuration's last outcome and lifetime counts (migration ``0006``)."""

    __tablename__ = "delivery_status"

    config_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_outcome: Mapped[str] = mapped_column(String(16), nullable=False)
    last_time: Mapped[float] = mapped_column(Float, nullable=False)
    last_message: Mapped[str] = mapped_column(Text, nullable=False)
    ok_count: Mapped[int] = mapped_column(Integer, nullable=False)
    failed_count: Mapped[int] = mapped_column(Integer, nullable=False)


class ChangeCounterRow(Base):
    """Counters bumped by triggers, so a watcher can tell what another
    process changed (migration ``0006``)."""

    __tablename__ = "change_counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False)
