"""Opening the service's database at start: which one, with which credential, at which schema.

Shared by the desktop app and the CLI, so both give the same clear message for a wrong URL,
a wrong password, an unreachable server, a newer or older schema or a damaged SQLite file.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL

from physioline import credentials
from physioline.clock import Clock
from physioline.db.engine import (
    Database,
    check_reachable,
    explain_connect_error,
    open_database,
    parse_url,
    sqlite_url,
)
from physioline.db.revision import HEAD_REVISION, read_revision
from physioline.db.tables import app_user
from physioline.db.uow import Actor
from physioline.errors import DatabaseUnavailable, NotFound, NotPermitted, SecretStoreUnavailable
from physioline.paths import default_database_path, demo_database_path
from physioline.services import service_rules

log = logging.getLogger(__name__)

#: Asks the person at the desk for a password; gets the reason it is asking. None = cancelled.
PasswordPrompt = Callable[[str, str], str | None]


@dataclass(frozen=True)
class DatabaseChoice:
    """Which database to open and how."""

    url: URL
    #: The embedded single-desk SQLite file (migrated at start), not a shared database.
    embedded: bool
    demo: bool


def choose_database(database: str | None, *, demo: bool, configured: str = "") -> DatabaseChoice:
    """Resolve ``--database``/``--demo``/the desk's settings to one database.

    Raises:
        DatabaseUnavailable: the URL is malformed or names an unsupported database.
    """
    if demo and database:
        raise DatabaseUnavailable(
            "--demo and --database name two different databases.", "Use one of them."
        )
    if demo:
        return DatabaseChoice(parse_url(sqlite_url(demo_database_path())), True, True)
    text = database or configured
    if not text:
        return DatabaseChoice(parse_url(sqlite_url(default_database_path())), True, False)
    url = parse_url(text)
    if url.password:
        log.warning("a database URL carried a password; prefer the keyring")
    return DatabaseChoice(url, url.get_backend_name() == "sqlite", False)


def database_location(url: URL) -> str:
    """``host:port/database`` of a PostgreSQL URL: the keyring entry a password is kept under."""
    host = url.host or url.query.get("host") or "localhost"
    port = url.port or url.query.get("port") or 5432
    return f"{host}:{port}/{url.database}"


def _needs_password(exc: sa.exc.DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return "password" in text or "authentication failed" in text


def connect(
    choice: DatabaseChoice,
    *,
    ask_password: PasswordPrompt | None = None,
    remember: Callable[[], bool] | None = None,
) -> Database:
    """Open the database and connect once, asking for a password when the server wants one.

    A PostgreSQL password is looked up in the system keyring; when there is none, or no keyring
    exists on this machine, ``ask_password`` is called with the reason, and the password may be
    kept in the keyring if ``remember()`` says so. Never in a file, a log or a command line.

    Raises:
        DatabaseUnavailable: with what is wrong and what to do.
    """
    url = choice.url
    if choice.embedded:
        path = Path(url.database or "")
        if not path.parent.exists():
            raise DatabaseUnavailable(
                f"The folder for the database file {path} does not exist.",
                "Create the folder or choose another path.",
            )
        if path.exists() and not os.access(path, os.W_OK):
            raise DatabaseUnavailable(
                f"The SQLite file {path} is read-only.",
                "Ask IT to give your account write access, or copy it somewhere writable.",
            )
    db = open_database(url)
    try:
        check_reachable(db)
        _restrict_sqlite_file(db)
        return db
    except DatabaseUnavailable as first:
        db.dispose()
        cause = first.__cause__
        if (
            choice.embedded
            or not isinstance(cause, sa.exc.DBAPIError)
            or not _needs_password(cause)
        ):
            raise
        if url.password:
            raise
    username = url.username or "postgres"
    location = database_location(url)
    reason = f"PhysioLine needs the password of {username} for {location}."
    password: str | None = None
    try:
        password = credentials.get_password(username, location)
    except SecretStoreUnavailable as exc:
        reason = f"{exc.message} {reason}"
    if password is None:
        if ask_password is None:
            raise DatabaseUnavailable(
                f"PostgreSQL wants a password for {username} and none is stored for {location}.",
                "Start the app to type it, or store it with `physioline db login`.",
            )
        password = ask_password(username, reason)
        if password is None:
            raise DatabaseUnavailable("No password was given; the database was not opened.")
        if remember is not None and remember():
            try:
                credentials.store_password(username, location, password)
            except SecretStoreUnavailable:
                log.info("no keyring: the password will be asked for next time")
    db = open_database(url.set(password=password))
    try:
        check_reachable(db)
    except DatabaseUnavailable:
        db.dispose()
        raise
    return db


def _restrict_sqlite_file(db: Database) -> None:
    """Keep the embedded database readable by its owner only (it holds patient records)."""
    if not db.is_sqlite or not db.url.database:
        return
    path = Path(db.url.database)
    if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
        try:
            path.chmod(0o600)
        except OSError:
            log.warning("could not restrict the database file's permissions")


def prepare_schema(db: Database, choice: DatabaseChoice) -> None:
    """Bring an embedded database to the current schema; check a shared one.

    Raises:
        SchemaTooNew: made by a newer PhysioLine (always refused).
        SchemaTooOld: a shared database that its schema owner must upgrade first.
    """
    try:
        with db.engine.connect() as conn:
            current = read_revision(conn)
    except sa.exc.DBAPIError as exc:
        raise explain_connect_error(db.url, exc) from exc
    if current == HEAD_REVISION:
        return  # the usual case: no need to load Alembic before the first paint
    from physioline.db import schema

    schema.ensure_current(db, may_upgrade=choice.embedded)


def open_demo(clock: Clock, *, reset: bool = False) -> tuple[Database, DatabaseChoice]:
    """Open the demo database, building it with demo data on first use (or with ``reset``)."""
    choice = choose_database(None, demo=True)
    path = Path(choice.url.database or "")
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    fresh = not path.exists()
    if fresh:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
    db = connect(choice)
    try:
        prepare_schema(db, choice)
        if fresh:
            from physioline.services import demo

            demo.build_demo(db, clock)
    except BaseException:
        db.dispose()
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    return db, choice


def sign_in_shared(choice: DatabaseChoice, username: str, password: str) -> tuple[Database, Actor]:
    """Sign in to a shared PostgreSQL database as the person's own login role.

    The server checks the password (SCRAM-SHA-256); PhysioLine holds no shared password.

    Raises:
        DatabaseUnavailable: wrong password, unknown login, unreachable server, old schema.
        NotPermitted: the login has no active PhysioLine account.
    """
    username = username.strip()
    if not username or not password:
        raise NotPermitted("Type your user name and password.")
    personal = DatabaseChoice(choice.url.set(username=username, password=password),
                              embedded=False, demo=False)  # fmt: skip
    db = connect(personal)
    try:
        prepare_schema(db, personal)
        with db.read_connection() as connection:
            user = _user_named(connection, username)
            if user is None or not user.active:
                raise NotPermitted(
                    f"The login {username} has no active PhysioLine account.",
                    "Ask IT to create or enable it.",
                )
            actor = Actor(user.id, user.username, user.display_name, user.role)
    except BaseException:
        db.dispose()
        raise
    return db, actor


def sign_in_demo_user(db: Database, username: str) -> Actor:
    """Sign in as a demo user with no password: only on a database marked as demo.

    Raises:
        NotPermitted: the database is not a demo database.
        NotFound: no active user has that name.
    """
    with db.read_connection() as connection:
        if not service_rules.is_demo_database(connection):
            raise NotPermitted(
                "Signing in without a password is only allowed on the demo database.",
                "Use --demo, or sign in with your own account.",
            )
        user = _user_named(connection, username)
        if user is None or not user.active:
            names = ", ".join(
                connection.scalars(sa.select(app_user.c.username).order_by(app_user.c.username))
            )
            raise NotFound(f"There is no demo user called '{username}'.", f"Demo users: {names}.")
        return Actor(user.id, user.username, user.display_name, user.role)


def _user_named(connection: sa.Connection, username: str) -> sa.Row[Any, Any, Any, Any, Any] | None:
    user = app_user.c
    return connection.execute(
        sa.select(user.id, user.username, user.display_name, user.role, user.active).where(
            user.username == username
        )
    ).first()
