"""Assessment service on both databases: start/resume, drafts, sign-off rules, letters, versions."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdf
import pytest
import sqlalchemy as sa

from physioline.clock import FrozenClock
from physioline.core.answers import AnswersError
from physioline.core.referral import AssessmentState, LetterStatus, ReferralStatus
from physioline.core.vocabulary import Destination, Disposition
from physioline.db.engine import Database
from physioline.db.models import (
    Assessment,
    AssessmentAddendum,
    AuditEvent,
    Letter,
    ProtocolVersion,
    Referral,
)
from physioline.errors import (
    AlreadyClaimed,
    Conflict,
    InvalidInput,
    NotPermitted,
    ProtocolFileError,
    StaleRecord,
)
from physioline.services import assessment as service
from physioline.services import worklist
from physioline.services.assessment import (
    AssessmentSigned,
    SignOffDecision,
    SignOffRefused,
)
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user
from tests.fixtures.assessments import (
    born_aged,
    no_red_flags,
    open_referral,
    set_patient,
    start_back,
    start_msk_low,
)

REPO = Path(__file__).resolve().parents[3]


def desk_as(db: Database, clock: FrozenClock, username: str) -> Desk:
    return Desk(db=db, clock=clock, actor=sign_in_demo_user(db, username))


def row(db: Database, model: type, key: object) -> object:
    with db.sessions() as session:
        found = session.get(model, key)
        assert found is not None
        return found


def audit_actions(db: Database, entity: str, entity_id: int) -> list[tuple[str, dict[str, object]]]:
    with db.sessions() as session:
        rows = session.execute(
            sa.select(AuditEvent.action, AuditEvent.details)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
            .order_by(AuditEvent.id)
        ).all()
    return [(a, d) for a, d in rows]


@pytest.fixture
def protocols_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the protocols folder that PhysioLine reads instead of the shipped one."""
    root = tmp_path / "data"
    shutil.copytree(REPO / "protocols", root / "protocols")
    (root / "resources").mkdir()
    (root / "ui").mkdir()
    monkeypatch.setenv("PHYSIOLINE_DATA_ROOT", str(root))
    return root / "protocols"


# --- start and resume -------------------------------------------------------------------------


def test_start_claims_the_referral_and_pins_the_protocol_bytes(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    rid = open_referral(demo_db, "lumbar")
    record = service.start_assessment(priya, rid)
    assert not record.resumed
    assert not record.signed
    assert record.answers == {}
    assert record.protocol.id == "lumbar"
    shipped = (REPO / "protocols" / "lumbar.yaml").read_bytes()
    stored = row(demo_db, ProtocolVersion, record.protocol.sha256)
    assert stored.content == shipped  # type: ignore[attr-defined]
    assert stored.version == record.protocol.version  # type: ignore[attr-defined]
    saved = row(demo_db, Assessment, record.assessment_id)
    assert saved.protocol_sha256 == record.protocol.sha256  # type: ignore[attr-defined]
    assert saved.protocol_version == "1.1.1"  # type: ignore[attr-defined]
    assert saved.state == AssessmentState.DRAFT  # type: ignore[attr-defined]
    referral = row(demo_db, Referral, rid)
    assert referral.status == ReferralStatus.IN_CALL  # type: ignore[attr-defined]
    assert referral.claimed_by_id == priya.actor.user_id  # type: ignore[attr-defined, union-attr]
    actions = [a for a, _ in audit_actions(demo_db, "assessment", record.assessment_id)]
    assert actions == ["assessment.start"]
    assert [a for a, _ in audit_actions(demo_db, "referral", rid)] == ["referral.claim"]


def test_start_resumes_the_draft_of_your_claimed_referral(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    rid = open_referral(demo_db, "lumbar")
    worklist.claim_referral(priya, rid)  # claimed from the worklist first (Enter)
    first = service.start_assessment(priya, rid)
    saved = service.save_draft(
        priya, first.assessment_id, first.version, {"general.age": 44, "sbt.1": True}
    )
    again = service.start_assessment(priya, rid)
    assert again.resumed
    assert again.assessment_id == first.assessment_id
    assert again.version == saved.version
    assert dict(again.answers) == {"general.age": 44, "sbt.1": True}
    with demo_db.sessions() as session:
        count = session.scalar(
            sa.select(sa.func.count()).select_from(Assessment).where(Assessment.referral_id == rid)
        )
    assert count == 1


def test_a_colleagues_call_cannot_be_started_twice(demo_db: Database, clock: FrozenClock) -> None:
    priya, tom = desk_as(demo_db, clock, "priya"), desk_as(demo_db, clock, "tom")
    rid = open_referral(demo_db, "lumbar")
    service.start_assessment(priya, rid)
    with pytest.raises(
        AlreadyClaimed, match="Priya Shah is on a call with this patient since 08:55"
    ):
        service.start_assessment(tom, rid)


@pytest.mark.parametrize("username", ["jo", "alex"])
def test_admin_staff_and_it_may_not_assess(
    demo_db: Database, clock: FrozenClock, username: str
) -> None:
    desk = desk_as(demo_db, clock, username)
    rid = open_referral(demo_db, "lumbar")
    with pytest.raises(NotPermitted, match="may not assess a patient"):
        service.start_assessment(desk, rid)
    assert row(demo_db, Referral, rid).claimed_by_id is None  # type: ignore[attr-defined]


def test_a_broken_protocol_starts_nothing_and_claims_nothing(
    demo_db: Database, clock: FrozenClock, protocols_copy: Path
) -> None:
    text = (protocols_copy / "lumbar.yaml").read_text(encoding="utf-8")
    (protocols_copy / "lumbar.yaml").write_text(
        text.replace("disposition: emergency\n", "disposition: soon\n", 1), encoding="utf-8"
    )
    priya = desk_as(demo_db, clock, "priya")
    rid = open_referral(demo_db, "lumbar")
    with pytest.raises(
        ProtocolFileError,
        match=r"lumbar protocol fails the protocol check, so "
        r"no call was started: .*lumbar\.yaml:\d+: ",
    ):
        service.start_assessment(priya, rid)
    referral = row(demo_db, Referral, rid)
    assert referral.claimed_by_id is None  # type: ignore[attr-defined]
    assert referral.status == ReferralStatus.AWAITING_CALL  # type: ignore[attr-defined]
    with demo_db.sessions() as session:
        started = sa.select(sa.func.count()).select_from(Assessment)
        assert session.scalar(started.where(Assessment.referral_id == rid)) == 0


def test_a_missing_protocol_file_starts_nothing(
    demo_db: Database, clock: FrozenClock, protocols_copy: Path
) -> None:
    (protocols_copy / "knee.yaml").unlink()
    priya = desk_as(demo_db, clock, "priya")
    rid = open_referral(demo_db, "knee")
    with pytest.raises(ProtocolFileError, match="knee protocol file cannot be read"):
        service.start_assessment(priya, rid)
    assert row(demo_db, Referral, rid).claimed_by_id is None  # type: ignore[attr-defined]


def test_protocols_are_checked_at_start_and_problems_reported(protocols_copy: Path) -> None:
    assert service.check_protocols_at_start() == ()
    (protocols_copy / "hip.yaml").unlink()
    (protocols_copy / "knee.yaml").write_text("id: knee\nversion: [\n", encoding="utf-8")
    problems = service.check_protocols_at_start()
    assert any("knee.yaml:" in p for p in problems), problems
    assert any("no protocol file for 'hip'" in p for p in problems), problems


# --- drafts ----------------------------------------------------------------------------------


def test_draft_saves_the_answers_and_the_engines_snapshot(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    answers = {"general.age": 61, "lumbar.saddle_anaesthesia": True, "general.notes": "Fell"}
    saved = service.save_draft(priya, record.assessment_id, record.version, answers)
    assert saved.version == record.version + 1
    stored = row(demo_db, Assessment, record.assessment_id)
    assert stored.answers == answers  # type: ignore[attr-defined]
    assert stored.red_flags == ["rf.cauda_equina"]  # type: ignore[attr-defined]
    assert stored.recommended_disposition == "emergency"  # type: ignore[attr-defined]
    assert stored.destination == "emergency_department"  # type: ignore[attr-defined]
    assert stored.scores == {"start_back": {"complete": False}}  # type: ignore[attr-defined]
    assert stored.state == AssessmentState.DRAFT  # type: ignore[attr-defined]
    (action, details), *_ = audit_actions(demo_db, "assessment", record.assessment_id)[1:]
    assert action == "assessment.save_draft"
    assert details["red_flags"] == ["rf.cauda_equina"]


def test_a_stale_draft_is_not_overwritten(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    service.save_draft(priya, record.assessment_id, record.version, {"general.age": 50})
    with pytest.raises(StaleRecord, match="changed on another desk"):
        service.save_draft(priya, record.assessment_id, record.version, {"general.age": 70})
    assert row(demo_db, Assessment, record.assessment_id).answers == {"general.age": 50}  # type: ignore[attr-defined]


def test_invalid_answers_are_refused_naming_the_item(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    with pytest.raises(AnswersError, match=r"general\.age") as caught:
        service.save_draft(priya, record.assessment_id, record.version, {"general.age": 12})
    assert caught.value.item_id == "general.age"
    with pytest.raises(AnswersError, match=r"knee\.locked"):
        service.save_draft(priya, record.assessment_id, record.version, {"knee.locked": True})


def test_only_the_clinician_holding_the_claim_changes_the_draft(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya, tom, sam = (desk_as(demo_db, clock, n) for n in ("priya", "tom", "sam"))
    rid = open_referral(demo_db, "lumbar")
    record = service.start_assessment(priya, rid)
    with pytest.raises(AlreadyClaimed):
        service.save_draft(tom, record.assessment_id, record.version, {"general.age": 50})
    worklist.release_claim(sam, rid, reason="Priya went home")  # a stale claim, released
    with pytest.raises(Conflict, match="Your claim on this referral was released"):
        service.save_draft(priya, record.assessment_id, record.version, {"general.age": 50})
    taken = service.start_assessment(tom, rid)  # Tom carries on from the saved draft
    assert taken.resumed
    assert taken.assessment_id == record.assessment_id
    assert taken.clinician == "Tom Okafor"
    details = audit_actions(demo_db, "assessment", record.assessment_id)[-1][1]
    assert details["previous_clinician_id"] == priya.actor.user_id  # type: ignore[union-attr]


# --- sign-off --------------------------------------------------------------------------------


def test_sign_off_is_refused_while_the_red_flag_screen_is_incomplete(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    answers = no_red_flags(record.protocol)
    del answers["lumbar.bladder_dysfunction"], answers["general.infection_risk"]
    decision = SignOffDecision("routine_f2f", identity_confirmed=True)
    with pytest.raises(
        SignOffRefused,
        match=r"2 red-flag screening questions are unanswered: "
        r"general\.infection_risk, lumbar\.bladder_dysfunction",
    ) as caught:
        service.sign_off(priya, record.assessment_id, record.version, answers, decision)
    assert caught.value.unanswered == ("general.infection_risk", "lumbar.bladder_dysfunction")
    assert "cannot be ruled out" in caught.value.hint  # why, in words a physio knows
    assert "spec" not in str(caught.value)
    assert row(demo_db, Assessment, record.assessment_id).state == AssessmentState.DRAFT  # type: ignore[attr-defined]


def test_an_incomplete_yellow_flag_tool_does_not_block_sign_off(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    answers = no_red_flags(record.protocol)  # the patient declined the questionnaire
    done = service.sign_off(
        priya,
        record.assessment_id,
        record.version,
        answers,
        SignOffDecision("routine_f2f", identity_confirmed=True),
    )
    assert done.recommended is Disposition.ROUTINE_F2F
    assert not done.downgraded


def test_sign_off_needs_the_identity_confirmed(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    with pytest.raises(SignOffRefused, match="Confirm the patient's identity"):
        service.sign_off(
            priya,
            record.assessment_id,
            record.version,
            no_red_flags(record.protocol),
            SignOffDecision("routine_f2f"),
        )


def knee_fracture_call(
    demo_db: Database, clock: FrozenClock
) -> tuple[Desk, service.AssessmentRecord, dict[str, object]]:
    """Scenario 6: a knee injury 3 days ago, aged 57 (rf.knee_fracture by age alone)."""
    priya = desk_as(demo_db, clock, "priya")
    rid = open_referral(demo_db, "knee")
    set_patient(demo_db, rid, date_of_birth=born_aged(57))
    record = service.start_assessment(priya, rid)
    answers = no_red_flags(record.protocol, age=57)
    answers.update(
        {
            "knee.acute_injury_last_7_days": True,
            "knee.can_weight_bear": "yes",
            "knee.can_bend_90": "yes",
            "knee.bony_tenderness": False,
        }
    )
    answers.update(start_msk_low())
    result = record.evaluate(answers)
    assert result.red_flags == ("rf.knee_fracture",)
    assert (result.disposition, result.destination) == (
        Disposition.EMERGENCY,
        Destination.URGENT_TREATMENT_CENTRE,
    )
    return priya, record, answers


def test_a_downgrade_needs_a_written_reason(demo_db: Database, clock: FrozenClock) -> None:
    priya, record, answers = knee_fracture_call(demo_db, clock)
    for blank in ("", "   \n"):
        with pytest.raises(
            SignOffRefused,
            match=r"You chose routine_f2f, which is less severe "
            r"than the recommended emergency \(red flags: rf\.knee_fracture\): a "
            r"written reason is required\. It is kept with the assessment, written to the "
            r"audit trail and printed on the GP letter\.",
        ) as caught:
            service.sign_off(
                priya,
                record.assessment_id,
                record.version,
                answers,
                SignOffDecision("routine_f2f", reason=blank, identity_confirmed=True),
            )
        assert "spec" not in str(caught.value)
    assert row(demo_db, Assessment, record.assessment_id).state == AssessmentState.DRAFT  # type: ignore[attr-defined]


def test_a_downgrade_with_its_reason_is_recorded_and_audited_and_keeps_the_red_flag(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya, record, answers = knee_fracture_call(demo_db, clock)
    reason = "X-ray yesterday at the UTC showed no fracture."
    done = service.sign_off(
        priya,
        record.assessment_id,
        record.version,
        answers,
        SignOffDecision("routine_f2f", reason=f"  {reason} ", identity_confirmed=True),
    )
    assert done.downgraded
    assert done.recommended is Disposition.EMERGENCY
    assert done.chosen is Disposition.ROUTINE_F2F
    assert done.destination is None
    stored = row(demo_db, Assessment, record.assessment_id)
    assert stored.recommended_disposition == "emergency"  # type: ignore[attr-defined]
    assert stored.chosen_disposition == "routine_f2f"  # type: ignore[attr-defined]
    assert stored.downgrade_reason == reason  # type: ignore[attr-defined]
    assert stored.red_flags == ["rf.knee_fracture"]  # an override never removes a red flag
    assert stored.clinician_id == priya.actor.user_id  # type: ignore[attr-defined, union-attr]
    assert stored.signed_at == clock.now()  # type: ignore[attr-defined]
    audit = dict(audit_actions(demo_db, "assessment", record.assessment_id))
    assert audit["assessment.override"] == {
        "recommended": "emergency",
        "chosen": "routine_f2f",
        "direction": "less_severe",
        "reason": reason,
        "red_flags": ["rf.knee_fracture"],
    }
    assert audit["assessment.sign_off"]["downgraded"] is True
    assert audit["assessment.sign_off"]["reason"] == reason
    assert audit["assessment.sign_off"]["recommended_destination"] == "urgent_treatment_centre"


@pytest.mark.parametrize("chosen", ["emergency", "urgent_referral"])
def test_the_same_or_a_more_severe_choice_needs_no_reason_and_is_recorded(
    demo_db: Database, clock: FrozenClock, chosen: str
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    answers = {**no_red_flags(record.protocol), **start_back({1, 2, 3, 5, 6})}
    assert record.evaluate(answers).disposition is Disposition.ROUTINE_F2F
    destination = None if chosen == "emergency" else "gp_urgent"
    decision = SignOffDecision(
        chosen, destination=destination or "emergency_department", identity_confirmed=True
    )
    done = service.sign_off(priya, record.assessment_id, record.version, answers, decision)
    assert not done.downgraded
    assert done.chosen.value == chosen
    stored = row(demo_db, Assessment, record.assessment_id)
    assert stored.chosen_disposition == chosen  # type: ignore[attr-defined]
    assert stored.recommended_disposition == "routine_f2f"  # type: ignore[attr-defined]
    assert stored.downgrade_reason is None  # type: ignore[attr-defined]
    override = dict(audit_actions(demo_db, "assessment", record.assessment_id))
    assert override["assessment.override"]["direction"] == "more_severe"


def test_the_recommended_choice_is_recorded_with_its_destination(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    answers = {**no_red_flags(record.protocol), "lumbar.saddle_anaesthesia": True}
    done = service.sign_off(
        priya,
        record.assessment_id,
        record.version,
        answers,
        SignOffDecision("emergency", identity_confirmed=True),
    )
    assert done.destination is Destination.EMERGENCY_DEPARTMENT
    actions = [a for a, _ in audit_actions(demo_db, "assessment", record.assessment_id)]
    assert "assessment.override" not in actions


def test_a_referral_disposition_needs_a_destination(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    answers = no_red_flags(record.protocol)
    with pytest.raises(SignOffRefused, match="say where the patient is being sent"):
        service.sign_off(
            priya,
            record.assessment_id,
            record.version,
            answers,
            SignOffDecision("onward_referral", identity_confirmed=True),
        )
    with pytest.raises(SignOffRefused, match="stays within physiotherapy"):
        service.sign_off(
            priya,
            record.assessment_id,
            record.version,
            answers,
            SignOffDecision("routine_f2f", destination="orthopaedics", identity_confirmed=True),
        )


@pytest.mark.parametrize(
    ("chosen", "destination", "status"),
    [
        ("self_management", None, ReferralStatus.DISCHARGED_WITH_ADVICE),
        ("routine_f2f", None, ReferralStatus.TRIAGED),
        ("urgent_f2f", None, ReferralStatus.TRIAGED),
        ("onward_referral", "orthopaedics", ReferralStatus.REFERRED_ON),
        ("urgent_referral", "rheumatology", ReferralStatus.REFERRED_ON),
        ("emergency", "emergency_department", ReferralStatus.TRIAGED),
    ],
)
def test_sign_off_moves_the_referral_on_and_releases_the_claim(
    demo_db: Database,
    clock: FrozenClock,
    chosen: str,
    destination: str | None,
    status: ReferralStatus,
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    rid = open_referral(demo_db, "lumbar")
    record = service.start_assessment(priya, rid)
    answers = {**no_red_flags(record.protocol), **start_back(set(), "not_at_all")}  # low risk
    reason = "Patient's choice after discussion." if chosen == "self_management" else ""
    done = service.sign_off(
        priya,
        record.assessment_id,
        record.version,
        answers,
        SignOffDecision(
            chosen,
            destination=destination,
            reason=reason,
            notes="Plan: as agreed.",
            identity_confirmed=True,
        ),
    )
    assert done.referral_status is status
    referral = row(demo_db, Referral, rid)
    assert referral.status == status  # type: ignore[attr-defined]
    assert referral.claimed_by_id is None
    assert referral.claimed_at is None
    assert referral.closed_at == clock.now()  # type: ignore[attr-defined]
    stored = row(demo_db, Assessment, record.assessment_id)
    assert stored.destination == destination  # type: ignore[attr-defined]
    assert stored.notes == "Plan: as agreed."  # type: ignore[attr-defined]
    assert done.books_face_to_face == (chosen in ("routine_f2f", "urgent_f2f"))
    assert done.next_step


def test_sign_off_queues_the_advice_and_gp_letters(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    rid = open_referral(demo_db, "lumbar")
    set_patient(demo_db, rid, address="12 Rye Lane\nLondon", postcode="SE15 4ST")
    record = service.start_assessment(priya, rid)
    answers = {**no_red_flags(record.protocol), "lumbar.saddle_anaesthesia": True}
    done = service.sign_off(
        priya,
        record.assessment_id,
        record.version,
        answers,
        SignOffDecision("emergency", identity_confirmed=True),
    )
    with demo_db.sessions() as session:
        letters = session.scalars(sa.select(Letter).where(Letter.referral_id == rid)).all()
    assert sorted(x.kind for x in letters) == ["advice", "gp"]
    assert all(x.assessment_id == record.assessment_id for x in letters)
    assert all(x.status == LetterStatus.QUEUED for x in letters)
    assert {x.kind for x in done.letters} == {"advice", "gp"}
    queued = [a for a, _ in audit_actions(demo_db, "letter", letters[0].id)]
    assert queued == ["letter.queue"]


def test_the_advice_letter_is_held_when_the_patient_has_no_postal_address(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    rid = open_referral(demo_db, "lumbar")
    set_patient(demo_db, rid, address="", postcode=None)
    record = service.start_assessment(priya, rid)
    done = service.sign_off(
        priya,
        record.assessment_id,
        record.version,
        no_red_flags(record.protocol),
        SignOffDecision("routine_f2f", identity_confirmed=True),
    )
    by_kind = {x.kind: x for x in done.letters}
    assert by_kind["advice"].status is LetterStatus.HELD
    assert by_kind["advice"].held_reason == "No postal address on the patient's record."
    assert by_kind["gp"].status is LetterStatus.QUEUED  # the GP letter goes to the practice
    assert "advice letter HELD (No postal address" in done.next_step


def test_a_signed_assessment_is_immutable_and_corrected_by_addenda(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya, tom = desk_as(demo_db, clock, "priya"), desk_as(demo_db, clock, "tom")
    rid = open_referral(demo_db, "lumbar")
    record = service.start_assessment(priya, rid)
    answers = no_red_flags(record.protocol)
    service.sign_off(
        priya,
        record.assessment_id,
        record.version,
        answers,
        SignOffDecision("routine_f2f", identity_confirmed=True),
    )
    signed = row(demo_db, Assessment, record.assessment_id)
    with pytest.raises(AssessmentSigned, match="signed off on 23 Nov at 08:55 and cannot be"):
        service.save_draft(priya, record.assessment_id, signed.version, {})  # type: ignore[attr-defined]
    with pytest.raises(AssessmentSigned, match="Add an addendum"):
        service.sign_off(
            priya,
            record.assessment_id,
            signed.version,
            answers,  # type: ignore[attr-defined]
            SignOffDecision("self_management", identity_confirmed=True),
        )
    with pytest.raises(InvalidInput, match="empty"):
        service.add_addendum(tom, record.assessment_id, "  ")
    added = service.add_addendum(tom, record.assessment_id, "Patient rang back: pain easing.")
    assert added.author == "Tom Okafor"
    assert added.written_at == clock.now()
    after = row(demo_db, Assessment, record.assessment_id)
    assert after.version == signed.version  # type: ignore[attr-defined]
    assert after.answers == signed.answers  # type: ignore[attr-defined]
    reopened = service.start_assessment(priya, rid)  # Ctrl+O on a triaged referral
    assert reopened.signed
    assert [a.text for a in reopened.addenda] == ["Patient rang back: pain easing."]
    with demo_db.sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AssessmentAddendum)) == 1
    actions = [a for a, _ in audit_actions(demo_db, "assessment", record.assessment_id)]
    assert actions[-2:] == ["assessment.addendum", "assessment.open"]
    other = service.start_assessment(priya, open_referral(demo_db, "knee"))
    with pytest.raises(InvalidInput, match="still a draft"):
        service.add_addendum(priya, other.assessment_id, "text")


# --- protocol versions -----------------------------------------------------------------------


def test_a_reopened_assessment_uses_its_stored_protocol_bytes_after_the_file_changed(
    demo_db: Database, clock: FrozenClock, protocols_copy: Path
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    draft_rid, signed_rid = open_referral(demo_db, "lumbar"), None
    draft = service.start_assessment(priya, draft_rid)
    original_sha = draft.protocol.sha256
    answers = {**no_red_flags(draft.protocol), "lumbar.saddle_anaesthesia": True}
    saved = service.save_draft(priya, draft.assessment_id, draft.version, answers)
    # Another call, signed off before the file changes.
    signed_rid = open_referral(demo_db, "lumbar")
    other = service.start_assessment(priya, signed_rid)
    service.sign_off(
        priya,
        other.assessment_id,
        other.version,
        answers,
        SignOffDecision("emergency", identity_confirmed=True),
    )
    # The file on disk is edited (a new wording, a new version), then removed altogether.
    lumbar = protocols_copy / "lumbar.yaml"
    edited = (
        lumbar.read_text(encoding="utf-8")
        .replace("Go to A&E now for an emergency MRI; do not wait.", "Edited wording.", 1)
        .replace('version: "1.1.1"', 'version: "1.1.2"', 1)
    )
    lumbar.write_text(edited, encoding="utf-8")
    fresh = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    assert fresh.protocol.version == "1.1.2"
    assert fresh.protocol.sha256 != original_sha
    lumbar.unlink()
    for rid in (draft_rid, signed_rid):
        reopened = service.start_assessment(priya, rid)
        assert reopened.protocol.sha256 == original_sha
        assert reopened.protocol.version == "1.1.1"
        result = reopened.evaluate(reopened.answers)
        assert result.triggered[0].action == "Go to A&E now for an emergency MRI; do not wait."
    # The draft carries on and signs off under the version it started with.
    done = service.sign_off(
        priya,
        draft.assessment_id,
        saved.version,
        answers,
        SignOffDecision("emergency", identity_confirmed=True),
    )
    assert done.destination is Destination.EMERGENCY_DEPARTMENT
    assert row(demo_db, Assessment, draft.assessment_id).protocol_sha256 == original_sha  # type: ignore[attr-defined]
    with demo_db.sessions() as session:
        versions = session.scalars(sa.select(ProtocolVersion.version)).all()
    assert sorted(versions) == ["1.1.1", "1.1.2"]


def test_a_protocol_edited_during_a_call_does_not_change_the_call(
    demo_db: Database, clock: FrozenClock, protocols_copy: Path
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    lumbar = protocols_copy / "lumbar.yaml"
    # Mid-call, someone makes saddle anaesthesia route elsewhere (a broken edit, too).
    lumbar.write_text(lumbar.read_text(encoding="utf-8") + "\nnonsense: [\n", encoding="utf-8")
    answers = {**no_red_flags(record.protocol), "lumbar.saddle_anaesthesia": True}
    saved = service.save_draft(priya, record.assessment_id, record.version, answers)
    done = service.sign_off(
        priya,
        record.assessment_id,
        saved.version,
        answers,
        SignOffDecision("emergency", identity_confirmed=True),
    )
    assert done.recommended is Disposition.EMERGENCY
    assert row(demo_db, Assessment, record.assessment_id).red_flags == ["rf.cauda_equina"]  # type: ignore[attr-defined]


def test_age_given_is_checked_against_the_date_of_birth(
    demo_db: Database, clock: FrozenClock
) -> None:
    priya = desk_as(demo_db, clock, "priya")
    rid = open_referral(demo_db, "lumbar")
    set_patient(demo_db, rid, date_of_birth=born_aged(62))
    record = service.start_assessment(priya, rid)
    assert record.patient.age_on_record == 62
    assert service.check_age({"general.age": 62}, record.patient) is None
    assert service.check_age({}, record.patient) is None
    warning = service.check_age({"general.age": 57}, record.patient)
    assert warning is not None
    assert "record says 62" in warning
    assert "right patient" in warning
    answers = no_red_flags(record.protocol, age=57)
    service.sign_off(
        priya,
        record.assessment_id,
        record.version,
        answers,
        SignOffDecision("routine_f2f", identity_confirmed=True),
    )
    audit = dict(audit_actions(demo_db, "assessment", record.assessment_id))
    assert audit["assessment.sign_off"]["age_mismatch"] is True


def test_identity_confirmation_is_audited(demo_db: Database, clock: FrozenClock) -> None:
    priya = desk_as(demo_db, clock, "priya")
    record = service.start_assessment(priya, open_referral(demo_db, "lumbar"))
    service.confirm_identity(priya, record.assessment_id)
    actions = [a for a, _ in audit_actions(demo_db, "assessment", record.assessment_id)]
    assert actions[-1] == "assessment.identity_confirmed"


def test_the_gp_letter_of_a_signed_downgrade_shows_the_override_and_the_red_flag(
    demo_db: Database, clock: FrozenClock
) -> None:
    """Scenario 6 reaches the letters: the queued GP letter renders from the signed record."""
    from physioline.services import letters

    priya, record, answers = knee_fracture_call(demo_db, clock)
    reason = "X-ray yesterday showed no fracture."
    done = service.sign_off(
        priya,
        record.assessment_id,
        record.version,
        answers,
        SignOffDecision("routine_f2f", reason=reason, identity_confirmed=True),
    )
    gp = next(x for x in done.letters if x.kind == "gp")
    document = letters.preview_letter(priya, gp.letter_id)
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in pypdf.PdfReader(io.BytesIO(document.pdf)).pages
    )
    assert reason in text
    assert "X-ray today" in text  # the red flag's mandated action stays on the letter
