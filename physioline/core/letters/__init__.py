"""Letters: patient advice, appointment, unable-to-contact and GP letters, rendered as PDF.

Pure core: services build a :class:`LetterContext` from the database and call
:func:`render_letter`; the app calls :func:`check_letter_resources` at start.
"""

from physioline.core.letters.model import (
    DISPOSITIONS_MOST_SEVERE_FIRST,
    UNABLE_TO_CONTACT_DAYS,
    Appointment,
    AssessmentSummary,
    Clinician,
    CommunicationNeeds,
    ContactAttempts,
    GpPractice,
    LetterContext,
    LetterKind,
    LetterNotSendable,
    LetterResourceMissing,
    NoPostalAddress,
    Patient,
    PostalAddress,
    RedFlagFound,
    RedFlagScreened,
    ServiceDetails,
    UnprintableText,
    check_sendable,
    format_nhs_number,
    missing_parts,
    why_not_sendable,
)
from physioline.core.letters.render import (
    communication_alerts,
    london_when,
    pdf_sha256,
    render_letter,
)
from physioline.core.letters.resources import check_letter_resources

__all__ = [
    "DISPOSITIONS_MOST_SEVERE_FIRST",
    "UNABLE_TO_CONTACT_DAYS",
    "Appointment",
    "AssessmentSummary",
    "Clinician",
    "CommunicationNeeds",
    "ContactAttempts",
    "GpPractice",
    "LetterContext",
    "LetterKind",
    "LetterNotSendable",
    "LetterResourceMissing",
    "NoPostalAddress",
    "Patient",
    "PostalAddress",
    "RedFlagFound",
    "RedFlagScreened",
    "ServiceDetails",
    "UnprintableText",
    "check_letter_resources",
    "check_sendable",
    "communication_alerts",
    "format_nhs_number",
    "london_when",
    "missing_parts",
    "pdf_sha256",
    "render_letter",
    "why_not_sendable",
]
