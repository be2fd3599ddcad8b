"""Rotas: turn the clinicians' weekly templates and exceptions into bookable slots."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from physioline.clock import Clock
from physioline.core.due import london_date
from physioline.core.slots import RotaException as RotaExceptionSpec
from physioline.core.slots import RotaSession, SlotSpec
from physioline.core.slots import generate_slots as generate_slot_specs
from physioline.db.engine import Database
from physioline.db.models import RotaException, RotaTemplate, Slot
from physioline.db.uow import UnitOfWork

log = logging.getLogger(__name__)


def _sessions(session: Session, on: datetime) -> list[RotaSession]:
    today = london_date(on)
    templates = session.scalars(
        sa.select(RotaTemplate).where(
            RotaTemplate.valid_from <= today,
            sa.or_(RotaTemplate.valid_until.is_(None), RotaTemplate.valid_until >= today),
        )
    )
    return [
        RotaSession(
            clinician_id=t.clinician_id,
            clinic_id=t.clinic_id,
            weekday=t.weekday,
            starts_at=t.starts,
            ends_at=t.ends,
            appointment_type=t.appointment_type,
            length_minutes=t.slot_minutes,
            held_for_urgent=t.held_for_urgent,
        )
        for t in templates
    ]


def _exceptions(session: Session) -> list[RotaExceptionSpec]:
    from physioline.clock import to_london

    specs = []
    for e in session.scalars(sa.select(RotaException)):
        start, end = to_london(e.starts_at), to_london(e.ends_at)
        whole_days = start.time() == time(0) and end.time() == time(0)
        specs.append(
            RotaExceptionSpec(
                kind=e.kind,
                first_day=start.date(),
                last_day=end.date() - timedelta(days=1) if whole_days else end.date(),
                clinician_id=e.clinician_id,
                clinic_id=e.clinic_id,
                starts_at=None if whole_days else start.time(),
                ends_at=None if whole_days else end.time(),
            )
        )
    return specs


def generate_slots(db: Database, clock: Clock, *, weeks: int = 12) -> int:
    """Add the slots the rota gives for the next ``weeks`` weeks; return how many were added.

    Slots that already exist (same clinician and start) are left exactly as they are, so
    regenerating never touches a booked or blocked slot.
    """
    with UnitOfWork(db, clock, None) as uow:
        session = uow.session
        now = uow.now()
        specs = generate_slot_specs(
            _sessions(session, now), _exceptions(session), start=london_date(now), weeks=weeks
        )
        existing = {
            (clinician_id, starts_at)
            for clinician_id, starts_at in session.execute(
                sa.select(Slot.clinician_id, Slot.starts_at).where(Slot.starts_at >= now)
            )
        }
        fresh = [_slot_row(s) for s in specs if s.starts_at > now
                 and (s.clinician_id, s.starts_at) not in existing]  # fmt: skip
        if fresh:
            session.execute(sa.insert(Slot), fresh)
        uow.audit("slots.generate", "slot", details={"weeks": weeks, "added": len(fresh)})
        uow.commit()
    log.info("generated %s slots for %s weeks", len(fresh), weeks)
    return len(fresh)


def _slot_row(spec: SlotSpec) -> dict[str, object]:
    return {
        "clinic_id": spec.clinic_id,
        "clinician_id": spec.clinician_id,
        "rota_template_id": None,
        "starts_at": spec.starts_at,
        "ends_at": spec.ends_at,
        "appointment_type": spec.appointment_type.value,
        "held_for_urgent": spec.held_for_urgent,
        "state": "free",
        "blocked_reason": None,
        "version": 1,
    }
