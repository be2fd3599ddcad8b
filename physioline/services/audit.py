"""The audit trail: verify the one hash chain of who did what, and read it back.

Each audit row carries the SHA-256 of its predecessor (``prev_hash``) and of its own canonical
form (``row_hash``: sorted-key JSON of its fields, UTC ISO time, UTF-8; see
``physioline.db.uow.audit_row_hash``), so a row changed, inserted or removed breaks the chain
at that row. docs/audit-chain.md says how an auditor can check it with another tool.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from physioline.core.referral import Role
from physioline.db.models import AuditEvent
from physioline.db.uow import GENESIS_HASH, audit_row_hash
from physioline.services.desk import Desk


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
