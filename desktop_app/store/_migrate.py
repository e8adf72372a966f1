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
from typing import TYPE_CHECKING

from desktop_app.errors import SchemaTooNewError, StoreError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine

__all__ = [
    "KNOWN_REVISIONS",
    "MIGRATIONS_PATH",
    "SCHEMA_REVISION",
    "read_schema_revision",
    "upgrade",
]

logger = logging.getLogger(__name__)

#: The head revision of the shipped migrations. A test checks it against
#: Alembic's own idea of the head, so adding a migration means bumping this.
SCHEMA_REVISION = "0004"

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
    make_engine: Callable[[], Engine],
    before_upgrade: Callable[[str], None] | None = None,
) -> None:
    """Upgrade the database to :py:data:`SCHEMA_REVISION` when it is not there.

    Args:
        conn (sqlite3.Connection): A connection to read the version on.
        path (pathlib.Path): The database file, for messages.
        make_engine (callable): Returns the SQLAlchemy engine to migrate
            with; only called (and SQLAlchemy only imported) when the
            schema is not current.
        before_upgrade (callable, optional): Called with the old revision
            just before an existing database (one that has a revision) is
            migrated; the store makes its backup there, so a migration that
            goes wrong never costs the user their configurations.

    Raises:
        desktop_app.errors.SchemaTooNewError: The file was written by a newer
            version of the app; it is left untouched.
        desktop_app.errors.StoreError: The migration failed.
    """
    current = read_schema_revision(conn)
    if current == SCHEMA_REVISION:
        return
    if current is not None and current not in KNOWN_REVISIONS:
        raise SchemaTooNewError(path, current)
    if current is not None and before_upgrade is not None:
        before_upgrade(current)
    upgrade(make_engine(), SCHEMA_REVISION)


def upgrade(engine: Engine, target: str = "head") -> None:
    """Run Alembic's upgrade to ``target`` in one write transaction.

    The write lock is taken before Alembic reads the version, so two
    processes opening an old file at once migrate it exactly once: the second
    waits, then finds nothing to do.

    Args:
        engine (sqlalchemy.engine.Engine): The store's engine.
        target (str): The revision to reach; tests and fixtures stop early.

    Raises:
        desktop_app.errors.StoreError: The migration failed.
    """
    from alembic import command
    from alembic.util.exc import CommandError

    from desktop_app.store._engine import WRITE_OPTION

    config = make_alembic_config()
    try:
        with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
            logger.info(
                "Upgrading %s from schema %s to %s",
                engine.url.database,
                read_schema_revision(conn.connection.driver_connection),
                target,
            )
            config.attributes["connection"] = conn
            command.upgrade(config, target)
    except CommandError as e:
        raise StoreError(
            f"Cannot bring the database {engine.url.database} to schema "
            f"{target}: {e}. Was it written by a newer version of the app?"
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
