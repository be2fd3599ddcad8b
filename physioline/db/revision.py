"""The schema revision this PhysioLine expects, readable without importing Alembic.

Start-up checks the database's revision with one plain query and loads Alembic only when an
upgrade is actually needed; a test keeps these constants equal to the migration scripts.
"""

from __future__ import annotations

import sqlalchemy as sa

#: The head of physioline/db/migrations/versions (checked by tests/integration/db).
HEAD_REVISION = "0004"
#: Every revision the shipped scripts know, oldest first.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")


def read_revision(conn: sa.Connection) -> str | None:
    """The revision stamped in the database, or None when it has no schema yet."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
