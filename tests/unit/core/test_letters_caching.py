"""What letters keep between renders in one process (font subsets, the logo, laid-out wording)
never changes what a letter says or which fonts it embeds."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from physioline.core.letters import LetterContext, LetterKind, render_letter
from physioline.core.letters import render as letter_render
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
