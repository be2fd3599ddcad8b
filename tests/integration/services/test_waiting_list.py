"""Freed slots and the waiting list, on both databases: who is offered a slot, booked in one go."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from physioline.clock import FrozenClock, to_london
from physioline.core.referral import ReferralStatus, SlotState
from physioline.db.engine import Database
from physioline.db.models import AuditEvent, Clinic, Letter, Referral, Slot, WaitingListEntry
from physioline.errors import Conflict, NotFound, NotPermitted, SlotTaken
from physioline.services import booking, rota
from physioline.services.booking import SlotPreferences
from tests.fixtures.booking import desk_as, signed_for_face_to_face, written


def _free_slot(db: Database, clock: FrozenClock, *, held: bool = False, days: int = 3) -> Slot:
    """A free new-patient slot at least ``days`` days ahead."""
    with db.sessions() as session:
        slot = session.scalar(
            sa.select(Slot).where(Slot.state == SlotState.FREE,
                                  Slot.appointment_type == "new_patient",
                                  Slot.held_for_urgent.is_(held),
                                  Slot.starts_at > clock.now() + timedelta(days=days))
            .order_by(Slot.starts_at, Slot.id).limit(1)
        )  # fmt: skip
    assert slot is not None
    return slot


def _clinic_name(db: Database, clinic_id: int) -> str:
    with db.sessions() as session:
        name = session.scalar(sa.select(Clinic.name).where(Clinic.id == clinic_id))
    assert name is not None
    return name


def _entry(db: Database, entry_id: int) -> WaitingListEntry:
    with db.sessions() as session:
        entry = session.get(WaitingListEntry, entry_id)
        assert entry is not None
        session.expunge(entry)
    return entry


def test_a_cancelled_slot_goes_to_the_longest_waiting_patient_in_one_action(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    jo = desk_as(demo_db, clock, "jo")
    slot = _free_slot(demo_db, clock)
    clinic = _clinic_name(demo_db, slot.clinic_id)
    booked = booking.book_slot(priya, signed_for_face_to_face(demo_db, clock), slot.id)

    # Three patients wait for the slot's clinic; one only on another weekday; one elsewhere.
    first = signed_for_face_to_face(demo_db, clock)
    first_entry = booking.add_to_waiting_list(priya, first, clinic_ids=[slot.clinic_id])
    since = clock.now()
    clock.advance(timedelta(minutes=20))
    other_day = (to_london(slot.starts_at).weekday() + 1) % 7
    fussy = signed_for_face_to_face(demo_db, clock)
    only_then = SlotPreferences(weekdays=frozenset({other_day}))
    booking.add_to_waiting_list(priya, fussy, clinic_ids=[slot.clinic_id], preferences=only_then)
    clock.advance(timedelta(minutes=20))
    second = signed_for_face_to_face(demo_db, clock)
    second_entry = booking.add_to_waiting_list(priya, second, clinic_ids=[slot.clinic_id])
    with demo_db.sessions() as session:
        elsewhere_id = session.scalar(sa.select(Clinic.id).where(Clinic.id != slot.clinic_id))
    assert elsewhere_id is not None
    booking.add_to_waiting_list(priya, signed_for_face_to_face(demo_db, clock),
                                clinic_ids=[elsewhere_id])  # fmt: skip

    cancelled = booking.cancel_appointment(jo, booked.appointment_id, reason="Moved away",
                                           initiator="patient")  # fmt: skip
    waiting = cancelled.waiting
    assert waiting is not None
    assert (waiting.count, waiting.entry_id, waiting.referral_id) == (2, first_entry, first)
    assert waiting.earliest_since == since
    expected = f"2 patients waiting for {clinic}: earliest waiting since " \
        f"{to_london(since):%a %d %b %Y %H:%M} ("  # fmt: skip
    assert expected in cancelled.message
    assert cancelled.message.startswith("Appointment cancelled; the referral is waiting")
    assert booking.waiting_for_slot(jo, slot.id) == waiting

    # The screen showed someone else: nothing is written.
    before = written(demo_db)
    with pytest.raises(Conflict, match="The waiting list changed a moment ago"):
        booking.book_from_waiting_list(jo, slot.id, entry_id=second_entry)
    assert written(demo_db) == before

    filled = booking.book_from_waiting_list(jo, slot.id, entry_id=first_entry)
    assert (filled.referral_id, filled.slot_id) == (first, slot.id)
    entry = _entry(demo_db, first_entry)
    assert entry.removed_at == clock.now()
    assert entry.removed_reason == (
        f"Booked from the waiting list into a freed slot (appointment {filled.appointment_id})."
    )
    assert _entry(demo_db, second_entry).removed_at is None
    with demo_db.sessions() as session:
        referral = session.get(Referral, first)
        assert referral is not None
        assert referral.status == ReferralStatus.BOOKED
        assert session.scalar(sa.select(Letter.kind).where(
            Letter.appointment_id == filled.appointment_id)) == "appointment"  # fmt: skip
        audit = session.scalars(
            sa.select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(4)
        ).all()  # fmt: skip
    assert "waiting_list.book" in audit
    assert "appointment.book" in audit
    now_booked = booking.waiting_for_slot(jo, slot.id)
    assert now_booked.count == 0
    assert now_booked.message.endswith("is booked.")
    with pytest.raises(SlotTaken, match="Just taken by a colleague"):
        booking.book_from_waiting_list(jo, slot.id)


def test_a_held_slot_goes_to_urgent_patients_until_released(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    sam = desk_as(demo_db, clock, "sam")
    held = _free_slot(demo_db, clock, held=True, days=7)
    clinic = _clinic_name(demo_db, held.clinic_id)
    routine = signed_for_face_to_face(demo_db, clock)
    booking.add_to_waiting_list(priya, routine, clinic_ids=[held.clinic_id])
    nobody = booking.waiting_for_slot(sam, held.id)
    assert nobody.count == 0
    assert nobody.message == f"Nobody on the waiting list for {clinic} fits this slot."
    with pytest.raises(NotFound, match="Nobody on the waiting list"):
        booking.book_from_waiting_list(sam, held.id)
    clock.advance(timedelta(minutes=5))
    urgent = signed_for_face_to_face(demo_db, clock, "urgent_f2f")
    booking.add_to_waiting_list(priya, urgent, clinic_ids=[held.clinic_id])
    only_urgent = booking.waiting_for_slot(sam, held.id)
    assert (only_urgent.count, only_urgent.referral_id, only_urgent.urgent) == (1, urgent, True)
    # Releasing the hold says who waits for it now, the routine patient first.
    released = rota.release_slot(sam, held.id)
    assert released.startswith("The slot of ")
    assert f"is released to routine booking. 2 patients waiting for {clinic}" in released
    assert booking.waiting_for_slot(sam, held.id).referral_id == routine
    # Blocking then releasing a slot says the same.
    rota.block_slot(sam, held.id, "Room double-booked")
    assert booking.waiting_for_slot(sam, held.id).message.endswith("is blocked.")
    again = rota.release_slot(sam, held.id)
    assert f"is free to book again. 2 patients waiting for {clinic}" in again
    assert booking.book_from_waiting_list(sam, held.id).referral_id == routine


def test_the_waiting_list_is_for_the_roles_that_book(demo_db: Database, clock: FrozenClock) -> None:
    slot = _free_slot(demo_db, clock)
    alex = desk_as(demo_db, clock, "alex")  # IT sees no patients
    with pytest.raises(NotPermitted, match="may not see the waiting list"):
        booking.waiting_for_slot(alex, slot.id)
    before = written(demo_db)
    with pytest.raises(NotPermitted, match="may not book from the waiting list"):
        booking.book_from_waiting_list(alex, slot.id)
    assert written(demo_db) == before
    with pytest.raises(NotFound, match="no slot 999999"):
        booking.waiting_for_slot(desk_as(demo_db, clock, "jo"), 999_999)


def test_a_blocked_cancellation_offers_nothing(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    slot = _free_slot(demo_db, clock)
    booked = booking.book_slot(priya, signed_for_face_to_face(demo_db, clock), slot.id)
    booking.add_to_waiting_list(priya, signed_for_face_to_face(demo_db, clock),
                                clinic_ids=[slot.clinic_id])  # fmt: skip
    cancelled = booking.cancel_appointment(desk_as(demo_db, clock, "jo"), booked.appointment_id,
                                           reason="Clinician off sick", initiator="service",
                                           block_slot=True)  # fmt: skip
    assert cancelled.waiting is None
    assert "waiting for" not in cancelled.message
