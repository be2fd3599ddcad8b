"""Appointment files: RFC 5545 escaping, folding at 75 octets, UTC times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from physioline.core.ics import CalendarEvent, escape_text, event_file, fold

LONDON = ZoneInfo("Europe/London")


def _event(**changes: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": "appointment-7@physioline",
        "starts_at": datetime(2026, 7, 16, 17, 30, tzinfo=LONDON),
        "ends_at": datetime(2026, 7, 16, 18, 15, tzinfo=LONDON),
        "summary": "Physiotherapy assessment",
        "location": "Ladywell Physiotherapy Centre, 14 Slagrove Place, London, SE13 7HX",
        "description": "Bring loose clothing; arrive early.\nCall 020 7946 0000 to change.",
        "stamp": datetime(2026, 7, 1, 9, 0, tzinfo=UTC),
    }
    values.update(changes)
    return CalendarEvent(**values)  # type: ignore[arg-type]


def test_times_are_utc_and_lines_end_with_crlf() -> None:
    text = event_file(_event())
    assert "DTSTART:20260716T163000Z\r\n" in text  # 17:30 BST
    assert "DTEND:20260716T171500Z\r\n" in text
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_text_is_escaped_and_long_lines_folded() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    text = event_file(_event())
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "LOCATION:Ladywell Physiotherapy Centre\\, 14 Slagrove Place\\, London\\, SE13 7HX" \
        in unfolded  # fmt: skip
    assert "arrive early.\\nCall 020" in unfolded


def test_folding_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "Łódź–Kraków " * 20
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_an_appointment_must_end_after_it_starts() -> None:
    start = datetime(2026, 7, 16, 17, 30, tzinfo=LONDON)
    with pytest.raises(ValueError, match="end after it starts"):
        event_file(_event(ends_at=start, starts_at=start))
    with pytest.raises(ValueError, match="naive"):
        event_file(_event(starts_at=datetime(2026, 7, 16, 17, 30), ends_at=start + timedelta(1)))  # noqa: DTZ001
