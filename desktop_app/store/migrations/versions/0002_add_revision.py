"""Add the revision counter for optimistic concurrency.

Existing rows get revision 0: a copy loaded before the upgrade carries 0 too,
so it still saves cleanly.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("configs") as batch:
        batch.add_column(
            sa.Column("revision", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("configs") as batch:
        batch.drop_column("revision")
