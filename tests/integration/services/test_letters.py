"""Letters built from the demo records, read back from the PDF, on SQLite and PostgreSQL.

Covers what issue 8 asks to be shown: the patient's name, NHS number and address, appointment
details, safety-netting text, page numbering, large print in the PDF's own font sizes, a held
letter with its reason, who may see and print which letters, the audit rows, and that the hash
stored is the hash of the PDF kept (so the exact letter sent can be reproduced).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pypdf
import pytest
import sqlalchemy as sa

from physioline.clock import LONDON, FrozenClock
from physioline.core.letters import LetterKind, NoPostalAddress
from physioline.core.referral import LetterStatus
from physioline.db.engine import Database
from physioline.db.models import (
    Appointment,
    Assessment,
    AuditEvent,
    CallAttempt,
    Clinic,
    Letter,
    Patient,
    Slot,
    User,
)
from physioline.errors import NotPermitted
from physioline.paths import resource
from physioline.services import letters
from physioline.services.desk import Desk
from physioline.services.letters import PrintMethod, QueueScope
from physioline.services.startup import sign_in_demo_user


@pytest.fixture
def five_pm(clock: FrozenClock) -> FrozenClock:
    """Letters at five (scenario 8): the demo's Monday, 17:00."""
    clock.set(datetime(2026, 11, 23, 17, 0, tzinfo=LONDON))
    return clock


@pytest.fixture
def desk_as(demo_db: Database, five_pm: FrozenClock) -> Callable[[str], Desk]:
    def make(username: str) -> Desk:
        return Desk(db=demo_db, clock=five_pm, actor=sign_in_demo_user(demo_db, username))

    return make


def pdf_text(data: bytes) -> list[str]:
    """Each page's text, whitespace collapsed (lines may wrap anywhere)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def font_sizes(data: bytes) -> set[float]:
    """Every font size text is set in, from the PDF's content streams."""
    sizes: set[float] = set()

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            sizes.add(round(size * abs(tm[3]) * abs(cm[3]), 1))

    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def letter_of(db: Database, kind: str, **where: Any) -> Letter:
    with db.sessions() as session:
        stmt = sa.select(Letter).where(Letter.kind == kind).filter_by(**where).order_by(Letter.id)
        letter = session.scalars(stmt).first()
        assert letter is not None
        return letter


def patient_of(db: Database, letter: Letter) -> Patient:
    with db.sessions() as session:
        patient = session.get(Patient, letter.patient_id)
        assert patient is not None
        return patient


def audit_rows(db: Database, action: str) -> list[AuditEvent]:
    with db.sessions() as session:
        return list(session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def nhs_334(number: str) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:]}"


# --- the queue and who sees it --------------------------------------------------------------
def test_the_booking_office_sees_the_days_letters_with_held_ones_and_why(
    desk_as: Callable[[str], Desk],
) -> None:
    rows = letters.print_queue(desk_as("jo"))
    assert len(rows) == 23
    assert {r.kind for r in rows} == set(LetterKind)
    held = [r for r in rows if not r.ready]
    assert len(held) == 1
    assert held[0].kind is LetterKind.APPOINTMENT
    assert held[0].held_reason == "No postal address on the patient's record."
    assert any(r.large_print for r in rows)
    large = [r for r in rows if r.large_print]
    assert all("Large print: send letters in 16 point or larger" in r.needs for r in large)
    assert [r.created_at for r in rows] == sorted(r.created_at for r in rows)


def test_a_physio_sees_and_prints_only_their_own_letters(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    priya = desk_as("priya")
    assert priya.actor is not None
    mine = letters.print_queue(priya, QueueScope.MINE)
    assert mine
    assert {r.created_by_id for r in mine} == {priya.actor.user_id}
    with pytest.raises(NotPermitted, match="their own letters"):
        letters.print_queue(priya, QueueScope.TEAM)
    theirs = next(r for r in letters.print_queue(desk_as("jo")) if r.created_by != "Priya Shah")
    with pytest.raises(NotPermitted, match="own letters only"):
        letters.preview_letter(priya, theirs.letter_id)
    batch = letters.prepare_print(priya, [theirs.letter_id, mine[0].letter_id])
    assert [d.letter_id for d in batch.documents] == [mine[0].letter_id]
    assert batch.skipped[0][0] == theirs.letter_id
    assert "own letters only" in batch.skipped[0][1]
    tom_doc = letters.preview_letter(desk_as("tom"), letters.print_queue(
        desk_as("tom"), QueueScope.MINE)[0].letter_id)  # fmt: skip
    with pytest.raises(NotPermitted):
        letters.mark_printed(priya, [tom_doc])


def test_it_staff_see_no_letters(desk_as: Callable[[str], Desk]) -> None:
    alex = desk_as("alex")
    any_letter = letters.print_queue(desk_as("sam"))[0].letter_id
    for attempt in (
        lambda: letters.print_queue(alex),
        lambda: letters.preview_letter(alex, any_letter),
        lambda: letters.prepare_print(alex, [any_letter]),
        lambda: letters.render_for_referral(alex, "advice", 1),
    ):
        with pytest.raises(NotPermitted, match="system admin"):
            attempt()


# --- each kind, built from the records and read back ----------------------------------------
def test_advice_letter_reads_back_with_name_nhs_number_address_and_safety_netting(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    with demo_db.sessions() as session:
        emergency = session.scalar(
            sa.select(Assessment.id).where(Assessment.chosen_disposition == "emergency")
        )
    letter = letter_of(demo_db, "advice", assessment_id=emergency)
    patient = patient_of(demo_db, letter)
    document = letters.preview_letter(desk_as("priya"), letter.id)
    pages = pdf_text(document.pdf)
    text = " ".join(pages)
    assert f"{patient.title} {patient.given_name} {patient.family_name}" in text
    for line in patient.address.splitlines():
        assert line.strip() in text
    assert patient.postcode is not None
    assert patient.postcode in text
    for number, page in enumerate(pages, start=1):
        assert f"NHS number: {nhs_334(patient.nhs_number)}" in page
        assert f"Page {number} of {len(pages)}" in page
    safety = resource("advice", "lumbar.safety.txt").read_text(encoding="utf-8")
    first_bullet = next(ln[2:] for ln in safety.splitlines() if ln.startswith(("- ", "> - ")))
    assert " ".join(first_bullet.removeprefix("- ").split()[:6]) in text
    assert "Call 999" in text
    assert "Call NHS 111" in text
    assert "emergency department" in text  # what happens next: the red flag's destination


def test_gp_letter_names_red_flags_screened_and_found_scores_and_registration(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    priya = desk_as("priya")
    with demo_db.sessions() as session:
        emergency = session.scalar(
            sa.select(Assessment.id).where(Assessment.chosen_disposition == "emergency")
        )
    letter = letter_of(demo_db, "gp", assessment_id=emergency)
    assert letter.created_by_id == priya.actor.user_id  # type: ignore[union-attr]
    text = " ".join(pdf_text(letters.preview_letter(priya, letter.id).pdf))
    found = "Found (1): • Suspected cauda equina syndrome: Go to A&E now for an emergency MRI"
    assert found in text
    assert "Screened (9):" in text
    assert "STarT Back total 0, psychosocial 0: low risk" in text
    assert "Emergency: same-day urgent or emergency care" in text
    assert "registration number HCPC PH123456" in text
    assert "Priya Shah" in text


def test_gp_letter_prints_the_downgrade_and_its_reason(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    letter = letter_of(demo_db, "gp")
    with demo_db.sessions() as session, session.begin():
        assessment = session.get(Assessment, letter.assessment_id)
        assert assessment is not None
        assessment.recommended_disposition = "emergency"
        assessment.destination = "urgent_treatment_centre"
        assessment.chosen_disposition = "routine_f2f"
        assessment.downgrade_reason = "X-ray yesterday showed no fracture."
    text = " ".join(pdf_text(letters.preview_letter(desk_as("sam"), letter.id).pdf))
    assert (
        "Recommended: Emergency: same-day urgent or emergency care (attend today); chosen: "
        "Routine face-to-face physiotherapy (within 3 weeks); reason: X-ray yesterday showed no "
        "fracture." in text
    )


def test_appointment_letter_gives_date_time_clinic_and_how_to_get_there(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    letter = letter_of(demo_db, "appointment", status=LetterStatus.QUEUED)
    with demo_db.sessions() as session:
        appointment = session.get(Appointment, letter.appointment_id)
        assert appointment is not None
        slot = session.get(Slot, appointment.slot_id)
        assert slot is not None
        clinic = session.get(Clinic, slot.clinic_id)
        assert clinic is not None
        start = slot.starts_at.astimezone(LONDON)
    text = " ".join(pdf_text(letters.preview_letter(desk_as("jo"), letter.id).pdf))
    assert f"{start:%A} {start.day} {start:%B %Y}" in text
    assert f"Time {start:%H:%M}" in text
    assert clinic.name in text
    assert clinic.postcode in text
    for line in clinic.address.splitlines():
        assert line.strip() in text
    assert " ".join(clinic.travel_notes.split()[:5]) in text
    assert "step-free access" in text


def test_unable_to_contact_letter_lists_the_calls_and_a_deadline_14_days_on(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    letter = letter_of(demo_db, "unable_to_contact", large_print=False)
    with demo_db.sessions() as session:
        attempts = list(session.scalars(sa.select(CallAttempt.made_at).where(
            CallAttempt.referral_id == letter.referral_id)))  # fmt: skip
    text = " ".join(pdf_text(letters.preview_letter(desk_as("jo"), letter.id).pdf))
    for made_at in attempts:
        local = made_at.astimezone(LONDON)
        assert f"{local.day} {local:%B %Y} at {local:%H:%M}" in text
    assert "Please call us on 020 7946 0000 by Monday 7 December 2026." in text


def test_large_print_letter_sets_every_word_in_16_point_or_more(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    large = letter_of(demo_db, "unable_to_contact", large_print=True)
    normal = letter_of(demo_db, "unable_to_contact", large_print=False)
    jo = desk_as("jo")
    large_sizes = font_sizes(letters.preview_letter(jo, large.id).pdf)
    normal_sizes = font_sizes(letters.preview_letter(jo, normal.id).pdf)
    assert min(large_sizes) >= 16
    assert 11 in normal_sizes
    assert min(normal_sizes) < 16


def test_accents_apostrophes_and_cyrillic_print_as_written_and_long_text_flows(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    letter = letter_of(demo_db, "gp")
    with demo_db.sessions() as session, session.begin():
        patient = session.get(Patient, letter.patient_id)
        assessment = session.get(Assessment, letter.assessment_id)
        assert patient is not None
        assert assessment is not None
        patient.given_name, patient.family_name = "Zoë", "O'Brien-Łukasiewicz Волкова"
        assessment.notes = "Plan agreed on the call with the patient. " * 250
        nhs = patient.nhs_number
    pages = pdf_text(letters.preview_letter(desk_as("jo"), letter.id).pdf)
    assert len(pages) >= 4
    assert "Zoë O'Brien-Łukasiewicz Волкова" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"NHS number: {nhs_334(nhs)}" in page
        assert f"Page {number} of {len(pages)}" in page
    assert all("Zoë O'Brien-Łukasiewicz Волкова" in page for page in pages[1:])


# --- held, stored, printed, reprinted, audited ---------------------------------------------
def test_a_letter_for_a_patient_without_an_address_is_held_until_one_is_recorded(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    jo = desk_as("jo")
    held = letter_of(demo_db, "appointment", status=LetterStatus.HELD)
    assert held.held_reason == "No postal address on the patient's record."
    with pytest.raises(NoPostalAddress, match="No postal address"):
        letters.preview_letter(jo, held.id)
    batch = letters.prepare_print(jo, [held.id])
    assert batch.documents == ()
    assert "No postal address" in batch.skipped[0][1]
    with demo_db.sessions() as session, session.begin():
        patient = session.get(Patient, held.patient_id)
        assert patient is not None
        patient.address, patient.postcode = "4 Example Mews\nLondon", "SE13 5AB"
    row = next(r for r in letters.print_queue(jo) if r.letter_id == held.id)
    assert row.ready
    document = letters.prepare_print(jo, [held.id]).documents[0]
    assert "4 Example Mews" in pdf_text(document.pdf)[0]
    letters.mark_printed(jo, [document])
    assert letter_of(demo_db, "appointment", id=held.id).status == LetterStatus.PRINTED


def test_preview_stores_the_pdf_with_its_hash_and_is_audited(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    letter = letter_of(demo_db, "advice")
    assert letter.pdf is None
    document = letters.preview_letter(desk_as("jo"), letter.id)
    stored = letter_of(demo_db, "advice", id=letter.id)
    assert stored.pdf == document.pdf
    assert stored.pdf_sha256 == hashlib.sha256(document.pdf).hexdigest() == document.sha256
    assert stored.status == LetterStatus.QUEUED
    (event,) = audit_rows(demo_db, "letter.preview")
    assert event.entity_id == str(letter.id)
    assert event.patient_id == letter.patient_id
    assert event.details["sha256"] == document.sha256
    assert event.actor == "jo"


def test_print_marks_printed_and_a_reprint_is_the_exact_letter_sent_and_recorded(
    demo_db: Database, desk_as: Callable[[str], Desk], five_pm: FrozenClock
) -> None:
    jo, sam = desk_as("jo"), desk_as("sam")
    ready = [r.letter_id for r in letters.print_queue(jo) if r.ready]
    batch = letters.prepare_print(jo, ready)
    assert len(batch.documents) == 22
    recorded = letters.mark_printed(jo, batch.documents)
    assert len(recorded.printed) == 22
    assert recorded.reprinted == ()
    assert [r for r in letters.print_queue(jo) if r.ready] == []
    with demo_db.sessions() as session:
        printed = list(session.scalars(sa.select(Letter).where(Letter.id.in_(ready))))
        jo_id = session.scalar(sa.select(User.id).where(User.username == "jo"))
    for letter in printed:
        assert letter.status == LetterStatus.PRINTED
        assert letter.printed_by_id == jo_id
        assert letter.printed_at == five_pm.now()
        assert letter.print_count == 1
        assert letter.pdf is not None
        assert letter.pdf_sha256 == hashlib.sha256(letter.pdf).hexdigest()
    assert len(audit_rows(demo_db, "letter.print")) == 22

    # A week later the patient moves; the reprint is still the letter that was sent.
    first = printed[0]
    with demo_db.sessions() as session, session.begin():
        patient = session.get(Patient, first.patient_id)
        assert patient is not None
        patient.address = "99 Elsewhere Road\nLondon"
    five_pm.advance(timedelta(days=7))
    again = letters.prepare_print(sam, [first.id]).documents[0]
    assert again.pdf == first.pdf
    assert again.printed_before
    recorded = letters.mark_printed(sam, [again])
    assert recorded.reprinted == (first.id,)
    reprinted = letter_of(demo_db, first.kind, id=first.id)
    assert reprinted.print_count == 2
    (event,) = audit_rows(demo_db, "letter.reprint")
    assert event.actor == "sam"
    assert event.details["sha256"] == first.pdf_sha256
    assert event.details["print_count"] == 2


def test_an_unprinted_letter_follows_the_record_and_a_save_counts_as_printed(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    jo = desk_as("jo")
    letter = letter_of(demo_db, "unable_to_contact", large_print=False)
    before = letters.preview_letter(jo, letter.id)
    with demo_db.sessions() as session, session.begin():
        patient = session.get(Patient, letter.patient_id)
        assert patient is not None
        patient.address = "Flat 2\n7 Corrected Street\nLondon"
    after = letters.preview_letter(jo, letter.id)
    assert after.sha256 != before.sha256
    assert "7 Corrected Street" in pdf_text(after.pdf)[0]
    letters.mark_printed(jo, [after], method=PrintMethod.SAVED, destination="letter.pdf")
    (event,) = audit_rows(demo_db, "letter.save")
    assert event.details["method"] == "saved"
    assert letter_of(demo_db, "unable_to_contact", id=letter.id).status == LetterStatus.PRINTED


def test_render_for_referral_uses_the_queued_letter(
    demo_db: Database, desk_as: Callable[[str], Desk]
) -> None:
    letter = letter_of(demo_db, "advice")
    assert letter.referral_id is not None
    document = letters.render_for_referral(desk_as("sam"), "advice", letter.referral_id)
    assert document.letter_id == letter.id
    assert letter_of(demo_db, "advice", id=letter.id).pdf_sha256 == document.sha256
    assert len(audit_rows(demo_db, "letter.render")) == 1
    with pytest.raises(Exception, match="No appointment letter has been queued"):
        letters.render_for_referral(desk_as("sam"), "appointment", letter.referral_id)
