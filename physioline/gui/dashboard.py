"""Team lead's dashboard: the service's targets at a glance, each figure opening its referrals.

Charts are Qt Charts, readable without colour: every series has its own fill pattern, every bar
its value printed on it, and targets are dashed lines with their value written beside them.
Clicking a tile or a bar lists the referrals behind that figure (met or not, with the times
that decided it). Figures load in the background; the window never runs SQL itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from physioline.clock import to_london
from physioline.core.due import london_date
from physioline.gui.ops import run_op
from physioline.services import kpi, report
from physioline.services.desk import Desk
from physioline.services.kpi import (
    SEEN_TARGET,
    FigureRef,
    Figures,
    Measure,
    Period,
    Ratio,
    ReferralBehind,
)

INK = QColor("#1b1b1b")
#: (colour, pattern) per series: the pattern alone tells them apart in grey or to colour-blind eyes.
STYLES: tuple[tuple[str, Qt.BrushStyle], ...] = (
    ("#1f4e79", Qt.BrushStyle.SolidPattern),
    ("#9dc3e6", Qt.BrushStyle.BDiagPattern),
    ("#c55a11", Qt.BrushStyle.Dense5Pattern),
    ("#548235", Qt.BrushStyle.CrossPattern),
    ("#7030a0", Qt.BrushStyle.FDiagPattern),
    ("#bf9000", Qt.BrushStyle.Dense3Pattern),
    ("#7f7f7f", Qt.BrushStyle.HorPattern),
)
#: Week-by-week charts show at most this many weeks (the tiles count the whole period).
CHART_WEEKS = 13
PERIODS = ((4, "Last 4 weeks"), (13, "Last 13 weeks"), (26, "Last 26 weeks"), (52, "Last 52 weeks"))


def _styled(name: str, index: int) -> QBarSet:
    bar = QBarSet(name)
    colour, pattern = STYLES[index % len(STYLES)]
    brush = QBrush(QColor(colour), pattern)
    bar.setBrush(brush)
    bar.setPen(QPen(INK, 1))
    bar.setLabelColor(INK)
    return bar


def _percent(ratio: Ratio) -> float:
    return 0.0 if ratio.share is None else float(round(100 * ratio.share))


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont()
    font.setBold(True)
    font.setPointSize(10)
    chart.setTitleFont(font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


class FigureChart(QChartView):
    """A chart whose bars open the referrals behind them."""

    #: A figure was clicked.
    clicked = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(_chart(title), parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(420, 250)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(title)
        #: For each bar set, what each bar means (tests and keyboard users click through these).
        self.refs: dict[str, list[FigureRef]] = {}

    def reset(self) -> QChart:
        """Clear the chart for new figures."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.refs = {}
        return chart

    def connect_set(self, bar: QBarSet, refs: list[FigureRef]) -> None:
        """Clicking bar ``i`` of this set opens ``refs[i]``."""
        self.refs[bar.label()] = refs
        bar.clicked.connect(lambda index, refs=refs: self.clicked.emit(refs[index]))


def _bars(
    view: FigureChart,
    categories: Sequence[str],
    sets: Sequence[tuple[str, Sequence[float], list[FigureRef]]],
    *,
    percent: bool,
    target: float | None = None,
    stacked: bool = False,
    horizontal: bool = False,
) -> None:
    chart = view.reset()
    series = (
        QStackedBarSeries() if stacked else QHorizontalBarSeries() if horizontal else QBarSeries()
    )
    top = 0.0
    for i, (name, values, refs) in enumerate(sets):
        bar = _styled(name, i)
        bar.append([float(v) for v in values])
        series.append(bar)
        view.connect_set(bar, refs)
        top = max(top, *values) if values else top
    if stacked:
        top = max((sum(v[j] for _n, v, _r in sets) for j in range(len(categories))), default=0)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value %" if percent else "@value")
    many = len(categories) * len(sets) > 12 and not stacked and not horizontal
    if many:  # upright labels inside narrow bars stay readable
        series.setLabelsAngle(-90)
    if stacked:
        small = QFont()
        small.setPointSize(7)
        for bar in series.barSets():
            bar.setLabelFont(small)
    series.setLabelsPosition(
        QBarSeries.LabelsPosition.LabelsCenter
        if stacked
        else QBarSeries.LabelsPosition.LabelsInsideEnd
    )
    chart.addSeries(series)
    axis_categories = QBarCategoryAxis()
    axis_categories.append(list(categories))
    if not horizontal and len(categories) > 8:  # thirteen week labels fit only in small type
        tiny = QFont()
        tiny.setPointSize(7)
        axis_categories.setLabelsFont(tiny)
    values_axis = QValueAxis()
    if percent:
        values_axis.setRange(0, 100)
        values_axis.setTickCount(5)
        values_axis.setLabelFormat("%d %%")
    else:
        values_axis.setRange(0, max(4, math.ceil(top * 1.15)))
        values_axis.applyNiceNumbers()
        values_axis.setLabelFormat("%d")
    if horizontal:
        chart.addAxis(axis_categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(axis_categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_categories)
    series.attachAxis(values_axis)
    if target is not None:
        line = QLineSeries()
        line.setName(f"Target {100 * target:.0f} % (dashed)")
        line.append(-0.5, 100 * target)
        line.append(len(categories) - 0.5, 100 * target)
        pen = QPen(INK, 2, Qt.PenStyle.DashLine)
        line.setPen(pen)
        chart.addSeries(line)
        hidden = QValueAxis()
        hidden.setRange(-0.5, len(categories) - 0.5)
        hidden.setVisible(False)
        chart.addAxis(hidden, Qt.AlignmentFlag.AlignTop)
        line.attachAxis(hidden)
        line.attachAxis(values_axis)


class Tile(QPushButton):
    """A headline figure: big number, what it is, and the count behind it; click to see them."""

    def __init__(self, title: str, ref: FigureRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.ref = ref
        self.setMinimumHeight(86)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setObjectName("dashboardTile")
        self.setStyleSheet(
            "QPushButton#dashboardTile { text-align: left; padding: 8px; border: 1px solid #555;"
            " border-radius: 4px; background: #ffffff; color: #1b1b1b; }"
            " QPushButton#dashboardTile:focus { border: 3px solid #1f4e79; }"
        )
        self.show_ratio(None, "")

    def show_ratio(self, ratio: Ratio | None, note: str) -> None:
        """Show a share, or 'loading'."""
        if ratio is None:
            big, small = "…", "loading"
        elif ratio.share is None:
            big, small = "n/a", "none counted yet"
        else:
            big, small = f"{100 * ratio.share:.1f} %", f"{ratio.met} of {ratio.of}"
        self.setText(f"{self.title}\n{big}   {small}\n{note}".rstrip())
        font = self.font()
        font.setPointSize(11)
        self.setFont(font)
        self.setAccessibleName(f"{self.title}: {big}, {small}. {note}")


class ReferralsBehindDialog(QDialog):
    """The referrals counted in one figure, each marked met or not."""

    COLUMNS = (
        "Met?",
        "Referral",
        "Patient",
        "NHS number",
        "Received",
        "Call due",
        "First call",
        "First answered",
        "Disposition",
        "Destination",
        "First appointment",
        "Status",
        "Assigned to",
    )

    def __init__(self, title: str, rows: list[ReferralBehind], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(1200, 600)
        layout = QVBoxLayout(self)
        met = sum(1 for r in rows if r.met)
        counted = [r for r in rows if r.met is not None]
        summary = f"{len(rows)} referral(s)"
        if counted:
            summary += f": {met} met, {len(counted) - met} not met"
        self.summary = QLabel(f"<b>{title}</b> — {summary}")
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(rows), len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(False)
        self.table.setAccessibleName("Referrals behind the figure")
        for i, r in enumerate(rows):
            values = (
                "" if r.met is None else ("yes" if r.met else "NO"),
                str(r.referral_id),
                r.patient,
                f"{r.nhs_number[:3]} {r.nhs_number[3:6]} {r.nhs_number[6:]}",
                _when(r.received_at),
                _when(r.due_at),
                _when(r.first_call_at),
                _when(r.first_answered_at),
                (r.disposition or "–").replace("_", " "),
                (r.destination or "–").replace("_", " "),
                _when(r.first_appointment_at),
                r.status.value.replace("_", " "),
                r.assigned_to or "Unassigned",
            )
            for j, value in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _when(at: object) -> str:
    from datetime import datetime

    return f"{to_london(at):%a %d %b %Y %H:%M}" if isinstance(at, datetime) else "–"


class DashboardWindow(QWidget):
    """The dashboard: tiles for the headline figures and six charts, each clickable."""

    #: Figures for the chosen period are on screen.
    loaded = Signal()
    #: A figure's referral list is open (the dialog).
    drilled = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.desk = desk
        self.figures: Figures | None = None
        self.setWindowTitle("PhysioLine — dashboard")
        self.resize(1560, 960)
        self.setStyleSheet("DashboardWindow { background: #f4f4f4; }")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel("<b>Service targets</b>")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        top.addWidget(self.heading, 1)
        period_label = QLabel("&Period:")
        self.period_combo = QComboBox(self)
        for weeks, label in PERIODS:
            self.period_combo.addItem(label, weeks)
        self.period_combo.setCurrentIndex(2)
        period_label.setBuddy(self.period_combo)
        self.period_combo.currentIndexChanged.connect(self.reload)
        top.addWidget(period_label)
        top.addWidget(self.period_combo)
        self.csv_button = QPushButton("Export &CSV…", self)
        self.pdf_button = QPushButton("Export P&DF…", self)
        self.csv_button.clicked.connect(lambda: self.export_dialog("csv"))
        self.pdf_button.clicked.connect(lambda: self.export_dialog("pdf"))
        top.addWidget(self.csv_button)
        top.addWidget(self.pdf_button)
        layout.addLayout(top)

        tiles = QHBoxLayout()
        self.tiles = {
            "contact": Tile("48-hour contact, this week", FigureRef(Measure.CONTACT_48H)),
            "conversation": Tile(
                "48-hour conversation, this week", FigureRef(Measure.CONVERSATION_48H)
            ),
            "seen": Tile("Seen within 3 weeks (target 85 %)", FigureRef(Measure.SEEN_3_WEEKS)),
            "treated": Tile(
                "Referral to treatment ≤ 18 weeks", FigureRef(Measure.TREATED_18_WEEKS)
            ),
            "unable": Tile("Unable to contact", FigureRef(Measure.UNABLE_TO_CONTACT)),
        }
        for tile in self.tiles.values():
            tile.clicked.connect(lambda _c=False, t=tile: self.open_figure(t.ref, t.title))
            tiles.addWidget(tile)
        layout.addLayout(tiles)

        grid = QGridLayout()
        self.today_chart = FigureChart("Calls today by clinician (due later today, done, overdue)")
        self.contact_chart = FigureChart("48-hour contact and conversation by week of receipt")
        self.seen_chart = FigureChart("Seen within 3 weeks by week of receipt (target 85 %)")
        self.disposition_chart = FigureChart("Dispositions by week of receipt")
        self.destination_chart = FigureChart("Urgent and onward referrals by destination")
        places = (
            (self.today_chart, 0, 0, 1),
            (self.contact_chart, 0, 1, 1),
            (self.seen_chart, 0, 2, 1),
            (self.disposition_chart, 1, 0, 2),
            (self.destination_chart, 1, 2, 1),
        )
        for chart, row, column, span in places:
            chart.clicked.connect(lambda ref, c=chart: self.open_figure(ref, c.chart().title()))
            grid.addWidget(chart, row, column, 1, span)
        layout.addLayout(grid, 1)
        self.note = QLabel(
            "Click any tile or bar to see the referrals behind it. A referral counts in the week "
            "it was received (Monday to Sunday, London time); cancelled referrals are left out, "
            "unable-to-contact ones stay in. Definitions are printed in the PDF report."
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.reload()

    # --- loading -------------------------------------------------------------------------------

    def period(self) -> Period:
        """The chosen period: whole weeks ending with this week."""
        weeks = int(self.period_combo.currentData())
        return Period.weeks_to(london_date(self.desk.clock.now()), weeks)

    def reload(self) -> None:
        """Load the figures for the chosen period in the background."""
        period = self.period()
        self.heading.setText(f"<b>Service targets</b> · referrals received {period.label()}")
        run_op(lambda: kpi.load_figures(self.desk, period), on_done=self.show_figures, parent=self)

    def show_figures(self, figures: Figures) -> None:
        """Draw every tile and chart."""
        self.figures = figures
        this_week, row = figures.weeks[-1]
        when = "this week"
        if row.contact_48h.of == 0 and len(figures.weeks) > 1:  # Monday: nothing due yet
            this_week, row = figures.weeks[-2]
            when = f"week of {this_week:%-d %b}"
        self.tiles["contact"].title = f"48-hour contact, {when}"
        self.tiles["contact"].ref = FigureRef(Measure.CONTACT_48H, week=this_week)
        self.tiles["contact"].show_ratio(row.contact_48h, "referrals whose due time has passed")
        self.tiles["conversation"].title = f"48-hour conversation, {when}"
        self.tiles["conversation"].ref = FigureRef(Measure.CONVERSATION_48H, week=this_week)
        self.tiles["conversation"].show_ratio(row.conversation_48h, "first answered call")
        seen = figures.total.seen_3_weeks
        verdict = (
            ""
            if seen.share is None
            else ("✔ target met" if seen.share >= SEEN_TARGET else "✖ below target")
        )
        self.tiles["seen"].show_ratio(seen, f"{verdict} · whole period".strip(" ·"))
        self.tiles["treated"].show_ratio(figures.total.treated_18_weeks, "whole period")
        self.tiles["unable"].show_ratio(figures.total.unable_to_contact, "whole period")
        weeks = figures.weeks[-CHART_WEEKS:]
        labels = [f"{monday:%-d/%-m}" for monday, _ in weeks]  # narrow charts: "16/11"

        def by_week(measure: Measure) -> list[FigureRef]:
            return [FigureRef(measure, week=monday) for monday, _ in weeks]

        today = figures.today
        _bars(
            self.today_chart,
            [c.name.split()[0] for c in today],
            [
                (
                    "Due later today",
                    [c.due for c in today],
                    [FigureRef(Measure.DUE_TODAY, clinician_id=c.clinician_id) for c in today],
                ),
                (
                    "Done today",
                    [c.done for c in today],
                    [FigureRef(Measure.DONE_TODAY, clinician_id=c.clinician_id) for c in today],
                ),
                (
                    "Overdue",
                    [c.overdue for c in today],
                    [FigureRef(Measure.OVERDUE, clinician_id=c.clinician_id) for c in today],
                ),
            ],
            percent=False,
        )
        _bars(
            self.contact_chart,
            labels,
            [
                (
                    "48-hour contact",
                    [_percent(r.contact_48h) for _, r in weeks],
                    by_week(Measure.CONTACT_48H),
                ),
                (
                    "48-hour conversation",
                    [_percent(r.conversation_48h) for _, r in weeks],
                    by_week(Measure.CONVERSATION_48H),
                ),
            ],
            percent=True,
        )
        _bars(
            self.seen_chart,
            labels,
            [
                (
                    "Seen within 3 weeks",
                    [_percent(r.seen_3_weeks) for _, r in weeks],
                    by_week(Measure.SEEN_3_WEEKS),
                ),
            ],
            percent=True,
            target=SEEN_TARGET,
        )
        keys = [k for k in (*kpi.DISPOSITIONS, "not_triaged") if figures.dispositions.get(k)]
        by = dict(figures.dispositions_by_week)
        _bars(
            self.disposition_chart,
            [f"{monday:%-d %b}" for monday, _ in weeks],
            [
                (
                    report.DISPOSITION_LABELS.get(k, k),
                    [by[m].get(k, 0) for m, _ in weeks],
                    [FigureRef(Measure.DISPOSITION, week=m, key=k) for m, _ in weeks],
                )
                for k in keys
            ],
            percent=False,
            stacked=True,
        )
        destinations = [d for d in (*kpi.DESTINATIONS, "none") if figures.destinations.get(d)]
        _bars(
            self.destination_chart,
            [report.DESTINATION_LABELS.get(d, d) for d in destinations],
            [
                (
                    "Referrals",
                    [figures.destinations[d] for d in destinations],
                    [FigureRef(Measure.DESTINATION, key=d) for d in destinations],
                )
            ],
            percent=False,
            horizontal=True,
        )
        self.destination_chart.chart().legend().setVisible(False)
        self.loaded.emit()

    # --- click-through -------------------------------------------------------------------------

    def open_figure(self, ref: FigureRef, title: str) -> None:
        """List the referrals behind a figure (loaded in the background)."""
        period = self.period()
        what = kpi.MEASURE_LABELS[ref.measure]
        if ref.key:
            what += f": {ref.key.replace('_', ' ')}"
        if ref.week:
            what += f", week of {ref.week:%-d %b %Y}"
        elif ref.clinician_id is None and ref.measure not in (
            Measure.DUE_TODAY,
            Measure.OVERDUE,
            Measure.DONE_TODAY,
        ):
            what += f", {period.label()}"

        def show(rows: list[ReferralBehind]) -> None:
            dialog = ReferralsBehindDialog(what, rows, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.drilled.emit(dialog)
            dialog.open()

        run_op(lambda: kpi.load_referrals_behind(self.desk, period, ref), on_done=show, parent=self)

    # --- export --------------------------------------------------------------------------------

    def export_dialog(self, fmt: str) -> None:
        """Ask where to save the period's report, then save it."""
        period = self.period()
        name = f"physioline-report-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(
            self, f"Save the report as {fmt.upper()}", name, f"{fmt.upper()} files (*.{fmt})"
        )
        if path:
            self.export(fmt, Path(path), period)

    def export(
        self, fmt: str, path: Path, period: Period, on_done: Callable[[Path], None] | None = None
    ) -> None:
        """Write the period's report to ``path`` in the background."""
        desk = self.desk

        def work() -> Path:
            figures = report.load_report(desk, period)
            path.write_bytes(report.render(figures, fmt, generated_at=desk.clock.now()))
            return path

        def done(saved: Path) -> None:
            window = self.window()
            status = getattr(self.parent(), "statusBar", None) if window is self else None
            if callable(status):
                status().showMessage(f"Report saved to {saved}", 8000)
            if on_done:
                on_done(saved)

        run_op(
            work,
            on_done=done,
            parent=self,
            disable=self.pdf_button if fmt == "pdf" else self.csv_button,
        )


class ReportDialog(QDialog):
    """Export a chosen period's report (dates), as CSV or PDF."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("Period report")
        form = QFormLayout(self)
        today = london_date(desk.clock.now())
        first_of_month = today.replace(day=1)
        last_month_end = first_of_month - timedelta(days=1)
        first_day = last_month_end.replace(day=1)
        self.first = QDateEdit(QDate(first_day.year, first_day.month, first_day.day), self)
        self.last = QDateEdit(
            QDate(last_month_end.year, last_month_end.month, last_month_end.day), self
        )
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        form.addRow("&From (received):", self.first)
        form.addRow("&To (inclusive):", self.last)
        buttons = QDialogButtonBox(self)
        self.csv_button = buttons.addButton("Save &CSV…", QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button = buttons.addButton("Save P&DF…", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.csv_button.clicked.connect(lambda: self.save("csv"))
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        form.addRow(buttons)

    def chosen(self) -> Period:
        """The period typed in (refused by the service if it ends before it starts)."""
        a, b = self.first.date(), self.last.date()
        return Period(date(a.year(), a.month(), a.day()), date(b.year(), b.month(), b.day()))

    def save(self, fmt: str) -> None:
        """Ask for a file and write the report there."""
        from physioline.errors import PhysioLineError
        from physioline.gui.errors import show_error

        try:
            period = self.chosen()
        except PhysioLineError as exc:
            show_error(self, exc)
            return
        name = f"physioline-report-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(
            self, f"Save the report as {fmt.upper()}", name, f"{fmt.upper()} files (*.{fmt})"
        )
        if not path:
            return
        desk, target = self.desk, Path(path)

        def work() -> Path:
            figures = report.load_report(desk, period)
            target.write_bytes(report.render(figures, fmt, generated_at=desk.clock.now()))
            return target

        run_op(
            work,
            on_done=lambda p: self.setWindowTitle(f"Period report — saved {p.name}"),
            parent=self,
            write=False,
        )
