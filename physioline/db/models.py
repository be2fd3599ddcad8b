"""The tables of a PhysioLine service: patients, referrals, calls, assessments, slots, letters.

Every clinical row that colleagues may change at the same time carries ``version`` as SQLAlchemy's
``version_id_col``: an UPDATE matches ``WHERE version = :seen`` and a lost race raises instead of
overwriting. Double booking is made impossible by the database itself (a partial unique index on
live appointments per slot; one slot per clinician and start time).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from physioline.clock import LONDON
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
from physioline.db.base import Base, enum_type

JSONType = sa.JSON()


class ServiceSetting(Base):
    """A service-wide setting shared by every desk (due-time rule, call-attempt rule, demo mark)."""

    __tablename__ = "service_setting"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONType)
    updated_at: Mapped[datetime]


class GPPractice(Base):
    """A GP practice that refers patients and receives GP letters."""

    __tablename__ = "gp_practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    ods_code: Mapped[str] = mapped_column(sa.String(10), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.Text)
    postcode: Mapped[str] = mapped_column(sa.String(10))
    phone: Mapped[str | None] = mapped_column(sa.String(32))


class Clinic(Base):
    """A clinic location where face-to-face appointments happen."""

    __tablename__ = "clinic"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.Text)
    postcode: Mapped[str] = mapped_column(sa.String(10))
    #: Postcode districts (outward codes such as "SE15") this clinic serves best.
    served_districts: Mapped[list[str]] = mapped_column(JSONType, default=list)
    opening_notes: Mapped[str] = mapped_column(sa.Text, default="")
    travel_notes: Mapped[str] = mapped_column(sa.Text, default="")
    step_free_access: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)


class User(Base):
    """A person who signs in: clinician, team lead, booking office or IT."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    profession: Mapped[str] = mapped_column(sa.String(100), default="")
    registration_number: Mapped[str | None] = mapped_column(sa.String(32))
    sex: Mapped[Sex] = mapped_column(enum_type(Sex, "sex"), default=Sex.UNKNOWN)
    #: Languages spoken besides English (ISO names, e.g. "Polish"), for patients' preferences.
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: Triage calls this clinician can make in one session on triage duty (share-out capacity).
    calls_per_session: Mapped[int] = mapped_column(default=6)
    #: argon2id hash for the embedded database's own sign-in; NULL on PostgreSQL (server auth).
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    __table_args__ = (sa.CheckConstraint("calls_per_session >= 0", name="calls_nonnegative"),)


class Shift(Base):
    """A clinician's triage duty on one day: sessions on the phones and capacity for calls."""

    __tablename__ = "shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    on_date: Mapped[date]
    triage_sessions: Mapped[int] = mapped_column(default=2)
    capacity: Mapped[int]

    __table_args__ = (
        sa.UniqueConstraint("clinician_id", "on_date"),
        sa.CheckConstraint("capacity >= 0", name="capacity_nonnegative"),
    )


class Patient(Base):
    """A patient, with the communication needs of the NHS Accessible Information Standard."""

    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(primary_key=True)
    nhs_number: Mapped[str] = mapped_column(sa.String(10), unique=True)
    title: Mapped[str] = mapped_column(sa.String(20), default="")
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100))
    date_of_birth: Mapped[date]
    sex: Mapped[Sex] = mapped_column(enum_type(Sex, "sex"))
    #: Street address lines, one per line; empty when the patient has no postal address.
    address: Mapped[str] = mapped_column(sa.Text, default="")
    postcode: Mapped[str | None] = mapped_column(sa.String(10))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    gp_practice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gp_practice.id"))
    large_print: Mapped[bool] = mapped_column(default=False)
    easy_read: Mapped[bool] = mapped_column(default=False)
    braille: Mapped[bool] = mapped_column(default=False)
    interpreter_language: Mapped[str | None] = mapped_column(sa.String(64))
    carer_name: Mapped[str | None] = mapped_column(sa.String(200))
    carer_phone: Mapped[str | None] = mapped_column(sa.String(32))
    communication_notes: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    phones: Mapped[list[PatientPhone]] = relationship(
        back_populates="patient", order_by="PatientPhone.position", cascade="all, delete-orphan"
    )
    gp_practice: Mapped[GPPractice | None] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint("length(nhs_number) = 10", name="nhs_number_ten_digits"),
        sa.Index("ix_patient_family_name", "family_name"),
    )


class PatientPhone(Base):
    """One of a patient's phone numbers; one of them is the preferred number."""

    __tablename__ = "patient_phone"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patient.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(sa.String(32))
    #: Digits only, for searching by phone number however it was typed.
    digits: Mapped[str] = mapped_column(sa.String(32), index=True)
    kind: Mapped[PhoneKind] = mapped_column(enum_type(PhoneKind, "phone_kind"))
    preferred: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(sa.String(200), default="")

    patient: Mapped[Patient] = relationship(back_populates="phones")


class Referral(Base):
    """A referral for MSK physiotherapy, due its triage call within 48 hours of receipt."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patient.id"), index=True)
    source: Mapped[ReferralSource] = mapped_column(enum_type(ReferralSource, "referral_source"))
    referrer: Mapped[str] = mapped_column(sa.String(200), default="")
    gp_practice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gp_practice.id"))
    received_at: Mapped[datetime]
    due_at: Mapped[datetime]
    #: The protocol id of the body region (clinical-spec section 2.1).
    body_region: Mapped[str] = mapped_column(sa.String(32))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    gp_urgency: Mapped[GpUrgency] = mapped_column(enum_type(GpUrgency, "gp_urgency"))
    status: Mapped[ReferralStatus] = mapped_column(enum_type(ReferralStatus, "referral_status"))
    assigned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    claimed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    claimed_at: Mapped[datetime | None]
    #: When the referral left the open worklist (triaged, unable to contact, cancelled).
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    patient: Mapped[Patient] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    call_attempts: Mapped[list[CallAttempt]] = relationship(
        back_populates="referral", order_by="CallAttempt.made_at"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # The worklist's keyset order: open referrals, most urgent (earliest due) first. Partial,
        # so a page reads only open referrals in due order and never sorts (SQLite needs the
        # IN list written literally in the query to use it; see services.queries).
        sa.Index(
            "ix_referral_open_due_at_id",
            "due_at",
            "id",
            sqlite_where=sa.text("status IN ('awaiting_call', 'in_call')"),
            postgresql_where=sa.text("status IN ('awaiting_call', 'in_call')"),
        ),
        # One clinician's open worklist, in due order.
        sa.Index(
            "ix_referral_open_assigned_due_at_id",
            "assigned_to_id",
            "due_at",
            "id",
            sqlite_where=sa.text("status IN ('awaiting_call', 'in_call')"),
            postgresql_where=sa.text("status IN ('awaiting_call', 'in_call')"),
        ),
        sa.Index("ix_referral_received_at", "received_at"),
        sa.CheckConstraint("(claimed_by_id IS NULL) = (claimed_at IS NULL)", name="claim_has_time"),
    )


class CallAttempt(Base):
    """One telephone call made (or tried) to the patient about a referral."""

    __tablename__ = "call_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referral.id"), index=True)
    made_at: Mapped[datetime]
    made_by_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    result: Mapped[str] = mapped_column(
        sa.Enum(
            "answered",
            "no_answer",
            "voicemail_left",
            "wrong_number",
            "declined",
            name="attempt_result",
            native_enum=False,
            create_constraint=True,
            length=32,
        )
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")

    referral: Mapped[Referral] = relationship(back_populates="call_attempts")
    made_by: Mapped[User] = relationship()


class ProtocolVersion(Base):
    """A protocol file's exact bytes, keyed by SHA-256, so old assessments reopen faithfully."""

    __tablename__ = "protocol_version"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    protocol_id: Mapped[str] = mapped_column(sa.String(32))
    version: Mapped[str] = mapped_column(sa.String(32))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    first_used_at: Mapped[datetime]


class Assessment(Base):
    """The record of one triage call: answers, red flags, scores and the disposition decided."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referral.id"), index=True)
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    protocol_id: Mapped[str] = mapped_column(sa.String(32))
    protocol_version: Mapped[str] = mapped_column(sa.String(32))
    protocol_sha256: Mapped[str] = mapped_column(sa.ForeignKey("protocol_version.sha256"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    red_flags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    scores: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    recommended_disposition: Mapped[str | None] = mapped_column(sa.String(32))
    chosen_disposition: Mapped[str | None] = mapped_column(sa.String(32))
    destination: Mapped[str | None] = mapped_column(sa.String(40))
    pathway: Mapped[str | None] = mapped_column(sa.String(40))
    downgrade_reason: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[AssessmentState] = mapped_column(enum_type(AssessmentState, "assessment_state"))
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    signed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    addenda: Mapped[list[AssessmentAddendum]] = relationship(
        back_populates="assessment", order_by="AssessmentAddendum.written_at"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint("(state = 'signed') = (signed_at IS NOT NULL)", name="signed_has_time"),
    )


class AssessmentAddendum(Base):
    """A correction or addition to a signed assessment, with who wrote it and when."""

    __tablename__ = "assessment_addendum"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    written_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(sa.Text)

    assessment: Mapped[Assessment] = relationship(back_populates="addenda")


class RotaTemplate(Base):
    """A weekly clinic session of one clinician that generates bookable slots."""

    __tablename__ = "rota_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinic.id"))
    #: ``date.weekday()`` number: Monday = 0 … Sunday = 6 (as core.slots and core.due count).
    weekday: Mapped[int]
    #: Wall-clock times in Europe/London.
    starts: Mapped[time]
    ends: Mapped[time]
    appointment_type: Mapped[AppointmentType] = mapped_column(
        enum_type(AppointmentType, "appointment_type")
    )
    slot_minutes: Mapped[int]
    #: How many of the session's first new-patient slots are held for urgent patients.
    held_for_urgent: Mapped[int] = mapped_column(default=0)
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]

    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_monday_zero"),
        sa.CheckConstraint("ends > starts", name="ends_after_starts"),
        sa.CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
    )


class RotaException(Base):
    """Leave or training for a clinician, or a closure of a clinic, over a period."""

    __tablename__ = "rota_exception"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RotaExceptionKind] = mapped_column(
        enum_type(RotaExceptionKind, "rota_exception_kind")
    )
    clinician_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    clinic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clinic.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
        sa.CheckConstraint(
            "(clinician_id IS NOT NULL) OR (clinic_id IS NOT NULL)", name="names_who_or_where"
        ),
    )


#: Names of the database objects that refuse overlapping slots of one clinician (migration
#: 0003): Alembic's autogenerate can compare neither triggers nor exclusion constraints, so
#: migrations/env.py leaves these names out of ``alembic check``.
SLOT_OVERLAP_GUARD = frozenset(
    {"ex_slot_clinician_no_overlap", "tr_slot_no_overlap_insert", "tr_slot_no_overlap_update"}
)


def _slot_start(context: Any) -> datetime:
    starts_at: datetime = context.get_current_parameters()["starts_at"]
    if starts_at.tzinfo is None:
        raise ValueError("naive datetime refused: PhysioLine stores timezone-aware UTC times")
    return starts_at.astimezone(LONDON)


def _slot_weekday(context: Any) -> int:
    return _slot_start(context).weekday()


def _slot_start_minute(context: Any) -> int:
    local = _slot_start(context)
    return local.hour * 60 + local.minute


class Slot(Base):
    """A bookable face-to-face appointment time of one clinician at one clinic."""

    __tablename__ = "slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinic.id"))
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    rota_template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rota_template.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    appointment_type: Mapped[AppointmentType] = mapped_column(
        enum_type(AppointmentType, "appointment_type")
    )
    held_for_urgent: Mapped[bool] = mapped_column(default=False)
    state: Mapped[SlotState] = mapped_column(enum_type(SlotState, "slot_state"))
    blocked_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: Europe/London weekday of the start (Monday 0) and its wall-clock minute of the day,
    #: filled from ``starts_at`` when the slot is written (``starts_at`` never changes), so a
    #: search for "Tuesday and Thursday afternoons" runs in SQL on both databases. NULL only for
    #: a slot written outside PhysioLine; day and time-of-day filters then never offer it.
    weekday: Mapped[int | None] = mapped_column(sa.SmallInteger, default=_slot_weekday)
    start_minute: Mapped[int | None] = mapped_column(sa.SmallInteger, default=_slot_start_minute)
    version: Mapped[int] = mapped_column(default=1)

    clinic: Mapped[Clinic] = relationship()
    clinician: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # One clinician cannot be in two places at the same start time. Overlapping times are
        # refused too (migration 0003): an exclusion constraint on PostgreSQL, triggers on
        # SQLite; neither can be declared here, see SLOT_OVERLAP_GUARD.
        sa.UniqueConstraint("clinician_id", "starts_at"),
        sa.Index("ix_slot_state_type_starts_at", "state", "appointment_type", "starts_at"),
        # Slot search: free slots of a type in (start, id) order, the keyset of the booking
        # panel; partial, so booked and blocked slots cost the search nothing.
        sa.Index(
            "ix_slot_free_type_starts_at_id",
            "appointment_type",
            "starts_at",
            "id",
            sqlite_where=sa.text("state = 'free'"),
            postgresql_where=sa.text("state = 'free'"),
        ),
        # Calendars: one clinic's slots over a day or a week.
        sa.Index("ix_slot_clinic_id_starts_at", "clinic_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
    )


class Appointment(Base):
    """A patient's booking of a slot, with its history kept when cancelled."""

    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("slot.id"))
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patient.id"), index=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referral.id"), index=True)
    booked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    booked_at: Mapped[datetime]
    status: Mapped[AppointmentStatus] = mapped_column(
        enum_type(AppointmentStatus, "appointment_status")
    )
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    cancel_initiator: Mapped[CancelInitiator | None] = mapped_column(
        enum_type(CancelInitiator, "cancel_initiator")
    )
    #: The cancelled appointment this one replaced, when booked by a rebook.
    rebooked_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("appointment.id"))
    version: Mapped[int] = mapped_column(default=1)

    slot: Mapped[Slot] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # The database, not a read-then-check, makes a second live booking of a slot impossible.
        sa.Index(
            "uq_appointment_live_slot",
            "slot_id",
            unique=True,
            sqlite_where=sa.text("status <> 'cancelled'"),
            postgresql_where=sa.text("status <> 'cancelled'"),
        ),
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancel_has_time"
        ),
    )


class WaitingListEntry(Base):
    """A referral waiting for a slot at preferred clinics when nothing fitted the target window."""

    __tablename__ = "waiting_list_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referral.id"), index=True)
    clinic_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    appointment_type: Mapped[AppointmentType] = mapped_column(
        enum_type(AppointmentType, "appointment_type")
    )
    urgent: Mapped[bool] = mapped_column(default=False)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    added_at: Mapped[datetime]
    added_by_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    removed_at: Mapped[datetime | None]
    removed_reason: Mapped[str | None] = mapped_column(sa.Text)


class Letter(Base):
    """A letter to a patient or GP, queued by a call, booking or failed contact; kept as sent."""

    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        sa.Enum(
            "advice",
            "appointment",
            "unable_to_contact",
            "gp",
            name="letter_kind",
            native_enum=False,
            create_constraint=True,
            length=32,
        )
    )
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patient.id"), index=True)
    referral_id: Mapped[int | None] = mapped_column(sa.ForeignKey("referral.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assessment.id"))
    appointment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("appointment.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    created_at: Mapped[datetime]
    status: Mapped[LetterStatus] = mapped_column(enum_type(LetterStatus, "letter_status"))
    held_reason: Mapped[str | None] = mapped_column(sa.Text)
    large_print: Mapped[bool] = mapped_column(default=False)
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    printed_at: Mapped[datetime | None]
    printed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    print_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (sa.Index("ix_letter_status_created_at", "status", "created_at"),)


class PostcodeDistrict(Base):
    """The centroid of a postcode district (Open Government Licence data), for distances."""

    __tablename__ = "postcode_district"

    district: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    latitude: Mapped[float]
    longitude: Mapped[float]


class AuditEvent(Base):
    """An append-only record of who did what to which record and when, hash-chained."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    #: The database login or desktop user name, kept even for actions outside the app.
    actor: Mapped[str] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(64))
    entity: Mapped[str] = mapped_column(sa.String(64))
    entity_id: Mapped[str | None] = mapped_column(sa.String(64))
    patient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patient.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    row_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    __table_args__ = (
        sa.Index("ix_audit_event_patient_id_occurred_at", "patient_id", "occurred_at"),
    )
