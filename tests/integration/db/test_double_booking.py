"""The database itself refuses a second live booking of one slot, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from physioline.clock import FrozenClock
from physioline.core.referral import AppointmentStatus, SlotState
from physioline.db.engine import Database
from physioline.db.models import Appointment, Referral, Slot, User
from physioline.db.uow import UnitOfWork
from physioline.errors import SlotTaken


def _book(db: Database, clock: FrozenClock, slot_id: int, referral_id: int) -> None:
    with UnitOfWork(db, clock, None) as uow:
        referral = uow.session.get(Referral, referral_id)
        assert referral is not None
        booker = uow.session.scalar(sa.select(User.id).limit(1))
        uow.session.add(Appointment(
            slot_id=slot_id, patient_id=referral.patient_id, referral_id=referral_id,
            booked_by_id=booker, booked_at=uow.now(), status=AppointmentStatus.BOOKED,
        ))  # fmt: skip
        uow.commit()


def _free_slot_and_two_referrals(db: Database) -> tuple[int, int, int]:
    with db.sessions() as session:
        slot_id = session.scalar(sa.select(Slot.id).where(Slot.state == SlotState.FREE).limit(1))
        referral_ids = session.scalars(sa.select(Referral.id).limit(2)).all()
    assert slot_id is not None
    assert len(referral_ids) == 2
    return slot_id, referral_ids[0], referral_ids[1]


def test_second_live_booking_of_a_slot_is_refused(demo_db: Database, clock: FrozenClock) -> None:
    slot_id, first, second = _free_slot_and_two_referrals(demo_db)
    _book(demo_db, clock, slot_id, first)
    with pytest.raises(SlotTaken, match="booked by a colleague"):
        _book(demo_db, clock, slot_id, second)
    with demo_db.sessions() as session:
        live = session.scalar(sa.select(sa.func.count()).select_from(Appointment)
                              .where(Appointment.slot_id == slot_id))  # fmt: skip
    assert live == 1


def test_concurrent_bookings_of_one_slot_yield_one_booking(
    demo_db: Database, clock: FrozenClock
) -> None:
    """Two desks press 'book' at the same instant on two real connections: one wins."""
    slot_id, first, second = _free_slot_and_two_referrals(demo_db)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def desk(referral_id: int) -> None:
        barrier.wait()
        try:
            _book(demo_db, clock, slot_id, referral_id)
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")

    threads = [threading.Thread(target=desk, args=(r,)) for r in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["booked", "taken"]


def test_a_cancelled_booking_frees_the_slot_for_another(
    demo_db: Database, clock: FrozenClock
) -> None:
    slot_id, first, second = _free_slot_and_two_referrals(demo_db)
    _book(demo_db, clock, slot_id, first)
    with UnitOfWork(demo_db, clock, None) as uow:
        appointment = uow.session.scalar(
            sa.select(Appointment).where(Appointment.slot_id == slot_id)
        )
        assert appointment is not None
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = uow.now()
        uow.commit()
    _book(demo_db, clock, slot_id, second)  # no error: only live bookings are unique
