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
from physioline.errors import Conflict, InvalidInput, NotFound, NotPermitted
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
    change = rota.add_rota_exception(sam, kind="leave", first_day=monday, last_day=monday,
                                     clinician_id=ids["marta"], note="Annual leave")  # fmt: skip
    assert change.done == "Leave recorded: Marta Kowalczyk, Mon 30 Nov 2026."
    report = change.report
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
    assert {s.id for s in at_bkh} <= set(closed.report.to_rebook)
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
    with pytest.raises(InvalidInput, match="Priya Shah has overlapping rota sessions on Monday: "
                       "09:00–12:45 at Ladywell Physiotherapy Centre and 12:00–15:00 at Lee "
                       "Green Physiotherapy Rooms"):  # fmt: skip
        rota.add_rota_session(
            sam,
            clinician_id=ids["priya"],
            clinic_id=ids["LEE"],
            weekday=0,
            starts=time(12),
            ends=time(15),
            appointment_type="new_patient",
        )
    with pytest.raises(InvalidInput, match="Rota session for Priya Shah on Friday at Lee "
                       "Green Physiotherapy Rooms ends at 09:00, not after it starts at "
                       "13:00"):  # fmt: skip
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
    # A session that fits is added, and its slots come with it, as far as slots already reach.
    added = rota.add_rota_session(
        sam,
        clinician_id=ids["priya"],
        clinic_id=ids["LEE"],
        weekday=4,
        starts=time(13),
        ends=time(16),
        appointment_type="follow_up",
        valid_until=date(2026, 12, 31),
    )
    assert added.done == (
        "Session added: Priya Shah, Fridays 13:00–16:00 at Lee Green Physiotherapy Rooms."
    )
    # Six 30-minute slots on each Friday: 27 Nov, 4, 11 and 18 Dec (25 Dec closed).
    assert added.report.added == 6 * 4
    again = rota.generate_slots_for(sam, weeks=6)
    assert (again.added, again.withdrawn) == (0, 0)


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


def _template_id(db: Database, clinician_id: int, weekday: int) -> int:
    with db.sessions() as session:
        found = session.scalar(
            sa.select(RotaTemplate.id).where(RotaTemplate.clinician_id == clinician_id,
                                             RotaTemplate.weekday == weekday)
        )  # fmt: skip
    assert found is not None
    return found


def test_the_rota_screen_lists_sessions_and_exceptions_by_name(
    demo_db: Database, clock: FrozenClock
) -> None:
    ids = _ids(demo_db)
    sam = desk_as(demo_db, clock, "sam")
    rota.add_rota_exception(sam, kind="training", first_day=date(2026, 12, 1),
                            last_day=date(2026, 12, 2), clinician_id=ids["tom"],
                            starts=time(10), ends=time(11), note="Manual handling")  # fmt: skip
    rota.add_rota_exception(sam, kind="closure", first_day=date(2026, 12, 7),
                            last_day=date(2026, 12, 11), clinic_id=ids["DPT"])  # fmt: skip
    overview = rota.rota_overview(desk_as(demo_db, clock, "alex"))  # IT sees rotas too
    assert overview.today == date(2026, 11, 23)
    assert len(overview.sessions) == 22  # the demo's rota.csv
    first = overview.sessions[0]
    assert first.describe() == "Aisha Begum, Mondays 09:00–12:45 at Sydenham Health Centre " \
        "Physiotherapy"  # fmt: skip
    assert (first.slot_count, first.held_for_urgent, first.slot_minutes) == (5, 1, 45)
    assert [e.describe() for e in overview.exceptions] == [
        "Training: Tom Okafor, Tue 01 Dec 2026 10:00–11:00",
        "Training: Tom Okafor, Wed 02 Dec 2026 10:00–11:00",
        "Closure: Deptford Bridge MSK Clinic, Mon 07 Dec 2026 – Fri 11 Dec 2026",
    ]
    assert overview.exceptions[0].note == "Manual handling"
    names = set(dict(overview.clinicians).values())
    assert "Priya Shah" in names
    assert "Jo Mensah" not in names
    assert [code for _, code, _ in overview.clinics] == ["BKH", "CFD", "DPT", "LDW", "LEE", "SYD"]


def test_ending_a_session_withdraws_its_free_slots_and_keeps_booked_ones(
    demo_db: Database, clock: FrozenClock
) -> None:
    ids = _ids(demo_db)
    sam = desk_as(demo_db, clock, "sam")
    template_id = _template_id(demo_db, ids["marta"], 0)  # Catford, Monday afternoons
    hers = [s for s in _slots(demo_db, rota_template_id=template_id)]
    assert len(hers) == 5 * 5  # six Mondays in the demo's horizon; 28 Dec is a bank holiday
    free = [s for s in hers if s.state == SlotState.FREE and not s.held_for_urgent]
    referral_id = signed_for_face_to_face(demo_db, clock, "urgent_f2f")
    booked = booking.book_slot(desk_as(demo_db, clock, "priya"), referral_id, free[5].id)
    kept = [s.id for s in _slots(demo_db, rota_template_id=template_id)
            if s.state == SlotState.BOOKED]  # fmt: skip
    assert booked.slot_id in kept
    assert template_id in {s.template_id for s in rota.rota_overview(sam).sessions}
    change = rota.end_rota_session(sam, template_id)
    assert change.done == "Session ended: Marta Kowalczyk, Mondays 13:30–17:15 at Catford " \
        "Community Rehab Unit."  # fmt: skip
    assert change.report.withdrawn == 5 * 5 - len(kept)
    assert change.report.to_rebook == tuple(kept)  # in time order
    assert f"{len(kept)} booked appointment(s) fall outside the rota now" in change.message
    left = _slots(demo_db, rota_template_id=template_id)
    assert [(s.id, s.state) for s in left] == [(i, SlotState.BOOKED) for i in kept]
    with demo_db.sessions() as session:
        template = session.get(RotaTemplate, template_id)
        assert template is not None  # it has a booked slot: kept, ending yesterday
        assert template.valid_until == date(2026, 11, 22)
    assert template_id not in {s.template_id for s in rota.rota_overview(sam).sessions}
    with pytest.raises(Conflict, match="ended on Sun 22 Nov 2026"):
        rota.end_rota_session(sam, template_id)
    again = rota.generate_slots_for(sam, weeks=6)
    assert (again.added, again.withdrawn, again.to_rebook) == (0, 0, tuple(kept))
    # Now Marta may work Monday afternoons somewhere else.
    moved = rota.add_rota_session(sam, clinician_id=ids["marta"], clinic_id=ids["LEE"],
                                  weekday=0, starts=time(14), ends=time(17),
                                  appointment_type="new_patient")  # fmt: skip
    # 14:00, 14:45, 15:30, 16:15 on five Mondays, except where a booked slot is in the way.
    assert 0 < moved.report.added < 4 * 5
    assert moved.report.added + len(moved.report.clashes) == 4 * 5
    assert "Not added, another slot is there: Marta Kowalczyk Mon " in moved.message


def test_a_session_that_never_ran_is_deleted_when_ended(
    demo_db: Database, clock: FrozenClock
) -> None:
    ids = _ids(demo_db)
    sam = desk_as(demo_db, clock, "sam")
    added = rota.add_rota_session(sam, clinician_id=ids["tom"], clinic_id=ids["LEE"], weekday=4,
                                  starts=time(9), ends=time(12), appointment_type="follow_up",
                                  valid_from=date(2026, 12, 14))  # fmt: skip
    assert added.report.added == 6  # Fri 18 Dec; 25 Dec and 1 Jan are bank holidays
    ended = rota.end_rota_session(sam, added.row_id)
    assert ended.report.withdrawn == 6
    with demo_db.sessions() as session:
        assert session.get(RotaTemplate, added.row_id) is None
    assert _slots(demo_db, rota_template_id=added.row_id) == []


def test_removing_an_exception_gives_its_slots_back(demo_db: Database, clock: FrozenClock) -> None:
    ids = _ids(demo_db)
    sam = desk_as(demo_db, clock, "sam")
    monday = date(2026, 11, 30)

    def marta_on_monday() -> list[str]:
        return [f"{to_london(s.starts_at):%H:%M}"
                for s in _slots(demo_db, clinician_id=ids["marta"])
                if london_date(s.starts_at) == monday]  # fmt: skip

    before = marta_on_monday()
    leave = rota.add_rota_exception(sam, kind="leave", first_day=monday, last_day=monday,
                                    clinician_id=ids["marta"])  # fmt: skip
    assert leave.report.withdrawn == 5
    assert marta_on_monday() == []
    removed = rota.remove_rota_exception(sam, leave.row_id)
    assert removed.done == "Removed: Leave: Marta Kowalczyk, Mon 30 Nov 2026."
    assert removed.report.added == 5
    assert marta_on_monday() == before
    assert rota.rota_overview(sam).exceptions == ()
    with pytest.raises(NotFound, match=f"no rota exception {leave.row_id}"):
        rota.remove_rota_exception(sam, leave.row_id)
    # Leave already over stays in the record.
    clock.advance(timedelta(days=8))
    past = rota.add_rota_exception(sam, kind="leave", first_day=monday, last_day=monday,
                                   clinician_id=ids["marta"])  # fmt: skip
    with pytest.raises(Conflict, match="is over; it stays in the record"):
        rota.remove_rota_exception(sam, past.row_id)


def test_rota_changes_are_refused_to_other_roles_and_bad_ones_write_nothing(
    demo_db: Database, clock: FrozenClock
) -> None:
    ids = _ids(demo_db)
    sam = desk_as(demo_db, clock, "sam")
    leave = rota.add_rota_exception(sam, kind="leave", first_day=date(2026, 12, 7),
                                    last_day=date(2026, 12, 8),
                                    clinician_id=ids["tom"])  # fmt: skip
    template_id = _template_id(demo_db, ids["tom"], 1)
    before = written(demo_db)
    for name in ("jo", "priya"):  # the booking office and physios do not edit rotas (roles.md)
        other = desk_as(demo_db, clock, name)
        attempts = (
            lambda d=other: rota.rota_overview(d),
            lambda d=other: rota.add_rota_session(
                d, clinician_id=ids["tom"], clinic_id=ids["LEE"], weekday=4, starts=time(9),
                ends=time(12), appointment_type="new_patient"),
            lambda d=other: rota.end_rota_session(d, template_id),
            lambda d=other: rota.add_rota_exception(
                d, kind="leave", first_day=date(2026, 12, 1), last_day=date(2026, 12, 1),
                clinician_id=ids["tom"]),
            lambda d=other: rota.remove_rota_exception(d, leave.row_id),
        )  # fmt: skip
        for attempt in attempts:
            with pytest.raises(NotPermitted, match="may not"):
                attempt()
    with pytest.raises(InvalidInput, match="A closure names the clinic"):
        rota.add_rota_exception(sam, kind="closure", first_day=date(2026, 12, 1),
                                last_day=date(2026, 12, 1))  # fmt: skip
    with pytest.raises(InvalidInput, match="must name the clinician"):
        rota.add_rota_exception(sam, kind="leave", first_day=date(2026, 12, 1),
                                last_day=date(2026, 12, 1), clinic_id=ids["LEE"])  # fmt: skip
    with pytest.raises(InvalidInput, match="Tom Okafor, Friday 09:00–09:30 at Lee Green "
                       "Physiotherapy Rooms is shorter than one 45-minute"):  # fmt: skip
        rota.add_rota_session(sam, clinician_id=ids["tom"], clinic_id=ids["LEE"], weekday=4,
                              starts=time(9), ends=time(9, 30),
                              appointment_type="new_patient")  # fmt: skip
    with pytest.raises(InvalidInput, match="would stop on 01 Dec 2026, before it starts"):
        rota.add_rota_session(sam, clinician_id=ids["tom"], clinic_id=ids["LEE"], weekday=4,
                              starts=time(9), ends=time(12), appointment_type="new_patient",
                              valid_from=date(2026, 12, 7),
                              valid_until=date(2026, 12, 1))  # fmt: skip
    assert written(demo_db) == before
    with demo_db.sessions() as session:
        assert session.get(RotaTemplate, template_id) is not None
        assert session.get(RotaException, leave.row_id) is not None


def test_sessions_overlap_only_when_in_force_on_the_same_days(
    demo_db: Database, clock: FrozenClock
) -> None:
    ids = _ids(demo_db)
    sam = desk_as(demo_db, clock, "sam")
    # Priya works Ladywell on Monday mornings 09:00-12:45 with no end date: a later session
    # at the same time from January is refused...
    with pytest.raises(InvalidInput, match="overlapping rota sessions on Monday"):
        rota.add_rota_session(sam, clinician_id=ids["priya"], clinic_id=ids["LEE"], weekday=0,
                              starts=time(10), ends=time(12), appointment_type="follow_up",
                              valid_from=date(2027, 1, 4))  # fmt: skip
    # ...but once that session ends, one starting after it is not.
    rota.end_rota_session(sam, _template_id(demo_db, ids["priya"], 0))
    added = rota.add_rota_session(sam, clinician_id=ids["priya"], clinic_id=ids["LEE"],
                                  weekday=0, starts=time(10), ends=time(12),
                                  appointment_type="follow_up",
                                  valid_from=date(2027, 1, 4))  # fmt: skip
    assert added.report.added == 0  # slots reach 3 Jan: the next generation gives them
    assert rota.generate_slots_for(sam, weeks=8).added > 0
