"""`physioline db …`: the schema owner's commands (upgrade, current revision)."""

from __future__ import annotations

import argparse
from typing import Any

from physioline.commands.common import add_database_options


def register(sub: Any) -> None:
    """Add the ``db`` subcommands."""
    db = sub.add_parser("db", help="database schema: upgrade, show revision")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)

    up = db_sub.add_parser(
        "upgrade", help="bring the database schema to this version (schema owner)"
    )
    add_database_options(up, subcommand=True)
    up.set_defaults(handler=_upgrade)

    current = db_sub.add_parser("current", help="print the database's schema revision")
    add_database_options(current, subcommand=True)
    current.set_defaults(handler=_current)


def _upgrade(args: argparse.Namespace) -> int:
    from physioline.commands.common import open_for_command
    from physioline.db import schema

    db = open_for_command(args, may_upgrade_embedded=False)
    try:
        before = schema.current_revision(db)
        if db.is_sqlite and before is not None and before != schema.head_revision():
            schema.refuse_newer(db)
            schema.backup_sqlite(db)
        schema.upgrade(db)
        after = schema.current_revision(db)
    finally:
        db.dispose()
    if before == after:
        print(f"{db.describe()}: already at schema {after}.")
    else:
        print(f"{db.describe()}: upgraded from {before or 'empty'} to {after}.")
    return 0


def _current(args: argparse.Namespace) -> int:
    from physioline.commands.common import open_for_command
    from physioline.db import schema

    db = open_for_command(args, may_upgrade_embedded=False)
    try:
        current = schema.current_revision(db)
    finally:
        db.dispose()
    head = schema.head_revision()
    state = "current" if current == head else f"this PhysioLine expects {head}"
    print(f"{db.describe()}: schema {current or 'empty'} ({state}).")
    return 0
