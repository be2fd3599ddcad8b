"""Slots: rota to slots across clock changes and bank holidays, holds, targets, clinic ranking."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from physioline.clock import LONDON
from physioline.core.due import is_bank_holiday
from physioline.core.referral import AppointmentType, RotaExceptionKind
from physioline.core.slots import (
    BookingTargets,
    ClinicCatchment,
    RotaException,
    RotaSession,
    SlotSpec,
    booking_deadline,
    can_offer_slot,
    generate_slots,
    haversine_km,
    postcode_district,
    rank_clinics,
    urgent_hold_released_at,
    validate_rota,
)
from physioline.errors import InvalidInput

NEW = AppointmentType.NEW_PATIENT
FOLLOW_UP = AppointmentType.FOLLOW_UP
MON, WED, FRI = 0, 2, 4

# Clinician 7: Monday mornings new patients at clinic 2, afternoons follow-ups at clinic 3.
# Clinician 8: Wednesday evening new patients at clinic 2, the first one held for urgent patients.
MON_AM = RotaSession(7, 2, MON, time(9), time(12), NEW)  # 09:00 09:45 10:30 11:15
MON_PM = RotaSession(7, 3, MON, time(13), time(17), FOLLOW_UP)  # 8 x 30 min
WED_EVE = RotaSession(8, 2, WED, time(17), time(20), NEW, held_for_urgent=1)
ROTA = [MON_AM, MON_PM, WED_EVE]


def london(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON).astimezone(UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def starts(slots: list[SlotSpec], clinician_id: int | None = None) -> list[datetime]:
    return [s.starts_at for s in slots if clinician_id is None or s.clinician_id == clinician_id]


def days_with_slots(slots: list[SlotSpec]) -> set[date]:
    return {s.starts_at.astimezone(LONDON).date() for s in slots}


# --- generating slots ---------------------------------------------------------------------------


def test_one_winter_week_of_slots() -> None:
    slots = generate_slots(ROTA, start=date(2026, 3, 2), weeks=1)

    assert len(slots) == 4 + 8 + 4
    assert starts(slots)[:4] == [
        utc("2026-03-02 09:00"),
        utc("2026-03-02 09:45"),
        utc("2026-03-02 10:30"),
        utc("2026-03-02 11:15"),
    ]
    first = slots[0]
    assert (first.clinic_id, first.clinician_id, first.appointment_type) == (2, 7, NEW)
    assert first.ends_at - first.starts_at == timedelta(minutes=45)
    follow_ups = [s for s in slots if s.appointment_type is FOLLOW_UP]
    assert {s.ends_at - s.starts_at for s in follow_ups} == {timedelta(minutes=30)}
    assert follow_ups[-1].ends_at == utc("2026-03-02 17:00")
    wednesday = [s for s in slots if s.clinician_id == 8]
    assert [s.held_for_urgent for s in wednesday] == [True, False, False, False]
    assert not any(s.held_for_urgent for s in slots if s.clinician_id == 7)
    assert slots == sorted(slots, key=lambda s: (s.starts_at, s.clinic_id, s.clinician_id))


@pytest.mark.parametrize(
    ("start", "before", "after"),
    [
        # Clocks go forward on Sun 29 Mar 2026: 09:00 is 09:00 UTC before, 08:00 UTC after.
        (date(2026, 3, 23), "2026-03-23 09:00", "2026-03-30 08:00"),
        # Clocks go back on Sun 25 Oct 2026: 09:00 is 08:00 UTC before, 09:00 UTC after.
        (date(2026, 10, 19), "2026-10-19 08:00", "2026-10-26 09:00"),
    ],
)
def test_wall_times_hold_across_the_clock_change(start: date, before: str, after: str) -> None:
    slots = generate_slots([MON_AM], start=start, weeks=2)

    mondays = [s for s in slots if s.starts_at.astimezone(LONDON).time() == time(9)]
    assert [s.starts_at for s in mondays] == [utc(before), utc(after)]
    assert {s.ends_at - s.starts_at for s in slots} == {timedelta(minutes=45)}
    assert {s.starts_at.astimezone(LONDON).time() for s in slots} == {
        time(9),
        time(9, 45),
        time(10, 30),
        time(11, 15),
    }


def test_slots_in_the_hour_the_clocks_skip_are_left_out() -> None:
    night = RotaSession(9, 1, 6, time(0, 30), time(3), FOLLOW_UP)  # Sunday, for the sake of it

    slots = generate_slots([night], start=date(2026, 3, 29), weeks=1)

    # 01:00 and 01:30 do not exist on 29 Mar 2026; 02:00 BST follows 00:59 GMT.
    assert starts(slots) == [
        utc("2026-03-29 00:30"),
        utc("2026-03-29 01:00"),
        utc("2026-03-29 01:30"),
    ]


def test_bank_holidays_are_closed_by_default() -> None:
    friday = RotaSession(8, 2, FRI, time(9), time(10, 30), NEW)

    slots = generate_slots([*ROTA, friday], start=date(2026, 3, 30), weeks=2)

    days = days_with_slots(slots)
    assert date(2026, 4, 3) not in days  # Good Friday
    assert date(2026, 4, 6) not in days  # Easter Monday
    assert {date(2026, 3, 30), date(2026, 4, 1), date(2026, 4, 8), date(2026, 4, 10)} <= days


def test_a_service_can_open_on_bank_holidays() -> None:
    slots = generate_slots(ROTA, start=date(2026, 4, 6), weeks=1, closed_on_bank_holidays=False)

    assert date(2026, 4, 6) in days_with_slots(slots)


def test_christmas_2026_and_the_observed_boxing_day_are_closed() -> None:
    everyday = [RotaSession(7, 2, day, time(9), time(10), FOLLOW_UP) for day in range(5)]

    slots = generate_slots(everyday, start=date(2026, 12, 21), weeks=2)

    assert days_with_slots(slots) == {
        date(2026, 12, 21),
        date(2026, 12, 22),
        date(2026, 12, 23),
        date(2026, 12, 24),
        # Fri 25 Christmas, Mon 28 Boxing Day observed
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        # Fri 1 Jan New Year's Day
    }


def test_default_horizon_is_twelve_weeks() -> None:
    slots = generate_slots(ROTA, start=date(2026, 1, 5))  # no bank holiday until Good Friday

    assert len(slots) == 12 * 16
    assert max(s.starts_at for s in slots).astimezone(LONDON).date() == date(2026, 3, 25)


def test_leave_removes_the_clinician_everywhere_that_day_only() -> None:
    leave = RotaException(
        RotaExceptionKind.LEAVE, date(2026, 3, 9), date(2026, 3, 9), clinician_id=7
    )

    slots = generate_slots(ROTA, [leave], start=date(2026, 3, 2), weeks=2)

    assert date(2026, 3, 9) not in {
        s.starts_at.astimezone(LONDON).date() for s in slots if s.clinician_id == 7
    }
    assert len([s for s in slots if s.clinician_id == 7]) == 12  # the other Monday
    assert len([s for s in slots if s.clinician_id == 8]) == 8  # unaffected


def test_part_day_training_removes_only_the_slots_it_touches() -> None:
    training = RotaException(
        "training",  # type: ignore[arg-type]
        date(2026, 3, 2),
        date(2026, 3, 2),
        clinician_id=7,
        starts_at=time(9, 30),
        ends_at=time(10, 30),
    )

    slots = generate_slots([MON_AM], [training], start=date(2026, 3, 2), weeks=1)

    # 09:00-09:45 and 09:45-10:30 overlap the training; 10:30 only touches its end.
    assert starts(slots) == [utc("2026-03-02 10:30"), utc("2026-03-02 11:15")]


def test_part_day_exception_in_summer_uses_london_wall_time() -> None:
    afternoon_off = RotaException(
        RotaExceptionKind.LEAVE,
        date(2026, 7, 6),
        date(2026, 7, 6),
        clinician_id=7,
        starts_at=time(15),
        ends_at=time(17),
    )

    slots = generate_slots([MON_PM], [afternoon_off], start=date(2026, 7, 6), weeks=1)

    assert [s.starts_at.astimezone(LONDON).time() for s in slots] == [
        time(13),
        time(13, 30),
        time(14),
        time(14, 30),
    ]


def test_clinic_closure_removes_that_clinic_only() -> None:
    closure = RotaException(
        RotaExceptionKind.CLOSURE, date(2026, 3, 2), date(2026, 3, 8), clinic_id=2
    )

    slots = generate_slots(ROTA, [closure], start=date(2026, 3, 2), weeks=1)

    assert Counter(s.clinic_id for s in slots) == {3: 8}


def test_a_closure_without_a_clinic_closes_the_whole_service() -> None:
    closure = RotaException(RotaExceptionKind.CLOSURE, date(2026, 3, 4), date(2026, 3, 4))

    slots = generate_slots(ROTA, [closure], start=date(2026, 3, 2), weeks=1)

    assert {s.clinician_id for s in slots} == {7}


def test_longer_appointments_and_leftover_time() -> None:
    hour_long = RotaSession(7, 2, MON, time(9), time(12), NEW, length_minutes=60)
    short_pm = RotaSession(7, 2, MON, time(13), time(14, 45), FOLLOW_UP)

    assert hour_long.slot_count == 3
    assert short_pm.slot_wall_starts() == (time(13), time(13, 30), time(14))
    slots = generate_slots([hour_long, short_pm], start=date(2026, 3, 2), weeks=1)
    assert slots[-1].ends_at == utc("2026-03-02 14:30")  # 14:30-14:45 is left free


# --- rota validation ----------------------------------------------------------------------------


def test_overlapping_sessions_of_one_clinician_are_refused_with_both_named() -> None:
    clash = RotaSession(7, 4, MON, time(11), time(13), NEW)

    with pytest.raises(InvalidInput) as refused:
        generate_slots([MON_AM, clash], start=date(2026, 3, 2))

    assert refused.value.message == (
        "Clinician 7 has overlapping rota sessions on Monday: "
        "09:00–12:00 at clinic 2 and 11:00–13:00 at clinic 4."
    )


def test_a_long_session_overlapping_two_short_ones_is_caught() -> None:
    day = RotaSession(7, 2, WED, time(9), time(17), FOLLOW_UP)
    early = RotaSession(7, 3, WED, time(10), time(11), FOLLOW_UP)
    late = RotaSession(7, 3, WED, time(15), time(16), FOLLOW_UP)

    with pytest.raises(InvalidInput, match="Wednesday: 09:00–17:00 at clinic 2 and 10:00–11:00"):
        validate_rota([late, early, day])


def test_sessions_that_touch_or_belong_to_different_clinicians_are_fine() -> None:
    validate_rota(
        [
            MON_AM,
            RotaSession(7, 2, MON, time(12), time(13), FOLLOW_UP),  # starts as MON_AM ends
            RotaSession(8, 2, MON, time(9), time(12), NEW),  # same clinic, another clinician
            RotaSession(7, 2, WED, time(9), time(12), NEW),  # same times, another day
        ]
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"starts_at": time(12), "ends_at": time(9)},
            "Rota session for clinician 7 on Monday at clinic 2 ends at 09:00, not after it "
            "starts at 12:00.",
        ),
        ({"starts_at": time(9), "ends_at": time(9)}, "ends at 09:00, not after it starts at 09:00"),
        ({"ends_at": time(9, 30)}, "shorter than one 45-minute new-patient appointment"),
        ({"length_minutes": 0}, "positive number of minutes"),
        ({"weekday": 7}, "weekday 7 is not 0 \\(Monday\\) to 6"),
        ({"appointment_type": "group_class"}, "unknown appointment type 'group_class'"),
        ({"held_for_urgent": 5}, "has 4 slots but holds 5"),
        ({"held_for_urgent": -1}, "cannot be negative"),
        (
            {"appointment_type": FOLLOW_UP, "held_for_urgent": 1},
            "only new-patient slots can be held",
        ),
        ({"starts_at": time(9, tzinfo=UTC)}, "without a zone"),
        ({"starts_at": time(9, 0, 30)}, "whole minutes"),
    ],
)
def test_impossible_sessions_are_refused(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "clinician_id": 7,
        "clinic_id": 2,
        "weekday": MON,
        "starts_at": time(9),
        "ends_at": time(12),
        "appointment_type": NEW,
    }
    values.update(fields)

    with pytest.raises(InvalidInput, match=message):
        RotaSession(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"last_day": date(2026, 3, 1)}, "ends on 01 Mar 2026, before it starts"),
        ({"clinician_id": None}, "must name the clinician and no clinic"),
        ({"clinic_id": 2}, "must name the clinician and no clinic"),
        ({"kind": "closure"}, "names a clinic, not a clinician"),
        ({"kind": "holiday"}, "Unknown rota exception 'holiday'"),
        ({"starts_at": time(9)}, "needs both a start and an end time"),
        ({"starts_at": time(12), "ends_at": time(9)}, "ends at 09:00, not after it starts"),
    ],
)
def test_impossible_exceptions_are_refused(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "kind": RotaExceptionKind.LEAVE,
        "first_day": date(2026, 3, 2),
        "last_day": date(2026, 3, 6),
        "clinician_id": 7,
    }
    values.update(fields)

    with pytest.raises(InvalidInput, match=message):
        RotaException(**values)  # type: ignore[arg-type]


def test_horizon_must_be_at_least_a_week() -> None:
    with pytest.raises(InvalidInput, match="at least 1 week"):
        generate_slots(ROTA, start=date(2026, 3, 2), weeks=0)


@st.composite
def rotas(draw: st.DrawFn) -> list[RotaSession]:
    made = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        start = draw(st.integers(min_value=7 * 4, max_value=18 * 4))
        minutes = draw(st.sampled_from([30, 45, 60, 90, 120, 180]))
        end = start * 15 + minutes
        made.append(
            RotaSession(
                clinician_id=draw(st.integers(min_value=1, max_value=3)),
                clinic_id=draw(st.integers(min_value=1, max_value=3)),
                weekday=draw(st.integers(min_value=0, max_value=6)),
                starts_at=time(start // 4, start % 4 * 15),
                ends_at=time(end // 60, end % 60),
                appointment_type=FOLLOW_UP,
                length_minutes=draw(st.sampled_from([15, 30])),
            )
        )
    return made


@settings(max_examples=100, deadline=None)
@given(
    rota=rotas(),
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2029, 12, 31)),
)
def test_generated_slots_never_overlap_for_a_clinician_and_keep_their_wall_times(
    rota: list[RotaSession], start: date
) -> None:
    try:
        validate_rota(rota)
    except InvalidInput:
        assume(False)

    slots = generate_slots(rota, start=start, weeks=4)

    wall_starts = {
        (s.clinician_id, s.clinic_id, s.weekday, at) for s in rota for at in s.slot_wall_starts()
    }
    by_clinician: dict[int, list[SlotSpec]] = {}
    for slot in slots:
        local = slot.starts_at.astimezone(LONDON)
        assert start <= local.date() < start + timedelta(weeks=4)
        assert not is_bank_holiday(local.date())
        assert (slot.clinician_id, slot.clinic_id, local.weekday(), local.time()) in wall_starts
        by_clinician.setdefault(slot.clinician_id, []).append(slot)
    for own in by_clinician.values():
        own.sort(key=lambda s: s.starts_at)
        for earlier, later in itertools.pairwise(own):
            assert earlier.ends_at <= later.starts_at


# --- urgent holds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slot", "days", "released"),
    [
        ("2026-03-05 14:00", 2, "2026-03-03 00:00"),  # Thursday slot, released from Tuesday
        ("2026-07-02 14:00", 2, "2026-06-30 00:00"),  # in BST: 23:00 UTC on 29 June
        ("2026-03-30 09:00", 2, "2026-03-28 00:00"),  # across the spring clock change
        ("2026-03-05 14:00", 0, "2026-03-05 00:00"),
        ("2026-03-05 14:00", 7, "2026-02-26 00:00"),
    ],
)
def test_urgent_hold_is_released_at_midnight_days_before(
    slot: str, days: int, released: str
) -> None:
    assert urgent_hold_released_at(london(slot), release_days_before=days) == london(released)


SLOT = london("2026-03-05 14:00")


@pytest.mark.parametrize(
    ("held", "urgent", "now", "offer"),
    [
        (True, True, "2026-03-01 10:00", True),  # urgent patients may have held slots any time
        (True, False, "2026-03-02 23:59", False),  # routine: still held
        (True, False, "2026-03-03 00:00", True),  # routine: released
        (False, False, "2026-03-01 10:00", True),
        (False, True, "2026-03-05 14:00", False),  # starting now: too late
        (False, False, "2026-03-05 15:00", False),  # in the past
    ],
)
def test_can_offer_slot(held: bool, urgent: bool, now: str, offer: bool) -> None:
    assert (
        can_offer_slot(starts_at=SLOT, held_for_urgent=held, urgent=urgent, now=london(now))
        is offer
    )


def test_hold_release_refuses_negative_days_and_naive_times() -> None:
    with pytest.raises(ValueError, match="negative"):
        urgent_hold_released_at(SLOT, release_days_before=-1)
    with pytest.raises(ValueError, match="naive"):
        can_offer_slot(
            starts_at=SLOT,
            held_for_urgent=True,
            urgent=False,
            now=datetime(2026, 3, 1, 10, 0),  # noqa: DTZ001
        )


# --- booking targets ----------------------------------------------------------------------------

RECEIVED = london("2026-02-20 10:00")


@pytest.mark.parametrize(
    ("urgent", "received", "assessed", "targets", "deadline"),
    [
        # Urgent: end of the 5th working day after the day of the decision.
        (True, RECEIVED, "2026-03-02 10:00", None, "2026-03-10 00:00"),  # Mon -> end of next Mon
        (True, RECEIVED, "2026-03-07 11:00", None, "2026-03-14 00:00"),  # Sat -> end of Fri 13
        # Thu 2 Apr: Good Friday and Easter Monday skipped -> end of Mon 13 Apr (BST).
        (True, RECEIVED, "2026-04-02 16:00", None, "2026-04-14 00:00"),
        (
            True,
            RECEIVED,
            "2026-03-02 10:00",
            BookingTargets(urgent_working_days=2),
            "2026-03-05 00:00",
        ),
        # Routine: 21 x 24 hours after receipt, whatever the assessment date.
        (False, london("2026-03-02 10:00"), "2026-03-04 10:00", None, "2026-03-23 10:00"),
        # Across the spring clock change: 21 real days after 10:00 GMT is 11:00 BST.
        (False, london("2026-03-16 10:00"), "2026-03-18 10:00", None, "2026-04-06 11:00"),
        (
            False,
            london("2026-03-02 10:00"),
            "2026-03-04 10:00",
            BookingTargets(routine_days=28),
            "2026-03-30 11:00",
        ),
    ],
)
def test_booking_deadline(
    urgent: bool,
    received: datetime,
    assessed: str,
    targets: BookingTargets | None,
    deadline: str,
) -> None:
    assert booking_deadline(
        urgent=urgent,
        referral_received_at=received,
        assessed_at=london(assessed),
        targets=targets,
    ) == london(deadline)


@pytest.mark.parametrize(
    "fields",
    [{"urgent_working_days": 0}, {"routine_days": 0}, {"working_weekdays": frozenset()}],
)
def test_impossible_booking_targets_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        BookingTargets(**fields)  # type: ignore[arg-type]


# --- clinics near the patient -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("se1 7eh", "SE1"),
        ("SE17EH", "SE1"),
        ("SE17 1AA", "SE17"),
        ("SW1A 1AA", "SW1A"),
        ("W1A0AX", "W1A"),
        (" e17 ", "E17"),
        ("M1", "M1"),
        ("B33 8TH", "B33"),
    ],
)
def test_postcode_district(text: str, district: str) -> None:
    assert postcode_district(text) == district


@pytest.mark.parametrize("text", ["", "12345", "SE1 7E", "ZZZ", "SE1 7EH X"])
def test_postcode_district_refuses_what_is_not_a_postcode(text: str) -> None:
    with pytest.raises(InvalidInput, match="not a UK postcode"):
        postcode_district(text)


def test_haversine_london_to_manchester() -> None:
    assert haversine_km((51.5074, -0.1278), (53.4808, -2.2426)) == pytest.approx(262, abs=1)
    assert haversine_km((51.5, -0.1), (51.5, -0.1)) == 0


CENTROIDS = {
    "SE1": (51.5005, -0.0950),
    "SE5": (51.4735, -0.0900),
    "SE11": (51.4900, -0.1100),
    "se15": (51.4700, -0.0650),  # keys are normalised too
}
CLINICS = [
    ClinicCatchment(1, "SE1 7EH", frozenset({"SE1", "SE11"})),
    ClinicCatchment(2, "SE5", frozenset({"se5", "SE15"})),
    ClinicCatchment(3, "SE15", frozenset({"SE15"})),
    ClinicCatchment(4, "N1", frozenset({"N1"})),  # no centroid: distance unknown
]


def test_clinics_serving_the_patient_come_first_then_nearest() -> None:
    ranked = rank_clinics("SE15 6AB", CLINICS, CENTROIDS)

    assert [r.clinic_id for r in ranked] == [3, 2, 1, 4]
    assert [r.serves_patient_district for r in ranked] == [True, True, False, False]
    assert ranked[0].distance_km == 0
    assert ranked[1].distance_km == pytest.approx(1.8, abs=0.2)
    assert ranked[3].distance_km is None


def test_without_centroids_served_clinics_first_then_by_id() -> None:
    ranked = rank_clinics("se11 4aa", CLINICS)

    assert [(r.clinic_id, r.serves_patient_district, r.distance_km) for r in ranked] == [
        (1, True, None),
        (2, False, None),
        (3, False, None),
        (4, False, None),
    ]


def test_unknown_patient_postcode_keeps_id_order() -> None:
    assert [r.clinic_id for r in rank_clinics(None, reversed(CLINICS), CENTROIDS)] == [1, 2, 3, 4]


def test_a_clinics_own_location_beats_its_district_centroid() -> None:
    at_the_patient = ClinicCatchment(5, "N1", location=CENTROIDS["SE11"])

    ranked = rank_clinics("SE11", [*CLINICS[:3], at_the_patient], CENTROIDS)

    assert [r.clinic_id for r in ranked] == [1, 5, 2, 3]
    assert ranked[1].distance_km == 0


def test_a_bad_patient_postcode_is_reported() -> None:
    with pytest.raises(InvalidInput, match="'SE1 7E' is not a UK postcode"):
        rank_clinics("SE1 7E", CLINICS)
