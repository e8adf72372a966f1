"""Alembic environment of the configuration store.

At runtime the store runs Alembic itself and hands over its own open
connection (``config.attributes['connection']``), already inside a write
transaction, so the upgrade uses the same connection settings and commits
atomically. From the command line (``alembic -x url=sqlite:///path``), a
connection is opened from the URL instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from desktop_app.store._models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite can only ALTER a little; batch mode rebuilds tables instead.
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the store's connection, or on the given URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return

    from pathlib import Path

    from desktop_app.store._migrate import migration_engine

    url = context.get_x_argument(as_dictionary=True).get(
        "url", context.config.get_main_option("sqlalchemy.url")
    )
    if not url or not url.startswith("sqlite:///"):
        raise SystemExit("Pass the database with -x url=sqlite:///PATH")
    engine = migration_engine(Path(url.removeprefix("sqlite:///")))
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("The configuration store has no offline (SQL script) mode")
run_migrations_online()
