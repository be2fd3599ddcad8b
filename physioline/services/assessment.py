"""Assessment: the record of a triage call, from the first question to a signed, immutable decision.

One transaction and one audit row per action, as every service:

* :func:`start_assessment` claims the referral if nobody has it, and starts the call on the
  region's protocol file (checked first: a broken file starts nothing) or resumes the draft;
  the file's exact bytes are kept in ``protocol_version`` under their SHA-256 and the
  assessment is pinned to that hash (hazard H3);
* :func:`save_draft` stores the answers and the engine's snapshot after every change, refusing a
  stale screen (hazard H5);
* :func:`sign_off` refuses an incomplete red-flag screen (spec 8.5) and a less severe choice
  without a written reason (spec 10), then moves the referral on and queues the letters;
* :func:`add_addendum` is the only change to a signed assessment.

Every reopened assessment (draft or signed) is evaluated against its stored protocol bytes,
never the file on disk, so an edited or removed file cannot change what a call recorded.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from physioline.clock import to_london
from physioline.core.answers import validate_answers
from physioline.core.conditions import AnswerValue
from physioline.core.due import london_date
from physioline.core.protocol import (
    PROTOCOL_SUFFIX,
    ProtocolCheckFailed,
    TriageProtocol,
    check_paths,
    load_protocol_bytes,
)
from physioline.core.referral import AssessmentState, LetterStatus, ReferralStatus
from physioline.core.triage import TriageResult, evaluate
from physioline.core.vocabulary import PROTOCOL_IDS, Destination, Disposition
from physioline.db.models import (
    Assessment,
    AssessmentAddendum,
    GPPractice,
    Letter,
    Patient,
    PatientPhone,
    ProtocolVersion,
    Referral,
    User,
)
from physioline.db.uow import Actor, UnitOfWork
from physioline.errors import (
    AlreadyClaimed,
    Conflict,
    InvalidInput,
    NotFound,
    PhysioLineError,
    ProtocolFileError,
    StaleRecord,
)
from physioline.paths import protocols_dir
from physioline.services.desk import CALLERS, CLINICAL_VIEWERS, Desk
from physioline.services.queries import age_on

log = logging.getLogger(__name__)

#: How each disposition is said on screen (spec 2.4 ids, in the clinic's words).
DISPOSITION_LABELS: Final[dict[Disposition, str]] = {
    Disposition.EMERGENCY: "Emergency: attend today",
    Disposition.URGENT_REFERRAL: "Urgent referral to another service",
    Disposition.URGENT_F2F: "Urgent face-to-face physio (within 5 working days)",
    Disposition.ONWARD_REFERRAL: "Routine referral to another service",
    Disposition.ROUTINE_F2F: "Routine face-to-face physio (within 3 weeks)",
    Disposition.SELF_MANAGEMENT: "Advice and self-management (letter)",
}

#: How each destination is said on screen (spec 2.5 ids).
DESTINATION_LABELS: Final[dict[Destination, str]] = {
    Destination.EMERGENCY_DEPARTMENT: "A&E now (999 if unable to travel safely)",
    Destination.VASCULAR_SAME_DAY: "Same-day DVT service (scan within 4 h)",
    Destination.URGENT_TREATMENT_CENTRE: "Urgent treatment centre: X-ray today",
    Destination.SPINAL_SURGERY_URGENT: "Urgent spinal surgical opinion",
    Destination.SUSPECTED_CANCER_PATHWAY: "Suspected-cancer pathway (GP same day / MSCC)",
    Destination.ORTHOPAEDICS_URGENT: "Urgent orthopaedic clinic (within 2 weeks)",
    Destination.RHEUMATOLOGY: "Rheumatology",
    Destination.GP_URGENT: "GP same or next working day",
    Destination.ORTHOPAEDICS: "Routine orthopaedics / hand surgery",
}

#: Where the referral goes when the call is signed off with each disposition. Face-to-face
#: dispositions stay "triaged" until the booking marks them booked. Emergency care is "triaged"
#: too (scenario 3): the patient is told to attend A&E or call 999 themselves, the service makes
#: no referral, and the destination and the GP letter record where they were sent. A referral
#: the service makes to another service (urgent or routine) leaves physiotherapy as "referred
#: on", its destination on the assessment; self-management is discharged with the advice letter.
REFERRAL_STATUS_AFTER_SIGN_OFF: Final[dict[Disposition, ReferralStatus]] = {
    Disposition.EMERGENCY: ReferralStatus.TRIAGED,
    Disposition.URGENT_REFERRAL: ReferralStatus.REFERRED_ON,
    Disposition.URGENT_F2F: ReferralStatus.TRIAGED,
    Disposition.ONWARD_REFERRAL: ReferralStatus.REFERRED_ON,
    Disposition.ROUTINE_F2F: ReferralStatus.TRIAGED,
    Disposition.SELF_MANAGEMENT: ReferralStatus.DISCHARGED_WITH_ADVICE,
}

#: Face-to-face physiotherapy: booked after sign-off; the only dispositions that keep a pathway.
FACE_TO_FACE: Final = frozenset({Disposition.URGENT_F2F, Disposition.ROUTINE_F2F})

#: Letters queued at sign-off: the patient's advice letter (what was agreed, what happens next,
#: safety-netting) and the GP letter (red flags screened and found, scores, decision, override).
LETTERS_AT_SIGN_OFF: Final = ("advice", "gp")

NO_POSTAL_ADDRESS: Final = "No postal address on the patient's record."
NO_GP_PRACTICE: Final = "No GP practice on the patient's record or the referral."


class SignOffRefused(InvalidInput):
    """Sign-off is not allowed yet; the message says what is missing.

    ``unanswered`` names the visible red-flag screening items still unanswered, if that is why.
    """

    def __init__(self, message: str, hint: str = "", unanswered: tuple[str, ...] = ()) -> None:
        super().__init__(message, hint)
        self.unanswered = unanswered


class AssessmentSigned(Conflict):
    """The assessment is signed off: it cannot change; corrections are addenda."""


# --------------------------------------------------------------------------------------------
# Protocols: one load per distinct file content (a load and check takes about 35 ms)


class _ProtocolsByHash:
    """Loaded protocols keyed by the SHA-256 of their bytes; safe across worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_sha: dict[str, TriageProtocol] = {}

    def get(self, sha256: str) -> TriageProtocol | None:
        with self._lock:
            return self._by_sha.get(sha256)

    def keep(self, protocol: TriageProtocol) -> None:
        with self._lock:
            self._by_sha.setdefault(protocol.sha256, protocol)

    def load(self, data: bytes, source_name: str) -> TriageProtocol:
        """The protocol these bytes hold, loaded and checked once per content.

        Raises:
            ProtocolCheckFailed: the bytes fail the protocol checker.
        """
        found = self.get(hashlib.sha256(data).hexdigest())
        if found is not None:
            return found
        protocol = load_protocol_bytes(data, source_name)
        self.keep(protocol)
        return protocol


_PROTOCOLS = _ProtocolsByHash()


def region_label(protocol_id: str) -> str:
    """A protocol id as said in a sentence: ``wrist_hand`` → "wrist and hand"."""
    return protocol_id.replace("_", " and ")


def protocol_for_new_call(protocol_id: str) -> TriageProtocol:
    """The region's protocol file as it is on disk now, checked, for a call about to start.

    Raises:
        ProtocolFileError: the body region has no protocol, or its file is missing, unreadable
            or fails the checker. Nothing is started; the message says what to do.
    """
    hint = (
        "Ask IT or the clinical safety officer to fix the file (`physioline protocols check` "
        "lists every problem); meanwhile ask your team lead how to triage this patient."
    )
    if protocol_id not in PROTOCOL_IDS:
        raise ProtocolFileError(
            f"This referral's body region {protocol_id!r} has no triage protocol, so no call was "
            "started.",
            "Ask your team lead to correct the referral's body region.",
        )
    path = protocols_dir() / f"{protocol_id}{PROTOCOL_SUFFIX}"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProtocolFileError(
            f"The {region_label(protocol_id)} protocol file cannot be read ({path}: "
            f"{exc.strerror or exc}), so no call was started.",
            hint,
        ) from exc
    try:
        protocol = _PROTOCOLS.load(data, str(path))
    except ProtocolCheckFailed as exc:
        raise ProtocolFileError(
            f"The {region_label(protocol_id)} protocol fails the protocol check, so no call was "
            f"started: {exc.problems[0]}",
            hint,
        ) from exc
    if protocol.id != protocol_id:
        raise ProtocolFileError(
            f"The file {path} holds protocol {protocol.id!r}, not {protocol_id!r}, so no call "
            "was started.",
            hint,
        )
    return protocol


def check_protocols_at_start() -> tuple[str, ...]:
    """Check every shipped protocol file as a set, at app start, before any call.

    The protocols that pass are kept loaded, so the first call starts without the load.

    Returns:
        Every problem as ``file:line: what is wrong`` (empty when all nine are sound).
    """
    try:
        report = check_paths([])
    except PhysioLineError as exc:  # the protocols folder itself is missing
        return (str(exc),)
    for protocol in report.protocols:
        _PROTOCOLS.keep(protocol)
    return tuple(str(problem) for problem in report.problems)


def _stored_protocol(uow: UnitOfWork, sha256: str) -> TriageProtocol:
    """The protocol an assessment was made with, from its stored bytes (never the disk)."""
    cached = _PROTOCOLS.get(sha256)
    if cached is not None:
        return cached
    content = uow.session.scalar(
        sa.select(ProtocolVersion.content).where(ProtocolVersion.sha256 == sha256)
    )
    if content is None:  # pragma: no cover - foreign key
        raise NotFound(f"The protocol version {sha256[:12]} of this assessment is missing.")
    data = bytes(content)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise PhysioLineError(
            f"The stored protocol {sha256[:12]} of this assessment does not match its hash.",
            "The database may be damaged: tell IT before relying on this record.",
        )
    try:
        return _PROTOCOLS.load(data, f"database:protocol_version/{sha256[:12]}")
    except ProtocolCheckFailed as exc:
        raise ProtocolFileError(
            f"The protocol this assessment was made with no longer passes the checker: "
            f"{exc.problems[0]}",
            "Tell IT or the clinical safety officer; the stored answers are unchanged.",
        ) from exc


def _keep_protocol_bytes(uow: UnitOfWork, protocol: TriageProtocol) -> None:
    """Store the protocol file's exact bytes under their hash, once (two desks may race)."""
    values = {
        "sha256": protocol.sha256,
        "protocol_id": protocol.id,
        "version": protocol.version,
        "content": protocol.file_bytes,
        "first_used_at": uow.now(),
    }
    statement = (
        postgresql.insert(ProtocolVersion).values(values).on_conflict_do_nothing()
        if uow.db.dialect == "postgresql"
        else sqlite.insert(ProtocolVersion).values(values).on_conflict_do_nothing()
    )
    uow.session.execute(statement)


# --------------------------------------------------------------------------------------------
# What screens get back


@dataclass(frozen=True)
class PatientOnCall:
    """Who is on the telephone: what the form's header shows to confirm identity (H4)."""

    patient_id: int
    name: str
    nhs_number: str
    date_of_birth: date
    age_on_record: int
    address_first_line: str
    postcode: str | None
    has_postal_address: bool
    gp_practice: str | None
    interpreter_language: str | None
    preferred_phone: str | None


@dataclass(frozen=True)
class Addendum:
    """A correction or addition to a signed assessment."""

    author: str
    written_at: datetime
    text: str


@dataclass(frozen=True)
class AssessmentRecord:
    """One assessment as a screen shows it: the protocol it is pinned to and its answers."""

    assessment_id: int
    referral_id: int
    version: int
    state: AssessmentState
    protocol: TriageProtocol
    answers: Mapping[str, AnswerValue]
    notes: str
    clinician: str
    started_at: datetime
    updated_at: datetime
    signed_at: datetime | None
    red_flags: tuple[str, ...]
    recommended_disposition: Disposition | None
    chosen_disposition: Disposition | None
    destination: Destination | None
    pathway: str | None
    downgrade_reason: str | None
    patient: PatientOnCall
    addenda: tuple[Addendum, ...]
    #: True when the call carries on from a saved draft.
    resumed: bool

    @property
    def signed(self) -> bool:
        """Signed off: read-only, corrected by addenda."""
        return self.state is AssessmentState.SIGNED

    def evaluate(self, answers: Mapping[str, object]) -> TriageResult:
        """The engine's result for ``answers`` under this assessment's own protocol.

        Raises:
            AnswersError: an answer fails validation (the item is named).
        """
        return evaluate(self.protocol, validate_answers(self.protocol, answers))


@dataclass(frozen=True)
class DraftSaved:
    """A draft save: the new version to send with the next change."""

    assessment_id: int
    version: int
    saved_at: datetime


@dataclass(frozen=True)
class SignOffDecision:
    """What the clinician decided at the end of the call."""

    chosen: Disposition | str
    #: Where the patient is sent, when the chosen disposition leaves physiotherapy. Defaults to
    #: the recommended destination when the recommended disposition is chosen.
    destination: Destination | str | None = None
    #: Required (non-blank) when ``chosen`` is less severe than recommended (spec 10).
    reason: str = ""
    #: The plan, in the clinician's words (printed on the letters).
    notes: str = ""
    #: The clinician confirmed name, date of birth and first line of address on the call.
    identity_confirmed: bool = False


@dataclass(frozen=True)
class QueuedLetter:
    """A letter row created at sign-off, for the print queue."""

    letter_id: int
    kind: str
    status: LetterStatus
    held_reason: str | None


@dataclass(frozen=True)
class SignedOff:
    """What signing off did: the decision, the referral's new status and the letters."""

    assessment_id: int
    referral_id: int
    signed_at: datetime
    recommended: Disposition
    chosen: Disposition
    destination: Destination | None
    downgraded: bool
    referral_status: ReferralStatus
    letters: tuple[QueuedLetter, ...]

    @property
    def books_face_to_face(self) -> bool:
        """The next step is booking a face-to-face appointment (the booking panel)."""
        return self.chosen in FACE_TO_FACE

    @property
    def next_step(self) -> str:
        """What happens next, in one or two plain sentences for the physio."""
        where = DESTINATION_LABELS[self.destination] if self.destination else ""
        steps = {
            Disposition.EMERGENCY: f"Emergency care today: {where}. The referral is closed as "
            "referred on.",
            Disposition.URGENT_REFERRAL: f"Urgent referral to {where} recorded; send it today. "
            "The referral is closed as referred on.",
            Disposition.ONWARD_REFERRAL: f"Routine referral to {where} recorded. The referral "
            "is closed as referred on.",
            Disposition.URGENT_F2F: "Book an urgent face-to-face appointment (within 5 working "
            "days) now: Ctrl+B.",
            Disposition.ROUTINE_F2F: "Book a routine face-to-face appointment (within 3 weeks) "
            "now: Ctrl+B.",
            Disposition.SELF_MANAGEMENT: "Discharged with advice: the advice letter confirms it.",
        }
        letters = []
        for letter in self.letters:
            name = "advice letter" if letter.kind == "advice" else f"{letter.kind.upper()} letter"
            letters.append(
                f"{name} queued" if letter.status is LetterStatus.QUEUED
                else f"{name} HELD ({letter.held_reason})"
            )  # fmt: skip
        return f"{steps[self.chosen]} Letters: {'; '.join(letters)}."


# --------------------------------------------------------------------------------------------
# Loading


def _referral_for_update(uow: UnitOfWork, referral_id: int) -> Referral:
    referral = uow.session.scalar(
        sa.select(Referral).where(Referral.id == referral_id).with_for_update()
    )
    if referral is None:
        raise NotFound(f"There is no referral {referral_id}.", "Refresh the worklist.")
    return referral


def _claimed_by_colleague(uow: UnitOfWork, referral: Referral) -> AlreadyClaimed:
    name = uow.session.scalar(sa.select(User.display_name).where(User.id == referral.claimed_by_id))
    since = f" since {to_london(referral.claimed_at):%H:%M}" if referral.claimed_at else ""
    return AlreadyClaimed(
        f"{name or 'A colleague'} is on a call with this patient{since}.",
        "Pick another referral. A team lead can release the claim if it is stale.",
    )


def _patient_on_call(uow: UnitOfWork, referral: Referral) -> PatientOnCall:
    patient = uow.session.get(Patient, referral.patient_id)
    if patient is None:  # pragma: no cover - foreign key
        raise NotFound("The referral's patient record is missing.")
    practice_id = patient.gp_practice_id or referral.gp_practice_id
    practice = (
        uow.session.scalar(sa.select(GPPractice.name).where(GPPractice.id == practice_id))
        if practice_id is not None
        else None
    )
    phone = uow.session.scalar(
        sa.select(PatientPhone.number)
        .where(PatientPhone.patient_id == patient.id)
        .order_by(PatientPhone.preferred.desc(), PatientPhone.position)
        .limit(1)
    )
    lines = [line.strip() for line in patient.address.splitlines() if line.strip()]
    name = " ".join(p for p in (patient.title, patient.given_name, patient.family_name) if p)
    return PatientOnCall(
        patient_id=patient.id,
        name=name,
        nhs_number=patient.nhs_number,
        date_of_birth=patient.date_of_birth,
        age_on_record=age_on(patient.date_of_birth, london_date(uow.now())),
        address_first_line=lines[0] if lines else "",
        postcode=patient.postcode,
        has_postal_address=_has_postal_address(patient),
        gp_practice=practice,
        interpreter_language=patient.interpreter_language,
        preferred_phone=phone,
    )


def _has_postal_address(patient: Patient) -> bool:
    return bool(patient.address.strip()) and bool((patient.postcode or "").strip())


def _record(
    uow: UnitOfWork,
    assessment: Assessment,
    referral: Referral,
    protocol: TriageProtocol,
    *,
    resumed: bool,
) -> AssessmentRecord:
    clinician = uow.session.scalar(
        sa.select(User.display_name).where(User.id == assessment.clinician_id)
    )
    addenda = uow.session.execute(
        sa.select(User.display_name, AssessmentAddendum.written_at, AssessmentAddendum.text)
        .join(User, User.id == AssessmentAddendum.author_id)
        .where(AssessmentAddendum.assessment_id == assessment.id)
        .order_by(AssessmentAddendum.written_at, AssessmentAddendum.id)
    ).all()
    # Answers are re-validated against the stored protocol on every load (hazard H5, C5.1).
    answers = validate_answers(protocol, assessment.answers).as_json()
    return AssessmentRecord(
        assessment_id=assessment.id,
        referral_id=referral.id,
        version=assessment.version,
        state=assessment.state,
        protocol=protocol,
        answers=answers,
        notes=assessment.notes,
        clinician=clinician or "",
        started_at=assessment.started_at,
        updated_at=assessment.updated_at,
        signed_at=assessment.signed_at,
        red_flags=tuple(assessment.red_flags),
        recommended_disposition=_disposition_or_none(assessment.recommended_disposition),
        chosen_disposition=_disposition_or_none(assessment.chosen_disposition),
        destination=None if assessment.destination is None else Destination(assessment.destination),
        pathway=assessment.pathway,
        downgrade_reason=assessment.downgrade_reason,
        patient=_patient_on_call(uow, referral),
        addenda=tuple(Addendum(a, w, t) for a, w, t in addenda),
        resumed=resumed,
    )


def _disposition_or_none(value: str | None) -> Disposition | None:
    return None if value is None else Disposition(value)


def _latest_assessment(uow: UnitOfWork, referral_id: int) -> Assessment | None:
    return uow.session.scalar(
        sa.select(Assessment)
        .where(Assessment.referral_id == referral_id)
        .order_by(Assessment.id.desc())
        .limit(1)
        .with_for_update()
    )


def _store_snapshot(
    assessment: Assessment, answers: Mapping[str, AnswerValue], result: TriageResult
) -> None:
    """The answers and what the engine made of them, as the form showed it."""
    assessment.answers = dict(answers)
    assessment.red_flags = list(result.red_flags)
    assessment.scores = result.scores_json()
    assessment.recommended_disposition = result.disposition.value
    assessment.destination = None if result.destination is None else result.destination.value
    assessment.pathway = None if result.pathway is None else result.pathway.value


# --------------------------------------------------------------------------------------------
# Actions


def start_assessment(desk: Desk, referral_id: int) -> AssessmentRecord:
    """Start (or resume) the triage call of a referral, claiming it if nobody has it.

    * a draft is resumed against its stored protocol bytes;
    * otherwise the region's protocol file is read and checked *before* anything is written:
      a broken or missing file starts nothing and claims nothing;
    * a signed assessment opens read-only (for addenda);
    * the protocol's bytes are kept under their SHA-256 and the assessment pinned to them.

    Raises:
        NotPermitted: your role does not make calls.
        AlreadyClaimed: a colleague is on a call with this patient (names who, since when).
        Conflict: the referral is closed without an assessment (unable to contact, cancelled).
        ProtocolFileError: the region's protocol cannot be used; nothing was started.
        NotFound: no such referral.
    """
    actor = desk.require(*CALLERS, action="assess a patient")
    with desk.uow() as uow:
        referral = _referral_for_update(uow, referral_id)
        existing = _latest_assessment(uow, referral.id)
        if existing is not None and existing.state is AssessmentState.SIGNED:
            protocol = _stored_protocol(uow, existing.protocol_sha256)
            uow.audit("assessment.open", "assessment", existing.id,
                      patient_id=referral.patient_id)  # fmt: skip
            record = _record(uow, existing, referral, protocol, resumed=True)
            uow.commit()
            return record
        if referral.claimed_by_id not in (None, actor.user_id):
            raise _claimed_by_colleague(uow, referral)
        if not referral.status.is_open:
            raise Conflict(
                f"This referral is {referral.status.value.replace('_', ' ')} and has no "
                "assessment; there is no call to make.",
                "Refresh the worklist.",
            )
        now = uow.now()
        details: dict[str, object] = {}
        if existing is not None:
            protocol = _stored_protocol(uow, existing.protocol_sha256)
            assessment = existing
            if assessment.clinician_id != actor.user_id:
                # A colleague's draft whose claim a team lead released: the call is now yours.
                details["previous_clinician_id"] = assessment.clinician_id
                assessment.clinician_id = actor.user_id
                assessment.updated_at = now
            action = "assessment.resume"
        else:
            protocol = protocol_for_new_call(referral.body_region)  # raises before any write
            _keep_protocol_bytes(uow, protocol)
            empty = evaluate(protocol, validate_answers(protocol, {}))
            assessment = Assessment(
                referral_id=referral.id,
                clinician_id=actor.user_id,
                protocol_id=protocol.id,
                protocol_version=protocol.version,
                protocol_sha256=protocol.sha256,
                state=AssessmentState.DRAFT,
                started_at=now,
                updated_at=now,
                signed_at=None,
                notes="",
            )
            _store_snapshot(assessment, {}, empty)
            uow.session.add(assessment)
            action = "assessment.start"
        if referral.claimed_by_id is None:
            referral.status = ReferralStatus.IN_CALL
            referral.claimed_by_id = actor.user_id
            referral.claimed_at = now
            if referral.assigned_to_id is None:
                referral.assigned_to_id = actor.user_id
            referral.updated_at = now
            uow.changed_referrals.add(referral.id)
            uow.audit("referral.claim", "referral", referral.id, patient_id=referral.patient_id)
        uow.session.flush()
        details.update(protocol=protocol.id, version=protocol.version, sha256=protocol.sha256,
                       referral_id=referral.id)  # fmt: skip
        uow.audit(action, "assessment", assessment.id, patient_id=referral.patient_id,
                  details=details)  # fmt: skip
        record = _record(uow, assessment, referral, protocol, resumed=existing is not None)
        uow.commit()
        log.info("%s: assessment %s of referral %s on %s %s by user %s", action, assessment.id,
                 referral.id, protocol.id, protocol.sha256[:12], actor.user_id)  # fmt: skip
        return record


def open_assessment(desk: Desk, assessment_id: int) -> AssessmentRecord:
    """An assessment to read, against its stored protocol bytes; the opening is audited.

    Raises:
        NotPermitted: your role does not see clinical records.
        NotFound: no such assessment.
    """
    desk.require(*CLINICAL_VIEWERS, action="see assessments")
    with desk.uow() as uow:
        assessment = uow.session.get(Assessment, assessment_id)
        if assessment is None:
            raise NotFound(f"There is no assessment {assessment_id}.")
        referral = uow.session.get(Referral, assessment.referral_id)
        if referral is None:  # pragma: no cover - foreign key
            raise NotFound("The assessment's referral is missing.")
        protocol = _stored_protocol(uow, assessment.protocol_sha256)
        uow.audit("assessment.open", "assessment", assessment.id, patient_id=referral.patient_id)
        record = _record(uow, assessment, referral, protocol, resumed=True)
        uow.commit()
        return record


def _for_change(
    uow: UnitOfWork, assessment_id: int, seen_version: int, actor: Actor
) -> tuple[Assessment, Referral]:
    """The draft and its referral, locked, if the caller may still change them."""
    assessment = uow.session.scalar(
        sa.select(Assessment).where(Assessment.id == assessment_id).with_for_update()
    )
    if assessment is None:
        raise NotFound(f"There is no assessment {assessment_id}.")
    referral = _referral_for_update(uow, assessment.referral_id)
    if assessment.state is AssessmentState.SIGNED:
        signed = to_london(assessment.signed_at) if assessment.signed_at else None
        when = f" on {signed:%d %b at %H:%M}" if signed else ""
        raise AssessmentSigned(
            f"This assessment was signed off{when} and cannot be changed.",
            "Add an addendum to correct or add to it.",
        )
    if referral.claimed_by_id != actor.user_id:
        if referral.claimed_by_id is not None:
            raise _claimed_by_colleague(uow, referral)
        raise Conflict(
            "Your claim on this referral was released, so this call is no longer yours; nothing "
            "of this change was saved.",
            "Open the referral again (Ctrl+O) to claim it and carry on from the saved draft.",
        )
    if assessment.version != seen_version:
        raise StaleRecord(
            "This assessment was changed on another desk since this screen read it; this "
            "change was not saved.",
            "Close the form and open the referral again (Ctrl+O) to see the saved answers.",
        )
    return assessment, referral


def save_draft(
    desk: Desk, assessment_id: int, seen_version: int, answers: Mapping[str, object]
) -> DraftSaved:
    """Save the answers of a call in progress, with the engine's snapshot of them.

    Raises:
        AnswersError: an answer fails validation (the item is named); nothing saved.
        StaleRecord: the draft changed since ``seen_version`` (another desk); nothing saved.
        AssessmentSigned: the assessment is signed off.
        AlreadyClaimed, Conflict: the call is no longer yours.
    """
    actor = desk.require(*CALLERS, action="record an assessment")
    with desk.uow() as uow:
        assessment, referral = _for_change(uow, assessment_id, seen_version, actor)
        protocol = _stored_protocol(uow, assessment.protocol_sha256)
        validated = validate_answers(protocol, answers)
        result = evaluate(protocol, validated)
        _store_snapshot(assessment, validated.as_json(), result)
        assessment.updated_at = uow.now()
        uow.audit("assessment.save_draft", "assessment", assessment.id,
                  patient_id=referral.patient_id,
                  details={"answered": len(validated), "red_flags": list(result.red_flags),
                           "recommended": result.disposition.value,
                           "complete": result.complete})  # fmt: skip
        uow.commit()
        return DraftSaved(assessment.id, assessment.version, assessment.updated_at)


def _parse_disposition(value: Disposition | str) -> Disposition:
    try:
        return Disposition(value)
    except ValueError:
        raise InvalidInput(
            f"'{value}' is not a disposition.",
            "Choose one of: " + ", ".join(d.value for d in Disposition) + ".",
        ) from None


def _parse_destination(value: Destination | str | None) -> Destination | None:
    if value is None or value == "":
        return None
    try:
        return Destination(value)
    except ValueError:
        raise InvalidInput(
            f"'{value}' is not a destination.",
            "Choose one of: " + ", ".join(d.value for d in Destination) + ".",
        ) from None


def _decided_destination(
    chosen: Disposition, asked: Destination | None, result: TriageResult
) -> Destination | None:
    if chosen.stays_in_physiotherapy:
        if asked is not None:
            raise SignOffRefused(
                f"{DISPOSITION_LABELS[chosen]} stays within physiotherapy, so it has no "
                "destination.",
                "Clear the destination, or choose a referral disposition.",
            )
        return None
    destination = asked
    if destination is None and chosen is result.disposition:
        destination = result.destination
    if destination is None:
        raise SignOffRefused(
            f"{DISPOSITION_LABELS[chosen]}: say where the patient is being sent.",
            "Choose a destination, then sign off again.",
        )
    return destination


def check_age(answers: Mapping[str, object], patient: PatientOnCall) -> str | None:
    """A warning when the age the patient gave differs from the date of birth on record (C4.5).

    A mismatch can mean the wrong patient is on the call (hazard H4).
    """
    given = answers.get("general.age")
    if not isinstance(given, int) or isinstance(given, bool) or given == patient.age_on_record:
        return None
    return (
        f"Age given on the call is {given}, but the record says {patient.age_on_record} (born "
        f"{patient.date_of_birth:%d %b %Y}): check you are speaking to the right patient."
    )


def sign_off(
    desk: Desk,
    assessment_id: int,
    seen_version: int,
    answers: Mapping[str, object],
    decision: SignOffDecision,
) -> SignedOff:
    """Sign off the call: the decision is recorded and the assessment becomes immutable.

    The recommendation is recomputed here from ``answers`` and the stored protocol, never taken
    from the screen. Guarantees (spec 8.5, 10): refused while any visible red-flag screening
    item is unanswered; a less severe disposition than recommended needs a non-blank reason,
    stored with the recommended and chosen dispositions, who (the clinician) and when
    (``signed_at``) and audited; the triggered red flags stay on the record whatever is chosen.
    The referral moves on (see :data:`REFERRAL_STATUS_AFTER_SIGN_OFF`), its claim released,
    and the advice and GP letters are queued (held, with the reason, when they cannot be
    posted).

    Raises:
        SignOffRefused: incomplete screen (``unanswered`` names the items), a downgrade without
            a reason, identity not confirmed, or a destination missing or not allowed.
        AnswersError: an answer fails validation.
        StaleRecord, AssessmentSigned, AlreadyClaimed, Conflict: as :func:`save_draft`.
    """
    actor = desk.require(*CALLERS, action="sign off an assessment")
    chosen = _parse_disposition(decision.chosen)
    asked_destination = _parse_destination(decision.destination)
    with desk.uow() as uow:
        assessment, referral = _for_change(uow, assessment_id, seen_version, actor)
        protocol = _stored_protocol(uow, assessment.protocol_sha256)
        validated = validate_answers(protocol, answers)
        result = evaluate(protocol, validated)
        if not result.complete:
            count = len(result.unanswered)
            raise SignOffRefused(
                f"Sign-off refused: {count} red-flag screening question"
                f"{'s are' if count != 1 else ' is'} unanswered: {', '.join(result.unanswered)}.",
                "Ask every red-flag question before signing off: a red flag cannot be ruled out "
                "on a question that was not asked.",
                result.unanswered,
            )
        if not decision.identity_confirmed:
            raise SignOffRefused(
                "Confirm the patient's identity (name, date of birth, first line of address) "
                "before signing off.",
                "Check them with the patient, then confirm (Ctrl+I).",
            )
        recommended = result.disposition
        reason = decision.reason.strip()
        downgraded = chosen.is_less_severe_than(recommended)
        if downgraded and not reason:
            flags = f" (red flags: {', '.join(result.red_flags)})" if result.red_flags else ""
            raise SignOffRefused(
                f"You chose {chosen.value}, which is less severe than the recommended "
                f"{recommended.value}{flags}: a written reason is required. It is kept with "
                "the assessment, written to the audit trail and printed on the GP letter.",
                "Write why, or choose the recommended disposition.",
            )
        destination = _decided_destination(chosen, asked_destination, result)
        now = uow.now()
        _store_snapshot(assessment, validated.as_json(), result)
        assessment.chosen_disposition = chosen.value
        assessment.destination = None if destination is None else destination.value
        assessment.pathway = (
            result.pathway.value if result.pathway is not None and chosen in FACE_TO_FACE else None
        )
        assessment.downgrade_reason = reason if downgraded else None
        assessment.notes = decision.notes.strip()
        assessment.state = AssessmentState.SIGNED
        assessment.signed_at = now
        assessment.updated_at = now
        status = REFERRAL_STATUS_AFTER_SIGN_OFF[chosen]
        referral.status = status
        referral.claimed_by_id = None
        referral.claimed_at = None
        referral.closed_at = now
        referral.updated_at = now
        uow.changed_referrals.add(referral.id)
        patient = _patient_on_call(uow, referral)
        age_warning = check_age(validated, patient)
        uow.audit("assessment.sign_off", "assessment", assessment.id,
                  patient_id=referral.patient_id,
                  details={"referral_id": referral.id, "red_flags": list(result.red_flags),
                           "scores": result.scores_json(),
                           "recommended": recommended.value,
                           "recommended_destination": None if result.destination is None
                           else result.destination.value,
                           "chosen": chosen.value,
                           "destination": assessment.destination,
                           "downgraded": downgraded, "reason": reason or None,
                           "identity_confirmed": True,
                           "age_mismatch": age_warning is not None,
                           "referral_status": status.value,
                           "protocol_sha256": protocol.sha256})  # fmt: skip
        if chosen is not recommended:
            uow.audit("assessment.override", "assessment", assessment.id,
                      patient_id=referral.patient_id,
                      details={"recommended": recommended.value, "chosen": chosen.value,
                               "direction": "less_severe" if downgraded else "more_severe",
                               "reason": reason or None,
                               "red_flags": list(result.red_flags)})  # fmt: skip
        letters = _queue_letters(uow, assessment, referral, patient)
        uow.commit()
        log.info("assessment %s signed off by user %s: %s (recommended %s), referral %s %s",
                 assessment.id, actor.user_id, chosen.value, recommended.value, referral.id,
                 status.value)  # fmt: skip
        return SignedOff(
            assessment_id=assessment.id,
            referral_id=referral.id,
            signed_at=now,
            recommended=recommended,
            chosen=chosen,
            destination=destination,
            downgraded=downgraded,
            referral_status=status,
            letters=letters,
        )


def _queue_letters(
    uow: UnitOfWork, assessment: Assessment, referral: Referral, patient: PatientOnCall
) -> tuple[QueuedLetter, ...]:
    """The advice and GP letter rows; the letters issue renders them from the assessment."""
    record = uow.session.get(Patient, patient.patient_id)
    large_print = bool(record and record.large_print)
    rows: list[Letter] = []
    for kind in LETTERS_AT_SIGN_OFF:
        if kind == "gp":
            held = None if patient.gp_practice else NO_GP_PRACTICE
        else:
            held = None if patient.has_postal_address else NO_POSTAL_ADDRESS
        letter = Letter(
            kind=kind,
            patient_id=patient.patient_id,
            referral_id=referral.id,
            assessment_id=assessment.id,
            created_by_id=assessment.clinician_id,
            created_at=uow.now(),
            status=LetterStatus.QUEUED if held is None else LetterStatus.HELD,
            held_reason=held,
            large_print=large_print and kind != "gp",
        )
        uow.session.add(letter)
        rows.append(letter)
    uow.session.flush()
    for letter in rows:
        uow.audit("letter.queue", "letter", letter.id, patient_id=patient.patient_id,
                  details={"kind": letter.kind, "status": letter.status.value,
                           "assessment_id": assessment.id,
                           "held_reason": letter.held_reason})  # fmt: skip
    return tuple(QueuedLetter(x.id, x.kind, x.status, x.held_reason) for x in rows)


def confirm_identity(desk: Desk, assessment_id: int) -> None:
    """Record that the clinician confirmed the patient's identity on the call (hazard H4).

    Raises:
        NotPermitted: your role does not make calls.
        NotFound: no such assessment.
    """
    desk.require(*CALLERS, action="assess a patient")
    with desk.uow() as uow:
        row = uow.session.execute(
            sa.select(Assessment.id, Referral.patient_id)
            .join(Referral, Referral.id == Assessment.referral_id)
            .where(Assessment.id == assessment_id)
        ).first()
        if row is None:
            raise NotFound(f"There is no assessment {assessment_id}.")
        uow.audit("assessment.identity_confirmed", "assessment", assessment_id,
                  patient_id=row.patient_id,
                  details={"checked": ["name", "date_of_birth", "address_first_line"]})  # fmt: skip
        uow.commit()


def add_addendum(desk: Desk, assessment_id: int, text: str) -> Addendum:
    """Add a correction or addition to a signed assessment, with who and when.

    The signed record itself never changes.

    Raises:
        InvalidInput: the text is blank, or the assessment is still a draft (edit it instead).
        NotPermitted: your role may not add addenda.
        NotFound: no such assessment.
    """
    actor = desk.require(*CALLERS, action="add an addendum")
    text = text.strip()
    if not text:
        raise InvalidInput("The addendum is empty.", "Write the correction or addition.")
    with desk.uow() as uow:
        assessment = uow.session.get(Assessment, assessment_id)
        if assessment is None:
            raise NotFound(f"There is no assessment {assessment_id}.")
        if assessment.state is not AssessmentState.SIGNED:
            raise InvalidInput(
                "This assessment is still a draft: change the answers instead of adding an "
                "addendum.",
                "Addenda are for signed assessments.",
            )
        patient_id = uow.session.scalar(
            sa.select(Referral.patient_id).where(Referral.id == assessment.referral_id)
        )
        now = uow.now()
        addendum = AssessmentAddendum(
            assessment_id=assessment.id, author_id=actor.user_id, written_at=now, text=text
        )
        uow.session.add(addendum)
        uow.session.flush()
        uow.audit("assessment.addendum", "assessment", assessment.id, patient_id=patient_id,
                  details={"addendum_id": addendum.id})  # fmt: skip
        uow.commit()
        return Addendum(actor.display_name, now, text)


__all__ = [
    "DESTINATION_LABELS",
    "DISPOSITION_LABELS",
    "REFERRAL_STATUS_AFTER_SIGN_OFF",
    "Addendum",
    "AssessmentRecord",
    "AssessmentSigned",
    "DraftSaved",
    "PatientOnCall",
    "QueuedLetter",
    "SignOffDecision",
    "SignOffRefused",
    "SignedOff",
    "add_addendum",
    "check_age",
    "check_protocols_at_start",
    "confirm_identity",
    "open_assessment",
    "protocol_for_new_call",
    "save_draft",
    "sign_off",
    "start_assessment",
]
