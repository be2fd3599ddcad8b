"""Unit of work: one transaction and its audit rows per user action; nothing half-written.

``with UnitOfWork(db, clock, actor) as uow: ...; uow.commit()`` — leaving the block without
``commit()`` (or with an exception) rolls everything back. ``commit()`` turns a lost race into a
domain error: a stale version into ``StaleRecord``, the live-booking index into ``SlotTaken``.

A unit of work is one connection and its transaction. Its ORM session is made on the same
connection when an action first asks for ``uow.session``; actions that need only Core (signing
in, the worklist's reads, the audit row itself) never load the ORM, which keeps it out of the
desk's start-up.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from physioline.clock import Clock
from physioline.core.referral import Role
from physioline.db.engine import READ_ONLY_OPTION, Database, explain_connect_error
from physioline.db.tables import audit_event
from physioline.errors import Conflict, SlotTaken, StaleRecord

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    class AuditFields(Protocol):
        """What an audit row's hash covers: an ``AuditRecord``, an ORM ``AuditEvent`` or a row."""

        @property
        def occurred_at(self) -> datetime: ...
        @property
        def user_id(self) -> int | None: ...
        @property
        def actor(self) -> str: ...
        @property
        def action(self) -> str: ...
        @property
        def entity(self) -> str: ...
        @property
        def entity_id(self) -> str | None: ...
        @property
        def patient_id(self) -> int | None: ...
        @property
        def details(self) -> dict[str, Any]: ...
        @property
        def prev_hash(self) -> str: ...


#: PostgreSQL advisory lock key that serialises appends to the one audit chain.
AUDIT_CHAIN_LOCK = 0x50485931  # "PHY1"
GENESIS_HASH = "0" * 64
#: PostgreSQL NOTIFY channel announcing committed referral changes (ids, comma-separated).
WORKLIST_CHANNEL = "physioline_worklist"


@dataclass(frozen=True)
class AuditRecord:
    """An audit row as written: what ``UnitOfWork.audit`` appended to the chain."""

    id: int
    occurred_at: datetime
    user_id: int | None
    actor: str
    action: str
    entity: str
    entity_id: str | None
    patient_id: int | None
    details: dict[str, Any]
    prev_hash: str
    row_hash: str


@dataclass(frozen=True)
class Actor:
    """Who is doing the action: the signed-in user."""

    user_id: int
    username: str
    display_name: str
    role: Role


class UnitOfWork:
    """One transaction on the shared database, with the audit of what it did."""

    def __init__(
        self, db: Database, clock: Clock, actor: Actor | None, *, read_only: bool = False
    ) -> None:
        self.db = db
        self.clock = clock
        self.actor = actor
        self.read_only = read_only
        self._committed = False
        #: Referrals this action changed: every open worklist is told after the commit.
        self.changed_referrals: set[int] = set()

    def __enter__(self) -> UnitOfWork:
        self._session: Session | None = None
        connection = self.db.engine.connect()
        if self.read_only:
            connection = connection.execution_options(**{READ_ONLY_OPTION: True})
        self._conn: sa.Connection | None = connection
        return self

    @property
    def session(self) -> Session:
        """The ORM session of this unit of work, on its connection (made on first use)."""
        if self._session is None:
            if self._conn is None:
                raise RuntimeError("the unit of work is not open (use it in a with block)")
            from sqlalchemy.orm import Session

            self._session = Session(bind=self._conn, expire_on_commit=False)
        return self._session

    def connection(self) -> sa.Connection:
        """This unit of work's connection, in its transaction: for Core and driver reads."""
        if self._session is not None:
            return self._session.connection()
        if self._conn is None:
            raise RuntimeError("the unit of work is not open (use it in a with block)")
        if not self._conn.in_transaction():
            self._conn.begin()
        return self._conn

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._session is not None:
                if not self._committed:
                    self._session.rollback()
                self._session.close()
        finally:
            if self._conn is not None:
                self._conn.close()  # rolls back a transaction still open
                self._conn = None

    def now(self) -> datetime:
        """The current time from the one clock."""
        return self.clock.now()

    def commit(self) -> None:
        """Commit the action, turning lost races into errors the user can act on.

        Raises:
            StaleRecord: a colleague changed a record this action changed, since it was read.
            SlotTaken: the slot was booked by a colleague a moment ago.
            Conflict: another uniqueness rule refused the change.
            DatabaseUnavailable: the connection was lost.
        """
        if self._session is None:
            stale_errors: tuple[type[Exception], ...] = ()  # only the ORM checks versions
        else:
            from sqlalchemy.orm.exc import StaleDataError

            stale_errors = (StaleDataError,)
        try:
            if self.changed_referrals and self.db.dialect == "postgresql":
                # Delivered to listeners only when (and if) this transaction commits.
                payload = ",".join(str(i) for i in sorted(self.changed_referrals))
                self.connection().execute(
                    sa.select(sa.func.pg_notify(WORKLIST_CHANNEL, payload[:7900]))
                )
            if self._session is not None:
                self._session.commit()  # flushes; commits the transaction if it began it
            if self._conn is not None and self._conn.in_transaction():
                self._conn.commit()
        except stale_errors as exc:
            self._rollback()
            raise StaleRecord(
                "A colleague changed this record a moment ago; nothing of yours was saved.",
                "The screen has been refreshed: check it and try again.",
            ) from exc
        except sa.exc.IntegrityError as exc:
            self._rollback()
            text = str(exc.orig)
            if "uq_appointment_live_slot" in text or "appointment.slot_id" in text:
                raise SlotTaken(
                    "That slot was booked by a colleague a moment ago.",
                    "Pick another; your answers are kept.",
                ) from exc
            raise Conflict(
                "The change clashes with a record a colleague saved a moment ago.",
                "Refresh and try again.",
            ) from exc
        except sa.exc.OperationalError as exc:
            self._rollback()
            raise explain_connect_error(self.db.url, exc) from exc
        self._committed = True

    def _rollback(self) -> None:
        if self._session is not None:
            self._session.rollback()
        if self._conn is not None and self._conn.in_transaction():
            self._conn.rollback()

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: int | str | None = None,
        *,
        patient_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditRecord:
        """Append an audit row to the one hash chain, inside this transaction.

        On PostgreSQL the database appends it (``physioline_audit_append``, SECURITY DEFINER):
        application roles may not touch the audit table, and a member of a PhysioLine group
        role is always recorded as their own login at the server's time. On SQLite the write
        transaction (BEGIN IMMEDIATE) serialises appends and the row is hashed here.
        """
        if self._session is not None:
            self._session.flush()  # the changes being audited go first (foreign keys)
        values: dict[str, Any] = {
            "occurred_at": self.now(),
            "user_id": self.actor.user_id if self.actor else None,
            "actor": self.actor.username if self.actor else "system",
            "action": action,
            "entity": entity,
            "entity_id": None if entity_id is None else str(entity_id),
            "patient_id": patient_id,
            "details": details or {},
        }
        connection = self.connection()
        if self.db.dialect == "postgresql":
            row = connection.execute(
                sa.text(
                    "SELECT * FROM physioline_audit_append(:occurred_at, :user_id, :actor, "
                    ":action, :entity, :entity_id, :patient_id, CAST(:details AS json))"
                ),
                {**values, "details": json.dumps(values["details"])},
            ).mappings().one()  # fmt: skip
            return AuditRecord(**dict(row))
        previous = connection.scalar(
            sa.select(audit_event.c.row_hash).order_by(audit_event.c.id.desc()).limit(1)
        )
        values["prev_hash"] = previous or GENESIS_HASH
        values["row_hash"] = audit_row_hash(AuditRecord(id=0, row_hash="", **values))
        inserted = connection.execute(sa.insert(audit_event).values(**values))
        key = inserted.inserted_primary_key
        assert key is not None  # noqa: S101 - an INSERT of one row always has its key
        return AuditRecord(id=key[0], **values)


def audit_row_hash(event: AuditFields) -> str:
    """SHA-256 of the row's canonical form: sorted-key JSON, UTC ISO time, UTF-8.

    The fields hashed are everything but ``id`` and ``row_hash`` itself; ``prev_hash`` links the
    row to its predecessor, so a changed, inserted or removed row breaks the chain.
    """
    canonical = {
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user_id": event.user_id,
        "actor": event.actor,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "patient_id": event.patient_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
