"""Add the stored casefolded name and the index the config list pages by.

Ordering by ``casefold(name)`` called a Python function for every row and
sorted the whole integration for each page; at 100,000 configs every page
of the list stalled the window. ``name_key`` holds ``name.casefold()``
(backfilled here with the ``casefold`` SQL function the store registers on
each connection) and ``ix_configs_list`` lets a page be one index range
scan.

Revision ID: 0003
Revises: 0002
Create Date: 2026-05-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable first (a plain ADD COLUMN), filled, then made NOT NULL, so
    # no row ever holds a made-up key.
    with op.batch_alter_table("configs") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=255), nullable=True))
    op.execute("UPDATE configs SET name_key = casefold(name)")
    with op.batch_alter_table("configs") as batch:
        batch.alter_column(
            "name_key", existing_type=sa.String(length=255), nullable=False
        )
    op.create_index("ix_configs_list", "configs", ["integration_id", "name_key", "id"])


def downgrade() -> None:
    op.drop_index("ix_configs_list", table_name="configs")
    with op.batch_alter_table("configs") as batch:
        batch.drop_column("name_key")
