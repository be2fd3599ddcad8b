"""Capacity: rotas and exceptions become bookable slots; single slots added, blocked, released.

Generating slots for a rolling horizon (default 12 weeks) is safe to repeat at any time: a slot
that already exists is matched by (clinician, start) and left exactly as it is; a booked or
blocked slot is never changed or removed. A free slot the rota no longer gives (leave or a
closure recorded since, a session moved) is withdrawn, and booked ones in the same position are
listed for rebooking instead. Who may do what follows roles.md: rotas, exceptions and generation
are for team leads and IT; a single slot is added, blocked or released by a team lead or the
booking office.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from physioline.clock import Clock, to_london
from physioline.core.due import london_date, london_day_bounds, london_wall_time
from physioline.core.referral import AppointmentType, Role, RotaExceptionKind, SlotState
from physioline.core.slots import DEFAULT_HORIZON_WEEKS, RotaSession, SlotSpec, validate_rota
from physioline.core.slots import RotaException as RotaExceptionSpec
from physioline.core.slots import generate_slots as generate_slot_specs
from physioline.db.engine import Database
from physioline.db.models import (
    Appointment,
    Clinic,
    RotaException,
    RotaTemplate,
    Slot,
    User,
)
from physioline.db.uow import UnitOfWork
from physioline.errors import Conflict, InvalidInput, NotFound
from physioline.services import service_rules
from physioline.services.desk import Desk

log = logging.getLogger(__name__)

#: Who edits rota templates and exceptions and generates slots (roles.md).
ROTA_EDITORS = (Role.TEAM_LEAD, Role.SYSTEM_ADMIN)
#: Who adds, blocks or releases a single slot (roles.md).
SLOT_KEEPERS = (Role.TEAM_LEAD, Role.ADMIN_STAFF)
#: Service setting: ``{"closed_on_bank_holidays": true}`` (the default).
ROTA_KEY = "rota"
#: The longest horizon one generation may cover.
MAX_HORIZON_WEEKS = 52
WITHDRAWN_REASON = (
    "Withdrawn: no longer on the rota (leave, training, closure or a changed session)."
)


@dataclass(frozen=True)
class GenerationReport:
    """What one generation did, for the screen, the CLI and the audit trail."""

    first_day: date
    last_day: date
    added: int
    withdrawn: int
    #: Booked slots the rota no longer gives (leave, a closure): their patients need rebooking.
    to_rebook: tuple[int, ...] = field(default=())
    #: Slots the rota gives that were left out because another slot of the clinician is there.
    clashes: tuple[str, ...] = field(default=())

    @property
    def message(self) -> str:
        """What happened, in a sentence or three."""
        text = (
            f"Slots from {self.first_day:%a %d %b %Y} to {self.last_day:%a %d %b %Y}: "
            f"{self.added} added, {self.withdrawn} withdrawn; booked and blocked slots unchanged."
        )
        if self.to_rebook:
            text += (
                f" {len(self.to_rebook)} booked appointment(s) fall outside the rota now: rebook "
                f"them (slots {', '.join(str(i) for i in self.to_rebook)})."
            )
        if self.clashes:
            text += f" Not added, another slot is there: {'; '.join(self.clashes[:5])}."
        return text


def closed_on_bank_holidays(session: Session) -> bool:
    """The service's rule: no slots on England and Wales bank holidays (default True)."""
    raw = service_rules.read_setting(session, ROTA_KEY) or {}
    return bool(raw.get("closed_on_bank_holidays", True))


# --------------------------------------------------------------------------------------------
# Generation


@dataclass(frozen=True)
class _Template:
    template_id: int
    session: RotaSession
    valid_from: date
    valid_until: date | None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def meets(self, other: _Template) -> bool:
        """Whether the two templates are ever in force on the same day."""
        starts = max(self.valid_from, other.valid_from)
        ends = min(self.valid_until or date.max, other.valid_until or date.max)
        return starts <= ends


def _session_of(t: RotaTemplate) -> RotaSession:
    return RotaSession(
        clinician_id=t.clinician_id,
        clinic_id=t.clinic_id,
        weekday=t.weekday,
        starts_at=t.starts,
        ends_at=t.ends,
        appointment_type=t.appointment_type,
        length_minutes=t.slot_minutes,
        held_for_urgent=t.held_for_urgent,
    )


def _templates(session: Session, first_day: date, last_day: date) -> list[_Template]:
    rows = session.scalars(
        sa.select(RotaTemplate)
        .where(
            RotaTemplate.valid_from <= last_day,
            sa.or_(RotaTemplate.valid_until.is_(None), RotaTemplate.valid_until >= first_day),
        )
        .order_by(RotaTemplate.id)
    )
    return [_Template(t.id, _session_of(t), t.valid_from, t.valid_until) for t in rows]


def _refuse_overlaps(templates: Iterable[_Template]) -> None:
    """Refuse a rota in which a clinician works two sessions at once (validate_rota's message)."""
    by_clinician: dict[int, list[_Template]] = {}
    for template in templates:
        by_clinician.setdefault(template.session.clinician_id, []).append(template)
    for group in by_clinician.values():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if first.meets(second):
                    validate_rota((first.session, second.session))


def _exceptions(session: Session) -> list[RotaExceptionSpec]:
    specs = []
    for e in session.scalars(sa.select(RotaException)):
        start, end = to_london(e.starts_at), to_london(e.ends_at)
        whole_days = start.time() == time(0) and end.time() == time(0)
        specs.append(
            RotaExceptionSpec(
                kind=e.kind,
                first_day=start.date(),
                last_day=end.date() - timedelta(days=1) if whole_days else end.date(),
                clinician_id=e.clinician_id if e.kind != RotaExceptionKind.CLOSURE else None,
                clinic_id=e.clinic_id,
                starts_at=None if whole_days else start.time(),
                ends_at=None if whole_days else end.time(),
            )
        )
    return specs


class _Busy:
    """Each clinician's live slots as sorted intervals, to keep new slots off existing ones."""

    def __init__(self) -> None:
        self._starts: dict[int, list[datetime]] = {}
        self._ends: dict[int, list[datetime]] = {}

    def add(self, clinician_id: int, starts_at: datetime, ends_at: datetime) -> None:
        starts = self._starts.setdefault(clinician_id, [])
        ends = self._ends.setdefault(clinician_id, [])
        at = bisect.bisect(starts, starts_at)
        starts.insert(at, starts_at)
        ends.insert(at, ends_at)

    def clashes(self, clinician_id: int, starts_at: datetime, ends_at: datetime) -> bool:
        starts = self._starts.get(clinician_id, [])
        at = bisect.bisect_left(starts, ends_at)  # slots starting before this one ends
        return at > 0 and self._ends[clinician_id][at - 1] > starts_at


def _generate(uow: UnitOfWork, weeks: int) -> GenerationReport:
    if not 1 <= weeks <= MAX_HORIZON_WEEKS:
        raise InvalidInput(
            f"The slot horizon must be 1 to {MAX_HORIZON_WEEKS} weeks, not {weeks}.",
            f"The usual horizon is {DEFAULT_HORIZON_WEEKS} weeks.",
        )
    session = uow.session
    now = uow.now()
    first_day = london_date(now)
    last_day = first_day + timedelta(days=7 * weeks - 1)
    horizon_end = london_day_bounds(last_day)[1]
    templates = _templates(session, first_day, last_day)
    _refuse_overlaps(templates)
    exceptions = _exceptions(session)
    bank_holidays_closed = closed_on_bank_holidays(session)

    wanted: dict[tuple[int, datetime], tuple[SlotSpec, int]] = {}
    for template in templates:
        for spec in generate_slot_specs(
            (template.session,), exceptions, start=first_day, weeks=weeks,
            closed_on_bank_holidays=bank_holidays_closed,
        ):  # fmt: skip
            if spec.starts_at > now and template.valid_on(london_date(spec.starts_at)):
                wanted[(spec.clinician_id, spec.starts_at)] = (spec, template.template_id)

    existing = session.execute(
        sa.select(Slot.id, Slot.clinician_id, Slot.starts_at, Slot.ends_at, Slot.state,
                  Slot.rota_template_id)
        .where(Slot.starts_at > now, Slot.starts_at < horizon_end + timedelta(days=1))
    ).all()  # fmt: skip
    has_history = set(
        session.scalars(
            sa.select(Appointment.slot_id).where(
                Appointment.slot_id.in_([row.id for row in existing if row.state == "free"])
            )
        )
    ) if existing else set()  # fmt: skip

    busy = _Busy()
    withdraw: list[int] = []
    block: list[int] = []
    to_rebook: list[int] = []
    present: set[tuple[int, datetime]] = set()
    for row in existing:
        key = (row.clinician_id, row.starts_at)
        from_rota = row.rota_template_id is not None
        if key in wanted or not from_rota or row.starts_at >= horizon_end:
            present.add(key)
            if row.state != SlotState.BLOCKED:
                busy.add(row.clinician_id, row.starts_at, row.ends_at)
        elif row.state == SlotState.FREE:
            (block if row.id in has_history else withdraw).append(row.id)
        else:
            present.add(key)
            if row.state == SlotState.BOOKED:
                to_rebook.append(row.id)
                busy.add(row.clinician_id, row.starts_at, row.ends_at)

    if withdraw:
        session.execute(sa.delete(Slot).where(Slot.id.in_(withdraw)))
    if block:
        session.execute(
            sa.update(Slot).where(Slot.id.in_(block))
            .values(state=SlotState.BLOCKED, blocked_reason=WITHDRAWN_REASON,
                    version=Slot.version + 1)
        )  # fmt: skip

    fresh: list[dict[str, object]] = []
    clashes: list[str] = []
    for key in sorted(wanted, key=lambda k: (k[1], k[0])):
        if key in present:
            continue
        spec, template_id = wanted[key]
        if busy.clashes(spec.clinician_id, spec.starts_at, spec.ends_at):
            when = to_london(spec.starts_at)
            clashes.append(f"clinician {spec.clinician_id} {when:%a %d %b %H:%M}")
            continue
        busy.add(spec.clinician_id, spec.starts_at, spec.ends_at)
        fresh.append(_slot_row(spec, template_id))
    if fresh:
        session.execute(sa.insert(Slot), fresh)
    report = GenerationReport(
        first_day=first_day,
        last_day=last_day,
        added=len(fresh),
        withdrawn=len(withdraw) + len(block),
        to_rebook=tuple(to_rebook),
        clashes=tuple(clashes),
    )
    uow.audit("slots.generate", "slot", details={
        "weeks": weeks, "first_day": first_day.isoformat(), "last_day": last_day.isoformat(),
        "added": report.added, "withdrawn": report.withdrawn,
        "to_rebook": list(report.to_rebook), "clashes": len(clashes),
    })  # fmt: skip
    return report


def generate_slots(db: Database, clock: Clock, *, weeks: int = DEFAULT_HORIZON_WEEKS) -> int:
    """Generate the rota's slots as the system (the demo build); return how many were added.

    See :func:`generate_slots_for` for what generation guarantees.
    """
    with UnitOfWork(db, clock, None) as uow:
        report = _generate(uow, weeks)
        uow.commit()
    log.info("generated %s slots for %s weeks", report.added, weeks)
    return report.added


def generate_slots_for(desk: Desk, *, weeks: int = DEFAULT_HORIZON_WEEKS) -> GenerationReport:
    """Bring the slots of the next ``weeks`` weeks into line with the rota, as the signed-in user.

    Guarantees: existing slots are matched by (clinician, start) and never duplicated; booked
    and blocked slots are never changed or removed; bank holidays are closed unless the service
    says otherwise; leave, training and closures are left out; free slots the rota no longer
    gives are withdrawn (blocked instead of deleted when they have appointment history); a slot
    that would overlap another of the clinician is left out and named. One transaction, audited.

    Raises:
        NotPermitted: your role does not manage rotas (team lead or IT).
        InvalidInput: the horizon is out of range, or two sessions of a clinician overlap.
    """
    actor = desk.require(*ROTA_EDITORS, action="generate slots from the rota")
    with desk.uow() as uow:
        report = _generate(uow, weeks)
        uow.commit()
    log.info("user %s generated slots: %s added, %s withdrawn, %s to rebook", actor.user_id,
             report.added, report.withdrawn, len(report.to_rebook))  # fmt: skip
    return report


def _slot_row(spec: SlotSpec, template_id: int | None) -> dict[str, object]:
    return {
        "clinic_id": spec.clinic_id,
        "clinician_id": spec.clinician_id,
        "rota_template_id": template_id,
        "starts_at": spec.starts_at,
        "ends_at": spec.ends_at,
        "appointment_type": spec.appointment_type.value,
        "held_for_urgent": spec.held_for_urgent,
        "state": SlotState.FREE.value,
        "blocked_reason": None,
        "version": 1,
    }


# --------------------------------------------------------------------------------------------
# Rota templates and exceptions


def appointment_type_of(value: AppointmentType | str) -> AppointmentType:
    """The appointment type named by ``value``.

    Raises:
        InvalidInput: not new_patient or follow_up.
    """
    try:
        return AppointmentType(value)
    except ValueError:
        raise InvalidInput(f"'{value}' is not an appointment type.",
                           "Use new_patient or follow_up.") from None  # fmt: skip


def _clinician(session: Session, clinician_id: int) -> User:
    user = session.get(User, clinician_id)
    if user is None or not user.active:
        raise NotFound(f"There is no active clinician {clinician_id}.")
    if user.role not in (Role.PHYSIO, Role.TEAM_LEAD):
        raise InvalidInput(f"{user.display_name} is not a clinician and has no clinic sessions.")
    return user


def _clinic(session: Session, clinic_id: int) -> Clinic:
    clinic = session.get(Clinic, clinic_id)
    if clinic is None or not clinic.active:
        raise NotFound(f"There is no open clinic {clinic_id}.")
    return clinic


def add_rota_session(
    desk: Desk,
    *,
    clinician_id: int,
    clinic_id: int,
    weekday: int,
    starts: time,
    ends: time,
    appointment_type: AppointmentType | str,
    slot_minutes: int | None = None,
    held_for_urgent: int = 0,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> int:
    """Add a weekly session to a clinician's rota; return the template id.

    Slots follow at the next generation. Nothing is written when the session is impossible.

    Raises:
        NotPermitted: your role does not manage rotas.
        InvalidInput: the session ends before it starts, is shorter than one appointment, holds
            too many slots, ends its validity before it starts, or overlaps another session of
            the clinician in force on some of the same days (both named).
        NotFound: no such clinician or clinic.
    """
    actor = desk.require(*ROTA_EDITORS, action="change rotas")
    spec = RotaSession(
        clinician_id=clinician_id, clinic_id=clinic_id, weekday=weekday, starts_at=starts,
        ends_at=ends, appointment_type=appointment_type_of(appointment_type),
        length_minutes=slot_minutes, held_for_urgent=held_for_urgent,
    )  # fmt: skip
    with desk.uow() as uow:
        session = uow.session
        _clinician(session, clinician_id)
        _clinic(session, clinic_id)
        first = valid_from or london_date(uow.now())
        if valid_until is not None and valid_until < first:
            raise InvalidInput(
                f"The session would stop on {valid_until:%d %b %Y}, before it starts on "
                f"{first:%d %b %Y}."
            )
        new = _Template(0, spec, first, valid_until)
        others = [
            t for t in _templates(session, first, valid_until or date.max)
            if t.session.clinician_id == clinician_id
        ]  # fmt: skip
        _refuse_overlaps([*others, new])
        template = RotaTemplate(
            clinician_id=clinician_id, clinic_id=clinic_id, weekday=weekday, starts=starts,
            ends=ends, appointment_type=spec.appointment_type, slot_minutes=spec.slot_minutes,
            held_for_urgent=held_for_urgent, valid_from=first, valid_until=valid_until,
        )  # fmt: skip
        session.add(template)
        session.flush()
        uow.audit("rota.add_session", "rota_template", template.id, details={
            "clinician_id": clinician_id, "clinic_id": clinic_id, "weekday": weekday,
            "starts": starts.isoformat("minutes"), "ends": ends.isoformat("minutes"),
            "appointment_type": spec.appointment_type.value, "slot_minutes": spec.slot_minutes,
            "held_for_urgent": held_for_urgent, "valid_from": first.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
        })  # fmt: skip
        uow.commit()
        log.info("user %s added rota session %s", actor.user_id, template.id)
        return template.id


def add_rota_exception(
    desk: Desk,
    *,
    kind: RotaExceptionKind | str,
    first_day: date,
    last_day: date,
    clinician_id: int | None = None,
    clinic_id: int | None = None,
    starts: time | None = None,
    ends: time | None = None,
    note: str = "",
) -> GenerationReport:
    """Record leave, training or a clinic closure, and take its free slots off offer at once.

    Whole days unless both ``starts`` and ``ends`` are given (then those hours on each day).
    Booked appointments inside it are not cancelled: the report lists them for rebooking.

    Raises:
        NotPermitted: your role does not manage rotas.
        InvalidInput: the period ends before it starts, leave without a clinician, a closure
            naming a clinician, or part-day times with only one end.
        NotFound: no such clinician or clinic.
    """
    actor = desk.require(*ROTA_EDITORS, action="record rota exceptions")
    try:
        exception_kind = RotaExceptionKind(kind)
    except ValueError:
        raise InvalidInput(f"Unknown rota exception '{kind}'.",
                           "Use leave, training or closure.") from None  # fmt: skip
    spec = RotaExceptionSpec(kind=exception_kind, first_day=first_day, last_day=last_day,
                             clinician_id=clinician_id, clinic_id=clinic_id,
                             starts_at=starts, ends_at=ends)  # fmt: skip
    with desk.uow() as uow:
        session = uow.session
        if clinician_id is not None:
            _clinician(session, clinician_id)
        if clinic_id is not None:
            _clinic(session, clinic_id)
        days = (
            [(first_day, last_day)]
            if starts is None
            else [(first_day + timedelta(days=n), first_day + timedelta(days=n))
                  for n in range((last_day - first_day).days + 1)]
        )  # fmt: skip
        ids = []
        for begin, end in days:
            if starts is None or ends is None:
                at, until = london_day_bounds(begin)[0], london_day_bounds(end)[1]
            else:
                at, until = london_wall_time(begin, starts), london_wall_time(end, ends)
            row = RotaException(kind=spec.kind, clinician_id=clinician_id, clinic_id=clinic_id,
                                starts_at=at, ends_at=until, note=note.strip())  # fmt: skip
            session.add(row)
            session.flush()
            ids.append(row.id)
        uow.audit("rota.add_exception", "rota_exception", ids[0], details={
            "kind": spec.kind.value, "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(), "clinician_id": clinician_id,
            "clinic_id": clinic_id, "starts": starts.isoformat("minutes") if starts else None,
            "ends": ends.isoformat("minutes") if ends else None, "rows": ids,
        })  # fmt: skip
        report = _generate(uow, _horizon_weeks(session, uow.now()))
        uow.commit()
        log.info("user %s recorded rota exception %s", actor.user_id, ids[0])
        return report


def _horizon_weeks(session: Session, now: datetime) -> int:
    """The horizon slots already reach, in whole weeks (at least the default)."""
    latest = session.scalar(sa.select(sa.func.max(Slot.starts_at)))
    if latest is None or latest <= now:
        return DEFAULT_HORIZON_WEEKS
    weeks = (london_date(latest) - london_date(now)).days // 7 + 1
    return max(DEFAULT_HORIZON_WEEKS, min(weeks, MAX_HORIZON_WEEKS))


# --------------------------------------------------------------------------------------------
# One slot at a time


def _slot_for_change(uow: UnitOfWork, slot_id: int) -> Slot:
    slot = uow.session.scalar(sa.select(Slot).where(Slot.id == slot_id).with_for_update())
    if slot is None:
        raise NotFound(f"There is no slot {slot_id}.", "Refresh the calendar.")
    return slot


def _describe(slot: Slot) -> str:
    return f"{to_london(slot.starts_at):%a %d %b %Y %H:%M}"


def _flush_slot(uow: UnitOfWork, what: str) -> None:
    """Flush a slot change; the database's overlap guard and version check become messages."""
    try:
        uow.session.flush()
    except StaleDataError as exc:
        raise Conflict(
            "A colleague changed this slot a moment ago; nothing of yours was saved.",
            "The calendar has been refreshed: check it and try again.",
        ) from exc
    except sa.exc.IntegrityError as exc:
        text = str(exc.orig)
        if "ex_slot_clinician_no_overlap" in text or "uq_slot_clinician_id_starts_at" in text \
                or "slot.clinician_id, slot.starts_at" in text:  # fmt: skip
            raise InvalidInput(
                f"{what}: the clinician already has a slot at that time.",
                "Pick a time clear of their other slots, or block the one in the way first.",
            ) from exc
        raise


def add_slot(
    desk: Desk,
    *,
    clinic_id: int,
    clinician_id: int,
    starts_at: datetime,
    appointment_type: AppointmentType | str,
    minutes: int | None = None,
    held_for_urgent: bool = False,
) -> int:
    """Add one free slot outside the rota (an extra clinic); return its id.

    Raises:
        NotPermitted: not a team lead or the booking office.
        InvalidInput: a start in the past, a length that is not positive (an end before the
            start), an unknown type, or a time overlapping another slot of the clinician.
        NotFound: no such clinician or clinic.
    """
    actor = desk.require(*SLOT_KEEPERS, action="add a slot")
    kind = appointment_type_of(appointment_type)
    length = minutes if minutes is not None else (45 if kind is AppointmentType.NEW_PATIENT else 30)
    if starts_at.tzinfo is None:
        raise InvalidInput("The slot's start needs a time zone (Europe/London wall times).")
    if length <= 0:
        raise InvalidInput(
            f"A slot must end after it starts: {length} minutes is not an appointment length."
        )
    if held_for_urgent and kind is not AppointmentType.NEW_PATIENT:
        raise InvalidInput("Only new-patient slots can be held for urgent patients.")
    with desk.uow() as uow:
        if starts_at <= uow.now():
            raise InvalidInput(
                f"{to_london(starts_at):%a %d %b %Y %H:%M} is in the past: slots are added for "
                "times to come."
            )
        _clinician(uow.session, clinician_id)
        _clinic(uow.session, clinic_id)
        slot = Slot(clinic_id=clinic_id, clinician_id=clinician_id, starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=length), appointment_type=kind,
                    held_for_urgent=held_for_urgent, state=SlotState.FREE)  # fmt: skip
        uow.session.add(slot)
        _flush_slot(uow, f"No slot added at {to_london(starts_at):%a %d %b %H:%M}")
        uow.audit("slot.add", "slot", slot.id, details={
            "clinic_id": clinic_id, "clinician_id": clinician_id,
            "starts_at": starts_at.isoformat(), "minutes": length, "type": kind.value,
            "held_for_urgent": held_for_urgent,
        })  # fmt: skip
        uow.commit()
        log.info("user %s added slot %s", actor.user_id, slot.id)
        return slot.id


def block_slot(desk: Desk, slot_id: int, reason: str) -> None:
    """Take one free slot off offer (clinician off sick, room unavailable), with the reason.

    Raises:
        NotPermitted: not a team lead or the booking office.
        InvalidInput: no reason given, or the slot is in the past.
        Conflict: the slot is booked (cancel the appointment first) or already blocked.
        NotFound: no such slot.
    """
    actor = desk.require(*SLOT_KEEPERS, action="block a slot")
    why = reason.strip()
    if not why:
        raise InvalidInput("Say why the slot is blocked (for the calendar and the audit).")
    with desk.uow() as uow:
        slot = _slot_for_change(uow, slot_id)
        if slot.starts_at <= uow.now():
            raise InvalidInput(f"The slot of {_describe(slot)} is in the past.")
        if slot.state == SlotState.BOOKED:
            raise Conflict(
                f"The slot of {_describe(slot)} is booked.",
                "Cancel or rebook the appointment first (service-initiated), then block it.",
            )
        if slot.state == SlotState.BLOCKED:
            raise Conflict(f"The slot of {_describe(slot)} is already blocked: "
                           f"{slot.blocked_reason}")  # fmt: skip
        slot.state = SlotState.BLOCKED
        slot.blocked_reason = why
        _flush_slot(uow, "Not blocked")
        uow.audit("slot.block", "slot", slot.id, details={"reason": why})
        uow.commit()
        log.info("user %s blocked slot %s", actor.user_id, slot.id)


def release_slot(desk: Desk, slot_id: int) -> str:
    """Put a blocked slot back on offer, or release a slot held for urgent patients to all.

    Returns:
        What was done, in one sentence.

    Raises:
        NotPermitted: not a team lead or the booking office.
        InvalidInput: the slot is in the past, or another slot of the clinician now overlaps it
            (the database refuses; block or move that one first).
        Conflict: the slot is booked, or free and not held (nothing to release).
        NotFound: no such slot.
    """
    actor = desk.require(*SLOT_KEEPERS, action="release a slot")
    with desk.uow() as uow:
        slot = _slot_for_change(uow, slot_id)
        if slot.starts_at <= uow.now():
            raise InvalidInput(f"The slot of {_describe(slot)} is in the past.")
        if slot.state == SlotState.BLOCKED:
            slot.state = SlotState.FREE
            slot.blocked_reason = None
            done = f"The slot of {_describe(slot)} is free to book again."
            action = "slot.release"
        elif slot.state == SlotState.FREE and slot.held_for_urgent:
            slot.held_for_urgent = False
            done = f"The slot of {_describe(slot)} is released to routine booking."
            action = "slot.release_hold"
        elif slot.state == SlotState.BOOKED:
            raise Conflict(f"The slot of {_describe(slot)} is booked; there is nothing to release.")
        else:
            raise Conflict(f"The slot of {_describe(slot)} is already free to every patient.")
        _flush_slot(uow, "Not released")
        uow.audit(action, "slot", slot.id)
        uow.commit()
        log.info("user %s: %s %s", actor.user_id, action, slot.id)
        return done
