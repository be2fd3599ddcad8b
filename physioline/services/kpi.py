"""Service targets: who was called within 48 hours, seen within 3 weeks, treated within 18 weeks.

The figures a team lead and the commissioner read, computed by SQL aggregates (one grouped query
per chart, never a Python loop over referrals) on SQLite and PostgreSQL alike. They mean exactly
this (``DEFINITIONS`` carries the same words into reports):

* A referral belongs to the week (Monday to Sunday, Europe/London) or period in which it was
  received. Cancelled referrals are left out of every denominator; referrals that ended unable
  to contact stay in.
* **48-hour contact**: referrals whose first call attempt, of any result, was made by their due
  time, over referrals whose due time has passed. **48-hour conversation**: the same with the
  first answered call.
* **Seen within 3 weeks**: referrals with a face-to-face disposition (``urgent_f2f``,
  ``routine_f2f``) whose first appointment (booked, attended or did-not-attend; cancelled ones do
  not count) starts within 21 days of receipt, over referrals with a face-to-face disposition
  received at least 21 days before the period's end. Target 85 %.
* **Referral to treatment within 18 weeks**: referrals whose treatment started within 18 weeks
  (126 days) of receipt (the first face-to-face appointment as above, or the signed assessment
  when the disposition is ``self_management``), over referrals received at least 18 weeks before
  the period's end.
* **Unable to contact**: referrals that ended unable to contact, over referrals received.

A period that has not ended yet ends "now" for the 21-day and 18-week cut-offs and for "due time
has passed". The disposition of a referral is that of its latest signed assessment. Durations
are clock time (21 days = 504 hours), as the service counts its 48 clock hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from physioline.core.due import london_date, london_day_bounds
from physioline.core.referral import (
    OPEN_STATUSES,
    AppointmentStatus,
    AssessmentState,
    ReferralStatus,
)
from physioline.core.vocabulary import DESTINATIONS_BY_PRECEDENCE, DISPOSITIONS_MOST_SEVERE_FIRST
from physioline.db.models import (
    Appointment,
    Assessment,
    CallAttempt,
    Patient,
    Referral,
    Slot,
    User,
)
from physioline.db.tables import UTCDateTime
from physioline.errors import InvalidInput
from physioline.services.desk import Desk
from physioline.services.teamlead import TEAM_LEADS

SEEN_TARGET = 0.85
SEEN_WITHIN = timedelta(days=21)
TREATED_WITHIN = timedelta(weeks=18)
FACE_TO_FACE = ("urgent_f2f", "routine_f2f")
SELF_MANAGEMENT = "self_management"
#: Dispositions that send the patient elsewhere, with a destination (spec 2.4, 2.5).
ONWARD = ("emergency", "urgent_referral", "onward_referral")
DISPOSITIONS = tuple(d.value for d in DISPOSITIONS_MOST_SEVERE_FIRST)
DESTINATIONS = tuple(d.value for d in DESTINATIONS_BY_PRECEDENCE)
MAX_PERIOD_DAYS = 3 * 366

DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("Which referrals",
     "A referral belongs to the week (Monday to Sunday, Europe/London) or period in which it was "
     "received. Cancelled referrals are left out of every denominator; referrals that ended "
     "unable to contact stay in."),
    ("48-hour contact",
     "Referrals whose first call attempt, of any result, was made by their due time, over "
     "referrals whose due time has passed."),
    ("48-hour conversation",
     "The same with the first answered call."),
    ("Seen within 3 weeks",
     "Referrals with a face-to-face disposition whose first appointment (booked, attended or "
     "later marked did-not-attend; cancelled ones do not count) starts within 21 days of "
     "receipt, over referrals with a face-to-face disposition received at least 21 days before "
     "the period's end. Target 85 %."),
    ("Referral to treatment within 18 weeks",
     "Referrals whose treatment started within 18 weeks of receipt (the first face-to-face "
     "appointment as above, or the signed assessment when the disposition is self-management), "
     "over referrals received at least 18 weeks before the period's end."),
    ("Unable to contact",
     "Referrals that ended unable to contact, over referrals received."),
    ("Cut-offs",
     "A period that has not ended yet ends now for the 21-day and 18-week cut-offs and for 'due "
     "time has passed'. A referral's disposition is that of its latest signed assessment. "
     "Durations are clock time. Calls today: due today = open referrals on the clinician's list "
     "due later today; overdue = open ones whose due time has passed; done = referrals the "
     "clinician made a call attempt on today."),
)  # fmt: skip


class Measure(StrEnum):
    """A figure on the dashboard that can be clicked through to its referrals."""

    RECEIVED = "received"
    CONTACT_48H = "contact_48h"
    CONVERSATION_48H = "conversation_48h"
    SEEN_3_WEEKS = "seen_3_weeks"
    TREATED_18_WEEKS = "treated_18_weeks"
    UNABLE_TO_CONTACT = "unable_to_contact"
    DISPOSITION = "disposition"
    DESTINATION = "destination"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    DONE_TODAY = "done_today"


MEASURE_LABELS = {
    Measure.RECEIVED: "Referrals received",
    Measure.CONTACT_48H: "48-hour contact",
    Measure.CONVERSATION_48H: "48-hour conversation",
    Measure.SEEN_3_WEEKS: "Seen within 3 weeks",
    Measure.TREATED_18_WEEKS: "Referral to treatment within 18 weeks",
    Measure.UNABLE_TO_CONTACT: "Unable to contact",
    Measure.DISPOSITION: "Disposition",
    Measure.DESTINATION: "Destination",
    Measure.DUE_TODAY: "Calls due today",
    Measure.OVERDUE: "Calls overdue",
    Measure.DONE_TODAY: "Calls done today",
}


@dataclass(frozen=True, slots=True)
class Ratio:
    """A share: ``met`` of ``of`` referrals."""

    met: int
    of: int

    @property
    def share(self) -> float | None:
        """met / of, or None when nothing counts yet."""
        return self.met / self.of if self.of else None

    def text(self) -> str:
        """'92.0 % (46 of 50)', or 'n/a (none yet)'."""
        if not self.of:
            return "n/a (none yet)"
        return f"{100 * self.met / self.of:.1f} % ({self.met} of {self.of})"


@dataclass(frozen=True)
class Period:
    """Calendar days ``first_day`` to ``last_day`` inclusive, Europe/London."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise InvalidInput(
                f"The period ends ({self.last_day:%d %b %Y}) before it starts "
                f"({self.first_day:%d %b %Y})."
            )
        if (self.last_day - self.first_day).days > MAX_PERIOD_DAYS:
            raise InvalidInput("A period can be at most three years long.")

    @classmethod
    def weeks_to(cls, day: date, weeks: int) -> Period:
        """The ``weeks`` whole weeks (Monday to Sunday) ending with the week of ``day``."""
        monday = day - timedelta(days=day.weekday())
        return cls(monday - timedelta(weeks=weeks - 1), monday + timedelta(days=6))

    @property
    def start(self) -> datetime:
        """UTC instant the period starts (midnight London)."""
        return london_day_bounds(self.first_day)[0]

    @property
    def end(self) -> datetime:
        """UTC instant the period ends (midnight London after the last day)."""
        return london_day_bounds(self.last_day)[1]

    def week_starts(self) -> list[date]:
        """Monday of every week the period touches, in order."""
        monday = self.first_day - timedelta(days=self.first_day.weekday())
        weeks = []
        while monday <= self.last_day:
            weeks.append(monday)
            monday += timedelta(weeks=1)
        return weeks

    def label(self) -> str:
        """'1 Nov 2026 – 30 Nov 2026'."""
        return f"{self.first_day:%-d %b %Y} – {self.last_day:%-d %b %Y}"


@dataclass(frozen=True)
class Row:
    """The figures of one week, or of the whole period."""

    received: int
    contact_48h: Ratio
    conversation_48h: Ratio
    seen_3_weeks: Ratio
    treated_18_weeks: Ratio
    unable_to_contact: Ratio


@dataclass(frozen=True)
class ClinicianToday:
    """One clinician's calls today."""

    clinician_id: int
    name: str
    due: int
    overdue: int
    done: int


@dataclass(frozen=True)
class Figures:
    """Everything on the dashboard and in a period report."""

    period: Period
    as_of: datetime
    total: Row
    weeks: tuple[tuple[date, Row], ...]
    #: Per week: disposition id (or "not_triaged") -> referrals.
    dispositions_by_week: tuple[tuple[date, dict[str, int]], ...]
    #: Urgent and onward referrals by destination (spec 2.5 ids) over the period.
    destinations: dict[str, int]
    today: tuple[ClinicianToday, ...] = field(default=())

    @property
    def dispositions(self) -> dict[str, int]:
        """Dispositions over the whole period."""
        total: dict[str, int] = {}
        for _week, counts in self.dispositions_by_week:
            for key, n in counts.items():
                total[key] = total.get(key, 0) + n
        return total


@dataclass(frozen=True)
class FigureRef:
    """Which figure was clicked: a measure, optionally one week, one category or one clinician."""

    measure: Measure
    week: date | None = None
    key: str | None = None
    clinician_id: int | None = None


@dataclass(frozen=True)
class ReferralBehind:
    """One referral behind a figure, as the team lead checks it."""

    referral_id: int
    patient: str
    nhs_number: str
    received_at: datetime
    due_at: datetime
    status: ReferralStatus
    assigned_to: str | None
    first_call_at: datetime | None
    first_answered_at: datetime | None
    disposition: str | None
    destination: str | None
    first_appointment_at: datetime | None
    #: Whether it met the figure's target (None for counts that have no target).
    met: bool | None


# --- SQL building blocks ------------------------------------------------------------------------


class seconds_between(FunctionElement[int]):  # noqa: N801 - reads as a SQL function
    """Whole seconds from ``earlier`` to ``later`` (clock time), on SQLite and PostgreSQL."""

    type = sa.Integer()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    # Timestamps are fixed-width UTC text (db.base.UTCDateTime); '%s' gives Unix seconds.
    return (
        f"(CAST(strftime('%s', {compiler.process(later, **kw)}) AS INTEGER) - "
        f"CAST(strftime('%s', {compiler.process(earlier, **kw)}) AS INTEGER))"
    )


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: seconds_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)}))"
    )


def _ts(name: str) -> sa.BindParameter[datetime]:
    return sa.bindparam(name, type_=UTCDateTime())


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return sa.case((condition, 1), else_=0)


def _week_index(received: Any, weeks: Sequence[date]) -> ColumnElement[int]:
    """Index of the London week a receipt falls in: a CASE over the weeks' UTC boundaries."""
    if len(weeks) == 1:
        return sa.literal(0, sa.Integer)
    whens = [
        (received < sa.literal(london_day_bounds(monday)[0], UTCDateTime()), i - 1)
        for i, monday in enumerate(weeks)
        if i > 0
    ]
    return sa.case(*whens, else_=len(weeks) - 1)


def cohort(period: Period, where: ColumnElement[bool] | None = None) -> sa.Subquery:
    """One row per referral received in the period (cancelled left out), with what counts.

    ``where``, if given, chooses the referrals instead (the drill-down of today's calls).

    Columns: id, week, status, received_at, due_at, assigned_to_id, patient_id, first_call_at,
    first_answered_at, disposition, destination, signed_at, first_appointment_at. Bind
    parameters ``start`` and ``end`` (the period) are filled by :func:`_params`.
    """
    calls = (
        sa.select(
            CallAttempt.referral_id.label("referral_id"),
            sa.func.min(CallAttempt.made_at).label("first_at"),
            sa.func.min(sa.case((CallAttempt.result == "answered", CallAttempt.made_at))).label(
                "answered_at"
            ),
        )
        .group_by(CallAttempt.referral_id)
        .subquery("calls")
    )
    # The latest signed assessment of each referral: the newest signing time, joined back.
    # (A grouped subquery rather than a window function: SQLite indexes a grouped result for
    # the join but scans a windowed one once per referral.)
    newest = (
        sa.select(
            Assessment.referral_id.label("referral_id"),
            sa.func.max(Assessment.signed_at).label("signed_at"),
        )
        .where(Assessment.state == AssessmentState.SIGNED)
        .group_by(Assessment.referral_id)
        .subquery("newest")
    )
    signed = aliased(Assessment, name="signed")
    appointments = (
        sa.select(
            Appointment.referral_id.label("referral_id"),
            sa.func.min(Slot.starts_at).label("first_at"),
        )
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(Appointment.status != AppointmentStatus.CANCELLED)
        .group_by(Appointment.referral_id)
        .subquery("appointments")
    )
    return (
        sa.select(
            Referral.id.label("id"),
            _week_index(Referral.received_at, period.week_starts()).label("week"),
            Referral.status.label("status"),
            Referral.received_at.label("received_at"),
            Referral.due_at.label("due_at"),
            Referral.assigned_to_id.label("assigned_to_id"),
            Referral.patient_id.label("patient_id"),
            calls.c.first_at.label("first_call_at"),
            calls.c.answered_at.label("first_answered_at"),
            signed.chosen_disposition.label("disposition"),
            signed.destination.label("destination"),
            signed.signed_at.label("signed_at"),
            appointments.c.first_at.label("first_appointment_at"),
        )
        .outerjoin(calls, calls.c.referral_id == Referral.id)
        .outerjoin(newest, newest.c.referral_id == Referral.id)
        .outerjoin(
            signed,
            sa.and_(
                signed.referral_id == Referral.id,
                signed.signed_at == newest.c.signed_at,
                signed.state == AssessmentState.SIGNED,
            ),
        )
        .outerjoin(appointments, appointments.c.referral_id == Referral.id)
        .where(
            sa.and_(
                Referral.received_at >= _ts("start"),
                Referral.received_at < _ts("end"),
                Referral.status != ReferralStatus.CANCELLED,
            )
            if where is None
            else where
        )
        .subquery("cohort")
    )


@dataclass(frozen=True)
class _Conditions:
    """Each figure's denominator and numerator, as SQL conditions on the cohort."""

    contact_of: ColumnElement[bool]
    contact_met: ColumnElement[bool]
    conversation_met: ColumnElement[bool]
    seen_of: ColumnElement[bool]
    seen_met: ColumnElement[bool]
    treated_of: ColumnElement[bool]
    treated_met: ColumnElement[bool]
    unable: ColumnElement[bool]


def _conditions(c: Any) -> _Conditions:
    due_passed = c.due_at <= _ts("now")
    f2f = c.disposition.in_(FACE_TO_FACE)
    seen_in = seconds_between(c.first_appointment_at, c.received_at)
    seen_of = sa.and_(f2f, c.received_at <= _ts("cut_seen"))
    treated_of = c.received_at <= _ts("cut_treated")
    weeks18 = int(TREATED_WITHIN.total_seconds())
    return _Conditions(
        contact_of=due_passed,
        contact_met=sa.and_(due_passed, c.first_call_at <= c.due_at),
        conversation_met=sa.and_(due_passed, c.first_answered_at <= c.due_at),
        seen_of=seen_of,
        seen_met=sa.and_(seen_of, seen_in <= int(SEEN_WITHIN.total_seconds())),
        treated_of=treated_of,
        treated_met=sa.and_(
            treated_of,
            sa.or_(
                sa.and_(f2f, seen_in <= weeks18),
                sa.and_(
                    c.disposition == SELF_MANAGEMENT,
                    seconds_between(c.signed_at, c.received_at) <= weeks18,
                ),
            ),
        ),
        unable=c.status == ReferralStatus.UNABLE_TO_CONTACT,
    )


def _params(period: Period, now: datetime) -> dict[str, datetime]:
    cutoff = min(period.end, now)
    return {
        "start": period.start,
        "end": period.end,
        "now": now,
        "cut_seen": cutoff - SEEN_WITHIN,
        "cut_treated": cutoff - TREATED_WITHIN,
    }


def figures_statement(period: Period) -> sa.Select[Any]:
    """The weekly figures: one grouped aggregate over the cohort."""
    c = cohort(period).c
    k = _conditions(c)
    return (
        sa.select(
            c.week,
            sa.func.count(),
            sa.func.sum(_flag(k.contact_of)),
            sa.func.sum(_flag(k.contact_met)),
            sa.func.sum(_flag(k.conversation_met)),
            sa.func.sum(_flag(k.seen_of)),
            sa.func.sum(_flag(k.seen_met)),
            sa.func.sum(_flag(k.treated_of)),
            sa.func.sum(_flag(k.treated_met)),
            sa.func.sum(_flag(k.unable)),
        )
        .group_by(c.week)
        .order_by(c.week)
    )


def _row(values: Sequence[Any]) -> Row:
    n = [int(v or 0) for v in values]
    return Row(
        received=n[0],
        contact_48h=Ratio(n[2], n[1]),
        conversation_48h=Ratio(n[3], n[1]),
        seen_3_weeks=Ratio(n[5], n[4]),
        treated_18_weeks=Ratio(n[7], n[6]),
        unable_to_contact=Ratio(n[8], n[0]),
    )


def compute_figures(session: Session, period: Period, now: datetime) -> Figures:
    """Every figure for a period, as of ``now`` (four grouped SQL queries)."""
    params = _params(period, now)
    weeks = period.week_starts()
    by_week = {int(r[0]): r[1:] for r in session.execute(figures_statement(period), params)}
    rows = tuple((monday, _row(by_week.get(i, [0] * 9))) for i, monday in enumerate(weeks))
    total = _row([sum(int(v[j] or 0) for v in by_week.values()) for j in range(9)])

    c = cohort(period).c
    disposition = sa.func.coalesce(c.disposition, "not_triaged")
    dispositions: dict[int, dict[str, int]] = {i: {} for i in range(len(weeks))}
    for week, key, n in session.execute(
        sa.select(c.week, disposition, sa.func.count()).group_by(c.week, disposition), params
    ):
        dispositions[int(week)][str(key)] = int(n)
    destination = sa.func.coalesce(c.destination, "none")
    destinations = {
        str(key): int(n)
        for key, n in session.execute(
            sa.select(destination, sa.func.count())
            .where(c.disposition.in_(ONWARD))
            .group_by(destination),
            params,
        )
    }
    return Figures(
        period=period,
        as_of=now,
        total=total,
        weeks=rows,
        dispositions_by_week=tuple((weeks[i], dispositions[i]) for i in range(len(weeks))),
        destinations=destinations,
        today=calls_today(session, now),
    )


def calls_today(session: Session, now: datetime) -> tuple[ClinicianToday, ...]:
    """Calls due, overdue and done today for every clinician with any (one grouped query each)."""
    start, end = london_day_bounds(london_date(now))
    open_ = Referral.status.in_(OPEN_STATUSES)
    open_rows = session.execute(
        sa.select(
            Referral.assigned_to_id,
            sa.func.sum(_flag(sa.and_(Referral.due_at >= now, Referral.due_at < end))),
            sa.func.sum(_flag(Referral.due_at < now)),
        )
        .where(open_, Referral.assigned_to_id.is_not(None), Referral.due_at < end)
        .group_by(Referral.assigned_to_id)
    ).all()
    done_rows = session.execute(
        sa.select(CallAttempt.made_by_id, sa.func.count(sa.distinct(CallAttempt.referral_id)))
        .where(CallAttempt.made_at >= start, CallAttempt.made_at < end)
        .group_by(CallAttempt.made_by_id)
    ).all()
    figures: dict[int, list[int]] = {}
    for uid, due, overdue in open_rows:
        figures.setdefault(int(uid or 0), [0, 0, 0])[0:2] = [int(due or 0), int(overdue or 0)]
    for uid, done in done_rows:
        figures.setdefault(int(uid), [0, 0, 0])[2] = int(done)
    if not figures:
        return ()
    names = dict(
        session.execute(sa.select(User.id, User.display_name).where(User.id.in_(figures))).all()
    )
    return tuple(
        sorted(
            (ClinicianToday(uid, names.get(uid, f"user {uid}"), *f) for uid, f in figures.items()),
            key=lambda c: c.name,
        )
    )


# --- the referrals behind a figure --------------------------------------------------------------


def referrals_behind(
    session: Session, period: Period, ref: FigureRef, now: datetime, *, limit: int = 5000
) -> list[ReferralBehind]:
    """The referrals a figure counts (its denominator), each marked met or not; oldest first.

    Raises:
        InvalidInput: the week is not in the period.
    """
    if ref.measure in (Measure.DUE_TODAY, Measure.OVERDUE, Measure.DONE_TODAY):
        return _today_behind(session, ref, now, limit)
    c = cohort(period).c
    k = _conditions(c)
    counted: ColumnElement[bool]
    met: ColumnElement[Any]
    measure = ref.measure
    if measure == Measure.CONTACT_48H:
        counted, met = k.contact_of, _flag(k.contact_met)
    elif measure == Measure.CONVERSATION_48H:
        counted, met = k.contact_of, _flag(k.conversation_met)
    elif measure == Measure.SEEN_3_WEEKS:
        counted, met = k.seen_of, _flag(k.seen_met)
    elif measure == Measure.TREATED_18_WEEKS:
        counted, met = k.treated_of, _flag(k.treated_met)
    elif measure == Measure.UNABLE_TO_CONTACT:
        counted, met = sa.true(), _flag(k.unable)
    elif measure == Measure.DISPOSITION:
        counted = (
            c.disposition.is_(None)
            if ref.key in (None, "not_triaged")
            else c.disposition == ref.key
        )
        met = sa.null()
    elif measure == Measure.DESTINATION:
        counted = c.disposition.in_(ONWARD)
        if ref.key is not None:
            counted = sa.and_(
                counted,
                c.destination.is_(None) if ref.key == "none" else c.destination == ref.key,
            )
        met = sa.null()
    else:
        counted, met = sa.true(), sa.null()
    if ref.week is not None:
        weeks = period.week_starts()
        if ref.week not in weeks:
            raise InvalidInput(f"The week of {ref.week:%d %b %Y} is not in {period.label()}.")
        counted = sa.and_(counted, c.week == weeks.index(ref.week))
    assigned = aliased(User)
    stmt = (
        sa.select(
            c.id,
            Patient.family_name,
            Patient.given_name,
            Patient.nhs_number,
            c.received_at,
            c.due_at,
            c.status,
            assigned.display_name,
            c.first_call_at,
            c.first_answered_at,
            c.disposition,
            c.destination,
            c.first_appointment_at,
            met,
        )
        .join(Patient, Patient.id == c.patient_id)
        .outerjoin(assigned, assigned.id == c.assigned_to_id)
        .where(counted)
        .order_by(c.received_at, c.id)
        .limit(limit)
    )
    return [_behind(r) for r in session.execute(stmt, _params(period, now))]


def _behind(r: Sequence[Any]) -> ReferralBehind:
    return ReferralBehind(
        referral_id=r[0],
        patient=f"{r[1].upper()}, {r[2]}",
        nhs_number=r[3],
        received_at=r[4],
        due_at=r[5],
        status=ReferralStatus(r[6]),
        assigned_to=r[7],
        first_call_at=r[8],
        first_answered_at=r[9],
        disposition=r[10],
        destination=r[11],
        first_appointment_at=r[12],
        met=None if r[13] is None else bool(r[13]),
    )


def _today_behind(
    session: Session, ref: FigureRef, now: datetime, limit: int
) -> list[ReferralBehind]:
    start, end = london_day_bounds(london_date(now))
    counted: ColumnElement[bool]
    if ref.measure == Measure.DONE_TODAY:
        called = sa.select(CallAttempt.referral_id).where(
            CallAttempt.made_at >= start, CallAttempt.made_at < end
        )
        if ref.clinician_id is not None:
            called = called.where(CallAttempt.made_by_id == ref.clinician_id)
        counted = Referral.id.in_(called)
    else:
        due = (
            sa.and_(Referral.due_at >= now, Referral.due_at < end)
            if ref.measure == Measure.DUE_TODAY
            else Referral.due_at < now
        )
        counted = sa.and_(Referral.status.in_(OPEN_STATUSES), due)
        if ref.clinician_id is not None:
            counted = sa.and_(counted, Referral.assigned_to_id == ref.clinician_id)
    # The same columns as a period figure, for today's referrals whenever they were received.
    day = Period(london_date(now), london_date(now))
    c = cohort(day, where=counted).c
    assigned = aliased(User)
    stmt = (
        sa.select(
            c.id,
            Patient.family_name,
            Patient.given_name,
            Patient.nhs_number,
            c.received_at,
            c.due_at,
            c.status,
            assigned.display_name,
            c.first_call_at,
            c.first_answered_at,
            c.disposition,
            c.destination,
            c.first_appointment_at,
            sa.null(),
        )
        .join(Patient, Patient.id == c.patient_id)
        .outerjoin(assigned, assigned.id == c.assigned_to_id)
        .order_by(c.due_at, c.id)
        .limit(limit)
    )
    return [_behind(r) for r in session.execute(stmt, _params(day, now))]


# --- for the signed-in team lead -----------------------------------------------------------------


def load_figures(desk: Desk, period: Period) -> Figures:
    """The dashboard's figures for a period (team leads only).

    Raises:
        NotPermitted: only team leads see the dashboard and period reports.
    """
    desk.require(*TEAM_LEADS, action="see the dashboard and period reports")
    with desk.uow(read_only=True) as uow:
        return compute_figures(uow.session, period, uow.now())


def load_referrals_behind(desk: Desk, period: Period, ref: FigureRef) -> list[ReferralBehind]:
    """The referrals behind one figure (team leads only).

    Raises:
        NotPermitted: only team leads see the dashboard and period reports.
    """
    desk.require(*TEAM_LEADS, action="see the dashboard and period reports")
    with desk.uow(read_only=True) as uow:
        return referrals_behind(uow.session, period, ref, uow.now())
