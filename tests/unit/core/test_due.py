"""Due-time rule: hand-worked cases (bank holidays, weekends, clock changes) and properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from physioline.clock import LONDON
from physioline.core.due import (
    MONDAY_TO_FRIDAY,
    DueStatus,
    DueTimeMode,
    DueTimePolicy,
    add_working_days,
    call_due_at,
    describe_time_left,
    due_status,
    is_bank_holiday,
    is_due_today,
    is_working_day,
    london_day_bounds,
    time_left,
)
from physioline.errors import InvalidInput

CLOCK = DueTimePolicy(mode=DueTimeMode.CLOCK_HOURS)
WORKING = DueTimePolicy(mode=DueTimeMode.WORKING_HOURS)  # Mon-Fri 08:00-18:00, 48 h / 24 h


def london(text: str) -> datetime:
    """An aware UTC instant from a Europe/London wall time 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON).astimezone(UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Each row: what it shows, received (London wall time), urgent, policy, expected due (London wall
# time). Working-hours rows are worked by hand at 10 open hours a day: 48 h = 4 days + 8 h,
# 24 h = 2 days + 4 h.
CASES = [
    # Friday evening before the August bank holiday (Mon 25 Aug 2025).
    ("bank-hol Fri eve, clock", "2025-08-22 19:30", False, CLOCK, "2025-08-24 19:30"),
    ("bank-hol Fri eve, clock urgent", "2025-08-22 19:30", True, CLOCK, "2025-08-23 19:30"),
    # Counting starts Tue 26 08:00: Tue-Fri 40 h, then 8 h on Mon 1 Sep.
    ("bank-hol Fri eve, working", "2025-08-22 19:30", False, WORKING, "2025-09-01 16:00"),
    ("bank-hol Fri eve, working urgent", "2025-08-22 19:30", True, WORKING, "2025-08-28 12:00"),
    # Spring forward, Sun 29 Mar 2026: 48 real hours after 10:00 GMT is 11:00 BST.
    ("spring forward, clock", "2026-03-27 10:00", False, CLOCK, "2026-03-29 11:00"),
    ("spring forward, clock, Sat", "2026-03-28 12:00", False, CLOCK, "2026-03-30 13:00"),
    # Fri 8 h, Mon-Wed 30 h, 10 h on Thu runs out exactly at closing: due at 18:00 that day.
    ("spring forward, working", "2026-03-27 10:00", False, WORKING, "2026-04-02 18:00"),
    ("spring forward, working urgent", "2026-03-27 10:00", True, WORKING, "2026-03-31 14:00"),
    # Fall back, Sun 25 Oct 2026: 48 real hours after 10:00 BST is 09:00 GMT.
    ("fall back, clock", "2026-10-23 10:00", False, CLOCK, "2026-10-25 09:00"),
    ("fall back, clock urgent", "2026-10-23 10:00", True, CLOCK, "2026-10-24 10:00"),
    ("fall back, working", "2026-10-23 10:00", False, WORKING, "2026-10-29 18:00"),
    ("fall back, working urgent", "2026-10-23 10:00", True, WORKING, "2026-10-27 14:00"),
    # Received before opening: counting starts at 08:00 the same day.
    ("before opening, working", "2026-03-03 06:00", False, WORKING, "2026-03-09 16:00"),
    # Received exactly at closing: counting starts at the next opening.
    ("at closing, working", "2026-03-03 18:00", False, WORKING, "2026-03-10 16:00"),
    ("at opening, working urgent", "2026-03-02 08:00", True, WORKING, "2026-03-04 12:00"),
    ("mid-afternoon, working", "2026-03-04 15:30", False, WORKING, "2026-03-11 13:30"),
    # Received on a weekend.
    ("Saturday, working", "2026-03-07 11:00", False, WORKING, "2026-03-13 16:00"),
    ("Saturday, clock", "2026-03-07 11:00", False, CLOCK, "2026-03-09 11:00"),
    ("Sunday night, working urgent", "2026-03-08 23:59", True, WORKING, "2026-03-11 12:00"),
    # Christmas Eve 2025 17:00: 1 h Wed, Christmas and Boxing Day, weekend, Mon-Wed 30 h,
    # New Year's Day, Fri 2 Jan 10 h, 7 h on Mon 5 Jan.
    ("Christmas Eve, working", "2025-12-24 17:00", False, WORKING, "2026-01-05 15:00"),
    ("Christmas Eve, working urgent", "2025-12-24 17:00", True, WORKING, "2025-12-31 11:00"),
    ("Christmas Eve, clock", "2025-12-24 17:00", False, CLOCK, "2025-12-26 17:00"),
    # Christmas 2026 is a Friday; Boxing Day (Sat) is observed on Mon 28 Dec.
    ("Christmas 2026, working", "2026-12-24 12:00", False, WORKING, "2027-01-05 10:00"),
    ("Christmas 2026, working urgent", "2026-12-24 12:00", True, WORKING, "2026-12-30 16:00"),
    # New Year's Eve evening: counting starts Fri 2 Jan.
    ("New Year's Eve, working", "2025-12-31 20:00", False, WORKING, "2026-01-08 16:00"),
    ("New Year's Eve, clock", "2025-12-31 20:00", False, CLOCK, "2026-01-02 20:00"),
    # A service open 09:00-17:00 Monday to Saturday.
    (
        "Mon-Sat 9-5, working",
        "2026-03-06 16:00",
        False,
        DueTimePolicy(
            mode=DueTimeMode.WORKING_HOURS,
            opens_at=time(9),
            closes_at=time(17),
            working_weekdays=frozenset(range(6)),
        ),
        # Fri 1 h, Sat 8, Mon 8, Tue 8, Wed 8, Thu 8 = 41 h, 7 h on Fri 13 Mar.
        "2026-03-13 16:00",
    ),
    (
        "36 h routine target, clock",
        "2026-06-01 09:00",
        False,
        DueTimePolicy(routine_hours=36, urgent_hours=12),
        "2026-06-02 21:00",
    ),
]


@pytest.mark.parametrize(
    ("received", "urgent", "policy", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_call_due_at_hand_worked_cases(
    received: str, urgent: bool, policy: DueTimePolicy, expected: str
) -> None:
    due = call_due_at(london(received), urgent=urgent, policy=policy)

    assert due == london(expected)
    assert due.tzinfo is UTC


def test_clock_hours_are_real_elapsed_hours_across_the_spring_change() -> None:
    received = utc("2026-03-27 10:00")

    due = call_due_at(received, urgent=False, policy=CLOCK)

    assert due - received == timedelta(hours=48)
    assert due.astimezone(LONDON).hour == 11  # the wall clock has jumped forward an hour


def test_working_hours_count_real_time_inside_an_opening_window_that_spans_a_clock_change() -> None:
    # Open all day every day (00:00-23:59): on 29 Mar 2026 the window holds only 22 h 59 min.
    policy = DueTimePolicy(
        mode=DueTimeMode.WORKING_HOURS,
        routine_hours=23,
        urgent_hours=23,
        opens_at=time(0),
        closes_at=time(23, 59),
        working_weekdays=frozenset(range(7)),
    )

    due = call_due_at(london("2026-03-29 00:00"), urgent=False, policy=policy)

    assert due == london("2026-03-30 00:01")


def test_received_time_in_another_zone_is_converted_to_utc() -> None:
    received = datetime(2026, 3, 27, 10, 0, tzinfo=LONDON)

    assert call_due_at(received, urgent=False, policy=CLOCK) == utc("2026-03-29 10:00")


def test_naive_received_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        call_due_at(datetime(2026, 3, 27, 10, 0), urgent=False, policy=CLOCK)  # noqa: DTZ001


def test_policy_accepts_the_mode_as_a_settings_string() -> None:
    policy = DueTimePolicy(mode="working_hours")  # type: ignore[arg-type]

    assert policy.mode is DueTimeMode.WORKING_HOURS


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"mode": "office_hours"}, "Unknown due-time mode"),
        ({"routine_hours": 0}, "positive"),
        ({"urgent_hours": -1}, "positive"),
        ({"routine_hours": 24, "urgent_hours": 48}, "urgent call target"),
        ({"opens_at": time(18), "closes_at": time(8)}, "close before they open"),
        ({"opens_at": time(9), "closes_at": time(9)}, "close before they open"),
        ({"opens_at": time(9, tzinfo=UTC)}, "wall times"),
        ({"working_weekdays": frozenset()}, "non-empty"),
        ({"working_weekdays": frozenset({7})}, "non-empty"),
    ],
)
def test_impossible_policies_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        DueTimePolicy(**fields)  # type: ignore[arg-type]


# --- calendar helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 8, 25), True),  # late summer bank holiday
        (date(2025, 12, 25), True),
        (date(2025, 12, 26), True),
        (date(2026, 1, 1), True),
        (date(2026, 4, 3), True),  # Good Friday
        (date(2026, 4, 6), True),  # Easter Monday
        (date(2026, 12, 28), True),  # Boxing Day observed
        (date(2026, 8, 3), False),  # Scottish summer bank holiday: not in England and Wales
        (date(2026, 3, 17), False),  # St Patrick's Day: Northern Ireland only
        (date(2025, 8, 26), False),
    ],
)
def test_bank_holidays_are_england_and_wales(day: date, expected: bool) -> None:
    assert is_bank_holiday(day) is expected


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    assert is_working_day(date(2026, 3, 2))
    assert not is_working_day(date(2026, 3, 7))
    assert not is_working_day(date(2026, 4, 3))
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # Easter
    assert add_working_days(date(2026, 3, 6), 5) == date(2026, 3, 13)
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 3, 7), -1)


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 6, 1), 24)],
)
def test_london_days_are_23_24_or_25_hours_long(day: date, hours: int) -> None:
    start, end = london_day_bounds(day)

    assert end - start == timedelta(hours=hours)
    assert start.astimezone(LONDON).time() == time(0)


# --- time left and status -----------------------------------------------------------------------

DUE = utc("2026-07-01 15:00")  # 16:00 BST


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (DUE + timedelta(seconds=1), DueStatus.OVERDUE),
        (DUE + timedelta(days=3), DueStatus.OVERDUE),
        (DUE, DueStatus.DUE_SOON),  # a call exactly at the due time is on time
        (DUE - timedelta(hours=4), DueStatus.DUE_SOON),
        (DUE - timedelta(hours=4, seconds=1), DueStatus.DUE_TODAY),
        (utc("2026-06-30 23:00"), DueStatus.DUE_TODAY),  # 00:00 BST on 1 July
        (utc("2026-06-30 22:59"), DueStatus.LATER),  # 23:59 BST on 30 June
    ],
)
def test_due_status(now: datetime, expected: DueStatus) -> None:
    assert due_status(DUE, now) is expected


def test_due_today_is_the_london_calendar_day_not_the_utc_one() -> None:
    due = utc("2026-07-01 23:30")  # 00:30 BST on 2 July
    now = utc("2026-07-01 12:00")

    assert not is_due_today(due, now)
    assert due_status(due, now) is DueStatus.LATER
    assert is_due_today(due, utc("2026-07-01 23:10"))


def test_due_soon_margin_is_configurable() -> None:
    now = DUE - timedelta(hours=6)

    assert due_status(DUE, now, soon=timedelta(hours=8)) is DueStatus.DUE_SOON
    assert due_status(DUE, now) is DueStatus.DUE_TODAY
    with pytest.raises(ValueError, match="negative"):
        due_status(DUE, now, soon=timedelta(hours=-1))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (DUE, "due now"),
        (DUE - timedelta(minutes=45, seconds=30), "45 min left"),
        (DUE - timedelta(hours=3, minutes=5), "3 h 05 min left"),
        (DUE - timedelta(days=1, hours=23, minutes=59), "1 d 23 h left"),
        (DUE + timedelta(seconds=30), "overdue by 1 min"),
        (DUE + timedelta(hours=1, minutes=20), "overdue by 1 h 20 min"),
    ],
)
def test_describe_time_left(now: datetime, expected: str) -> None:
    assert describe_time_left(DUE, now) == expected


def test_time_left_is_negative_when_overdue_and_naive_times_are_refused() -> None:
    assert time_left(DUE, DUE + timedelta(hours=2)) == timedelta(hours=-2)
    with pytest.raises(ValueError, match="naive"):
        due_status(DUE, datetime(2026, 7, 1, 12, 0))  # noqa: DTZ001


# --- properties ---------------------------------------------------------------------------------

received_times = st.datetimes(
    min_value=datetime(2024, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive by design)
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@st.composite
def policies(draw: st.DrawFn, mode: DueTimeMode | None = None) -> DueTimePolicy:
    # Opening hours between 06:00 and 22:00, clear of the clock-change hour, on a 15-minute grid.
    opens = draw(st.integers(min_value=6 * 4, max_value=20 * 4))
    closes = draw(st.integers(min_value=opens + 4, max_value=22 * 4))
    routine = draw(st.integers(min_value=1, max_value=120))
    return DueTimePolicy(
        mode=mode if mode is not None else draw(st.sampled_from(DueTimeMode)),
        routine_hours=routine,
        urgent_hours=draw(st.integers(min_value=1, max_value=routine)),
        opens_at=time(opens // 4, opens % 4 * 15),
        closes_at=time(closes // 4, closes % 4 * 15),
        working_weekdays=draw(
            st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)
            | st.just(MONDAY_TO_FRIDAY)
        ),
    )


@settings(max_examples=200, deadline=None)
@given(received=received_times, urgent=st.booleans(), policy=policies())
def test_due_is_after_receipt(received: datetime, urgent: bool, policy: DueTimePolicy) -> None:
    assert call_due_at(received, urgent=urgent, policy=policy) > received


@settings(max_examples=200, deadline=None)
@given(received=received_times, policy=policies())
def test_urgent_is_never_due_later_than_routine(received: datetime, policy: DueTimePolicy) -> None:
    assert call_due_at(received, urgent=True, policy=policy) <= call_due_at(
        received, urgent=False, policy=policy
    )


@settings(max_examples=200, deadline=None)
@given(
    received=received_times,
    urgent=st.booleans(),
    policy=policies(DueTimeMode.WORKING_HOURS),
)
def test_working_hours_due_time_lands_inside_opening_hours_on_a_working_day(
    received: datetime, urgent: bool, policy: DueTimePolicy
) -> None:
    local = call_due_at(received, urgent=urgent, policy=policy).astimezone(LONDON)

    assert local.weekday() in policy.working_weekdays
    assert not is_bank_holiday(local.date())
    # Documented choice: never exactly at opening, possibly exactly at closing.
    assert policy.opens_at < local.time().replace(tzinfo=None) <= policy.closes_at


@settings(max_examples=200, deadline=None)
@given(received=received_times, urgent=st.booleans(), policy=policies(DueTimeMode.CLOCK_HOURS))
def test_clock_hours_due_time_is_exactly_the_target_later(
    received: datetime, urgent: bool, policy: DueTimePolicy
) -> None:
    hours = policy.urgent_hours if urgent else policy.routine_hours

    assert call_due_at(received, urgent=urgent, policy=policy) - received == timedelta(hours=hours)


@settings(max_examples=200, deadline=None)
@given(first=received_times, gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)))
def test_a_later_referral_is_never_due_earlier(first: datetime, gap: timedelta) -> None:
    assert call_due_at(first, urgent=False, policy=WORKING) <= call_due_at(
        first + gap, urgent=False, policy=WORKING
    )


def _due_by_counting_quarter_hours(
    received: datetime, hours: int, policy: DueTimePolicy
) -> datetime:
    """Independent oracle: walk real time in 15-minute steps, counting the open ones."""
    step = timedelta(minutes=15)
    needed = timedelta(hours=hours)
    counted = timedelta(0)
    at = received
    while True:
        local = at.astimezone(LONDON)
        wall = local.time().replace(tzinfo=None)
        is_open = (
            local.weekday() in policy.working_weekdays
            and not is_bank_holiday(local.date())
            and policy.opens_at <= wall < policy.closes_at
        )
        at += step
        if is_open:
            counted += step
            if counted == needed:
                return at


@settings(max_examples=100, deadline=None)
@given(
    received=st.datetimes(
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001
        max_value=datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ).map(lambda at: at.replace(minute=at.minute // 15 * 15, second=0, microsecond=0)),
    policy=policies(DueTimeMode.WORKING_HOURS),
)
def test_working_hours_match_counting_open_quarter_hours_one_by_one(
    received: datetime, policy: DueTimePolicy
) -> None:
    expected = _due_by_counting_quarter_hours(received, policy.routine_hours, policy)

    assert call_due_at(received, urgent=False, policy=policy) == expected
