"""Let one delivery row stand for a run of identical successful ones.

A djblets-style handler loops over every configuration on every event, and
each configuration it reaches gets a delivery. Stored one row each, a busy
signal wrote a row per configuration per event and the writer competed with
the event path for the interpreter. Successes with nothing to say (no
message, first attempt) in a row for one configuration and one signal are
now one row: ``repeats`` counts them and ``last_time`` is when the latest
one ran (``NULL``: the row is one delivery, at ``time``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", recreate="never") as batch:
        batch.add_column(
            sa.Column("repeats", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(sa.Column("last_time", sa.Float(), nullable=True))


def downgrade() -> None:
    # SQLite drops a column in place (3.35+); the table is not rebuilt, so
    # the triggers on ``configs`` are untouched.
    op.execute("ALTER TABLE deliveries DROP COLUMN last_time")
    op.execute("ALTER TABLE deliveries DROP COLUMN repeats")
