"""What the headless subcommands share: opening the database and acting as a user."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from physioline.clock import SystemClock
from physioline.errors import DatabaseUnavailable, NotPermitted

if TYPE_CHECKING:
    from physioline.db.engine import Database


def add_database_options(parser: argparse.ArgumentParser, *, subcommand: bool = False) -> None:
    """Add ``--database URL`` and ``--demo`` (shared by the app and the subcommands).

    On a subcommand they default to "not given", so ``physioline --demo worklist`` and
    ``physioline worklist --demo`` mean the same; a subcommand also takes ``--as``.
    """
    extra: dict[str, Any] = {"default": argparse.SUPPRESS} if subcommand else {}
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL: sqlite:///path/file.db or postgresql+psycopg://USER@HOST/DB "
        "(default: the embedded database in your user data folder)",
        **extra,
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the demo database (created with demo data on first use)",
        **extra,
    )
    parser.add_argument(
        "--accept-unencrypted",
        action="store_true",
        help="connect to a PostgreSQL server on another host even without TLS (sslmode); "
        "an administrator's decision",
        **extra,
    )
    if subcommand:
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="act as this demo user (demo database only)",
            default=argparse.SUPPRESS,
        )


def open_for_command(args: argparse.Namespace, *, may_upgrade_embedded: bool = True) -> Database:
    """Open the database the command names (``--demo``, ``--database`` or the desk's setting)."""
    from physioline.services import startup
    from physioline.settings import load_settings

    if args.demo:
        db, _choice = startup.open_demo(SystemClock(), reset=False)
        return db
    choice = startup.choose_database(args.database, demo=False,
                                     configured=load_settings().database_url)  # fmt: skip
    check_transport(choice.url, accepted=getattr(args, "accept_unencrypted", False))
    db = startup.connect(choice, ask_password=_ask_password if sys.stdin.isatty() else None)
    if may_upgrade_embedded:
        startup.prepare_schema(db, choice)
    return db


def check_transport(url: Any, *, accepted: bool) -> None:
    """Refuse a remote PostgreSQL without TLS unless accepted; warn on stderr when accepted.

    Raises:
        NotPermitted: the connection may be unencrypted and ``--accept-unencrypted`` was not given.
    """
    from physioline.services.transport import unencrypted_remote

    warning = unencrypted_remote(url)
    if warning is None:
        return
    if not accepted:
        raise NotPermitted(warning.message, f"{warning.hint} (--accept-unencrypted)")
    print(f"physioline: warning: {warning.message}", file=sys.stderr)


def _ask_password(username: str, reason: str) -> str | None:
    print(reason, file=sys.stderr)
    return getpass.getpass(f"Password for {username}: ") or None


@contextmanager
def command_desk(args: argparse.Namespace) -> Iterator[Any]:
    """A desk acting for the person running the command (:func:`desk_for_command`), its
    database connections closed when the command is done with it."""
    desk = desk_for_command(args)
    try:
        yield desk
    finally:
        desk.db.dispose()


def desk_for_command(args: argparse.Namespace) -> Any:
    """A desk acting for the person running the command.

    On the demo database ``--as USERNAME`` acts as that demo user with no password. On any
    other database the person signs in with their own user name (``--as`` or asked) and
    password (typed at the terminal, never on the command line): argon2id on the embedded
    database, their own login role on PostgreSQL.

    Raises:
        NotPermitted: nobody named, no terminal to type the password on, or a wrong password.
    """
    from physioline.services import identity, service_rules, startup
    from physioline.services.desk import Desk
    from physioline.settings import load_settings

    clock = SystemClock()
    username = getattr(args, "as_user", None)
    if args.demo:
        db, _choice = startup.open_demo(clock, reset=False)
        if not username:
            db.dispose()
            raise NotPermitted(
                "This command acts for a person and needs to know who.",
                "On the demo database add --as USERNAME (for example --demo --as priya).",
            )
        return Desk(db=db, clock=clock, actor=startup.sign_in_demo_user(db, username))
    choice = startup.choose_database(args.database, demo=False,
                                     configured=load_settings().database_url)  # fmt: skip
    check_transport(choice.url, accepted=getattr(args, "accept_unencrypted", False))
    if choice.embedded:
        db = startup.connect(choice)
        startup.prepare_schema(db, choice)
        with db.sessions() as session:
            demo = service_rules.is_demo_database(session)
        if demo and username:
            return Desk(db=db, clock=clock, actor=startup.sign_in_demo_user(db, username))
    demo_db: Database | None = None
    if not choice.embedded and username:
        # A shared database marked as demo (tests, training): --as needs no password there.
        try:
            demo_db = startup.connect(choice)
        except DatabaseUnavailable:  # it wants a password: the personal sign-in below asks
            demo_db = None
    if not choice.embedded and username and demo_db is not None:
        try:
            startup.prepare_schema(demo_db, choice)
            with demo_db.sessions() as session:
                demo = service_rules.is_demo_database(session)
        except BaseException:
            demo_db.dispose()
            raise
        if demo:
            return Desk(db=demo_db, clock=clock, actor=startup.sign_in_demo_user(demo_db, username))
        demo_db.dispose()
    if not sys.stdin.isatty():
        raise NotPermitted(
            "This command acts for a person and needs their password, typed at a terminal.",
            "Run it in a terminal, or on the demo database with --demo --as USERNAME.",
        )
    username = username or input("User name: ").strip()
    password = getpass.getpass(f"Password for {username}: ")
    if choice.embedded:
        return Desk(db=db, clock=clock, actor=identity.sign_in(db, clock, username, password))
    shared_db, actor = startup.sign_in_shared(choice, username, password)
    return Desk(db=shared_db, clock=clock, actor=actor)
