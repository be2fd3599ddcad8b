"""Booking: offer a choice of times and clinics across the borough and book one during the call.

* **Search** (:func:`find_slots`): the earliest free slots of the right type within the target
  window for the urgency, across every clinic, earliest first, in keyset pages of one SQL
  statement each (a partial index of free slots in (type, start, id) order). Urgent patients may
  have slots held for urgent patients; routine ones only once the hold is released. Filters
  follow the patient's preferences: clinics, days of the week, morning / afternoon / evening,
  the clinician's sex, step-free access, and an interpreter need. When nothing fits the window,
  the result says so and carries the earliest matching slot beyond it.
* **Interpreters** (decision): the model records which languages each clinician speaks
  (``User.languages``) and nothing about interpreting at clinics, so "interpreter needed" offers
  only slots whose clinician speaks the patient's language. A physio who unticks it books any
  slot and arranges a professional interpreter as the service usually would.
* **Booking** (:func:`book_slot`, :func:`cancel_appointment`, :func:`rebook_appointment`): one
  transaction writes the appointment, marks the slot booked, moves the referral to "booked",
  queues the appointment letter (held with the reason when there is no postal address) and
  audits it. Two desks booking one slot: the slot row's version check and the database's
  one-live-appointment-per-slot index let exactly one win; the other gets :class:`SlotTaken`
  ("just taken") with nothing written. Cancelling keeps the appointment row with who, when,
  why and who asked; a rebooking links the new appointment to the one it replaced.
* **Calendar** (:func:`calendar`) of a clinic or a clinician for team leads and the booking
  office, and an appointment as an iCalendar file (:func:`appointment_ics`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from physioline.clock import to_london
from physioline.core.due import london_date, london_day_bounds
from physioline.core.ics import CalendarEvent, event_file
from physioline.core.nhs_number import format_nhs_number
from physioline.core.referral import (
    AppointmentStatus,
    AppointmentType,
    CancelInitiator,
    LetterStatus,
    ReferralStatus,
    Role,
    Sex,
    SlotState,
)
from physioline.core.slots import (
    DEFAULT_HOLD_RELEASE_DAYS,
    BookingTargets,
    ClinicCatchment,
    booking_deadline,
    postcode_district,
    rank_clinics,
    urgent_hold_released_at,
)
from physioline.db.driver import (
    DriverQuery,
    ReadSource,
    as_utc,
    compile_for_driver,
    connection_of,
    fetch_rows,
    utc_from_text,
)
from physioline.db.models import (
    Appointment,
    Assessment,
    Clinic,
    Letter,
    Patient,
    PostcodeDistrict,
    Referral,
    Slot,
    User,
    WaitingListEntry,
)
from physioline.db.uow import UnitOfWork
from physioline.errors import Conflict, InvalidInput, NotFound, NotPermitted, SlotTaken
from physioline.services import desk as desk_roles
from physioline.services import service_rules
from physioline.services.desk import Desk

log = logging.getLogger(__name__)

#: Who books, cancels and rebooks appointments and manages the waiting list (roles.md), and who
#: sees the clinic and clinician calendars: defined with the other role sets in services.desk.
BOOKERS: Final = desk_roles.BOOKERS
CALENDAR_VIEWERS: Final = desk_roles.CALENDAR_VIEWERS
#: Service setting: ``{"urgent_working_days": 5, "routine_days": 21, "hold_release_days": 2,
#: "min_notice_minutes": 60}``.
BOOKING_KEY: Final = "booking"
DEFAULT_MIN_NOTICE: Final = timedelta(minutes=60)
#: Slots shown on the first page of a search (and each "show more").
PAGE_SIZE: Final = 20
NO_POSTAL_ADDRESS: Final = "No postal address on the patient's record."
URGENT_DISPOSITION: Final = "urgent_f2f"
ROUTINE_DISPOSITION: Final = "routine_f2f"


# --------------------------------------------------------------------------------------------
# Rules and preferences


@dataclass(frozen=True)
class BookingRules:
    """The service's booking rules: target windows and when urgent holds are released."""

    targets: BookingTargets = field(default_factory=BookingTargets)
    hold_release_days: int = DEFAULT_HOLD_RELEASE_DAYS
    #: Slots starting sooner than this are not offered: the patient could not get there.
    min_notice: timedelta = DEFAULT_MIN_NOTICE


def booking_rules(session: Session) -> BookingRules:
    """The booking rules stored for the service (defaults: 5 working days, 21 days, 2 days)."""
    raw = service_rules.read_setting(session, BOOKING_KEY) or {}
    return BookingRules(
        targets=BookingTargets(
            urgent_working_days=int(raw.get("urgent_working_days", 5)),
            routine_days=int(raw.get("routine_days", 21)),
        ),
        hold_release_days=int(raw.get("hold_release_days", DEFAULT_HOLD_RELEASE_DAYS)),
        min_notice=timedelta(minutes=int(raw.get("min_notice_minutes", 60))),
    )


class DayPart(StrEnum):
    """Part of the day an appointment starts in (Europe/London wall clock)."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"

    @property
    def minutes(self) -> tuple[int, int]:
        """Start minutes of the day covered: [from, to)."""
        return _DAY_PART_MINUTES[self]

    @property
    def label(self) -> str:
        """'Morning (before 12:00)' and so on, for filters."""
        return _DAY_PART_LABELS[self]


_DAY_PART_MINUTES = {
    DayPart.MORNING: (0, 12 * 60),
    DayPart.AFTERNOON: (12 * 60, 17 * 60),
    DayPart.EVENING: (17 * 60, 24 * 60),
}
_DAY_PART_LABELS = {
    DayPart.MORNING: "Morning (before 12:00)",
    DayPart.AFTERNOON: "Afternoon (12:00–17:00)",
    DayPart.EVENING: "Evening (from 17:00)",
}


@dataclass(frozen=True)
class SlotPreferences:
    """The patient's preferences; an empty choice means "any".

    Attributes:
        clinic_ids: only these clinics.
        weekdays: only these days (Monday is 0).
        day_parts: only slots starting in these parts of the day.
        clinician_sex: only clinicians of this sex.
        step_free: only clinics with step-free access.
        language: an interpreter is needed: only clinicians who speak this language.
    """

    clinic_ids: frozenset[int] = frozenset()
    weekdays: frozenset[int] = frozenset()
    day_parts: frozenset[DayPart] = frozenset()
    clinician_sex: Sex | None = None
    step_free: bool = False
    language: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "clinic_ids", frozenset(int(i) for i in self.clinic_ids))
        days = frozenset(int(d) for d in self.weekdays)
        if not days <= frozenset(range(7)):
            raise InvalidInput(f"Days {sorted(days)} must be 0 (Monday) to 6 (Sunday).")
        object.__setattr__(self, "weekdays", days)
        try:
            parts = frozenset(DayPart(p) for p in self.day_parts)
        except ValueError:
            raise InvalidInput(f"Parts of the day are {', '.join(DayPart)}.") from None
        object.__setattr__(self, "day_parts", parts)
        if self.clinician_sex is not None:
            sex = Sex(self.clinician_sex)
            object.__setattr__(self, "clinician_sex", None if sex is Sex.UNKNOWN else sex)
        language = (self.language or "").strip()
        object.__setattr__(self, "language", language or None)

    def as_json(self) -> dict[str, Any]:
        """The preferences as stored with a waiting-list entry."""
        return {
            "clinic_ids": sorted(self.clinic_ids),
            "weekdays": sorted(self.weekdays),
            "day_parts": sorted(p.value for p in self.day_parts),
            "clinician_sex": self.clinician_sex.value if self.clinician_sex else None,
            "step_free": self.step_free,
            "language": self.language,
        }

    def describe(self) -> str:
        """The filters in words ("afternoons and evenings, 2 clinics, step-free")."""
        parts = []
        if self.clinic_ids:
            n = len(self.clinic_ids)
            parts.append(f"{n} clinic{'s' if n != 1 else ''}")
        if self.weekdays:
            parts.append("/".join(_DAY_ABBR[d] for d in sorted(self.weekdays)))
        if self.day_parts and len(self.day_parts) < len(DayPart):
            parts.append(" and ".join(p.value + "s" for p in DayPart if p in self.day_parts))
        if self.clinician_sex:
            parts.append(f"{self.clinician_sex.value} clinician")
        if self.step_free:
            parts.append("step-free")
        if self.language:
            parts.append(f"clinician speaks {self.language}")
        return ", ".join(parts) or "no filters"


_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class SlotQuery:
    """What to search for.

    Attributes:
        appointment_type: new patient or follow-up.
        urgent: urgent patients may have slots held for them; routine ones only once released.
        window_ends: the target: slots starting before this are within it; None for no target.
        preferences: the patient's filters.
        not_before: search from this instant (default: now).
        hold_release_days: held slots are released to routine booking from 00:00 this many
            days before the slot's day (the service's rule).
        min_notice: only slots starting at least this long from now (the service's rule).
    """

    appointment_type: AppointmentType
    urgent: bool
    window_ends: datetime | None
    preferences: SlotPreferences = field(default_factory=SlotPreferences)
    not_before: datetime | None = None
    hold_release_days: int = DEFAULT_HOLD_RELEASE_DAYS
    min_notice: timedelta = DEFAULT_MIN_NOTICE


class SlotOffer(NamedTuple):
    """A free slot as the physio reads it out to the patient."""

    slot_id: int
    starts_at: datetime
    ends_at: datetime
    appointment_type: AppointmentType
    held_for_urgent: bool
    clinic_id: int
    clinic_code: str
    clinic_name: str
    step_free: bool
    clinician_id: int
    clinician_name: str
    clinician_sex: Sex
    version: int

    @property
    def minutes(self) -> int:
        """Appointment length."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def describe(self) -> str:
        """'Thu 03 Dec 17:30 at Ladywell Physiotherapy Centre with Tom Okafor'."""
        return (
            f"{to_london(self.starts_at):%a %d %b %H:%M} at {self.clinic_name} with "
            f"{self.clinician_name}"
        )


def _merged_minutes(parts: Iterable[DayPart]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for begin, end in sorted(p.minutes for p in parts):
        if spans and spans[-1][1] == begin:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((begin, end))
    return spans


def _speaks(dialect: str) -> sa.TextClause:
    """The clinician speaks ``:language`` (a JSON list of language names; any letter case)."""
    if dialect == "sqlite":
        return sa.text(
            "EXISTS (SELECT 1 FROM json_each(app_user.languages) AS spoken "
            "WHERE lower(spoken.value) = :language)"
        )
    return sa.text(
        "EXISTS (SELECT 1 FROM json_array_elements_text(app_user.languages) AS spoken(value) "
        "WHERE lower(spoken.value) = :language)"
    )


_OFFER_COLUMNS = (
    Slot.id, Slot.starts_at, Slot.ends_at, Slot.appointment_type, Slot.held_for_urgent,
    Clinic.id, Clinic.code, Clinic.name, Clinic.step_free_access,
    User.id, User.display_name, User.sex, Slot.version,
)  # fmt: skip


def offers_statement(
    query: SlotQuery, dialect: str, *, keyset: bool, bounded: bool, held_rule: bool
) -> sa.Select[*tuple[Any, ...]]:
    """The search as one statement: free slots matching the query, earliest first.

    Bound parameters: ``appointment_type``, ``not_before``, ``limit``; ``window_ends`` when
    ``bounded``; ``after_start`` and ``after_id`` with ``keyset``; ``released_before`` (held
    slots starting before it are released to routine booking) with ``held_rule``;
    ``language`` when the preferences name one.
    """
    prefs = query.preferences
    stmt = (
        sa.select(*_OFFER_COLUMNS)
        .select_from(Slot)
        .join(Clinic, Clinic.id == Slot.clinic_id)
        .join(User, User.id == Slot.clinician_id)
        # Written literally so SQLite matches the partial index ix_slot_free_type_starts_at_id.
        .where(sa.text("slot.state = 'free'"))
        .where(Slot.appointment_type == sa.bindparam("appointment_type"))
        .where(Slot.starts_at > sa.bindparam("not_before", type_=Slot.starts_at.type))
        .where(Clinic.active.is_(True))
        .order_by(Slot.starts_at, Slot.id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
    )
    if bounded:
        stmt = stmt.where(Slot.starts_at < sa.bindparam("window_ends", type_=Slot.starts_at.type))
    if keyset:
        after = sa.tuple_(
            sa.bindparam("after_start", type_=Slot.starts_at.type),
            sa.bindparam("after_id", type_=sa.Integer),
        )
        stmt = stmt.where(sa.tuple_(Slot.starts_at, Slot.id) > after)
    if held_rule:
        stmt = stmt.where(
            sa.or_(
                Slot.held_for_urgent.is_(False),
                Slot.starts_at < sa.bindparam("released_before", type_=Slot.starts_at.type),
            )
        )
    # Filter values are our own integers and enum values, written into the statement, so the
    # statement compiled once per preference set serves every later search with it.
    if prefs.clinic_ids:
        stmt = stmt.where(Slot.clinic_id.in_(_literals(prefs.clinic_ids)))
    if prefs.step_free:
        stmt = stmt.where(Clinic.step_free_access.is_(True))
    if prefs.weekdays and len(prefs.weekdays) < 7:
        stmt = stmt.where(Slot.weekday.in_(_literals(prefs.weekdays)))
    if prefs.day_parts and len(prefs.day_parts) < len(DayPart):
        stmt = stmt.where(
            sa.or_(
                *(
                    sa.and_(
                        Slot.start_minute >= sa.literal_column(str(begin)),
                        Slot.start_minute < sa.literal_column(str(end)),
                    )
                    for begin, end in _merged_minutes(prefs.day_parts)
                )
            )
        )
    if prefs.clinician_sex is not None:
        stmt = stmt.where(User.sex == sa.literal_column(f"'{Sex(prefs.clinician_sex).value}'"))
    if prefs.language:
        stmt = stmt.where(_speaks(dialect))
    return stmt


def _literals(values: Iterable[int]) -> list[sa.ColumnElement[Any]]:
    return [sa.literal_column(str(int(v))) for v in sorted(values)]


@functools.lru_cache(maxsize=256)
def _compiled_search(
    prefs: SlotPreferences, dialect: str, keyset: bool, bounded: bool, held_rule: bool
) -> DriverQuery:
    query = SlotQuery(AppointmentType.NEW_PATIENT, urgent=not held_rule, window_ends=None,
                      preferences=prefs)  # fmt: skip
    stmt = offers_statement(query, dialect, keyset=keyset, bounded=bounded, held_rule=held_rule)
    return compile_for_driver(stmt, dialect)


_TYPES = {t.value: t for t in AppointmentType}
_SEXES = {s.value: s for s in Sex}


def search_free_slots(
    session: ReadSource,
    query: SlotQuery,
    *,
    now: datetime,
    after: tuple[datetime, int] | None = None,
    beyond_window: bool = False,
    limit: int = PAGE_SIZE,
) -> list[SlotOffer]:
    """Free slots matching ``query``, earliest first: one SQL statement, at most ``limit`` rows.

    The statement (:func:`offers_statement`) is compiled once per preference set and run on
    the session's own driver connection, with values converted here: the booking panel asks
    for a page each time a filter changes, and a page must cost little more than the SQL.

    Args:
        session: an open session or a unit of work's connection (read-only is enough).
        query: what to look for, with the service's hold and notice rules.
        now: the desk clock's now; slots starting within the minimum notice are not offered.
        after: keyset of the last slot already shown: the next page starts after it.
        beyond_window: search from the end of the target window on, instead of within it.
        limit: page size.
    """
    dialect = connection_of(session).dialect.name
    start = now + query.min_notice
    if query.not_before is not None:
        start = max(start, query.not_before)
    bounded = query.window_ends is not None and not beyond_window
    if beyond_window:
        if query.window_ends is None:
            return []
        start = max(start, query.window_ends - timedelta(microseconds=1))
    held_rule = not query.urgent
    values: dict[str, Any] = {
        "appointment_type": query.appointment_type.value, "limit": limit, "not_before": start,
    }  # fmt: skip
    if bounded:
        values["window_ends"] = query.window_ends
    if after is not None:
        values["after_start"], values["after_id"] = after
    if held_rule:
        # A held slot is released from 00:00 on its day minus N days; so a routine patient may
        # have it now when its day is at most N days from today.
        release_day = london_date(now) + timedelta(days=query.hold_release_days)
        values["released_before"] = london_day_bounds(release_day)[1]
    if query.preferences.language:
        values["language"] = query.preferences.language.lower()
    compiled = _compiled_search(query.preferences, dialect, after is not None, bounded, held_rule)
    rows = fetch_rows(session, compiled, values)
    stamp = utc_from_text if dialect == "sqlite" else as_utc
    types, sexes = _TYPES, _SEXES
    return [
        SlotOffer(r[0], stamp(r[1]), stamp(r[2]), types[r[3]], bool(r[4]), r[5], r[6], r[7],
                  bool(r[8]), r[9], r[10], sexes[r[11]], r[12])
        for r in rows
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------
# The referral being booked


@dataclass(frozen=True)
class ClinicChoice:
    """A clinic in the order to offer it: those serving the patient's district first."""

    clinic_id: int
    code: str
    name: str
    postcode: str
    serves_patient_district: bool
    distance_km: float | None
    step_free: bool
    travel_notes: str

    @property
    def label(self) -> str:
        """'Ladywell Physiotherapy Centre (SE13, 1.2 km, local)'."""
        bits = [self.postcode.split()[0] if self.postcode else self.code]
        if self.distance_km is not None:
            # Distances run between district centroids: the patient's own district reads so.
            near = self.distance_km < 0.05
            bits.append("same district" if near else f"{self.distance_km:.1f} km")
        if self.serves_patient_district:
            bits.append("local")
        return f"{self.name} ({', '.join(bits)})"


class AppointmentSummary(NamedTuple):
    """One appointment of a referral, live or cancelled, with its history fields."""

    appointment_id: int
    slot_id: int
    starts_at: datetime
    ends_at: datetime
    clinic_name: str
    clinician_name: str
    status: AppointmentStatus
    booked_by: str
    booked_at: datetime
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancel_reason: str | None
    cancel_initiator: CancelInitiator | None
    rebooked_from_id: int | None

    def describe(self) -> str:
        """'Thu 03 Dec 17:30 at Ladywell Physiotherapy Centre with Tom Okafor'."""
        return (
            f"{to_london(self.starts_at):%a %d %b %H:%M} at {self.clinic_name} with "
            f"{self.clinician_name}"
        )


@dataclass(frozen=True)
class BookingContext:
    """What the booking panel knows about the referral and patient being booked."""

    referral_id: int
    referral_version: int
    status: ReferralStatus
    patient_id: int
    patient_name: str
    nhs_number: str
    postcode: str | None
    district: str | None
    interpreter_language: str | None
    has_postal_address: bool
    disposition: str | None
    urgent: bool
    appointment_type: AppointmentType
    received_at: datetime
    window_ends: datetime
    clinics: tuple[ClinicChoice, ...]
    live_appointment: AppointmentSummary | None
    rules: BookingRules = field(default_factory=BookingRules)

    @property
    def window_text(self) -> str:
        """The target in words: 'Routine: seen by Mon 14 Dec (3 weeks from referral)'."""
        by = f"{to_london(self.window_ends - timedelta(microseconds=1)):%a %d %b}"
        if self.urgent:
            return f"Urgent: seen by the end of {by} (5 working days)"
        return f"Routine: seen by {by} (3 weeks from referral)"

    def query(self, preferences: SlotPreferences | None = None) -> SlotQuery:
        """The search for this referral with these preferences."""
        return SlotQuery(
            appointment_type=self.appointment_type,
            urgent=self.urgent,
            window_ends=self.window_ends,
            preferences=preferences or SlotPreferences(),
            hold_release_days=self.rules.hold_release_days,
            min_notice=self.rules.min_notice,
        )

    def clinic(self, clinic_id: int) -> ClinicChoice | None:
        """The ranked clinic with this id."""
        return next((c for c in self.clinics if c.clinic_id == clinic_id), None)


def _latest_signed(session: Session, referral_id: int) -> Assessment | None:
    return session.scalar(
        sa.select(Assessment)
        .where(Assessment.referral_id == referral_id, Assessment.signed_at.is_not(None))
        .order_by(Assessment.signed_at.desc(), Assessment.id.desc())
        .limit(1)
    )


def ranked_clinics(session: Session, patient_postcode: str | None) -> tuple[ClinicChoice, ...]:
    """Every open clinic, those serving the patient's postcode district first, then nearest."""
    clinics = list(session.scalars(sa.select(Clinic).where(Clinic.active.is_(True))))
    centroids = {
        d: (lat, lon)
        for d, lat, lon in session.execute(
            sa.select(PostcodeDistrict.district, PostcodeDistrict.latitude,
                      PostcodeDistrict.longitude)
        )
    }  # fmt: skip
    try:
        ranked = rank_clinics(
            patient_postcode,
            [
                ClinicCatchment(c.id, c.postcode, frozenset(c.served_districts or ()))
                for c in clinics
            ],
            centroids,
        )
    except InvalidInput:  # an unreadable postcode on the record: rank without it
        ranked = rank_clinics(None, [ClinicCatchment(c.id, c.postcode) for c in clinics], centroids)
    by_id = {c.id: c for c in clinics}
    return tuple(
        ClinicChoice(
            clinic_id=r.clinic_id,
            code=by_id[r.clinic_id].code,
            name=by_id[r.clinic_id].name,
            postcode=by_id[r.clinic_id].postcode,
            serves_patient_district=r.serves_patient_district,
            distance_km=r.distance_km,
            step_free=by_id[r.clinic_id].step_free_access,
            travel_notes=by_id[r.clinic_id].travel_notes,
        )
        for r in ranked
    )


def _summaries(session: Session, where: sa.ColumnElement[bool]) -> list[AppointmentSummary]:
    booker = sa.orm.aliased(User)
    canceller = sa.orm.aliased(User)
    clinician = sa.orm.aliased(User)
    rows = session.execute(
        sa.select(
            Appointment.id, Slot.id, Slot.starts_at, Slot.ends_at, Clinic.name,
            clinician.display_name, Appointment.status, booker.display_name,
            Appointment.booked_at, Appointment.cancelled_at, canceller.display_name,
            Appointment.cancel_reason, Appointment.cancel_initiator, Appointment.rebooked_from_id,
        )
        .join(Slot, Slot.id == Appointment.slot_id)
        .join(Clinic, Clinic.id == Slot.clinic_id)
        .join(clinician, clinician.id == Slot.clinician_id)
        .join(booker, booker.id == Appointment.booked_by_id)
        .outerjoin(canceller, canceller.id == Appointment.cancelled_by_id)
        .where(where)
        .order_by(Appointment.booked_at, Appointment.id)
    )  # fmt: skip
    return [AppointmentSummary._make(row) for row in rows]


def _urgency(assessment: Assessment | None, asked: bool | None) -> tuple[bool, str | None]:
    disposition = assessment.chosen_disposition if assessment else None
    if asked is not None:
        return asked, disposition
    return disposition == URGENT_DISPOSITION, disposition


def _context(
    session: Session, referral_id: int, now: datetime, urgent: bool | None
) -> BookingContext:
    row = session.execute(
        sa.select(Referral, Patient).join(Patient, Patient.id == Referral.patient_id)
        .where(Referral.id == referral_id)
    ).one_or_none()  # fmt: skip
    if row is None:
        raise NotFound(f"There is no referral {referral_id}.", "Refresh the worklist.")
    referral, patient = row
    assessment = _latest_signed(session, referral_id)
    is_urgent, disposition = _urgency(assessment, urgent)
    rules = booking_rules(session)
    decided = assessment.signed_at if assessment and assessment.signed_at else now
    window_ends = booking_deadline(urgent=is_urgent, referral_received_at=referral.received_at,
                                   assessed_at=decided, targets=rules.targets)  # fmt: skip
    try:
        district = postcode_district(patient.postcode) if patient.postcode else None
    except InvalidInput:
        district = None
    live = _summaries(session, sa.and_(Appointment.referral_id == referral_id,
                                       Appointment.status == AppointmentStatus.BOOKED))  # fmt: skip
    name = f"{patient.title + ' ' if patient.title else ''}{patient.given_name} " \
           f"{patient.family_name.upper()}"  # fmt: skip
    return BookingContext(
        referral_id=referral.id,
        referral_version=referral.version,
        status=referral.status,
        patient_id=patient.id,
        patient_name=name,
        nhs_number=format_nhs_number(patient.nhs_number),
        postcode=patient.postcode,
        district=district,
        interpreter_language=patient.interpreter_language or None,
        has_postal_address=bool(patient.address.strip()) and bool((patient.postcode or "").strip()),
        disposition=disposition,
        urgent=is_urgent,
        appointment_type=AppointmentType.NEW_PATIENT,
        received_at=referral.received_at,
        window_ends=window_ends,
        clinics=ranked_clinics(session, patient.postcode),
        live_appointment=live[-1] if live else None,
        rules=rules,
    )


def booking_context(desk: Desk, referral_id: int, *, urgent: bool | None = None) -> BookingContext:
    """What the booking panel needs for this referral: patient, window, clinics in order.

    The urgency comes from the latest signed assessment (``urgent_f2f`` is urgent, anything
    else routine) unless ``urgent`` says otherwise. The window runs to
    :func:`physioline.core.slots.booking_deadline` under the service's targets.

    Raises:
        NotPermitted: your role does not book appointments.
        NotFound: no such referral.
    """
    desk.require(*BOOKERS, action="book appointments")
    with desk.uow(read_only=True) as uow:
        return _context(uow.session, referral_id, uow.now(), urgent)


def target_window(desk: Desk, *, urgent: bool, referral_id: int | None = None) -> datetime:
    """When the target window for this urgency ends: for a referral, or for one received now.

    Urgent: 5 working days from the triage decision (the referral's signed assessment, or now);
    routine: 21 days from receipt (the referral's, or now). Both under the service's targets.

    Raises:
        NotPermitted: your role does not book appointments.
        NotFound: no such referral.
    """
    desk.require(*BOOKERS, action="search for appointment slots")
    with desk.uow(read_only=True) as uow:
        now = uow.now()
        received = decided = now
        if referral_id is not None:
            received_at = uow.session.scalar(
                sa.select(Referral.received_at).where(Referral.id == referral_id)
            )
            if received_at is None:
                raise NotFound(f"There is no referral {referral_id}.")
            received = received_at
            assessment = _latest_signed(uow.session, referral_id)
            if assessment is not None and assessment.signed_at is not None:
                decided = assessment.signed_at
        return booking_deadline(urgent=urgent, referral_received_at=received,
                                assessed_at=decided,
                                targets=booking_rules(uow.session).targets)  # fmt: skip


def current_rules(desk: Desk) -> BookingRules:
    """The service's booking rules, for a search built by a script.

    Raises:
        NotPermitted: your role does not book appointments.
    """
    desk.require(*BOOKERS, action="search for appointment slots")
    with desk.uow(read_only=True) as uow:
        return booking_rules(uow.session)


def clinic_ids(desk: Desk, codes: Iterable[str]) -> frozenset[int]:
    """The ids of clinics named by code (LDW) or id, for scripts.

    Raises:
        NotFound: a code names no clinic.
    """
    wanted = [c.strip() for c in codes if c.strip()]
    with desk.uow(read_only=True) as uow:
        rows = uow.session.execute(sa.select(Clinic.id, Clinic.code)).all()
    by_code = {code.upper(): cid for cid, code in rows} | {str(cid): cid for cid, _ in rows}
    missing = [c for c in wanted if c.upper() not in by_code]
    if missing:
        known = ", ".join(sorted(code for _, code in rows))
        raise NotFound(f"No clinic {', '.join(missing)}.", f"Clinics: {known}.")
    return frozenset(by_code[c.upper()] for c in wanted)


@dataclass(frozen=True)
class SlotSearchResult:
    """One page of a search, and what to say when nothing fits."""

    query: SlotQuery
    offers: tuple[SlotOffer, ...]
    next_key: tuple[datetime, int] | None
    #: When nothing fits within the window: the earliest matching slot after it, if any.
    beyond_window: SlotOffer | None = None
    first_page: bool = True

    @property
    def nothing_fits(self) -> bool:
        """No slot matches within the window (first page only)."""
        return self.first_page and not self.offers

    @property
    def message(self) -> str:
        """What the physio reads: the count, or plainly that nothing fits and what to do."""
        if self.offers:
            more = "; more follow" if self.next_key else ""
            return f"{len(self.offers)} slot{'s' if len(self.offers) != 1 else ''} shown, " \
                   f"earliest first{more}."  # fmt: skip
        if not self.first_page:
            return "No more slots within the window."
        window = ""
        if self.query.window_ends is not None:
            by = to_london(self.query.window_ends - timedelta(microseconds=1))
            window = f" before {by:%a %d %b}"
        filters = self.query.preferences.describe()
        text = f"Nothing fits the target window{window} with these filters ({filters})."
        if self.beyond_window is not None:
            text += f" The earliest after it is {self.beyond_window.describe()}."
            return text + " Loosen a filter, offer that slot, or add the patient to the " \
                "waiting list."  # fmt: skip
        return text + " No later slot matches either: loosen a filter or add the patient to " \
            "the waiting list."  # fmt: skip


def find_slots(
    desk: Desk,
    query: SlotQuery,
    *,
    after: tuple[datetime, int] | None = None,
    limit: int = PAGE_SIZE,
) -> SlotSearchResult:
    """A page of the earliest free slots matching ``query`` within its window.

    Guarantees: earliest first (start, then slot id); never a slot starting within the
    query's minimum notice (the service's rule, default an hour); held slots only for urgent
    searches or once released; one statement per page (two when nothing fits:
    the second finds the earliest slot beyond the window).

    Raises:
        NotPermitted: your role does not book appointments.
    """
    desk.require(*BOOKERS, action="search for appointment slots")
    with desk.uow(read_only=True) as uow:
        connection = uow.connection()
        now = uow.now()
        rows = search_free_slots(connection, query, now=now, after=after, limit=limit + 1)
        offers = tuple(rows[:limit])
        next_key = (offers[-1].starts_at, offers[-1].slot_id) if len(rows) > limit else None
        beyond = None
        if not offers and after is None and query.window_ends is not None:
            later = search_free_slots(connection, query, now=now, beyond_window=True, limit=1)
            beyond = later[0] if later else None
    return SlotSearchResult(query, offers, next_key, beyond, first_page=after is None)


# --------------------------------------------------------------------------------------------
# Booking, cancelling, rebooking


@dataclass(frozen=True)
class Booked:
    """An appointment just booked, and its letter."""

    appointment_id: int
    referral_id: int
    slot_id: int
    starts_at: datetime
    ends_at: datetime
    clinic_name: str
    clinician_name: str
    within_target: bool
    letter_id: int
    letter_held_reason: str | None
    rebooked_from_id: int | None = None

    @property
    def message(self) -> str:
        """One line for the status bar and the CLI."""
        when = f"{to_london(self.starts_at):%a %d %b %H:%M}"
        text = f"Booked: {when} at {self.clinic_name} with {self.clinician_name}."
        if not self.within_target:
            text += " This is after the target window (recorded)."
        if self.letter_held_reason:
            return text + f" The appointment letter is HELD: {self.letter_held_reason}"
        return text + " The appointment letter is in the print queue."


@dataclass(frozen=True)
class Cancelled:
    """An appointment just cancelled."""

    appointment_id: int
    referral_id: int
    slot_id: int
    slot_state: SlotState
    letters_cancelled: int
    letter_already_printed: bool
    #: Who on the waiting list the freed slot could go to (None when the slot was blocked).
    waiting: WaitingForSlot | None = None

    @property
    def message(self) -> str:
        """One line for the status bar and the CLI."""
        text = "Appointment cancelled; the referral is waiting to be booked again."
        if self.slot_state == SlotState.BLOCKED:
            text += " The slot is blocked."
        if self.letter_already_printed:
            text += " Its letter was already printed: tell the patient it no longer stands."
        if self.waiting is not None and self.waiting.count:
            text += f" {self.waiting.message}"
        return text


def _referral_for_update(uow: UnitOfWork, referral_id: int) -> Referral:
    referral = uow.session.scalar(
        sa.select(Referral).where(Referral.id == referral_id).with_for_update()
    )
    if referral is None:
        raise NotFound(f"There is no referral {referral_id}.", "Refresh the worklist.")
    return referral


def _slot_line(slot: Slot, clinic_name: str) -> str:
    return f"{to_london(slot.starts_at):%a %d %b %H:%M} at {clinic_name}"


def just_taken(what: str) -> SlotTaken:
    """The error a desk sees when a colleague booked the slot a moment before."""
    return SlotTaken(
        f"Just taken by a colleague: {what} was booked a moment ago. Nothing was saved.",
        "The list now shows the next nearest slots; offer the patient another.",
    )


def _slot_for_booking(uow: UnitOfWork, slot_id: int) -> tuple[Slot, Clinic, User]:
    """The slot with its clinic and clinician, in one query."""
    row = uow.session.execute(
        sa.select(Slot, Clinic, User)
        .join(Clinic, Clinic.id == Slot.clinic_id)
        .join(User, User.id == Slot.clinician_id)
        .where(Slot.id == slot_id)
    ).one_or_none()  # fmt: skip
    if row is None:
        raise NotFound(
            f"There is no slot {slot_id}.", "Search again and pick a slot from the list."
        )
    slot, clinic, clinician = row
    return slot, clinic, clinician


def _check_slot(
    uow: UnitOfWork, slot: Slot, clinic: Clinic, *, appointment_type: AppointmentType
) -> None:
    """Refuse a slot that cannot be booked, before anything else is read: a colleague's
    booking is found here first, so a losing desk costs the database little."""
    line = _slot_line(slot, clinic.name)
    if slot.starts_at <= uow.now():
        raise InvalidInput(f"The slot {line} is in the past.", "Pick a slot still to come.")
    if slot.state == SlotState.BOOKED:
        raise just_taken(line)
    if slot.state == SlotState.BLOCKED:
        raise Conflict(f"The slot {line} is blocked: {slot.blocked_reason or 'no reason given'}.",
                       "Pick another slot.")  # fmt: skip
    if slot.appointment_type != appointment_type:
        raise InvalidInput(
            f"The slot {line} is for a {slot.appointment_type.value.replace('_', '-')} "
            f"appointment, not a {appointment_type.value.replace('_', '-')} one.",
            "Pick a slot of the right type.",
        )


def _check_hold(
    uow: UnitOfWork, slot: Slot, clinic: Clinic, *, urgent: bool, rules: BookingRules
) -> None:
    """Refuse a slot held for urgent patients to a routine one until the hold is released."""
    if not slot.held_for_urgent or urgent:
        return
    released = urgent_hold_released_at(slot.starts_at, release_days_before=rules.hold_release_days)
    if uow.now() < released:
        raise InvalidInput(
            f"The slot {_slot_line(slot, clinic.name)} is held for urgent patients until "
            f"{to_london(released):%a %d %b}.",
            "Offer a routine slot, or ask a team lead to release the hold.",
        )


def _flush_booking(uow: UnitOfWork, line: str) -> None:
    """Flush the booking: a lost race on the slot becomes "just taken", nothing written."""
    try:
        uow.session.flush()
    except StaleDataError as exc:
        raise just_taken(line) from exc
    except sa.exc.IntegrityError as exc:
        text = str(exc.orig)
        if "uq_appointment_live_slot" in text or "appointment.slot_id" in text:
            raise just_taken(line) from exc
        if "ex_slot_clinician_no_overlap" in text:
            raise Conflict(f"The slot {line} overlaps another slot of the clinician.",
                           "Ask a team lead to check the calendar.") from exc  # fmt: skip
        raise


def _queue_letter(uow: UnitOfWork, referral: Referral, appointment: Appointment) -> Letter:
    patient = uow.session.get(Patient, referral.patient_id)
    if patient is None or uow.actor is None:  # pragma: no cover - foreign key; services act
        raise NotFound("The referral's patient record is missing.")
    has_address = bool(patient.address.strip()) and bool((patient.postcode or "").strip())
    letter = Letter(
        kind="appointment", patient_id=patient.id, referral_id=referral.id,
        appointment_id=appointment.id, created_by_id=uow.actor.user_id, created_at=uow.now(),
        status=LetterStatus.QUEUED if has_address else LetterStatus.HELD,
        held_reason=None if has_address else NO_POSTAL_ADDRESS, large_print=patient.large_print,
    )  # fmt: skip
    uow.session.add(letter)
    uow.session.flush()
    uow.audit("letter.queue", "letter", letter.id, patient_id=patient.id,
              details={"kind": "appointment", "status": letter.status.value,
                       "appointment_id": appointment.id,
                       "held_reason": letter.held_reason})  # fmt: skip
    return letter


def _book(
    uow: UnitOfWork,
    referral: Referral,
    slot_id: int,
    *,
    urgent: bool | None,
    rebooked_from: Appointment | None = None,
) -> Booked:
    """Book ``slot_id`` for ``referral`` inside ``uow`` (not committed)."""
    session = uow.session
    actor = uow.actor
    if actor is None:  # pragma: no cover - services always act for someone
        raise NotPermitted("Sign in to book appointments.")
    now = uow.now()
    slot, clinic, clinician = _slot_for_booking(uow, slot_id)
    _check_slot(uow, slot, clinic, appointment_type=AppointmentType.NEW_PATIENT
                if rebooked_from is None else _slot_type(session, rebooked_from))  # fmt: skip
    assessment = _latest_signed(session, referral.id)
    is_urgent, disposition = _urgency(assessment, urgent)
    rules = booking_rules(session)
    _check_hold(uow, slot, clinic, urgent=is_urgent, rules=rules)
    line = _slot_line(slot, clinic.name)
    slot.state = SlotState.BOOKED
    appointment = Appointment(
        slot_id=slot.id, patient_id=referral.patient_id, referral_id=referral.id,
        booked_by_id=actor.user_id, booked_at=now, status=AppointmentStatus.BOOKED,
        rebooked_from_id=rebooked_from.id if rebooked_from is not None else None,
    )  # fmt: skip
    session.add(appointment)
    _flush_booking(uow, line)
    decided = assessment.signed_at if assessment and assessment.signed_at else now
    deadline = booking_deadline(urgent=is_urgent, referral_received_at=referral.received_at,
                                assessed_at=decided, targets=rules.targets)  # fmt: skip
    within = slot.starts_at < deadline
    referral.status = ReferralStatus.BOOKED
    referral.updated_at = now
    uow.changed_referrals.add(referral.id)
    for entry in session.scalars(
        sa.select(WaitingListEntry).where(WaitingListEntry.referral_id == referral.id,
                                          WaitingListEntry.removed_at.is_(None))
    ):  # fmt: skip
        entry.removed_at = now
        entry.removed_reason = f"Booked (appointment {appointment.id})."
    uow.audit("appointment.book" if rebooked_from is None else "appointment.rebook",
              "appointment", appointment.id, patient_id=referral.patient_id,
              details={"referral_id": referral.id, "slot_id": slot.id,
                       "starts_at": slot.starts_at.isoformat(), "clinic_id": clinic.id,
                       "clinician_id": clinician.id, "urgent": is_urgent,
                       "disposition": disposition, "within_target": within,
                       "deadline": deadline.isoformat(),
                       "rebooked_from_id": None if rebooked_from is None
                       else rebooked_from.id})  # fmt: skip
    letter = _queue_letter(uow, referral, appointment)
    return Booked(
        appointment_id=appointment.id, referral_id=referral.id, slot_id=slot.id,
        starts_at=slot.starts_at, ends_at=slot.ends_at, clinic_name=clinic.name,
        clinician_name=clinician.display_name, within_target=within, letter_id=letter.id,
        letter_held_reason=letter.held_reason,
        rebooked_from_id=rebooked_from.id if rebooked_from else None,
    )  # fmt: skip


def _slot_type(session: Session, appointment: Appointment) -> AppointmentType:
    kind = session.scalar(sa.select(Slot.appointment_type).where(Slot.id == appointment.slot_id))
    return kind or AppointmentType.NEW_PATIENT


def _live_appointment(uow: UnitOfWork, referral_id: int) -> Appointment | None:
    return uow.session.scalar(
        sa.select(Appointment).where(Appointment.referral_id == referral_id,
                                     Appointment.status == AppointmentStatus.BOOKED)
        .order_by(Appointment.id.desc()).limit(1)
    )  # fmt: skip


def book_slot(desk: Desk, referral_id: int, slot_id: int, *, urgent: bool | None = None) -> Booked:
    """Book a slot for the referral's patient, there and then.

    One transaction: the appointment (who booked it and when), the slot marked booked, the
    referral moved to "booked", any waiting-list entry closed, the appointment letter queued
    (held, with the reason, when the patient has no postal address), the audit events, and the
    referral announced to every open worklist. A slot after the target window may be booked (the
    patient's choice when nothing fits); ``within_target`` records it.

    Raises:
        NotPermitted: your role does not book appointments.
        NotFound: no such referral or slot.
        InvalidInput: the slot is in the past, of the wrong type, or held for urgent patients
            and the patient is routine.
        Conflict: the referral already has an appointment (rebook it instead), or is not
            waiting for one; the slot is blocked.
        SlotTaken: a colleague booked the slot a moment ago ("just taken"); nothing written.
    """
    actor = desk.require(*BOOKERS, action="book appointments")
    with desk.uow() as uow:
        referral = _referral_for_update(uow, referral_id)
        live = _live_appointment(uow, referral.id)
        if live is not None or referral.status == ReferralStatus.BOOKED:
            when = ""
            if live is not None:
                summary = _summaries(uow.session, Appointment.id == live.id)[0]
                when = f" for {summary.describe()}"
            raise Conflict(
                f"This referral is already booked{when}.",
                "To change it, rebook the appointment (with the reason and who asked).",
            )
        if referral.status != ReferralStatus.TRIAGED:
            raise Conflict(
                f"This referral is {referral.status.value.replace('_', ' ')}, not waiting for a "
                "face-to-face appointment.",
                "Book after the triage call decides on face-to-face physiotherapy.",
            )
        booked = _book(uow, referral, slot_id, urgent=urgent)
        uow.commit()
    log.info("appointment %s booked by user %s: slot %s, referral %s", booked.appointment_id,
             actor.user_id, booked.slot_id, referral_id)  # fmt: skip
    return booked


def _cancel_initiator(value: CancelInitiator | str) -> CancelInitiator:
    try:
        return CancelInitiator(value)
    except ValueError:
        raise InvalidInput(f"'{value}' is not who asked for the cancellation.",
                           "Use patient or service.") from None  # fmt: skip


def _cancel(
    uow: UnitOfWork,
    appointment: Appointment,
    *,
    reason: str,
    initiator: CancelInitiator,
    block: bool,
    rebooking: bool = False,
) -> Cancelled:
    """Cancel inside ``uow``: the appointment keeps who, when, why and who asked."""
    session = uow.session
    actor = uow.actor
    if actor is None:  # pragma: no cover - services always act for someone
        raise NotPermitted("Sign in to cancel appointments.")
    now = uow.now()
    slot = session.get(Slot, appointment.slot_id)
    if slot is None:  # pragma: no cover - foreign key
        raise NotFound(f"Appointment {appointment.id} has lost its slot.")
    if slot.starts_at <= now:
        raise InvalidInput(
            f"The appointment of {to_london(slot.starts_at):%a %d %b %H:%M} has started or "
            "passed; it cannot be cancelled now.",
        )
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = now
    appointment.cancelled_by_id = actor.user_id
    appointment.cancel_reason = reason
    appointment.cancel_initiator = initiator
    if block:
        slot.state = SlotState.BLOCKED
        slot.blocked_reason = f"Appointment cancelled by the service: {reason}"
    else:
        slot.state = SlotState.FREE
    cancelled_letters = 0
    printed = False
    for letter in session.scalars(
        sa.select(Letter).where(Letter.appointment_id == appointment.id)
    ):  # fmt: skip
        if letter.status in (LetterStatus.QUEUED, LetterStatus.HELD):
            letter.status = LetterStatus.CANCELLED
            cancelled_letters += 1
        elif letter.status == LetterStatus.PRINTED:
            printed = True
    referral = session.get(Referral, appointment.referral_id)
    if referral is None:  # pragma: no cover - foreign key
        raise NotFound(f"Appointment {appointment.id} has lost its referral.")
    if not rebooking:
        referral.status = ReferralStatus.TRIAGED
        referral.updated_at = now
        uow.changed_referrals.add(referral.id)
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(
            "A colleague changed this appointment a moment ago; nothing of yours was saved.",
            "Refresh and check it.",
        ) from exc
    uow.audit("appointment.cancel", "appointment", appointment.id, patient_id=referral.patient_id,
              details={"referral_id": referral.id, "slot_id": slot.id, "reason": reason,
                       "initiator": initiator.value, "slot_state": slot.state.value,
                       "letters_cancelled": cancelled_letters, "rebooking": rebooking})  # fmt: skip
    return Cancelled(appointment.id, referral.id, slot.id, slot.state, cancelled_letters, printed)


def _appointment_for_update(uow: UnitOfWork, appointment_id: int) -> Appointment:
    appointment = uow.session.scalar(
        sa.select(Appointment).where(Appointment.id == appointment_id).with_for_update()
    )
    if appointment is None:
        raise NotFound(f"There is no appointment {appointment_id}.")
    if appointment.status != AppointmentStatus.BOOKED:
        raise Conflict(
            f"Appointment {appointment_id} is {appointment.status.value.replace('_', ' ')}; only "
            "a booked appointment can be cancelled or rebooked."
        )
    return appointment


def _reason(reason: str) -> str:
    why = reason.strip()
    if not why:
        raise InvalidInput("Say why the appointment is cancelled (it is kept in the history).")
    return why


def cancel_appointment(
    desk: Desk,
    appointment_id: int,
    *,
    reason: str,
    initiator: CancelInitiator | str,
    block_slot: bool = False,
) -> Cancelled:
    """Cancel an appointment, keeping it in the history with who, when, why and who asked.

    The slot is free again (or blocked, for a service cancellation such as a clinician's
    absence, by a team lead or the booking office); the referral waits to be booked again; an
    appointment letter not yet printed is cancelled. The result says how many patients on the
    waiting list the freed slot fits, and who has waited longest (:func:`book_from_waiting_list`
    books it for them).

    Raises:
        NotPermitted: your role does not cancel appointments, or may not block slots.
        InvalidInput: no reason, an unknown initiator, or the appointment has started.
        Conflict: the appointment is not booked (already cancelled, attended).
        NotFound: no such appointment.
    """
    actor = desk.require(*BOOKERS, action="cancel appointments")
    why = _reason(reason)
    who = _cancel_initiator(initiator)
    if block_slot and actor.role not in (Role.TEAM_LEAD, Role.ADMIN_STAFF):
        raise NotPermitted("Only a team lead or the booking office can block a slot.",
                           "Cancel without blocking, or ask them.")  # fmt: skip
    with desk.uow() as uow:
        appointment = _appointment_for_update(uow, appointment_id)
        _referral_for_update(uow, appointment.referral_id)
        cancelled = _cancel(uow, appointment, reason=why, initiator=who, block=block_slot)
        if not block_slot:  # the slot is free again: say who is waiting for it
            cancelled = replace(cancelled, waiting=waiting_for_slot_in(uow, cancelled.slot_id))
        uow.commit()
    log.info("appointment %s cancelled by user %s (%s)", appointment_id, actor.user_id, who.value)
    return cancelled


def rebook_appointment(
    desk: Desk,
    appointment_id: int,
    slot_id: int,
    *,
    reason: str,
    initiator: CancelInitiator | str,
) -> Booked:
    """Move an appointment to another slot in one transaction, keeping the history.

    The old appointment is cancelled (who, when, why, who asked) and the new one records it in
    ``rebooked_from_id``. If the new slot was just taken, nothing changes: the old appointment
    still stands.

    Raises:
        As :func:`cancel_appointment` and :func:`book_slot`; InvalidInput for the same slot.
    """
    actor = desk.require(*BOOKERS, action="rebook appointments")
    why = _reason(reason)
    who = _cancel_initiator(initiator)
    with desk.uow() as uow:
        appointment = _appointment_for_update(uow, appointment_id)
        if appointment.slot_id == slot_id:
            raise InvalidInput("That is the slot the patient already has.", "Pick another slot.")
        referral = _referral_for_update(uow, appointment.referral_id)
        _cancel(uow, appointment, reason=why, initiator=who, block=False, rebooking=True)
        booked = _book(uow, referral, slot_id, urgent=None, rebooked_from=appointment)
        uow.commit()
    log.info("appointment %s rebooked as %s by user %s", appointment_id, booked.appointment_id,
             actor.user_id)  # fmt: skip
    return booked


def appointment_history(desk: Desk, referral_id: int) -> tuple[AppointmentSummary, ...]:
    """Every appointment of the referral, oldest first, cancelled ones included.

    Raises:
        NotPermitted: your role does not see clinical records.
    """
    desk.require(*BOOKERS, action="see appointments")
    with desk.uow(read_only=True) as uow:
        return tuple(_summaries(uow.session, Appointment.referral_id == referral_id))


# --------------------------------------------------------------------------------------------
# Waiting list


def add_to_waiting_list(
    desk: Desk,
    referral_id: int,
    *,
    clinic_ids: Sequence[int],
    preferences: SlotPreferences | None = None,
    urgent: bool | None = None,
) -> int:
    """Put the referral on the waiting list for these clinics when nothing fits; return its id.

    Raises:
        NotPermitted: your role does not manage the waiting list.
        InvalidInput: no clinic chosen, or an unknown clinic.
        Conflict: the referral is booked, not waiting for an appointment, or already waiting.
        NotFound: no such referral.
    """
    actor = desk.require(*BOOKERS, action="manage the waiting list")
    clinics = sorted({int(c) for c in clinic_ids})
    if not clinics:
        raise InvalidInput("Choose the clinic(s) the patient is waiting for.")
    with desk.uow() as uow:
        session = uow.session
        referral = _referral_for_update(uow, referral_id)
        if referral.status != ReferralStatus.TRIAGED:
            raise Conflict(
                f"This referral is {referral.status.value.replace('_', ' ')}; only a referral "
                "waiting to be booked goes on the waiting list."
            )
        known = set(session.scalars(sa.select(Clinic.id).where(Clinic.id.in_(clinics))))
        if known != set(clinics):
            raise InvalidInput(f"Unknown clinic(s): {sorted(set(clinics) - known)}.")
        waiting = session.scalar(
            sa.select(WaitingListEntry.added_at).where(
                WaitingListEntry.referral_id == referral_id, WaitingListEntry.removed_at.is_(None)
            )
        )
        if waiting is not None:
            raise Conflict(f"This patient has been on the waiting list since "
                           f"{to_london(waiting):%a %d %b %H:%M}.")  # fmt: skip
        is_urgent, _ = _urgency(_latest_signed(session, referral_id), urgent)
        entry = WaitingListEntry(
            referral_id=referral_id, clinic_ids=clinics,
            appointment_type=AppointmentType.NEW_PATIENT, urgent=is_urgent,
            preferences=(preferences or SlotPreferences()).as_json(), added_at=uow.now(),
            added_by_id=actor.user_id,
        )  # fmt: skip
        session.add(entry)
        session.flush()
        uow.audit("waiting_list.add", "waiting_list_entry", entry.id,
                  patient_id=referral.patient_id,
                  details={"referral_id": referral_id, "clinic_ids": clinics,
                           "urgent": is_urgent})  # fmt: skip
        uow.commit()
        log.info("referral %s added to the waiting list by user %s", referral_id, actor.user_id)
        return entry.id


@dataclass(frozen=True)
class WaitingForSlot:
    """Who on the waiting list a free slot could go to: how many, since when, who first."""

    slot_id: int
    clinic_name: str
    #: Waiting patients the slot fits: its clinic and type, their preferences, the urgent hold.
    count: int
    #: When the longest-waiting of them was put on the list.
    earliest_since: datetime | None = None
    #: The longest-waiting one: entry, referral and patient ("KOWALSKI, A"), urgent or not.
    entry_id: int | None = None
    referral_id: int | None = None
    patient_label: str | None = None
    urgent: bool = False
    #: Why nobody can have the slot from the list, when it is not free.
    not_free: str | None = None

    @property
    def message(self) -> str:
        """'2 patients waiting for Ladywell Physiotherapy Centre: earliest waiting since …'."""
        if self.not_free:
            return self.not_free
        if not self.count or self.earliest_since is None:
            return f"Nobody on the waiting list for {self.clinic_name} fits this slot."
        people = "1 patient" if self.count == 1 else f"{self.count} patients"
        return (
            f"{people} waiting for {self.clinic_name}: earliest waiting since "
            f"{to_london(self.earliest_since):%a %d %b %Y %H:%M} ({self.patient_label}, "
            f"{'urgent' if self.urgent else 'routine'}, referral {self.referral_id})."
        )


def _entry_preferences(raw: dict[str, Any]) -> SlotPreferences:
    """The preferences stored with a waiting-list entry (unknown keys are ignored)."""
    return SlotPreferences(
        clinic_ids=frozenset(raw.get("clinic_ids") or ()),
        weekdays=frozenset(raw.get("weekdays") or ()),
        day_parts=frozenset(raw.get("day_parts") or ()),
        clinician_sex=raw.get("clinician_sex"),
        step_free=bool(raw.get("step_free")),
        language=raw.get("language"),
    )


def slot_fits(prefs: SlotPreferences, slot: Slot, clinic: Clinic, clinician: User) -> bool:
    """Whether a slot meets a patient's preferences (the search's filters, in Python)."""
    local = to_london(slot.starts_at)
    minute = local.hour * 60 + local.minute
    spoken = {str(language).lower() for language in clinician.languages or ()}
    return (
        (not prefs.clinic_ids or slot.clinic_id in prefs.clinic_ids)
        and (not prefs.weekdays or local.weekday() in prefs.weekdays)
        and (not prefs.day_parts
             or any(p.minutes[0] <= minute < p.minutes[1] for p in prefs.day_parts))
        and (prefs.clinician_sex is None or clinician.sex == prefs.clinician_sex)
        and (not prefs.step_free or clinic.step_free_access)
        and (prefs.language is None or prefs.language.lower() in spoken)
    )  # fmt: skip


def waiting_for_slot_in(uow: UnitOfWork, slot_id: int) -> WaitingForSlot:
    """The waiting list for one slot, longest waiting first, read inside ``uow`` (for services
    that free a slot: cancelling, releasing).

    Matching: an open entry of a referral still waiting to be booked, listing the slot's
    clinic, for the slot's appointment type, whose stored preferences the slot meets; a slot
    still held for urgent patients goes to urgent entries only. Longest waiting is the earliest
    ``added_at`` (then the lowest id).
    """
    session = uow.session
    slot, clinic, clinician = _slot_for_booking(uow, slot_id)
    if slot.state != SlotState.FREE or slot.starts_at <= uow.now():
        why = "has passed" if slot.starts_at <= uow.now() else f"is {slot.state.value}"
        line = _slot_line(slot, clinic.name)
        return WaitingForSlot(slot.id, clinic.name, 0, not_free=f"The slot {line} {why}.")
    rules = booking_rules(session)
    held = slot.held_for_urgent and uow.now() < urgent_hold_released_at(
        slot.starts_at, release_days_before=rules.hold_release_days
    )
    rows = session.execute(
        sa.select(WaitingListEntry, Patient.family_name, Patient.given_name)
        .join(Referral, Referral.id == WaitingListEntry.referral_id)
        .join(Patient, Patient.id == Referral.patient_id)
        .where(WaitingListEntry.removed_at.is_(None),
               WaitingListEntry.appointment_type == slot.appointment_type,
               Referral.status == ReferralStatus.TRIAGED)
        .order_by(WaitingListEntry.added_at, WaitingListEntry.id)
    ).all()  # fmt: skip
    fits = [
        (entry, family, given) for entry, family, given in rows
        if slot.clinic_id in {int(c) for c in entry.clinic_ids or ()}
        and (entry.urgent or not held)
        and slot_fits(_entry_preferences(entry.preferences or {}), slot, clinic, clinician)
    ]  # fmt: skip
    if not fits:
        return WaitingForSlot(slot.id, clinic.name, 0)
    first, family, given = fits[0]
    return WaitingForSlot(
        slot.id, clinic.name, len(fits), earliest_since=first.added_at, entry_id=first.id,
        referral_id=first.referral_id, patient_label=f"{family.upper()}, {given[:1]}",
        urgent=first.urgent,
    )  # fmt: skip


def waiting_for_slot(desk: Desk, slot_id: int) -> WaitingForSlot:
    """How many patients on the waiting list a free slot fits, and who has waited longest.

    Raises:
        NotPermitted: your role does not manage the waiting list.
        NotFound: no such slot.
    """
    desk.require(*BOOKERS, action="see the waiting list")
    with desk.uow(read_only=True) as uow:
        return waiting_for_slot_in(uow, slot_id)


def book_from_waiting_list(desk: Desk, slot_id: int, *, entry_id: int | None = None) -> Booked:
    """Book a freed slot for the longest-waiting patient it fits, in one action.

    One transaction: the appointment, as :func:`book_slot` writes it (letter queued, referral
    booked, audited), and the patient's waiting-list entry closed with the reason. ``entry_id``
    is the entry the screen showed as longest waiting: if the list changed since (a colleague
    booked that patient), nothing is written and the screen is told to look again.

    Raises:
        NotPermitted: your role does not manage the waiting list.
        NotFound: no such slot, or nobody on the waiting list fits it.
        Conflict: the longest-waiting patient is no longer the one shown, or was just booked;
            the slot is blocked.
        SlotTaken: a colleague booked the slot a moment ago ("just taken"); nothing written.
        InvalidInput: the slot has passed.
    """
    actor = desk.require(*BOOKERS, action="book from the waiting list")
    with desk.uow() as uow:
        session = uow.session
        slot, clinic, _clinician = _slot_for_booking(uow, slot_id)
        _check_slot(uow, slot, clinic, appointment_type=slot.appointment_type)  # just taken?
        waiting = waiting_for_slot_in(uow, slot_id)
        if waiting.entry_id is None or waiting.referral_id is None:
            raise NotFound(waiting.message, "Offer the slot in the booking panel instead.")
        if entry_id is not None and waiting.entry_id != entry_id:
            raise Conflict(
                "The waiting list changed a moment ago: the longest-waiting patient for this "
                "slot is now someone else. Nothing was saved.",
                "Look at the slot again and confirm who to book.",
            )
        referral = _referral_for_update(uow, waiting.referral_id)
        entry = session.get(WaitingListEntry, waiting.entry_id)
        if entry is not None:
            session.refresh(entry)  # read again now the referral is ours
        live = _live_appointment(uow, referral.id)
        if entry is None or entry.removed_at is not None or live is not None \
                or referral.status != ReferralStatus.TRIAGED:  # fmt: skip
            raise Conflict(
                f"{waiting.patient_label} was booked by a colleague a moment ago. Nothing was "
                "saved.",
                "Look at the slot again: the next patient waiting is shown.",
            )
        booked = _book(uow, referral, slot_id, urgent=None)
        entry.removed_reason = (
            f"Booked from the waiting list into a freed slot (appointment {booked.appointment_id})."
        )
        uow.audit("waiting_list.book", "waiting_list_entry", entry.id,
                  patient_id=referral.patient_id,
                  details={"referral_id": referral.id, "slot_id": slot_id,
                           "appointment_id": booked.appointment_id,
                           "waited_since": entry.added_at.isoformat(),
                           "others_waiting": waiting.count - 1})  # fmt: skip
        uow.commit()
    log.info("user %s booked slot %s from the waiting list (entry %s, appointment %s)",
             actor.user_id, slot_id, waiting.entry_id, booked.appointment_id)  # fmt: skip
    return booked


# --------------------------------------------------------------------------------------------
# Calendar and appointment files


class CalendarSlot(NamedTuple):
    """One slot on a clinic's or clinician's calendar."""

    slot_id: int
    starts_at: datetime
    ends_at: datetime
    clinic_id: int
    clinic_code: str
    clinician_id: int
    clinician_name: str
    state: SlotState
    appointment_type: AppointmentType
    held_for_urgent: bool
    blocked_reason: str | None
    appointment_id: int | None
    referral_id: int | None
    patient_label: str | None


def calendar(
    desk: Desk,
    *,
    first_day: date,
    days: int = 7,
    clinic_id: int | None = None,
    clinician_id: int | None = None,
) -> tuple[CalendarSlot, ...]:
    """Booked, free and blocked slots of one clinic or one clinician over ``days`` days.

    Raises:
        NotPermitted: not a team lead or the booking office.
        InvalidInput: neither or both of clinic and clinician, or days outside 1 to 31.
    """
    desk.require(*CALENDAR_VIEWERS, action="see clinic calendars")
    if (clinic_id is None) == (clinician_id is None):
        raise InvalidInput("Show the calendar of one clinic or one clinician.")
    if not 1 <= days <= 31:
        raise InvalidInput(f"A calendar shows 1 to 31 days, not {days}.")
    start = london_day_bounds(first_day)[0]
    end = london_day_bounds(first_day + timedelta(days=days - 1))[1]
    clinician = sa.orm.aliased(User)
    live = sa.and_(
        Appointment.slot_id == Slot.id, Appointment.status != AppointmentStatus.CANCELLED
    )
    stmt = (
        sa.select(
            Slot.id, Slot.starts_at, Slot.ends_at, Slot.clinic_id, Clinic.code, Slot.clinician_id,
            clinician.display_name, Slot.state, Slot.appointment_type, Slot.held_for_urgent,
            Slot.blocked_reason, Appointment.id, Appointment.referral_id, Patient.family_name,
            Patient.given_name,
        )
        .join(Clinic, Clinic.id == Slot.clinic_id)
        .join(clinician, clinician.id == Slot.clinician_id)
        .outerjoin(Appointment, live)
        .outerjoin(Patient, Patient.id == Appointment.patient_id)
        .where(Slot.starts_at >= start, Slot.starts_at < end)
        .order_by(Slot.starts_at, Slot.clinician_id)
    )  # fmt: skip
    if clinic_id is not None:
        stmt = stmt.where(Slot.clinic_id == clinic_id)
    else:
        stmt = stmt.where(Slot.clinician_id == clinician_id)
    with desk.uow(read_only=True) as uow:
        rows = uow.session.execute(stmt).all()
    return tuple(
        CalendarSlot._make(
            (*row[:13], None if row[13] is None else f"{row[13].upper()}, {row[14][:1]}")
        )
        for row in rows
    )


class CalendarChoices(NamedTuple):
    """Clinics and clinicians a calendar can show."""

    clinics: tuple[tuple[int, str], ...]
    clinicians: tuple[tuple[int, str], ...]


def calendar_choices(desk: Desk) -> CalendarChoices:
    """The open clinics and active clinicians, by name, for the calendar's chooser.

    Raises:
        NotPermitted: not a team lead or the booking office.
    """
    desk.require(*CALENDAR_VIEWERS, action="see clinic calendars")
    with desk.uow(read_only=True) as uow:
        clinics = uow.session.execute(
            sa.select(Clinic.id, Clinic.name).where(Clinic.active.is_(True)).order_by(Clinic.name)
        ).all()
        clinicians = uow.session.execute(
            sa.select(User.id, User.display_name)
            .where(User.active.is_(True), User.role.in_((Role.PHYSIO, Role.TEAM_LEAD)))
            .order_by(User.display_name)
        ).all()  # fmt: skip
    return CalendarChoices(tuple((i, n) for i, n in clinics), tuple((i, n) for i, n in clinicians))


def appointment_ics(desk: Desk, appointment_id: int) -> str:
    """The appointment as an iCalendar (.ics) file for the patient's email.

    It names the clinic, its address and travel notes and the service's phone number; not the
    patient (the file travels by email).

    Raises:
        NotPermitted: your role does not book appointments.
        NotFound: no such appointment.
        Conflict: the appointment is cancelled.
    """
    desk.require(*BOOKERS, action="export appointments")
    with desk.uow(read_only=True) as uow:
        row = uow.session.execute(
            sa.select(Appointment, Slot, Clinic, User)
            .join(Slot, Slot.id == Appointment.slot_id)
            .join(Clinic, Clinic.id == Slot.clinic_id)
            .join(User, User.id == Slot.clinician_id)
            .where(Appointment.id == appointment_id)
        ).one_or_none()  # fmt: skip
        if row is None:
            raise NotFound(f"There is no appointment {appointment_id}.")
        appointment, slot, clinic, clinician = row
        if appointment.status == AppointmentStatus.CANCELLED:
            raise Conflict("This appointment is cancelled; there is nothing to send.")
        service = service_rules.service_details(uow.session)
        what = "assessment" if slot.appointment_type == AppointmentType.NEW_PATIENT else "follow-up"
        address = ", ".join(line.strip() for line in clinic.address.splitlines() if line.strip())
        description = (
            f"Physiotherapy {what} with {clinician.display_name} at {clinic.name}.\n"
            f"{clinic.travel_notes}\n"
            f"Please arrive 10 minutes early and wear or bring loose clothing.\n"
            f"To change or cancel, call {service['name']} on {service['phone']}."
        )
        event = CalendarEvent(
            uid=f"appointment-{appointment.id}@physioline",
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            summary=f"Physiotherapy {what}",
            location=f"{clinic.name}, {address}, {clinic.postcode}",
            description=description,
            stamp=uow.now(),
        )
    return event_file(event)
