"""The tables of a PhysioLine service, as SQLAlchemy Core: the one definition of the schema.

Patients, referrals, calls, assessments, slots, letters and the audit trail. ``db.models`` maps
its ORM classes onto these tables; the start-up path (sign-in and the first worklist page) and
the hot reads use them directly, so a desk paints its worklist without loading the ORM.

Every clinical row that colleagues may change at the same time carries ``version``, the ORM's
``version_id_col``: an UPDATE matches ``WHERE version = :seen`` and a lost race raises instead of
overwriting. Double booking is made impossible by the database itself (a partial unique index on
live appointments per slot; one slot per clinician and start time).

Each table is built the first time it is used (``tables.referral``, or imported by name):
building all twenty with their enum checks and constraint names costs a desk's start-up tens
of milliseconds, and the first paint needs eight of them. :func:`complete` builds the rest and
declares the four partial indexes, whose ``postgresql_where`` makes SQLAlchemy load its
PostgreSQL dialect; ``db.models`` calls it, so migrations, ``alembic check`` and the ORM always
see the whole schema.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

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

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


# The tables, built on first use by the module's ``__getattr__`` (see the docstring).
service_setting: sa.Table
gp_practice: sa.Table
clinic: sa.Table
app_user: sa.Table
shift: sa.Table
patient: sa.Table
patient_phone: sa.Table
referral: sa.Table
call_attempt: sa.Table
protocol_version: sa.Table
assessment: sa.Table
assessment_addendum: sa.Table
rota_template: sa.Table
rota_exception: sa.Table
slot: sa.Table
appointment: sa.Table
waiting_list_entry: sa.Table
letter: sa.Table
postcode_district: sa.Table
audit_event: sa.Table


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC that refuses naive datetimes and always reads back aware UTC.

    SQLite has no timezone type: values are stored as naive UTC text of fixed width, so they
    sort in time order; PostgreSQL stores ``timestamptz``.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes; store UTC (naive on SQLite)."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: PhysioLine stores timezone-aware UTC times")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return aware UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any]:
        """Read timestamps in one step: worklists read tens of thousands of them.

        SQLite hands back the stored text, parsed here as UTC; PostgreSQL hands back an aware
        datetime, converted to UTC only when the session's time zone was not UTC already.
        """
        if dialect.name == "sqlite":

            def from_text(value: Any) -> datetime | None:
                if value is None:
                    return None
                if isinstance(value, str):
                    return datetime.fromisoformat(value + "+00:00")
                return self.process_result_value(value, dialect)

            return from_text

        def to_utc(value: Any) -> datetime | None:
            if value is None or value.tzinfo is UTC:
                return value  # type: ignore[no-any-return]
            return self.process_result_value(value, dialect)

        return to_utc


def enum_type(enum_cls: type[enum.StrEnum], name: str) -> sa.Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint listing the values."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def _string_enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


JSONType = sa.JSON()


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True)


def _stamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def _fk(
    name: str,
    target: str,
    *,
    nullable: bool = False,
    type_: sa.types.TypeEngine[Any] | None = None,
    ondelete: str | None = None,
    index: bool | None = None,
) -> sa.Column[Any]:
    return sa.Column(
        name,
        type_ if type_ is not None else sa.Integer(),
        sa.ForeignKey(target, ondelete=ondelete),
        nullable=nullable,
        index=index,
    )


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer, nullable=False, default=1)


def _service_setting() -> sa.Table:
    """A service-wide setting shared by every desk (due-time rule, call-attempt rule, demo mark)."""
    return sa.Table(
        "service_setting",
        metadata,
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", JSONType, nullable=False),
        _stamp("updated_at"),
    )


def _gp_practice() -> sa.Table:
    """A GP practice that refers patients and receives GP letters."""
    return sa.Table(
        "gp_practice",
        metadata,
        _id(),
        sa.Column("ods_code", sa.String(10), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("postcode", sa.String(10), nullable=False),
        sa.Column("phone", sa.String(32)),
    )


def _clinic() -> sa.Table:
    """A clinic location where face-to-face appointments happen."""
    return sa.Table(
        "clinic",
        metadata,
        _id(),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("postcode", sa.String(10), nullable=False),
        # Postcode districts (outward codes such as "SE15") this clinic serves best.
        sa.Column("served_districts", JSONType, nullable=False, default=list),
        sa.Column("opening_notes", sa.Text, nullable=False, default=""),
        sa.Column("travel_notes", sa.Text, nullable=False, default=""),
        sa.Column("step_free_access", sa.Boolean, nullable=False, default=True),
        sa.Column("active", sa.Boolean, nullable=False, default=True),
    )


def _app_user() -> sa.Table:
    """A person who signs in: clinician, team lead, booking office or IT."""
    return sa.Table(
        "app_user",
        metadata,
        _id(),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", enum_type(Role, "role"), nullable=False),
        sa.Column("profession", sa.String(100), nullable=False, default=""),
        sa.Column("registration_number", sa.String(32)),
        sa.Column("sex", enum_type(Sex, "sex"), nullable=False, default=Sex.UNKNOWN),
        # Languages spoken besides English (ISO names, e.g. "Polish"), for patients' preferences.
        sa.Column("languages", JSONType, nullable=False, default=list),
        # Triage calls this clinician can make in one session on triage duty (share-out capacity).
        sa.Column("calls_per_session", sa.Integer, nullable=False, default=6),
        # argon2id hash for the embedded database's own sign-in; NULL on PostgreSQL (server auth).
        sa.Column("password_hash", sa.String(255)),
        sa.Column("active", sa.Boolean, nullable=False, default=True),
        _stamp("created_at"),
        sa.CheckConstraint("calls_per_session >= 0", name="calls_nonnegative"),
    )


def _shift() -> sa.Table:
    """A clinician's triage duty on one day: sessions on the phones and capacity for calls."""
    return sa.Table(
        "shift",
        metadata,
        _id(),
        _fk("clinician_id", "app_user.id"),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("triage_sessions", sa.Integer, nullable=False, default=2),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.UniqueConstraint("clinician_id", "on_date"),
        sa.CheckConstraint("capacity >= 0", name="capacity_nonnegative"),
    )


def _patient() -> sa.Table:
    """A patient, with the communication needs of the NHS Accessible Information Standard."""
    return sa.Table(
        "patient",
        metadata,
        _id(),
        sa.Column("nhs_number", sa.String(10), nullable=False, unique=True),
        sa.Column("title", sa.String(20), nullable=False, default=""),
        sa.Column("given_name", sa.String(100), nullable=False),
        sa.Column("family_name", sa.String(100), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("sex", enum_type(Sex, "sex"), nullable=False),
        # Street address lines, one per line; empty when the patient has no postal address.
        sa.Column("address", sa.Text, nullable=False, default=""),
        sa.Column("postcode", sa.String(10)),
        sa.Column("email", sa.String(200)),
        _fk("gp_practice_id", "gp_practice.id", nullable=True),
        sa.Column("large_print", sa.Boolean, nullable=False, default=False),
        sa.Column("easy_read", sa.Boolean, nullable=False, default=False),
        sa.Column("braille", sa.Boolean, nullable=False, default=False),
        sa.Column("interpreter_language", sa.String(64)),
        sa.Column("carer_name", sa.String(200)),
        sa.Column("carer_phone", sa.String(32)),
        sa.Column("communication_notes", sa.Text, nullable=False, default=""),
        _version(),
        sa.CheckConstraint("length(nhs_number) = 10", name="nhs_number_ten_digits"),
        sa.Index("ix_patient_family_name", "family_name"),
    )


def _patient_phone() -> sa.Table:
    """One of a patient's phone numbers; one of them is the preferred number."""
    return sa.Table(
        "patient_phone",
        metadata,
        _id(),
        _fk("patient_id", "patient.id", ondelete="CASCADE"),
        sa.Column("number", sa.String(32), nullable=False),
        # Digits only, for searching by phone number however it was typed.
        sa.Column("digits", sa.String(32), nullable=False, index=True),
        sa.Column("kind", enum_type(PhoneKind, "phone_kind"), nullable=False),
        sa.Column("preferred", sa.Boolean, nullable=False, default=False),
        sa.Column("position", sa.Integer, nullable=False, default=0),
        sa.Column("note", sa.String(200), nullable=False, default=""),
    )


def _referral() -> sa.Table:
    """A referral for MSK physiotherapy, due its triage call within 48 hours of receipt."""
    return sa.Table(
        "referral",
        metadata,
        _id(),
        _fk("patient_id", "patient.id", index=True),
        sa.Column("source", enum_type(ReferralSource, "referral_source"), nullable=False),
        sa.Column("referrer", sa.String(200), nullable=False, default=""),
        _fk("gp_practice_id", "gp_practice.id", nullable=True),
        _stamp("received_at"),
        _stamp("due_at"),
        # The protocol id of the body region (clinical-spec section 2.1).
        sa.Column("body_region", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False, default=""),
        sa.Column("gp_urgency", enum_type(GpUrgency, "gp_urgency"), nullable=False),
        sa.Column("status", enum_type(ReferralStatus, "referral_status"), nullable=False),
        _fk("assigned_to_id", "app_user.id", nullable=True, index=True),
        _fk("claimed_by_id", "app_user.id", nullable=True),
        _stamp("claimed_at", nullable=True),
        # When the referral left the open worklist (triaged, unable to contact, cancelled).
        _stamp("closed_at", nullable=True),
        _stamp("updated_at"),
        _version(),
        sa.Index("ix_referral_received_at", "received_at"),
        sa.CheckConstraint("(claimed_by_id IS NULL) = (claimed_at IS NULL)", name="claim_has_time"),
    )


def _call_attempt() -> sa.Table:
    """One telephone call made (or tried) to the patient about a referral."""
    return sa.Table(
        "call_attempt",
        metadata,
        _id(),
        _fk("referral_id", "referral.id", index=True),
        _stamp("made_at"),
        _fk("made_by_id", "app_user.id"),
        sa.Column(
            "result",
            _string_enum(
                "attempt_result",
                "answered",
                "no_answer",
                "voicemail_left",
                "wrong_number",
                "declined",
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text, nullable=False, default=""),
    )


def _protocol_version() -> sa.Table:
    """A protocol file's exact bytes, keyed by SHA-256, so old assessments reopen faithfully."""
    return sa.Table(
        "protocol_version",
        metadata,
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("protocol_id", sa.String(32), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        _stamp("first_used_at"),
    )


def _assessment() -> sa.Table:
    """The record of one triage call: answers, red flags, scores and the disposition decided."""
    return sa.Table(
        "assessment",
        metadata,
        _id(),
        _fk("referral_id", "referral.id", index=True),
        _fk("clinician_id", "app_user.id"),
        sa.Column("protocol_id", sa.String(32), nullable=False),
        sa.Column("protocol_version", sa.String(32), nullable=False),
        _fk("protocol_sha256", "protocol_version.sha256", type_=sa.String(64)),
        sa.Column("answers", JSONType, nullable=False, default=dict),
        sa.Column("red_flags", JSONType, nullable=False, default=list),
        sa.Column("scores", JSONType, nullable=False, default=dict),
        sa.Column("recommended_disposition", sa.String(32)),
        sa.Column("chosen_disposition", sa.String(32)),
        sa.Column("destination", sa.String(40)),
        sa.Column("pathway", sa.String(40)),
        sa.Column("downgrade_reason", sa.Text),
        sa.Column("notes", sa.Text, nullable=False, default=""),
        sa.Column("state", enum_type(AssessmentState, "assessment_state"), nullable=False),
        _stamp("started_at"),
        _stamp("updated_at"),
        _stamp("signed_at", nullable=True),
        _version(),
        sa.CheckConstraint("(state = 'signed') = (signed_at IS NOT NULL)", name="signed_has_time"),
    )


def _assessment_addendum() -> sa.Table:
    """A correction or addition to a signed assessment, with who wrote it and when."""
    return sa.Table(
        "assessment_addendum",
        metadata,
        _id(),
        _fk("assessment_id", "assessment.id", index=True),
        _fk("author_id", "app_user.id"),
        _stamp("written_at"),
        sa.Column("text", sa.Text, nullable=False),
    )


def _rota_template() -> sa.Table:
    """A weekly clinic session of one clinician that generates bookable slots."""
    return sa.Table(
        "rota_template",
        metadata,
        _id(),
        _fk("clinician_id", "app_user.id", index=True),
        _fk("clinic_id", "clinic.id"),
        # ``date.weekday()`` number: Monday = 0 … Sunday = 6 (as core.slots and core.due count).
        sa.Column("weekday", sa.Integer, nullable=False),
        # Wall-clock times in Europe/London.
        sa.Column("starts", sa.Time, nullable=False),
        sa.Column("ends", sa.Time, nullable=False),
        sa.Column(
            "appointment_type", enum_type(AppointmentType, "appointment_type"), nullable=False
        ),
        sa.Column("slot_minutes", sa.Integer, nullable=False),
        # How many of the session's first new-patient slots are held for urgent patients.
        sa.Column("held_for_urgent", sa.Integer, nullable=False, default=0),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_monday_zero"),
        sa.CheckConstraint("ends > starts", name="ends_after_starts"),
        sa.CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
    )


def _rota_exception() -> sa.Table:
    """Leave or training for a clinician, or a closure of a clinic, over a period."""
    return sa.Table(
        "rota_exception",
        metadata,
        _id(),
        sa.Column("kind", enum_type(RotaExceptionKind, "rota_exception_kind"), nullable=False),
        _fk("clinician_id", "app_user.id", nullable=True),
        _fk("clinic_id", "clinic.id", nullable=True),
        _stamp("starts_at"),
        _stamp("ends_at"),
        sa.Column("note", sa.Text, nullable=False, default=""),
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


def _slot() -> sa.Table:
    """A bookable face-to-face appointment time of one clinician at one clinic."""
    return sa.Table(
        "slot",
        metadata,
        _id(),
        _fk("clinic_id", "clinic.id"),
        _fk("clinician_id", "app_user.id"),
        _fk("rota_template_id", "rota_template.id", nullable=True),
        _stamp("starts_at"),
        _stamp("ends_at"),
        sa.Column(
            "appointment_type", enum_type(AppointmentType, "appointment_type"), nullable=False
        ),
        sa.Column("held_for_urgent", sa.Boolean, nullable=False, default=False),
        sa.Column("state", enum_type(SlotState, "slot_state"), nullable=False),
        sa.Column("blocked_reason", sa.Text),
        # Europe/London weekday of the start (Monday 0) and its wall-clock minute of the day,
        # filled from ``starts_at`` when the slot is written (``starts_at`` never changes), so a
        # search for "Tuesday and Thursday afternoons" runs in SQL on both databases. NULL only for
        # a slot written outside PhysioLine; day and time-of-day filters then never offer it.
        sa.Column("weekday", sa.SmallInteger, default=_slot_weekday),
        sa.Column("start_minute", sa.SmallInteger, default=_slot_start_minute),
        _version(),
        # One clinician cannot be in two places at the same start time. Overlapping times are
        # refused too (migration 0003): an exclusion constraint on PostgreSQL, triggers on
        # SQLite; neither can be declared here, see SLOT_OVERLAP_GUARD.
        sa.UniqueConstraint("clinician_id", "starts_at"),
        sa.Index("ix_slot_state_type_starts_at", "state", "appointment_type", "starts_at"),
        # Calendars: one clinic's slots over a day or a week.
        sa.Index("ix_slot_clinic_id_starts_at", "clinic_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
    )


def _appointment() -> sa.Table:
    """A patient's booking of a slot, with its history kept when cancelled."""
    return sa.Table(
        "appointment",
        metadata,
        _id(),
        _fk("slot_id", "slot.id"),
        _fk("patient_id", "patient.id", index=True),
        _fk("referral_id", "referral.id", index=True),
        _fk("booked_by_id", "app_user.id"),
        _stamp("booked_at"),
        sa.Column("status", enum_type(AppointmentStatus, "appointment_status"), nullable=False),
        _stamp("cancelled_at", nullable=True),
        _fk("cancelled_by_id", "app_user.id", nullable=True),
        sa.Column("cancel_reason", sa.Text),
        sa.Column("cancel_initiator", enum_type(CancelInitiator, "cancel_initiator")),
        # The cancelled appointment this one replaced, when booked by a rebook.
        _fk("rebooked_from_id", "appointment.id", nullable=True),
        _version(),
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancel_has_time"
        ),
    )


def _waiting_list_entry() -> sa.Table:
    """A referral waiting for a slot at preferred clinics when nothing fitted the target window."""
    return sa.Table(
        "waiting_list_entry",
        metadata,
        _id(),
        _fk("referral_id", "referral.id", index=True),
        sa.Column("clinic_ids", JSONType, nullable=False, default=list),
        sa.Column(
            "appointment_type", enum_type(AppointmentType, "appointment_type"), nullable=False
        ),
        sa.Column("urgent", sa.Boolean, nullable=False, default=False),
        sa.Column("preferences", JSONType, nullable=False, default=dict),
        _stamp("added_at"),
        _fk("added_by_id", "app_user.id"),
        _stamp("removed_at", nullable=True),
        sa.Column("removed_reason", sa.Text),
    )


def _letter() -> sa.Table:
    """A letter to a patient or GP, queued by a call, booking or failed contact; kept as sent."""
    return sa.Table(
        "letter",
        metadata,
        _id(),
        sa.Column(
            "kind",
            _string_enum("letter_kind", "advice", "appointment", "unable_to_contact", "gp"),
            nullable=False,
        ),
        _fk("patient_id", "patient.id", index=True),
        _fk("referral_id", "referral.id", nullable=True, index=True),
        _fk("assessment_id", "assessment.id", nullable=True),
        _fk("appointment_id", "appointment.id", nullable=True),
        _fk("created_by_id", "app_user.id"),
        _stamp("created_at"),
        sa.Column("status", enum_type(LetterStatus, "letter_status"), nullable=False),
        sa.Column("held_reason", sa.Text),
        sa.Column("large_print", sa.Boolean, nullable=False, default=False),
        sa.Column("pdf", sa.LargeBinary),
        sa.Column("pdf_sha256", sa.String(64)),
        _stamp("printed_at", nullable=True),
        _fk("printed_by_id", "app_user.id", nullable=True),
        sa.Column("print_count", sa.Integer, nullable=False, default=0),
        _version(),
        sa.Index("ix_letter_status_created_at", "status", "created_at"),
    )


def _postcode_district() -> sa.Table:
    """The centroid of a postcode district (Open Government Licence data), for distances."""
    return sa.Table(
        "postcode_district",
        metadata,
        sa.Column("district", sa.String(8), primary_key=True),
        sa.Column("latitude", sa.Double, nullable=False),
        sa.Column("longitude", sa.Double, nullable=False),
    )


def _audit_event() -> sa.Table:
    """An append-only record of who did what to which record and when, hash-chained."""
    return sa.Table(
        "audit_event",
        metadata,
        _id(),
        _stamp("occurred_at"),
        _fk("user_id", "app_user.id", nullable=True),
        # The database login or desktop user name, kept even for actions outside the app.
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(64)),
        _fk("patient_id", "patient.id", nullable=True),
        sa.Column("details", JSONType, nullable=False, default=dict),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False, unique=True),
        sa.Index("ix_audit_event_patient_id_occurred_at", "patient_id", "occurred_at"),
    )


_BUILDERS: dict[str, Callable[[], sa.Table]] = {
    "service_setting": _service_setting,
    "gp_practice": _gp_practice,
    "clinic": _clinic,
    "app_user": _app_user,
    "shift": _shift,
    "patient": _patient,
    "patient_phone": _patient_phone,
    "referral": _referral,
    "call_attempt": _call_attempt,
    "protocol_version": _protocol_version,
    "assessment": _assessment,
    "assessment_addendum": _assessment_addendum,
    "rota_template": _rota_template,
    "rota_exception": _rota_exception,
    "slot": _slot,
    "appointment": _appointment,
    "waiting_list_entry": _waiting_list_entry,
    "letter": _letter,
    "postcode_district": _postcode_district,
    "audit_event": _audit_event,
}
_building = threading.RLock()
_completed = False


def __getattr__(name: str) -> sa.Table:
    """Build a table the first time it is asked for (PEP 562)."""
    builder = _BUILDERS.get(name)
    if builder is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _building:
        table = globals().get(name)
        if table is None:
            table = builder()
            globals()[name] = table
        return table


def complete() -> None:
    """Build every table and declare the partial indexes (once): the whole schema."""
    global _completed
    with _building:
        if _completed:
            return
        for name in _BUILDERS:
            __getattr__(name)
        _declare_partial_indexes()
        _completed = True


def _declare_partial_indexes() -> None:
    referral, slot, appointment = (__getattr__(n) for n in ("referral", "slot", "appointment"))
    open_referral = sa.text("status IN ('awaiting_call', 'in_call')")
    # The worklist's keyset order: open referrals, most urgent (earliest due) first. Partial,
    # so a page reads only open referrals in due order and never sorts (SQLite needs the IN
    # list written literally in the query to use it; see services.queries).
    sa.Index(
        "ix_referral_open_due_at_id",
        referral.c.due_at,
        referral.c.id,
        sqlite_where=open_referral,
        postgresql_where=open_referral,
    )
    # One clinician's open worklist, in due order.
    sa.Index(
        "ix_referral_open_assigned_due_at_id",
        referral.c.assigned_to_id,
        referral.c.due_at,
        referral.c.id,
        sqlite_where=open_referral,
        postgresql_where=open_referral,
    )
    # Slot search: free slots of a type in (start, id) order, the keyset of the booking
    # panel; partial, so booked and blocked slots cost the search nothing.
    free = sa.text("state = 'free'")
    sa.Index(
        "ix_slot_free_type_starts_at_id",
        slot.c.appointment_type,
        slot.c.starts_at,
        slot.c.id,
        sqlite_where=free,
        postgresql_where=free,
    )
    # The database, not a read-then-check, makes a second live booking of a slot impossible.
    live = sa.text("status <> 'cancelled'")
    sa.Index(
        "uq_appointment_live_slot",
        appointment.c.slot_id,
        unique=True,
        sqlite_where=live,
        postgresql_where=live,
    )
