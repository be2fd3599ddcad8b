"""Team lead actions on both databases: reassign, share out by capacity, shifts, and who may."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from physioline.clock import FrozenClock
from physioline.core.due import london_date
from physioline.core.referral import ReferralStatus
from physioline.db.engine import Database
from physioline.db.models import AuditEvent, Referral, Shift, User
from physioline.errors import AlreadyClaimed, Conflict, InvalidInput, NotPermitted, StaleRecord
from physioline.services import teamlead, worklist
from physioline.services.desk import Desk
from physioline.services.live import open_change_feed
from physioline.services.startup import sign_in_demo_user

DeskFor = Callable[[str], Desk]


@pytest.fixture
def desk_for(demo_db: Database, clock: FrozenClock) -> DeskFor:
    return lambda username: Desk(
        db=demo_db, clock=clock, actor=sign_in_demo_user(demo_db, username)
    )


def user_id(db: Database, username: str) -> int:
    with db.sessions() as session:
        uid = session.scalar(sa.select(User.id).where(User.username == username))
    assert uid is not None
    return uid


def open_unclaimed(db: Database, assigned_to: int | None, count: int = 3) -> list[int]:
    with db.sessions() as session:
        who = (
            Referral.assigned_to_id.is_(None)
            if assigned_to is None
            else Referral.assigned_to_id == assigned_to
        )
        return list(
            session.scalars(
                sa.select(Referral.id)
                .where(Referral.status == ReferralStatus.AWAITING_CALL, who)
                .order_by(Referral.due_at)
                .limit(count)
            )
        )


def assigned(db: Database, ids: list[int]) -> set[int | None]:
    with db.sessions() as session:
        return set(session.scalars(sa.select(Referral.assigned_to_id).where(Referral.id.in_(ids))))


def test_reassign_moves_audits_and_tells_every_worklist(
    demo_db: Database, desk_for: DeskFor, clock: FrozenClock
) -> None:
    sam = desk_for("sam")
    tom, priya = user_id(demo_db, "tom"), user_id(demo_db, "priya")
    ids = open_unclaimed(demo_db, tom)
    feed = open_change_feed(demo_db, clock.now())
    try:
        result = teamlead.reassign(sam, ids, priya, reason="Tom went home ill")
        seen = feed.wait(2.0)
    finally:
        feed.close()
    assert set(ids) <= seen  # live: open worklists learn within two seconds
    assert result.moved == tuple(sorted(ids))
    assert result.message == "3 referrals moved to Priya Shah."
    assert assigned(demo_db, ids) == {priya}
    with demo_db.sessions() as session:
        events = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "referral.reassign")
        ).all()
    assert {e.entity_id for e in events} == {str(i) for i in ids}
    for event in events:
        assert event.actor == "sam"
        assert event.occurred_at == clock.now()
        assert event.details == {
            "from": tom,
            "to": priya,
            "reason": "Tom went home ill",
            "via": "reassign",
        }


def test_reassign_back_to_unassigned_and_whole_list(demo_db: Database, desk_for: DeskFor) -> None:
    sam = desk_for("sam")
    tom, daniel = user_id(demo_db, "tom"), user_id(demo_db, "daniel")
    ids = open_unclaimed(demo_db, tom, 1)
    result = teamlead.reassign(sam, ids, None)
    assert result.to_name == "Unassigned"
    assert assigned(demo_db, ids) == {None}
    # Tom's whole list, except what he is on a call with: release his claims first.
    with demo_db.sessions() as session:
        claimed = list(
            session.scalars(
                sa.select(Referral.id).where(
                    Referral.assigned_to_id == tom, Referral.claimed_by_id.is_not(None)
                )
            )
        )
    for rid in claimed:
        worklist.release_claim(sam, rid, reason="Tom went home")
    everything = teamlead.open_referral_ids(sam, tom)
    teamlead.reassign_whole_list(sam, tom, daniel)
    assert teamlead.open_referral_ids(sam, tom) == []
    assert assigned(demo_db, everything) == {daniel}


def test_a_claim_in_progress_is_never_silently_taken(demo_db: Database, desk_for: DeskFor) -> None:
    sam, priya_desk = desk_for("sam"), desk_for("priya")
    priya, marta = user_id(demo_db, "priya"), user_id(demo_db, "marta")
    ids = open_unclaimed(demo_db, priya, 2)
    worklist.claim_referral(priya_desk, ids[0])
    with pytest.raises(AlreadyClaimed) as refused:
        teamlead.reassign(sam, ids, marta)
    assert "Priya Shah is on a call with" in refused.value.message
    assert "since 08:55" in refused.value.message
    assert "release the claim" in refused.value.hint
    assert assigned(demo_db, ids) == {priya}  # all or nothing
    worklist.release_claim(sam, ids[0], reason="checked with Priya")
    teamlead.reassign(sam, ids, marta)
    assert assigned(demo_db, ids) == {marta}


def test_clinicians_off_shift_get_no_new_work(demo_db: Database, desk_for: DeskFor) -> None:
    sam = desk_for("sam")
    aisha = user_id(demo_db, "aisha")
    ids = open_unclaimed(demo_db, None, 1)
    with pytest.raises(Conflict, match="Aisha Begum is not on triage duty today"):
        teamlead.reassign(sam, ids, aisha)
    with pytest.raises(Conflict, match="not on triage duty"):
        teamlead.preview_share_out(sam, clinician_ids=[aisha])
    teamlead.set_shift(sam, aisha, on_duty=True, triage_sessions=1)
    teamlead.reassign(sam, ids, aisha)
    assert assigned(demo_db, ids) == {aisha}


def test_closed_referrals_and_empty_choices_are_refused(
    demo_db: Database, desk_for: DeskFor
) -> None:
    sam = desk_for("sam")
    with demo_db.sessions() as session:
        closed = session.scalar(
            sa.select(Referral.id).where(Referral.status == ReferralStatus.TRIAGED).limit(1)
        )
    assert closed is not None
    with pytest.raises(Conflict, match="is triaged"):
        teamlead.reassign(sam, [closed], None)
    with pytest.raises(InvalidInput):
        teamlead.reassign(sam, [], None)


@pytest.mark.parametrize("username", ["priya", "jo", "alex"])
def test_only_team_leads_reassign_share_out_and_set_shifts(
    demo_db: Database, desk_for: DeskFor, username: str
) -> None:
    desk = desk_for(username)
    tom = user_id(demo_db, "tom")
    ids = open_unclaimed(demo_db, tom, 1)
    before = assigned(demo_db, ids)
    role = {"priya": "physio", "jo": "admin staff", "alex": "system admin"}[username]
    with pytest.raises(NotPermitted, match=rf"Your role \({role}\) may not reassign referrals"):
        teamlead.reassign(desk, ids, None)
    with pytest.raises(NotPermitted, match="may not reassign referrals"):
        teamlead.reassign_whole_list(desk, tom, None)
    with pytest.raises(NotPermitted, match="may not share out referrals"):
        teamlead.preview_share_out(desk, from_clinician_id=tom)
    with pytest.raises(NotPermitted, match="may not set shifts and capacity"):
        teamlead.set_shift(desk, tom, on_duty=False)
    assert assigned(demo_db, ids) == before


def test_shifts_list_who_is_on_duty_with_capacity_and_load(
    demo_db: Database, desk_for: DeskFor, clock: FrozenClock
) -> None:
    rows = {r.display_name: r for r in teamlead.load_shifts(desk_for("priya"))}
    assert rows["Priya Shah"].on_duty
    assert rows["Priya Shah"].capacity == 12
    assert not rows["Aisha Begum"].on_duty
    assert rows["Aisha Begum"].capacity == 0
    assert "Jo Mensah" not in rows  # booking office makes no calls
    with pytest.raises(NotPermitted):
        teamlead.load_shifts(desk_for("alex"))
    sam = desk_for("sam")
    tom = user_id(demo_db, "tom")
    row = teamlead.set_shift(sam, tom, on_duty=True, triage_sessions=1, calls_per_session=8)
    assert (row.triage_sessions, row.capacity, row.calls_per_session) == (1, 8, 8)
    row = teamlead.set_shift(sam, tom, on_duty=True, triage_sessions=2, capacity=20)
    assert row.capacity == 20
    teamlead.set_shift(sam, tom, on_duty=False)
    with demo_db.sessions() as session:
        assert not session.scalar(
            sa.select(sa.func.count()).where(
                Shift.clinician_id == tom, Shift.on_date == london_date(clock.now())
            )
        )
        actions = session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.entity_id == str(tom))
        ).all()
    assert actions.count("shift.set") == 3
    with pytest.raises(InvalidInput):
        teamlead.set_shift(sam, tom, on_duty=True, triage_sessions=9)


def release_claims_of(demo_db: Database, desk: Desk, clinician: int) -> None:
    with demo_db.sessions() as session:
        claimed = list(
            session.scalars(
                sa.select(Referral.id).where(
                    Referral.assigned_to_id == clinician, Referral.claimed_by_id.is_not(None)
                )
            )
        )
    for rid in claimed:
        worklist.release_claim(desk, rid)


def test_share_out_a_sick_colleagues_list_by_capacity(demo_db: Database, desk_for: DeskFor) -> None:
    sam = desk_for("sam")
    tom = user_id(demo_db, "tom")
    team = [user_id(demo_db, n) for n in ("priya", "marta", "daniel")]
    teamlead.set_shift(sam, tom, on_duty=False)
    for clinician in team:  # the afternoon: everyone left can take more
        teamlead.set_shift(sam, clinician, on_duty=True, triage_sessions=2, capacity=30)
    release_claims_of(demo_db, sam, tom)
    toms = teamlead.open_referral_ids(sam, tom)
    plan = teamlead.preview_share_out(sam, from_clinician_id=tom, clinician_ids=team)
    assert plan.referral_count == len(toms)
    assert set(plan.names) == set(team)
    assert not plan.preview.left_over
    shares = {s.clinician_id: s for s in plan.preview.shares}
    # Weighted by room: nobody ends over capacity, and fullness differs by at most one call.
    fullness = [shares[c].load_after / 30 for c in team]
    assert max(fullness) - min(fullness) <= 1 / 30 + 1e-9
    assert assigned(demo_db, toms) == {tom}  # a preview writes nothing
    # The team lead moves one before applying.
    first = plan.preview.shares[0].referral_ids[0]
    plan = plan.moved(first, team[2])
    applied = teamlead.apply_share_out(sam, plan, reason="Tom went home ill")
    assert sum(applied.given.values()) == len(toms)
    assert applied.message.startswith("Shared out: ")
    with demo_db.sessions() as session:
        now_with = dict(
            session.execute(
                sa.select(Referral.id, Referral.assigned_to_id).where(Referral.id.in_(toms))
            ).all()
        )
        summary = session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "share_out.apply")
        )
    assert now_with[first] == team[2]
    for share in plan.preview.shares:
        assert all(now_with[r] == share.clinician_id for r in share.referral_ids)
    assert summary is not None
    assert summary.details["from_clinician"] == tom


def test_share_out_leaves_calls_in_progress_out_and_refuses_a_stale_preview(
    demo_db: Database, desk_for: DeskFor
) -> None:
    sam, priya_desk = desk_for("sam"), desk_for("priya")
    unassigned = open_unclaimed(demo_db, None, 50)
    worklist.claim_referral(priya_desk, unassigned[0])
    plan = teamlead.preview_share_out(sam, referral_ids=unassigned)  # a chosen set
    assert unassigned[0] not in plan.versions
    assert any("Priya Shah is on a call" in w for w in plan.warnings())
    worklist.claim_referral(priya_desk, unassigned[1])  # a call starts after the preview
    with pytest.raises(StaleRecord, match="changed since the preview"):
        teamlead.apply_share_out(sam, plan)
    assert assigned(demo_db, unassigned[2:]) == {None}  # nothing applied


def test_share_out_over_capacity_leaves_the_rest_unassigned(
    demo_db: Database, desk_for: DeskFor
) -> None:
    sam = desk_for("sam")
    daniel = user_id(demo_db, "daniel")
    row = next(r for r in teamlead.load_shifts(sam) if r.clinician_id == daniel)
    teamlead.set_shift(sam, daniel, on_duty=True, capacity=row.load + 2)
    plan = teamlead.preview_share_out(sam, clinician_ids=[daniel])
    assert len(plan.preview.share_of(daniel).referrals) == 2
    assert plan.preview.left_over
    assert any("left unassigned" in w for w in plan.warnings())
    # The team lead's judgement overrides capacity, with a warning.
    extra = plan.preview.left_over_ids[0]
    plan = plan.moved(extra, daniel)
    assert any("over their capacity" in w for w in plan.warnings())
    applied = teamlead.apply_share_out(sam, plan)
    assert applied.given[daniel] == 3
    assert assigned(demo_db, [extra]) == {daniel}
