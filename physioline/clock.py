"""The one clock: every "now" in PhysioLine comes from here, so SLA logic is testable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class Clock(Protocol):
    """Source of the current time."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The wall clock of this machine."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)


class FrozenClock:
    """A clock that stands still until moved; for tests and reproducible demo data."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        """Return the frozen time in UTC."""
        return self._at

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._at += delta

    def set(self, at: datetime) -> None:
        """Move the clock to ``at`` (timezone-aware)."""
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)


def to_london(at: datetime) -> datetime:
    """Convert an aware UTC datetime to Europe/London wall time for display."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: PhysioLine stores aware UTC times only")
    return at.astimezone(LONDON)
