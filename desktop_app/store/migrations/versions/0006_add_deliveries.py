"""Store every configuration's deliveries, its status, and a change counter.

``deliveries`` holds one row per signal handled for one configuration
(bounded per configuration by the store's writer, which prunes the oldest).
``delivery_status`` holds one row per configuration that has run: the last
outcome and lifetime ok/failed counts, so the configurations list reads a
status without scanning the history.

``change_counters`` lets the change watcher tell a configuration change made
by another process from a delivery it recorded: ``PRAGMA data_version`` moves
for both. Triggers on ``configs`` bump the ``configs`` counter in the same
transaction as the change, whichever process or store version writes. The
same triggers drop the deliveries of a deleted configuration, whose id
SQLite may give to the next new one.

A later migration that rebuilds ``configs`` (Alembic's batch mode) drops
these triggers with the old table and must create them again
(``create_triggers()``).

Revision ID: 0006
Revises: 0004 (re-chained after 0005 when merged)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BUMP = "UPDATE change_counters SET value = value + 1 WHERE name = 'configs';"
_FORGET = (
    "DELETE FROM deliveries WHERE config_id = OLD.id; "
    "DELETE FROM delivery_status WHERE config_id = OLD.id;"
)

TRIGGERS = {
    "configs_change_insert": f"AFTER INSERT ON configs BEGIN {_BUMP} END",
    "configs_change_update": f"AFTER UPDATE ON configs BEGIN {_BUMP} END",
    "configs_change_delete": f"AFTER DELETE ON configs BEGIN {_BUMP} {_FORGET} END",
}


def create_triggers() -> None:
    """Create the triggers on ``configs`` this migration adds."""
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("config_id", sa.Integer(), nullable=False),
        sa.Column("integration_id", sa.String(length=255), nullable=False),
        sa.Column("config_name", sa.String(length=255), nullable=False),
        sa.Column("signal", sa.String(length=255), nullable=False),
        sa.Column("time", sa.Float(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
    )
    op.create_index("ix_deliveries_config", "deliveries", ["config_id", "id"])
    op.create_table(
        "delivery_status",
        sa.Column("config_id", sa.Integer(), primary_key=True),
        sa.Column("last_outcome", sa.String(length=16), nullable=False),
        sa.Column("last_time", sa.Float(), nullable=False),
        sa.Column("last_message", sa.Text(), nullable=False),
        sa.Column("ok_count", sa.Integer(), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "change_counters",
        sa.Column("name", sa.String(length=32), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.execute("INSERT INTO change_counters (name, value) VALUES ('configs', 0)")
    create_triggers()


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("change_counters")
    op.drop_table("delivery_status")
    op.drop_index("ix_deliveries_config", table_name="deliveries")
    op.drop_table("deliveries")
