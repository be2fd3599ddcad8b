"""Live worklists: learn which referrals colleagues changed, within a second or two.

On PostgreSQL each committing action NOTIFYs the ids it changed (see ``UnitOfWork.commit``) and
a feed LISTENs on its own connection. On the embedded SQLite database a feed checks the cheap
``PRAGMA data_version`` every half second and, when another connection has committed, asks
which referrals were touched since it last looked. Either way the screen refreshes only the
rows that changed.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

from physioline.db.engine import Database
from physioline.db.uow import WORKLIST_CHANNEL

log = logging.getLogger(__name__)

SQLITE_POLL_S = 0.5


class ChangeFeed(Protocol):
    """A source of changed referral ids."""

    def wait(self, timeout: float) -> set[int]:
        """Block up to ``timeout`` seconds; return the referral ids changed meanwhile."""
        ...

    def close(self) -> None:
        """Stop listening and close the feed's connection."""
        ...


class PostgresChangeFeed:
    """LISTEN on the worklist channel over a dedicated autocommit connection."""

    def __init__(self, db: Database) -> None:
        import psycopg

        conninfo = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn = psycopg.connect(conninfo, autocommit=True)
        self._conn.execute(f"LISTEN {WORKLIST_CHANNEL}")

    def wait(self, timeout: float) -> set[int]:
        """Referral ids announced by commits within ``timeout`` seconds."""
        ids: set[int] = set()
        deadline = time.monotonic() + timeout
        for note in self._conn.notifies(timeout=timeout):
            ids.update(int(x) for x in note.payload.split(",") if x)
            # Gather whatever else arrives in the next moment, then hand over the batch.
            if time.monotonic() >= deadline or len(ids) > 1000:
                break
            deadline = min(deadline, time.monotonic() + 0.05)
        return ids

    def close(self) -> None:
        """Close the listening connection."""
        self._conn.close()


class SqliteChangeFeed:
    """Poll ``PRAGMA data_version``; on a change, read the referrals touched since last time."""

    def __init__(self, db: Database, now: datetime) -> None:
        path = db.url.database or ""
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._version = self._data_version()
        # Overlap a little with "now": a change committed just before the feed opened is seen.
        self._watermark = (now - timedelta(seconds=5)).astimezone(UTC).replace(tzinfo=None)

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def wait(self, timeout: float) -> set[int]:
        """Referral ids changed by commits on other connections within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            version = self._data_version()
            if version != self._version:
                self._version = version
                return self._changed_since_watermark()
            left = deadline - time.monotonic()
            if left <= 0:
                return set()
            time.sleep(min(SQLITE_POLL_S, left))

    def _changed_since_watermark(self) -> set[int]:
        rows = self._conn.execute(
            "SELECT id, updated_at FROM referral WHERE updated_at >= ?",
            (self._watermark.isoformat(sep=" "),),
        ).fetchall()
        if rows:
            newest = max(datetime.fromisoformat(r[1]) for r in rows)
            self._watermark = max(self._watermark, newest - timedelta(seconds=1))
        return {int(r[0]) for r in rows}

    def close(self) -> None:
        """Close the polling connection."""
        self._conn.close()


def open_change_feed(db: Database, now: datetime) -> ChangeFeed:
    """The change feed suited to the database."""
    if db.is_sqlite:
        return SqliteChangeFeed(db, now)
    return PostgresChangeFeed(db)
