"""Letters: build each patient and GP letter from the records, keep it as sent, run the print queue.

A letter row is queued by a call (advice, GP), a booking (appointment) or a failed contact
(unable-to-contact); held, with the reason, when the patient has no postal address. This module:

* builds each kind's :class:`~physioline.core.letters.LetterContext` from the database: the
  signed assessment and the exact protocol it was signed against (red flags screened and found,
  with their mandated actions), the appointment's slot and clinic, the unanswered calls;
* renders on demand. Until a letter is first printed (or saved) it is rendered afresh from the
  current records whenever it is previewed or printed, and the bytes are stored in the row with
  their SHA-256; from the first print on, the stored bytes *are* the letter sent, and previews and
  reprints use exactly those bytes;
* marks letters printed with who and when, counts reprints, and writes an audit event for every
  preview (a view of a patient's letter), print, reprint, save and render.

Who may do what (roles.md): physios preview and print their own letters; team leads and the
booking office everyone's; IT no one's. Logs carry letter, referral and user ids only.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from physioline.clock import LONDON
from physioline.core.letters import (
    Appointment as AppointmentPart,
)
from physioline.core.letters import (
    AssessmentSummary,
    Clinician,
    CommunicationNeeds,
    ContactAttempts,
    GpPractice,
    LetterContext,
    LetterKind,
    PostalAddress,
    RedFlagFound,
    RedFlagScreened,
    ServiceDetails,
    check_letter_resources,
    communication_alerts,
    format_nhs_number,
    pdf_sha256,
    render_letter,
    why_not_sendable,
)
from physioline.core.letters import (
    Patient as PatientPart,
)
from physioline.core.protocol import TriageProtocol, load_protocol_bytes
from physioline.core.referral import (
    AppointmentStatus,
    AppointmentType,
    AssessmentState,
    LetterStatus,
    Role,
)
from physioline.db.models import (
    Appointment,
    Assessment,
    CallAttempt,
    Clinic,
    GPPractice,
    Letter,
    Patient,
    ProtocolVersion,
    Referral,
    Slot,
    User,
)
from physioline.db.uow import UnitOfWork
from physioline.errors import InvalidInput, NotFound, NotPermitted, PhysioLineError
from physioline.services import service_rules
from physioline.services.desk import Desk

log = logging.getLogger(__name__)

#: Roles that may preview, print and reprint letters (physios only their own; roles.md).
LETTER_PRINTERS = (Role.PHYSIO, Role.TEAM_LEAD, Role.ADMIN_STAFF)
#: Call results that count as "we tried to call you" on the unable-to-contact letter.
FAILED_RESULTS = ("no_answer", "voicemail_left", "wrong_number")
WAITING_STATUSES = (LetterStatus.QUEUED, LetterStatus.HELD)
_POSTCODE_AT_END = re.compile(r"\s*,?\s*([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\s*$", re.IGNORECASE)
_KIND_WORDS = {
    LetterKind.ADVICE: "advice",
    LetterKind.APPOINTMENT: "appointment",
    LetterKind.UNABLE_TO_CONTACT: "unable to contact",
    LetterKind.GP: "GP",
}


class QueueScope(StrEnum):
    """Whose letters the print queue shows."""

    MINE = "mine"  # letters the signed-in clinician's calls and bookings queued
    TEAM = "team"  # every letter of the service


class PrintMethod(StrEnum):
    """How a letter left PhysioLine: both count as printed (issue 8)."""

    PRINTER = "printer"  # the job was handed to a printer
    SAVED = "saved"  # saved as a PDF file (to print elsewhere or send securely)


def kind_label(kind: LetterKind | str) -> str:
    """'advice', 'appointment', 'unable to contact' or 'GP', for lists and messages."""
    return _KIND_WORDS[LetterKind(kind)]


# --- Read side: the queue ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class QueueRow:
    """One letter in the print queue, as the booking office scans it."""

    letter_id: int
    kind: LetterKind
    status: LetterStatus
    patient_id: int
    patient_label: str  # 'SURNAME, Given'
    nhs_number: str  # 3-3-4
    referral_id: int | None
    created_by_id: int
    created_by: str
    created_at: datetime  # aware UTC
    large_print: bool
    #: Why it cannot be printed now (no postal address), or None when it can.
    held_reason: str | None
    #: The patient's communication needs, in words: shown before printing.
    needs: tuple[str, ...]
    print_count: int
    printed_at: datetime | None
    version: int

    @property
    def ready(self) -> bool:
        """True when the letter can be printed now."""
        return self.held_reason is None and self.status != LetterStatus.CANCELLED

    @property
    def kind_label(self) -> str:
        """The kind in words."""
        return kind_label(self.kind)


def _has_address(address: str | None, postcode: str | None) -> bool:
    return bool((address or "").strip()) and bool((postcode or "").strip())


def _needs_of(patient: Patient) -> CommunicationNeeds:
    carer = None
    if patient.carer_name and patient.carer_name.strip():
        phone = f" ({patient.carer_phone})" if patient.carer_phone else ""
        carer = f"{patient.carer_name.strip()}{phone}"
    return CommunicationNeeds(
        large_print=patient.large_print,
        easy_read=patient.easy_read,
        braille=patient.braille,
        interpreter_language=patient.interpreter_language or None,
        carer=carer,
    )


NO_POSTAL_ADDRESS = "No postal address on the patient's record."
NO_GP_PRACTICE = "No GP practice on the patient's record or the referral."


def _held_reason(kind: str, status: LetterStatus, has_address: bool, has_gp: bool) -> str | None:
    """Why a letter cannot be printed now, from the records as they are now, or None.

    A patient letter needs a postal address, the GP letter a GP practice. A letter held for
    want of one becomes printable once it is recorded; a queued letter whose patient's address
    was removed is held until it is back.
    """
    if status == LetterStatus.CANCELLED:
        return "Cancelled."
    if LetterKind(kind).to_patient:
        return None if has_address else NO_POSTAL_ADDRESS
    return None if has_gp else NO_GP_PRACTICE


def print_queue(
    desk: Desk,
    scope: QueueScope = QueueScope.TEAM,
    *,
    include_printed_since: datetime | None = None,
) -> list[QueueRow]:
    """The letters waiting to print (queued or held), oldest first, with held reasons.

    A physio's queue is their own letters (those their calls and bookings queued); team leads
    and the booking office see the whole team's. ``include_printed_since`` adds letters printed
    since then, for reprints.

    Raises:
        NotPermitted: IT staff (no clinical data), or a physio asking for the team's letters.
    """
    actor = desk.require(*LETTER_PRINTERS, action="see the print queue")
    if scope == QueueScope.TEAM and actor.role == Role.PHYSIO:
        raise NotPermitted(
            "Physiotherapists print their own letters; the team's queue is for the booking "
            "office and team leads.",
            "Show your own letters (Mine).",
        )
    creator = aliased(User)
    stmt = (
        sa.select(Letter, Patient, creator.display_name, Referral.gp_practice_id)
        .join(Patient, Patient.id == Letter.patient_id)
        .join(creator, creator.id == Letter.created_by_id)
        .outerjoin(Referral, Referral.id == Letter.referral_id)
    )
    waiting: sa.ColumnElement[bool] = Letter.status.in_([s.value for s in WAITING_STATUSES])
    if include_printed_since is not None:
        waiting = sa.or_(
            waiting,
            sa.and_(
                Letter.status == LetterStatus.PRINTED,
                Letter.printed_at >= include_printed_since,
            ),
        )
    stmt = stmt.where(waiting)
    if scope == QueueScope.MINE:
        stmt = stmt.where(Letter.created_by_id == actor.user_id)
    stmt = stmt.order_by(Letter.created_at, Letter.id)
    rows: list[QueueRow] = []
    with desk.uow(read_only=True) as uow:
        for letter, patient, created_by, referral_gp in uow.session.execute(stmt):
            has_address = _has_address(patient.address, patient.postcode)
            has_gp = bool(referral_gp or patient.gp_practice_id)
            rows.append(
                QueueRow(
                    letter_id=letter.id,
                    kind=LetterKind(letter.kind),
                    status=letter.status,
                    patient_id=patient.id,
                    patient_label=f"{patient.family_name.upper()}, {patient.given_name}",
                    nhs_number=format_nhs_number(patient.nhs_number),
                    referral_id=letter.referral_id,
                    created_by_id=letter.created_by_id,
                    created_by=created_by,
                    created_at=letter.created_at,
                    large_print=letter.large_print,
                    held_reason=_held_reason(letter.kind, letter.status, has_address, has_gp),
                    needs=communication_alerts(_needs_of(patient)),
                    print_count=letter.print_count,
                    printed_at=letter.printed_at,
                    version=letter.version,
                )
            )
    return rows


# --- Building a letter from the records ---------------------------------------------------------
def service_details(session: Session) -> ServiceDetails:
    """The letterhead: the service's name, postal address, phone, email and website."""
    raw = service_rules.service_details(session)
    address = raw.get("address", "")
    postcode = ""
    match = _POSTCODE_AT_END.search(address)
    if match:
        postcode = match.group(1).upper()
        address = address[: match.start()]
    lines = tuple(part.strip() for part in re.split(r"[,\n]", address) if part.strip())
    return ServiceDetails(
        name=raw.get("name", ""),
        address_lines=lines,
        postcode=postcode,
        phone=raw.get("phone", ""),
        email=raw.get("email", ""),
        website=raw.get("website", ""),
        phone_hours=raw.get("phone_hours", ""),
    )


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _patient_part(patient: Patient) -> PatientPart:
    address = None
    if _has_address(patient.address, patient.postcode):
        address = PostalAddress(_lines(patient.address), (patient.postcode or "").strip())
    return PatientPart(
        title=patient.title or "",
        given_name=patient.given_name,
        family_name=patient.family_name,
        nhs_number=patient.nhs_number,
        date_of_birth=patient.date_of_birth,
        address=address,
        needs=_needs_of(patient),
    )


def _registration(number: str | None) -> str:
    """'HCPC PH123456': physiotherapists are registered with the HCPC."""
    text = (number or "").strip()
    if not text:
        return "not recorded"
    return text if text.upper().startswith("HCPC") else f"HCPC {text}"


def _clinician(user: User) -> Clinician:
    return Clinician(
        display_name=user.display_name,
        profession=user.profession or "Physiotherapist",
        registration_number=_registration(user.registration_number),
    )


@functools.lru_cache(maxsize=32)
def _protocol(sha256: str, content: bytes) -> TriageProtocol:
    """The protocol an assessment was signed against, from its stored bytes (cached by hash)."""
    return load_protocol_bytes(content, f"database:protocol_version/{sha256}")


def scores_text(scores: dict[str, object]) -> str:
    """The yellow-flag score in words: 'STarT Back total 5, psychosocial 2: medium risk'."""
    parts = []
    for tool, value in sorted(scores.items()):
        name = {"start_back": "STarT Back", "start_msk": "STarT MSK"}.get(tool, tool)
        if not isinstance(value, dict) or value.get("complete") is False or "total" not in value:
            parts.append(f"{name}: not completed")
            continue
        text = f"{name} total {value['total']}"
        if "psychosocial" in value:
            text += f", psychosocial {value['psychosocial']}"
        if value.get("risk"):
            text += f": {value['risk']} risk"
        parts.append(text)
    return "; ".join(parts) or "No yellow-flag score recorded"


def _assessment_part(session: Session, assessment: Assessment) -> tuple[AssessmentSummary, User]:
    if assessment.state != AssessmentState.SIGNED or assessment.signed_at is None:
        raise PhysioLineError(
            "This assessment is not signed off yet, so its letters cannot be printed.",
            "Sign off the assessment first.",
        )
    stored = session.get(ProtocolVersion, assessment.protocol_sha256)
    if stored is None:  # pragma: no cover - foreign key
        raise NotFound("The protocol this assessment was signed against is missing.")
    protocol = _protocol(stored.sha256, bytes(stored.content))
    found = []
    for flag_id in sorted(set(assessment.red_flags or [])):
        try:
            rule = protocol.red_flag(flag_id)
        except KeyError:
            found.append(RedFlagFound(flag_id, flag_id, "See the assessment record."))
        else:
            found.append(RedFlagFound(rule.id, rule.title, rule.action))
    clinician = session.get(User, assessment.clinician_id)
    if clinician is None:  # pragma: no cover - foreign key
        raise NotFound("The clinician who signed the assessment is missing.")
    summary = AssessmentSummary(
        protocol_id=assessment.protocol_id,
        assessed_at=assessment.signed_at,
        red_flags_screened=tuple(RedFlagScreened(r.id, r.title) for r in protocol.red_flags),
        red_flags_found=tuple(found),
        scores_text=scores_text(assessment.scores or {}),
        recommended_disposition=assessment.recommended_disposition or "",
        chosen_disposition=assessment.chosen_disposition
        or assessment.recommended_disposition
        or "",
        destination=assessment.destination,
        pathway=assessment.pathway,
        downgrade_reason=assessment.downgrade_reason,
        plan=(assessment.notes or "").strip() or "As discussed on the call.",
    )
    return summary, clinician


def _find_assessment(session: Session, letter: Letter) -> Assessment:
    if letter.assessment_id is not None:
        found = session.get(Assessment, letter.assessment_id)
    else:
        found = session.scalar(
            sa.select(Assessment)
            .where(
                Assessment.referral_id == letter.referral_id,
                Assessment.state == AssessmentState.SIGNED,
            )
            .order_by(Assessment.signed_at.desc(), Assessment.id.desc())
            .limit(1)
        )
    if found is None:
        raise NotFound(
            f"Letter {letter.id} has no signed assessment to report.",
            "The call must be signed off before its letters are printed.",
        )
    return found


def _appointment_part(session: Session, letter: Letter) -> AppointmentPart:
    stmt = sa.select(Appointment, Slot, Clinic, User).join(Slot, Slot.id == Appointment.slot_id)
    stmt = stmt.join(Clinic, Clinic.id == Slot.clinic_id).join(User, User.id == Slot.clinician_id)
    if letter.appointment_id is not None:
        stmt = stmt.where(Appointment.id == letter.appointment_id)
    else:
        stmt = stmt.where(
            Appointment.referral_id == letter.referral_id,
            Appointment.status == AppointmentStatus.BOOKED,
        ).order_by(Appointment.booked_at.desc(), Appointment.id.desc())
    row = session.execute(stmt.limit(1)).first()
    if row is None:
        raise NotFound(f"Letter {letter.id} has no appointment to tell the patient about.")
    appointment, slot, clinic, clinician = row
    if appointment.status == AppointmentStatus.CANCELLED:
        raise PhysioLineError(
            "This appointment has been cancelled, so its letter must not be sent.",
            "Cancel the letter, or print the letter of the new appointment.",
        )
    minutes = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
    what = "assessment" if slot.appointment_type == AppointmentType.NEW_PATIENT else "follow-up"
    return AppointmentPart(
        start=slot.starts_at,
        clinic_name=clinic.name,
        clinic_address_lines=_lines(clinic.address),
        clinic_postcode=clinic.postcode,
        how_to_get_there=(clinic.travel_notes or "").strip(),
        step_free_access=clinic.step_free_access,
        clinician_name=f"{clinician.display_name}, {_plain_profession(clinician.profession)}",
        appointment_type=f"Physiotherapy {what} ({minutes} minutes)",
    )


def _plain_profession(profession: str) -> str:
    """'Physiotherapist' from 'Physiotherapist (band 6)': the band means nothing to a patient."""
    return re.sub(r"\s*\(.*\)\s*$", "", profession or "").strip() or "Physiotherapist"


def _contact_part(session: Session, letter: Letter, letter_date: date) -> ContactAttempts:
    attempts = tuple(
        session.scalars(
            sa.select(CallAttempt.made_at)
            .where(
                CallAttempt.referral_id == letter.referral_id,
                CallAttempt.result.in_(FAILED_RESULTS),
            )
            .order_by(CallAttempt.made_at)
        )
    )
    return ContactAttempts(attempts, ContactAttempts.deadline_for(letter_date))


def _gp_part(session: Session, patient: Patient, referral: Referral | None) -> GpPractice | None:
    practice_id = (referral.gp_practice_id if referral else None) or patient.gp_practice_id
    practice = session.get(GPPractice, practice_id) if practice_id else None
    if practice is None:
        return None
    return GpPractice(name=practice.name, address_lines=_lines(practice.address),
                      postcode=practice.postcode)  # fmt: skip


def letter_context(
    session: Session, letter: Letter, letter_date: date
) -> tuple[LetterKind, LetterContext]:
    """Everything ``letter`` needs to say, from the records as they are now.

    Raises:
        NotFound: the assessment, appointment or patient the letter is about is missing.
        PhysioLineError: the assessment is unsigned or the appointment cancelled.
    """
    kind = LetterKind(letter.kind)
    patient = session.get(Patient, letter.patient_id)
    if patient is None:  # pragma: no cover - foreign key
        raise NotFound(f"Letter {letter.id} has no patient record.")
    referral = session.get(Referral, letter.referral_id) if letter.referral_id else None
    received = (referral.received_at if referral else letter.created_at).astimezone(LONDON).date()
    context = LetterContext(
        service=service_details(session),
        patient=_patient_part(patient),
        letter_date=letter_date,
        referral_received=received,
        reference=f"{letter.referral_id or '-'}/{letter.id}",
    )
    if kind in (LetterKind.ADVICE, LetterKind.GP):
        summary, clinician = _assessment_part(session, _find_assessment(session, letter))
        context = replace(context, assessment=summary, clinician=_clinician(clinician))
        if kind is LetterKind.GP:
            gp = _gp_part(session, patient, referral)
            if gp is None:
                raise NotFound(
                    "The patient has no registered GP practice on record, so the GP letter has "
                    "nowhere to go.",
                    "Add the GP practice to the patient's record.",
                )
            context = replace(context, gp=gp)
    elif kind is LetterKind.APPOINTMENT:
        context = replace(context, appointment=_appointment_part(session, letter))
    else:
        context = replace(context, contact_attempts=_contact_part(session, letter, letter_date))
    return kind, context


# --- Documents: previewing, printing, saving ---------------------------------------------------
@dataclass(frozen=True, slots=True)
class LetterDocument:
    """One letter's PDF, ready to preview, print or save, with what to show before printing."""

    letter_id: int
    kind: LetterKind
    patient_id: int
    patient_label: str
    pdf: bytes
    sha256: str
    #: True when the letter was printed before: printing it again is a reprint of these bytes.
    printed_before: bool
    large_print: bool
    needs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PrintBatch:
    """Letters ready to hand to the printer, and those left out with the reason."""

    documents: tuple[LetterDocument, ...]
    skipped: tuple[tuple[int, str], ...]  # (letter id, why)


def _require_own(actor_role: Role, actor_id: int, letter: Letter, action: str) -> None:
    if actor_role == Role.PHYSIO and letter.created_by_id != actor_id:
        raise NotPermitted(
            f"Physiotherapists {action} their own letters only; letter {letter.id} was queued by "
            "a colleague.",
            "Ask the booking office or your team lead.",
        )


def _today(uow: UnitOfWork) -> date:
    return uow.now().astimezone(LONDON).date()


def _document(session: Session, letter: Letter, today: date) -> tuple[LetterDocument, bool]:
    """The letter's PDF: the stored bytes once printed, else rendered afresh from the records.

    Returns the document and whether its bytes differ from those stored in the row.

    Raises:
        NoPostalAddress: a patient letter, and the patient has no postal address.
        LetterNotSendable, NotFound: the letter cannot be produced (the message says why).
    """
    patient = session.get(Patient, letter.patient_id)
    if patient is None:  # pragma: no cover - foreign key
        raise NotFound(f"Letter {letter.id} has no patient record.")
    printed_before = letter.print_count > 0 or letter.status == LetterStatus.PRINTED
    if letter.status == LetterStatus.CANCELLED:
        raise PhysioLineError(f"Letter {letter.id} was cancelled; it cannot be printed.")
    if printed_before and letter.pdf is not None:
        pdf = bytes(letter.pdf)
        changed = False
        if pdf_sha256(pdf) != letter.pdf_sha256:
            raise PhysioLineError(
                f"The stored copy of letter {letter.id} does not match its recorded hash.",
                "Do not reprint it: tell IT (the audit trail shows who printed it).",
            )
    else:
        kind, context = letter_context(session, letter, today)
        pdf = render_letter(kind, context, large_print=letter.large_print if kind.to_patient
                            else False)  # fmt: skip
        changed = pdf_sha256(pdf) != letter.pdf_sha256
    document = LetterDocument(
        letter_id=letter.id,
        kind=LetterKind(letter.kind),
        patient_id=letter.patient_id,
        patient_label=f"{patient.family_name.upper()}, {patient.given_name}",
        pdf=pdf,
        sha256=pdf_sha256(pdf),
        printed_before=printed_before,
        large_print=letter.large_print,
        needs=communication_alerts(_needs_of(patient)),
    )
    return document, changed


def _store(letter: Letter, document: LetterDocument) -> None:
    letter.pdf = document.pdf
    letter.pdf_sha256 = document.sha256


def _load_letter(session: Session, letter_id: int, *, for_update: bool = False) -> Letter:
    stmt = sa.select(Letter).where(Letter.id == letter_id)
    if for_update:
        stmt = stmt.with_for_update()
    letter = session.scalar(stmt)
    if letter is None:
        raise NotFound(f"There is no letter {letter_id}.", "Refresh the print queue.")
    return letter


def preview_letter(desk: Desk, letter_id: int) -> LetterDocument:
    """The letter as it will print (or, once printed, exactly as it was sent); the view is audited.

    An unprinted letter is rendered from the current records and the bytes stored in its row.

    Raises:
        NotPermitted: not your letter (physio), or your role sees no letters.
        NoPostalAddress: the patient has no postal address (the letter is held).
        NotFound, LetterNotSendable: the letter cannot be produced; the message says why.
    """
    actor = desk.require(*LETTER_PRINTERS, action="preview letters")
    with desk.uow() as uow:
        letter = _load_letter(uow.session, letter_id, for_update=True)
        _require_own(actor.role, actor.user_id, letter, "preview")
        document, changed = _document(uow.session, letter, _today(uow))
        if changed:
            _store(letter, document)
        uow.audit("letter.preview", "letter", letter.id, patient_id=letter.patient_id,
                  details={"kind": letter.kind, "sha256": document.sha256,
                           "reprint_copy": document.printed_before})  # fmt: skip
        uow.commit()
    log.info("letter %s previewed by user %s", letter_id, actor.user_id)
    return document


def prepare_print(desk: Desk, letter_ids: Sequence[int]) -> PrintBatch:
    """The PDFs to hand to the printer for these letters, in the order given.

    Unprinted letters are rendered from the current records and stored; printed ones (reprints)
    are their stored bytes. Letters that cannot be printed (held for want of an address, a
    colleague's letter for a physio, cancelled) are left out with the reason. Nothing is marked
    printed here: call :func:`mark_printed` once the job has been handed to the printer.

    Raises:
        NotPermitted: your role prints no letters.
    """
    actor = desk.require(*LETTER_PRINTERS, action="print letters")
    documents: list[LetterDocument] = []
    skipped: list[tuple[int, str]] = []
    with desk.uow() as uow:
        today = _today(uow)
        for letter_id in dict.fromkeys(letter_ids):
            try:
                letter = _load_letter(uow.session, letter_id, for_update=True)
                _require_own(actor.role, actor.user_id, letter, "print")
                document, changed = _document(uow.session, letter, today)
            except PhysioLineError as exc:
                skipped.append((letter_id, exc.message))
                continue
            if changed:
                _store(letter, document)
                uow.audit("letter.generate", "letter", letter.id, patient_id=letter.patient_id,
                          details={"kind": letter.kind, "sha256": document.sha256})  # fmt: skip
            documents.append(document)
        uow.commit()
    log.info("print batch of %s letters prepared (%s left out) by user %s",
             len(documents), len(skipped), actor.user_id)  # fmt: skip
    return PrintBatch(tuple(documents), tuple(skipped))


@dataclass(frozen=True, slots=True)
class PrintRecorded:
    """What :func:`mark_printed` recorded."""

    printed: tuple[int, ...]
    reprinted: tuple[int, ...]

    @property
    def message(self) -> str:
        """One line for the status bar."""
        first = len(self.printed)
        again = len(self.reprinted)
        parts = []
        if first:
            parts.append(f"{first} letter{'s' if first != 1 else ''} marked printed")
        if again:
            parts.append(f"{again} reprint{'s' if again != 1 else ''} recorded")
        return ("; ".join(parts) or "Nothing printed") + "."


def mark_printed(
    desk: Desk,
    documents: Iterable[LetterDocument],
    *,
    method: PrintMethod = PrintMethod.PRINTER,
    destination: str = "",
) -> PrintRecorded:
    """Record that these exact documents were handed to the printer (or saved as files).

    Each letter becomes printed, by you, now; its print count goes up (a second print is a
    recorded reprint) and the exact bytes sent are what its row keeps, with their SHA-256. One
    audit event per letter, in the same transaction.

    Raises:
        NotPermitted: not your letter (physio), or your role prints no letters.
        NotFound: a letter no longer exists.
    """
    actor = desk.require(*LETTER_PRINTERS, action="print letters")
    method = PrintMethod(method)
    printed: list[int] = []
    reprinted: list[int] = []
    with desk.uow() as uow:
        now = uow.now()
        for document in documents:
            letter = _load_letter(uow.session, document.letter_id, for_update=True)
            _require_own(actor.role, actor.user_id, letter, "print")
            if pdf_sha256(document.pdf) != document.sha256:
                raise InvalidInput("A letter's bytes do not match their hash; nothing recorded.")
            reprint = letter.print_count > 0 or letter.status == LetterStatus.PRINTED
            previous = letter.pdf_sha256
            _store(letter, document)
            letter.status = LetterStatus.PRINTED
            letter.held_reason = None
            letter.printed_at = now
            letter.printed_by_id = actor.user_id
            letter.print_count += 1
            action = "letter.save" if method == PrintMethod.SAVED else (
                "letter.reprint" if reprint else "letter.print")  # fmt: skip
            details: dict[str, object] = {
                "kind": letter.kind,
                "sha256": document.sha256,
                "method": method.value,
                "print_count": letter.print_count,
                "reprint": reprint,
            }
            if destination:
                details["destination"] = destination
            if previous and previous != document.sha256:
                details["replaced_sha256"] = previous
            uow.audit(action, "letter", letter.id, patient_id=letter.patient_id, details=details)
            (reprinted if reprint else printed).append(letter.id)
        uow.commit()
    log.info("%s letters printed, %s reprinted by user %s (%s)",
             len(printed), len(reprinted), actor.user_id, method.value)  # fmt: skip
    return PrintRecorded(tuple(printed), tuple(reprinted))


def render_for_referral(desk: Desk, kind: LetterKind | str, referral_id: int) -> LetterDocument:
    """The referral's latest letter of this kind, as it would print now (for ``letters render``).

    The letter must have been queued (by the call, booking or failed contact), so that every
    letter generated is kept: the bytes are stored in its row and the render is audited.

    Raises:
        InvalidInput: an unknown kind.
        NotFound: no letter of that kind was queued for the referral.
        NotPermitted: not your letter (physio), or your role sees no letters.
    """
    actor = desk.require(*LETTER_PRINTERS, action="render letters")
    try:
        kind = LetterKind(kind)
    except ValueError:
        raise InvalidInput(
            f"'{kind}' is not a kind of letter.",
            "Use advice, appointment, unable_to_contact or gp.",
        ) from None
    with desk.uow() as uow:
        letter_id = uow.session.scalar(
            sa.select(Letter.id)
            .where(
                Letter.referral_id == referral_id,
                Letter.kind == kind.value,
                Letter.status != LetterStatus.CANCELLED,
            )
            .order_by(Letter.created_at.desc(), Letter.id.desc())
            .limit(1)
        )
        if letter_id is None:
            raise NotFound(
                f"No {kind_label(kind)} letter has been queued for referral {referral_id}.",
                "Letters are queued by signing off the call, booking, or the last unanswered "
                "call; see `physioline letters print-queue`.",
            )
        letter = _load_letter(uow.session, letter_id, for_update=True)
        _require_own(actor.role, actor.user_id, letter, "render")
        document, changed = _document(uow.session, letter, _today(uow))
        if changed:
            _store(letter, document)
        uow.audit("letter.render", "letter", letter.id, patient_id=letter.patient_id,
                  details={"kind": letter.kind, "sha256": document.sha256})  # fmt: skip
        uow.commit()
    log.info("letter %s rendered by user %s", letter_id, actor.user_id)
    return document


def check_resources() -> list[str]:
    """Problems with the letter templates, advice texts, labels, logo or fonts (empty when fine).

    The app calls this at start, so a missing advice file is found then, not at the printer.
    """
    return check_letter_resources()


def sendable_problem(session: Session, letter: Letter, today: date) -> str | None:
    """Why this letter cannot be produced now, in words, or None when it can (no rendering)."""
    try:
        kind, context = letter_context(session, letter, today)
    except PhysioLineError as exc:
        return exc.message
    return why_not_sendable(kind, context)


__all__ = [
    "LETTER_PRINTERS",
    "LetterDocument",
    "PrintBatch",
    "PrintMethod",
    "PrintRecorded",
    "QueueRow",
    "QueueScope",
    "check_resources",
    "kind_label",
    "letter_context",
    "mark_printed",
    "prepare_print",
    "preview_letter",
    "print_queue",
    "render_for_referral",
    "scores_text",
    "sendable_problem",
    "service_details",
]
