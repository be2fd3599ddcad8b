"""The one engine and session factory: SQLite (embedded, one desk) or PostgreSQL (shared).

SQLite runs with foreign keys on, WAL and a busy timeout, and every transaction starts with
``BEGIN IMMEDIATE`` so two desktops never both read-then-write the same rows. PostgreSQL uses
psycopg 3.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url

from physioline.errors import DatabaseUnavailable

if TYPE_CHECKING:  # the ORM loads on first use of a session, not at start-up
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
#: Execution option marking a connection whose transactions only read.
READ_ONLY_OPTION = "physioline_read_only"


@dataclass(frozen=True)
class Database:
    """An open database: its URL, engine and the one session factory."""

    url: URL
    engine: Engine

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """The one ORM session factory, made (and the ORM loaded) on first use.

        Start-up signs in and paints the first worklist page through Core alone, so a desk
        does not load the ORM before its first paint.
        """
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded single-desk database."""
        return self.dialect == "sqlite"

    def describe(self) -> str:
        """Where the data lives, for the status bar: the SQLite path or the PostgreSQL host."""
        if self.is_sqlite:
            return f"SQLite {self.url.database}"
        host = self.url.host or self.url.query.get("host") or "local socket"
        port = f":{self.url.port}" if self.url.port else ""
        return f"PostgreSQL {self.url.database} on {host}{port}"

    def read_connection(self) -> sa.Connection:
        """A connection for reads outside a unit of work (signing in), in Core alone.

        Its transactions only read: on SQLite they begin DEFERRED, so they never wait for a
        colleague's write. Use it in a ``with`` block.
        """
        return self.engine.connect().execution_options(**{READ_ONLY_OPTION: True})

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite database file."""
    return f"sqlite:///{path}"


def parse_url(url: str) -> URL:
    """Parse and check a database URL.

    Raises:
        DatabaseUnavailable: the URL is malformed or names an unsupported database.
    """
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as exc:
        raise DatabaseUnavailable(
            f"'{url}' is not a database URL.",
            "Use sqlite:///path/to/file.db or postgresql+psycopg://USER@HOST/DATABASE.",
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername != "postgresql+psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise DatabaseUnavailable(
            f"PhysioLine works with SQLite or PostgreSQL, not {backend}.",
            "Use sqlite:///path/to/file.db or postgresql+psycopg://USER@HOST/DATABASE.",
        )
    return parsed


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is switched off; "begin" below issues BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except Exception:  # a read-only file cannot switch mode; reads still work
            log.debug("SQLite database could not switch to WAL (read-only or damaged?)")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # IMMEDIATE takes the write lock at the start: no read-then-upgrade deadlocks. Pure
        # reads (worklist refreshes) say so and begin DEFERRED, so they never wait on writers.
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            # Straight on the driver: a deferred BEGIN takes no lock, so it cannot fail busy,
            # and a screen's read should cost little more than its SELECT.
            connection.connection.driver_connection.execute("BEGIN DEFERRED")  # type: ignore[union-attr]
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def open_database(url: str | URL, *, echo: bool = False, pool_size: int = 5) -> Database:
    """Create the engine and session factory for ``url`` (nothing is connected yet).

    Raises:
        DatabaseUnavailable: the URL is malformed or unsupported.
    """
    parsed = parse_url(url) if isinstance(url, str) else url
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {
            "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            "check_same_thread": False,
        }
    else:
        kwargs["pool_pre_ping"] = True
        kwargs["pool_size"] = pool_size
        # Sessions in UTC: timestamps arrive already in UTC, converted by the driver in C.
        kwargs["connect_args"] = {
            "connect_timeout": 10,
            "application_name": "physioline",
            "options": "-c TimeZone=UTC",
        }
    engine = sa.create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return Database(url=parsed, engine=engine)


def sqlite_copy(db: Database, target: Path) -> None:
    """Copy a SQLite database consistently (WAL included) with SQLite's online backup API."""
    import sqlite3

    raw = db.engine.raw_connection()
    try:
        source: Any = raw.dbapi_connection
        with sqlite3.connect(target) as destination:
            source.backup(destination)
        destination.close()
    finally:
        raw.close()


def explain_connect_error(db_url: URL, exc: BaseException) -> DatabaseUnavailable:
    """Turn a driver error on connecting into a message that says what to do."""
    text = (
        str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
    )
    if db_url.get_backend_name() == "sqlite":
        path = db_url.database or ""
        lowered = text.lower()
        if "not a database" in lowered or "malformed" in lowered:
            return DatabaseUnavailable(
                f"The SQLite file {path} is damaged or is not a PhysioLine database ({text}).",
                "Restore it from its backup copy (*.bak beside it) or choose another file.",
            )
        if "readonly" in lowered or "read-only" in lowered:
            return DatabaseUnavailable(
                f"The SQLite file {path} is read-only.",
                "Ask IT to give your account write access, or copy it somewhere writable.",
            )
        return DatabaseUnavailable(
            f"The SQLite file {path} cannot be opened ({text}).",
            "Check the path and that the folder exists and is writable.",
        )
    lowered = text.lower()
    if "password authentication failed" in lowered or "authentication" in lowered:
        return DatabaseUnavailable(
            f"PostgreSQL refused the sign-in for {db_url.username or 'this user'}.",
            "Check the user name and password.",
        )
    if "does not exist" in lowered:
        return DatabaseUnavailable(
            f"PostgreSQL says: {text}.", "Check the database and user names in the URL."
        )
    return DatabaseUnavailable(
        f"Cannot reach the PostgreSQL database ({text}).",
        "Check the host name and that the server is running, or ask IT.",
    )


def check_reachable(db: Database) -> None:
    """Connect once, so a wrong URL or password is reported before anything else.

    Raises:
        DatabaseUnavailable: with what is wrong and what to do.
    """
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.DBAPIError as exc:
        raise explain_connect_error(db.url, exc) from exc
