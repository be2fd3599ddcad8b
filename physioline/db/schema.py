"""Schema migrations (Alembic, inside the package): upgrade, check and refuse what cannot be opened.

The embedded SQLite database is upgraded at start after a backup copy; a shared PostgreSQL
database is only upgraded by its schema owner with ``physioline db upgrade``. A database whose
revision these scripts do not know was made by a newer PhysioLine and is always refused.
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from physioline.clock import SystemClock
from physioline.db.engine import Database, explain_connect_error, sqlite_copy
from physioline.errors import DatabaseUnavailable, SchemaTooNew, SchemaTooOld

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic configuration built in code: no alembic.ini is needed at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The one head revision of the shipped migration scripts.

    Raises:
        RuntimeError: the scripts have several heads (a packaging defect).
    """
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migration scripts must have exactly one head, found {heads}")
    return heads[0]


def known_revisions() -> set[str]:
    """Every revision the shipped scripts know."""
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(db: Database) -> str | None:
    """The database's revision, or None for an empty database.

    Raises:
        DatabaseUnavailable: the database cannot be reached or read.
    """
    try:
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except sa.exc.DBAPIError as exc:
        raise explain_connect_error(db.url, exc) from exc


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default head) in one transaction per step."""
    refuse_newer(db)
    try:
        with db.engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
    except sa.exc.OperationalError as exc:
        raise explain_connect_error(db.url, exc) from exc
    log.info("database upgraded to %s", revision)


def downgrade(db: Database, revision: str) -> None:
    """Take the database back to ``revision`` (``base`` empties it); for tests and rollbacks."""
    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


def refuse_newer(db: Database) -> None:
    """Refuse a database created by a newer PhysioLine.

    Raises:
        SchemaTooNew: its revision is unknown to these migration scripts.
    """
    current = current_revision(db)
    if current is not None and current not in known_revisions():
        raise SchemaTooNew(
            f"This database ({db.describe()}) was created by a newer version of PhysioLine "
            f"(schema {current}).",
            "Install that version of PhysioLine to open it; nothing was changed.",
        )


def ensure_current(db: Database, *, may_upgrade: bool) -> bool:
    """Make sure the schema is at head before the app uses it; return True if it upgraded.

    An embedded SQLite file that is empty or older is upgraded (a non-empty one after a backup
    copy beside it). A shared database is never upgraded here: desktop users hold no right to
    change the schema, so an older one is refused with the command its owner must run.

    Raises:
        SchemaTooNew: made by a newer PhysioLine.
        SchemaTooOld: older, and ``may_upgrade`` is False.
    """
    refuse_newer(db)
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return False
    if not may_upgrade:
        raise SchemaTooOld(
            f"The database {db.describe()} is at schema {current or 'empty'}; "
            f"this PhysioLine needs {head}.",
            "Ask the schema owner to run: physioline db upgrade --database <URL>",
        )
    if db.is_sqlite and (current is not None or sa.inspect(db.engine).get_table_names()):
        backup_sqlite(db)
    upgrade(db)
    return True


def backup_sqlite(db: Database) -> Path:
    """Copy the SQLite file (a consistent snapshot, WAL included) to ``<file>.<time>.bak``."""
    path = Path(db.url.database or "")
    stamp = SystemClock().now().strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    sqlite_copy(db, target)
    log.info("backed up SQLite database before upgrade to %s", target.name)
    return target


__all__ = [
    "DatabaseUnavailable",
    "alembic_config",
    "current_revision",
    "downgrade",
    "ensure_current",
    "head_revision",
    "upgrade",
]
