"""Booking on both databases: search and its filters, the window, booking, history, conflicts."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from physioline.clock import FrozenClock, to_london
from physioline.core.due import london_date, london_day_bounds
from physioline.core.referral import (
    AppointmentStatus,
    CancelInitiator,
    LetterStatus,
    ReferralStatus,
    Sex,
    SlotState,
)
from physioline.db.engine import Database
from physioline.db.models import (
    Appointment,
    AuditEvent,
    Clinic,
    Letter,
    Referral,
    Slot,
    User,
    WaitingListEntry,
)
from physioline.errors import Conflict, InvalidInput, NotFound, NotPermitted, SlotTaken
from physioline.services import booking, rota
from physioline.services.booking import DayPart, SlotPreferences
from tests.fixtures.assessments import set_patient
from tests.fixtures.booking import desk_as, signed_for_face_to_face, written

JO = "Jo Mensah"


def _all_pages(desk: booking.Desk, query: booking.SlotQuery) -> list[booking.SlotOffer]:
    offers: list[booking.SlotOffer] = []
    result = booking.find_slots(desk, query)
    offers += result.offers
    while result.next_key is not None:
        result = booking.find_slots(desk, query, after=result.next_key)
        offers += result.offers
    return offers


def _user_id(db: Database, username: str) -> int:
    with db.sessions() as session:
        found = session.scalar(sa.select(User.id).where(User.username == username))
    assert found is not None
    return found


def _clinic_id(db: Database, code: str) -> int:
    with db.sessions() as session:
        found = session.scalar(sa.select(Clinic.id).where(Clinic.code == code))
    assert found is not None
    return found


# --- search -----------------------------------------------------------------------------------


def test_search_lists_the_earliest_free_new_patient_slots_across_clinics(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    referral_id = signed_for_face_to_face(demo_db, clock, "routine_f2f")
    context = booking.booking_context(priya, referral_id)
    assert not context.urgent
    assert context.disposition == "routine_f2f"
    assert context.window_ends == context.received_at + timedelta(days=21)
    offers = _all_pages(priya, context.query())
    keys = [(o.starts_at, o.slot_id) for o in offers]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    now = clock.now()
    assert all(now + timedelta(hours=1) <= o.starts_at < context.window_ends for o in offers)
    assert {o.appointment_type.value for o in offers} == {"new_patient"}
    assert len({o.clinic_id for o in offers}) == 6  # across every clinic
    # Routine: a held slot only once released (from 00:00 two days before its day).
    released_from = london_day_bounds(london_date(now) + timedelta(days=2))[1]
    assert all(not o.held_for_urgent or o.starts_at < released_from for o in offers)
    with demo_db.sessions() as session:
        free_in_window = session.scalar(
            sa.select(sa.func.count()).select_from(Slot).where(
                Slot.state == SlotState.FREE, Slot.appointment_type == "new_patient",
                Slot.starts_at >= now + timedelta(hours=1),
                Slot.starts_at < context.window_ends,
                sa.or_(Slot.held_for_urgent.is_(False), Slot.starts_at < released_from),
            )
        )  # fmt: skip
    assert len(offers) == free_in_window


def test_urgent_patients_may_have_held_slots(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    referral_id = signed_for_face_to_face(demo_db, clock, "urgent_f2f")
    context = booking.booking_context(priya, referral_id)
    assert context.urgent
    # Assessed Monday 23 Nov: 5 working days on is Monday 30 Nov, to its end.
    assert to_london(context.window_ends) == datetime(2026, 12, 1, tzinfo=to_london(
        context.window_ends).tzinfo)  # fmt: skip
    urgent_offers = _all_pages(priya, context.query())
    routine_offers = _all_pages(priya, booking.SlotQuery(
        context.appointment_type, urgent=False, window_ends=context.window_ends))  # fmt: skip
    held = [o for o in urgent_offers if o.held_for_urgent]
    assert held
    late_held = [o for o in held if london_date(o.starts_at) > london_date(clock.now()) +
                 timedelta(days=2)]  # fmt: skip
    assert late_held
    assert not {o.slot_id for o in late_held} & {o.slot_id for o in routine_offers}


def test_filters_clinics_days_times_sex_step_free_and_language(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    referral_id = signed_for_face_to_face(demo_db, clock)
    context = booking.booking_context(priya, referral_id)
    everything = _all_pages(priya, context.query())

    def search(**prefs: object) -> list[booking.SlotOffer]:
        return _all_pages(priya, context.query(SlotPreferences(**prefs)))  # type: ignore[arg-type]

    two = frozenset(c.clinic_id for c in context.clinics[:2])
    found = search(clinic_ids=two, day_parts={DayPart.AFTERNOON, DayPart.EVENING})
    assert found
    assert {o.clinic_id for o in found} <= two
    assert all(to_london(o.starts_at).hour >= 12 for o in found)
    assert found == [o for o in everything
                     if o.clinic_id in two and to_london(o.starts_at).hour >= 12]  # fmt: skip

    evenings = search(day_parts={DayPart.EVENING})
    assert evenings
    assert all(to_london(o.starts_at).hour >= 17 for o in evenings)
    mornings = search(day_parts={DayPart.MORNING})
    assert all(to_london(o.starts_at).hour < 12 for o in mornings)
    assert len(mornings) + len(search(day_parts={DayPart.AFTERNOON})) + len(evenings) == len(
        everything
    )

    thursdays = search(weekdays={3})
    assert thursdays
    assert {to_london(o.starts_at).weekday() for o in thursdays} == {3}

    women = search(clinician_sex=Sex.FEMALE)
    assert women
    assert {o.clinician_sex for o in women} == {Sex.FEMALE}
    assert len(women) + len(search(clinician_sex=Sex.MALE)) == len(everything)

    step_free = search(step_free=True)
    assert all(o.step_free for o in step_free)
    assert len(step_free) < len(everything)

    polish = search(language="polish")  # any letter case
    assert polish
    assert {o.clinician_name for o in polish} == {"Marta Kowalczyk"}
    assert search(language="Klingon") == []


def _idle_clinician(db: Database, starts_at: datetime, ends_at: datetime) -> int:
    """A clinician with no slot overlapping [starts_at, ends_at)."""
    with db.sessions() as session:
        busy = session.scalars(sa.select(Slot.clinician_id).where(
            Slot.starts_at < ends_at, Slot.ends_at > starts_at))  # fmt: skip
        found = session.scalar(
            sa.select(User.id)
            .where(User.role.in_(("physio", "team_lead")), User.id.not_in(list(busy)))
            .limit(1)
        )
    assert found is not None
    return found


def test_window_edges(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    sam = desk_as(demo_db, clock, "sam")
    context = booking.booking_context(priya, signed_for_face_to_face(demo_db, clock))
    end = context.window_ends
    lee = _clinic_id(demo_db, "LEE")
    who = _idle_clinician(demo_db, end - timedelta(minutes=45), end + timedelta(minutes=45))
    last_inside = rota.add_slot(sam, clinic_id=lee, clinician_id=who,
                                starts_at=end - timedelta(minutes=45),
                                appointment_type="new_patient")  # fmt: skip
    at_the_end = rota.add_slot(sam, clinic_id=lee, clinician_id=who, starts_at=end,
                               appointment_type="new_patient")  # fmt: skip
    near_the_end = booking.SlotQuery(
        context.appointment_type, urgent=False, window_ends=end,
        preferences=SlotPreferences(clinic_ids=frozenset({lee})),
        not_before=end - timedelta(hours=3),
    )  # fmt: skip
    found = [o.slot_id for o in _all_pages(priya, near_the_end)]
    assert last_inside in found  # starts before the window ends: inside
    assert at_the_end not in found  # starts as it ends: outside
    assert all(o.starts_at < end for o in _all_pages(priya, near_the_end))


def test_nothing_fits_says_so_and_offers_the_earliest_beyond(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    sam = desk_as(demo_db, clock, "sam")
    context = booking.booking_context(priya, signed_for_face_to_face(demo_db, clock))
    lee = _clinic_id(demo_db, "LEE")
    # No rota works Sundays: the only Sunday slots are the two added here, after the window.
    first_sunday = london_date(context.window_ends)
    first_sunday += timedelta(days=(6 - first_sunday.weekday()) % 7 or 7)
    later = london_day_bounds(first_sunday + timedelta(days=7))[0] + timedelta(hours=10)
    sooner = london_day_bounds(first_sunday)[0] + timedelta(hours=10)
    for start in (later, sooner):
        rota.add_slot(sam, clinic_id=lee, clinician_id=_user_id(demo_db, "tom"),
                      starts_at=start, appointment_type="new_patient")  # fmt: skip
    result = booking.find_slots(priya, context.query(SlotPreferences(weekdays=frozenset({6}))))
    assert result.nothing_fits
    assert result.beyond_window is not None
    assert result.beyond_window.starts_at == sooner
    by = to_london(context.window_ends - timedelta(microseconds=1))
    assert result.message == (
        f"Nothing fits the target window before {by:%a %d %b} with these filters (Sun). The "
        f"earliest after it is {to_london(sooner):%a %d %b} 10:00 at Lee Green Physiotherapy "
        "Rooms with Tom Okafor. Loosen a filter, offer that slot, or add the patient to the "
        "waiting list."
    )
    nothing = booking.find_slots(priya, context.query(SlotPreferences(language="Klingon")))
    assert nothing.nothing_fits
    assert nothing.beyond_window is None
    assert "No later slot matches either" in nothing.message


def test_pages_continue_where_the_last_stopped(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    context = booking.booking_context(priya, signed_for_face_to_face(demo_db, clock))
    first = booking.find_slots(priya, context.query(), limit=7)
    assert len(first.offers) == 7
    assert first.next_key == (first.offers[-1].starts_at, first.offers[-1].slot_id)
    second = booking.find_slots(priya, context.query(), after=first.next_key, limit=7)
    whole = booking.find_slots(priya, context.query(), limit=14)
    assert first.offers + second.offers == whole.offers
    assert not second.nothing_fits


# --- booking ----------------------------------------------------------------------------------


def test_booking_writes_the_appointment_letter_audit_and_moves_the_referral(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    referral_id = signed_for_face_to_face(demo_db, clock)
    context = booking.booking_context(priya, referral_id)
    offer = booking.find_slots(priya, context.query()).offers[3]
    booked = booking.book_slot(priya, referral_id, offer.slot_id)
    assert booked.within_target
    assert booked.message.startswith(f"Booked: {to_london(offer.starts_at):%a %d %b %H:%M} at ")
    assert "appointment letter is in the print queue" in booked.message
    with demo_db.sessions() as session:
        appointment = session.get(Appointment, booked.appointment_id)
        assert appointment is not None
        assert appointment.status == AppointmentStatus.BOOKED
        assert appointment.booked_by_id == priya.actor.user_id  # type: ignore[union-attr]
        assert appointment.booked_at == clock.now()
        slot = session.get(Slot, offer.slot_id)
        assert slot is not None
        assert slot.state == SlotState.BOOKED
        referral = session.get(Referral, referral_id)
        assert referral is not None
        assert referral.status == ReferralStatus.BOOKED
        letter = session.get(Letter, booked.letter_id)
        assert letter is not None
        assert (letter.kind, letter.appointment_id, letter.status) == (
            "appointment", booked.appointment_id, LetterStatus.QUEUED)  # fmt: skip
        actions = session.scalars(
            sa.select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(2)
        ).all()
    assert actions == ["letter.queue", "appointment.book"]
    # The slot is gone from everyone's search.
    again = _all_pages(priya, context.query())
    assert offer.slot_id not in {o.slot_id for o in again}


def test_no_postal_address_holds_the_appointment_letter(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    referral_id = signed_for_face_to_face(demo_db, clock)
    set_patient(demo_db, referral_id, address="")
    offer = booking.find_slots(priya, booking.booking_context(priya, referral_id).query()).offers[0]
    booked = booking.book_slot(priya, referral_id, offer.slot_id)
    assert booked.letter_held_reason == "No postal address on the patient's record."
    assert "letter is HELD" in booked.message


def test_bad_input_is_refused_with_nothing_written(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    referral_id = signed_for_face_to_face(demo_db, clock)
    context = booking.booking_context(priya, referral_id)
    offers = booking.find_slots(priya, context.query()).offers
    before = written(demo_db)
    with pytest.raises(NotFound, match="There is no slot 999999"):
        booking.book_slot(priya, referral_id, 999_999)
    with pytest.raises(NotFound, match="There is no referral 999999"):
        booking.book_slot(priya, 999_999, offers[0].slot_id)
    with demo_db.sessions() as session:
        past = session.scalar(sa.select(Slot.id).where(Slot.starts_at < clock.now(),
                                                       Slot.state == "free").limit(1))  # fmt: skip
        follow_up = session.scalar(sa.select(Slot.id).where(
            Slot.appointment_type == "follow_up", Slot.state == "free",
            Slot.starts_at > clock.now()).limit(1))  # fmt: skip
        held_later = session.scalar(sa.select(Slot.id).where(
            Slot.held_for_urgent.is_(True), Slot.state == "free",
            Slot.starts_at > clock.now() + timedelta(days=7)).limit(1))  # fmt: skip
        awaiting = session.scalar(sa.select(Referral.id).where(
            Referral.status == ReferralStatus.AWAITING_CALL).limit(1))  # fmt: skip
    assert past is not None
    assert follow_up is not None
    assert held_later is not None
    assert awaiting is not None
    with pytest.raises(InvalidInput, match="is in the past"):
        booking.book_slot(priya, referral_id, past)
    with pytest.raises(InvalidInput, match="is for a follow-up appointment, not a new-patient"):
        booking.book_slot(priya, referral_id, follow_up)
    with pytest.raises(InvalidInput, match="held for urgent patients until"):
        booking.book_slot(priya, referral_id, held_later)
    with pytest.raises(Conflict, match="awaiting call, not waiting for a face-to-face"):
        booking.book_slot(priya, awaiting, offers[0].slot_id)
    assert written(demo_db) == before

    booking.book_slot(priya, referral_id, offers[0].slot_id)
    after = written(demo_db)
    with pytest.raises(Conflict, match=r"already booked for .* To change it, rebook"):
        booking.book_slot(priya, referral_id, offers[1].slot_id)
    assert written(demo_db) == after
    # The held slot is fine for an urgent patient.
    urgent = signed_for_face_to_face(demo_db, clock, "urgent_f2f")
    assert booking.book_slot(priya, urgent, held_later).slot_id == held_later


def test_cancel_and_rebook_keep_the_history(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    jo = desk_as(demo_db, clock, "jo")
    referral_id = signed_for_face_to_face(demo_db, clock)
    offers = booking.find_slots(priya, booking.booking_context(priya, referral_id).query()).offers
    first = booking.book_slot(priya, referral_id, offers[0].slot_id)

    clock.advance(timedelta(minutes=5))
    rebooked_at = clock.now()
    moved = booking.rebook_appointment(
        jo, first.appointment_id, offers[1].slot_id, reason="Works that morning",
        initiator="patient",
    )  # fmt: skip
    assert moved.rebooked_from_id == first.appointment_id
    clock.advance(timedelta(minutes=5))
    cancelled = booking.cancel_appointment(
        jo, moved.appointment_id, reason="Clinician on leave",
        initiator=CancelInitiator.SERVICE, block_slot=True,
    )  # fmt: skip
    assert cancelled.slot_state == SlotState.BLOCKED
    assert cancelled.letters_cancelled == 1

    history = booking.appointment_history(priya, referral_id)
    assert [h.status for h in history] == [AppointmentStatus.CANCELLED] * 2
    old, new = history
    assert (old.cancelled_by, old.cancel_reason, old.cancel_initiator) == (
        JO, "Works that morning", CancelInitiator.PATIENT)  # fmt: skip
    assert old.booked_by == "Priya Shah"
    assert old.cancelled_at == rebooked_at
    assert new.rebooked_from_id == old.appointment_id
    assert (new.cancel_reason, new.cancel_initiator) == ("Clinician on leave",
                                                         CancelInitiator.SERVICE)  # fmt: skip
    with demo_db.sessions() as session:
        slots = {s.id: s for s in session.scalars(
            sa.select(Slot).where(Slot.id.in_([old.slot_id, new.slot_id])))}  # fmt: skip
        referral = session.get(Referral, referral_id)
        letters = session.execute(
            sa.select(Letter.appointment_id, Letter.status)
            .where(Letter.referral_id == referral_id, Letter.kind == "appointment")
            .order_by(Letter.id)
        ).all()
    assert slots[old.slot_id].state == SlotState.FREE
    assert slots[new.slot_id].state == SlotState.BLOCKED
    assert "Clinician on leave" in (slots[new.slot_id].blocked_reason or "")
    assert referral is not None
    assert referral.status == ReferralStatus.TRIAGED  # waiting to be booked again
    assert letters == [(old.appointment_id, LetterStatus.CANCELLED),
                       (new.appointment_id, LetterStatus.CANCELLED)]  # fmt: skip

    with pytest.raises(InvalidInput, match="Say why"):
        booking.cancel_appointment(jo, first.appointment_id, reason=" ", initiator="patient")
    with pytest.raises(Conflict, match="is cancelled; only a booked appointment"):
        booking.cancel_appointment(jo, first.appointment_id, reason="x", initiator="patient")


def test_a_rebook_onto_a_slot_just_taken_changes_nothing(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    tom = desk_as(demo_db, clock, "tom")
    mine = signed_for_face_to_face(demo_db, clock)
    theirs = signed_for_face_to_face(demo_db, clock, username="tom")
    offers = booking.find_slots(priya, booking.booking_context(priya, mine).query()).offers
    first = booking.book_slot(priya, mine, offers[0].slot_id)
    booking.book_slot(tom, theirs, offers[1].slot_id)
    before = written(demo_db)
    with pytest.raises(SlotTaken, match="Just taken by a colleague"):
        booking.rebook_appointment(priya, first.appointment_id, offers[1].slot_id,
                                   reason="Prefers later", initiator="patient")  # fmt: skip
    assert written(demo_db) == before
    assert [h.status for h in booking.appointment_history(priya, mine)] == [
        AppointmentStatus.BOOKED
    ]


def test_two_desks_booking_one_slot_get_one_booking_and_one_just_taken(
    demo_db: Database, clock: FrozenClock
) -> None:
    """Scenario 5 on two real connections, released together: one wins, one is told."""
    priya = desk_as(demo_db, clock, "priya")
    tom = desk_as(demo_db, clock, "tom")
    hers = signed_for_face_to_face(demo_db, clock)
    his = signed_for_face_to_face(demo_db, clock, username="tom")
    slot_id = booking.find_slots(priya, booking.booking_context(priya, hers).query()).offers[0]
    barrier = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def press_book(desk: booking.Desk, referral_id: int) -> None:
        barrier.wait()
        try:
            outcomes[referral_id] = booking.book_slot(desk, referral_id, slot_id.slot_id)
        except SlotTaken as exc:
            outcomes[referral_id] = exc

    threads = [threading.Thread(target=press_book, args=(d, r)) for d, r in
               ((priya, hers), (tom, his))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    booked = [o for o in outcomes.values() if isinstance(o, booking.Booked)]
    taken = [o for o in outcomes.values() if isinstance(o, SlotTaken)]
    assert len(booked) == 1
    assert len(taken) == 1
    assert str(taken[0]).startswith("Just taken by a colleague")
    loser = his if booked[0].referral_id == hers else hers
    with demo_db.sessions() as session:
        live = session.scalar(sa.select(sa.func.count()).select_from(Appointment).where(
            Appointment.slot_id == slot_id.slot_id,
            Appointment.status != AppointmentStatus.CANCELLED))  # fmt: skip
        loser_status = session.scalar(sa.select(Referral.status).where(Referral.id == loser))
        loser_letters = session.scalar(sa.select(sa.func.count()).select_from(Letter).where(
            Letter.referral_id == loser, Letter.kind == "appointment"))  # fmt: skip
    assert live == 1
    assert loser_status == ReferralStatus.TRIAGED
    assert loser_letters == 0


def test_waiting_list_when_nothing_fits(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    referral_id = signed_for_face_to_face(demo_db, clock)
    ldw = _clinic_id(demo_db, "LDW")
    prefs = SlotPreferences(clinic_ids=frozenset({ldw}), weekdays=frozenset({6}))
    entry = booking.add_to_waiting_list(priya, referral_id, clinic_ids=[ldw], preferences=prefs)
    with pytest.raises(Conflict, match="on the waiting list since Mon 23 Nov 08:55"):
        booking.add_to_waiting_list(priya, referral_id, clinic_ids=[ldw])
    with pytest.raises(InvalidInput, match="Choose the clinic"):
        booking.add_to_waiting_list(priya, referral_id, clinic_ids=[])
    offer = booking.find_slots(priya, booking.booking_context(priya, referral_id).query()).offers[0]
    booking.book_slot(priya, referral_id, offer.slot_id)
    with demo_db.sessions() as session:
        row = session.get(WaitingListEntry, entry)
        assert row is not None
        assert row.preferences["weekdays"] == [6]
        assert row.removed_at == clock.now()
        assert (row.removed_reason or "").startswith("Booked (appointment ")


# --- roles ------------------------------------------------------------------------------------


def test_who_may_book_block_and_see_calendars(demo_db: Database, clock: FrozenClock) -> None:
    alex = desk_as(demo_db, clock, "alex")  # IT: no clinical data
    priya = desk_as(demo_db, clock, "priya")
    referral_id = signed_for_face_to_face(demo_db, clock)
    context = booking.booking_context(priya, referral_id)
    with pytest.raises(NotPermitted, match="system admin"):
        booking.booking_context(alex, referral_id)
    with pytest.raises(NotPermitted):
        booking.find_slots(alex, context.query())
    offer = booking.find_slots(priya, context.query()).offers[0]
    with pytest.raises(NotPermitted):
        booking.book_slot(alex, referral_id, offer.slot_id)
    with pytest.raises(NotPermitted, match="physio"):
        rota.block_slot(priya, offer.slot_id, "no")
    with pytest.raises(NotPermitted):
        booking.calendar(priya, first_day=london_date(clock.now()), clinic_id=offer.clinic_id)
    with pytest.raises(NotPermitted):
        rota.generate_slots_for(priya)
    with pytest.raises(NotPermitted):
        rota.generate_slots_for(desk_as(demo_db, clock, "jo"))
    booked = booking.book_slot(desk_as(demo_db, clock, "jo"), referral_id, offer.slot_id)
    with pytest.raises(NotPermitted, match="team lead or the booking office can block"):
        booking.cancel_appointment(priya, booked.appointment_id, reason="Sick",
                                   initiator="service", block_slot=True)  # fmt: skip


# --- calendar and .ics ------------------------------------------------------------------------


def test_calendar_shows_booked_free_and_blocked(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    sam = desk_as(demo_db, clock, "sam")
    referral_id = signed_for_face_to_face(demo_db, clock)
    offers = booking.find_slots(priya, booking.booking_context(priya, referral_id).query()).offers
    booked = booking.book_slot(priya, referral_id, offers[0].slot_id)
    blocked = next(o for o in offers[1:] if o.clinic_id == offers[0].clinic_id)
    rota.block_slot(sam, blocked.slot_id, "Room flooded")
    day = london_date(offers[0].starts_at)
    week = booking.calendar(sam, first_day=day, days=7, clinic_id=offers[0].clinic_id)
    states = {s.slot_id: s for s in week}
    assert states[offers[0].slot_id].state == SlotState.BOOKED
    assert states[offers[0].slot_id].appointment_id == booked.appointment_id
    assert states[offers[0].slot_id].patient_label
    assert states[blocked.slot_id].state == SlotState.BLOCKED
    assert states[blocked.slot_id].blocked_reason == "Room flooded"
    assert SlotState.FREE in {s.state for s in week}
    assert {s.clinic_id for s in week} == {offers[0].clinic_id}
    assert all(day <= london_date(s.starts_at) < day + timedelta(days=7) for s in week)
    mine = booking.calendar(sam, first_day=day, days=1, clinician_id=offers[0].clinician_id)
    assert {s.clinician_id for s in mine} == {offers[0].clinician_id}
    assert all(london_date(s.starts_at) == day for s in mine)
    with pytest.raises(InvalidInput, match="one clinic or one clinician"):
        booking.calendar(sam, first_day=day)


def test_appointment_exports_as_icalendar(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    referral_id = signed_for_face_to_face(demo_db, clock)
    offer = booking.find_slots(priya, booking.booking_context(priya, referral_id).query()).offers[0]
    booked = booking.book_slot(priya, referral_id, offer.slot_id)
    text = booking.appointment_ics(priya, booked.appointment_id)
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert f"DTSTART:{offer.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n" in text
    assert f"UID:appointment-{booked.appointment_id}@physioline" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    with demo_db.sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        family = referral.patient.family_name
    assert family.upper() not in text.upper()  # the file travels by email: no patient name


def test_logs_carry_ids_never_patient_details(
    demo_db: Database, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    referral_id = signed_for_face_to_face(demo_db, clock)
    caplog.set_level(logging.DEBUG, logger="physioline")
    context = booking.booking_context(priya, referral_id)
    offers = booking.find_slots(priya, context.query()).offers
    booked = booking.book_slot(priya, referral_id, offers[0].slot_id)
    booking.rebook_appointment(priya, booked.appointment_id, offers[1].slot_id,
                               reason="Prefers the afternoon", initiator="patient")  # fmt: skip
    with demo_db.sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        patient = referral.patient
        secrets = [patient.given_name, patient.family_name, patient.nhs_number, "afternoon"]
    logged = caplog.text
    assert f"appointment {booked.appointment_id}" in logged
    for secret in secrets:
        assert secret not in logged
