"""A full demo session logs no patient-identifiable data: names, NHS numbers, addresses, phones.

The session signs in (once wrongly), locks and unlocks, opens records, claims, records calls to
unable-to-contact, assesses and signs off, books, rebooks and cancels, prints letters, shares out
work, verifies and exports the audit, creates an account, runs the CLI and hits refusals; then
every seeded patient's names, NHS number (plain and 3-3-4), address lines, postcode and phone
numbers are searched for in the log files. None may appear.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from physioline.cli import main
from physioline.clock import FrozenClock
from physioline.core.nhs_number import format_nhs_number
from physioline.db.engine import Database
from physioline.db.models import Patient, PatientPhone, Referral, Shift, User
from physioline.errors import PhysioLineError
from physioline.logs import configure_logging
from physioline.services import (
    admin,
    booking,
    identity,
    letters,
    queries,
    teamlead,
    worklist,
)
from physioline.services import assessment as assess
from physioline.services.audit import AuditFilter, export_audit_csv, verify_chain
from physioline.services.demo import DEMO_PASSWORD
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user
from tests.fixtures.assessments import no_red_flags, open_referral
from tests.fixtures.logins import fresh_username


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The app's own file logging, with PhysioLine's loggers at DEBUG, for this test only."""
    root = logging.getLogger()
    level = root.level
    ours = logging.getLogger("physioline")
    path = configure_logging(tmp_path)
    ours.setLevel(logging.DEBUG)
    yield path
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == str(path):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    ours.setLevel(logging.NOTSET)


def identifiers(db: Database) -> set[str]:
    """Every piece of patient-identifiable text the demo seeded."""
    found: set[str] = set()
    with db.sessions() as session:
        for patient in session.scalars(sa.select(Patient)):
            found |= {patient.given_name, patient.family_name, patient.nhs_number,
                      format_nhs_number(patient.nhs_number)}  # fmt: skip
            found |= {line.strip() for line in patient.address.splitlines() if line.strip()}
            found |= {v for v in (patient.postcode, patient.carer_name, patient.carer_phone,
                                  patient.email) if v}  # fmt: skip
        for number, digits in session.execute(sa.select(PatientPhone.number, PatientPhone.digits)):
            found |= {number, digits}
    return {text for text in found if len(text) >= 3}


def leaks(log_text: str, secrets: set[str]) -> list[str]:
    return sorted(s for s in secrets if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", log_text))


def desk_as(db: Database, clock: FrozenClock, username: str) -> Desk:
    return Desk(db=db, clock=clock, actor=sign_in_demo_user(db, username))


def refused(action: object) -> None:
    try:
        action()  # type: ignore[operator]
    except PhysioLineError as exc:
        logging.getLogger("physioline.test").info("refused as expected: %s", type(exc).__name__)
    else:  # pragma: no cover - the session is built to hit refusals
        raise AssertionError("expected a refusal")


def a_full_day(db: Database, clock: FrozenClock) -> None:
    refused(lambda: identity.sign_in(db, clock, "priya", "wrong password"))
    actor = identity.sign_in(db, clock, "priya", DEMO_PASSWORD)
    priya = Desk(db=db, clock=clock, actor=actor)
    identity.record_lock(db, clock, actor)
    assert identity.check_password(db, clock, actor, DEMO_PASSWORD)
    page = queries.load_worklist_page(priya, queries.WorklistFilter(scope=queries.Scope.TEAM))
    for row in page.rows[:5]:
        queries.load_referral_detail(priya, row.referral_id)
    # unable to contact: three calls, the letter queued (or held without an address)
    rid = page.rows[-1].referral_id
    for hours in (0, 3, 4.5):
        clock.advance(timedelta(hours=hours))
        worklist.record_call_attempt(priya, rid, "no_answer", note="rang mobile")
    # a call answered, assessed and signed off, then booked, rebooked and cancelled
    record = assess.start_assessment(priya, open_referral(db, "lumbar"))
    answers = no_red_flags(record.protocol)
    saved = assess.save_draft(priya, record.assessment_id, record.version, answers)
    assess.sign_off(priya, record.assessment_id, saved.version, answers,
                    assess.SignOffDecision("routine_f2f", identity_confirmed=True,
                                           notes="Exercises; review in clinic."))  # fmt: skip
    context = booking.booking_context(priya, record.referral_id)
    offers = booking.find_slots(priya, context.query()).offers
    booked = booking.book_slot(priya, record.referral_id, offers[0].slot_id)
    moved = booking.rebook_appointment(priya, booked.appointment_id, offers[1].slot_id,
                                       reason="Patient asked", initiator="patient")  # fmt: skip
    booking.appointment_ics(priya, moved.appointment_id)
    booking.cancel_appointment(priya, moved.appointment_id, reason="Feels better",
                               initiator="patient")  # fmt: skip
    # letters: preview and print the booking office's queue
    jo = desk_as(db, clock, "jo")
    queue = letters.print_queue(jo)
    letters.preview_letter(jo, queue[0].letter_id)
    batch = letters.prepare_print(jo, [r.letter_id for r in queue[:5]])
    letters.mark_printed(jo, batch.documents)
    # a colleague's claim, a refusal, a share-out of Tom's list
    tom = desk_as(db, clock, "tom")
    other = open_referral(db, "knee")
    worklist.claim_referral(tom, other)
    refused(lambda: worklist.claim_referral(priya, other))
    refused(lambda: worklist.release_claim(priya, other))
    sam = desk_as(db, clock, "sam")
    worklist.release_claim(sam, other, reason="stale")
    with db.sessions() as session:
        on_shift = session.scalars(sa.select(Shift.clinician_id)).first()
    teamlead.reassign(sam, [other], on_shift, reason="sharing out")
    refused(lambda: queries.load_worklist_page(desk_as(db, clock, "alex"),
                                               queries.WorklistFilter()))  # fmt: skip
    # audit and accounts
    assert verify_chain(sam).intact
    export_audit_csv(sam, AuditFilter(action="patient."), io.StringIO())
    admin.create_user(desk_as(db, clock, "alex"), username=fresh_username("nadia"),
                      display_name="Nadia Ali", role="physio",
                      password="a long enough password")  # fmt: skip
    identity.record_sign_out(db, clock, actor)


def test_a_full_demo_session_logs_no_patient_data(
    demo_db: Database, clock: FrozenClock, log_file: Path
) -> None:
    a_full_day(demo_db, clock)
    text = log_file.read_text(encoding="utf-8")
    assert "signed in" in text  # the log did record the session
    secrets = identifiers(demo_db)
    assert len(secrets) > 1_000
    assert leaks(text, secrets) == []


def test_the_cli_logs_no_patient_data_either(
    capsys: pytest.CaptureFixture[str], physioline_home: Path
) -> None:
    assert main(["worklist", "--team", "--demo", "--as", "priya", "--format", "csv"]) == 0
    shown = capsys.readouterr().out  # the screen shows patients; the log must not
    assert main(["audit", "verify", "--demo", "--as", "sam"]) == 0
    assert main(["worklist", "--team", "--demo", "--as", "alex"]) == 6
    logs = list(physioline_home.rglob("*.log"))
    assert logs
    text = "".join(p.read_text(encoding="utf-8") for p in logs)
    from physioline.db.engine import open_database
    from physioline.paths import demo_database_path

    db = open_database(f"sqlite:///{demo_database_path()}")
    try:
        secrets = identifiers(db)
        with db.sessions() as session:
            shown_names = {n for n in session.scalars(sa.select(Patient.family_name)) if n in shown}
        assert shown_names  # the CSV named patients on the screen
        assert leaks(text, secrets) == []
        with db.sessions() as session:
            assert session.scalar(sa.select(sa.func.count()).select_from(Referral))
            assert session.scalar(sa.select(sa.func.count()).select_from(User))
    finally:
        db.dispose()
