"""Create the configs table.

Revision ID: 0001
Revises:
Create Date: 2026-05-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "configs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("integration_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        # JSON as TEXT: parsed per row so one damaged value stays local.
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("time_added", sa.DateTime(), nullable=False),
        sa.Column("last_updated", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_configs_integration_id", "configs", ["integration_id"])
    op.create_index("ix_configs_enabled", "configs", ["enabled"])


def downgrade() -> None:
    op.drop_index("ix_configs_enabled", table_name="configs")
    op.drop_index("ix_configs_integration_id", table_name="configs")
    op.drop_table("configs")
