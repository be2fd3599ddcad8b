"""What letters keep between renders in one process (font subsets, the logo, laid-out wording)
never changes what a letter says or which fonts it embeds."""

from __future__ import annotations

import io
import itertools
import json
import random
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from physioline.core.letters import (
    LetterContext,
    LetterKind,
    Patient,
    PostalAddress,
    fontcache,
    pdf_sha256,
    render_letter,
)
from physioline.core.letters import render as letter_render
from physioline.core.nhs_number import fake_nhs_number
from tests.unit.core.test_letters import (
    PATIENT,
    assessment,
    context,
    every_kind,
    pages,
    text_of,
)

LATIN = replace(PATIENT, given_name="John", family_name="Smith")
CYRILLIC = replace(PATIENT, title="Mr", given_name="Дмитрий", family_name="Волков")
GREEK = replace(PATIENT, title="Mx", given_name="Ἀλέξανδρος", family_name="Παπαδόπουλος")


def fonts(pdf: bytes) -> set[str]:
    """The base names of the fonts each page uses, each checked to be embedded."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            if font["/Subtype"] == "/TrueType":
                assert "/FontFile2" in font["/FontDescriptor"], name
                names.add(name.split("+", 1)[1])
    return names


def fresh(kind: LetterKind, ctx: LetterContext, large_print: bool | None = None) -> bytes:
    """The letter as a process that never rendered one before would make it."""
    letter_render.forget_shared_layout()
    return render_letter(kind, ctx, large_print=large_print)


@pytest.mark.parametrize("kind", list(LetterKind))
@pytest.mark.parametrize("setting", [None, "pdfMultiLine", "pdfComments"])
def test_cached_font_embedding_gives_reportlabs_own_bytes(
    kind: LetterKind, setting: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if setting is not None:
        monkeypatch.setattr(rl_config, setting, 1)
    ctx = replace(every_kind()[kind], patient=CYRILLIC)
    cached = [render_letter(kind, ctx), render_letter(kind, ctx)]  # the second from the cache
    monkeypatch.setattr(letter_render, "embed_fonts", lambda document: None)
    assert cached == [render_letter(kind, ctx)] * 2


def test_a_cyrillic_then_greek_name_after_a_latin_one_keeps_its_own_text_and_glyphs() -> None:
    kind = LetterKind.ADVICE
    alone = {p.family_name: fresh(kind, context(patient=p)) for p in (LATIN, CYRILLIC, GREEK)}
    letter_render.forget_shared_layout()
    in_turn = {p.family_name: render_letter(kind, context(patient=p)) for p in (LATIN, CYRILLIC)}
    in_turn[GREEK.family_name] = render_letter(kind, context(patient=GREEK))
    for patient in (LATIN, CYRILLIC, GREEK):
        pdf = in_turn[patient.family_name]
        assert pdf == alone[patient.family_name]  # nothing carried over from the letter before
        first_page = pages(pdf)[0]
        assert f"{patient.given_name} {patient.family_name}" in first_page
        assert fonts(pdf) == {"DejaVuSans", "DejaVuSans-Bold"}
    assert "Smith" not in text_of(in_turn[CYRILLIC.family_name])


def test_the_same_letters_in_any_order_give_the_same_bytes() -> None:
    letters = [
        (kind, replace(ctx, patient=patient), large)
        for kind, ctx in every_kind().items()
        for patient in (LATIN, CYRILLIC, GREEK)
        for large in (False, True)
    ]
    forwards = [render_letter(k, c, large_print=large) for k, c, large in letters]
    letter_render.forget_shared_layout()
    backwards = [render_letter(k, c, large_print=large) for k, c, large in reversed(letters)]
    assert forwards == backwards[::-1]


def test_shared_wording_split_across_pages_prints_as_in_a_fresh_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Plans of growing length push the advice wording across the page break at every line.
    sentence = "Advice given; routine face-to-face physiotherapy offered. "
    letters = [
        (kind, context(assessment=assessment(plan=sentence * repeat)), large)
        for kind in (LetterKind.ADVICE, LetterKind.GP)
        for repeat in range(1, 16)
        for large in (False, True)
    ]
    shared_splits = []
    split = letter_render._Para.split

    def spy(self: letter_render._Para, width: float, height: float) -> list[object]:
        shared_splits.append(self._shared is not None)
        return split(self, width, height)

    monkeypatch.setattr(letter_render._Para, "split", spy)
    warm = [render_letter(k, c, large_print=large) for k, c, large in letters]
    assert any(shared_splits)  # the case this test is for happened
    for (kind, ctx, large), pdf in zip(letters, warm, strict=True):
        assert pdf == fresh(kind, ctx, large)


# --- A batch to different patients, as a booking office prints it ------------------------------
def fake_patients(count: int, seed: int = 8) -> list[Patient]:
    """Faker en_GB patients at en_GB addresses, with 999-range NHS numbers; every third name is
    Polish, Irish, Czech or Turkish (accents), and two in Cyrillic or Greek."""
    from faker import Faker

    rng = random.Random(seed)
    uk = Faker("en_GB")
    uk.seed_instance(seed)
    locales = ("pl_PL", "ga_IE", "cs_CZ", "tr_TR")
    abroad = {locale: Faker(locale) for locale in (*locales, "ru_RU", "el_GR")}
    for n, fake in enumerate(abroad.values()):
        fake.seed_instance(seed + n)
    patients = []
    for i in range(count):
        if i in (4, 9):
            fake = abroad["ru_RU" if i == 4 else "el_GR"]
        elif i % 3 == 1:
            fake = abroad[locales[i // 3 % len(locales)]]
        else:
            fake = uk
        female = i % 2 == 0
        street = uk.street_address().split("\n")
        patients.append(
            Patient(
                title="Ms" if female else "Mr",
                given_name=fake.first_name_female() if female else fake.first_name_male(),
                family_name=fake.last_name_female() if female else fake.last_name_male(),
                nhs_number=fake_nhs_number(rng),
                date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(25_000)),
                address=PostalAddress((*street, uk.city()), uk.postcode()),
            )
        )
    return patients


def varied_batch(count: int = 12) -> list[tuple[LetterKind, LetterContext, bool]]:
    kinds = every_kind()
    return [
        (kind, replace(kinds[kind], patient=patient), i % 5 == 0 and kind.to_patient)
        for i, (kind, patient) in enumerate(
            zip(itertools.cycle(LetterKind), fake_patients(count), strict=False)
        )
    ]


def test_letters_to_different_fake_patients_print_as_each_would_in_a_fresh_process() -> None:
    batch = varied_batch()
    letter_render.forget_shared_layout()
    warm = [render_letter(kind, ctx, large_print=large) for kind, ctx, large in batch]
    assert fontcache.cache_stats().hits  # some letters did use another letter's subsets
    for (kind, ctx, large), pdf in zip(batch, warm, strict=True):
        assert pdf == fresh(kind, ctx, large)
        patient = ctx.patient
        first_page = pages(pdf)[0]
        assert f"{patient.given_name} {patient.family_name}" in first_page
        if kind.to_patient:
            assert patient.address is not None
            assert patient.address.postcode in first_page
        assert fonts(pdf) == {"DejaVuSans", "DejaVuSans-Bold"}


def test_a_new_process_rendering_the_batch_backwards_gives_the_same_bytes() -> None:
    batch = varied_batch()
    letter_render.forget_shared_layout()
    here = [pdf_sha256(render_letter(k, c, large_print=large)) for k, c, large in batch]
    script = (
        "import json\n"
        "from physioline.core.letters import pdf_sha256, render_letter\n"
        "from tests.unit.core.test_letters_caching import varied_batch\n"
        "batch = varied_batch()\n"
        "print(json.dumps([pdf_sha256(render_letter(k, c, large_print=large))"
        " for k, c, large in reversed(batch)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).parents[3],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout)[::-1] == here


def test_plain_english_names_and_addresses_make_no_new_font_subsets() -> None:
    # Printable ASCII has fixed codes in every subset, so only the wording's own symbols vary.
    english = [p for i, p in enumerate(fake_patients(12)) if i % 3 != 1 and i not in (4, 9)]
    assert all(f"{p.full_name}{p.address}".isascii() for p in english)
    letter_render.forget_shared_layout()
    for kind, ctx in every_kind().items():
        render_letter(kind, replace(ctx, patient=english[0]))
    before = fontcache.cache_stats()
    for kind, ctx in every_kind().items():
        for patient in english[1:]:
            render_letter(kind, replace(ctx, patient=patient))
    after = fontcache.cache_stats()
    assert after.misses == before.misses
    assert after.hits == before.hits + 2 * len(LetterKind) * (len(english) - 1)


def test_names_with_the_same_letters_in_another_order_each_print_their_own() -> None:
    # The same accented and Greek letters, first used in another order: another subset each.
    names = [("Zoë", "Łoś-Ćwik"), ("Łucja", "Ćwik-Zoëś"), ("Ἀλέξης", "Λέων"), ("Λέων", "Ἀλέξης")]
    letter_render.forget_shared_layout()
    kind, ctx = LetterKind.ADVICE, every_kind()[LetterKind.ADVICE]
    contexts = [replace(ctx, patient=replace(LATIN, given_name=g, family_name=f)) for g, f in names]
    warm = [render_letter(kind, c) for c in contexts]
    for (given, family), c, pdf in zip(names, contexts, warm, strict=True):
        assert f"{given} {family}" in pages(pdf)[0]
        assert pdf == fresh(kind, c)
