"""Benchmark: the booking office's batch of letters against a bare one-page ReportLab floor.

Renders 500 mixed letters (all four kinds, all nine body regions, one in five in large print)
and, in the same run, 500 bare one-page ReportLab documents with the same fonts registered and one
paragraph each. Prints the per-letter milliseconds of both and the ratio; issue 8 asks for under
3x. Run: ``.venv/bin/python benchmarks/letters.py [COUNT]``.

The batch is what a booking office prints: every letter goes to a different fake patient (Faker
en_GB, seeded, so every run prints the same batch) at a different address and postcode, with a
999-range NHS number; one name in ten has accents, one in twenty an apostrophe or a hyphen, and
one in fifty is in Cyrillic or Greek script. GP practices (60), clinicians (24) and clinics (6)
are drawn from a borough's worth of fake ones.

Letters keep what is the same from one letter to the next for the life of the process: each font
subset's embedded bytes per exact glyph set, and the parse and line breaks of wording that names
no patient. Both fill during the timed batch, as in a real one; the floor embeds its font the
stock ReportLab way every time.
"""

from __future__ import annotations

import io
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

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
    fontcache,
    render_letter,
)
from physioline.core.letters.model import PROTOCOL_IDS
from physioline.core.letters.render import FONT, register_fonts
from physioline.core.nhs_number import fake_nhs_number

SERVICE = ServiceDetails(
    name="Riverside Community MSK Physiotherapy",
    address_lines=("Riverside Health Centre", "12 Mill Lane", "Northam"),
    postcode="NR1 4AB",
    phone="0300 123 4567",
    email="msk.triage@riverside.nhs.uk",
    website="riverside-msk.nhs.uk",
    phone_hours="Monday to Friday, 8am to 6pm",
)
SEED = 8
# Names from these Faker locales stand for the one letter in ten whose name has accents (Zoë,
# Łukasz, Ó Treabhair, Kučerová, Güçlü, Popescu...); those from the second list for the one in
# fifty in Cyrillic or Greek script. Addresses are always Faker en_GB.
ACCENTED_LOCALES = (
    "pl_PL",
    "ga_IE",
    "fr_FR",
    "cs_CZ",
    "tr_TR",
    "es_ES",
    "hu_HU",
    "ro_RO",
    "pt_PT",
    "de_DE",
    "is_IS",
    "lt_LT",
)
OTHER_SCRIPT_LOCALES = ("ru_RU", "el_GR", "uk_UA", "bg_BG")
PRACTICE_KINDS = (
    "Surgery",
    "Medical Centre",
    "Health Centre",
    "Medical Practice",
    "Group Practice",
)
PROFESSIONS = (
    "Physiotherapist",
    "Advanced Practice Physiotherapist",
    "Clinical Specialist Physiotherapist",
)
SCREENED = tuple(
    RedFlagScreened(f"rf.flag_{i}", label)
    for i, label in enumerate(
        ("Cauda equina syndrome", "Spinal infection", "Spinal malignancy", "Major trauma")
    )
)


class FakePeople:
    """Fake names and addresses for the batch, the same for the same seed (Faker, seeded)."""

    def __init__(self, seed: int) -> None:
        from faker import Faker  # a dev dependency: benchmarks and tests only

        self.rng = random.Random(seed)
        self.uk = Faker("en_GB")
        self.uk.seed_instance(seed)
        self.abroad: dict[str, Any] = {}
        for n, locale in enumerate(ACCENTED_LOCALES + OTHER_SCRIPT_LOCALES):
            self.abroad[locale] = Faker(locale)
            self.abroad[locale].seed_instance(seed + 1 + n)
        self.specials = 0

    def name(self, i: int, *, other_script: bool = True) -> tuple[str, str, str]:
        """Title, given and family name of the i-th person.

        1 in 10 has a name with accents, 1 in 20 an apostrophe or a hyphen, and 1 in 50 (when
        ``other_script``) is in Cyrillic or Greek; the rest are Faker en_GB names.
        """
        rng = self.rng
        female = rng.random() < 0.55
        title = rng.choice(("Mrs", "Mrs", "Ms", "Ms", "Miss", "")) if female else "Mr"
        title = rng.choices((title, "Dr", "Mx"), (95, 3, 2))[0]
        if other_script and i % 50 == 7:
            fake = self.abroad[OTHER_SCRIPT_LOCALES[i // 50 % len(OTHER_SCRIPT_LOCALES)]]
        elif i % 10 == 3:
            fake = self.abroad[ACCENTED_LOCALES[i // 10 % len(ACCENTED_LOCALES)]]
        else:
            fake = self.uk
        given = fake.first_name_female() if female else fake.first_name_male()
        family = fake.last_name_female() if female else fake.last_name_male()
        if i % 20 == 5:  # and 1 in 20 with an apostrophe or double-barrelled
            self.specials += 1
            family = f"O'{family}" if self.specials % 2 else f"{family}-{self.uk.last_name()}"
        return title, given, family

    def address(self) -> PostalAddress:
        """A Faker en_GB street address (sometimes a flat, on two lines), town and postcode."""
        lines = self.uk.street_address().split("\n")
        return PostalAddress((*lines, self.uk.city()), self.uk.postcode())

    def practice(self) -> GpPractice:
        uk, rng = self.uk, self.rng
        address = self.address()
        named = f"{uk.last_name()} {rng.choice(PRACTICE_KINDS)}"
        if rng.random() < 0.3:
            named = f"{uk.city()} {rng.choice(PRACTICE_KINDS)}"
        doctor = "" if rng.random() < 0.3 else f"Dr {uk.first_name()[0]} {uk.last_name()}"
        return GpPractice(named, address.lines, address.postcode, doctor)

    def clinician(self, i: int) -> Clinician:
        _, given, family = self.name(i, other_script=False)
        return Clinician(
            f"{given} {family}",
            self.rng.choice(PROFESSIONS),
            f"HCPC PH{self.rng.randrange(100_000, 1_000_000)}",
        )


def make_batch(count: int, seed: int = SEED) -> list[tuple[LetterKind, LetterContext, bool]]:
    """The batch: each letter to a different fake patient at a different address.

    A borough's 60 GP practices, 24 clinicians and 6 clinics are drawn at random; kinds, regions
    and large print (1 in 5) go in rotation.
    """
    people = FakePeople(seed)
    practices = [people.practice() for _ in range(60)]
    clinicians = [people.clinician(i) for i in range(24)]
    clinics = []
    for _ in range(6):
        address = people.address()
        town = address.lines[-1]
        kind = people.rng.choice(("Community Hospital", "Health Centre", "Physiotherapy Clinic"))
        clinics.append((f"{town} {kind}", address.lines, address.postcode))
    return [context(i, people, practices, clinicians, clinics) for i in range(count)]


def context(
    i: int,
    people: FakePeople,
    practices: list[GpPractice],
    clinicians: list[Clinician],
    clinics: list[tuple[str, tuple[str, ...], str]],
) -> tuple[LetterKind, LetterContext, bool]:
    """The i-th letter of the batch: kinds, regions and large print in rotation."""
    rng = people.rng
    kind = tuple(LetterKind)[i % 4]
    title, given, family = people.name(i)
    large = i % 5 == 0
    patient = Patient(
        title=title,
        given_name=given,
        family_name=family,
        nhs_number=fake_nhs_number(rng),
        date_of_birth=date(1934, 1, 1) + timedelta(days=rng.randrange(31_000)),
        address=people.address(),
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
    clinician = rng.choice(clinicians)
    seen_by = rng.choice(clinicians)
    clinic_name, clinic_lines, clinic_postcode = rng.choice(clinics)
    ctx = LetterContext(
        service=SERVICE,
        patient=patient,
        letter_date=date(2026, 12, 1),
        referral_received=date(2026, 11, 25),
        reference=f"REF-{i:06d}",
        clinician=clinician,
        gp=rng.choice(practices),
        assessment=assessment,
        appointment=Appointment(
            start=when + timedelta(days=7),
            clinic_name=clinic_name,
            clinic_address_lines=clinic_lines,
            clinic_postcode=clinic_postcode,
            how_to_get_there="Buses 14 and 22 stop outside the main entrance.",
            step_free_access=bool(i % 2),
            clinician_name=f"{seen_by.display_name}, {seen_by.profession}",
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
    batch = make_batch(count)
    # Warm up both paths once (parsing the templates, loading the logo), outside the timings.
    render_letter(*batch[0][:2])
    fontcache.cache_clear()  # the batch starts with no font subsets, as at start-up
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
    stats = fontcache.cache_stats()
    print(
        f"font subsets: {stats.hits} of {stats.hits + stats.misses} from the cache, "
        f"{stats.misses} cut afresh"
    )
    return 0 if ratio < 3 else 2


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
