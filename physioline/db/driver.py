"""Hot read paths that run a SQLAlchemy-compiled statement straight on the driver's cursor.

The worklist and the slot search are read thousands of rows at a time while a patient waits on
the phone. SQLAlchemy still builds and compiles their statements (once per filter); the rows
then come from the session's own DBAPI connection, in the same transaction, and the caller
converts values with the helpers here instead of SQLAlchemy's per-value result processing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import sqlalchemy as sa

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: How SQLite stores a UTCDateTime: fixed-width naive UTC text (see db.tables.UTCDateTime).
SQLITE_STAMP = "%Y-%m-%d %H:%M:%S.%f"


@dataclass(frozen=True)
class DriverQuery:
    """A statement compiled for one dialect."""

    sql: str
    #: Parameter names in order for positional (qmark) drivers; None for named (pyformat).
    positional: tuple[str, ...] | None
    defaults: dict[str, Any]


def dialect_for(name: str) -> sa.Dialect:
    """A fresh dialect object for compiling: ``sqlite`` or ``postgresql`` (psycopg)."""
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import pysqlite

        return pysqlite.dialect()
    from sqlalchemy.dialects.postgresql import psycopg

    dialect: sa.Dialect = psycopg.dialect()  # type: ignore[no-untyped-call]
    return dialect


def compile_for_driver(stmt: sa.Select[*tuple[Any, ...]], dialect: str) -> DriverQuery:
    """Compile ``stmt`` once; bound values not given at run time keep their compiled defaults."""
    compiled = stmt.compile(dialect=dialect_for(dialect))
    names = tuple(compiled.positiontup) if compiled.positiontup else None
    return DriverQuery(str(compiled), names, dict(compiled.params))


#: Where a hot read runs: a unit of work's connection, or an ORM session's.
ReadSource: TypeAlias = "Session | sa.Connection"


def connection_of(source: ReadSource) -> sa.Connection:
    """The connection (in its transaction) behind ``source``."""
    return source if isinstance(source, sa.Connection) else source.connection()


def fetch_rows(source: ReadSource, query: DriverQuery, values: dict[str, Any]) -> list[Any]:
    """Run ``query`` on the connection of ``source`` with ``values``; return the raw rows."""
    connection = connection_of(source)
    sqlite = connection.dialect.name == "sqlite"
    params = {**query.defaults, **values}
    for name, value in params.items():
        if isinstance(value, datetime):
            utc = value.astimezone(UTC)
            params[name] = utc.replace(tzinfo=None).strftime(SQLITE_STAMP) if sqlite else utc
    bound: Any = [params[n] for n in query.positional] if query.positional else params
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(query.sql, bound)
        return list(cursor.fetchall())
    finally:
        cursor.close()


@functools.lru_cache(maxsize=8192)
def utc_from_text(text: str) -> datetime:
    """A SQLite-stored UTCDateTime back as an aware UTC datetime.

    Cached: a page of slots repeats the same few start and end times across clinicians, and
    datetimes are immutable.
    """
    return datetime.fromisoformat(text + "+00:00")


def as_utc(value: datetime) -> datetime:
    """A PostgreSQL timestamptz in UTC (sessions run in UTC, so usually unchanged)."""
    return value if value.tzinfo is UTC else value.astimezone(UTC)
