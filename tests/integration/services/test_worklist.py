"""Worklist actions on both databases: claiming, releasing, call attempts to unable-to-contact."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from physioline.clock import FrozenClock
from physioline.core.referral import LetterStatus, ReferralStatus
from physioline.db.engine import Database
from physioline.db.models import CallAttempt, Letter, Patient, Referral
from physioline.errors import AlreadyClaimed, NotPermitted
from physioline.services import worklist
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user


def desk_as(db: Database, clock: FrozenClock, username: str) -> Desk:
    return Desk(db=db, clock=clock, actor=sign_in_demo_user(db, username))


def open_unclaimed_referral(db: Database) -> int:
    with db.sessions() as session:
        referral_id = session.scalar(
            sa.select(Referral.id)
            .where(Referral.status == ReferralStatus.AWAITING_CALL)
            .where(~sa.exists().where(CallAttempt.referral_id == Referral.id))
            .order_by(Referral.due_at)
            .limit(1)
        )
    assert referral_id is not None
    return referral_id


def referral(db: Database, referral_id: int) -> Referral:
    with db.sessions() as session:
        found = session.get(Referral, referral_id)
        assert found is not None
        return found


def test_claim_marks_the_referral_in_call_for_everyone(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    rid = open_unclaimed_referral(demo_db)
    worklist.claim_referral(priya, rid)
    claimed = referral(demo_db, rid)
    assert claimed.status == ReferralStatus.IN_CALL
    assert claimed.claimed_by_id == priya.actor.user_id  # type: ignore[union-attr]
    assert claimed.claimed_at == clock.now()
    worklist.claim_referral(priya, rid)  # claiming again is harmless


def test_a_colleague_is_told_who_is_on_the_call(demo_db: Database, clock: FrozenClock) -> None:
    priya, tom = desk_as(demo_db, clock, "priya"), desk_as(demo_db, clock, "tom")
    rid = open_unclaimed_referral(demo_db)
    worklist.claim_referral(priya, rid)
    before = referral(demo_db, rid).version
    with pytest.raises(
        AlreadyClaimed, match=r"Priya Shah is on a call with this patient since 08:55"
    ):
        worklist.claim_referral(tom, rid)
    with pytest.raises(AlreadyClaimed):
        worklist.record_call_attempt(tom, rid, "no_answer")
    assert referral(demo_db, rid).version == before  # nothing half-changed


def test_two_desks_claiming_at_the_same_instant_one_wins(
    demo_db: Database, clock: FrozenClock
) -> None:
    desks = [desk_as(demo_db, clock, "priya"), desk_as(demo_db, clock, "tom")]
    rid = open_unclaimed_referral(demo_db)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def claim(desk: Desk) -> None:
        barrier.wait()
        try:
            worklist.claim_referral(desk, rid)
            outcomes[desk.actor.username] = "claimed"  # type: ignore[union-attr]
        except AlreadyClaimed as exc:
            outcomes[desk.actor.username] = exc.message  # type: ignore[union-attr]

    threads = [threading.Thread(target=claim, args=(d,)) for d in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert list(outcomes.values()).count("claimed") == 1
    loser = next(v for v in outcomes.values() if v != "claimed")
    assert "is on a call with this patient" in loser
    winner = next(u for u, v in outcomes.items() if v == "claimed")
    assert referral(demo_db, rid).claimed_by_id == next(
        d.actor.user_id for d in desks if d.actor and d.actor.username == winner
    )


def test_only_a_team_lead_releases_a_colleagues_claim(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya, tom, sam = (desk_as(demo_db, clock, u) for u in ("priya", "tom", "sam"))
    rid = open_unclaimed_referral(demo_db)
    worklist.claim_referral(priya, rid)
    with pytest.raises(NotPermitted, match="Only a team lead"):
        worklist.release_claim(tom, rid)
    worklist.release_claim(sam, rid, reason="Priya went home")
    released = referral(demo_db, rid)
    assert released.claimed_by_id is None
    assert released.status == ReferralStatus.AWAITING_CALL


def test_booking_office_cannot_claim(demo_db: Database, clock: FrozenClock) -> None:
    with pytest.raises(NotPermitted, match="admin staff"):
        worklist.claim_referral(desk_as(demo_db, clock, "jo"), open_unclaimed_referral(demo_db))


def test_three_spaced_failed_attempts_make_unable_to_contact_and_queue_the_letter(
    demo_db: Database,
) -> None:
    # Monday 10:00, 13:00 and 17:30 London: 2 h apart, the last outside 9-5.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London")))
    priya = desk_as(demo_db, clock, "priya")
    rid = open_unclaimed_referral(demo_db)
    first = worklist.record_call_attempt(priya, rid, "no_answer")
    assert first.status == ReferralStatus.AWAITING_CALL
    assert "1 of 3" in first.message
    assert referral(demo_db, rid).claimed_by_id is None
    clock.advance(timedelta(hours=3))
    worklist.claim_referral(priya, rid)
    second = worklist.record_call_attempt(priya, rid, "voicemail_left", "left a message")
    assert second.status == ReferralStatus.AWAITING_CALL
    clock.advance(timedelta(hours=4, minutes=30))
    third = worklist.record_call_attempt(priya, rid, "no_answer")
    assert third.status == ReferralStatus.UNABLE_TO_CONTACT
    closed = referral(demo_db, rid)
    assert closed.status == ReferralStatus.UNABLE_TO_CONTACT
    assert closed.closed_at == clock.now()
    with demo_db.sessions() as session:
        letter = session.scalar(sa.select(Letter).where(Letter.referral_id == rid))
        attempts = session.scalar(
            sa.select(sa.func.count()).select_from(CallAttempt)
            .where(CallAttempt.referral_id == rid)
        )  # fmt: skip
    assert attempts == 3
    assert letter is not None
    assert letter.kind == "unable_to_contact"
    assert letter.status in (LetterStatus.QUEUED, LetterStatus.HELD)


def test_attempts_too_close_together_do_not_count(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    rid = open_unclaimed_referral(demo_db)
    for _ in range(3):
        outcome = worklist.record_call_attempt(priya, rid, "no_answer")
        clock.advance(timedelta(minutes=20))
    assert outcome.status == ReferralStatus.AWAITING_CALL
    assert "1 of 3" in outcome.message


def test_letter_is_held_when_the_patient_has_no_address(demo_db: Database) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London")))
    priya = desk_as(demo_db, clock, "priya")
    rid = open_unclaimed_referral(demo_db)
    with demo_db.sessions.begin() as session:
        patient_id = session.scalar(sa.select(Referral.patient_id).where(Referral.id == rid))
        session.execute(sa.update(Patient).where(Patient.id == patient_id)
                        .values(address="", postcode=None))  # fmt: skip
    for hours in (0, 3, 4.5):
        clock.advance(timedelta(hours=hours))
        result = worklist.record_call_attempt(priya, rid, "no_answer")
    assert result.status == ReferralStatus.UNABLE_TO_CONTACT
    assert not result.letter_queued
    with demo_db.sessions() as session:
        letter = session.scalar(sa.select(Letter).where(Letter.referral_id == rid))
    assert letter is not None
    assert letter.status == LetterStatus.HELD
    assert letter.held_reason == "No postal address on the patient's record."


def test_answered_keeps_the_call_and_declined_closes_the_referral(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    rid = open_unclaimed_referral(demo_db)
    answered = worklist.record_call_attempt(priya, rid, "answered")
    assert answered.status == ReferralStatus.IN_CALL
    assert referral(demo_db, rid).claimed_by_id == priya.actor.user_id  # type: ignore[union-attr]
    other = open_unclaimed_referral(demo_db)
    declined = worklist.record_call_attempt(priya, other, "declined")
    assert declined.status == ReferralStatus.CANCELLED
    assert not referral(demo_db, other).status.is_open


def test_every_action_is_audited(demo_db: Database, clock: FrozenClock) -> None:
    from physioline.db.models import AuditEvent

    priya = desk_as(demo_db, clock, "priya")
    rid = open_unclaimed_referral(demo_db)
    worklist.claim_referral(priya, rid)
    worklist.record_call_attempt(priya, rid, "no_answer")
    with demo_db.sessions() as session:
        actions = session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.entity_id == str(rid))
            .order_by(AuditEvent.id)
        ).all()  # fmt: skip
    assert actions == ["referral.claim", "call_attempt.record"]
