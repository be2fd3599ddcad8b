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
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from physioline.clock import Clock, to_london
from physioline.core.due import WEEKDAY_NAMES, london_date, london_day_bounds, london_wall_time
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
from physioline.services import booking, service_rules
from physioline.services.desk import ROTA_EDITORS as _ROTA_EDITORS
from physioline.services.desk import Desk

log = logging.getLogger(__name__)

#: Who edits rota templates and exceptions and generates slots (roles.md).
ROTA_EDITORS = _ROTA_EDITORS
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
    #: The ``to_rebook`` slots as people read them ("Marta Kowalczyk Mon 30 Nov 13:30").
    rebook: tuple[str, ...] = field(default=())

    @property
    def message(self) -> str:
        """What happened, in a sentence or three."""
        text = (
            f"Slots from {self.first_day:%a %d %b %Y} to {self.last_day:%a %d %b %Y}: "
            f"{self.added} added, {self.withdrawn} withdrawn; booked and blocked slots unchanged."
        )
        if self.to_rebook:
            named = f"{'; '.join(self.rebook[:5])}{'; …' if len(self.rebook) > 5 else ''}; " \
                if self.rebook else ""  # fmt: skip
            text += (
                f" {len(self.to_rebook)} booked appointment(s) fall outside the rota now: rebook "
                f"them ({named}slots {', '.join(str(i) for i in self.to_rebook)})."
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
    to_rebook: list[tuple[datetime, int, int]] = []
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
                to_rebook.append((row.starts_at, row.id, row.clinician_id))
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
    clashed: list[tuple[int, datetime]] = []
    for key in sorted(wanted, key=lambda k: (k[1], k[0])):
        if key in present:
            continue
        spec, template_id = wanted[key]
        if busy.clashes(spec.clinician_id, spec.starts_at, spec.ends_at):
            clashed.append((spec.clinician_id, spec.starts_at))
            continue
        busy.add(spec.clinician_id, spec.starts_at, spec.ends_at)
        fresh.append(_slot_row(spec, template_id))
    if fresh:
        session.execute(sa.insert(Slot), fresh)
    named = {c for c, _ in clashed} | {c for _, _, c in to_rebook}
    names = dict(
        session.execute(sa.select(User.id, User.display_name).where(User.id.in_(named))).all()
    ) if named else {}  # fmt: skip
    clashes = [f"{names.get(c, c)} {to_london(at):%a %d %b %H:%M}" for c, at in clashed]
    to_rebook.sort()
    report = GenerationReport(
        first_day=first_day,
        last_day=last_day,
        added=len(fresh),
        withdrawn=len(withdraw) + len(block),
        to_rebook=tuple(slot_id for _, slot_id, _ in to_rebook),
        rebook=tuple(f"{names.get(c, c)} {to_london(at):%a %d %b %H:%M}" for at, _, c in to_rebook),
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


@dataclass(frozen=True)
class RotaChange:
    """A rota change and the slot generation that followed it, in the same transaction."""

    #: What was changed, in a sentence ("Session added: Priya Shah, Fridays 13:00–16:00 at …").
    done: str
    #: The rota template or (first) rota exception row changed.
    row_id: int
    report: GenerationReport

    @property
    def message(self) -> str:
        """What was changed and what it did to the slots."""
        return f"{self.done} {self.report.message}"


@dataclass(frozen=True)
class RotaSessionRow:
    """A weekly clinic session in force today or later, as the rota screen lists it."""

    template_id: int
    clinician_id: int
    clinician_name: str
    clinic_id: int
    clinic_code: str
    clinic_name: str
    weekday: int
    starts: time
    ends: time
    appointment_type: AppointmentType
    slot_minutes: int
    held_for_urgent: int
    valid_from: date
    valid_until: date | None

    @property
    def slot_count(self) -> int:
        """Appointments the session gives each week."""
        minutes = (self.ends.hour - self.starts.hour) * 60 + self.ends.minute - self.starts.minute
        return minutes // self.slot_minutes

    def describe(self) -> str:
        """'Priya Shah, Mondays 09:00–12:45 at Ladywell Physiotherapy Centre'."""
        return _session_text(self.clinician_name, self.weekday, self.starts, self.ends,
                             self.clinic_name)  # fmt: skip


@dataclass(frozen=True)
class RotaExceptionRow:
    """Leave, training or a closure not yet over, as the rota screen lists it."""

    exception_id: int
    kind: RotaExceptionKind
    clinician_id: int | None
    clinician_name: str | None
    clinic_id: int | None
    clinic_name: str | None
    starts_at: datetime
    ends_at: datetime
    note: str

    @property
    def whole_days(self) -> bool:
        """Whether it runs from midnight to midnight (London), not some hours of a day."""
        return to_london(self.starts_at).time() == time(0) == to_london(self.ends_at).time()

    @property
    def first_day(self) -> date:
        """First London day affected."""
        return london_date(self.starts_at)

    @property
    def last_day(self) -> date:
        """Last London day affected (inclusive)."""
        end = london_date(self.ends_at)
        return end - timedelta(days=1) if self.whole_days else end

    @property
    def who(self) -> str:
        """The clinician on leave or training, or the clinic closed."""
        if self.kind is RotaExceptionKind.CLOSURE:
            return self.clinic_name or "every clinic"
        return self.clinician_name or "?"

    @property
    def period(self) -> str:
        """'Mon 30 Nov 2026', 'Mon 30 Nov 2026 – Fri 04 Dec 2026', 'Tue 01 Dec 2026 10:00–11:00'."""
        first, last = self.first_day, self.last_day
        text = f"{first:%a %d %b %Y}" if first == last else \
            f"{first:%a %d %b %Y} – {last:%a %d %b %Y}"  # fmt: skip
        if not self.whole_days:
            text += f" {to_london(self.starts_at):%H:%M}–{to_london(self.ends_at):%H:%M}"
        return text

    def describe(self) -> str:
        """'Leave: Marta Kowalczyk, Mon 30 Nov 2026'."""
        return f"{self.kind.value.capitalize()}: {self.who}, {self.period}"


@dataclass(frozen=True)
class RotaOverview:
    """Everything the rota screen shows and offers."""

    today: date
    sessions: tuple[RotaSessionRow, ...]
    exceptions: tuple[RotaExceptionRow, ...]
    #: Active clinicians (physios and team leads): (id, name), by name.
    clinicians: tuple[tuple[int, str], ...]
    #: Open clinics: (id, code, name), by name.
    clinics: tuple[tuple[int, str, str], ...]


def _session_text(clinician: str, weekday: int, starts: time, ends: time, clinic: str) -> str:
    return f"{clinician}, {WEEKDAY_NAMES[weekday]}s {starts:%H:%M}–{ends:%H:%M} at {clinic}"


def rota_overview(desk: Desk) -> RotaOverview:
    """The sessions in force today or later, the exceptions not yet over, and the choices.

    Raises:
        NotPermitted: your role does not manage rotas (team lead or IT).
    """
    desk.require(*ROTA_EDITORS, action="see and change rotas")
    with desk.uow(read_only=True) as uow:
        session = uow.session
        now = uow.now()
        today = london_date(now)
        templates = session.execute(
            sa.select(RotaTemplate, User.display_name, Clinic.code, Clinic.name)
            .join(User, User.id == RotaTemplate.clinician_id)
            .join(Clinic, Clinic.id == RotaTemplate.clinic_id)
            .where(sa.or_(RotaTemplate.valid_until.is_(None), RotaTemplate.valid_until >= today))
            .order_by(User.display_name, RotaTemplate.weekday, RotaTemplate.starts,
                      RotaTemplate.id)
        ).all()  # fmt: skip
        clinician = sa.orm.aliased(User)
        exceptions = session.execute(
            sa.select(RotaException, clinician.display_name, Clinic.name)
            .outerjoin(clinician, clinician.id == RotaException.clinician_id)
            .outerjoin(Clinic, Clinic.id == RotaException.clinic_id)
            .where(RotaException.ends_at > now)
            .order_by(RotaException.starts_at, RotaException.id)
        ).all()  # fmt: skip
        clinicians = session.execute(
            sa.select(User.id, User.display_name)
            .where(User.active.is_(True), User.role.in_((Role.PHYSIO, Role.TEAM_LEAD)))
            .order_by(User.display_name)
        ).all()  # fmt: skip
        clinics = session.execute(
            sa.select(Clinic.id, Clinic.code, Clinic.name)
            .where(Clinic.active.is_(True)).order_by(Clinic.name)
        ).all()  # fmt: skip
        # Rows are read before the unit of work ends: its rollback expires the ORM objects.
        return RotaOverview(
            today=today,
            sessions=tuple(
                RotaSessionRow(t.id, t.clinician_id, name, t.clinic_id, code, clinic, t.weekday,
                               t.starts, t.ends, t.appointment_type, t.slot_minutes,
                               t.held_for_urgent, t.valid_from, t.valid_until)
                for t, name, code, clinic in templates
            ),
            exceptions=tuple(
                RotaExceptionRow(e.id, e.kind, e.clinician_id, name, e.clinic_id, clinic,
                                 e.starts_at, e.ends_at, e.note)
                for e, name, clinic in exceptions
            ),
            clinicians=tuple((i, n) for i, n in clinicians),
            clinics=tuple((i, c, n) for i, c, n in clinics),
        )  # fmt: skip


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


def _named(exc: InvalidInput, clinician: User | None, clinic: Clinic | None) -> InvalidInput:
    """The core names clinicians and clinics by id; whoever reads the message knows names."""
    text = exc.message
    if clinician is not None:
        text = re.sub(rf"\bclinician {clinician.id}\b", clinician.display_name, text)
    if clinic is not None:
        text = re.sub(rf"\bclinic {clinic.id}\b", clinic.name, text)
    return InvalidInput(text, exc.hint)


def _refuse_overlap(session: Session, clinician: User, clinic: Clinic, new: _Template) -> None:
    """Refuse a session overlapping another of the clinician in force on some of the same days,
    naming both (the database's slot overlap guard would only catch it at generation)."""
    for other in _templates(session, new.valid_from, new.valid_until or date.max):
        if other.session.clinician_id != clinician.id:
            continue
        if other.session.overlaps(new.session) and other.meets(new):
            where = session.get(Clinic, other.session.clinic_id)
            weekday = WEEKDAY_NAMES[new.session.weekday]
            raise InvalidInput(
                f"{clinician.display_name} has overlapping rota sessions on {weekday}: "
                f"{other.session.starts_at:%H:%M}–{other.session.ends_at:%H:%M} at "
                f"{where.name if where else other.session.clinic_id} and "
                f"{new.session.starts_at:%H:%M}–{new.session.ends_at:%H:%M} at {clinic.name}.",
                "Change the times so the sessions do not overlap, or end the other session first.",
            )


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
) -> RotaChange:
    """Add a weekly session to a clinician's rota, and generate its slots at once.

    One transaction: the template, its slots over the horizon slots already reach (at least
    the default 12 weeks; booked and blocked slots untouched), the audit. Nothing is written
    when the session is impossible.

    Raises:
        NotPermitted: your role does not manage rotas.
        InvalidInput: the session ends before it starts, is shorter than one appointment, holds
            too many slots, ends its validity before it starts, or overlaps another session of
            the clinician in force on some of the same days (both named).
        NotFound: no such clinician or clinic.
    """
    actor = desk.require(*ROTA_EDITORS, action="change rotas")
    kind = appointment_type_of(appointment_type)
    with desk.uow() as uow:
        session = uow.session
        clinician = _clinician(session, clinician_id)
        clinic = _clinic(session, clinic_id)
        try:
            spec = RotaSession(
                clinician_id=clinician_id, clinic_id=clinic_id, weekday=weekday,
                starts_at=starts, ends_at=ends, appointment_type=kind,
                length_minutes=slot_minutes, held_for_urgent=held_for_urgent,
            )  # fmt: skip
        except InvalidInput as exc:
            raise _named(exc, clinician, clinic) from None
        first = valid_from or london_date(uow.now())
        if valid_until is not None and valid_until < first:
            raise InvalidInput(
                f"The session would stop on {valid_until:%d %b %Y}, before it starts on "
                f"{first:%d %b %Y}."
            )
        _refuse_overlap(session, clinician, clinic, _Template(0, spec, first, valid_until))
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
        report = _generate(uow, _horizon_weeks(session, uow.now()))
        uow.commit()
        log.info("user %s added rota session %s", actor.user_id, template.id)
        text = _session_text(clinician.display_name, weekday, starts, ends, clinic.name)
        return RotaChange(f"Session added: {text}.", template.id, report)


def end_rota_session(desk: Desk, template_id: int) -> RotaChange:
    """End a weekly session from today, and withdraw its free slots at once.

    Booked appointments in its slots are not cancelled: the report lists them for rebooking
    (the rota screen and the CLI say so). A session that never ran is deleted; one with slots
    in the past stays in the record, ending yesterday. One transaction, audited.

    Raises:
        NotPermitted: your role does not manage rotas.
        NotFound: no such session.
        Conflict: the session has already ended.
    """
    actor = desk.require(*ROTA_EDITORS, action="change rotas")
    with desk.uow() as uow:
        session = uow.session
        template = session.scalar(
            sa.select(RotaTemplate).where(RotaTemplate.id == template_id).with_for_update()
        )
        if template is None:
            raise NotFound(f"There is no rota session {template_id}.", "Refresh the rota.")
        clinician = session.get(User, template.clinician_id)
        clinic = session.get(Clinic, template.clinic_id)
        text = _session_text(
            clinician.display_name if clinician else "?", template.weekday, template.starts,
            template.ends, clinic.name if clinic else "?",
        )  # fmt: skip
        today = london_date(uow.now())
        if template.valid_until is not None and template.valid_until < today:
            raise Conflict(f"The session {text} ended on {template.valid_until:%a %d %b %Y}.",
                           "Refresh the rota.")  # fmt: skip
        details = {
            "clinician_id": template.clinician_id, "clinic_id": template.clinic_id,
            "weekday": template.weekday, "starts": template.starts.isoformat("minutes"),
            "ends": template.ends.isoformat("minutes"),
            "valid_from": template.valid_from.isoformat(),
            "valid_until_was": template.valid_until.isoformat() if template.valid_until else None,
        }  # fmt: skip
        template.valid_until = today - timedelta(days=1)
        session.flush()
        report = _generate(uow, _horizon_weeks(session, uow.now()))
        kept = session.scalar(sa.select(sa.exists().where(Slot.rota_template_id == template.id)))
        if not kept:  # it never gave a slot that is still there: nothing to keep it for
            session.delete(template)
            session.flush()
        uow.audit("rota.end_session", "rota_template", template_id,
                  details={**details, "deleted": not kept})  # fmt: skip
        uow.commit()
    log.info("user %s ended rota session %s", actor.user_id, template_id)
    return RotaChange(f"Session ended: {text}.", template_id, report)


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
) -> RotaChange:
    """Record leave, training or a clinic closure, and take its free slots off offer at once.

    Whole days unless both ``starts`` and ``ends`` are given (then those hours on each day).
    Booked appointments inside it are not cancelled: the report lists them for rebooking.

    Raises:
        NotPermitted: your role does not manage rotas.
        InvalidInput: the period ends before it starts, leave without a clinician, a closure
            naming a clinician or no clinic, or part-day times with only one end.
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
    if spec.kind is RotaExceptionKind.CLOSURE and clinic_id is None:
        raise InvalidInput("A closure names the clinic that closes.", "Choose the clinic.")
    with desk.uow() as uow:
        session = uow.session
        clinician = _clinician(session, clinician_id) if clinician_id is not None else None
        clinic = _clinic(session, clinic_id) if clinic_id is not None else None
        days = (
            [(first_day, last_day)]
            if starts is None
            else [(first_day + timedelta(days=n), first_day + timedelta(days=n))
                  for n in range((last_day - first_day).days + 1)]
        )  # fmt: skip
        ids = []
        rows = []
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
            rows.append(row)
        uow.audit("rota.add_exception", "rota_exception", ids[0], details={
            "kind": spec.kind.value, "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(), "clinician_id": clinician_id,
            "clinic_id": clinic_id, "starts": starts.isoformat("minutes") if starts else None,
            "ends": ends.isoformat("minutes") if ends else None, "rows": ids,
        })  # fmt: skip
        report = _generate(uow, _horizon_weeks(session, uow.now()))
        uow.commit()
        log.info("user %s recorded rota exception %s", actor.user_id, ids[0])
        first = _exception_row(rows[0], clinician, clinic)
        period = first.period
        if len(rows) > 1:
            period = f"{first_day:%a %d %b %Y} – {last_day:%a %d %b %Y} {starts:%H:%M}–{ends:%H:%M}"
        done = f"{spec.kind.value.capitalize()} recorded: {first.who}, {period}."
        return RotaChange(done, ids[0], report)


def _exception_row(row: RotaException, clinician: User | None, clinic: Clinic | None
                   ) -> RotaExceptionRow:  # fmt: skip
    return RotaExceptionRow(row.id, row.kind, row.clinician_id,
                            clinician.display_name if clinician else None, row.clinic_id,
                            clinic.name if clinic else None, row.starts_at, row.ends_at,
                            row.note)  # fmt: skip


def remove_rota_exception(desk: Desk, exception_id: int) -> RotaChange:
    """Remove leave, training or a closure entered in error or cancelled, and give back its slots.

    Slots the rota gives in its period are generated again at once (where nothing else of the
    clinician is in the way). An exception already over stays in the record. One transaction,
    audited with everything the row said.

    Raises:
        NotPermitted: your role does not manage rotas.
        NotFound: no such exception.
        Conflict: the exception is over.
    """
    actor = desk.require(*ROTA_EDITORS, action="record rota exceptions")
    with desk.uow() as uow:
        session = uow.session
        row = session.scalar(
            sa.select(RotaException).where(RotaException.id == exception_id).with_for_update()
        )
        if row is None:
            raise NotFound(f"There is no rota exception {exception_id}.", "Refresh the rota.")
        clinician = session.get(User, row.clinician_id) if row.clinician_id else None
        clinic = session.get(Clinic, row.clinic_id) if row.clinic_id else None
        shown = _exception_row(row, clinician, clinic)
        if row.ends_at <= uow.now():
            raise Conflict(f"{shown.describe()} is over; it stays in the record.")
        details = {
            "kind": row.kind.value, "clinician_id": row.clinician_id, "clinic_id": row.clinic_id,
            "starts_at": row.starts_at.isoformat(), "ends_at": row.ends_at.isoformat(),
            "note": row.note,
        }  # fmt: skip
        session.delete(row)
        session.flush()
        uow.audit("rota.remove_exception", "rota_exception", exception_id, details=details)
        report = _generate(uow, _horizon_weeks(session, uow.now()))
        uow.commit()
    log.info("user %s removed rota exception %s", actor.user_id, exception_id)
    return RotaChange(f"Removed: {shown.describe()}.", exception_id, report)


def _horizon_weeks(session: Session, now: datetime) -> int:
    """The horizon slots already reach, in whole weeks (the default when there are none).

    A rota change brings the slots already offered into line; it does not stretch everyone's
    horizon (that is "generate slots", with its own number of weeks).
    """
    latest = session.scalar(sa.select(sa.func.max(Slot.starts_at)))
    if latest is None or latest <= now:
        return DEFAULT_HORIZON_WEEKS
    weeks = (london_date(latest) - london_date(now)).days // 7 + 1
    return min(weeks, MAX_HORIZON_WEEKS)


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
        What was done, in one sentence; and how many on the waiting list the slot fits, when
        any do (``booking.book_from_waiting_list`` books it for the longest waiting).

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
        waiting = booking.waiting_for_slot_in(uow, slot.id)
        if waiting.count:  # the booking office can book it for the longest waiting at once
            done += f" {waiting.message}"
        uow.commit()
        log.info("user %s: %s %s", actor.user_id, action, slot.id)
        return done
