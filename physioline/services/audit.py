"""The audit trail: verify the one hash chain of who did what, and read it back.

Each audit row carries the SHA-256 of its predecessor (``prev_hash``) and of its own canonical
form (``row_hash``: sorted-key JSON of its fields, UTC ISO time, UTF-8; see
``physioline.db.uow.audit_row_hash``), so a row changed, inserted or removed breaks the chain
at that row. docs/audit-chain.md says how an auditor can check it with another tool.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TextIO

import sqlalchemy as sa

from physioline.core.due import london_day_bounds
from physioline.core.referral import Role
from physioline.db.models import AuditEvent, Patient, User
from physioline.db.uow import GENESIS_HASH, audit_row_hash
from physioline.errors import InvalidInput, NotFound
from physioline.services.desk import Desk

#: Whose actions a team lead sees: the clinical team's (not IT's account administration).
TEAM_ROLES = (Role.PHYSIO, Role.TEAM_LEAD, Role.ADMIN_STAFF)
#: Rows one screen of the viewer shows, newest first; the CSV export has every matching row.
VIEWER_LIMIT = 2_000
CSV_COLUMNS = ("id", "occurred_at_utc", "actor", "user_id", "role", "action", "entity",
               "entity_id", "patient_id", "details", "prev_hash", "row_hash")  # fmt: skip


@dataclass(frozen=True)
class ChainProblem:
    """One place where the chain is broken."""

    audit_id: int
    message: str


@dataclass
class ChainReport:
    """The result of walking the whole chain."""

    rows: int = 0
    last_hash: str = GENESIS_HASH
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """True when every row hashes to its stored hash and follows its predecessor."""
        return not self.problems


def verify_chain(desk: Desk, *, batch: int = 5_000) -> ChainReport:
    """Walk the audit chain in order and report every row that was changed, inserted or removed.

    Raises:
        NotPermitted: only team leads and system administrators verify the audit trail.
    """
    desk.require(Role.TEAM_LEAD, Role.SYSTEM_ADMIN, action="verify the audit trail")
    report = ChainReport()
    with desk.uow(read_only=True) as uow:
        previous_hash = GENESIS_HASH
        previous_id: int | None = None
        after = 0
        while True:
            events = uow.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
                .limit(batch)
            ).all()  # fmt: skip
            if not events:
                break
            for event in events:
                report.rows += 1
                if audit_row_hash(event) != event.row_hash:
                    report.problems.append(ChainProblem(
                        event.id, f"audit row {event.id} was changed after it was written "
                        "(its content no longer matches its hash)."))  # fmt: skip
                if event.prev_hash != previous_hash:
                    where = f"after row {previous_id}" if previous_id else "at the start"
                    report.problems.append(ChainProblem(
                        event.id, f"audit row {event.id} does not follow the row before it "
                        f"({where}): a row was removed or inserted there."))  # fmt: skip
                previous_hash, previous_id = event.row_hash, event.id
            after = events[-1].id
            uow.session.expunge_all()
        report.last_hash = previous_hash
    return report


@dataclass(frozen=True)
class AuditFilter:
    """What the audit viewer shows; every field is optional and they combine."""

    #: A patient id, or (for roles that may see patients) an NHS number.
    patient: str = ""
    #: A user name (the login or desktop user), exactly.
    user: str = ""
    #: An action, or its start ("letter." finds every letter action).
    action: str = ""
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One audit row as the viewer shows it: identifiers only, never patient details."""

    audit_id: int
    occurred_at: datetime
    actor: str
    user_id: int | None
    role: str
    action: str
    entity: str
    entity_id: str | None
    patient_id: int | None
    details: str
    prev_hash: str
    row_hash: str


def _patient_id(desk: Desk, session: sa.orm.Session, text: str) -> int:
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits or digits != text.replace(" ", ""):
        raise InvalidInput(f"'{text}' is not a patient id or NHS number.")
    if len(digits) == 10:
        if desk.actor is None or desk.actor.role not in TEAM_ROLES:
            raise InvalidInput(
                "Search the audit by patient id: your role does not look up NHS numbers.",
                "Ask a team lead for the patient id.",
            )
        found = session.scalar(sa.select(Patient.id).where(Patient.nhs_number == digits))
        if found is None:
            raise NotFound("No patient has that NHS number.")
        return found
    return int(digits)


def _statement(
    desk: Desk, session: sa.orm.Session, flt: AuditFilter
) -> tuple[sa.Select[AuditEvent, Role], int | None]:
    actor = desk.require(Role.TEAM_LEAD, Role.SYSTEM_ADMIN, action="see the audit trail")
    stmt = sa.select(AuditEvent, User.role).outerjoin(User, User.id == AuditEvent.user_id)
    if actor.role == Role.TEAM_LEAD:
        # The team's own actions, and changes to patient records by logins with no account.
        stmt = stmt.where(sa.or_(
            User.role.in_(TEAM_ROLES),
            sa.and_(AuditEvent.user_id.is_(None), AuditEvent.patient_id.is_not(None)),
        ))  # fmt: skip
    patient_id = _patient_id(desk, session, flt.patient.strip()) if flt.patient.strip() else None
    if patient_id is not None:
        stmt = stmt.where(AuditEvent.patient_id == patient_id)
    if flt.user.strip():
        stmt = stmt.where(AuditEvent.actor == flt.user.strip())
    if flt.action.strip():
        action = flt.action.strip()
        if action.endswith("."):
            stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
        else:
            stmt = stmt.where(AuditEvent.action == action)
    if flt.first_day is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= london_day_bounds(flt.first_day)[0])
    if flt.last_day is not None:
        stmt = stmt.where(AuditEvent.occurred_at < london_day_bounds(flt.last_day)[1])
    return stmt, patient_id


def _row(event: AuditEvent, role: Role | None) -> AuditRow:
    return AuditRow(
        audit_id=event.id, occurred_at=event.occurred_at, actor=event.actor,
        user_id=event.user_id, role=role.value if role else "", action=event.action,
        entity=event.entity, entity_id=event.entity_id, patient_id=event.patient_id,
        details=json.dumps(event.details, sort_keys=True, ensure_ascii=False),
        prev_hash=event.prev_hash, row_hash=event.row_hash,
    )  # fmt: skip


def search_audit(desk: Desk, flt: AuditFilter, *, limit: int = VIEWER_LIMIT) -> list[AuditRow]:
    """The newest matching audit rows: all of them for IT, the team's for a team lead.

    Raises:
        NotPermitted: only team leads and system administrators see the audit trail.
        InvalidInput: the patient is neither an id nor an NHS number.
    """
    with desk.uow(read_only=True) as uow:
        stmt, _patient = _statement(desk, uow.session, flt)
        stmt = stmt.order_by(AuditEvent.id.desc()).limit(limit)
        return [_row(event, role) for event, role in uow.session.execute(stmt)]


def _csv_lines(rows: Iterator[AuditRow], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for r in rows:
        writer.writerow((r.audit_id, r.occurred_at.isoformat(timespec="microseconds"), r.actor,
                         r.user_id, r.role, r.action, r.entity, r.entity_id, r.patient_id,
                         r.details, r.prev_hash, r.row_hash))  # fmt: skip
        count += 1
    return count


def export_audit_csv(desk: Desk, flt: AuditFilter, out: TextIO) -> int:
    """Write every matching row (oldest first) as CSV; the export itself is audited.

    Returns:
        The number of rows written.

    Raises:
        NotPermitted: only team leads and system administrators see the audit trail.
    """
    with desk.uow(read_only=True) as uow:
        stmt, patient_id = _statement(desk, uow.session, flt)
        stmt = stmt.order_by(AuditEvent.id)
        result = uow.session.execute(stmt.execution_options(yield_per=2_000))
        count = _csv_lines((_row(event, role) for event, role in result), out)
    with desk.uow() as uow:
        uow.audit("audit.export", "audit_event", patient_id=patient_id, details={
            "rows": count, "user": flt.user.strip(),
            "action": flt.action.strip(),
            "first_day": flt.first_day.isoformat() if flt.first_day else None,
            "last_day": flt.last_day.isoformat() if flt.last_day else None,
        })  # fmt: skip
        uow.commit()
    return count
