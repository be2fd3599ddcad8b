"""Benchmark: the booking office's batch of letters against a bare one-page ReportLab floor.

Renders 500 mixed letters (all four kinds, all nine body regions, one in five in large print)
and, in the same run, 500 bare one-page ReportLab documents with the same fonts registered and one
paragraph each. Prints the per-letter milliseconds of both and the ratio; issue 8 asks for under
3x. Run: ``.venv/bin/python benchmarks/letters.py [COUNT]``.

Letters keep what is the same from one letter to the next for the life of the process: each font
subset's embedded bytes per exact glyph set, and the parse and line breaks of wording that names
no patient. Both fill during the timed batch, as in a real one; the floor embeds its font the
stock ReportLab way every time. The batch's five names make few glyph sets: a letter whose name
brings accented letters not seen before in the process pays for subsetting both fonts again
(about 4 ms on the development machine).
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from physioline.core.letters import (
    Appointment,
    AssessmentSummary,
    Clinician,
    CommunicationNeeds,
    ContactAttempts,
    GpPractice,
    LetterContext,
    LetterKind,
    Patient,
    PostalAddress,
    RedFlagScreened,
    ServiceDetails,
    check_letter_resources,
    render_letter,
)
from physioline.core.letters.model import PROTOCOL_IDS
from physioline.core.letters.render import FONT, register_fonts

SERVICE = ServiceDetails(
    name="Riverside Community MSK Physiotherapy",
    address_lines=("Riverside Health Centre", "12 Mill Lane", "Northam"),
    postcode="NR1 4AB",
    phone="0300 123 4567",
    email="msk.triage@riverside.nhs.uk",
    website="riverside-msk.nhs.uk",
    phone_hours="Monday to Friday, 8am to 6pm",
)
NAMES = (
    ("Ms", "Zoë", "O'Brien-Łukasiewicz"),
    ("Mr", "Dmitri", "Волков"),
    ("Mx", "Alex", "Papadopoulos-Παπαδόπουλος"),
    ("Mrs", "Siobhán", "Ní Bhriain"),
    ("Mr", "John", "Smith"),
)
SCREENED = tuple(
    RedFlagScreened(f"rf.flag_{i}", label)
    for i, label in enumerate(
        ("Cauda equina syndrome", "Spinal infection", "Spinal malignancy", "Major trauma")
    )
)


def context(i: int) -> tuple[LetterKind, LetterContext, bool]:
    """The i-th letter of the batch: kinds, regions and large print in rotation."""
    kind = tuple(LetterKind)[i % 4]
    title, given, family = NAMES[i % len(NAMES)]
    large = i % 5 == 0
    patient = Patient(
        title=title,
        given_name=given,
        family_name=family,
        nhs_number="9434765919",
        date_of_birth=date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
        address=PostalAddress((f"{1 + i % 90} Mill Lane", "Northam"), "NR2 7QT"),
        needs=CommunicationNeeds(
            large_print=large, interpreter_language=None if i % 7 else "Polish"
        ),
    )
    when = datetime(2026, 11, 30, 10, 0, tzinfo=UTC) + timedelta(hours=i)
    assessment = AssessmentSummary(
        protocol_id=PROTOCOL_IDS[i % len(PROTOCOL_IDS)],
        assessed_at=when,
        red_flags_screened=SCREENED,
        red_flags_found=(),
        scores_text="STarT MSK total 6: medium risk",
        recommended_disposition="routine_f2f",
        chosen_disposition="self_management" if i % 3 == 0 else "routine_f2f",
        destination=None,
        pathway=None,
        downgrade_reason="Prefers to manage with advice; will call if not improving.",
        plan="Advice given; routine face-to-face physiotherapy offered. " * (1 + i % 4),
        patient_summary="You told us about your symptoms and how they affect you.",
    )
    ctx = LetterContext(
        service=SERVICE,
        patient=patient,
        letter_date=date(2026, 12, 1),
        referral_received=date(2026, 11, 25),
        reference=f"REF-{i:06d}",
        clinician=Clinician("Sam Okafor", "Physiotherapist", "HCPC PH123456"),
        gp=GpPractice("Millbrook Surgery", ("4 Station Road", "Northam"), "NR3 1ZZ"),
        assessment=assessment,
        appointment=Appointment(
            start=when + timedelta(days=7),
            clinic_name="Northam Community Hospital",
            clinic_address_lines=("Hospital Road", "Northam"),
            clinic_postcode="NR4 9HX",
            how_to_get_there="Buses 14 and 22 stop outside the main entrance.",
            step_free_access=bool(i % 2),
            clinician_name="Priya Shah, Physiotherapist",
            appointment_type="Physiotherapy assessment (45 minutes)",
        ),
        contact_attempts=ContactAttempts((when, when + timedelta(days=1)), date(2026, 12, 15)),
    )
    return kind, ctx, large and kind is not LetterKind.GP  # the GP letter is never large print


def bare_document(i: int) -> bytes:
    """The floor: one A4 page, one paragraph, the same embedded font."""
    buffer = io.BytesIO()
    style = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15)
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
    doc.build([Paragraph(f"Dear Ms O'Brien-Łukasiewicz, this is letter {i}.", style)])
    return buffer.getvalue()


def bare_document_with_bold(i: int) -> bytes:
    """For context only: the floor plus one bold word, so both fonts are embedded as in a letter."""
    buffer = io.BytesIO()
    style = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15)
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
    doc.build([Paragraph(f"<b>Dear</b> Ms O'Brien-Łukasiewicz, this is letter {i}.", style)])
    return buffer.getvalue()


def main(count: int = 500) -> int:
    problems = check_letter_resources()
    if problems:
        print("\n".join(problems))
        return 1
    register_fonts()
    batch = [context(i) for i in range(count)]
    # Warm up both paths once (parsing the templates, loading the logo), outside the timings.
    render_letter(*batch[0][:2])
    bare_document(0)
    bare_document_with_bold(0)

    # Interleave the two in rounds, so a busy machine slows both alike.
    letters = bare = bold = 0.0
    sizes: list[int] = []
    pages = 0
    rounds = 10
    for start in range(0, count, max(1, count // rounds)):
        chunk = batch[start : start + max(1, count // rounds)]
        started = time.perf_counter()
        pdfs = [render_letter(kind, ctx) for kind, ctx, _ in chunk]
        letters += time.perf_counter() - started
        started = time.perf_counter()
        for i in range(start, start + len(chunk)):
            bare_document(i)
        bare += time.perf_counter() - started
        started = time.perf_counter()
        for i in range(start, start + len(chunk)):
            bare_document_with_bold(i)
        bold += time.perf_counter() - started
        sizes += [len(pdf) for pdf in pdfs]
        pages += sum(pdf.count(b"/Type /Page\n") for pdf in pdfs)

    per_letter = letters / count * 1000
    per_bare = bare / count * 1000
    large = sum(1 for *_, is_large in batch if is_large)
    print(f"{count} mixed letters ({large} large print): {letters:.2f} s, {per_letter:.1f} ms each")
    print(
        f"  {pages / count:.1f} pages a letter, {letters / pages * 1000:.1f} ms a page, "
        f"median PDF {statistics.median(sizes) / 1024:.0f} KiB"
    )
    print(f"{count} bare one-page documents: {bare:.2f} s, {per_bare:.1f} ms each")
    ratio = per_letter / per_bare
    print(f"ratio: {ratio:.2f}x per letter (target < 3x)")
    print(f"       {letters / pages * 1000 / per_bare:.2f}x per page")
    per_bold = bold / count * 1000
    print(
        f"context: a bare page that also embeds the bold font takes {per_bold:.1f} ms; "
        f"letters are {per_letter / per_bold:.2f}x that"
    )
    return 0 if ratio < 3 else 2


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
