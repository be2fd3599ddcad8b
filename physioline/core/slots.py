"""Slots: face-to-face appointment capacity from rota templates, and how it is offered.

Rota templates say which clinician works at which clinic on which weekday, and what kind of
appointment the session offers. :func:`generate_slots` turns them into concrete slots for a rolling
horizon (default 12 weeks), leaving out bank holidays and rota exceptions (leave, training, clinic
closures). Sessions are Europe/London wall times; slots come out as aware UTC instants, so a 09:00
Monday session is 09:00 UTC in winter and 08:00 UTC in summer.

Also here: when urgent-held slots are released to routine booking, the booking target windows
(urgent within 5 working days, routine within 3 weeks, configurable), and ranking clinics by how
well they serve a patient's postcode district.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Final

from physioline.clock import LONDON
from physioline.core.due import (
    MONDAY_TO_FRIDAY,
    WEEKDAY_NAMES,
    add_working_days,
    is_bank_holiday,
    london_date,
    london_day_bounds,
    london_wall_time,
    require_aware,
)
from physioline.core.referral import AppointmentType, RotaExceptionKind
from physioline.errors import InvalidInput

DEFAULT_HORIZON_WEEKS: Final = 12

# AppointmentType (new_patient, follow_up) and RotaExceptionKind (leave, training, closure; a
# closure with no clinic closes every clinic) are the shared vocabulary of physioline.core.referral.


DEFAULT_APPOINTMENT_MINUTES: Final[Mapping[AppointmentType, int]] = MappingProxyType(
    {AppointmentType.NEW_PATIENT: 45, AppointmentType.FOLLOW_UP: 30}
)
"""Appointment length when a rota session does not set its own."""


def _hhmm(at: time) -> str:
    return f"{at:%H:%M}"


@dataclass(frozen=True, slots=True)
class RotaSession:
    """One weekly session of a clinician's rota template.

    Attributes:
        clinician_id: who works the session.
        clinic_id: where.
        weekday: ``date.weekday()`` number, Monday is 0.
        starts_at: session start, Europe/London wall time.
        ends_at: session end, Europe/London wall time, later the same day.
        appointment_type: what the session's slots are for; a plain string value is accepted.
        length_minutes: appointment length; None means the default for the type (new patient 45,
            follow-up 30). Slots run back to back from ``starts_at``; time at the end too short for
            one more appointment is left free.
        held_for_urgent: how many of the session's first slots are held for urgent patients
            (new-patient sessions only) until released to routine booking.

    Raises:
        InvalidInput: if the session is impossible (ends before it starts, shorter than one
            appointment, holds more slots than it has...), naming clinician, weekday and times.
    """

    clinician_id: int
    clinic_id: int
    weekday: int
    starts_at: time
    ends_at: time
    appointment_type: AppointmentType
    length_minutes: int | None = None
    held_for_urgent: int = 0

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "appointment_type", AppointmentType(self.appointment_type))
        except ValueError:
            raise InvalidInput(
                f"Rota session for clinician {self.clinician_id}: unknown appointment type "
                f"{self.appointment_type!r}.",
                "Use 'new_patient' or 'follow_up'.",
            ) from None
        if not 0 <= self.weekday <= 6:
            raise InvalidInput(
                f"Rota session for clinician {self.clinician_id}: weekday {self.weekday} is not "
                "0 (Monday) to 6 (Sunday).",
            )
        if self.starts_at.tzinfo is not None or self.ends_at.tzinfo is not None:
            raise InvalidInput(
                f"Rota session {self.label}: times are Europe/London wall times without a zone."
            )
        if any(at.second or at.microsecond for at in (self.starts_at, self.ends_at)):
            raise InvalidInput(f"Rota session {self.label}: times are whole minutes.")
        if self.ends_at <= self.starts_at:
            raise InvalidInput(
                f"Rota session for clinician {self.clinician_id} on "
                f"{WEEKDAY_NAMES[self.weekday]} at clinic {self.clinic_id} ends at "
                f"{_hhmm(self.ends_at)}, not after it starts at {_hhmm(self.starts_at)}.",
                "Set an end time later than the start time.",
            )
        if self.length_minutes is not None and self.length_minutes <= 0:
            raise InvalidInput(
                f"Rota session {self.label}: appointment length must be a positive number of "
                f"minutes, not {self.length_minutes}.",
            )
        if self.slot_count == 0:
            raise InvalidInput(
                f"Rota session {self.label} is shorter than one {self.slot_minutes}-minute "
                f"{self.appointment_type.replace('_', '-')} appointment.",
            )
        if self.held_for_urgent < 0:
            raise InvalidInput(
                f"Rota session {self.label}: slots held for urgent patients cannot be negative."
            )
        if self.held_for_urgent and self.appointment_type is not AppointmentType.NEW_PATIENT:
            raise InvalidInput(
                f"Rota session {self.label}: only new-patient slots can be held for urgent "
                "patients.",
            )
        if self.held_for_urgent > self.slot_count:
            raise InvalidInput(
                f"Rota session {self.label} has {self.slot_count} slots but holds "
                f"{self.held_for_urgent} for urgent patients.",
            )

    @property
    def label(self) -> str:
        """The session as a clinician reads it: "clinician 7, Monday 09:00–12:00 at clinic 2"."""
        return (
            f"clinician {self.clinician_id}, {WEEKDAY_NAMES[self.weekday]} "
            f"{_hhmm(self.starts_at)}–{_hhmm(self.ends_at)} at clinic {self.clinic_id}"
        )

    @property
    def slot_minutes(self) -> int:
        """Appointment length in minutes, the type's default when not set."""
        if self.length_minutes is not None:
            return self.length_minutes
        return DEFAULT_APPOINTMENT_MINUTES[self.appointment_type]

    @property
    def slot_count(self) -> int:
        """How many whole appointments fit in the session."""
        minutes = _minutes_of_day(self.ends_at) - _minutes_of_day(self.starts_at)
        return minutes // self.slot_minutes

    def slot_wall_starts(self) -> tuple[time, ...]:
        """Wall-clock start times of the session's slots, in order."""
        first = _minutes_of_day(self.starts_at)
        return tuple(
            _time_of_minutes(first + index * self.slot_minutes) for index in range(self.slot_count)
        )

    def overlaps(self, other: RotaSession) -> bool:
        """Whether the two sessions share a weekday and some time (touching ends do not overlap)."""
        return (
            self.weekday == other.weekday
            and self.starts_at < other.ends_at
            and other.starts_at < self.ends_at
        )


def _minutes_of_day(at: time) -> int:
    return at.hour * 60 + at.minute


def _time_of_minutes(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@dataclass(frozen=True, slots=True)
class RotaException:
    """A period when slots are not generated: leave, training or a clinic closure.

    Attributes:
        kind: leave, training or closure; a plain string value is accepted.
        first_day: first day affected (Europe/London calendar day).
        last_day: last day affected, inclusive.
        clinician_id: for leave and training, whose; must be None for a closure.
        clinic_id: for a closure, which clinic (None: every clinic); must be None for leave and
            training, which follow the clinician to every clinic.
        starts_at: for part-day exceptions, the wall time they start on each affected day.
        ends_at: for part-day exceptions, the wall time they end on each affected day. Give both
            times or neither (whole days).

    Raises:
        InvalidInput: if the exception is incomplete or impossible.
    """

    kind: RotaExceptionKind
    first_day: date
    last_day: date
    clinician_id: int | None = None
    clinic_id: int | None = None
    starts_at: time | None = None
    ends_at: time | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", RotaExceptionKind(self.kind))
        except ValueError:
            raise InvalidInput(
                f"Unknown rota exception {self.kind!r}.", "Use 'leave', 'training' or 'closure'."
            ) from None
        if self.last_day < self.first_day:
            raise InvalidInput(
                f"Rota {self.kind} from {self.first_day:%d %b %Y} ends on "
                f"{self.last_day:%d %b %Y}, before it starts.",
            )
        if self.kind is RotaExceptionKind.CLOSURE:
            if self.clinician_id is not None:
                raise InvalidInput(
                    "A clinic closure names a clinic, not a clinician: record the clinician's "
                    "leave or training instead.",
                )
        elif self.clinician_id is None or self.clinic_id is not None:
            raise InvalidInput(
                f"Rota {self.kind} from {self.first_day:%d %b %Y} must name the clinician and "
                "no clinic: it applies wherever they would have worked.",
            )
        if (self.starts_at is None) != (self.ends_at is None):
            raise InvalidInput(
                f"Part-day rota {self.kind} from {self.first_day:%d %b %Y} needs both a start "
                "and an end time.",
            )
        if self.starts_at is not None and self.ends_at is not None:
            self._refuse_end_before_start(self.starts_at, self.ends_at)

    def _refuse_end_before_start(self, starts_at: time, ends_at: time) -> None:
        if ends_at <= starts_at:
            raise InvalidInput(
                f"Part-day rota {self.kind} from {self.first_day:%d %b %Y} ends at "
                f"{_hhmm(ends_at)}, not after it starts at {_hhmm(starts_at)}.",
            )

    def applies_to(self, clinician_id: int, clinic_id: int) -> bool:
        """Whether the exception concerns this clinician working at this clinic."""
        if self.kind is RotaExceptionKind.CLOSURE:
            return self.clinic_id is None or self.clinic_id == clinic_id
        return self.clinician_id == clinician_id

    def window_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The UTC interval the exception covers on ``day``, or None if it does not cover it."""
        if not self.first_day <= day <= self.last_day:
            return None
        if self.starts_at is None or self.ends_at is None:
            return london_day_bounds(day)
        return london_wall_time(day, self.starts_at), london_wall_time(day, self.ends_at)


@dataclass(frozen=True, slots=True)
class SlotSpec:
    """A slot to create: (clinician_id, starts_at) identifies it when regenerating.

    Attributes:
        clinic_id: where.
        clinician_id: with whom.
        starts_at: aware UTC start.
        ends_at: aware UTC end (start plus the appointment length in real minutes).
        appointment_type: new patient or follow-up.
        held_for_urgent: whether it is held for urgent patients until released.
    """

    clinic_id: int
    clinician_id: int
    starts_at: datetime
    ends_at: datetime
    appointment_type: AppointmentType
    held_for_urgent: bool


def _span(session: RotaSession) -> str:
    return f"{_hhmm(session.starts_at)}–{_hhmm(session.ends_at)}"


def validate_rota(sessions: Iterable[RotaSession]) -> None:
    """Check a set of rota sessions can be worked: no clinician in two sessions at once.

    Raises:
        InvalidInput: naming the clinician, weekday and both sessions' times and clinics, for the
            first pair of overlapping sessions found (in clinician, weekday, start order).
    """
    ordered = sorted(
        sessions, key=lambda s: (s.clinician_id, s.weekday, s.starts_at, s.ends_at, s.clinic_id)
    )
    # Sweep each clinician's weekday in start order, keeping the session that runs latest so far:
    # any session starting before that one ends overlaps it.
    reach: dict[tuple[int, int], RotaSession] = {}
    for session in ordered:
        key = (session.clinician_id, session.weekday)
        longest = reach.get(key)
        if longest is not None and longest.overlaps(session):
            raise InvalidInput(
                f"Clinician {session.clinician_id} has overlapping rota sessions on "
                f"{WEEKDAY_NAMES[session.weekday]}: {_span(longest)} at clinic "
                f"{longest.clinic_id} and {_span(session)} at clinic {session.clinic_id}.",
                "Change one session's times so they do not overlap.",
            )
        if longest is None or session.ends_at > longest.ends_at:
            reach[key] = session


def generate_slots(
    sessions: Iterable[RotaSession],
    exceptions: Iterable[RotaException] = (),
    *,
    start: date,
    weeks: int = DEFAULT_HORIZON_WEEKS,
    closed_on_bank_holidays: bool = True,
) -> list[SlotSpec]:
    """Generate the slots a rota gives over a horizon.

    Args:
        sessions: the weekly rota template sessions.
        exceptions: leave, training and closures to leave out.
        start: first day of the horizon (Europe/London calendar day).
        weeks: length of the horizon; slots are generated for ``start`` up to, not including,
            ``start + 7 * weeks`` days.
        closed_on_bank_holidays: leave out England and Wales bank holidays (default True).

    Returns:
        Slot specs ordered by start, clinic and clinician; ``(clinician_id, starts_at)`` is
        unique, so a service regenerating slots can match them against existing (booked) ones.
        Each slot ends the appointment length in real minutes after it starts. A slot is left out
        when any part of it falls within an exception that applies to its clinician or clinic.
        A slot whose wall-clock start does not exist (the hour skipped when the clocks go
        forward) is left out; in the hour repeated when they go back, the first (BST) one is used.

    Raises:
        InvalidInput: if the horizon is not at least one week, or two sessions of one clinician
            overlap (see :func:`validate_rota`).
    """
    if weeks < 1:
        raise InvalidInput(f"The slot horizon must be at least 1 week, not {weeks}.")
    rota = list(sessions)
    validate_rota(rota)
    closures = list(exceptions)
    by_weekday: dict[int, list[RotaSession]] = {}
    for session in rota:
        by_weekday.setdefault(session.weekday, []).append(session)

    slots: list[SlotSpec] = []
    for offset in range(7 * weeks):
        day = start + timedelta(days=offset)
        if closed_on_bank_holidays and is_bank_holiday(day):
            continue
        for session in by_weekday.get(day.weekday(), ()):
            length = timedelta(minutes=session.slot_minutes)
            windows = [
                window
                for exception in closures
                if exception.applies_to(session.clinician_id, session.clinic_id)
                and (window := exception.window_on(day)) is not None
            ]
            for index, wall_start in enumerate(session.slot_wall_starts()):
                if not _wall_time_exists(day, wall_start):
                    continue
                starts_at = london_wall_time(day, wall_start)
                ends_at = starts_at + length
                if any(begin < ends_at and starts_at < end for begin, end in windows):
                    continue
                slots.append(
                    SlotSpec(
                        clinic_id=session.clinic_id,
                        clinician_id=session.clinician_id,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        appointment_type=session.appointment_type,
                        held_for_urgent=index < session.held_for_urgent,
                    )
                )
    slots.sort(key=lambda slot: (slot.starts_at, slot.clinic_id, slot.clinician_id))
    return slots


def _wall_time_exists(day: date, at: time) -> bool:
    local = datetime.combine(day, at, tzinfo=LONDON)
    return local.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == local.replace(
        tzinfo=None
    )


# --- urgent holds and booking targets -----------------------------------------------------------

DEFAULT_HOLD_RELEASE_DAYS: Final = 2
"""Held slots are released to routine booking from 00:00 this many days before the slot's day."""


def urgent_hold_released_at(
    starts_at: datetime, *, release_days_before: int = DEFAULT_HOLD_RELEASE_DAYS
) -> datetime:
    """Return when a slot held for urgent patients becomes bookable for routine ones.

    Release happens at 00:00 Europe/London on the calendar day ``release_days_before`` days before
    the slot's day: with 2, a Thursday 14:00 slot is released at the start of Tuesday.

    Raises:
        ValueError: if ``starts_at`` is naive or ``release_days_before`` negative.
    """
    if release_days_before < 0:
        raise ValueError("release_days_before must not be negative")
    slot_day = london_date(starts_at)
    return london_day_bounds(slot_day - timedelta(days=release_days_before))[0]


def can_offer_slot(
    *,
    starts_at: datetime,
    held_for_urgent: bool,
    urgent: bool,
    now: datetime,
    release_days_before: int = DEFAULT_HOLD_RELEASE_DAYS,
) -> bool:
    """Tell whether a free slot may be offered to a patient now.

    A slot that has started is never offered. Urgent patients may have any slot; routine patients
    may have a held slot only once its hold is released.

    Raises:
        ValueError: if a datetime is naive or ``release_days_before`` negative.
    """
    current = require_aware(now, "now")
    if require_aware(starts_at, "starts_at") <= current:
        return False
    if not held_for_urgent or urgent:
        return True
    return current >= urgent_hold_released_at(starts_at, release_days_before=release_days_before)


@dataclass(frozen=True, slots=True)
class BookingTargets:
    """The service's waiting-time targets for the first face-to-face appointment.

    Attributes:
        urgent_working_days: urgent patients are seen within this many working days of the urgent
            decision on the triage call (default 5, the spec's ``urgent_f2f``).
        routine_days: routine patients are seen within this many days of the referral being
            received (default 21: the 3-week target the dashboard reports against).
        working_weekdays: weekdays that count as working days (Monday is 0); England and Wales
            bank holidays never count.

    Raises:
        InvalidInput: if a target is not positive or no weekday is a working day.
    """

    urgent_working_days: int = 5
    routine_days: int = 21
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY

    def __post_init__(self) -> None:
        if self.urgent_working_days < 1 or self.routine_days < 1:
            raise InvalidInput(
                "Booking targets must be at least one day "
                f"(urgent {self.urgent_working_days}, routine {self.routine_days}).",
            )
        weekdays = frozenset(self.working_weekdays)
        if not weekdays or not weekdays <= frozenset(range(7)):
            raise InvalidInput(
                f"Working weekdays {sorted(weekdays)} must be a non-empty choice of 0 (Monday) "
                "to 6 (Sunday).",
            )
        object.__setattr__(self, "working_weekdays", weekdays)


def booking_deadline(
    *,
    urgent: bool,
    referral_received_at: datetime,
    assessed_at: datetime,
    targets: BookingTargets | None = None,
) -> datetime:
    """Return the instant a first appointment must start before to meet the service's target.

    Urgent: the end of the ``urgent_working_days``-th working day after the Europe/London day of
    the triage call's urgent decision (day 0); assessed on a Monday with 5, that is the end of the
    next Monday, or later if a bank holiday falls between.

    Routine: exactly ``routine_days`` × 24 hours after the referral was received, in real elapsed
    time, matching "first appointment starts within 21 days of receipt".

    Args:
        urgent: whether the disposition is urgent face-to-face.
        referral_received_at: when the referral was received (aware).
        assessed_at: when the triage call's decision was made (aware).
        targets: the service's targets; the defaults when None.

    Returns:
        An aware UTC instant; a slot meets the target when it starts before it.

    Raises:
        ValueError: if a datetime is naive.
    """
    chosen = targets if targets is not None else BookingTargets()
    received = require_aware(referral_received_at, "referral_received_at")
    decided = require_aware(assessed_at, "assessed_at")
    if urgent:
        last_day = add_working_days(
            london_date(decided), chosen.urgent_working_days, chosen.working_weekdays
        )
        return london_day_bounds(last_day)[1]
    return received + timedelta(days=chosen.routine_days)


# --- clinics near the patient -------------------------------------------------------------------

_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_FULL_POSTCODE = re.compile(rf"({_OUTWARD})([0-9][A-Z]{{2}})")
_DISTRICT = re.compile(_OUTWARD)
EARTH_RADIUS_KM: Final = 6371.0088
"""Mean Earth radius (IUGG), for straight-line distances."""


def postcode_district(postcode: str) -> str:
    """Return the postcode district (outward code) of a full postcode or a district.

    "se1 7eh", "SE17EH" and "se1" all give "SE1".

    Raises:
        InvalidInput: if the text is neither a UK postcode nor a postcode district.
    """
    text = re.sub(r"\s+", "", postcode).upper()
    if match := _FULL_POSTCODE.fullmatch(text):
        return match.group(1)
    if _DISTRICT.fullmatch(text):
        return text
    raise InvalidInput(
        f"{postcode.strip()!r} is not a UK postcode or postcode district.",
        "Check the patient's address.",
    )


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance in km between two (latitude, longitude) points, degrees."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class ClinicCatchment:
    """Where a clinic is and which postcode districts it serves best.

    Attributes:
        clinic_id: the clinic.
        postcode_district: the clinic's own postcode district (or full postcode), for distance.
        served_districts: districts the clinic serves best; normalised to upper-case districts.
        location: the clinic's own (latitude, longitude), if known; otherwise its district's
            centroid is used for distance.

    Raises:
        InvalidInput: if a district is not a valid postcode district.
    """

    clinic_id: int
    postcode_district: str
    served_districts: frozenset[str] = frozenset()
    location: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "postcode_district", postcode_district(self.postcode_district))
        object.__setattr__(
            self,
            "served_districts",
            frozenset(postcode_district(district) for district in self.served_districts),
        )


@dataclass(frozen=True, slots=True)
class RankedClinic:
    """A clinic in the order to offer it to a patient.

    Attributes:
        clinic_id: the clinic.
        serves_patient_district: whether it lists the patient's district among those it serves
            best.
        distance_km: straight-line distance from the patient's district centroid, when both
            places are known; None otherwise.
    """

    clinic_id: int
    serves_patient_district: bool
    distance_km: float | None


def rank_clinics(
    patient_postcode: str | None,
    clinics: Iterable[ClinicCatchment],
    centroids: Mapping[str, tuple[float, float]] | None = None,
) -> list[RankedClinic]:
    """Order clinics for a patient: those serving their district best first, then nearest.

    Args:
        patient_postcode: the patient's postcode or postcode district; None when unknown (then
            clinics come in id order).
        clinics: the clinics to rank.
        centroids: optional (latitude, longitude) of postcode-district centroids, keyed by
            district (e.g. from the OGL postcode data).

    Returns:
        Every clinic once: those serving the patient's district first, then by straight-line
        distance (unknown distances last), then by clinic id.

    Raises:
        InvalidInput: if the patient's postcode is not a UK postcode or district.
    """
    table = {postcode_district(district): point for district, point in (centroids or {}).items()}
    district = postcode_district(patient_postcode) if patient_postcode else None
    origin = table.get(district) if district is not None else None

    ranked: list[RankedClinic] = []
    for clinic in clinics:
        place = clinic.location or table.get(clinic.postcode_district)
        distance = haversine_km(origin, place) if origin is not None and place is not None else None
        ranked.append(
            RankedClinic(
                clinic_id=clinic.clinic_id,
                serves_patient_district=district is not None
                and district in clinic.served_districts,
                distance_km=distance,
            )
        )
    ranked.sort(
        key=lambda r: (
            not r.serves_patient_district,
            r.distance_km is None,
            r.distance_km if r.distance_km is not None else 0.0,
            r.clinic_id,
        )
    )
    return ranked
