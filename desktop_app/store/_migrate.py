"""Bringing a database file to the current schema, paying for Alembic only
when there is something to do.

Importing Alembic (and SQLAlchemy) costs more than opening the main window,
and almost every start finds the schema already current. So the stored
version is read with one cheap query on a plain ``sqlite3`` connection and
compared to :py:data:`SCHEMA_REVISION`; SQLAlchemy and Alembic are imported
only when they differ.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.errors import DatabaseDamagedError, SchemaTooNewError, StoreError
from desktop_app.store import backup
from desktop_app.store._sqlite import configure_connection

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine

__all__ = [
    "KNOWN_REVISIONS",
    "MIGRATIONS_PATH",
    "SCHEMA_REVISION",
    "migration_engine",
    "read_schema_revision",
    "read_writer_version",
    "record_writer_version",
    "upgrade",
]

logger = logging.getLogger(__name__)

#: The head revision of the shipped migrations. A test checks it against
#: Alembic's own idea of the head, so adding a migration means bumping this.
SCHEMA_REVISION = "0007"

#: The folder holding ``env.py`` and ``versions/``.
MIGRATIONS_PATH = Path(__file__).with_name("migrations")

#: Every revision this version of the app knows, oldest first. Read from the
#: file names (``0001_create_configs.py``) so that spotting a file from a
#: newer app costs no Alembic import; a test checks it against Alembic.
KNOWN_REVISIONS: tuple[str, ...] = tuple(
    sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_PATH / "versions").glob("*.py"))
)


def read_schema_revision(conn: sqlite3.Connection) -> str | None:
    """Return the revision stored in ``alembic_version``, or ``None``.

    Args:
        conn (sqlite3.Connection): An open connection.
    """
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).fetchall()
    if not has_table:
        return None
    rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return rows[0][0] if rows else None


def ensure_current(
    conn: sqlite3.Connection,
    path: Path,
    before_upgrade: Callable[[str], None] | None = None,
) -> None:
    """Upgrade the database to :py:data:`SCHEMA_REVISION` when it is not there.

    Args:
        conn (sqlite3.Connection): A connection to read the version on.
        path (pathlib.Path): The database file.
        before_upgrade (callable, optional): Called with the old revision
            just before an existing database (one that has a revision) is
            migrated; the store makes its backup there, so a migration that
            goes wrong never costs the user their configurations.

    Raises:
        desktop_app.errors.SchemaTooNewError: The file was written by a newer
            version of the app; it is left untouched.
        desktop_app.errors.DatabaseDamagedError: The file turned out to be
            damaged while migrating.
        desktop_app.errors.StoreError: The migration failed.
    """
    current = read_schema_revision(conn)
    if current == SCHEMA_REVISION:
        return
    if current is not None and current not in KNOWN_REVISIONS:
        raise SchemaTooNewError(path, current, read_writer_version(conn))
    if current is not None and before_upgrade is not None:
        before_upgrade(current)
    engine = migration_engine(path)
    try:
        upgrade(engine, SCHEMA_REVISION)
    finally:
        engine.dispose()
    record_writer_version(conn)


def _version_number(version: str) -> int:
    """``"1.2.3"`` as ``1_002_003``: what fits SQLite's 32-bit
    ``user_version`` (anything after the third number is dropped)."""
    parts = []
    for part in version.split(".")[:3]:
        if not part.isdigit():
            break
        parts.append(min(int(part), 999))
    parts += [0] * (3 - len(parts))
    return parts[0] * 1_000_000 + parts[1] * 1_000 + parts[2]


def record_writer_version(conn: sqlite3.Connection) -> None:
    """Record the app's version in ``PRAGMA user_version`` when this version
    created or migrated the schema.

    So that an older app that meets the file can name the version it needs
    (:py:class:`~desktop_app.errors.SchemaTooNewError`) instead of a bare
    schema revision. A header field, not a table: reading it needs no
    schema knowledge, and writing it is part of no migration.
    """
    from desktop_app import __version__

    conn.execute(f"PRAGMA user_version={_version_number(__version__)}")


def read_writer_version(conn: sqlite3.Connection) -> str | None:
    """Return the app version :py:func:`record_writer_version` stored, or
    ``None`` when the file records none."""
    number = int(conn.execute("PRAGMA user_version").fetchall()[0][0])
    if number <= 0:
        return None
    return f"{number // 1_000_000}.{number // 1_000 % 1_000}.{number % 1_000}"


def migration_engine(path: Path) -> Engine:
    """Create a SQLAlchemy engine on ``path`` for Alembic (imports
    SQLAlchemy).

    Its connections get the store's settings, and its transactions begin
    with ``BEGIN IMMEDIATE``, so that two processes opening an old file at
    once migrate it exactly once: the second waits, then finds nothing to do.
    """
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        configure_connection(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(engine: Engine, target: str = "head") -> None:
    """Run Alembic's upgrade to ``target`` in one write transaction.

    Args:
        engine (sqlalchemy.engine.Engine): From :py:func:`migration_engine`.
        target (str): The revision to reach; tests and fixtures stop early.

    Raises:
        desktop_app.errors.StoreError: The migration failed.
    """
    from alembic import command
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import DBAPIError

    config = make_alembic_config()
    try:
        with engine.begin() as conn:
            driver_connection = conn.connection.driver_connection
            assert isinstance(driver_connection, sqlite3.Connection)
            logger.info(
                "Upgrading %s from schema %s to %s",
                engine.url.database,
                read_schema_revision(driver_connection),
                target,
            )
            config.attributes["connection"] = conn
            command.upgrade(config, target)
    except CommandError as e:
        raise StoreError(
            f"Cannot bring the database {engine.url.database} to schema "
            f"{target}: {e}. Was it written by a newer version of the app?"
        ) from e
    except DBAPIError as e:
        # Statement parameters stay out of the message: only SQLite's own.
        orig = e.orig
        if isinstance(orig, sqlite3.DatabaseError) and backup.is_damage_error(orig):
            path = Path(str(engine.url.database))
            raise DatabaseDamagedError(path, backup.describe_damage(orig)) from e
        raise StoreError(
            f"Cannot bring the database {engine.url.database} to schema "
            f"{target}: {orig}"
        ) from e


def make_alembic_config() -> Config:
    """Return an Alembic ``Config`` for the shipped migrations (no ini file).

    Returns:
        alembic.config.Config: The configuration; imports Alembic.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_PATH))
    return config
