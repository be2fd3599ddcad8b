"""Letter rendering: a patient or GP letter as A4 PDF bytes, ready to preview, print or store.

Pure ReportLab (platypus): no Qt, no database. The wording comes from resources/letters/ and
resources/advice/ (see resources.py); this module only lays it out: letterhead and logo, the
recipient's address in a DL window-envelope position, the date, the NHS number 3-3-4 in the header
of every page, "Page n of m", a confidentiality footer, and large print (16 pt and over) when the
patient needs it. DejaVu Sans is embedded so accented, Greek and Cyrillic names print as written.

Nothing here logs: every value in a letter is patient data.
"""

from __future__ import annotations

import functools
import hashlib
import io
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PIL import Image
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm as _reportlab_mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from physioline.clock import LONDON
from physioline.core.letters import fontcache, markup
from physioline.core.letters.fontcache import embed_fonts
from physioline.core.letters.markup import Block, BlockKind
from physioline.core.letters.model import (
    UNABLE_TO_CONTACT_DAYS,
    CommunicationNeeds,
    LetterContext,
    LetterKind,
    LetterNotSendable,
    UnprintableText,
    check_sendable,
    format_nhs_number,
)
from physioline.core.letters.resources import (
    FONT_FILES,
    PLACEHOLDERS,
    Labels,
    font_path,
    load_advice,
    load_labels,
    load_safety_netting,
    load_template,
    logo_path,
)

# --- Page geometry (A4, 210 x 297 mm) -------------------------------------------------------
mm: float = _reportlab_mm  # points per millimetre, typed
PAGE_WIDTH: float = A4[0]
PAGE_HEIGHT: float = A4[1]
MARGIN_LEFT: float = 20 * mm
MARGIN_RIGHT: float = 20 * mm
MARGIN_TOP: float = 10 * mm
MARGIN_BOTTOM: float = 12 * mm
CONTENT_WIDTH: float = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 170 mm

# DL window envelope (110 x 220 mm, A4 folded in three): the window shows the area 20 mm from the
# left edge of the page and 45 mm from the top, 90 x 35 mm. The address is set 3 mm inside it so
# it stays visible when the letter shifts in the envelope; nothing else is printed in this area.
WINDOW_LEFT: float = 20 * mm
WINDOW_TOP: float = 45 * mm
WINDOW_WIDTH: float = 90 * mm
WINDOW_HEIGHT: float = 35 * mm
WINDOW_INSET: float = 3 * mm

# The letterhead column to the right of the window, under the logo.
LOGO_WIDTH: float = 48 * mm
LETTERHEAD_LEFT: float = 116 * mm
LETTERHEAD_TOP: float = 31 * mm
# The body starts at least this far down the first page (below the window).
FIRST_BODY_TOP: float = WINDOW_TOP + WINDOW_HEIGHT + 8 * mm

NHS_BLUE = colors.HexColor("#005EB8")
RULE_GREY = colors.HexColor("#AEB7BD")

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# --- Dates as a patient reads them ------------------------------------------------------------
def long_date(day: date) -> str:
    """'3 December 2026' (no leading zero, month in words: never ambiguous 03/12)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def day_and_date(day: date) -> str:
    """'Thursday 3 December 2026'."""
    return f"{_DAYS[day.weekday()]} {long_date(day)}"


def london_when(moment: datetime) -> str:
    """An aware datetime shown in UK time: 'Thursday 3 December 2026 at 17:30'.

    Raises:
        ValueError: ``moment`` is naive.
    """
    if moment.tzinfo is None:
        raise ValueError("london_when needs a timezone-aware datetime")
    local = moment.astimezone(LONDON)
    return f"{day_and_date(local.date())} at {local:%H:%M}"


# --- Fonts -------------------------------------------------------------------------------------
@functools.cache
def register_fonts() -> frozenset[str]:
    """Register DejaVu Sans (regular and bold) with ReportLab, once per process.

    Returns the characters both fonts can print, for :class:`UnprintableText` checks.
    """
    # Binary (deflated) streams instead of ASCII85 text: smaller PDFs, and ReportLab's pure-Python
    # ASCII85 encoder cost more time than laying out the letter. Every PDF reader accepts them.
    rl_config.useA85 = 0
    regular, bold = FONT_FILES
    registered = set(pdfmetrics.getRegisteredFontNames())
    # asciiReadable (ReportLab's default, asked for here so a setting cannot turn it off) gives
    # printable ASCII the same codes in every font subset: letters to different patients then
    # share subsets (fontcache.py) unless a name brings accented or non-Latin letters.
    if FONT not in registered:
        pdfmetrics.registerFont(TTFont(FONT, str(font_path(regular)), asciiReadable=True))
    if FONT_BOLD not in registered:
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(font_path(bold)), asciiReadable=True))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    covered: set[int] | None = None
    for name in (FONT, FONT_BOLD):
        codes = set(pdfmetrics.getFont(name).face.charToGlyph)
        covered = codes if covered is None else covered & codes
    return frozenset(chr(code) for code in covered or ())


@functools.lru_cache(maxsize=4)
def _logo_jpeg(path: str, mtime_ns: int) -> bytes:
    """The logo as JPEG bytes, flattened onto white (the paper) once per process.

    ReportLab embeds a JPEG as it is, but deflates a PNG's pixels again for every document,
    which was a third of the time of a letter. Quality 95 without chroma subsampling keeps the
    logo's edges clean at print size.
    """
    with Image.open(path) as source:
        rgba = source.convert("RGBA")
    paper = Image.new("RGB", rgba.size, "white")
    paper.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    paper.save(out, format="JPEG", quality=95, subsampling=0)
    return out.getvalue()


# Placeholders whose values are the same in many patients' letters: the service's details, its
# clinicians' and clinics', and the body region's name. Wording using only these is shared.
_SHARED_PLACEHOLDERS = frozenset(
    {
        "service_name",
        "service_phone",
        "service_phone_hours",
        "service_email",
        "service_website",
        "service_address",
        "clinician_name",
        "clinician_profession",
        "clinician_registration",
        "region",
        "region_label",
        "clinic",
        "clinic_name",
        "clinic_address",
        "clinic_address_lines",
        "clinic_postcode",
        "how_to_get_there",
        "step_free_access",
        "appointment_clinician",
        "appointment_type",
    }
)
# Paragraphs of shared wording kept (the shipped wording makes a few hundred per print size).
_FIXED_LIMIT = 2048


def _is_fixed(markup_text: str) -> bool:
    """Wording that is not about one patient: no placeholder but the shared ones above."""
    return markup.placeholders_in_text(markup_text) <= _SHARED_PLACEHOLDERS


@dataclass
class _Prepared:
    """One paragraph of fixed wording as ReportLab parsed it, and its line breaks by width."""

    text: str
    style: ParagraphStyle
    bullet_text: Any
    frags: Any
    wraps: dict[tuple[float, ParagraphStyle], tuple[float, Any, Any, float]]


_prepared: OrderedDict[tuple[str, ParagraphStyle, str | None], _Prepared] = OrderedDict()
_prepared_lock = threading.Lock()


def forget_shared_layout() -> None:
    """Drop the fixed wording's shared layout and the font subsets (tests: a fresh process)."""
    with _prepared_lock:
        _prepared.clear()
    fontcache.cache_clear()


def _prepare(text: str, style: ParagraphStyle, bullet_text: str | None) -> _Prepared | None:
    key = (text, style, bullet_text)
    with _prepared_lock:
        found = _prepared.get(key)
        if found is not None:
            _prepared.move_to_end(key)
        return found


class _Para(Paragraph):  # type: ignore[misc]  # ReportLab has no type hints
    """A paragraph that remembers its line breaks, and shares them when it is fixed wording.

    Platypus wraps a flowable several times at the same width (keep-with-next groups, table
    cells, page splits); breaking the lines again each time was a fifth of a letter's time. And
    most of a letter is wording every patient gets (the advice, the headings, the footer, the
    service's and clinic's details): with ``fixed=True`` its markup is parsed and broken into
    lines once per process and the result shared by every letter, read-only. A shared paragraph
    that has to split across pages takes a private copy first, since ReportLab's split may touch
    the words of the lines it splits. Wording with a patient's details is never shared (nor kept
    after the letter).
    """

    style: ParagraphStyle
    width: float
    _last_wrap: tuple[float, float, Any, Any, float] | None = None
    _shared: _Prepared | None = None
    _source: tuple[str, ParagraphStyle, Any]

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle,
        bulletText: Any = None,  # noqa: N803 - ReportLab's name
        frags: Any = None,
        *,
        fixed: bool = False,
    ) -> None:
        if not fixed or frags is not None or text is None:
            super().__init__(text, style, bulletText, frags)
            return
        shared = _prepare(text, style, bulletText)
        if shared is None:
            super().__init__(text, style, bulletText)
            shared = _Prepared(self.text, self.style, self.bulletText, self.frags, {})
            with _prepared_lock:
                _prepared[(text, style, bulletText)] = shared
                while len(_prepared) > _FIXED_LIMIT:
                    _prepared.popitem(last=False)
        else:
            self.caseSensitive = 1
            self.encoding = "utf8"
            self._setup(shared.text, shared.style, shared.bullet_text, shared.frags, None)
        self._shared = shared
        self._source = (text, style, bulletText)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        last = self._last_wrap
        if last is not None and last[0] == availWidth:
            _, self.width, self._wrapWidths, self.blPara, self.height = last
            return self.width, self.height
        shared = self._shared
        key = (availWidth, self.style)
        if shared is not None and key in shared.wraps:
            self.width, self._wrapWidths, self.blPara, self.height = shared.wraps[key]
        else:
            super().wrap(availWidth, availHeight)
            if shared is not None:
                shared.wraps[key] = (self.width, self._wrapWidths, self.blPara, self.height)
        self._last_wrap = (availWidth, self.width, self._wrapWidths, self.blPara, self.height)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if self._shared is not None:
            # Parse and break the lines afresh, as an unshared paragraph would have them.
            style, width = self.style, self.width
            text, source_style, bullet_text = self._source
            self._shared = None
            self._last_wrap = None
            super().__init__(text, source_style, bullet_text)
            self.style = style
            Paragraph.wrap(self, width, availHeight)
        parts: list[Flowable] = super().split(availWidth, availHeight)
        return parts


# --- Styles ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Look:
    """Sizes and styles for normal or large print."""

    large: bool
    body: ParagraphStyle
    bold: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_label: ParagraphStyle
    letterhead: ParagraphStyle
    letterhead_bold: ParagraphStyle
    header: ParagraphStyle
    footer: ParagraphStyle
    address_size: float  # the preferred size; shrinks to fit the window
    label_column: float
    gap: float
    page_number_size: float
    page_number_width: float


@functools.cache
def _look(large: bool) -> _Look:
    # Normal print: 11 pt DejaVu Sans (its x-height matches about 12 pt Arial, the NHS minimum
    # for patient letters). Large print: 16 pt body and over everywhere (Accessible Information
    # Standard; RNIB clear print), headings 20 pt, the letterhead trimmed to fit.
    size, lead = (16.0, 21.0) if large else (11.0, 15.0)
    small, small_lead = (16.0, 20.0) if large else (9.0, 11.5)
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=size,
        leading=lead,
        spaceAfter=lead * 0.5,
        alignment=TA_LEFT,
        textColor=colors.black,
    )
    bold = ParagraphStyle("bold", parent=body, fontName=FONT_BOLD)
    heading = ParagraphStyle(
        "heading",
        parent=body,
        fontName=FONT_BOLD,
        fontSize=20.0 if large else 14.0,
        leading=25.0 if large else 18.0,
        spaceBefore=lead * 0.6,
        spaceAfter=lead * 0.35,
        keepWithNext=1,
    )
    subheading = ParagraphStyle(
        "subheading",
        parent=heading,
        fontSize=18.0 if large else 12.0,
        leading=23.0 if large else 16.0,
        spaceBefore=lead * 0.5,
        spaceAfter=lead * 0.25,
    )
    bullet = ParagraphStyle(
        "bullet",
        parent=body,
        leftIndent=size * 1.4,
        bulletIndent=size * 0.3,
        bulletFontName=FONT,
        bulletFontSize=size,
        spaceAfter=lead * 0.25,
    )
    cell = ParagraphStyle("cell", parent=body, spaceAfter=0)
    cell_label = ParagraphStyle("cell_label", parent=cell, fontName=FONT_BOLD)
    letterhead = ParagraphStyle(
        "letterhead",
        parent=body,
        fontSize=small,
        leading=small_lead,
        spaceAfter=0,
        alignment=TA_RIGHT,
    )
    letterhead_bold = ParagraphStyle("letterhead_bold", parent=letterhead, fontName=FONT_BOLD)
    header = ParagraphStyle(
        "header", parent=body, fontName=FONT_BOLD, fontSize=small, leading=small_lead, spaceAfter=0
    )
    footer = ParagraphStyle(
        "footer",
        parent=body,
        fontSize=16.0 if large else 8.5,
        leading=20.0 if large else 10.5,
        spaceAfter=0,
    )
    return _Look(
        large=large,
        body=body,
        bold=bold,
        heading=heading,
        subheading=subheading,
        bullet=bullet,
        cell=cell,
        cell_label=cell_label,
        letterhead=letterhead,
        letterhead_bold=letterhead_bold,
        header=header,
        footer=footer,
        address_size=16.0 if large else 11.0,
        label_column=(60 if large else 42) * mm,
        gap=(12 if large else 9) * mm,
        page_number_size=16.0 if large else 8.5,
        page_number_width=(42 if large else 24) * mm,
    )


# --- Values for the {placeholders} ----------------------------------------------------------
def _address_one_line(lines: Sequence[str], postcode: str) -> str:
    return ", ".join([line.strip() for line in lines if line.strip()] + [postcode.strip()])


def _address_lines(lines: Sequence[str], postcode: str) -> str:
    return "\n".join([line.strip() for line in lines if line.strip()] + [postcode.strip()])


def _values(kind: LetterKind, ctx: LetterContext, labels: Labels) -> dict[str, str]:
    service, patient = ctx.service, ctx.patient
    values: dict[str, str] = dict.fromkeys(PLACEHOLDERS, "")
    address = patient.address
    values.update(
        service_name=service.name,
        service_phone=service.phone,
        service_phone_hours=service.phone_hours,
        service_email=service.email,
        service_website=service.website,
        service_address=_address_one_line(service.address_lines, service.postcode),
        patient_name=patient.full_name,
        patient_salutation=patient.salutation,
        patient_given_name=patient.given_name,
        patient_family_name=patient.family_name,
        nhs_number=format_nhs_number(patient.nhs_number),
        date_of_birth=long_date(patient.date_of_birth),
        patient_address=_address_one_line(address.lines, address.postcode) if address else "",
        patient_address_lines=_address_lines(address.lines, address.postcode) if address else "",
        letter_date=long_date(ctx.letter_date),
        referral_received=long_date(ctx.referral_received),
        reference=ctx.reference,
        gp_salutation=labels.text("defaults", "gp_salutation"),
        days_to_respond=str(UNABLE_TO_CONTACT_DAYS),
    )
    if ctx.gp is not None:
        values.update(
            gp_name=ctx.gp.gp_name,
            gp_practice=ctx.gp.name,
            gp_salutation=ctx.gp.gp_name.strip() or labels.text("defaults", "gp_salutation"),
        )
    if ctx.clinician is not None:
        values.update(
            clinician_name=ctx.clinician.display_name,
            clinician_profession=ctx.clinician.profession,
            clinician_registration=ctx.clinician.registration_number,
        )
    assessment = ctx.assessment
    if assessment is not None:
        destination = assessment.destination
        values.update(
            region=labels.text("regions", assessment.protocol_id, "patient"),
            region_label=labels.text("regions", assessment.protocol_id, "gp"),
            assessed_on=long_date(assessment.assessed_at.astimezone(LONDON).date()),
            scores=assessment.scores_text,
            recommended_disposition=labels.text(
                "dispositions", assessment.recommended_disposition, "gp"
            ),
            chosen_disposition=labels.text("dispositions", assessment.chosen_disposition, "gp"),
            destination=labels.text("destinations", destination, "gp") if destination else "",
            destination_patient=(
                labels.text("destinations", destination, "patient")
                if destination
                else labels.text("defaults", "destination_patient")
            ),
            pathway=labels.text("pathways", assessment.pathway) if assessment.pathway else "",
            plan=assessment.plan,
            patient_summary=assessment.patient_summary,
        )
        if assessment.chosen_disposition != assessment.recommended_disposition:
            reason = (assessment.downgrade_reason or "").strip()
            values["override_reason"] = reason or labels.text("override", "escalated")
        next_steps = labels.text("dispositions", assessment.chosen_disposition, "next_steps")
        values["next_steps"] = markup.fill_plain(next_steps, values)
    appointment = ctx.appointment
    if appointment is not None:
        local = appointment.start.astimezone(LONDON)
        values.update(
            appointment_date=day_and_date(local.date()),
            appointment_time=f"{local:%H:%M}",
            appointment_when=london_when(appointment.start),
            clinic="\n".join(
                [
                    appointment.clinic_name.strip(),
                    _address_lines(appointment.clinic_address_lines, appointment.clinic_postcode),
                ]
            ),
            clinic_name=appointment.clinic_name,
            clinic_address=_address_one_line(
                appointment.clinic_address_lines, appointment.clinic_postcode
            ),
            clinic_address_lines=_address_lines(
                appointment.clinic_address_lines, appointment.clinic_postcode
            ),
            clinic_postcode=appointment.clinic_postcode,
            how_to_get_there=appointment.how_to_get_there,
            step_free_access=labels.text(
                "step_free_access", "yes" if appointment.step_free_access else "no"
            ),
            appointment_clinician=appointment.clinician_name,
            appointment_type=appointment.appointment_type,
        )
    attempts = ctx.contact_attempts
    if attempts is not None:
        values.update(
            deadline=day_and_date(attempts.deadline),
            attempt_count=str(len(attempts.attempts)),
        )
    return values


def _recipient(kind: LetterKind, ctx: LetterContext) -> list[str]:
    """The lines in the envelope window: the patient, or for the GP letter the practice."""
    if kind is LetterKind.GP:
        gp = ctx.gp
        assert gp is not None  # noqa: S101 - check_sendable guarantees it
        head = [gp.gp_name] if gp.gp_name.strip() else []
        return [*head, gp.name, *_address_lines(gp.address_lines, gp.postcode).split("\n")]
    address = ctx.patient.address
    assert address is not None  # noqa: S101 - check_sendable guarantees it
    return [ctx.patient.full_name, *_address_lines(address.lines, address.postcode).split("\n")]


def _check_printable(fields: Mapping[str, str], printable: frozenset[str]) -> None:
    """Refuse text that would print wrongly rather than print it: a misprinted name is a hazard.

    Characters DejaVu Sans lacks would print as empty boxes; right-to-left scripts (Arabic,
    Hebrew) have glyphs but ReportLab lays them out left to right without joining letters.
    """
    everything = set(markup.clean("\n".join(fields.values()))) - {"\n"}
    if everything <= printable and not any(_right_to_left(c) for c in everything):
        return  # the usual case, checked at once; below, which field has what
    bad: dict[str, set[str]] = {}
    for name, value in fields.items():
        chars = set(markup.clean(value)) - {"\n"}
        missing = (chars - printable) | {c for c in chars if _right_to_left(c)}
        if missing:
            bad[name] = missing
    if bad:
        where = "; ".join(
            f"{name.replace('_', ' ')} ({', '.join(f'U+{ord(c):04X}' for c in sorted(chars))})"
            for name, chars in sorted(bad.items())
        )
        raise UnprintableText(
            f"Some details contain characters the letter font cannot print: {where}.",
            "Check those details for pasted symbols or emoji; a name in a script the letters "
            "cannot set (for example Chinese, Arabic or Hebrew) needs a handwritten letter.",
        )


@functools.lru_cache(maxsize=4096)
def _right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


# --- The story -------------------------------------------------------------------------------
class _Story:
    """Turns parsed markup into flowables for one letter."""

    def __init__(
        self,
        kind: LetterKind,
        ctx: LetterContext,
        values: Mapping[str, str],
        labels: Labels,
        look: _Look,
    ) -> None:
        self.kind, self.ctx, self.values, self.labels, self.look = kind, ctx, values, labels, look

    def para(self, text: str, style: ParagraphStyle, bullet: bool = False) -> Paragraph:
        return _Para(
            markup.fill(text, self.values),
            style,
            bulletText="•" if bullet else None,
            fixed=_is_fixed(text),
        )

    def blocks(self, blocks: Sequence[Block], width: float = CONTENT_WIDTH) -> list[Flowable]:
        out: list[Flowable] = []
        look, shown = self.look, self.values
        for block in blocks:
            items = [item for item in block.items if markup.is_shown(item.condition, shown)]
            if block.kind is BlockKind.CALLOUT:
                inner = self.blocks(block.children, width - 18)
                if inner:
                    out += self.callout(inner, width)
            elif not items:
                continue
            elif block.kind is BlockKind.HEADING:
                out.append(self.para(items[0].text, look.heading))
            elif block.kind is BlockKind.SUBHEADING:
                out.append(self.para(items[0].text, look.subheading))
            elif block.kind is BlockKind.PARAGRAPH:
                out.append(self.para(items[0].text, look.body))
            elif block.kind is BlockKind.BULLETS:
                out += [self.para(item.text, look.bullet, bullet=True) for item in items]
                out[-1].style = _last_bullet(look)
            elif block.kind is BlockKind.LINES:
                joined = "<br/>".join(markup.fill(item.text, shown) for item in items)
                fixed = all(_is_fixed(item.text) for item in items)
                out.append(_Para(joined, look.body, fixed=fixed))
            elif block.kind is BlockKind.TABLE:
                out.append(self.table([item.text for item in items], width))
            elif block.kind is BlockKind.INSERT:
                out += self.insert(items[0].text, width)
        return out

    def callout(self, inner: list[Flowable], width: float) -> list[Flowable]:
        """A box with a thick blue left rule, as two tables: the first row, then the rest.

        One row per flowable lets a long box split across pages; the first row on its own lets
        a heading above keep with the start of the box without dragging all of it to a new page.
        """
        last = len(inner) - 1
        parts: list[Flowable] = []
        for rows, first in ((inner[:1], True), (inner[1:], False)):
            if not rows:
                continue
            table = Table([[f] for f in rows], colWidths=[width], splitInRow=1, hAlign="LEFT")
            style: list[tuple[Any, ...]] = [
                ("LINEBEFORE", (0, 0), (0, -1), 4, NHS_BLUE),
                ("LINEAFTER", (0, 0), (-1, -1), 0.9, NHS_BLUE),
                ("LEFTPADDING", (0, 0), (-1, -1), 11),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
            if first:
                style.append(("LINEABOVE", (0, 0), (-1, 0), 0.9, NHS_BLUE))
            if not first or last == 0:
                style.append(("LINEBELOW", (0, -1), (-1, -1), 0.9, NHS_BLUE))
            # Table cells ignore a paragraph's own spacing: carry it over as cell padding.
            offset = 0 if first else 1
            for row, flowable in enumerate(rows):
                index = row + offset
                before = 7.0 if index == 0 else flowable.getSpaceBefore()
                after = 6.0 if index == last else flowable.getSpaceAfter()
                style.append(("TOPPADDING", (0, row), (0, row), before))
                style.append(("BOTTOMPADDING", (0, row), (0, row), after))
            table.setStyle(TableStyle(style))
            parts.append(table)
        parts[0].spaceBefore = self.look.body.leading * 0.2
        parts[-1].spaceAfter = self.look.body.leading * 0.6
        return parts

    def table(self, rows: Sequence[str], width: float) -> Table:
        look = self.look
        data = []
        for row in rows:
            label, _, value = row.partition(" | ")
            data.append([self.para(label, look.cell_label), self.para(value, look.cell)])
        table = Table(
            data,
            colWidths=[look.label_column, width - look.label_column],
            splitInRow=1,
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE_GREY),
                ]
            )
        )
        table.spaceAfter = look.body.leading * 0.7
        table.spaceBefore = look.body.leading * 0.2
        return table

    def insert(self, name: str, width: float) -> list[Flowable]:
        look, ctx, labels = self.look, self.ctx, self.labels
        assessment = ctx.assessment
        if name == "gap":
            return [Spacer(1, look.gap)]
        if name == "advice" and assessment is not None:
            return self.blocks(load_advice(assessment.protocol_id), width)
        if name == "safety_netting" and assessment is not None:
            inner = self.blocks(load_safety_netting(assessment.protocol_id), width - 18)
            return self.callout(inner, width)
        if name == "call_attempts" and ctx.contact_attempts is not None:
            moments = sorted(ctx.contact_attempts.attempts)
            items = [_Para(london_when(m), look.bullet, bulletText="•") for m in moments]
            items[-1].style = _last_bullet(look)
            return list(items)
        if name == "communication_needs":
            lines = communication_alerts(ctx.patient.needs)
            if not lines:
                return []
            heading_text = markup.escape(labels.text("communication_needs", "heading"))
            heading = _Para(heading_text, look.bold, fixed=True)
            bullets = [_Para(markup.escape(line), look.bullet, bulletText="•") for line in lines]
            return self.callout([heading, *bullets], width)
        if name == "red_flags_found" and assessment is not None:
            found = assessment.red_flags_found
            if not found:
                none_found = markup.escape(labels.text("red_flags", "none_found"))
                return [_Para(none_found, look.body, fixed=True)]
            title = markup.fill_plain(labels.text("red_flags", "found"), {"count": str(len(found))})
            out: list[Flowable] = [_Para(f"<b>{markup.escape(title)}</b>", look.body)]
            for flag in found:
                text = f"<b>{markup.escape(flag.label)}</b>: {markup.escape(flag.mandated_action)}"
                out.append(_Para(text, look.bullet, bulletText="•"))
            out[-1].style = _last_bullet(look)
            return out
        if name == "red_flags_screened" and assessment is not None:
            screened = assessment.red_flags_screened
            if not screened:
                text = markup.escape(labels.text("red_flags", "none_screened"))
                return [_Para(text, look.body, fixed=True)]
            title = markup.fill_plain(
                labels.text("red_flags", "screened"), {"count": str(len(screened))}
            )
            names = "; ".join(markup.escape(flag.label) for flag in screened)
            return [_Para(f"<b>{markup.escape(title)}</b> {names}.", look.body)]
        if name == "contact_block" and look.large:
            service = ctx.service
            contact = [
                f"<b>{markup.escape(service.name)}</b>",
                *(markup.escape(line) for line in service.address_lines if line.strip()),
                markup.escape(service.postcode),
                *self.contact_lines(),
            ]
            contact_heading = labels.text("contact_block", "heading")
            return [
                KeepTogether(
                    [
                        _Para(markup.escape(contact_heading), look.subheading, fixed=True),
                        _Para("<br/>".join(contact), look.body, fixed=True),
                    ]
                )
            ]
        return []

    def contact_lines(self) -> list[str]:
        service, labels = self.ctx.service, self.labels
        lines = [markup.fill_plain(labels.text("letterhead", "tel"), {"phone": service.phone})]
        if service.phone_hours.strip():
            hours = labels.text("letterhead", "hours")
            lines.append(markup.fill_plain(hours, {"hours": service.phone_hours}))
        if service.email.strip():
            email = labels.text("letterhead", "email")
            lines.append(markup.fill_plain(email, {"email": service.email}))
        if service.website.strip():
            web = labels.text("letterhead", "web")
            lines.append(markup.fill_plain(web, {"website": service.website}))
        return [markup.escape(line) for line in lines]


def _keeps_with_next(flowable: Flowable) -> bool:
    style: object = getattr(flowable, "style", None)
    return bool(getattr(style, "keepWithNext", False))


def _last_bullet(look: _Look) -> ParagraphStyle:
    """The last bullet of a list keeps a paragraph's space after it."""
    return _last_bullet_style(look.large)


@functools.cache
def _last_bullet_style(large: bool) -> ParagraphStyle:
    look = _look(large)
    return ParagraphStyle("bullet_last", parent=look.bullet, spaceAfter=look.body.spaceAfter)


# --- Page furniture ----------------------------------------------------------------------------
def _fit_address(lines: Sequence[str], preferred: float) -> float:
    """The largest size (from ``preferred`` down to 8 pt) at which the lines fit the window."""
    width = WINDOW_WIDTH - 2 * WINDOW_INSET
    height = WINDOW_HEIGHT - 2 * WINDOW_INSET
    size = preferred
    while size >= 8.0:
        widest = max(pdfmetrics.stringWidth(line, FONT, size) for line in lines)
        if widest <= width and len(lines) * size * 1.18 <= height:
            return size
        size -= 0.5
    raise LetterNotSendable(
        "The address is too long to show in the envelope window.",
        "Shorten the address lines (abbreviate, or drop a line the postcode makes redundant).",
    )


@dataclass
class _Furniture:
    """What is drawn on every page around the flowing text."""

    look: _Look
    nhs_line: str
    continuation: Paragraph
    footer: Paragraph
    footer_height: float
    letterhead: list[Flowable]
    recipient: list[str]
    address_size: float
    logo: ImageReader

    def footer_top(self) -> float:
        return MARGIN_BOTTOM + self.footer_height

    def draw_footer(self, canvas: Canvas) -> None:
        top = self.footer_top()
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_LEFT, top + 2 * mm, PAGE_WIDTH - MARGIN_RIGHT, top + 2 * mm)
        self.footer.drawOn(canvas, MARGIN_LEFT, MARGIN_BOTTOM)

    def draw_first(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        look = self.look
        # NHS number, top left on every page (the window starts 45 mm down, so it is hidden).
        canvas.setFillColor(colors.black)
        canvas.setFont(FONT_BOLD, look.header.fontSize)
        canvas.drawString(
            MARGIN_LEFT, PAGE_HEIGHT - MARGIN_TOP - look.header.fontSize, self.nhs_line
        )
        # Logo, top right.
        img_w, img_h = self.logo.getSize()
        logo_h = LOGO_WIDTH * img_h / img_w
        canvas.drawImage(
            self.logo,
            PAGE_WIDTH - MARGIN_RIGHT - LOGO_WIDTH,
            PAGE_HEIGHT - MARGIN_TOP - logo_h,
            width=LOGO_WIDTH,
            height=logo_h,
        )
        # Letterhead column, right-aligned under the logo.
        y = PAGE_HEIGHT - LETTERHEAD_TOP
        column = PAGE_WIDTH - MARGIN_RIGHT - LETTERHEAD_LEFT
        for flowable in self.letterhead:
            _, h = flowable.wrap(column, PAGE_HEIGHT)
            y -= h
            flowable.drawOn(canvas, LETTERHEAD_LEFT, y)
        # Recipient in the window.
        size = self.address_size
        canvas.setFont(FONT, size)
        baseline = PAGE_HEIGHT - WINDOW_TOP - WINDOW_INSET - size
        for line in self.recipient:
            canvas.drawString(WINDOW_LEFT + WINDOW_INSET, baseline, line)
            baseline -= size * 1.18
        self.draw_footer(canvas)
        canvas.restoreState()

    def draw_later(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        _, h = self.continuation.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
        top = PAGE_HEIGHT - MARGIN_TOP
        self.continuation.drawOn(canvas, MARGIN_LEFT, top - h)
        canvas.setStrokeColor(NHS_BLUE)
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN_LEFT, top - h - 2 * mm, PAGE_WIDTH - MARGIN_RIGHT, top - h - 2 * mm)
        self.draw_footer(canvas)
        canvas.restoreState()

    def letterhead_bottom(self) -> float:
        """Distance from the top of the page to the bottom of the letterhead column."""
        column = PAGE_WIDTH - MARGIN_RIGHT - LETTERHEAD_LEFT
        total = LETTERHEAD_TOP
        for flowable in self.letterhead:
            total += float(flowable.wrap(column, PAGE_HEIGHT)[1])
        return total

    def continuation_height(self) -> float:
        return float(self.continuation.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1]) + 2 * mm


def _numbered_canvas(label: str, size: float, x: float, y: float) -> Callable[..., Canvas]:
    """A canvas that writes 'Page n of m' on each page once it knows m (at save)."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                text = markup.fill_plain(
                    label, {"page": str(self._pageNumber), "pages": str(total)}
                )
                self.setFont(FONT, size)
                self.setFillColor(colors.black)
                self.drawRightString(x, y, text)
                super().showPage()
            embed_fonts(self._doc)
            super().save()

    return NumberedCanvas


def _date_lines(ctx: LetterContext, labels: Labels, values: Mapping[str, str]) -> str:
    """'Date: …' and, when there is one, 'Our reference: …', as paragraph markup."""
    dated = markup.fill_plain(labels.text("letterhead", "date"), {"date": values["letter_date"]})
    lines = [markup.escape(dated)]
    if ctx.reference.strip():
        reference = labels.text("letterhead", "reference")
        lines.append(markup.escape(markup.fill_plain(reference, {"reference": ctx.reference})))
    return "<br/>".join(lines)


def _keep_together(text: str) -> str:
    """Stop a line break inside 'NHS number: 999 000 0018' and the like (breaks at ' · ' only)."""
    return " · ".join(part.replace(" ", "\u00a0") for part in text.split(" · "))


def _furniture(
    kind: LetterKind, ctx: LetterContext, labels: Labels, look: _Look, values: Mapping[str, str]
) -> _Furniture:
    nhs = values["nhs_number"]
    nhs_line = markup.fill_plain(labels.text("letterhead", "nhs_number"), {"nhs_number": nhs})
    continuation_text = markup.fill_plain(
        labels.text("letterhead", "continuation"),
        {
            "name": values["patient_name"],
            "nhs_number": nhs,
            "date_of_birth": values["date_of_birth"],
        },
    )
    footer = _Para(markup.escape(labels.text("footer", "confidential")), look.footer, fixed=True)
    _, footer_height = footer.wrap(CONTENT_WIDTH - look.page_number_width, PAGE_HEIGHT)

    service = ctx.service
    contact = _Story(kind, ctx, values, labels, look).contact_lines()
    # The service's name, address and contact lines are the same in every letter it sends.
    head: list[Flowable] = [_Para(markup.escape(service.name), look.letterhead_bold, fixed=True)]
    if look.large:
        # 16 pt in a 74 mm column: keep the phone number here; the postal address, email and
        # website go to [[contact_block]] at the end, and the date to the top of the body.
        head.append(_Para(contact[0], look.letterhead, fixed=True))
    else:
        lines = [markup.escape(line) for line in service.address_lines if line.strip()]
        lines.append(markup.escape(service.postcode))
        head.append(_Para("<br/>".join(lines + contact), look.letterhead, fixed=True))
        head.append(Spacer(1, look.letterhead.leading))
        head.append(_Para(_date_lines(ctx, labels, values), look.letterhead))
    recipient = [markup.clean(line).strip() for line in _recipient(kind, ctx)]
    recipient = [line for line in recipient if line]
    return _Furniture(
        look=look,
        nhs_line=nhs_line,
        continuation=_Para(markup.escape(_keep_together(continuation_text)), look.header),
        footer=footer,
        footer_height=footer_height,
        letterhead=head,
        recipient=recipient,
        address_size=_fit_address(recipient, look.address_size),
        logo=_logo_reader(),
    )


_per_thread = threading.local()


class _JpegLogo(ImageReader):  # type: ignore[misc]  # ReportLab has no type hints
    """The logo, as JPEG bytes that go into each PDF as they are.

    ``Canvas.drawImage`` names an image in the PDF by an MD5 of its decoded pixels, worked out
    again at every call: for the 560 x 200 logo that was 0.7 ms a letter, the pixels used for
    nothing else (a JPEG is embedded from its own bytes). This reader gives ReportLab the JPEG's
    SHA-256 to name it by instead: the name still changes whenever the logo does.
    """

    def __init__(self, jpeg: bytes) -> None:
        super().__init__(io.BytesIO(jpeg))
        self._dataA = None  # no soft mask: the logo is flattened onto white
        self._name_data = hashlib.sha256(jpeg).digest()

    def getRGBData(self) -> bytes:  # noqa: N802 - ReportLab's name
        return self._name_data


def _logo_reader() -> ImageReader:
    """The logo's reader, one per thread (a reader's file position is not thread-safe)."""
    path = logo_path()
    jpeg = _logo_jpeg(str(path), path.stat().st_mtime_ns)
    cached: tuple[bytes, ImageReader] | None = getattr(_per_thread, "logo", None)
    if cached is None or cached[0] is not jpeg:
        cached = (jpeg, _JpegLogo(jpeg))
        _per_thread.logo = cached
    return cached[1]


# --- Public API --------------------------------------------------------------------------------
def communication_alerts(needs: CommunicationNeeds) -> tuple[str, ...]:
    """The patient's communication needs in words, to show prominently before printing.

    Empty when none are recorded. Worded in resources/letters/labels.yaml.
    """
    labels = load_labels()
    lines: list[str] = []
    if needs.interpreter_language and needs.interpreter_language.strip():
        text = labels.text("communication_needs", "interpreter")
        lines.append(markup.fill_plain(text, {"language": needs.interpreter_language}))
    if needs.easy_read:
        lines.append(labels.text("communication_needs", "easy_read"))
    if needs.large_print:
        lines.append(labels.text("communication_needs", "large_print"))
    if needs.braille:
        lines.append(labels.text("communication_needs", "braille"))
    if needs.carer and needs.carer.strip():
        text = labels.text("communication_needs", "carer")
        lines.append(markup.fill_plain(text, {"carer": needs.carer}))
    return tuple(lines)


def render_letter(
    kind: LetterKind, context: LetterContext, *, large_print: bool | None = None
) -> bytes:
    """Render one letter as A4 PDF bytes.

    ``large_print`` defaults to the patient's recorded need for patient letters, and to normal
    print for the GP letter (read by the GP). The same inputs give the same bytes.

    Raises:
        NoPostalAddress: a patient letter for a patient without a postal address.
        LetterNotSendable: a needed part is missing, a downgrade has no reason, or the address
            cannot fit the envelope window.
        UnprintableText: a detail has characters DejaVu Sans cannot print.
        LetterResourceMissing: a template, advice text or label is missing.
        InvalidNhsNumber: the NHS number is not 10 digits.
    """
    check_sendable(kind, context)
    printable = register_fonts()
    labels = load_labels()
    if large_print is None:
        large_print = context.patient.needs.large_print if kind.to_patient else False
    look = _look(large_print)
    values = _values(kind, context, labels)
    _check_printable(
        {
            **values,
            **{f"recipient line {i + 1}": v for i, v in enumerate(_recipient(kind, context))},
        },
        printable,
    )
    try:
        story = _Story(kind, context, values, labels, look)
        flowables: list[Flowable] = [NextPageTemplate("later")]
        if look.large:
            flowables.append(_Para(_date_lines(context, labels, values), look.body))
        blocks = load_template(kind)
        # The sign-off ("Yours sincerely", the gap, the name) stays with the paragraph before it.
        cut = len(blocks)
        while cut > 0 and (
            blocks[cut - 1].kind is BlockKind.LINES
            or (blocks[cut - 1].kind is BlockKind.INSERT and blocks[cut - 1].items[0].text == "gap")
        ):
            cut -= 1
        body = story.blocks(blocks[:cut])
        closing = story.blocks(blocks[cut:])
        if body and closing:
            closing.insert(0, body.pop())
            # ...and so does a heading above that paragraph.
            while body and _keeps_with_next(body[-1]):
                closing.insert(0, body.pop())
        flowables += body
        if closing:
            flowables.append(KeepTogether(closing))
    except KeyError as exc:  # a placeholder check_letter_resources would have reported
        raise LetterNotSendable(
            f"The {kind.value} letter template uses an unknown placeholder {{{exc.args[0]}}}.",
            "Run PhysioLine's start-up check and correct resources/letters/.",
        ) from exc
    furniture = _furniture(kind, context, labels, look, values)

    frame_bottom = furniture.footer_top() + 6 * mm
    first_top = max(FIRST_BODY_TOP, furniture.letterhead_bottom() + 6 * mm)
    later_top = MARGIN_TOP + furniture.continuation_height() + 6 * mm
    first = Frame(
        MARGIN_LEFT,
        frame_bottom,
        CONTENT_WIDTH,
        PAGE_HEIGHT - first_top - frame_bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="first",
    )
    later = Frame(
        MARGIN_LEFT,
        frame_bottom,
        CONTENT_WIDTH,
        PAGE_HEIGHT - later_top - frame_bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="later",
    )
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{context.service.name}: {kind.value.replace('_', ' ')} letter",
        author=context.service.name,
        creator="PhysioLine",
        invariant=1,
    )
    doc.addPageTemplates(
        [
            PageTemplate(id="first", frames=[first], onPage=furniture.draw_first),
            PageTemplate(id="later", frames=[later], onPage=furniture.draw_later),
        ]
    )
    page_label = labels.text("footer", "page")
    canvasmaker = _numbered_canvas(
        page_label,
        look.page_number_size,
        PAGE_WIDTH - MARGIN_RIGHT,
        furniture.footer_top() - look.footer.fontSize,
    )
    doc.build(flowables, canvasmaker=canvasmaker)
    return buffer.getvalue()


def pdf_sha256(data: bytes) -> str:
    """SHA-256 of a letter's PDF bytes, 64 lower-case hex digits (stored with the Letter row)."""
    return hashlib.sha256(data).hexdigest()
