"""Unit of work: one transaction and its audit rows per user action; nothing half-written.

``with UnitOfWork(db, clock, actor) as uow: ...; uow.commit()`` — leaving the block without
``commit()`` (or with an exception) rolls everything back. ``commit()`` turns a lost race into a
domain error: a stale version into ``StaleRecord``, the live-booking index into ``SlotTaken``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from physioline.clock import Clock
from physioline.core.referral import Role
from physioline.db.engine import READ_ONLY_OPTION, Database, explain_connect_error
from physioline.db.models import AuditEvent
from physioline.errors import Conflict, SlotTaken, StaleRecord

#: PostgreSQL advisory lock key that serialises appends to the one audit chain.
AUDIT_CHAIN_LOCK = 0x50485931  # "PHY1"
GENESIS_HASH = "0" * 64
#: PostgreSQL NOTIFY channel announcing committed referral changes (ids, comma-separated).
WORKLIST_CHANNEL = "physioline_worklist"


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
        self._conn: sa.Connection | None = None
        if self.read_only:
            # A read-only unit of work is a plain connection; its ORM session, which costs
            # more than a screen's page of rows, is made only if a read asks for one.
            self._conn = self.db.engine.connect().execution_options(**{READ_ONLY_OPTION: True})
        else:
            self._session = self.db.sessions()
        return self

    @property
    def session(self) -> Session:
        """The ORM session of this unit of work."""
        if self._session is None:
            if self._conn is None:
                raise RuntimeError("the unit of work is not open (use it in a with block)")
            self._session = Session(bind=self._conn, expire_on_commit=False)
        return self._session

    def connection(self) -> sa.Connection:
        """This unit of work's connection, in its transaction: for Core and driver reads."""
        if self._conn is None or self._session is not None:
            return self.session.connection()
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
                if self._conn is None:
                    self._session.rollback()
                self._session.close()
        finally:
            if self._conn is not None:
                self._conn.close()  # rolls back the read transaction, if one began

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
        try:
            if self.changed_referrals and self.db.dialect == "postgresql":
                # Delivered to listeners only when (and if) this transaction commits.
                payload = ",".join(str(i) for i in sorted(self.changed_referrals))
                self.session.execute(sa.select(sa.func.pg_notify(WORKLIST_CHANNEL, payload[:7900])))
            self.session.commit()
        except StaleDataError as exc:
            self.session.rollback()
            raise StaleRecord(
                "A colleague changed this record a moment ago; nothing of yours was saved.",
                "The screen has been refreshed: check it and try again.",
            ) from exc
        except sa.exc.IntegrityError as exc:
            self.session.rollback()
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
            self.session.rollback()
            raise explain_connect_error(self.db.url, exc) from exc
        self._committed = True

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: int | str | None = None,
        *,
        patient_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEvent:
        """Append an audit row to the one hash chain, inside this transaction.

        On PostgreSQL the database appends it (``physioline_audit_append``, SECURITY DEFINER):
        application roles may not touch the audit table, and a member of a PhysioLine group
        role is always recorded as their own login at the server's time. On SQLite the write
        transaction (BEGIN IMMEDIATE) serialises appends and the row is hashed here.
        """
        if self.db.dialect == "postgresql":
            return self._append_on_server(action, entity, entity_id, patient_id, details)
        previous = self.session.scalar(
            sa.select(AuditEvent.row_hash).order_by(AuditEvent.id.desc()).limit(1)
        )
        event = AuditEvent(
            occurred_at=self.now(),
            user_id=self.actor.user_id if self.actor else None,
            actor=self.actor.username if self.actor else "system",
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            patient_id=patient_id,
            details=details or {},
            prev_hash=previous or GENESIS_HASH,
        )
        event.row_hash = audit_row_hash(event)
        self.session.add(event)
        self.session.flush()
        return event

    def _append_on_server(
        self,
        action: str,
        entity: str,
        entity_id: int | str | None,
        patient_id: int | None,
        details: dict[str, Any] | None,
    ) -> AuditEvent:
        self.session.flush()  # the changes being audited go first, as on SQLite
        row = self.session.execute(
            sa.text(
                "SELECT * FROM physioline_audit_append(:occurred_at, :user_id, :actor, :action, "
                ":entity, :entity_id, :patient_id, CAST(:details AS json))"
            ),
            {
                "occurred_at": self.now(),
                "user_id": self.actor.user_id if self.actor else None,
                "actor": self.actor.username if self.actor else "system",
                "action": action,
                "entity": entity,
                "entity_id": None if entity_id is None else str(entity_id),
                "patient_id": patient_id,
                "details": json.dumps(details or {}),
            },
        ).mappings().one()  # fmt: skip
        # A detached copy: the caller may read it; the session never writes it again.
        return AuditEvent(**dict(row))


def audit_row_hash(event: AuditEvent) -> str:
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
