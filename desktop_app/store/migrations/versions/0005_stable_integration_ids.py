"""Rewrite folder plugins' integration ids to the location-free scheme.

Folder plugins used to be imported as ``desktop_app_plugins.s<hash>.<name>``,
the hash taken from the plugins folder's absolute path, and a default
``integration_id`` is ``"<module>.<ClassName>"``. So every configuration of
a drop-in plugin carried the folder's path in its id: a data folder moved or
copied elsewhere found none of its configurations attached. Plugins are now
imported under their own name, as djblets does, and the id of a class that
does not set one is ``"<name>.<ClassName>"``.

The old id is the new one behind the generated prefix, which is fixed by
its formula (``desktop_app_plugins.s`` and ten hex digits), so the rewrite
needs nothing but the stored id. Ids set by hand never had that prefix and
are left alone. ``config_counts`` follows through its update trigger.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: The generated prefix of the old scheme (see the module docstring).
_OLD_PREFIX = re.compile(r"desktop_app_plugins\.s[0-9a-f]{10}\.(?P<rest>.+)\Z")


def new_id(old: str) -> str | None:
    """Return the location-free id for an id of the old scheme, else None."""
    match = _OLD_PREFIX.match(old)
    return match.group("rest") if match else None


def upgrade() -> None:
    conn = op.get_bind()
    ids = conn.execute(
        sa.text(
            "SELECT DISTINCT integration_id FROM configs "
            "WHERE integration_id LIKE 'desktop_app_plugins.s%'"
        )
    ).scalars()
    rename = sa.text(
        "UPDATE configs SET integration_id = :new WHERE integration_id = :old"
    )
    for old in list(ids):
        new = new_id(old)
        if new is not None:
            conn.execute(rename, {"new": new, "old": old})


def downgrade() -> None:
    # The old ids held the absolute path of a folder that may no longer
    # exist: there is nothing to go back to. Ids of the new form work with
    # the old code as hand-set ids would (configurations show as orphaned
    # until the plugin sets integration_id to them).
    pass
