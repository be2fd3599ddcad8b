"""The vocabulary of referrals, patients, clinicians, slots and appointments, as the clinic says."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who may do what (shared/roles.md)."""

    PHYSIO = "physio"
    TEAM_LEAD = "team_lead"
    ADMIN_STAFF = "admin_staff"
    SYSTEM_ADMIN = "system_admin"


class ReferralSource(StrEnum):
    """Where a referral came from."""

    GP = "gp"
    SELF_REFERRAL = "self_referral"
    FCP = "fcp"
    OTHER = "other"


class GpUrgency(StrEnum):
    """The urgency the referrer marked on the referral."""

    ROUTINE = "routine"
    URGENT = "urgent"


class ReferralStatus(StrEnum):
    """A referral's lifecycle from receipt to its outcome."""

    AWAITING_CALL = "awaiting_call"
    IN_CALL = "in_call"
    TRIAGED = "triaged"
    BOOKED = "booked"
    REFERRED_ON = "referred_on"
    DISCHARGED_WITH_ADVICE = "discharged_with_advice"
    UNABLE_TO_CONTACT = "unable_to_contact"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Still waiting for its triage call (on the open worklist)."""
        return self in (ReferralStatus.AWAITING_CALL, ReferralStatus.IN_CALL)


OPEN_STATUSES = (ReferralStatus.AWAITING_CALL, ReferralStatus.IN_CALL)


class Sex(StrEnum):
    """Sex as recorded (patients) or stated (clinicians, for patients' preferences)."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class PhoneKind(StrEnum):
    """What kind of phone number a patient gave."""

    MOBILE = "mobile"
    HOME = "home"
    WORK = "work"
    OTHER = "other"


class AppointmentType(StrEnum):
    """Kinds of face-to-face appointment a slot offers."""

    NEW_PATIENT = "new_patient"
    FOLLOW_UP = "follow_up"


class SlotState(StrEnum):
    """Whether a slot can be offered."""

    FREE = "free"
    BOOKED = "booked"
    BLOCKED = "blocked"


class AppointmentStatus(StrEnum):
    """An appointment's lifecycle."""

    BOOKED = "booked"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"


class CancelInitiator(StrEnum):
    """Who asked for an appointment to be cancelled."""

    PATIENT = "patient"
    SERVICE = "service"


class RotaExceptionKind(StrEnum):
    """Why rota sessions do not run."""

    LEAVE = "leave"
    TRAINING = "training"
    CLOSURE = "closure"


class AssessmentState(StrEnum):
    """An assessment is a draft until signed; then immutable, corrected by addenda."""

    DRAFT = "draft"
    SIGNED = "signed"


class LetterStatus(StrEnum):
    """Where a letter is in the print queue."""

    QUEUED = "queued"
    HELD = "held"
    PRINTED = "printed"
    CANCELLED = "cancelled"
