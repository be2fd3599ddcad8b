"""The desk: the open database, the one clock and who is signed in, handed to every service."""

from __future__ import annotations

from dataclasses import dataclass, field

from physioline.clock import Clock, SystemClock
from physioline.core.referral import Role
from physioline.db.engine import Database
from physioline.db.uow import Actor, UnitOfWork
from physioline.errors import NotPermitted


@dataclass
class Desk:
    """Everything a service needs to act for the signed-in user."""

    db: Database
    clock: Clock = field(default_factory=SystemClock)
    actor: Actor | None = None

    def uow(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work (one transaction) acting as the signed-in user."""
        return UnitOfWork(self.db, self.clock, self.actor, read_only=read_only)

    def require(self, *roles: Role, action: str) -> Actor:
        """The signed-in user, if their role may do ``action``.

        Raises:
            NotPermitted: nobody is signed in, or their role may not do this.
        """
        if self.actor is None:
            raise NotPermitted(f"Sign in to {action}.")
        if self.actor.role not in roles:
            allowed = " or ".join(r.value.replace("_", " ") for r in roles)
            raise NotPermitted(
                f"Your role ({self.actor.role.value.replace('_', ' ')}) may not {action}.",
                f"Ask a {allowed}.",
            )
        return self.actor


#: Roles that see clinical data (the worklist, patients, referrals, letters).
CLINICAL_VIEWERS = (Role.PHYSIO, Role.TEAM_LEAD, Role.ADMIN_STAFF)
#: Roles that make triage calls: claim, record attempts, assess, sign off.
CALLERS = (Role.PHYSIO, Role.TEAM_LEAD)
#: Roles that edit rota templates and exceptions and generate slots (roles.md); here rather than
#: in services.rota so the main window can enable its menu without importing the rota service.
ROTA_EDITORS = (Role.TEAM_LEAD, Role.SYSTEM_ADMIN)
#: Roles that book, cancel and rebook appointments.
BOOKERS = (Role.PHYSIO, Role.TEAM_LEAD, Role.ADMIN_STAFF)
#: Roles that see the clinic calendars (team leads and the booking office).
CALENDAR_VIEWERS = (Role.TEAM_LEAD, Role.ADMIN_STAFF)
#: Roles that read the audit trail: team leads (their team's actions) and IT (everything).
AUDIT_READERS = (Role.TEAM_LEAD, Role.SYSTEM_ADMIN)


def prepare_orm() -> None:
    """Load the ORM classes and configure their mappers, ahead of the first action that needs
    them. Start-up runs on Core alone; the desk calls this just after its first paint, so the
    physio's first claim does not wait for it.
    """
    from sqlalchemy.orm import configure_mappers

    import physioline.db.models  # noqa: F401 - the mapped classes register themselves

    configure_mappers()
