"""Worklist actions: claim a referral for a call, release it, record call attempts.

Each action is one transaction with its audit row. Claims are safe when two desks press Enter
at the same instant: on PostgreSQL the referral row is locked (``FOR UPDATE``) so the second
desk waits and then sees who has it; on SQLite every write transaction begins IMMEDIATE, which
serialises them the same way; and the version column refuses any write based on a stale read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from physioline.clock import to_london
from physioline.core.contact import (
    AttemptResult,
    ContactDecision,
    ContactOutcome,
    unable_to_contact_decision,
)
from physioline.core.contact import CallAttempt as AttemptSpec
from physioline.core.referral import LetterStatus, ReferralStatus, Role
from physioline.db.models import CallAttempt, Letter, Patient, Referral, User
from physioline.db.uow import UnitOfWork
from physioline.errors import AlreadyClaimed, Conflict, InvalidInput, NotFound, NotPermitted
from physioline.services import service_rules
from physioline.services.desk import CALLERS, Desk

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClaimResult:
    """A referral now claimed by the signed-in clinician."""

    referral_id: int
    version: int


@dataclass(frozen=True)
class AttemptRecorded:
    """What recording a call attempt did to the referral."""

    referral_id: int
    result: AttemptResult
    status: ReferralStatus
    decision: ContactDecision | None
    letter_queued: bool

    @property
    def message(self) -> str:
        """One line for the status bar."""
        if self.status == ReferralStatus.UNABLE_TO_CONTACT:
            letter = " An unable-to-contact letter is in the print queue." if self.letter_queued \
                else " The patient has no postal address: the letter is held."  # fmt: skip
            return "Unable to contact: the referral has left the open worklist." + letter
        if self.result == AttemptResult.ANSWERED:
            return "Answered: the call is yours; open the assessment (Ctrl+O)."
        if self.result == AttemptResult.DECLINED:
            return "The patient declined: the referral is closed and goes back to the GP."
        summary = self.decision.summary if self.decision else ""
        return f"{self.result.value.replace('_', ' ').capitalize()} recorded. {summary}".strip()


def _load_for_update(uow: UnitOfWork, referral_id: int) -> Referral:
    referral = uow.session.scalar(
        sa.select(Referral).where(Referral.id == referral_id).with_for_update()
    )
    if referral is None:
        raise NotFound(f"There is no referral {referral_id}.", "Refresh the worklist.")
    return referral


def _claimed_message(uow: UnitOfWork, referral: Referral) -> AlreadyClaimed:
    name = uow.session.scalar(sa.select(User.display_name).where(User.id == referral.claimed_by_id))
    since = f" since {to_london(referral.claimed_at):%H:%M}" if referral.claimed_at else ""
    return AlreadyClaimed(
        f"{name or 'A colleague'} is on a call with this patient{since}.",
        "Pick another referral. A team lead can release the claim if it is stale.",
    )


def _touch(uow: UnitOfWork, referral: Referral) -> None:
    referral.updated_at = uow.now()
    uow.changed_referrals.add(referral.id)


def claim_referral(desk: Desk, referral_id: int) -> ClaimResult:
    """Claim a referral to call the patient: status "in call", by you, from now.

    Claiming your own claim again is harmless. An unassigned referral becomes yours.

    Raises:
        AlreadyClaimed: a colleague is on a call with this patient (names who and since when).
        Conflict: the referral is no longer open (triaged, unable to contact, cancelled).
        NotPermitted: your role does not make calls.
    """
    actor = desk.require(*CALLERS, action="claim a referral for a call")
    with desk.uow() as uow:
        referral = _load_for_update(uow, referral_id)
        if referral.claimed_by_id == actor.user_id:
            return ClaimResult(referral.id, referral.version)
        if referral.claimed_by_id is not None:
            raise _claimed_message(uow, referral)
        if not referral.status.is_open:
            raise Conflict(
                f"This referral is {referral.status.value.replace('_', ' ')}; it is not waiting "
                "for a call.",
                "Refresh the worklist.",
            )
        referral.status = ReferralStatus.IN_CALL
        referral.claimed_by_id = actor.user_id
        referral.claimed_at = uow.now()
        if referral.assigned_to_id is None:
            referral.assigned_to_id = actor.user_id
        _touch(uow, referral)
        uow.audit("referral.claim", "referral", referral.id, patient_id=referral.patient_id)
        uow.commit()
        log.info("referral %s claimed by user %s", referral.id, actor.user_id)
        return ClaimResult(referral.id, referral.version)


def release_claim(desk: Desk, referral_id: int, *, reason: str = "") -> None:
    """End a claim without a call outcome: back to "awaiting call".

    Your own claim anyone may release; a colleague's (a stale claim) only a team lead.

    Raises:
        NotPermitted: the claim is a colleague's and you are not a team lead.
    """
    actor = desk.require(*CALLERS, action="release a claim")
    with desk.uow() as uow:
        referral = _load_for_update(uow, referral_id)
        if referral.claimed_by_id is None:
            return
        if referral.claimed_by_id != actor.user_id and actor.role != Role.TEAM_LEAD:
            raise NotPermitted(
                "Only a team lead can release a colleague's claim.",
                "Ask your team lead, or ask your colleague to release it.",
            )
        previous = referral.claimed_by_id
        referral.claimed_by_id = None
        referral.claimed_at = None
        if referral.status == ReferralStatus.IN_CALL:
            referral.status = ReferralStatus.AWAITING_CALL
        _touch(uow, referral)
        uow.audit("referral.release_claim", "referral", referral.id,
                  patient_id=referral.patient_id,
                  details={"claimed_by": previous, "reason": reason})  # fmt: skip
        uow.commit()


def record_call_attempt(
    desk: Desk, referral_id: int, result: AttemptResult | str, note: str = ""
) -> AttemptRecorded:
    """Record one call to the patient and move the referral on as the result requires.

    * answered: the call is yours (claimed, in call) and the assessment follows;
    * no answer / voicemail / wrong number: the claim is released, unless the service's
      unable-to-contact rule is now met, which closes the referral and queues the letter (held,
      with the reason, when the patient has no postal address);
    * declined: the patient was reached and declined; the referral is closed.

    Raises:
        AlreadyClaimed: a colleague is on a call with this patient.
        Conflict: the referral is no longer open.
        InvalidInput: an unknown result.
    """
    actor = desk.require(*CALLERS, action="record a call attempt")
    try:
        result = AttemptResult(result)
    except ValueError:
        raise InvalidInput(f"'{result}' is not a call result.",
                           "Use answered, no_answer, voicemail_left, wrong_number or declined.") \
            from None  # fmt: skip
    with desk.uow() as uow:
        session = uow.session
        referral = _load_for_update(uow, referral_id)
        if referral.claimed_by_id not in (None, actor.user_id):
            raise _claimed_message(uow, referral)
        if not referral.status.is_open:
            raise Conflict(
                f"This referral is {referral.status.value.replace('_', ' ')}; no call is due.",
                "Refresh the worklist.",
            )
        now = uow.now()
        session.add(CallAttempt(referral_id=referral.id, made_at=now, made_by_id=actor.user_id,
                                result=result.value, note=note.strip()))  # fmt: skip
        session.flush()
        attempts = [
            AttemptSpec(at, AttemptResult(res))
            for at, res in session.execute(
                sa.select(CallAttempt.made_at, CallAttempt.result).where(
                    CallAttempt.referral_id == referral.id
                )
            )
        ]
        decision: ContactDecision | None = None
        letter_queued = False
        if result == AttemptResult.ANSWERED:
            referral.status = ReferralStatus.IN_CALL
            referral.claimed_by_id = actor.user_id
            referral.claimed_at = referral.claimed_at or now
        elif result == AttemptResult.DECLINED:
            _close(referral, ReferralStatus.CANCELLED, now)
        else:
            decision = unable_to_contact_decision(
                attempts, policy=service_rules.contact_policy(session)
            )
            if decision.outcome == ContactOutcome.UNABLE_TO_CONTACT:
                _close(referral, ReferralStatus.UNABLE_TO_CONTACT, now)
                letter_queued = _queue_unable_to_contact_letter(uow, referral)
            else:
                referral.status = ReferralStatus.AWAITING_CALL
                referral.claimed_by_id = None
                referral.claimed_at = None
        _touch(uow, referral)
        uow.audit("call_attempt.record", "referral", referral.id, patient_id=referral.patient_id,
                  details={"result": result.value, "status": referral.status.value,
                           "attempts": len(attempts)})  # fmt: skip
        uow.commit()
        return AttemptRecorded(referral.id, result, referral.status, decision, letter_queued)


def _close(referral: Referral, status: ReferralStatus, now: datetime) -> None:
    referral.status = status
    referral.claimed_by_id = None
    referral.claimed_at = None
    referral.closed_at = now


def _queue_unable_to_contact_letter(uow: UnitOfWork, referral: Referral) -> bool:
    """Queue the unable-to-contact letter; hold it when there is no postal address."""
    patient = uow.session.get(Patient, referral.patient_id)
    if patient is None:  # pragma: no cover - foreign key
        raise NotFound("The referral's patient record is missing.")
    has_address = bool(patient.address.strip()) and bool(patient.postcode)
    if uow.actor is None:  # pragma: no cover - services always act for someone
        raise NotPermitted("Sign in to queue letters.")
    uow.session.add(Letter(
        kind="unable_to_contact", patient_id=patient.id, referral_id=referral.id,
        created_by_id=uow.actor.user_id, created_at=uow.now(),
        status=LetterStatus.QUEUED if has_address else LetterStatus.HELD,
        held_reason=None if has_address else "No postal address on the patient's record.",
        large_print=patient.large_print,
    ))  # fmt: skip
    return has_address
