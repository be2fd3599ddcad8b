"""`physioline admin`: IT creates, disables, resets and re-roles user accounts.

Who runs it: on PostgreSQL, a system administrator connecting as their own login
(``--database postgresql+psycopg://alex@host/physioline``; the password comes from the keyring
or is asked for). On the embedded database, a system administrator signs in with ``--as NAME``
(their password is asked for on the terminal, checked and audited like any sign-in); on the
demo database ``--demo --as alex`` needs no password. A new password is typed twice at a
prompt, or read as one line from standard input with ``--password-stdin``: never on the
command line, never in the log.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from physioline.commands.common import add_database_options


def register(sub: Any) -> None:
    """Add the ``admin`` subcommands."""
    admin = sub.add_parser("admin", help="user accounts (system administrators only)")
    admin_sub = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)

    create = admin_sub.add_parser("create-user", help="create a person's account and login")
    create.add_argument("username", help="the person's user name (their database login)")
    create.add_argument("--name", required=True, help="the person's name as shown and printed")
    create.add_argument(
        "--role", required=True, choices=["physio", "team_lead", "admin_staff", "system_admin"]
    )
    create.add_argument("--profession", default="", help="e.g. 'Physiotherapist (band 6)'")
    create.add_argument("--registration", default=None, help="HCPC registration number")
    _password_option(create)
    create.set_defaults(handler=_create)

    disable = admin_sub.add_parser("disable-user", help="stop a person signing in")
    disable.add_argument("username")
    disable.set_defaults(handler=_disable)

    reset = admin_sub.add_parser("reset-password", help="give a person a new password")
    reset.add_argument("username")
    _password_option(reset)
    reset.set_defaults(handler=_reset)

    role = admin_sub.add_parser("set-role", help="change a person's role")
    role.add_argument("username")
    role.add_argument("role", choices=["physio", "team_lead", "admin_staff", "system_admin"])
    role.set_defaults(handler=_set_role)

    for parser in (create, disable, reset, role):
        add_database_options(parser, subcommand=True)


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the new password as one line from standard input instead of a prompt",
    )


def _new_password(args: argparse.Namespace, username: str) -> str:
    from physioline.errors import InvalidInput

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        if not sys.stdin.isatty():
            raise InvalidInput(
                "No terminal to type the new password on.",
                "Add --password-stdin and pipe the password in.",
            )
        password = getpass.getpass(f"New password for {username}: ")
        if getpass.getpass("Type it again: ") != password:
            raise InvalidInput("The two passwords differ; nothing was changed.")
    if not password:
        raise InvalidInput("No password was given; nothing was changed.")
    return password


def _admin_desk(args: argparse.Namespace) -> Any:
    """The signed-in system administrator's desk (see the module docstring for who)."""
    import sqlalchemy as sa

    from physioline.clock import SystemClock
    from physioline.commands.common import open_for_command
    from physioline.db.models import User
    from physioline.db.uow import Actor
    from physioline.errors import NotPermitted
    from physioline.services import identity, service_rules, startup
    from physioline.services.desk import Desk

    clock = SystemClock()
    db = open_for_command(args)
    try:
        as_user = getattr(args, "as_user", None)
        if db.is_sqlite:
            with db.sessions() as session:
                demo = service_rules.is_demo_database(session)
            if not as_user:
                raise NotPermitted(
                    "Account commands need a system administrator signed in.",
                    "Add --as YOUR_NAME (your password is asked for), or --demo --as alex.",
                )
            if demo:
                actor = startup.sign_in_demo_user(db, as_user)
            else:  # getpass reads the terminal itself, so a piped new password still works
                password = getpass.getpass(f"Password for {as_user}: ")
                actor = identity.sign_in(db, clock, as_user, password)
        else:  # PostgreSQL: the server already checked this login's password
            with db.sessions() as session:
                user = session.scalar(sa.select(User).where(User.username == db.url.username))
                if user is None or not user.active:
                    raise NotPermitted(
                        f"The login {db.url.username} has no active PhysioLine account.",
                        "Connect as your own system administrator login.",
                    )
                actor = Actor(user.id, user.username, user.display_name, user.role)
    except BaseException:
        db.dispose()
        raise
    return Desk(db=db, clock=clock, actor=actor)


def _run(args: argparse.Namespace, action: Any) -> int:
    desk = _admin_desk(args)
    try:
        change = action(desk)
    finally:
        desk.db.dispose()
    print(change.message)
    return 0


def _create(args: argparse.Namespace) -> int:
    from physioline.services import admin

    password = _new_password(args, args.username)
    return _run(args, lambda desk: admin.create_user(
        desk, username=args.username, display_name=args.name, role=args.role,
        password=password, profession=args.profession, registration_number=args.registration,
    ))  # fmt: skip


def _disable(args: argparse.Namespace) -> int:
    from physioline.services import admin

    return _run(args, lambda desk: admin.disable_user(desk, args.username))


def _reset(args: argparse.Namespace) -> int:
    from physioline.services import admin

    password = _new_password(args, args.username)
    return _run(args, lambda desk: admin.reset_password(desk, args.username, password))


def _set_role(args: argparse.Namespace) -> int:
    from physioline.services import admin

    return _run(args, lambda desk: admin.set_role(desk, args.username, args.role))
