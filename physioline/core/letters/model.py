"""Letters: what a patient or GP letter needs to say, as plain frozen values (no database, no Qt).

Services build a :class:`LetterContext` from the referral, patient, assessment, booking or call
attempts and hand it to :func:`physioline.core.letters.render.render_letter`. Every datetime here
is timezone-aware UTC, as stored; the letter shows it in Europe/London time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from physioline.errors import InvalidInput, InvalidNhsNumber, PhysioLineError

# clinical-spec.md 2.4: dispositions, most severe first. A lower index is more severe.
DISPOSITIONS_MOST_SEVERE_FIRST: tuple[str, ...] = (
    "emergency",
    "urgent_referral",
    "urgent_f2f",
    "onward_referral",
    "routine_f2f",
    "self_management",
)

# clinical-spec.md 2.5: destinations in precedence order.
DESTINATIONS: tuple[str, ...] = (
    "emergency_department",
    "vascular_same_day",
    "urgent_treatment_centre",
    "spinal_surgery_urgent",
    "suspected_cancer_pathway",
    "orthopaedics_urgent",
    "rheumatology",
    "gp_urgent",
    "orthopaedics",
)

# clinical-spec.md 2.6.
PATHWAYS: tuple[str, ...] = ("psychologically_informed",)

# clinical-spec.md 2.1: one advice text per protocol (body region).
PROTOCOL_IDS: tuple[str, ...] = (
    "lumbar",
    "thoracic",
    "cervical",
    "shoulder",
    "elbow",
    "wrist_hand",
    "hip",
    "knee",
    "foot_ankle",
)

# The unable-to-contact letter gives the patient this many days to call back (issue 8).
UNABLE_TO_CONTACT_DAYS = 14


class LetterKind(StrEnum):
    """The four letters PhysioLine prints."""

    ADVICE = "advice"
    APPOINTMENT = "appointment"
    UNABLE_TO_CONTACT = "unable_to_contact"
    GP = "gp"

    @property
    def to_patient(self) -> bool:
        """True for letters posted to the patient (they need the patient's postal address)."""
        return self is not LetterKind.GP


class LetterNotSendable(PhysioLineError):
    """This letter cannot be produced or posted; the message says why, the hint what to do."""

    exit_status = 2


class NoPostalAddress(LetterNotSendable):
    """The patient has no usable postal address, so a letter to them cannot be posted."""


class UnprintableText(LetterNotSendable):
    """A detail holds characters the letter font cannot print (they would come out as boxes)."""


class LetterResourceMissing(PhysioLineError):
    """A letter template, advice text or label file is missing or malformed in resources/."""

    exit_status = 3


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            f"{what} has no time zone; letters need timezone-aware UTC times.",
            "This is a defect in the caller: pass datetimes from the database or the clock.",
        )


def format_nhs_number(nhs_number: str) -> str:
    """Format an NHS number 3-3-4 ('999 000 0018'), as the NHS prints it on every page.

    Raises:
        InvalidNhsNumber: not exactly 10 digits after removing spaces and hyphens.
    """
    digits = re.sub(r"[\s-]", "", nhs_number)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise InvalidNhsNumber(
            "The NHS number on this letter is not 10 digits.",
            "Correct the patient's NHS number before printing.",
        )
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


@dataclass(frozen=True, slots=True)
class ServiceDetails:
    """The sending service: printed in the letterhead and in 'call us' sentences."""

    name: str
    address_lines: tuple[str, ...]
    postcode: str
    phone: str
    email: str = ""
    website: str = ""
    phone_hours: str = ""  # e.g. "Monday to Friday, 8am to 6pm"


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """A UK postal address: the lines above the postcode, then the postcode."""

    lines: tuple[str, ...]
    postcode: str

    @property
    def is_usable(self) -> bool:
        """True when there is at least one address line and a postcode to post to."""
        return any(line.strip() for line in self.lines) and bool(self.postcode.strip())


@dataclass(frozen=True, slots=True)
class CommunicationNeeds:
    """Accessible Information Standard needs recorded for the patient."""

    large_print: bool = False
    easy_read: bool = False
    braille: bool = False
    interpreter_language: str | None = None
    carer: str | None = None  # who helps, e.g. "Daughter, Anna Nowak, helps with appointments"

    @property
    def any(self) -> bool:
        """True when at least one need is recorded."""
        return bool(
            self.large_print
            or self.easy_read
            or self.braille
            or self.interpreter_language
            or self.carer
        )


@dataclass(frozen=True, slots=True)
class Patient:
    """The patient the letter is about (and, for patient letters, to)."""

    title: str  # "Ms", "Mr", "Mx", "Dr" or "" when the patient gave none
    given_name: str
    family_name: str
    nhs_number: str  # 10 digits; spaces or hyphens allowed
    date_of_birth: date
    address: PostalAddress | None
    needs: CommunicationNeeds = field(default_factory=CommunicationNeeds)

    @property
    def full_name(self) -> str:
        """Title, given and family name as the envelope shows them."""
        return " ".join(p for p in (self.title, self.given_name, self.family_name) if p.strip())

    @property
    def salutation(self) -> str:
        """'Ms O'Brien' with a title, otherwise the full name (never 'Dear Patient')."""
        if self.title.strip():
            return f"{self.title.strip()} {self.family_name.strip()}"
        return f"{self.given_name.strip()} {self.family_name.strip()}".strip()


@dataclass(frozen=True, slots=True)
class Clinician:
    """The clinician who signs the letter."""

    display_name: str  # "Sam Okafor"
    profession: str  # "Physiotherapist"
    registration_number: str  # "HCPC PH123456"


@dataclass(frozen=True, slots=True)
class GpPractice:
    """The patient's registered GP practice: the GP letter is addressed here."""

    name: str
    address_lines: tuple[str, ...]
    postcode: str
    gp_name: str = ""  # "Dr A Patel"; empty gives "Dear Colleague"


@dataclass(frozen=True, slots=True)
class RedFlagScreened:
    """A red flag the clinician screened for on the call (clinical-spec.md section 6)."""

    id: str  # "rf.cauda_equina"
    label: str  # "Cauda equina syndrome"


@dataclass(frozen=True, slots=True)
class RedFlagFound:
    """A red flag that triggered, with the action the protocol mandates."""

    id: str
    label: str
    mandated_action: str  # "Go to A&E now for an emergency MRI; do not wait."


@dataclass(frozen=True, slots=True)
class AssessmentSummary:
    """The signed-off triage call: what was screened, scored and decided."""

    protocol_id: str  # one of PROTOCOL_IDS
    assessed_at: datetime  # aware UTC: when the call was signed off
    red_flags_screened: tuple[RedFlagScreened, ...]
    red_flags_found: tuple[RedFlagFound, ...]
    scores_text: str  # "STarT Back total 5, psychosocial 2: medium risk"
    recommended_disposition: str  # DISPOSITIONS_MOST_SEVERE_FIRST
    chosen_disposition: str
    destination: str | None  # DESTINATIONS, or None
    pathway: str | None  # PATHWAYS, or None
    downgrade_reason: str | None  # required when chosen is less severe than recommended
    plan: str  # the clinician's plan, free text
    patient_summary: str = ""  # plain-English summary for the patient letter, free text

    @property
    def is_downgrade(self) -> bool:
        """True when the clinician chose a less severe disposition than recommended (section 10)."""
        order = DISPOSITIONS_MOST_SEVERE_FIRST
        return order.index(self.chosen_disposition) > order.index(self.recommended_disposition)


@dataclass(frozen=True, slots=True)
class Appointment:
    """A booked face-to-face appointment."""

    start: datetime  # aware UTC
    clinic_name: str
    clinic_address_lines: tuple[str, ...]
    clinic_postcode: str
    how_to_get_there: str  # free text: buses, parking, which entrance
    step_free_access: bool
    clinician_name: str
    appointment_type: str  # "Physiotherapy assessment (45 minutes)"


@dataclass(frozen=True, slots=True)
class ContactAttempts:
    """The calls that went unanswered, for the unable-to-contact letter."""

    attempts: tuple[datetime, ...]  # aware UTC, in any order
    deadline: date  # the patient must call by this date (UNABLE_TO_CONTACT_DAYS after the letter)

    @staticmethod
    def deadline_for(letter_date: date) -> date:
        """The call-back deadline for a letter dated ``letter_date``: 14 days later."""
        return letter_date + timedelta(days=UNABLE_TO_CONTACT_DAYS)


@dataclass(frozen=True, slots=True)
class LetterContext:
    """Everything a letter may need; each kind uses its own parts (see :func:`missing_parts`)."""

    service: ServiceDetails
    patient: Patient
    letter_date: date  # the date printed on the letter (from the clock, by the caller)
    referral_received: date
    reference: str = ""  # our reference, e.g. the referral id
    clinician: Clinician | None = None
    gp: GpPractice | None = None
    assessment: AssessmentSummary | None = None
    appointment: Appointment | None = None
    contact_attempts: ContactAttempts | None = None


_NEEDS: dict[LetterKind, tuple[str, ...]] = {
    LetterKind.ADVICE: ("assessment", "clinician"),
    LetterKind.APPOINTMENT: ("appointment",),
    LetterKind.UNABLE_TO_CONTACT: ("contact_attempts",),
    LetterKind.GP: ("gp", "assessment", "clinician"),
}


def missing_parts(kind: LetterKind, context: LetterContext) -> tuple[str, ...]:
    """Names of the parts of ``context`` this kind of letter needs but that are None."""
    return tuple(name for name in _NEEDS[kind] if getattr(context, name) is None)


def why_not_sendable(kind: LetterKind, context: LetterContext) -> str | None:
    """The reason this letter cannot be sent, in words for the print queue, or None if it can.

    A patient letter needs the patient's postal address; the GP letter goes to the practice.
    """
    try:
        check_sendable(kind, context)
    except PhysioLineError as exc:
        return exc.message
    return None


def check_sendable(kind: LetterKind, context: LetterContext) -> None:
    """Check that this letter can be produced and posted.

    Raises:
        NoPostalAddress: a patient letter, and the patient has no address lines or no postcode.
        LetterNotSendable: a part this kind needs is missing, or a downgrade has no reason.
        InvalidNhsNumber: the NHS number is not 10 digits.
        InvalidInput: a datetime is not timezone-aware.
    """
    format_nhs_number(context.patient.nhs_number)
    if kind.to_patient:
        address = context.patient.address
        if address is None or not address.is_usable:
            raise NoPostalAddress(
                "No postal address: this patient has no address (or no postcode) on record, "
                "so the letter cannot be posted.",
                "Add the address from the referral or the GP record, or phone the patient.",
            )
    missing = missing_parts(kind, context)
    if missing:
        raise LetterNotSendable(
            f"The {kind.value.replace('_', '-')} letter needs: {', '.join(missing)}.",
            "This is a defect in the caller; the letter was not produced.",
        )
    assessment = context.assessment
    if assessment is not None:
        _require_aware(assessment.assessed_at, "The assessment time")
        for disposition in (assessment.recommended_disposition, assessment.chosen_disposition):
            if disposition not in DISPOSITIONS_MOST_SEVERE_FIRST:
                raise LetterNotSendable(f"Unknown disposition {disposition!r}.")
        if assessment.destination is not None and assessment.destination not in DESTINATIONS:
            raise LetterNotSendable(f"Unknown destination {assessment.destination!r}.")
        if assessment.pathway is not None and assessment.pathway not in PATHWAYS:
            raise LetterNotSendable(f"Unknown pathway {assessment.pathway!r}.")
        if assessment.protocol_id not in PROTOCOL_IDS:
            raise LetterNotSendable(f"Unknown protocol {assessment.protocol_id!r}.")
        if assessment.is_downgrade and not (assessment.downgrade_reason or "").strip():
            raise LetterNotSendable(
                "The chosen disposition is less urgent than recommended but no reason is "
                "recorded; the GP letter must say why.",
                "Record the reason for the override before the GP letter is sent.",
            )
    if context.appointment is not None:
        _require_aware(context.appointment.start, "The appointment start")
    if context.contact_attempts is not None:
        if not context.contact_attempts.attempts:
            raise LetterNotSendable("The unable-to-contact letter needs at least one call attempt.")
        for attempt in context.contact_attempts.attempts:
            _require_aware(attempt, "A call attempt time")
