"""Demo history: half a year of closed referrals, so the team lead's dashboard has weeks to show.

The demo service's own referrals cover the last three days; this adds 26 weeks before them
(about 25 referrals a week, fake patients) that went the whole way: calls (most within their due
time, some late), signed assessments with every disposition and destination, and first
appointments (most within 3 weeks, some later, a few did-not-attend or cancelled and rebooked).
Bulk inserts, reproducible from a seed, a fraction of a second to build.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from physioline.clock import LONDON, Clock
from physioline.core.due import call_due_at
from physioline.core.referral import (
    AppointmentStatus,
    AppointmentType,
    AssessmentState,
    GpUrgency,
    ReferralSource,
    ReferralStatus,
    SlotState,
)
from physioline.db.engine import Database
from physioline.db.models import (
    Appointment,
    Assessment,
    CallAttempt,
    Clinic,
    Patient,
    ProtocolVersion,
    Referral,
    Slot,
)
from physioline.db.uow import UnitOfWork
from physioline.services import service_rules

WEEKS = 26
PER_WEEK = 25
#: (disposition, weight, destinations to choose from)
OUTCOMES: tuple[tuple[str, int, tuple[str | None, ...]], ...] = (
    ("self_management", 34, (None,)),
    ("routine_f2f", 38, (None,)),
    ("urgent_f2f", 8, (None,)),
    ("onward_referral", 9, ("orthopaedics", "orthopaedics", "rheumatology")),
    (
        "urgent_referral",
        4,
        ("orthopaedics_urgent", "spinal_surgery_urgent", "suspected_cancer_pathway", "gp_urgent"),
    ),
    ("emergency", 2, ("emergency_department", "urgent_treatment_centre", "vascular_same_day")),
)
STATUS_FOR = {
    "self_management": ReferralStatus.DISCHARGED_WITH_ADVICE,
    "routine_f2f": ReferralStatus.BOOKED,
    "urgent_f2f": ReferralStatus.BOOKED,
    "onward_referral": ReferralStatus.REFERRED_ON,
    "urgent_referral": ReferralStatus.REFERRED_ON,
    "emergency": ReferralStatus.TRIAGED,
}


def add_demo_history(db: Database, clock: Clock, seed: int = 9) -> None:
    """Add 26 weeks of closed referrals before the demo's own (see the module docstring)."""
    from physioline.core.protocol import load_protocol
    from physioline.services.demo import PatientFactory, _bulk_insert, _tables_from_database

    rng = random.Random(seed)  # noqa: S311 - fake demo data, not secrets
    with UnitOfWork(db, clock, None) as uow:
        s = uow.session
        now = uow.now()
        tables = _tables_from_database(s)
        policy = service_rules.due_time_policy(s)
        factory = PatientFactory(seed)
        factory._used_nhs.update(s.scalars(sa.select(Patient.nhs_number)))
        clinic_ids = list(s.scalars(sa.select(Clinic.id).order_by(Clinic.id)))
        oldest = s.scalar(sa.select(sa.func.min(Referral.received_at))) or now
        protocol = load_protocol("lumbar")
        if s.get(ProtocolVersion, protocol.sha256) is None:
            s.add(
                ProtocolVersion(
                    sha256=protocol.sha256,
                    protocol_id=protocol.id,
                    version=protocol.version,
                    content=protocol.file_bytes,
                    first_used_at=oldest - timedelta(weeks=WEEKS),
                )
            )
            s.flush()
        received = sorted(
            oldest - timedelta(minutes=rng.randint(60, WEEKS * 7 * 24 * 60))
            for _ in range(WEEKS * PER_WEEK)
        )
        patients = [factory.patient_row(tables, now.date()) for _ in received]
        patient_ids = _bulk_insert(s, Patient, patients)
        plans = [_plan(rng, at, policy, tables.physio_ids, now) for at in received]
        referral_ids = _bulk_insert(
            s,
            Referral,
            [
                p["referral"]
                | {
                    "patient_id": pid,
                    "gp_practice_id": row["gp_practice_id"],
                    "referrer": f"Dr {factory.fake.last_name()}",
                    "reason": factory.reason(tables, p["referral"]["body_region"]),
                }
                for p, pid, row in zip(plans, patient_ids, patients, strict=True)
            ],
        )
        attempts: list[dict[str, Any]] = []
        assessments: list[dict[str, Any]] = []
        slots: list[dict[str, Any]] = []
        bookings: list[dict[str, Any]] = []
        taken = {
            (c, at.astimezone(UTC))
            for c, at in s.execute(sa.select(Slot.clinician_id, Slot.starts_at))
        }
        for rid, pid, plan in zip(referral_ids, patient_ids, plans, strict=True):
            attempts += [a | {"referral_id": rid} for a in plan["attempts"]]
            if plan["assessment"]:
                assessments.append(
                    plan["assessment"]
                    | {
                        "referral_id": rid,
                        "protocol_id": protocol.id,
                        "protocol_version": protocol.version,
                        "protocol_sha256": protocol.sha256,
                    }
                )
            for start, status in plan["appointments"]:
                clinician = rng.choice(tables.physio_ids)
                # No slot of this clinician within 45 minutes either side: the database refuses
                # overlapping slots of one clinician (migration 0003). Starts are whole minutes.
                while any(
                    (clinician, (start + timedelta(minutes=m)).astimezone(UTC)) in taken
                    for m in range(-44, 45)
                ):
                    start += timedelta(minutes=30)
                taken.add((clinician, start.astimezone(UTC)))
                slots.append(
                    {
                        "clinic_id": rng.choice(clinic_ids),
                        "clinician_id": clinician,
                        "starts_at": start,
                        "ends_at": start + timedelta(minutes=45),
                        "appointment_type": AppointmentType.NEW_PATIENT,
                        "held_for_urgent": False,
                        "state": SlotState.FREE
                        if status == AppointmentStatus.CANCELLED
                        else SlotState.BOOKED,
                        "blocked_reason": None,
                        "version": 1,
                    }
                )
                cancelled = status == AppointmentStatus.CANCELLED
                booker = plan["referral"]["assigned_to_id"]
                bookings.append(
                    {
                        "patient_id": pid,
                        "referral_id": rid,
                        "booked_by_id": booker,
                        "booked_at": plan["referral"]["closed_at"],
                        "status": status,
                        "cancelled_at": start - timedelta(days=2) if cancelled else None,
                        "cancelled_by_id": booker if cancelled else None,
                        "cancel_reason": "Patient asked to rearrange" if cancelled else None,
                        "version": 1,
                    }
                )
        if attempts:
            s.execute(sa.insert(CallAttempt), attempts)
        if assessments:
            s.execute(sa.insert(Assessment), assessments)
        slot_ids = _bulk_insert(s, Slot, slots)
        if bookings:
            s.execute(
                sa.insert(Appointment),
                [b | {"slot_id": sid} for b, sid in zip(bookings, slot_ids, strict=True)],
            )
        uow.audit("demo.history", "database", details={"referrals": len(referral_ids)})
        uow.commit()


def _plan(
    rng: random.Random, received: datetime, policy: Any, physio_ids: list[int], now: datetime
) -> dict[str, Any]:
    """One historical referral: its row, calls, assessment and appointments."""
    from physioline.services.demo import BODY_REGIONS

    urgent = rng.random() < 0.12
    due = call_due_at(received, urgent=urgent, policy=policy)
    clinician = rng.choice(physio_ids)
    # Most first calls well within the due time; some weeks the team was short.
    week_pressure = ((received - datetime(2026, 1, 5, tzinfo=LONDON)).days // 7) % 5 == 3
    late = rng.random() < (0.18 if week_pressure else 0.06)
    window = (due - received).total_seconds() / 60
    first = received + timedelta(
        minutes=rng.uniform(window + 30, window + 1500) if late else rng.uniform(20, window * 0.8)
    )
    first = min(first, now - timedelta(hours=2))
    region = rng.choice(BODY_REGIONS)
    row: dict[str, Any] = {
        "source": rng.choices(list(ReferralSource), weights=(85, 8, 5, 2))[0],
        "received_at": received,
        "due_at": due,
        "body_region": region,
        "gp_urgency": GpUrgency.URGENT if urgent else GpUrgency.ROUTINE,
        "assigned_to_id": clinician,
        "claimed_by_id": None,
        "claimed_at": None,
        "version": 1,
    }
    attempts: list[dict[str, Any]] = []
    roll = rng.random()
    if roll < 0.03:  # cancelled by the GP or declined before any call
        row |= {
            "status": ReferralStatus.CANCELLED,
            "closed_at": received + timedelta(hours=6),
            "updated_at": received + timedelta(hours=6),
        }
        return {"referral": row, "attempts": [], "assessment": None, "appointments": []}
    unable = roll < 0.09
    tries = 3 if unable else rng.choice((1, 1, 1, 2))
    at = first
    for i in range(tries):
        answered = not unable and i == tries - 1
        attempts.append(
            {
                "made_at": at,
                "made_by_id": clinician,
                "result": "answered"
                if answered
                else rng.choice(("no_answer", "no_answer", "voicemail_left")),
                "note": "",
            }
        )
        at += timedelta(hours=rng.randint(3, 6))
    closed = attempts[-1]["made_at"] + timedelta(minutes=20)
    if unable:
        row |= {
            "status": ReferralStatus.UNABLE_TO_CONTACT,
            "closed_at": closed,
            "updated_at": closed,
        }
        return {"referral": row, "attempts": attempts, "assessment": None, "appointments": []}
    disposition, _, destinations = rng.choices(OUTCOMES, weights=[o[1] for o in OUTCOMES])[0]
    row |= {"status": STATUS_FOR[disposition], "closed_at": closed, "updated_at": closed}
    assessment = {
        "clinician_id": clinician,
        "answers": {},
        "red_flags": [],
        "scores": {},
        "recommended_disposition": disposition,
        "chosen_disposition": disposition,
        "destination": rng.choice(destinations),
        "pathway": None,
        "downgrade_reason": None,
        "notes": "",
        "state": AssessmentState.SIGNED,
        "started_at": closed - timedelta(minutes=15),
        "updated_at": closed,
        "signed_at": closed,
        "version": 1,
    }
    appointments: list[tuple[datetime, AppointmentStatus]] = []
    if disposition in ("routine_f2f", "urgent_f2f"):
        days = (
            rng.randint(2, 6)
            if disposition == "urgent_f2f"
            else rng.choice((rng.randint(6, 20),) * 6 + (rng.randint(21, 35),))
        )
        day = (received + timedelta(days=days)).astimezone(LONDON).date()
        while day.weekday() >= 5:
            day += timedelta(days=1)
        start = datetime.combine(day, time(rng.randint(9, 16), rng.choice((0, 30))), LONDON)
        if rng.random() < 0.08:  # cancelled and rebooked a week later
            appointments.append((start, AppointmentStatus.CANCELLED))
            start += timedelta(days=7)
        status = (
            AppointmentStatus.BOOKED
            if start > now
            else (
                AppointmentStatus.DID_NOT_ATTEND
                if rng.random() < 0.07
                else AppointmentStatus.ATTENDED
            )
        )
        appointments.append((start, status))
    return {
        "referral": row,
        "attempts": attempts,
        "assessment": assessment,
        "appointments": appointments,
    }
