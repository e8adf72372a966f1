"""The configuration store: integration configurations in a SQLite file.

Qt-free and form-free: it stores and returns frozen :py:class:`ConfigRecord`
values. SQLAlchemy and Alembic are only imported when the file's schema is
not current. Start the app through
:py:func:`open_store`, which survives a damaged file and keeps backups.
"""

from __future__ import annotations

from desktop_app.store._migrate import SCHEMA_REVISION
from desktop_app.store._records import (
    ConfigRecord,
    Delivery,
    DeliveryStatus,
    InsertedBatch,
)
from desktop_app.store._store import ConfigStore
from desktop_app.store.backup import list_backups, make_backup
from desktop_app.store.recovery import RecoveryReport, open_store

__all__ = [
    "SCHEMA_REVISION",
    "ConfigRecord",
    "ConfigStore",
    "Delivery",
    "DeliveryStatus",
    "InsertedBatch",
    "RecoveryReport",
    "list_backups",
    "make_backup",
    "open_store",
]
