"""Each role's allowed and refused actions: through the services, and on PostgreSQL through raw SQL.

On PostgreSQL every service call here runs on a connection opened as the person's own login
role (a member of exactly one group role), so an allowed action also proves the grants and
guard triggers let the app do its job; the raw SQL tests then try what the service would refuse
and see the database itself refuse it (SQLSTATE 42501, insufficient privilege).
"""

# ruff: noqa: S608 - the raw SQL is built from constants: it is what a person might type into psql
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from physioline.clock import FrozenClock
from physioline.core.referral import ReferralStatus, SlotState
from physioline.db.engine import Database
from physioline.db.models import Clinic, Letter, Referral, Shift, Slot, User
from physioline.errors import NotPermitted
from physioline.services import admin, booking, kpi, letters, queries, rota, teamlead, worklist
from physioline.services import assessment as assess
from physioline.services.audit import AuditFilter, search_audit, verify_chain
from physioline.services.desk import Desk
from physioline.services.letters import QueueScope
from physioline.services.startup import sign_in_demo_user
from tests.fixtures.assessments import no_red_flags, open_referral
from tests.fixtures.booking import signed_for_face_to_face
from tests.fixtures.databases import DEMO_NOW, DatabaseFactory
from tests.fixtures.logins import as_login, ensure_logins, fresh_username

DeskFor = Callable[[str], Desk]
NEW_PASSWORD = "a long enough new password"


@pytest.fixture
def desk_for(demo_db: Database, clock: FrozenClock, backend: str) -> Iterator[DeskFor]:
    """A desk for a demo user; on PostgreSQL connected as that user's own login role."""
    opened: list[Database] = []
    if backend == "postgresql":
        ensure_logins(demo_db)

    def make(username: str) -> Desk:
        db = demo_db
        if backend == "postgresql":
            db = as_login(demo_db, username)
            opened.append(db)
        return Desk(db=db, clock=clock, actor=sign_in_demo_user(db, username))

    yield make
    for db in opened:
        db.dispose()


def user_id(db: Database, username: str) -> int:
    with db.sessions() as session:
        found = session.scalar(sa.select(User.id).where(User.username == username))
    assert found is not None
    return found


def unclaimed_open(db: Database, *, skip: int = 0) -> int:
    with db.sessions() as session:
        found = session.scalars(
            sa.select(Referral.id)
            .where(Referral.status == ReferralStatus.AWAITING_CALL,
                   Referral.claimed_by_id.is_(None))
            .order_by(Referral.due_at, Referral.id).offset(skip).limit(1)
        ).first()  # fmt: skip
    assert found is not None
    return found


def free_slot(db: Database, clock: FrozenClock) -> int:
    with db.sessions() as session:
        found = session.scalar(
            sa.select(Slot.id)
            .where(Slot.state == SlotState.FREE, Slot.starts_at > clock.now() + timedelta(days=2))
            .order_by(Slot.starts_at, Slot.id).limit(1)
        )  # fmt: skip
    assert found is not None
    return found


def book_first_offer(desk: Desk, referral_id: int) -> booking.Booked:
    context = booking.booking_context(desk, referral_id)
    offer = booking.find_slots(desk, context.query()).offers[0]
    return booking.book_slot(desk, referral_id, offer.slot_id)


def on_shift_today(db: Database, clock: FrozenClock) -> set[int]:
    with db.sessions() as session:
        return set(session.scalars(sa.select(Shift.clinician_id).where(
            Shift.on_date == clock.now().date())))  # fmt: skip


# --- physio ----------------------------------------------------------------------------------


def test_physio_calls_assesses_signs_and_prints_her_own_letters(
    demo_db: Database, desk_for: DeskFor
) -> None:
    priya = desk_for("priya")
    page = queries.load_worklist_page(priya, queries.WorklistFilter(scope=queries.Scope.TEAM))
    assert page.rows
    detail = queries.load_referral_detail(priya, page.rows[0].referral_id)
    assert detail is not None
    rid = unclaimed_open(demo_db)
    worklist.claim_referral(priya, rid)
    worklist.record_call_attempt(priya, rid, "no_answer")
    record = assess.start_assessment(priya, open_referral(demo_db, "lumbar"))
    answers = no_red_flags(record.protocol)
    saved = assess.save_draft(priya, record.assessment_id, record.version, answers)
    assess.sign_off(priya, record.assessment_id, saved.version, answers,
                    assess.SignOffDecision("routine_f2f", identity_confirmed=True))  # fmt: skip
    assess.add_addendum(priya, record.assessment_id, "Patient rang back: pain unchanged.")
    booked = book_first_offer(priya, record.referral_id)
    booking.cancel_appointment(priya, booked.appointment_id, reason="Patient is away",
                               initiator="patient")  # fmt: skip
    book_first_offer(priya, record.referral_id)
    mine = letters.print_queue(priya, QueueScope.MINE)
    assert mine
    batch = letters.prepare_print(priya, [mine[0].letter_id])
    printed = letters.mark_printed(priya, batch.documents)
    assert printed.printed == (mine[0].letter_id,)


def test_physio_is_refused_team_lead_and_it_work(
    demo_db: Database, desk_for: DeskFor, clock: FrozenClock
) -> None:
    priya, tom = desk_for("priya"), desk_for("tom")
    rid = unclaimed_open(demo_db)
    worklist.claim_referral(tom, rid)
    refused: list[Callable[[], object]] = [
        lambda: worklist.release_claim(priya, rid),  # a colleague's claim
        lambda: teamlead.reassign(priya, [unclaimed_open(demo_db)], user_id(demo_db, "priya")),
        lambda: teamlead.set_shift(priya, user_id(demo_db, "tom"), on_duty=False),
        lambda: verify_chain(priya),
        lambda: search_audit(priya, AuditFilter()),
        lambda: kpi.load_figures(priya, kpi.Period(date(2026, 11, 16), date(2026, 11, 22))),
        lambda: admin.create_user(
            priya, username="mallory", display_name="M", role="physio", password=NEW_PASSWORD
        ),
        lambda: letters.print_queue(priya, QueueScope.TEAM),
        lambda: rota.block_slot(priya, free_slot(demo_db, clock), "room unavailable"),
        lambda: rota.generate_slots_for(priya, weeks=2),
    ]
    for action in refused:
        with pytest.raises(NotPermitted):
            action()


# --- team lead -------------------------------------------------------------------------------


def test_team_lead_reassigns_releases_sets_shifts_and_reads_the_audit(
    demo_db: Database, desk_for: DeskFor, clock: FrozenClock
) -> None:
    sam, tom = desk_for("sam"), desk_for("tom")
    rid = unclaimed_open(demo_db)
    worklist.claim_referral(tom, rid)
    worklist.release_claim(sam, rid, reason="Tom went home ill")
    target = sorted(on_shift_today(demo_db, clock) - {user_id(demo_db, "tom")})[0]
    teamlead.reassign(sam, [rid], target, reason="sharing out")
    teamlead.set_shift(sam, user_id(demo_db, "tom"), on_duty=False)
    teamlead.set_shift(sam, user_id(demo_db, "marta"), on_duty=True, calls_per_session=6)
    rota.generate_slots_for(sam, weeks=2)
    slot = free_slot(demo_db, clock)
    rota.block_slot(sam, slot, "clinician on a course")
    rota.release_slot(sam, slot)
    assert verify_chain(sam).intact
    rows = search_audit(sam, AuditFilter(action="referral."))
    assert {"referral.reassign", "referral.release_claim"} <= {r.action for r in rows}
    kpi.load_figures(sam, kpi.Period(date(2026, 11, 16), date(2026, 11, 22)))
    with pytest.raises(NotPermitted):
        admin.create_user(sam, username="mallory", display_name="M", role="physio",
                          password=NEW_PASSWORD)  # fmt: skip


# --- admin staff -----------------------------------------------------------------------------


def test_booking_office_books_blocks_slots_and_prints_anyones_letters(
    demo_db: Database, desk_for: DeskFor, clock: FrozenClock
) -> None:
    jo = desk_for("jo")
    referral_id = signed_for_face_to_face(demo_db, clock)
    booked = book_first_offer(jo, referral_id)
    later = booking.find_slots(jo, booking.booking_context(jo, referral_id).query()).offers[-1]
    moved = booking.rebook_appointment(
        jo, booked.appointment_id, later.slot_id, reason="Asked for later", initiator="patient"
    )
    booking.cancel_appointment(jo, moved.appointment_id, reason="Clinician off sick",
                               initiator="service", block_slot=True)  # fmt: skip
    with demo_db.sessions() as session:
        clinic = session.scalar(sa.select(Clinic.id).order_by(Clinic.id).limit(1))
    assert clinic is not None
    booking.add_to_waiting_list(jo, referral_id, clinic_ids=[clinic])
    slot = free_slot(demo_db, clock)
    rota.block_slot(jo, slot, "room unavailable")
    rota.release_slot(jo, slot)
    page = queries.load_worklist_page(jo, queries.WorklistFilter(scope=queries.Scope.TEAM))
    assert queries.load_referral_detail(jo, page.rows[0].referral_id) is not None
    queue = letters.print_queue(jo)
    theirs = next(r for r in queue if r.created_by_id != user_id(demo_db, "jo"))
    batch = letters.prepare_print(jo, [theirs.letter_id])
    assert letters.mark_printed(jo, batch.documents).printed == (theirs.letter_id,)


def test_booking_office_makes_no_calls_and_reads_no_audit(
    demo_db: Database, desk_for: DeskFor
) -> None:
    jo = desk_for("jo")
    rid = unclaimed_open(demo_db)
    refused: list[Callable[[], object]] = [
        lambda: worklist.claim_referral(jo, rid),
        lambda: worklist.record_call_attempt(jo, rid, "no_answer"),
        lambda: assess.start_assessment(jo, rid),
        lambda: teamlead.reassign(jo, [rid], None),
        lambda: verify_chain(jo),
        lambda: search_audit(jo, AuditFilter()),
        lambda: admin.disable_user(jo, "tom"),
    ]
    for action in refused:
        with pytest.raises(NotPermitted):
            action()


# --- system administrator --------------------------------------------------------------------


def test_it_manages_accounts_and_verifies_the_audit(
    demo_db: Database, desk_for: DeskFor, backend: str
) -> None:
    alex = desk_for("alex")
    nadia = fresh_username("nadia")
    created = admin.create_user(alex, username=nadia, display_name="Nadia Ali", role="physio",
                                password=NEW_PASSWORD)  # fmt: skip
    admin.set_role(alex, nadia, "team_lead")
    admin.reset_password(alex, nadia, NEW_PASSWORD + "!")
    admin.disable_user(alex, nadia)
    rota.generate_slots_for(alex, weeks=2)
    assert verify_chain(alex).intact
    actions = [r.action for r in search_audit(alex, AuditFilter(user="alex", action="user."))]
    assert actions[:4] == ["user.disable", "user.reset_password", "user.set_role", "user.create"]
    with demo_db.sessions() as session:
        user = session.get(User, created.user_id)
        assert user is not None
        assert (user.role.value, user.active) == ("team_lead", False)
        if backend == "postgresql":
            login = session.execute(sa.text(
                "SELECT r.rolcanlogin, r.rolpassword LIKE 'SCRAM-SHA-256$%', "
                "array(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                " WHERE m.member = r.oid) FROM pg_authid r WHERE r.rolname = :u"
            ), {"u": nadia}).one()  # fmt: skip
            assert tuple(login) == (False, True, ["physioline_team_lead"])
        else:
            assert user.password_hash is not None
            assert user.password_hash.startswith("$argon2id$")


def test_it_sees_no_clinical_data(demo_db: Database, desk_for: DeskFor) -> None:
    alex = desk_for("alex")
    rid = unclaimed_open(demo_db)
    refused: list[Callable[[], object]] = [
        lambda: queries.load_worklist_page(alex, queries.WorklistFilter()),
        lambda: queries.load_referral_detail(alex, rid),
        lambda: worklist.claim_referral(alex, rid),
        lambda: assess.start_assessment(alex, rid),
        lambda: letters.print_queue(alex),
        lambda: teamlead.reassign(alex, [rid], None),
    ]
    for action in refused:
        with pytest.raises(NotPermitted):
            action()


# --- the same refusals in raw SQL, as each person's own login --------------------------------


@pytest.fixture(scope="module")
def pg_demo(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """The demo database on PostgreSQL only (database roles exist there alone), for the module:
    every refused statement rolls back, so the tests share one copy."""
    db = database_factory.fresh("postgresql", demo=True, tmp_path=tmp_path_factory.mktemp("pg"))
    yield db
    database_factory.close(db)


@pytest.fixture(scope="module")
def raw(pg_demo: Database) -> Iterator[dict[str, object]]:
    """Ids the raw statements need: a referral Tom claimed, a signed assessment, Tom's letter."""
    demo_db = pg_demo
    clock = FrozenClock(DEMO_NOW)
    ensure_logins(demo_db)
    tom_db = as_login(demo_db, "tom")
    priya_db = as_login(demo_db, "priya")
    try:
        tom = Desk(db=tom_db, clock=clock, actor=sign_in_demo_user(tom_db, "tom"))
        priya = Desk(db=priya_db, clock=clock, actor=sign_in_demo_user(priya_db, "priya"))
        toms_claim = unclaimed_open(demo_db)
        worklist.claim_referral(tom, toms_claim)
        record = assess.start_assessment(priya, open_referral(demo_db, "lumbar"))
        answers = no_red_flags(record.protocol)
        assess.sign_off(priya, record.assessment_id, record.version, answers,
                        assess.SignOffDecision("routine_f2f", identity_confirmed=True))  # fmt: skip
        with demo_db.sessions() as session:
            assert tom.actor is not None
            toms_letter = session.scalar(
                sa.select(Letter.id).where(Letter.created_by_id == tom.actor.user_id).limit(1)
            )
            free_slot = session.scalar(sa.text("SELECT id FROM slot WHERE state = 'free' LIMIT 1"))
        assert toms_letter is not None
        yield {"open": unclaimed_open(demo_db), "toms_claim": toms_claim,
               "signed": record.assessment_id, "toms_letter": toms_letter,
               "free_slot": free_slot}  # fmt: skip
    finally:
        tom_db.dispose()
        priya_db.dispose()


TOM = "(SELECT id FROM app_user WHERE username = 'tom')"
ME = "(SELECT id FROM app_user WHERE username = session_user)"
AUDIT_TAMPERING = [
    "UPDATE audit_event SET actor = 'someone_else'",
    "DELETE FROM audit_event",
    "INSERT INTO audit_event (occurred_at, actor, action, entity, details, prev_hash, row_hash) "
    "VALUES (now(), 'x', 'x', 'x', '{}', 'x', 'x')",
    "TRUNCATE audit_event",
]
REFUSED_SQL = {
    "priya": [
        f"UPDATE referral SET assigned_to_id = {TOM} WHERE id = :open",  # reassign
        "UPDATE referral SET claimed_by_id = NULL, claimed_at = NULL, status = 'awaiting_call' "
        "WHERE id = :toms_claim",  # release a colleague's claim
        f"UPDATE referral SET claimed_by_id = {TOM}, claimed_at = now(), status = 'in_call' "
        "WHERE id = :open",  # claim in a colleague's name
        "UPDATE referral SET reason = 'edited' WHERE id = :open",  # not a claim column
        "INSERT INTO call_attempt (referral_id, made_at, made_by_id, result, note) "
        f"VALUES (:open, now(), {TOM}, 'no_answer', '')",
        "INSERT INTO call_attempt (referral_id, made_at, made_by_id, result, note) "
        f"VALUES (:toms_claim, now(), {ME}, 'no_answer', '')",
        "UPDATE assessment SET notes = 'changed after signing' WHERE id = :signed",
        "UPDATE letter SET print_count = print_count + 1 WHERE id = :toms_letter",
        "UPDATE slot SET state = 'blocked', blocked_reason = 'mine' WHERE id = :free_slot",
        f"INSERT INTO shift (clinician_id, on_date, triage_sessions, capacity) "
        f"VALUES ({ME}, DATE '2027-01-04', 2, 12)",
        "UPDATE app_user SET role = 'team_lead' WHERE username = 'priya'",
        "INSERT INTO clinic (code, name, address, postcode, served_districts, opening_notes, "
        "travel_notes, step_free_access, active) VALUES ('X', 'X', 'X', 'X', '[]', '', '', "
        "true, true)",
        "SELECT count(*) FROM audit_event",
        "CREATE ROLE mallory LOGIN",
        *AUDIT_TAMPERING,
    ],
    "sam": [
        "UPDATE app_user SET role = 'system_admin' WHERE username = 'sam'",
        "UPDATE referral SET patient_id = patient_id WHERE id = :open",
        "UPDATE assessment SET notes = 'changed after signing' WHERE id = :signed",
        "UPDATE service_setting SET value = 'false'",
        "CREATE ROLE mallory LOGIN",
        *AUDIT_TAMPERING,
    ],
    "jo": [
        "INSERT INTO call_attempt (referral_id, made_at, made_by_id, result, note) "
        f"VALUES (:open, now(), {ME}, 'no_answer', '')",
        f"UPDATE referral SET claimed_by_id = {ME}, claimed_at = now(), status = 'in_call' "
        "WHERE id = :open",
        "INSERT INTO assessment (referral_id) VALUES (:open)",
        f"INSERT INTO shift (clinician_id, on_date, triage_sessions, capacity) "
        f"VALUES ({TOM}, DATE '2027-01-04', 2, 12)",
        "SELECT count(*) FROM audit_event",
        *AUDIT_TAMPERING,
    ],
    "alex": [
        "SELECT count(*) FROM patient",
        "SELECT count(*) FROM patient_phone",
        "SELECT count(*) FROM referral",
        "SELECT count(*) FROM call_attempt",
        "SELECT count(*) FROM assessment",
        "SELECT count(*) FROM letter",
        "SELECT patient_id, referral_id FROM appointment",
        "UPDATE referral SET assigned_to_id = NULL WHERE id = :open",
        "SET ROLE physioline_physio",
        *AUDIT_TAMPERING,
    ],
}
CASES = [(user, sql) for user, statements in REFUSED_SQL.items() for sql in statements]


@pytest.mark.postgres
@pytest.mark.parametrize(("username", "statement"), CASES,
                         ids=[f"{u}:{s[:48]}" for u, s in CASES])  # fmt: skip
def test_the_database_refuses_what_the_role_may_not_do(
    pg_demo: Database, raw: dict[str, object], username: str, statement: str
) -> None:
    login = as_login(pg_demo, username)
    params = {k: v for k, v in raw.items() if f":{k}" in statement}
    try:
        with login.engine.begin() as conn, pytest.raises(sa.exc.DBAPIError) as refused:
            conn.execute(sa.text(statement), params)
        assert refused.value.orig is not None
        assert refused.value.orig.sqlstate == "42501", str(refused.value.orig)  # type: ignore[attr-defined]
    finally:
        login.dispose()


@pytest.mark.postgres
def test_the_database_lets_a_physio_claim_an_unassigned_referral(
    pg_demo: Database, raw: dict[str, object]
) -> None:
    login = as_login(pg_demo, "priya")
    try:
        with login.engine.begin() as conn:
            conn.execute(sa.text(
                "UPDATE referral SET status = 'in_call', claimed_at = now(), "
                f"claimed_by_id = {ME}, assigned_to_id = coalesce(assigned_to_id, {ME}) "
                "WHERE id = :open"), {"open": raw["open"]})  # fmt: skip
            mine = conn.execute(
                sa.text(f"SELECT claimed_by_id = {ME} FROM referral WHERE id = :open"),
                {"open": raw["open"]},
            ).scalar()
        assert mine is True
    finally:
        login.dispose()
