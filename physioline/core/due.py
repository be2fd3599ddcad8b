"""Due times: when each GP referral's first call is due, and how close it is to breaching.

Every GP-referred patient is called within a target (default 48 hours) of the referral being
received; GP-marked urgent referrals have a shorter target (default 24 hours). The service chooses
in settings whether the target counts clock hours or working hours.

All instants going in and out are timezone-aware and come back in UTC. Working-hour arithmetic is
done in Europe/London wall time because opening hours are wall times ("08:00-18:00"), which shift
against UTC when the clocks change.

Bank holidays are those of England and Wales (the two share one list), from the ``holidays``
package's ``UK(subdiv="ENG")`` calendar, including substitute days ("Boxing Day (observed)").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from physioline.clock import LONDON
from physioline.errors import InvalidInput

MONDAY_TO_FRIDAY: Final[frozenset[int]] = frozenset(range(5))
"""Working weekdays as ``date.weekday()`` numbers: Monday is 0, Sunday is 6."""

WEEKDAY_NAMES: Final[tuple[str, ...]] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

DUE_SOON: Final[timedelta] = timedelta(hours=4)
"""A referral due within this time is marked "due soon" on the worklist (issue 5)."""


class DueTimeMode(StrEnum):
    """How the call target is counted."""

    CLOCK_HOURS = "clock_hours"
    """Real elapsed hours, day and night, weekends and bank holidays included."""
    WORKING_HOURS = "working_hours"
    """Only hours within opening hours on working weekdays that are not bank holidays."""


class DueStatus(StrEnum):
    """Where a referral stands against its call due time, most pressing first."""

    OVERDUE = "overdue"
    """The due time has passed."""
    DUE_SOON = "due_soon"
    """Due within the "soon" margin (default 4 hours), including exactly now."""
    DUE_TODAY = "due_today"
    """Due later today (Europe/London calendar day), beyond the "soon" margin."""
    LATER = "later"
    """Due on a later day."""


@dataclass(frozen=True, slots=True)
class DueTimePolicy:
    """The service's due-time settings.

    Attributes:
        mode: clock hours or working hours. A plain string ("clock_hours", "working_hours") from a
            settings file is accepted and converted.
        routine_hours: call target for routine referrals, in hours (default 48).
        urgent_hours: call target for GP-marked urgent referrals, in hours (default 24); never
            longer than ``routine_hours``.
        opens_at: opening time, Europe/London wall time (working-hours mode only).
        closes_at: closing time, Europe/London wall time, after ``opens_at`` on the same day.
        working_weekdays: weekdays the service works, ``date.weekday()`` numbers (Monday is 0).
            England and Wales bank holidays are never working days.

    Raises:
        InvalidInput: if a value is out of range, with a message naming the setting.
    """

    mode: DueTimeMode = DueTimeMode.CLOCK_HOURS
    routine_hours: int = 48
    urgent_hours: int = 24
    opens_at: time = time(8, 0)
    closes_at: time = time(18, 0)
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "mode", DueTimeMode(self.mode))
        except ValueError:
            raise InvalidInput(
                f"Unknown due-time mode {self.mode!r}.",
                "Use 'clock_hours' or 'working_hours'.",
            ) from None
        if self.routine_hours <= 0 or self.urgent_hours <= 0:
            raise InvalidInput(
                "Call targets must be a positive number of hours "
                f"(routine {self.routine_hours}, urgent {self.urgent_hours}).",
            )
        if self.urgent_hours > self.routine_hours:
            raise InvalidInput(
                f"The urgent call target ({self.urgent_hours} h) is longer than the routine one "
                f"({self.routine_hours} h).",
                "An urgent referral must never wait longer than a routine one.",
            )
        if self.opens_at.tzinfo is not None or self.closes_at.tzinfo is not None:
            raise InvalidInput("Opening hours are Europe/London wall times without a time zone.")
        if self.opens_at >= self.closes_at:
            raise InvalidInput(
                f"Opening hours {self.opens_at:%H:%M}-{self.closes_at:%H:%M} close before they "
                "open.",
                "Closing time must be later than opening time on the same day.",
            )
        weekdays = frozenset(self.working_weekdays)
        if not weekdays or not weekdays <= frozenset(range(7)):
            raise InvalidInput(
                f"Working weekdays {sorted(weekdays)} must be a non-empty choice of 0 (Monday) "
                "to 6 (Sunday).",
            )
        object.__setattr__(self, "working_weekdays", weekdays)


# --- calendar ---------------------------------------------------------------------------------


@functools.cache
def _bank_holidays(year: int) -> frozenset[date]:
    # country_holidays("GB", subdiv="ENG") is holidays.UK(subdiv="ENG"), through the typed API.
    # Imported here, not at the top: the worklist's first paint needs no bank holidays.
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    """Tell whether ``day`` is an England and Wales bank holiday (substitute days included)."""
    return day in _bank_holidays(day.year)


def is_working_day(day: date, weekdays: frozenset[int] = MONDAY_TO_FRIDAY) -> bool:
    """Tell whether ``day`` is one of ``weekdays`` and not an England and Wales bank holiday."""
    return day.weekday() in weekdays and not is_bank_holiday(day)


def add_working_days(day: date, count: int, weekdays: frozenset[int] = MONDAY_TO_FRIDAY) -> date:
    """Return the ``count``-th working day after ``day`` (``day`` itself is day 0).

    Args:
        day: the starting calendar day; need not be a working day itself.
        count: how many working days to step forward; 0 returns ``day`` unchanged.
        weekdays: working weekdays (Monday is 0); bank holidays never count.

    Raises:
        ValueError: if ``count`` is negative or ``weekdays`` is empty.
    """
    if count < 0:
        raise ValueError("count of working days must not be negative")
    if not weekdays:
        raise ValueError("no working weekdays")
    while count:
        day += timedelta(days=1)
        if is_working_day(day, weekdays):
            count -= 1
    return day


def london_date(at: datetime) -> date:
    """Return the Europe/London calendar day of an aware instant.

    Raises:
        ValueError: if ``at`` is naive.
    """
    return require_aware(at, "at").astimezone(LONDON).date()


def london_wall_time(day: date, at: time) -> datetime:
    """Return the UTC instant of wall time ``at`` on ``day`` in Europe/London.

    A wall time that occurs twice (the hour after 01:00 when the clocks go back) means the first
    occurrence (BST); one that does not exist (01:00-02:00 when they go forward) is read with the
    offset before the change, so it lands one hour later in BST.
    """
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def london_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Return the UTC instants where a Europe/London calendar day starts and the next one starts.

    The day is 23 hours long when the clocks go forward and 25 when they go back; use the pair as
    ``start <= due_at < end`` to find what is due on ``day``.
    """
    return london_wall_time(day, time(0)), london_wall_time(day + timedelta(days=1), time(0))


def require_aware(at: datetime, name: str) -> datetime:
    """Return ``at`` converted to UTC.

    Raises:
        ValueError: if ``at`` is naive: PhysioLine never guesses which zone a time is in.
    """
    if at.tzinfo is None or at.tzinfo.utcoffset(at) is None:
        raise ValueError(f"{name} is a naive datetime: PhysioLine takes aware UTC times only")
    return at.astimezone(UTC)


# --- the due-time rule ------------------------------------------------------------------------


def call_due_at(received_at: datetime, *, urgent: bool, policy: DueTimePolicy) -> datetime:
    """Return when the first call to the patient of a referral is due.

    In clock-hours mode the due time is exactly the target's number of real elapsed hours after
    receipt, so across a clock change the Europe/London wall time of the due time moves by one
    hour (48 h after Friday 10:00 GMT is Sunday 11:00 BST).

    In working-hours mode only time within opening hours on a working day counts. A referral
    received outside opening hours starts counting at the next opening. The due time always falls
    on a working day with ``opens_at < wall time <= closes_at``: when the target runs out exactly at
    closing time the call is due at closing time that day, not at the next opening.

    Args:
        received_at: when the referral was received; timezone-aware (any zone, UTC preferred).
        urgent: whether the GP marked the referral urgent (uses ``policy.urgent_hours``).
        policy: the service's due-time settings.

    Returns:
        The aware UTC instant the call is due. Always after ``received_at``; never later for an
        urgent referral than for a routine one received at the same time.

    Raises:
        ValueError: if ``received_at`` is naive.
    """
    received = require_aware(received_at, "received_at")
    target = timedelta(hours=policy.urgent_hours if urgent else policy.routine_hours)
    if policy.mode is DueTimeMode.CLOCK_HOURS:
        return received + target
    return _add_working_time(received, target, policy)


def _add_working_time(start: datetime, amount: timedelta, policy: DueTimePolicy) -> datetime:
    # Walk day by day through the opening windows (as UTC intervals, so a window that spans a
    # clock change counts its real length) until ``amount`` of open time has been used up.
    remaining = amount
    day = start.astimezone(LONDON).date()
    while True:
        if is_working_day(day, policy.working_weekdays):
            opens = london_wall_time(day, policy.opens_at)
            closes = london_wall_time(day, policy.closes_at)
            counting_from = max(opens, start)
            if counting_from < closes:
                available = closes - counting_from
                if remaining <= available:
                    return counting_from + remaining
                remaining -= available
        day += timedelta(days=1)


# --- time left ----------------------------------------------------------------------------------


def time_left(due_at: datetime, now: datetime) -> timedelta:
    """Return the time from ``now`` until ``due_at``; negative once the referral is overdue.

    Raises:
        ValueError: if either datetime is naive.
    """
    return require_aware(due_at, "due_at") - require_aware(now, "now")


def is_due_today(due_at: datetime, now: datetime) -> bool:
    """Tell whether ``due_at`` falls on today's Europe/London calendar day.

    True also for a referral that fell due earlier today and is now overdue; combine with
    :func:`due_status` for the worklist's "due today" and "overdue" counts as the service defines
    them.

    Raises:
        ValueError: if either datetime is naive.
    """
    return london_date(due_at) == london_date(now)


def due_status(due_at: datetime, now: datetime, soon: timedelta = DUE_SOON) -> DueStatus:
    """Classify a referral against its due time for the worklist's marks and counts.

    A referral is overdue only once ``now`` is strictly after ``due_at``: a call made exactly at
    the due time is on time. Otherwise it is due soon when at most ``soon`` is left, due today when
    the due time is later on today's Europe/London calendar day, and later otherwise.

    Raises:
        ValueError: if either datetime is naive or ``soon`` is negative.
    """
    if soon < timedelta(0):
        raise ValueError("the 'due soon' margin must not be negative")
    left = time_left(due_at, now)
    if left < timedelta(0):
        return DueStatus.OVERDUE
    if left <= soon:
        return DueStatus.DUE_SOON
    if is_due_today(due_at, now):
        return DueStatus.DUE_TODAY
    return DueStatus.LATER


def describe_time_left(due_at: datetime, now: datetime) -> str:
    """Describe the time left in words for the worklist ("3 h 05 min left", "overdue by 20 min").

    Time left is rounded down and time overdue rounded up, so the text never flatters a referral.

    Raises:
        ValueError: if either datetime is naive.
    """
    left = time_left(due_at, now)
    if left == timedelta(0):
        return "due now"
    if left > timedelta(0):
        return f"{_format_minutes(int(left.total_seconds() // 60))} left"
    overdue_minutes = -int((left.total_seconds()) // 60)  # ceiling of the overdue minutes
    return f"overdue by {_format_minutes(overdue_minutes)}"


def _format_minutes(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins:02d} min"
    return f"{mins} min"
