"""Period reports for the commissioner: the service's targets for a period as CSV, JSON or PDF.

The figures are those of ``services.kpi`` (the same SQL as the dashboard), with the definitions
printed beside them, so a reader of the report knows exactly what was counted.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from typing import Any

from physioline.clock import to_london
from physioline.services import kpi
from physioline.services.desk import Desk
from physioline.services.kpi import DEFINITIONS, SEEN_TARGET, Figures, Period, Ratio, Row

FORMATS = ("csv", "pdf", "json")
_MEASURES: tuple[tuple[str, str], ...] = (
    ("contact_48h", "48-hour contact"),
    ("conversation_48h", "48-hour conversation"),
    ("seen_3_weeks", "Seen within 3 weeks"),
    ("treated_18_weeks", "Referral to treatment within 18 weeks"),
    ("unable_to_contact", "Unable to contact"),
)
DISPOSITION_LABELS = {
    "emergency": "Emergency (today)",
    "urgent_referral": "Urgent onward referral",
    "urgent_f2f": "Urgent face to face",
    "onward_referral": "Routine onward referral",
    "routine_f2f": "Routine face to face",
    "self_management": "Self-management",
    "not_triaged": "Not triaged yet",
}
DESTINATION_LABELS = {
    "emergency_department": "Emergency department",
    "vascular_same_day": "Same-day vascular / DVT",
    "urgent_treatment_centre": "Urgent treatment centre",
    "spinal_surgery_urgent": "Urgent spinal surgery",
    "suspected_cancer_pathway": "Suspected cancer pathway",
    "orthopaedics_urgent": "Urgent orthopaedics",
    "rheumatology": "Rheumatology",
    "gp_urgent": "GP (urgent)",
    "orthopaedics": "Orthopaedics",
    "none": "No destination recorded",
}


def load_report(desk: Desk, period: Period) -> Figures:
    """The period's figures for the signed-in team lead.

    Raises:
        NotPermitted: only team leads see the dashboard and period reports.
    """
    return kpi.load_figures(desk, period)


def _ratio(r: Ratio) -> dict[str, Any]:
    return {
        "met": r.met,
        "of": r.of,
        "percent": None if r.share is None else round(100 * r.share, 1),
    }


def _row_dict(row: Row) -> dict[str, Any]:
    return {"received": row.received} | {key: _ratio(getattr(row, key)) for key, _ in _MEASURES}


def to_json(figures: Figures) -> str:
    """The figures as JSON: totals, weeks, dispositions, destinations, definitions."""
    data = {
        "period": {
            "from": figures.period.first_day.isoformat(),
            "to": figures.period.last_day.isoformat(),
        },
        "as_of": figures.as_of.isoformat(),
        "target_seen_within_3_weeks_percent": round(100 * SEEN_TARGET),
        "total": _row_dict(figures.total),
        "weeks": [
            {"week_starting": monday.isoformat()} | _row_dict(row) for monday, row in figures.weeks
        ],
        "dispositions": figures.dispositions,
        "dispositions_by_week": [
            {"week_starting": monday.isoformat(), "counts": counts}
            for monday, counts in figures.dispositions_by_week
        ],
        "destinations": figures.destinations,
        "definitions": dict(DEFINITIONS),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_csv(figures: Figures) -> str:
    """The figures as CSV: one row per measure and week (``week_starting`` empty for the total)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["period_from", "period_to", "week_starting", "measure", "met", "of", "percent"]
    )
    first, last = figures.period.first_day.isoformat(), figures.period.last_day.isoformat()

    def rows(week: str, row: Row) -> None:
        writer.writerow([first, last, week, "received", row.received, "", ""])
        for key, _label in _MEASURES:
            ratio: Ratio = getattr(row, key)
            percent = "" if ratio.share is None else f"{100 * ratio.share:.1f}"
            writer.writerow([first, last, week, key, ratio.met, ratio.of, percent])

    rows("", figures.total)
    for monday, row in figures.weeks:
        rows(monday.isoformat(), row)
    for key, n in sorted(figures.dispositions.items()):
        writer.writerow([first, last, "", f"disposition:{key}", n, "", ""])
    for key, n in sorted(figures.destinations.items()):
        writer.writerow([first, last, "", f"destination:{key}", n, "", ""])
    return out.getvalue()


def render(figures: Figures, fmt: str, *, generated_at: datetime) -> bytes:
    """The report in ``fmt`` (csv, pdf or json) as bytes.

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "csv":
        return to_csv(figures).encode("utf-8")
    if fmt == "json":
        return to_json(figures).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(figures, generated_at=generated_at)
    raise ValueError(f"unknown report format {fmt!r}")


# --- PDF ------------------------------------------------------------------------------------------

_FONT, _BOLD = "PhysioLineReport", "PhysioLineReport-Bold"


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from physioline.paths import resource

    registered = set(pdfmetrics.getRegisteredFontNames())
    if _FONT not in registered:
        pdfmetrics.registerFont(TTFont(_FONT, str(resource("fonts", "DejaVuSans.ttf"))))
    if _BOLD not in registered:
        pdfmetrics.registerFont(TTFont(_BOLD, str(resource("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(_FONT, normal=_FONT, bold=_BOLD, italic=_FONT, boldItalic=_BOLD)


def _week_chart(figures: Figures, width: float) -> Any:
    """48-hour contact and conversation by week: bars with their values (readable in grey)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    weeks = figures.weeks[-13:]
    height = 190
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 36, 38, width - 50, height - 70
    contact = [None if r.contact_48h.share is None else 100 * r.contact_48h.share for _, r in weeks]
    talk = [
        None if r.conversation_48h.share is None else 100 * r.conversation_48h.share
        for _, r in weeks
    ]
    chart.data = [contact, talk]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = _FONT
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.categoryNames = [f"{m:%-d %b}" for m, _ in weeks]
    chart.categoryAxis.labels.fontName = _FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#1f4e79")
    chart.bars[1].fillColor = colors.HexColor("#c7d7ea")
    chart.bars[1].strokeColor = colors.HexColor("#1f4e79")
    chart.barLabelFormat = lambda value: "n/a" if value is None else f"{value:.0f}"
    chart.barLabels.fontName = _FONT
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 6
    chart.groupSpacing = 6
    drawing.add(chart)
    drawing.add(
        String(
            36,
            height - 14,
            "48-hour contact (dark) and conversation (light), % by week of receipt, last 13 weeks",
            fontName=_BOLD,
            fontSize=9,
        )
    )
    return drawing


def to_pdf(figures: Figures, *, generated_at: datetime) -> bytes:
    """A report for the commissioner: headline figures, weeks, dispositions, definitions."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_fonts()
    body = ParagraphStyle("body", fontName=_FONT, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=body, fontName=_BOLD, fontSize=16, leading=20)
    h2 = ParagraphStyle(
        "h2", parent=body, fontName=_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
    )
    grid = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), _FONT, 8),
            ("FONT", (0, 0), (-1, 0), _BOLD, 8),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"PhysioLine service report {figures.period.label()}",
        author="PhysioLine",
    )
    t = figures.total
    story: list[Any] = [
        Paragraph("MSK physiotherapy telephone triage: service report", h1),
        Paragraph(
            f"Referrals received <b>{figures.period.label()}</b> · figures as of "
            f"{to_london(figures.as_of):%-d %b %Y %H:%M} · generated "
            f"{to_london(generated_at):%-d %b %Y %H:%M} (Europe/London)",
            body,
        ),
        Spacer(1, 6),
    ]

    def status(ratio: Ratio, target: float | None) -> str:
        if target is None or ratio.share is None:
            return ""
        return "target met" if ratio.share >= target else "BELOW target"

    headline = [["Measure", "Met", "Of", "Share", "Target", "Status"]]
    for key, label in _MEASURES:
        ratio: Ratio = getattr(t, key)
        target = SEEN_TARGET if key == "seen_3_weeks" else None
        share = "n/a" if ratio.share is None else f"{100 * ratio.share:.1f} %"
        headline.append(
            [
                label,
                str(ratio.met),
                str(ratio.of),
                share,
                "85 %" if target else "",
                status(ratio, target),
            ]
        )
    headline.append(["Referrals received (cancelled left out)", str(t.received), "", "", "", ""])
    table = Table(headline, colWidths=[70 * mm, 16 * mm, 16 * mm, 20 * mm, 16 * mm, 30 * mm])
    table.setStyle(grid)
    story += [Paragraph("Headline figures", h2), table]
    story += [Spacer(1, 8), _week_chart(figures, doc.width)]

    weekly = [
        [
            "Week starting",
            "Received",
            "48 h contact",
            "48 h conversation",
            "Seen ≤ 3 weeks",
            "Unable to contact",
        ]
    ]
    for monday, row in figures.weeks:
        weekly.append(
            [
                _week_label(monday, figures.period),
                str(row.received),
                _short(row.contact_48h),
                _short(row.conversation_48h),
                _short(row.seen_3_weeks),
                _short(row.unable_to_contact),
            ]
        )
    table = Table(
        weekly, repeatRows=1, colWidths=[32 * mm, 18 * mm, 30 * mm, 32 * mm, 30 * mm, 30 * mm]
    )
    table.setStyle(grid)
    story += [Paragraph("By week of receipt (Monday to Sunday)", h2), table]

    disp = [["Disposition", "Referrals"]] + [
        [DISPOSITION_LABELS.get(k, k), str(figures.dispositions.get(k, 0))]
        for k in (*kpi.DISPOSITIONS, "not_triaged")
    ]
    dest = [["Destination (urgent and onward)", "Referrals"]] + [
        [DESTINATION_LABELS.get(k, k), str(n)]
        for k, n in sorted(figures.destinations.items(), key=lambda kv: _dest_order(kv[0]))
    ]
    if len(dest) == 1:
        dest.append(["None in this period", "0"])
    left, right = (
        Table(disp, colWidths=[52 * mm, 20 * mm]),
        Table(dest, colWidths=[58 * mm, 20 * mm]),
    )
    left.setStyle(grid)
    right.setStyle(grid)
    pair = Table([[left, right]], colWidths=[doc.width / 2, doc.width / 2])
    pair.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [KeepTogether([Paragraph("Dispositions and destinations", h2), pair])]

    story.append(Paragraph("What the figures mean", h2))
    for name, text in DEFINITIONS:
        story.append(Paragraph(f"<b>{name}.</b> {text}", small))
        story.append(Spacer(1, 3))

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 7)
        canvas.drawString(18 * mm, 9 * mm, f"PhysioLine service report · {figures.period.label()}")
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"Page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _week_label(monday: date, period: Period) -> str:
    """'Mon 2 Nov 2026', or the part of the week inside the period ('Sun 1 Nov only')."""
    first = max(monday, period.first_day)
    last = min(monday + timedelta(days=6), period.last_day)
    if (first, last) == (monday, monday + timedelta(days=6)):
        return f"{monday:%a %-d %b %Y}"
    if first == last:
        return f"{first:%a %-d %b} only"
    return f"{first:%a %-d} – {last:%a %-d %b}"


def _short(ratio: Ratio) -> str:
    if ratio.share is None:
        return "–"
    return f"{100 * ratio.share:.0f} % ({ratio.met}/{ratio.of})"


def _dest_order(key: str) -> int:
    return kpi.DESTINATIONS.index(key) if key in kpi.DESTINATIONS else len(kpi.DESTINATIONS)
