"""The database refuses overlapping live slots of one clinician, on SQLite and PostgreSQL.

Raw inserts and updates, not the booking service: the guard must hold whatever code writes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from physioline.core.referral import AppointmentType, SlotState
from physioline.db.engine import Database
from physioline.db.models import Clinic, Slot, User

START = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # a Tuesday in winter: London = UTC


def _clinician_and_clinic(db: Database) -> tuple[int, int]:
    with db.sessions() as session:
        clinician = session.scalar(sa.select(User.id).where(User.username == "tom"))
        clinic = session.scalar(sa.select(Clinic.id).order_by(Clinic.id).limit(1))
    assert clinician is not None
    assert clinic is not None
    return clinician, clinic


def _insert(db: Database, clinician: int, clinic: int, start: datetime, minutes: int,
            state: SlotState = SlotState.FREE) -> int:  # fmt: skip
    with db.sessions() as session:
        slot = Slot(clinic_id=clinic, clinician_id=clinician, starts_at=start,
                    ends_at=start + timedelta(minutes=minutes), state=state,
                    appointment_type=AppointmentType.NEW_PATIENT)  # fmt: skip
        session.add(slot)
        session.commit()
        return slot.id


def _update(db: Database, slot_id: int, **values: object) -> None:
    with db.sessions() as session:
        session.execute(sa.update(Slot).where(Slot.id == slot_id).values(**values))
        session.commit()


def _refused(exc: pytest.ExceptionInfo[sa.exc.IntegrityError]) -> None:
    assert "ex_slot_clinician_no_overlap" in str(exc.value.orig)


def test_overlapping_insert_is_refused_touching_is_not(demo_db: Database) -> None:
    clinician, clinic = _clinician_and_clinic(demo_db)
    first = _insert(demo_db, clinician, clinic, START, 45)
    # 09:30-10:15 overlaps 09:00-09:45; starting at another clinic does not help.
    with pytest.raises(sa.exc.IntegrityError) as refused:
        _insert(demo_db, clinician, clinic + 1, START + timedelta(minutes=30), 45)
    _refused(refused)
    # One that starts earlier and runs into it.
    with pytest.raises(sa.exc.IntegrityError) as refused:
        _insert(demo_db, clinician, clinic, START - timedelta(minutes=30), 45)
    _refused(refused)
    # Touching ends do not overlap; another clinician may work the same time.
    _insert(demo_db, clinician, clinic, START + timedelta(minutes=45), 45)
    _insert(demo_db, clinician, clinic, START - timedelta(minutes=45), 45)
    with demo_db.sessions() as session:
        other = session.scalar(sa.select(User.id).where(User.username == "priya"))
    assert other is not None
    _insert(demo_db, other, clinic, START + timedelta(minutes=30), 45)
    with demo_db.sessions() as session:
        assert session.get(Slot, first) is not None


def test_blocked_slots_do_not_count_but_releasing_into_an_overlap_is_refused(
    demo_db: Database,
) -> None:
    clinician, clinic = _clinician_and_clinic(demo_db)
    blocked = _insert(demo_db, clinician, clinic, START, 45, SlotState.BLOCKED)
    replacement = _insert(demo_db, clinician, clinic, START + timedelta(minutes=15), 30)
    assert replacement
    with pytest.raises(sa.exc.IntegrityError) as refused:
        _update(demo_db, blocked, state="free")
    _refused(refused)


def test_moving_a_slot_onto_another_is_refused(demo_db: Database) -> None:
    clinician, clinic = _clinician_and_clinic(demo_db)
    _insert(demo_db, clinician, clinic, START, 45)
    later = _insert(demo_db, clinician, clinic, START + timedelta(hours=2), 45)
    with pytest.raises(sa.exc.IntegrityError) as refused:
        _update(demo_db, later, starts_at=START + timedelta(minutes=40),
                ends_at=START + timedelta(minutes=85))  # fmt: skip
    _refused(refused)


def test_london_weekday_and_minute_are_filled_from_the_start(demo_db: Database) -> None:
    clinician, clinic = _clinician_and_clinic(demo_db)
    summer = datetime(2027, 7, 15, 16, 30, tzinfo=UTC)  # Thursday 17:30 BST
    winter = _insert(demo_db, clinician, clinic, START, 45)
    bst = _insert(demo_db, clinician, clinic, summer, 45)
    with demo_db.sessions() as session:
        rows = {
            slot_id: (weekday, minute)
            for slot_id, weekday, minute in session.execute(
                sa.select(Slot.id, Slot.weekday, Slot.start_minute).where(
                    Slot.id.in_([winter, bst])
                )
            )
        }
    assert rows[winter] == (1, 9 * 60)
    assert rows[bst] == (3, 17 * 60 + 30)
