"""Keep per-integration config counts in a table, exact by triggers.

The window shows every integration's count (total, enabled) when it opens,
and the config list needs its integration's total when one is selected.
Both were ``count(*)``/``GROUP BY`` scans of ``configs``, which froze the
window longer the more configs there were. ``config_counts`` holds
one row per integration that has configs; triggers on ``configs`` update it
in the same transaction as the change, so it is exact whichever process
(or version of the store code) writes, and a rolled-back write rolls its
count back too.

A later migration that rebuilds ``configs`` (Alembic's batch mode copies
the table) drops these triggers with the old table: it must create them
again (``create_triggers()``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-05-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ENABLED = "CASE WHEN {row}.enabled THEN 1 ELSE 0 END"

# Add one row (NEW) to its integration's counts, creating the counts row.
_ADD = (
    "INSERT INTO config_counts (integration_id, total, enabled) "
    "VALUES (NEW.integration_id, 1, {enabled}) "
    "ON CONFLICT (integration_id) DO UPDATE SET total = total + 1, "
    "enabled = enabled + excluded.enabled;"
).format(enabled=_ENABLED.format(row="NEW"))

# Take one row (OLD) off; an integration without configs has no counts row.
_REMOVE = (
    "UPDATE config_counts SET total = total - 1, enabled = enabled - {enabled} "
    "WHERE integration_id = OLD.integration_id; "
    "DELETE FROM config_counts "
    "WHERE integration_id = OLD.integration_id AND total <= 0;"
).format(enabled=_ENABLED.format(row="OLD"))

TRIGGERS = {
    "configs_count_insert": f"AFTER INSERT ON configs BEGIN {_ADD} END",
    "configs_count_delete": f"AFTER DELETE ON configs BEGIN {_REMOVE} END",
    # Only a change of integration or enabled state moves a count.
    "configs_count_update": (
        "AFTER UPDATE OF integration_id, enabled ON configs "
        "WHEN OLD.integration_id IS NOT NEW.integration_id "
        "OR OLD.enabled IS NOT NEW.enabled "
        f"BEGIN {_REMOVE} {_ADD} END"
    ),
}


def create_triggers() -> None:
    """Create the triggers that keep ``config_counts`` exact."""
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def upgrade() -> None:
    op.create_table(
        "config_counts",
        sa.Column("integration_id", sa.String(length=255), primary_key=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Integer(), nullable=False),
    )
    # Backfill and triggers in the same (migration) transaction, which
    # holds the write lock: no write can slip in between.
    op.execute(
        "INSERT INTO config_counts (integration_id, total, enabled) "
        "SELECT integration_id, count(*), "
        "sum(CASE WHEN enabled THEN 1 ELSE 0 END) "
        "FROM configs GROUP BY integration_id"
    )
    create_triggers()


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("config_counts")
