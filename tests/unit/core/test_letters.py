"""Letters read back from the PDF: name, NHS number, address, times, safety-netting, large print."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from physioline.core.letters import (
    Appointment,
    AssessmentSummary,
    Clinician,
    CommunicationNeeds,
    ContactAttempts,
    GpPractice,
    LetterContext,
    LetterKind,
    LetterNotSendable,
    NoPostalAddress,
    Patient,
    PostalAddress,
    RedFlagFound,
    RedFlagScreened,
    ServiceDetails,
    UnprintableText,
    check_letter_resources,
    communication_alerts,
    london_when,
    pdf_sha256,
    render_letter,
    why_not_sendable,
)
from physioline.core.letters.markup import parse
from physioline.core.letters.model import PROTOCOL_IDS
from physioline.core.letters.resources import load_labels
from physioline.errors import InvalidInput
from physioline.paths import resources_dir

MM = 72 / 25.4  # points per millimetre
NHS = "999 000 0018"
NAME = "Zoë O'Brien-Łukasiewicz"

SERVICE = ServiceDetails(
    name="Riverside Community MSK Physiotherapy",
    address_lines=("Riverside Health Centre", "12 Mill Lane", "Northam"),
    postcode="NR1 4AB",
    phone="0300 123 4567",
    email="msk.triage@riverside.nhs.uk",
    website="riverside-msk.nhs.uk",
    phone_hours="Monday to Friday, 8am to 6pm",
)
ADDRESS = PostalAddress(("Flat 3, Ελληνική House", "27 Квітнева Street", "Northam"), "NR2 7QT")
PATIENT = Patient(
    title="Ms",
    given_name="Zoë",
    family_name="O'Brien-Łukasiewicz",
    nhs_number="9990000018",
    date_of_birth=date(1968, 4, 17),
    address=ADDRESS,
)
CLINICIAN = Clinician("Sam Okafor", "Physiotherapist", "HCPC PH123456")
GP = GpPractice("Millbrook Surgery", ("4 Station Road", "Northam"), "NR3 1ZZ", "Dr A Patel")
SCREENED = (
    RedFlagScreened("rf.cauda_equina", "Cauda equina syndrome"),
    RedFlagScreened("rf.spinal_infection", "Spinal infection"),
    RedFlagScreened("rf.vertebral_fracture", "Vertebral fracture"),
)
REASON = "Patient is already seeing a private physiotherapist and prefers advice only."


def assessment(protocol_id: str = "lumbar", **changes: object) -> AssessmentSummary:
    summary = AssessmentSummary(
        protocol_id=protocol_id,
        assessed_at=datetime(2026, 11, 30, 10, 5, tzinfo=UTC),
        red_flags_screened=SCREENED,
        red_flags_found=(),
        scores_text="STarT Back total 5, psychosocial 2: medium risk",
        recommended_disposition="routine_f2f",
        chosen_disposition="self_management",
        destination=None,
        pathway=None,
        downgrade_reason=REASON,
        plan="Self-management advice given and sent by letter.",
        patient_summary="You told us about pain in your lower back for 3 weeks.",
    )
    return replace(summary, **changes)  # type: ignore[arg-type]


def context(**changes: object) -> LetterContext:
    base = LetterContext(
        service=SERVICE,
        patient=PATIENT,
        letter_date=date(2026, 12, 1),
        referral_received=date(2026, 11, 25),
        reference="REF-000123",
        clinician=CLINICIAN,
        gp=GP,
        assessment=assessment(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def appointment(start: datetime) -> Appointment:
    return Appointment(
        start=start,
        clinic_name="Northam Community Hospital",
        clinic_address_lines=("Hospital Road", "Northam"),
        clinic_postcode="NR4 9HX",
        how_to_get_there="Buses 14 and 22 stop outside the main entrance.",
        step_free_access=True,
        clinician_name="Priya Shah, Physiotherapist",
        appointment_type="Physiotherapy assessment (45 minutes)",
    )


ATTEMPTS = ContactAttempts(
    attempts=(
        datetime(2026, 11, 27, 9, 15, tzinfo=UTC),
        datetime(2026, 11, 26, 14, 40, tzinfo=UTC),
        datetime(2026, 11, 30, 16, 5, tzinfo=UTC),
    ),
    deadline=date(2026, 12, 15),
)


def every_kind() -> dict[LetterKind, LetterContext]:
    return {
        LetterKind.ADVICE: context(),
        LetterKind.APPOINTMENT: context(
            appointment=appointment(datetime(2026, 12, 3, 17, 30, tzinfo=UTC))
        ),
        LetterKind.UNABLE_TO_CONTACT: context(contact_attempts=ATTEMPTS),
        LetterKind.GP: context(),
    }


def pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed (line breaks fall anywhere)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages(pdf))


def font_sizes(pdf: bytes) -> list[tuple[str, float]]:
    """(text, font size in points) of every piece of text drawn, read from the content streams."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = abs(tm[3]) if tm and tm[3] else 1.0
            runs.append((text.strip(), float(size) * scale))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return runs


def plain(markup_text: str) -> str:
    return " ".join(markup_text.replace("**", "").split())


# --- names, NHS number, addresses, pages -----------------------------------------------------
@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_kind_prints_the_name_nhs_number_on_every_page_and_page_n_of_m(
    kind: LetterKind,
) -> None:
    pdf = render_letter(kind, every_kind()[kind])
    texts = pages(pdf)
    assert pdf.startswith(b"%PDF")
    for number, page in enumerate(texts, start=1):
        assert NHS in page, f"NHS number missing on page {number}"
        assert f"Page {number} of {len(texts)}" in page
    assert NAME in text_of(pdf)


@pytest.mark.parametrize(
    "kind", [LetterKind.ADVICE, LetterKind.APPOINTMENT, LetterKind.UNABLE_TO_CONTACT]
)
def test_patient_letters_carry_the_postal_address_on_the_first_page(kind: LetterKind) -> None:
    first = pages(render_letter(kind, every_kind()[kind]))[0]
    for line in (f"Ms {NAME}", "Flat 3, Ελληνική House", "27 Квітнева Street", "NR2 7QT"):
        assert line in first
    assert "Dear Ms O'Brien-Łukasiewicz," in first


def test_the_gp_letter_is_addressed_to_the_practice_and_names_the_patient() -> None:
    text = text_of(render_letter(LetterKind.GP, context()))
    for line in ("Dr A Patel", "Millbrook Surgery", "4 Station Road", "NR3 1ZZ"):
        assert line in text
    assert "Dear Dr A Patel," in text
    assert NAME in text
    assert "17 April 1968" in text


def test_a_name_in_a_script_the_font_lacks_is_refused_not_printed_as_boxes() -> None:
    patient = replace(PATIENT, given_name="王", family_name="小明")
    with pytest.raises(UnprintableText) as caught:
        render_letter(LetterKind.ADVICE, context(patient=patient))
    assert "patient name" in caught.value.message
    assert "王" not in caught.value.message  # names code points, not the text


@pytest.mark.parametrize(("given", "family"), [("محمد", "Khan"), ("Noa", "כהן")])
def test_a_right_to_left_name_is_refused_not_printed_back_to_front(given: str, family: str) -> None:
    patient = replace(PATIENT, given_name=given, family_name=family)
    with pytest.raises(UnprintableText) as caught:
        render_letter(LetterKind.GP, context(patient=patient))
    assert "patient name" in caught.value.message


def test_markup_in_free_text_is_printed_literally() -> None:
    plan = 'Pain <b>worse</b> on stairs & slopes; "keep going" **not bold** {service_name}'
    text = text_of(render_letter(LetterKind.GP, context(assessment=assessment(plan=plan))))
    assert plan in text


def _placed(pdf: bytes, page_number: int = 0) -> list[tuple[str, float, float, float]]:
    """(text, x, baseline from the top of the page, size) of each run on a page, in mm/pt."""
    page = PdfReader(io.BytesIO(pdf)).pages[page_number]
    height = float(page.mediabox.height)
    runs: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x, y = tm[4] + cm[4], tm[5] + cm[5]
            runs.append((text.strip(), x / MM, (height - y) / MM, float(size)))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("kind", [LetterKind.ADVICE, LetterKind.GP])
def test_the_recipient_sits_in_the_dl_envelope_window(kind: LetterKind, large_print: bool) -> None:
    # DL window: 20 mm from the left, 45 mm from the top, 90 x 35 mm.
    ctx = every_kind()[kind]
    pdf = render_letter(kind, ctx, large_print=large_print)
    practice = {"Dr A Patel", "Millbrook Surgery", "4 Station Road", "Northam", "NR3 1ZZ"}
    recipient = _address_lines(ctx) if kind is LetterKind.ADVICE else practice
    # The recipient's lines near the top left (the letterhead and body may repeat a town).
    placed = [run for run in _placed(pdf) if run[0] in recipient and run[1] < 100 > run[2]]
    assert len(placed) == len(recipient)
    for text, x, baseline, size in placed:
        width = stringWidth(text, "DejaVuSans", size) / MM
        assert x >= 20, text
        assert x + width <= 110, text
        assert baseline - size / MM >= 45, text
        assert baseline + 0.3 * size / MM <= 80, text
    inside = [
        run
        for run in _placed(pdf)
        if run[0] not in recipient and 20 <= run[1] < 110 and 45 <= run[2] <= 80
    ]
    assert not inside, f"something else is printed in the window: {inside}"


# --- long free text -------------------------------------------------------------------------
def test_long_free_text_flows_onto_more_pages_with_the_header_repeated() -> None:
    paragraphs = [
        f"Paragraph {i}: " + "the patient described symptoms in considerable detail " * 12
        for i in range(40)
    ]
    plan = "\n\n".join(paragraphs) + "\n\nEND-OF-PLAN-MARKER"
    pdf = render_letter(LetterKind.GP, context(assessment=assessment(plan=plan)))
    texts = pages(pdf)
    assert len(texts) >= 3
    for page in texts[1:]:
        assert page.startswith(f"Ms {NAME} · NHS number: {NHS} · Date of birth: 17 April 1968")
    assert "END-OF-PLAN-MARKER" in texts[-1]
    assert "Paragraph 39:" in text_of(pdf)
    assert "Sam Okafor" in texts[-1]


def test_one_enormous_word_wraps_instead_of_running_off_the_page() -> None:
    plan = "x" * 5000
    pdf = render_letter(LetterKind.GP, context(assessment=assessment(plan=plan)))
    assert text_of(pdf).replace(" ", "").count("x") >= 5000


# --- appointment times in London time ----------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "day", "time"),
    [
        # BST (UTC+1): 16:30 UTC is 17:30 in London.
        (datetime(2026, 6, 18, 16, 30, tzinfo=UTC), "Thursday 18 June 2026", "17:30"),
        # GMT (UTC+0): 17:30 UTC is 17:30 in London.
        (datetime(2026, 12, 3, 17, 30, tzinfo=UTC), "Thursday 3 December 2026", "17:30"),
        # BST, late evening UTC is the next day in London.
        (datetime(2026, 7, 1, 23, 15, tzinfo=UTC), "Thursday 2 July 2026", "00:15"),
    ],
)
def test_appointment_letter_shows_the_london_date_and_time(
    start: datetime, day: str, time: str
) -> None:
    pdf = render_letter(LetterKind.APPOINTMENT, context(appointment=appointment(start)))
    text = text_of(pdf)
    assert f"Date {day}" in text
    assert f"Time {time}" in text
    assert "Northam Community Hospital Hospital Road Northam NR4 9HX" in text
    assert "Buses 14 and 22 stop outside the main entrance." in text
    assert load_labels().text("step_free_access", "yes") in text
    assert "0300 123 4567" in text  # how to cancel or change
    assert london_when(start) == f"{day} at {time}"


def test_no_step_free_access_is_said_plainly() -> None:
    booked = replace(appointment(datetime(2026, 12, 3, 9, 0, tzinfo=UTC)), step_free_access=False)
    text = text_of(render_letter(LetterKind.APPOINTMENT, context(appointment=booked)))
    assert " ".join(load_labels().text("step_free_access", "no").split()) in text


def test_naive_appointment_time_is_refused() -> None:
    naive = appointment(datetime(2026, 12, 3, 9, 0))  # noqa: DTZ001 - the point of the test
    with pytest.raises(InvalidInput):
        render_letter(LetterKind.APPOINTMENT, context(appointment=naive))


# --- advice letters and safety-netting -----------------------------------------------------------
@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_every_region_advice_letter_carries_its_safety_netting(protocol_id: str) -> None:
    pdf = render_letter(LetterKind.ADVICE, context(assessment=assessment(protocol_id)))
    text = text_of(pdf)
    safety = (resources_dir() / "advice" / f"{protocol_id}.safety.txt").read_text("utf-8")
    blocks = parse(safety)
    first = blocks[0].items[0].text
    assert plain(first) in text
    bullets = [item.text for block in blocks for item in block.items if block.kind == "bullets"]
    for bullet in bullets:
        assert plain(bullet) in text
    advice = parse((resources_dir() / "advice" / f"{protocol_id}.txt").read_text("utf-8"))
    assert plain(advice[0].items[0].text) in text
    for always in ("Call 999", "Call NHS 111", "Call us on 0300 123 4567"):
        assert always in text
    region = load_labels().text("regions", protocol_id, "patient")
    assert f"Looking after your {region}" in text


def test_lumbar_advice_warns_about_cauda_equina() -> None:
    text = text_of(render_letter(LetterKind.ADVICE, context()))
    assert "cauda equina syndrome" in text
    assert "Go to A&E straight away" in text


def test_advice_letter_says_what_happens_next_for_the_chosen_disposition() -> None:
    chosen = assessment(
        chosen_disposition="emergency",
        recommended_disposition="emergency",
        destination="urgent_treatment_centre",
        downgrade_reason=None,
    )
    text = text_of(render_letter(LetterKind.ADVICE, context(assessment=chosen)))
    patient_words = load_labels().text("destinations", "urgent_treatment_centre", "patient")
    assert f"you need to be seen today at {patient_words}" in text


# --- GP letter -------------------------------------------------------------------------------
def test_gp_letter_prints_the_override_line_when_the_clinician_chose_less_severe() -> None:
    labels = load_labels()
    text = text_of(render_letter(LetterKind.GP, context()))
    recommended = labels.text("dispositions", "routine_f2f", "gp")
    chosen = labels.text("dispositions", "self_management", "gp")
    assert f"Recommended: {recommended}; chosen: {chosen}; reason: {REASON}" in text
    assert "STarT Back total 5, psychosocial 2: medium risk" in text
    assert "HCPC PH123456" in text
    assert "Cauda equina syndrome; Spinal infection; Vertebral fracture" in text


def test_gp_letter_has_no_override_line_when_the_recommendation_was_followed() -> None:
    followed = assessment(chosen_disposition="routine_f2f", downgrade_reason=None)
    text = text_of(render_letter(LetterKind.GP, context(assessment=followed)))
    assert "Recommended: " not in text
    assert "reason:" not in text


def test_a_downgrade_without_a_reason_is_not_sent() -> None:
    unexplained = assessment(downgrade_reason="  ")
    with pytest.raises(LetterNotSendable):
        render_letter(LetterKind.GP, context(assessment=unexplained))


def test_gp_letter_lists_red_flags_found_with_mandated_action_and_destination() -> None:
    found = assessment(
        red_flags_found=(
            RedFlagFound(
                "rf.cauda_equina",
                "Cauda equina syndrome",
                "Go to A&E now for an emergency MRI; do not wait.",
            ),
        ),
        recommended_disposition="emergency",
        chosen_disposition="emergency",
        destination="emergency_department",
        downgrade_reason=None,
    )
    text = text_of(render_letter(LetterKind.GP, context(assessment=found)))
    action = "Go to A&E now for an emergency MRI; do not wait."
    assert f"Found (1): • Cauda equina syndrome: {action}" in text
    assert load_labels().text("destinations", "emergency_department", "gp") in text


def test_gp_letter_shows_communication_needs_prominently() -> None:
    needs = CommunicationNeeds(easy_read=True, interpreter_language="Polish", carer="Anna Nowak")
    pdf = render_letter(LetterKind.GP, context(patient=replace(PATIENT, needs=needs)))
    first = pages(pdf)[0]
    alerts = communication_alerts(needs)
    assert alerts[0].startswith("Interpreter needed: Polish")
    for alert in alerts:
        assert alert in first
    assert first.index("Communication needs") < first.index("Physiotherapy telephone triage")


def test_gp_letter_is_sent_even_when_the_patient_has_no_postal_address() -> None:
    homeless = replace(PATIENT, address=None)
    assert why_not_sendable(LetterKind.GP, context(patient=homeless)) is None
    assert NHS in text_of(render_letter(LetterKind.GP, context(patient=homeless)))


# --- unable to contact ----------------------------------------------------------------------------
def test_unable_to_contact_letter_lists_the_calls_in_order_and_the_deadline() -> None:
    text = text_of(render_letter(LetterKind.UNABLE_TO_CONTACT, context(contact_attempts=ATTEMPTS)))
    calls = [
        "Thursday 26 November 2026 at 14:40",
        "Friday 27 November 2026 at 09:15",
        "Monday 30 November 2026 at 16:05",
    ]
    positions = [text.index(call) for call in calls]
    assert positions == sorted(positions)
    assert "Please call us on 0300 123 4567 by Tuesday 15 December 2026." in text
    assert "discharge you back to your GP" in text
    assert ContactAttempts.deadline_for(date(2026, 12, 1)) == date(2026, 12, 15)


def test_call_attempts_in_summer_are_shown_in_bst() -> None:
    summer = ContactAttempts((datetime(2026, 6, 1, 8, 0, tzinfo=UTC),), date(2026, 6, 16))
    text = text_of(render_letter(LetterKind.UNABLE_TO_CONTACT, context(contact_attempts=summer)))
    assert "Monday 1 June 2026 at 09:00" in text


# --- no postal address -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "address",
    [None, PostalAddress((), "NR2 7QT"), PostalAddress(("1 High Street",), " ")],
)
@pytest.mark.parametrize(
    "kind", [LetterKind.ADVICE, LetterKind.APPOINTMENT, LetterKind.UNABLE_TO_CONTACT]
)
def test_a_patient_letter_without_a_postal_address_is_refused_with_the_reason(
    kind: LetterKind, address: PostalAddress | None
) -> None:
    ctx = replace(every_kind()[kind], patient=replace(PATIENT, address=address))
    reason = why_not_sendable(kind, ctx)
    assert reason is not None
    assert reason.startswith("No postal address")
    with pytest.raises(NoPostalAddress):
        render_letter(kind, ctx)


def test_a_letter_missing_its_details_says_which() -> None:
    reason = why_not_sendable(LetterKind.APPOINTMENT, context())
    assert reason is not None
    assert "appointment" in reason


# --- large print -----------------------------------------------------------------------------
def _address_lines(ctx: LetterContext) -> set[str]:
    assert ctx.patient.address is not None
    return {ctx.patient.full_name, *ctx.patient.address.lines, ctx.patient.address.postcode}


@pytest.mark.parametrize(
    "kind", [LetterKind.ADVICE, LetterKind.APPOINTMENT, LetterKind.UNABLE_TO_CONTACT]
)
def test_large_print_sets_every_word_at_16_point_or_more(kind: LetterKind) -> None:
    needs = CommunicationNeeds(large_print=True)
    ctx = replace(every_kind()[kind], patient=replace(PATIENT, needs=needs))
    pdf = render_letter(kind, ctx)  # large print follows the patient's recorded need
    runs = font_sizes(pdf)
    window = _address_lines(ctx)
    small = [(text, size) for text, size in runs if size < 16 and text not in window]
    assert not small, small[:5]
    body = [size for text, size in runs if text.startswith("Dear Ms")]
    assert body
    assert min(body) >= 16
    assert max(size for _, size in runs) >= 20  # headings bigger still
    assert len(pages(pdf)) > len(pages(render_letter(kind, every_kind()[kind])))


def test_normal_print_body_is_11_point_and_large_print_can_be_forced() -> None:
    normal = font_sizes(render_letter(LetterKind.ADVICE, context()))
    assert [size for text, size in normal if text.startswith("Dear Ms")] == [11.0]
    forced = font_sizes(render_letter(LetterKind.ADVICE, context(), large_print=True))
    assert [size for text, size in forced if text.startswith("Dear Ms")] == [16.0]


def test_gp_letter_is_normal_print_even_for_a_large_print_patient() -> None:
    ctx = context(patient=replace(PATIENT, needs=CommunicationNeeds(large_print=True)))
    sizes = font_sizes(render_letter(LetterKind.GP, ctx))
    assert [size for text, size in sizes if text.startswith("Dear Dr")] == [11.0]


# --- resources and hashing -------------------------------------------------------------------
def test_shipped_letter_resources_are_complete() -> None:
    assert check_letter_resources() == []


def _copy_data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "data"
    shutil.copytree(resources_dir(), root / "resources")
    (root / "protocols").mkdir()
    (root / "ui").mkdir()
    monkeypatch.setenv("PHYSIOLINE_DATA_ROOT", str(root))
    return root / "resources"


def test_check_letter_resources_names_a_missing_advice_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resources = _copy_data_root(tmp_path, monkeypatch)
    (resources / "advice" / "knee.safety.txt").unlink()
    (resources / "letters" / "gp.txt").unlink()
    problems = check_letter_resources()
    assert "resources/advice/knee.safety.txt is missing." in problems
    assert "resources/letters/gp.txt is missing." in problems
    assert len(problems) == 2


def test_check_letter_resources_names_broken_wording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resources = _copy_data_root(tmp_path, monkeypatch)
    template = resources / "letters" / "appointment.txt"
    template.write_text(template.read_text("utf-8") + "\n{patient_shoe_size}\n\n[[weather]]\n")
    advice = resources / "letters" / "advice.txt"
    advice.write_text(advice.read_text("utf-8").replace("[[safety_netting]]", ""))
    gp = resources / "letters" / "gp.txt"
    lines = gp.read_text("utf-8").splitlines()
    gp.write_text("\n".join(line for line in lines if "Clinician override" not in line))
    labels = resources / "letters" / "labels.yaml"
    labels.write_text(labels.read_text("utf-8").replace("  rheumatology:\n", "  rheumatolgy:\n"))
    problems = check_letter_resources()
    assert "resources/letters/appointment.txt uses an unknown placeholder {patient_shoe_size}." in (
        problems
    )
    assert "resources/letters/appointment.txt uses an unknown block [[weather]]." in problems
    assert "resources/letters/advice.txt must contain [[safety_netting]]." in problems
    assert "resources/letters/gp.txt must contain {override_reason}." in problems
    assert any("destinations.rheumatology" in p for p in problems)


def test_same_letter_gives_the_same_bytes_and_hash() -> None:
    first = render_letter(LetterKind.GP, context())
    second = render_letter(LetterKind.GP, context())
    assert first == second
    digest = pdf_sha256(first)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    other = render_letter(LetterKind.GP, context(reference="REF-000124"))
    assert pdf_sha256(other) != digest
