"""The service's shared rules (due-time targets, call attempts), kept in the database.

Every desk reads the same rules from ``service_setting`` rows; a missing row means the default.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import sqlalchemy as sa

from physioline.core.contact import ContactPolicy
from physioline.core.due import DueTimeMode, DueTimePolicy
from physioline.db.driver import ReadSource
from physioline.db.tables import service_setting

DUE_TIME_KEY = "due_time"
CONTACT_KEY = "contact"
DEMO_KEY = "demo"
SERVICE_KEY = "service"

DEFAULT_SERVICE: dict[str, str] = {
    "name": "Community MSK Physiotherapy Service",
    "phone": "020 7946 0000",
    "email": "msk.triage@example.nhs.uk",
    "address": "MSK Triage Hub, Ladywell Unit, 1 Example Road, London SE13 6XX",
}


def read_setting(session: ReadSource, key: str) -> Any:
    """The stored value of a service setting, or None."""
    column = service_setting.c
    return session.scalar(sa.select(column.value).where(column.key == key))


def due_time_policy(session: ReadSource) -> DueTimePolicy:
    """The service's due-time rule (defaults: 48 clock hours, 24 for GP-urgent)."""
    raw = read_setting(session, DUE_TIME_KEY) or {}
    return DueTimePolicy(
        mode=DueTimeMode(raw.get("mode", DueTimeMode.CLOCK_HOURS)),
        routine_hours=int(raw.get("routine_hours", 48)),
        urgent_hours=int(raw.get("urgent_hours", 24)),
        opens_at=time.fromisoformat(raw.get("opens_at", "08:00")),
        closes_at=time.fromisoformat(raw.get("closes_at", "18:00")),
        working_weekdays=frozenset(raw.get("working_weekdays", [0, 1, 2, 3, 4])),
    )


def contact_policy(session: ReadSource) -> ContactPolicy:
    """The unable-to-contact rule (default: 3 failed attempts, 2 h apart, one outside 9-5)."""
    raw = read_setting(session, CONTACT_KEY) or {}
    return ContactPolicy(
        failed_attempts_needed=int(raw.get("failed_attempts_needed", 3)),
        min_gap=timedelta(minutes=int(raw.get("min_gap_minutes", 120))),
        require_one_outside_office_hours=bool(raw.get("require_one_outside_office_hours", True)),
        office_opens=time.fromisoformat(raw.get("office_opens", "09:00")),
        office_closes=time.fromisoformat(raw.get("office_closes", "17:00")),
    )


def is_demo_database(session: ReadSource) -> bool:
    """True only for a database built by ``physioline --demo`` (demo sign-in allowed)."""
    return bool(read_setting(session, DEMO_KEY))


def service_details(session: ReadSource) -> dict[str, str]:
    """The service's name, phone, email and address (letterheads, letters)."""
    raw = read_setting(session, SERVICE_KEY) or {}
    return {**DEFAULT_SERVICE, **{k: str(v) for k, v in raw.items()}}
