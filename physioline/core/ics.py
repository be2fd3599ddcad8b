"""Appointment files: one face-to-face appointment as an iCalendar event for the patient's email.

RFC 5545: CRLF line ends, lines folded at 75 octets, text values escaped, times in UTC ("Z") so
every calendar program shows the right local time without a time-zone block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from physioline.core.due import require_aware

PRODUCT_ID = "-//PhysioLine//Appointment//EN"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """What the patient's calendar needs to know about an appointment.

    Attributes:
        uid: globally unique, stable for the appointment (so a re-export updates, not duplicates).
        starts_at: aware start.
        ends_at: aware end.
        summary: the title, e.g. "Physiotherapy assessment".
        location: the clinic's name and address.
        description: what to bring, how to get there, how to rearrange.
        stamp: when the file was made (aware).
    """

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    stamp: datetime


def _utc(at: datetime, name: str) -> str:
    return require_aware(at, name).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a UTF-8 character."""
    pieces: list[str] = []
    current = ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            pieces.append(current)
            current = " " + char  # a continuation line starts with one space, counted too
        else:
            current += char
    pieces.append(current)
    return "\r\n".join(pieces)


def event_file(event: CalendarEvent) -> str:
    """The .ics text of one event (a VCALENDAR with one VEVENT).

    Raises:
        ValueError: a time is naive, or the event ends before it starts.
    """
    if require_aware(event.ends_at, "ends_at") <= require_aware(event.starts_at, "starts_at"):
        raise ValueError("an appointment must end after it starts")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(event.stamp, 'stamp')}",
        f"DTSTART:{_utc(event.starts_at, 'starts_at')}",
        f"DTEND:{_utc(event.ends_at, 'ends_at')}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"LOCATION:{escape_text(event.location)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Physiotherapy appointment tomorrow",
        "TRIGGER:-PT24H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
