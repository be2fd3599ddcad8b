"""The ORM classes of PhysioLine's tables, mapped onto the Core tables of ``db.tables``.

The schema itself (columns, types, constraints, indexes, comments) is defined once, in
``db.tables``; here are the typed attributes, the relationships and the optimistic-concurrency
``version_id_col`` of the rows that colleagues may change at the same time. Importing this
module also declares the partial indexes (see ``db.tables``), so migrations and ``alembic
check`` see the whole schema.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy.orm import Mapped, relationship

from physioline.core.referral import (
    AppointmentStatus,
    AppointmentType,
    AssessmentState,
    CancelInitiator,
    GpUrgency,
    LetterStatus,
    PhoneKind,
    ReferralSource,
    ReferralStatus,
    Role,
    RotaExceptionKind,
    Sex,
    SlotState,
)
from physioline.db import tables
from physioline.db.base import Base
from physioline.db.tables import SLOT_OVERLAP_GUARD

__all__ = ["SLOT_OVERLAP_GUARD"]

tables.complete()


class ServiceSetting(Base):
    """A service-wide setting shared by every desk (due-time rule, call-attempt rule, demo mark)."""

    __table__ = tables.service_setting

    key: Mapped[str]
    value: Mapped[Any]
    updated_at: Mapped[datetime]


class GPPractice(Base):
    """A GP practice that refers patients and receives GP letters."""

    __table__ = tables.gp_practice

    id: Mapped[int]
    ods_code: Mapped[str]
    name: Mapped[str]
    address: Mapped[str]
    postcode: Mapped[str]
    phone: Mapped[str | None]


class Clinic(Base):
    """A clinic location where face-to-face appointments happen."""

    __table__ = tables.clinic

    id: Mapped[int]
    code: Mapped[str]
    name: Mapped[str]
    address: Mapped[str]
    postcode: Mapped[str]
    served_districts: Mapped[list[str]]
    opening_notes: Mapped[str]
    travel_notes: Mapped[str]
    step_free_access: Mapped[bool]
    active: Mapped[bool]


class User(Base):
    """A person who signs in: clinician, team lead, booking office or IT."""

    __table__ = tables.app_user

    id: Mapped[int]
    username: Mapped[str]
    display_name: Mapped[str]
    role: Mapped[Role]
    profession: Mapped[str]
    registration_number: Mapped[str | None]
    sex: Mapped[Sex]
    languages: Mapped[list[str]]
    calls_per_session: Mapped[int]
    password_hash: Mapped[str | None]
    active: Mapped[bool]
    created_at: Mapped[datetime]


class Shift(Base):
    """A clinician's triage duty on one day: sessions on the phones and capacity for calls."""

    __table__ = tables.shift

    id: Mapped[int]
    clinician_id: Mapped[int]
    on_date: Mapped[date]
    triage_sessions: Mapped[int]
    capacity: Mapped[int]


class Patient(Base):
    """A patient, with the communication needs of the NHS Accessible Information Standard."""

    __table__ = tables.patient

    id: Mapped[int]
    nhs_number: Mapped[str]
    title: Mapped[str]
    given_name: Mapped[str]
    family_name: Mapped[str]
    date_of_birth: Mapped[date]
    sex: Mapped[Sex]
    address: Mapped[str]
    postcode: Mapped[str | None]
    email: Mapped[str | None]
    gp_practice_id: Mapped[int | None]
    large_print: Mapped[bool]
    easy_read: Mapped[bool]
    braille: Mapped[bool]
    interpreter_language: Mapped[str | None]
    carer_name: Mapped[str | None]
    carer_phone: Mapped[str | None]
    communication_notes: Mapped[str]
    version: Mapped[int]

    phones: Mapped[list[PatientPhone]] = relationship(
        back_populates="patient", order_by="PatientPhone.position", cascade="all, delete-orphan"
    )
    gp_practice: Mapped[GPPractice | None] = relationship()

    __mapper_args__ = {"version_id_col": tables.patient.c.version}  # noqa: RUF012


class PatientPhone(Base):
    """One of a patient's phone numbers; one of them is the preferred number."""

    __table__ = tables.patient_phone

    id: Mapped[int]
    patient_id: Mapped[int]
    number: Mapped[str]
    digits: Mapped[str]
    kind: Mapped[PhoneKind]
    preferred: Mapped[bool]
    position: Mapped[int]
    note: Mapped[str]

    patient: Mapped[Patient] = relationship(back_populates="phones")


class Referral(Base):
    """A referral for MSK physiotherapy, due its triage call within 48 hours of receipt."""

    __table__ = tables.referral

    id: Mapped[int]
    patient_id: Mapped[int]
    source: Mapped[ReferralSource]
    referrer: Mapped[str]
    gp_practice_id: Mapped[int | None]
    received_at: Mapped[datetime]
    due_at: Mapped[datetime]
    body_region: Mapped[str]
    reason: Mapped[str]
    gp_urgency: Mapped[GpUrgency]
    status: Mapped[ReferralStatus]
    assigned_to_id: Mapped[int | None]
    claimed_by_id: Mapped[int | None]
    claimed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    version: Mapped[int]

    patient: Mapped[Patient] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[tables.referral.c.assigned_to_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[tables.referral.c.claimed_by_id])
    call_attempts: Mapped[list[CallAttempt]] = relationship(
        back_populates="referral", order_by="CallAttempt.made_at"
    )

    __mapper_args__ = {"version_id_col": tables.referral.c.version}  # noqa: RUF012


class CallAttempt(Base):
    """One telephone call made (or tried) to the patient about a referral."""

    __table__ = tables.call_attempt

    id: Mapped[int]
    referral_id: Mapped[int]
    made_at: Mapped[datetime]
    made_by_id: Mapped[int]
    result: Mapped[str]
    note: Mapped[str]

    referral: Mapped[Referral] = relationship(back_populates="call_attempts")
    made_by: Mapped[User] = relationship()


class ProtocolVersion(Base):
    """A protocol file's exact bytes, keyed by SHA-256, so old assessments reopen faithfully."""

    __table__ = tables.protocol_version

    sha256: Mapped[str]
    protocol_id: Mapped[str]
    version: Mapped[str]
    content: Mapped[bytes]
    first_used_at: Mapped[datetime]


class Assessment(Base):
    """The record of one triage call: answers, red flags, scores and the disposition decided."""

    __table__ = tables.assessment

    id: Mapped[int]
    referral_id: Mapped[int]
    clinician_id: Mapped[int]
    protocol_id: Mapped[str]
    protocol_version: Mapped[str]
    protocol_sha256: Mapped[str]
    answers: Mapped[dict[str, Any]]
    red_flags: Mapped[list[str]]
    scores: Mapped[dict[str, Any]]
    recommended_disposition: Mapped[str | None]
    chosen_disposition: Mapped[str | None]
    destination: Mapped[str | None]
    pathway: Mapped[str | None]
    downgrade_reason: Mapped[str | None]
    notes: Mapped[str]
    state: Mapped[AssessmentState]
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    signed_at: Mapped[datetime | None]
    version: Mapped[int]

    addenda: Mapped[list[AssessmentAddendum]] = relationship(
        back_populates="assessment", order_by="AssessmentAddendum.written_at"
    )

    __mapper_args__ = {"version_id_col": tables.assessment.c.version}  # noqa: RUF012


class AssessmentAddendum(Base):
    """A correction or addition to a signed assessment, with who wrote it and when."""

    __table__ = tables.assessment_addendum

    id: Mapped[int]
    assessment_id: Mapped[int]
    author_id: Mapped[int]
    written_at: Mapped[datetime]
    text: Mapped[str]

    assessment: Mapped[Assessment] = relationship(back_populates="addenda")


class RotaTemplate(Base):
    """A weekly clinic session of one clinician that generates bookable slots."""

    __table__ = tables.rota_template

    id: Mapped[int]
    clinician_id: Mapped[int]
    clinic_id: Mapped[int]
    weekday: Mapped[int]
    starts: Mapped[time]
    ends: Mapped[time]
    appointment_type: Mapped[AppointmentType]
    slot_minutes: Mapped[int]
    held_for_urgent: Mapped[int]
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]


class RotaException(Base):
    """Leave or training for a clinician, or a closure of a clinic, over a period."""

    __table__ = tables.rota_exception

    id: Mapped[int]
    kind: Mapped[RotaExceptionKind]
    clinician_id: Mapped[int | None]
    clinic_id: Mapped[int | None]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    note: Mapped[str]


class Slot(Base):
    """A bookable face-to-face appointment time of one clinician at one clinic."""

    __table__ = tables.slot

    id: Mapped[int]
    clinic_id: Mapped[int]
    clinician_id: Mapped[int]
    rota_template_id: Mapped[int | None]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    appointment_type: Mapped[AppointmentType]
    held_for_urgent: Mapped[bool]
    state: Mapped[SlotState]
    blocked_reason: Mapped[str | None]
    weekday: Mapped[int | None]
    start_minute: Mapped[int | None]
    version: Mapped[int]

    clinic: Mapped[Clinic] = relationship()
    clinician: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": tables.slot.c.version}  # noqa: RUF012


class Appointment(Base):
    """A patient's booking of a slot, with its history kept when cancelled."""

    __table__ = tables.appointment

    id: Mapped[int]
    slot_id: Mapped[int]
    patient_id: Mapped[int]
    referral_id: Mapped[int]
    booked_by_id: Mapped[int]
    booked_at: Mapped[datetime]
    status: Mapped[AppointmentStatus]
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None]
    cancel_reason: Mapped[str | None]
    cancel_initiator: Mapped[CancelInitiator | None]
    rebooked_from_id: Mapped[int | None]
    version: Mapped[int]

    slot: Mapped[Slot] = relationship()

    __mapper_args__ = {"version_id_col": tables.appointment.c.version}  # noqa: RUF012


class WaitingListEntry(Base):
    """A referral waiting for a slot at preferred clinics when nothing fitted the target window."""

    __table__ = tables.waiting_list_entry

    id: Mapped[int]
    referral_id: Mapped[int]
    clinic_ids: Mapped[list[int]]
    appointment_type: Mapped[AppointmentType]
    urgent: Mapped[bool]
    preferences: Mapped[dict[str, Any]]
    added_at: Mapped[datetime]
    added_by_id: Mapped[int]
    removed_at: Mapped[datetime | None]
    removed_reason: Mapped[str | None]


class Letter(Base):
    """A letter to a patient or GP, queued by a call, booking or failed contact; kept as sent."""

    __table__ = tables.letter

    id: Mapped[int]
    kind: Mapped[str]
    patient_id: Mapped[int]
    referral_id: Mapped[int | None]
    assessment_id: Mapped[int | None]
    appointment_id: Mapped[int | None]
    created_by_id: Mapped[int]
    created_at: Mapped[datetime]
    status: Mapped[LetterStatus]
    held_reason: Mapped[str | None]
    large_print: Mapped[bool]
    pdf: Mapped[bytes | None]
    pdf_sha256: Mapped[str | None]
    printed_at: Mapped[datetime | None]
    printed_by_id: Mapped[int | None]
    print_count: Mapped[int]
    version: Mapped[int]

    __mapper_args__ = {"version_id_col": tables.letter.c.version}  # noqa: RUF012


class PostcodeDistrict(Base):
    """The centroid of a postcode district (Open Government Licence data), for distances."""

    __table__ = tables.postcode_district

    district: Mapped[str]
    latitude: Mapped[float]
    longitude: Mapped[float]


class AuditEvent(Base):
    """An append-only record of who did what to which record and when, hash-chained."""

    __table__ = tables.audit_event

    id: Mapped[int]
    occurred_at: Mapped[datetime]
    user_id: Mapped[int | None]
    actor: Mapped[str]
    action: Mapped[str]
    entity: Mapped[str]
    entity_id: Mapped[str | None]
    patient_id: Mapped[int | None]
    details: Mapped[dict[str, Any]]
    prev_hash: Mapped[str]
    row_hash: Mapped[str]
