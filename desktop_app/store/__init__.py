"""The configuration store: integration configurations in a SQLite file.

Qt-free and form-free: it stores and returns plain
:py:class:`~desktop_app.config.IntegrationConfig` objects. Alembic is only
imported when the file's schema is not current.
"""

from __future__ import annotations

from desktop_app.store._migrate import SCHEMA_REVISION
from desktop_app.store._store import ConfigStore

__all__ = ["SCHEMA_REVISION", "ConfigStore"]
