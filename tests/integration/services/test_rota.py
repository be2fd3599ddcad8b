"""Capacity on both databases: generating slots, exceptions, bank holidays, one slot at a time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from physioline.clock import FrozenClock, to_london
from physioline.core.due import london_date, london_wall_time
from physioline.core.referral import SlotState
from physioline.db.engine import Database
from physioline.db.models import Clinic, RotaException, RotaTemplate, ServiceSetting, Slot, User
from physioline.errors import Conflict, InvalidInput, NotPermitted
from physioline.services import booking, rota
from tests.fixtures.booking import desk_as, signed_for_face_to_face, written


def _ids(db: Database) -> dict[str, int]:
    with db.sessions() as session:
        users = dict(session.execute(sa.select(User.username, User.id)).all())
        clinics = dict(session.execute(sa.select(Clinic.code, Clinic.id)).all())
    return {**users, **clinics}


def _slots(db: Database, **where: object) -> list[Slot]:
    with db.sessions() as session:
        return list(session.scalars(sa.select(Slot).filter_by(**where).order_by(Slot.starts_at)))


def test_generation_fills_the_horizon_once_and_never_duplicates(
    demo_db: Database, clock: FrozenClock
) -> None:
    sam = desk_as(demo_db, clock, "sam")
    report = rota.generate_slots_for(sam, weeks=12)  # the demo made 6 weeks
    assert report.added > 0
    assert report.withdrawn == 0
    assert report.first_day == date(2026, 11, 23)
    assert report.last_day == date(2027, 2, 14)
    with demo_db.sessions() as session:
        latest = session.scalar(sa.select(sa.func.max(Slot.starts_at)))
        duplicates = session.execute(
            sa.select(Slot.clinician_id, Slot.starts_at).group_by(Slot.clinician_id,
                                                                   Slot.starts_at)
            .having(sa.func.count() > 1)
        ).all()  # fmt: skip
    assert latest is not None
    assert london_date(latest) <= date(2027, 2, 14)
    assert london_date(latest) > date(2027, 2, 7)
    assert duplicates == []
    again = rota.generate_slots_for(desk_as(demo_db, clock, "alex"), weeks=12)  # IT may too
    assert (again.added, again.withdrawn, again.to_rebook) == (0, 0, ())
    assert "0 added, 0 withdrawn" in again.message


def test_bank_holidays_are_closed_unless_the_service_opens(
    demo_db: Database, clock: FrozenClock
) -> None:
    christmas = date(2026, 12, 25)  # a Friday: daniel works LDW Friday mornings
    rota.generate_slots_for(desk_as(demo_db, clock, "sam"), weeks=12)
    on = [s for s in _slots(demo_db) if london_date(s.starts_at) == christmas]
    boxing_day_sub = [s for s in _slots(demo_db) if london_date(s.starts_at) == date(2026, 12, 28)]
    assert on == []
    assert boxing_day_sub == []  # the substitute bank holiday for Boxing Day (a Saturday)
    with demo_db.sessions() as session:
        session.add(ServiceSetting(key="rota", value={"closed_on_bank_holidays": False},
                                   updated_at=clock.now()))  # fmt: skip
        session.commit()
    rota.generate_slots_for(desk_as(demo_db, clock, "sam"), weeks=12)
    assert [s for s in _slots(demo_db) if london_date(s.starts_at) == christmas]


def test_leave_withdraws_free_slots_and_lists_booked_ones_without_touching_them(
    demo_db: Database, clock: FrozenClock
) -> None:
    ids = _ids(demo_db)
    sam = desk_as(demo_db, clock, "sam")
    priya = desk_as(demo_db, clock, "priya")
    # Marta's Monday afternoons at Catford: book one, block one, then she takes leave.
    monday = date(2026, 11, 30)
    hers = [s for s in _slots(demo_db, clinician_id=ids["marta"])
            if london_date(s.starts_at) == monday]  # fmt: skip
    assert len(hers) == 5
    referral_id = signed_for_face_to_face(demo_db, clock, "urgent_f2f")
    booked = booking.book_slot(priya, referral_id, hers[0].id)
    rota.block_slot(sam, hers[1].id, "Room booked for a meeting")
    report = rota.add_rota_exception(sam, kind="leave", first_day=monday, last_day=monday,
                                     clinician_id=ids["marta"], note="Annual leave")  # fmt: skip
    assert report.to_rebook == (booked.slot_id,)
    assert report.withdrawn == 3
    assert "1 booked appointment(s) fall outside the rota now" in report.message
    left = {s.id: s for s in _slots(demo_db, clinician_id=ids["marta"])
            if london_date(s.starts_at) == monday}  # fmt: skip
    assert set(left) == {hers[0].id, hers[1].id}
    assert left[hers[0].id].state == SlotState.BOOKED
    assert left[hers[1].id].state == SlotState.BLOCKED
    assert left[hers[1].id].blocked_reason == "Room booked for a meeting"
    # Regenerating leaves it all as it is.
    again = rota.generate_slots_for(sam, weeks=6)
    assert (again.added, again.withdrawn, again.to_rebook) == (0, 0, (booked.slot_id,))


def test_part_day_training_and_a_clinic_closure(demo_db: Database, clock: FrozenClock) -> None:
    ids = _ids(demo_db)
    sam = desk_as(demo_db, clock, "sam")
    tuesday = date(2026, 12, 1)  # tom: DPT 09:00-12:45; james: BKH 09:00-12:45
    rota.add_rota_exception(sam, kind="training", first_day=tuesday, last_day=tuesday,
                            clinician_id=ids["tom"], starts=time(10), ends=time(11))  # fmt: skip
    toms = [f"{to_london(s.starts_at):%H:%M}" for s in _slots(demo_db, clinician_id=ids["tom"])
            if london_date(s.starts_at) == tuesday]  # fmt: skip
    assert toms == ["09:00", "11:15", "12:00"]  # 09:45 and 10:30 touch the training hour
    closed = rota.add_rota_exception(sam, kind="closure", first_day=tuesday,
                                     last_day=tuesday + timedelta(days=1),
                                     clinic_id=ids["BKH"])  # fmt: skip
    at_bkh = [s for s in _slots(demo_db, clinic_id=ids["BKH"])
              if tuesday <= london_date(s.starts_at) <= tuesday + timedelta(days=1)]  # fmt: skip
    assert at_bkh  # the demo's booked appointments there stay, listed for rebooking
    assert {s.state for s in at_bkh} == {SlotState.BOOKED}
    assert {s.id for s in at_bkh} <= set(closed.to_rebook)
    with demo_db.sessions() as session:
        rows = session.scalars(sa.select(RotaException).order_by(RotaException.id)).all()
    assert [(r.kind.value, r.starts_at, r.ends_at) for r in rows[-2:]] == [
        ("training", london_wall_time(tuesday, time(10)), london_wall_time(tuesday, time(11))),
        ("closure", london_wall_time(tuesday, time(0)),
         london_wall_time(tuesday + timedelta(days=2), time(0))),
    ]  # fmt: skip


def test_bad_rota_input_is_refused_with_nothing_written(
    demo_db: Database, clock: FrozenClock
) -> None:
    ids = _ids(demo_db)
    sam = desk_as(demo_db, clock, "sam")
    with demo_db.sessions() as session:
        templates = session.scalar(sa.select(sa.func.count()).select_from(RotaTemplate))
    before = written(demo_db)
    # Priya works Ladywell on Monday mornings 09:00-12:45.
    with pytest.raises(InvalidInput, match=r"overlapping rota sessions on Monday: 09:00–12:45 "
                       r"at clinic \d+ and 12:00–15:00 at clinic \d+"):  # fmt: skip
        rota.add_rota_session(
            sam,
            clinician_id=ids["priya"],
            clinic_id=ids["LEE"],
            weekday=0,
            starts=time(12),
            ends=time(15),
            appointment_type="new_patient",
        )
    with pytest.raises(InvalidInput, match="ends at 09:00, not after it starts at 13:00"):
        rota.add_rota_session(
            sam,
            clinician_id=ids["priya"],
            clinic_id=ids["LEE"],
            weekday=4,
            starts=time(13),
            ends=time(9),
            appointment_type="new_patient",
        )
    with pytest.raises(InvalidInput, match="ends on 01 Dec 2026, before it starts"):
        rota.add_rota_exception(sam, kind="leave", first_day=date(2026, 12, 2),
                                last_day=date(2026, 12, 1), clinician_id=ids["priya"])  # fmt: skip
    with pytest.raises(InvalidInput, match="must be 1 to 52 weeks"):
        rota.generate_slots_for(sam, weeks=0)
    with pytest.raises(NotPermitted):
        rota.add_rota_session(
            desk_as(demo_db, clock, "jo"),
            clinician_id=ids["priya"],
            clinic_id=ids["LEE"],
            weekday=4,
            starts=time(13),
            ends=time(16),
            appointment_type="new_patient",
        )
    assert written(demo_db) == before
    with demo_db.sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(RotaTemplate)) == templates
    # A session that fits is added, and slots follow at the next generation.
    rota.add_rota_session(
        sam,
        clinician_id=ids["priya"],
        clinic_id=ids["LEE"],
        weekday=4,
        starts=time(13),
        ends=time(16),
        appointment_type="follow_up",
    )
    report = rota.generate_slots_for(sam, weeks=6)
    # Six 30-minute slots on each Friday: 27 Nov, 4, 11 and 18 Dec (25 Dec and 1 Jan closed).
    assert report.added == 6 * 4


def test_one_slot_added_blocked_and_released(demo_db: Database, clock: FrozenClock) -> None:
    ids = _ids(demo_db)
    jo = desk_as(demo_db, clock, "jo")
    # Saturday 28 Nov, nobody works Ladywell: an extra evening clinic.
    start = london_wall_time(date(2026, 11, 28), time(17, 30))
    before = written(demo_db)
    with pytest.raises(InvalidInput, match="is in the past"):
        rota.add_slot(
            jo,
            clinic_id=ids["LDW"],
            clinician_id=ids["tom"],
            starts_at=clock.now() - timedelta(hours=1),
            appointment_type="new_patient",
        )
    with pytest.raises(InvalidInput, match="must end after it starts"):
        rota.add_slot(jo, clinic_id=ids["LDW"], clinician_id=ids["tom"], starts_at=start,
                      appointment_type="new_patient", minutes=0)  # fmt: skip
    with pytest.raises(NotPermitted):
        rota.add_slot(
            desk_as(demo_db, clock, "priya"),
            clinic_id=ids["LDW"],
            clinician_id=ids["tom"],
            starts_at=start,
            appointment_type="new_patient",
        )
    assert written(demo_db) == before
    slot_id = rota.add_slot(
        jo,
        clinic_id=ids["LDW"],
        clinician_id=ids["tom"],
        starts_at=start,
        appointment_type="new_patient",
    )
    # Overlapping the new one: refused by the database, said plainly, nothing written.
    after = written(demo_db)
    with pytest.raises(InvalidInput, match="the clinician already has a slot at that time"):
        rota.add_slot(
            jo,
            clinic_id=ids["CFD"],
            clinician_id=ids["tom"],
            starts_at=start + timedelta(minutes=30),
            appointment_type="follow_up",
        )
    assert written(demo_db) == after

    rota.block_slot(jo, slot_id, "Building closed early")
    # A 30-minute follow-up can take its place while it is blocked...
    follow_up = rota.add_slot(
        jo,
        clinic_id=ids["LDW"],
        clinician_id=ids["tom"],
        starts_at=start + timedelta(minutes=15),
        appointment_type="follow_up",
    )
    # ...and then it cannot be released into an overlap.
    with pytest.raises(InvalidInput, match="Not released: the clinician already has a slot"):
        rota.release_slot(jo, slot_id)
    rota.block_slot(jo, follow_up, "Moved back")
    released = rota.release_slot(jo, slot_id)
    assert released == "The slot of Sat 28 Nov 2026 17:30 is free to book again."
    with pytest.raises(Conflict, match="already free to every patient"):
        rota.release_slot(jo, slot_id)
    with pytest.raises(InvalidInput, match="Say why"):
        rota.block_slot(jo, slot_id, "  ")


def test_releasing_an_urgent_hold(demo_db: Database, clock: FrozenClock) -> None:
    sam = desk_as(demo_db, clock, "sam")
    priya = desk_as(demo_db, clock, "priya")
    held = next(s for s in _slots(demo_db, state=SlotState.FREE, held_for_urgent=True)
                if s.starts_at > clock.now() + timedelta(days=7))  # fmt: skip
    referral_id = signed_for_face_to_face(demo_db, clock)
    with pytest.raises(InvalidInput, match="held for urgent patients until"):
        booking.book_slot(priya, referral_id, held.id)
    assert "released to routine booking" in rota.release_slot(sam, held.id)
    assert booking.book_slot(priya, referral_id, held.id).slot_id == held.id
    with pytest.raises(Conflict, match="is booked; there is nothing to release"):
        rota.release_slot(sam, held.id)


def test_slots_know_their_london_weekday_and_time(demo_db: Database, clock: FrozenClock) -> None:
    rota.generate_slots_for(desk_as(demo_db, clock, "sam"), weeks=26)  # across the spring change
    for slot in _slots(demo_db):
        local: datetime = to_london(slot.starts_at)
        assert (slot.weekday, slot.start_minute) == (local.weekday(),
                                                     local.hour * 60 + local.minute)  # fmt: skip
