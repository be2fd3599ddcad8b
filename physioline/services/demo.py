"""Demo and benchmark data: a borough MSK service with fake patients (Faker en_GB, 999 NHS numbers).

``build_demo`` fills a freshly migrated database with 6 clinics, 14 staff of every role, weekly
rotas with slots for the next 6 weeks, and about 300 referrals received over the last 3 days in
every state. ``seed_referrals`` adds large volumes (100,000 referrals over a year) for benchmarks
with bulk inserts. Every name, address and phone number is invented; every NHS number is from the
999 test range, which is never issued to a real patient.
"""

from __future__ import annotations

import csv
import logging
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from physioline.clock import Clock
from physioline.core.due import DueTimePolicy, call_due_at
from physioline.core.nhs_number import fake_nhs_number
from physioline.core.referral import (
    AppointmentStatus,
    AppointmentType,
    GpUrgency,
    PhoneKind,
    ReferralSource,
    ReferralStatus,
    Role,
    Sex,
    SlotState,
)
from physioline.db.engine import Database
from physioline.db.models import (
    Appointment,
    CallAttempt,
    Clinic,
    GPPractice,
    Patient,
    PatientPhone,
    PostcodeDistrict,
    Referral,
    RotaTemplate,
    ServiceSetting,
    Shift,
    Slot,
    User,
)
from physioline.db.uow import UnitOfWork
from physioline.paths import resource
from physioline.services import service_rules

log = logging.getLogger(__name__)

#: The password of every demo account: usable only on a database marked as demo.
DEMO_PASSWORD = "physioline-demo"  # noqa: S105 - documented demo-only account password
BODY_REGIONS = (
    "lumbar",
    "lumbar",
    "lumbar",
    "cervical",
    "cervical",
    "shoulder",
    "shoulder",
    "knee",
    "knee",
    "hip",
    "foot_ankle",
    "wrist_hand",
    "elbow",
    "thoracic",
)
INTERPRETER_LANGUAGES = ("Polish", "Bengali", "Turkish", "Somali", "Portuguese", "Lithuanian")
JOBS = (
    "nurse",
    "bus driver",
    "teacher",
    "warehouse operative",
    "chef",
    "software developer",
    "hairdresser",
    "care assistant",
    "electrician",
    "retail assistant",
)
SIDES = ("left", "right")

ProgressFn = Callable[[int, int], None]
#: Open referrals in a benchmark data set: one in twenty is on a call right now.
OPEN_MIX = (ReferralStatus.AWAITING_CALL,) * 19 + (ReferralStatus.IN_CALL,)


def _read_csv(name: str) -> list[dict[str, str]]:
    with resource("demo", name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class _Tables:
    """What the referral generator needs to know about the service being filled."""

    practice_ids: list[int]
    physio_ids: list[int]
    on_shift_ids: list[int]
    streets: list[tuple[str, str]]
    reasons: dict[str, list[str]]


class PatientFactory:
    """Fake patients and referrals, reproducible from a seed."""

    def __init__(self, seed: int) -> None:
        from faker import Faker  # imported only when demo data is built

        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self._used_nhs: set[str] = set()

    def nhs_number(self) -> str:
        """A fresh 999-range NHS number, never used before in this database."""
        while True:
            number = fake_nhs_number(self.rng)
            if number not in self._used_nhs:
                self._used_nhs.add(number)
                return number

    def patient_row(self, tables: _Tables, today: date) -> dict[str, Any]:
        """Column values of one patient."""
        rng = self.rng
        sex = rng.choice((Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.UNKNOWN))
        if sex == Sex.FEMALE:
            given, title = self.fake.first_name_female(), rng.choice(("Mrs", "Ms", "Miss", ""))
        elif sex == Sex.MALE:
            given, title = self.fake.first_name_male(), "Mr"
        else:
            given, title = self.fake.first_name_nonbinary(), rng.choice(("Mx", ""))
        age_days = rng.randint(17 * 365, 92 * 365)
        district, street = rng.choice(tables.streets)
        no_address = rng.random() < 0.01
        interpreter = rng.choice(INTERPRETER_LANGUAGES) if rng.random() < 0.05 else None
        carer = rng.random() < 0.03
        return {
            "nhs_number": self.nhs_number(),
            "title": title,
            "given_name": given,
            "family_name": self.fake.last_name(),
            "date_of_birth": today - timedelta(days=age_days),
            "sex": sex,
            "address": "" if no_address else f"{rng.randint(1, 240)} {street}\nLondon",
            "postcode": None
            if no_address
            else f"{district} {rng.randint(1, 9)}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            "email": None,
            "gp_practice_id": rng.choice(tables.practice_ids),
            "large_print": rng.random() < 0.03,
            "easy_read": rng.random() < 0.01,
            "braille": False,
            "interpreter_language": interpreter,
            "carer_name": self.fake.name() if carer else None,
            "carer_phone": self.phone() if carer else None,
            "communication_notes": "",
            "version": 1,
        }

    def phone(self) -> str:
        """A fake UK phone number (Ofcom drama range where Faker allows)."""
        if self.rng.random() < 0.6:
            return f"07700 900{self.rng.randint(0, 999):03d}"
        return f"020 7946 {self.rng.randint(0, 9999):04d}"

    def phone_rows(self, patient_id: int) -> list[dict[str, Any]]:
        """Zero to three phone numbers, the first preferred; about 2 % have none."""
        rng = self.rng
        count = 0 if rng.random() < 0.02 else rng.choice((1, 1, 2, 2, 3))
        rows = []
        for position in range(count):
            number = self.phone()
            kind = PhoneKind.MOBILE if number.startswith("07") else PhoneKind.HOME
            if position == 2:
                kind = PhoneKind.WORK
            rows.append(
                {
                    "patient_id": patient_id,
                    "number": number,
                    "digits": "".join(ch for ch in number if ch.isdigit()),
                    "kind": kind,
                    "preferred": position == 0,
                    "position": position,
                    "note": "",
                }
            )
        return rows

    def reason(self, tables: _Tables, region: str) -> str:
        """The GP's referral text."""
        template = self.rng.choice(tables.reasons[region])
        return template.format(
            weeks=self.rng.randint(2, 16), side=self.rng.choice(SIDES), job=self.rng.choice(JOBS)
        )


def _bulk_insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in one statement and return their new ids in order."""
    if not rows:
        return []
    result = session.execute(
        sa.insert(model).returning(model.id, sort_by_parameter_order=True), rows
    )
    return [row[0] for row in result]


def _reference_data(session: Session, now: datetime) -> _Tables:
    """Clinics, GP practices, postcode centroids, staff, rotas and today's shifts."""
    for row in _read_csv("postcode_districts.csv"):
        session.add(
            PostcodeDistrict(
                district=row["district"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
        )
    clinics: dict[str, Clinic] = {}
    for row in _read_csv("clinics.csv"):
        clinic = Clinic(
            code=row["code"],
            name=row["name"],
            address=row["address"],
            postcode=row["postcode"],
            served_districts=row["served_districts"].split(),
            step_free_access=row["step_free_access"] == "true",
            opening_notes=row["opening_notes"],
            travel_notes=row["travel_notes"],
            active=True,
        )
        session.add(clinic)
        clinics[clinic.code] = clinic
    practices = [GPPractice(**row) for row in _read_csv("gp_practices.csv")]
    session.add_all(practices)

    from argon2 import PasswordHasher  # demo accounts can sign in once sign-in exists

    password_hash = PasswordHasher().hash(DEMO_PASSWORD)
    users: dict[str, User] = {}
    on_duty: list[User] = []
    for row in _read_csv("users.csv"):
        user = User(
            username=row["username"],
            display_name=row["display_name"],
            role=Role(row["role"]),
            profession=row["profession"],
            registration_number=row["registration_number"] or None,
            sex=Sex(row["sex"]),
            languages=[x for x in row["languages"].split(";") if x],
            calls_per_session=int(row["calls_per_session"]),
            password_hash=password_hash,
            active=True,
            created_at=now,
        )
        session.add(user)
        users[user.username] = user
        if row["on_triage_duty"] == "true":
            on_duty.append(user)
    session.flush()

    today = now.date()
    for row in _read_csv("rota.csv"):
        session.add(
            RotaTemplate(
                clinician_id=users[row["username"]].id,
                clinic_id=clinics[row["clinic"]].id,
                weekday=int(row["weekday"]),
                starts=time.fromisoformat(row["starts"]),
                ends=time.fromisoformat(row["ends"]),
                appointment_type=AppointmentType(row["appointment_type"]),
                slot_minutes=int(row["slot_minutes"]),
                held_for_urgent=int(row["held_for_urgent"]),
                valid_from=today - timedelta(days=today.weekday()),
                valid_until=None,
            )
        )
    for user in on_duty:
        session.add(
            Shift(
                clinician_id=user.id,
                on_date=today,
                triage_sessions=2,
                capacity=user.calls_per_session * 2,
            )
        )
    session.flush()

    reasons: dict[str, list[str]] = {}
    for row in _read_csv("referral_reasons.csv"):
        reasons.setdefault(row["body_region"], []).append(row["reason"])
    physios = [u for u in users.values() if u.role in (Role.PHYSIO, Role.TEAM_LEAD)]
    return _Tables(
        practice_ids=[p.id for p in practices],
        physio_ids=[u.id for u in physios],
        on_shift_ids=[u.id for u in on_duty],
        streets=[(r["district"], r["street"]) for r in _read_csv("streets.csv")],
        reasons=reasons,
    )


def _demo_status(rng: random.Random, age: timedelta) -> ReferralStatus:
    """A plausible state for a referral received ``age`` ago on a working desk."""
    hours = age.total_seconds() / 3600
    if hours < 4:
        weights = {ReferralStatus.AWAITING_CALL: 95, ReferralStatus.IN_CALL: 5}
    elif hours < 48:
        weights = {
            ReferralStatus.AWAITING_CALL: 55,
            ReferralStatus.IN_CALL: 3,
            ReferralStatus.TRIAGED: 10,
            ReferralStatus.BOOKED: 14,
            ReferralStatus.DISCHARGED_WITH_ADVICE: 10,
            ReferralStatus.REFERRED_ON: 4,
            ReferralStatus.CANCELLED: 2,
            ReferralStatus.UNABLE_TO_CONTACT: 2,
        }
    else:
        weights = {
            ReferralStatus.AWAITING_CALL: 8,
            ReferralStatus.TRIAGED: 12,
            ReferralStatus.BOOKED: 35,
            ReferralStatus.DISCHARGED_WITH_ADVICE: 22,
            ReferralStatus.REFERRED_ON: 8,
            ReferralStatus.CANCELLED: 5,
            ReferralStatus.UNABLE_TO_CONTACT: 10,
        }
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _insert_referrals(
    session: Session,
    factory: PatientFactory,
    tables: _Tables,
    policy: DueTimePolicy,
    received: list[datetime],
    now: datetime,
    status_for: Callable[[random.Random, timedelta], ReferralStatus],
) -> list[tuple[int, ReferralStatus]]:
    """Insert one patient and one referral per receipt time, with call attempts; bulk statements."""
    rng = factory.rng
    patients = [factory.patient_row(tables, now.date()) for _ in received]
    patient_ids = _bulk_insert(session, Patient, patients)
    phones = [row for pid in patient_ids for row in factory.phone_rows(pid)]
    if phones:
        session.execute(sa.insert(PatientPhone), phones)
    referrals: list[dict[str, Any]] = []
    for patient_id, patient, received_at in zip(patient_ids, patients, received, strict=True):
        urgent = rng.random() < 0.12
        region = rng.choice(BODY_REGIONS)
        status = status_for(rng, now - received_at)
        assigned = rng.choice(tables.on_shift_ids) if rng.random() < 0.8 else None
        if not status.is_open:
            assigned = assigned or rng.choice(tables.physio_ids)
        claimed_by = assigned or rng.choice(tables.on_shift_ids)
        claimed = status == ReferralStatus.IN_CALL
        due_at = call_due_at(received_at, urgent=urgent, policy=policy)
        closed_at = None
        if not status.is_open:
            closed_at = min(now, received_at + timedelta(minutes=rng.randint(60, 46 * 60)))
        referrals.append(
            {
                "patient_id": patient_id,
                "source": rng.choices(list(ReferralSource), weights=(85, 8, 5, 2))[0],
                "referrer": f"Dr {factory.fake.last_name()}",
                "gp_practice_id": patient["gp_practice_id"],
                "received_at": received_at,
                "due_at": due_at,
                "body_region": region,
                "reason": factory.reason(tables, region),
                "gp_urgency": GpUrgency.URGENT if urgent else GpUrgency.ROUTINE,
                "status": status,
                "assigned_to_id": assigned,
                "claimed_by_id": claimed_by if claimed else None,
                "claimed_at": now - timedelta(minutes=rng.randint(2, 25)) if claimed else None,
                "closed_at": closed_at,
                "updated_at": closed_at or received_at,
                "version": 1,
            }
        )
    referral_ids = _bulk_insert(session, Referral, referrals)
    attempts: list[dict[str, Any]] = []
    for referral_id, row in zip(referral_ids, referrals, strict=True):
        attempts.extend(_attempt_rows(rng, referral_id, row, tables, now))
    if attempts:
        session.execute(sa.insert(CallAttempt), attempts)
    return [(rid, row["status"]) for rid, row in zip(referral_ids, referrals, strict=True)]


def _attempt_rows(
    rng: random.Random, referral_id: int, referral: dict[str, Any], tables: _Tables, now: datetime
) -> Iterator[dict[str, Any]]:
    """Call attempts consistent with the referral's state."""
    status: ReferralStatus = referral["status"]
    received: datetime = referral["received_at"]
    caller = referral["assigned_to_id"] or rng.choice(tables.physio_ids)
    at = received + timedelta(minutes=rng.randint(30, 300))
    failed_results = ("no_answer", "no_answer", "voicemail_left")
    if status == ReferralStatus.UNABLE_TO_CONTACT:
        for hour_offset in (0, 3, 10):  # spread as the contact rule requires, one after 17:00
            yield {
                "referral_id": referral_id,
                "made_at": min(now, at + timedelta(hours=hour_offset)),
                "made_by_id": caller,
                "result": rng.choice(failed_results),
                "note": "",
            }
        return
    tries = rng.choice((0, 0, 0, 1, 1, 2)) if status.is_open else rng.choice((0, 0, 1))
    for _ in range(tries):
        if at >= now:
            return
        yield {
            "referral_id": referral_id,
            "made_at": at,
            "made_by_id": caller,
            "result": rng.choice(failed_results),
            "note": "",
        }
        at += timedelta(hours=rng.randint(2, 5))
    if status not in (
        ReferralStatus.AWAITING_CALL,
        ReferralStatus.IN_CALL,
        ReferralStatus.CANCELLED,
    ):
        yield {
            "referral_id": referral_id,
            "made_at": min(now, at),
            "made_by_id": caller,
            "result": "answered",
            "note": "",
        }


def build_demo(db: Database, clock: Clock, *, seed: int = 20261123, referrals: int = 300) -> None:
    """Fill a freshly migrated, empty database with the demo service.

    Raises:
        Conflict: the database already holds data (the demo is only built on an empty one).
    """
    from physioline.errors import Conflict

    now = clock.now()
    with UnitOfWork(db, clock, None) as uow:
        session = uow.session
        if session.scalar(sa.select(sa.func.count()).select_from(User)):
            raise Conflict(
                "This database already has users; the demo is built on an empty one.",
                "Use --demo --reset to rebuild the demo database.",
            )
        session.add(ServiceSetting(key=service_rules.DEMO_KEY, value=True, updated_at=now))
        tables = _reference_data(session, now)
        policy = service_rules.due_time_policy(session)
        factory = PatientFactory(seed)
        rng = factory.rng
        received = sorted(
            now - timedelta(minutes=rng.randint(5, 72 * 60)) for _ in range(referrals)
        )
        created = _insert_referrals(session, factory, tables, policy, received, now, _demo_status)
        uow.audit("demo.build", "database", details={"referrals": len(created)})
        uow.commit()
    from physioline.services import demo_history, rota

    rota.generate_slots(db, clock, weeks=6)
    _book_demo_appointments(db, clock, seed)
    _queue_demo_letters(db, clock)
    demo_history.add_demo_history(db, clock)


def _book_demo_appointments(db: Database, clock: Clock, seed: int) -> None:
    """Give each booked demo referral a new-patient appointment in the weeks ahead."""
    rng = random.Random(seed)
    with UnitOfWork(db, clock, None) as uow:
        session = uow.session
        now = uow.now()
        booked = session.execute(
            sa.select(Referral.id, Referral.patient_id, Referral.assigned_to_id, Referral.closed_at)
            .where(Referral.status == ReferralStatus.BOOKED)
            .order_by(Referral.id)
        ).all()
        free = list(
            session.scalars(
                sa.select(Slot)
                .where(Slot.state == SlotState.FREE, Slot.starts_at > now,
                       Slot.appointment_type == AppointmentType.NEW_PATIENT,
                       Slot.held_for_urgent.is_(False))
                .order_by(Slot.starts_at)
            )
        )  # fmt: skip
        pool = free[: max(len(booked) * 3, 1)]
        rng.shuffle(pool)
        for (referral_id, patient_id, booker, closed_at), slot in zip(booked, pool, strict=False):
            slot.state = SlotState.BOOKED
            session.add(Appointment(
                slot_id=slot.id, patient_id=patient_id, referral_id=referral_id,
                booked_by_id=booker, booked_at=closed_at or now, status=AppointmentStatus.BOOKED,
            ))  # fmt: skip
        uow.commit()


def _year_status(rng: random.Random, age: timedelta) -> ReferralStatus:
    if age < timedelta(days=7):
        return _demo_status(rng, age)
    return rng.choices(
        [
            ReferralStatus.BOOKED,
            ReferralStatus.DISCHARGED_WITH_ADVICE,
            ReferralStatus.TRIAGED,
            ReferralStatus.REFERRED_ON,
            ReferralStatus.UNABLE_TO_CONTACT,
            ReferralStatus.CANCELLED,
        ],
        weights=(55, 22, 5, 8, 6, 4),
    )[0]


def seed_referrals(
    db: Database,
    clock: Clock,
    count: int,
    *,
    open_count: int | None = None,
    seed: int = 7,
    batch: int = 5_000,
    progress: ProgressFn | None = None,
) -> int:
    """Add ``count`` referrals (one new patient each) for benchmarks, committed in batches.

    Closed referrals are spread over the last year; ``open_count`` of them (default a fifth)
    are open, received over the last 3 days. Needs the reference data of ``build_demo``.

    Returns:
        The number of referrals inserted.
    """
    now = clock.now()
    open_count = count // 5 if open_count is None else open_count
    factory = PatientFactory(seed)
    rng = factory.rng
    with UnitOfWork(db, clock, None, read_only=True) as uow:
        existing = set(uow.session.scalars(sa.select(Patient.nhs_number)))
    factory._used_nhs.update(existing)
    done = 0
    while done < count:
        size = min(batch, count - done)
        with UnitOfWork(db, clock, None) as uow:
            session = uow.session
            tables = _tables_from_database(session)
            policy = service_rules.due_time_policy(session)
            received: list[datetime] = []
            open_flags: list[bool] = []
            for i in range(done, done + size):
                is_open = i < open_count
                age = (
                    timedelta(minutes=rng.randint(5, 72 * 60))
                    if is_open
                    else timedelta(minutes=rng.randint(8 * 24 * 60, 365 * 24 * 60))
                )
                received.append(now - age)
                open_flags.append(is_open)
            flags = iter(open_flags)

            def status_for(
                r: random.Random, age: timedelta, flags: Iterator[bool] = flags
            ) -> ReferralStatus:
                if next(flags):
                    return rng.choice(
                        (ReferralStatus.AWAITING_CALL,) * 19 + (ReferralStatus.IN_CALL,)
                    )
                return _year_status(r, age)

            _insert_referrals(session, factory, tables, policy, received, now, status_for)
            # One row for the batch: on PostgreSQL it also tells the audit triggers that this
            # transaction explained its own inserts (else each row would be audited by itself).
            uow.audit("demo.seed", "database", details={"referrals": size})
            uow.commit()
        done += size
        if progress:
            progress(done, count)
    return done


def _tables_from_database(session: Session) -> _Tables:
    users = session.execute(sa.select(User.id, User.role)).all()
    physio_ids = [uid for uid, role in users if role in (Role.PHYSIO, Role.TEAM_LEAD)]
    on_shift = list(session.scalars(sa.select(Shift.clinician_id).distinct())) or physio_ids
    reasons: dict[str, list[str]] = {}
    for row in _read_csv("referral_reasons.csv"):
        reasons.setdefault(row["body_region"], []).append(row["reason"])
    return _Tables(
        practice_ids=list(session.scalars(sa.select(GPPractice.id))),
        physio_ids=physio_ids,
        on_shift_ids=on_shift,
        streets=[(r["district"], r["street"]) for r in _read_csv("streets.csv")],
        reasons=reasons,
    )


#: The demo clinician's plan on the GP letter, by chosen disposition.
PLANS = {
    "emergency": "Told to go to A&E now for an emergency MRI; the patient agreed to go "
    "straight away with her husband. Safety-netting advice given and read back.",
    "routine_f2f": "Routine face-to-face physiotherapy booked. Advised to keep active and use "
    "simple pain relief meanwhile; safety-netting advice given.",
    "self_management": "Self-management advice given and sent by letter. The patient will call "
    "us if not improving in 6 weeks; safety-netting advice given.",
}


def _queue_demo_letters(db: Database, clock: Clock) -> None:
    """Scenario 8's print queue: 23 letters of every kind, large print ones, one held.

    Signs off demo lumbar assessments (negative screening; one call with a cauda equina red
    flag, Priya's) for a few closed referrals so their advice and GP letters can be built from
    the records; queues appointment letters for bookings and the unable-to-contact letters of
    the referrals that reached that rule. A patient with no postal address gets a held letter.
    """
    from physioline.core.protocol import load_protocol
    from physioline.core.referral import AssessmentState, LetterStatus
    from physioline.core.triage import evaluate_answers
    from physioline.db.models import Assessment, Letter, ProtocolVersion

    with UnitOfWork(db, clock, None) as uow:
        s = uow.session
        priya: int = s.execute(sa.select(User.id).where(User.username == "priya")).scalar_one()

        def pick(status: ReferralStatus, n: int, **extra: Any) -> list[tuple[Referral, Patient]]:
            stmt = sa.select(Referral, Patient).join(Patient).where(Referral.status == status)
            stmt = stmt.filter_by(**extra).order_by(Patient.address != "", Referral.id).limit(n)
            return [(r, p) for r, p in s.execute(stmt)]

        def queue(
            kind: str, ref: Referral, pat: Patient, by: int, at: datetime, **ids: int
        ) -> None:
            held = not (pat.address.strip() and pat.postcode) and kind != "gp"
            s.add(Letter(kind=kind, patient_id=pat.id, referral_id=ref.id, created_by_id=by,
                         created_at=at, status=LetterStatus.HELD if held else LetterStatus.QUEUED,
                         held_reason="No postal address on the patient's record." if held else None,
                         large_print=pat.large_print and kind != "gp", **ids))  # fmt: skip

        def sign(ref: Referral, pat: Patient, by: int, red_flag: str | None, tool_yes: int) -> int:
            protocol = load_protocol(ref.body_region)
            if s.get(ProtocolVersion, protocol.sha256) is None:
                s.add(ProtocolVersion(sha256=protocol.sha256, protocol_id=protocol.id,
                                      version=protocol.version, content=protocol.file_bytes,
                                      first_used_at=ref.received_at))  # fmt: skip
                s.flush()
            answers: dict[str, Any] = {}
            for item in protocol.items:
                if item.type.value == "bool":
                    answers[item.id] = item.is_tool_item and len(answers) % 3 < tool_yes
                elif item.type.value == "int":
                    answers[item.id] = 50 if item.id == "general.age" else item.minimum or 0
                elif item.options:
                    answers[item.id] = "none" if "none" in item.option_ids else item.option_ids[0]
            if red_flag:
                answers[red_flag] = True
            result = evaluate_answers(protocol, answers)
            chosen = "routine_f2f" if ref.status == ReferralStatus.BOOKED else result.disposition
            at = ref.closed_at or uow.now()
            assessment = Assessment(
                referral_id=ref.id, clinician_id=by, protocol_id=protocol.id,
                protocol_version=protocol.version, protocol_sha256=protocol.sha256,
                answers=answers, red_flags=list(result.red_flags), scores=result.scores_json(),
                recommended_disposition=str(result.disposition), chosen_disposition=str(chosen),
                destination=None if result.destination is None else str(result.destination),
                pathway=None if result.pathway is None else str(result.pathway),
                notes=PLANS[str(chosen)],
                state=AssessmentState.SIGNED, started_at=at - timedelta(minutes=15),
                updated_at=at, signed_at=at)  # fmt: skip
            s.add(assessment)
            s.flush()
            queue("gp", ref, pat, by, at, assessment_id=assessment.id)
            return assessment.id

        for ref, pat in pick(ReferralStatus.UNABLE_TO_CONTACT, 9):
            last_caller = s.scalar(
                sa.select(CallAttempt.made_by_id)
                .where(CallAttempt.referral_id == ref.id)
                .order_by(CallAttempt.made_at.desc())
                .limit(1)
            )
            queue("unable_to_contact", ref, pat, last_caller or priya, ref.closed_at or uow.now())
        for ref, pat in pick(ReferralStatus.BOOKED, 4):
            appointment = s.scalar(sa.select(Appointment.id).where(
                Appointment.referral_id == ref.id))  # fmt: skip
            if appointment is not None:
                queue("appointment", ref, pat, ref.assigned_to_id or priya,
                      ref.closed_at or uow.now(), appointment_id=appointment)  # fmt: skip
        # Calls signed off on the lumbar protocol only: one stored protocol version in the demo.
        for ref, pat in pick(ReferralStatus.BOOKED, 4, body_region="lumbar"):
            sign(ref, pat, ref.assigned_to_id or priya, None, tool_yes=2)
        for ref, pat in pick(ReferralStatus.DISCHARGED_WITH_ADVICE, 2, body_region="lumbar"):
            by = ref.assigned_to_id or priya
            queue("advice", ref, pat, by, ref.closed_at or uow.now(),
                  assessment_id=sign(ref, pat, by, None, tool_yes=0))  # fmt: skip
        for ref, pat in pick(ReferralStatus.TRIAGED, 1, body_region="lumbar"):
            queue(
                "advice",
                ref,
                pat,
                priya,
                ref.closed_at or uow.now(),
                assessment_id=sign(ref, pat, priya, "lumbar.saddle_anaesthesia", tool_yes=0),
            )
        uow.audit("demo.letters", "database", details={"letters": len(s.new)})
        uow.commit()
