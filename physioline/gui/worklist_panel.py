"""The worklist screen: who to call next, and what to know before dialling."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QHeaderView, QWidget

from physioline.clock import to_london
from physioline.core.due import describe_time_left
from physioline.core.nhs_number import format_nhs_number
from physioline.core.referral import OPEN_STATUSES, GpUrgency, ReferralStatus
from physioline.gui.first_paint import when_painted
from physioline.gui.forms.ui_worklist_panel import Ui_WorklistPanel
from physioline.gui.models.worklist import REGION_LABELS, STATUS_LABELS, WorklistModel
from physioline.gui.ops import run_op
from physioline.services import queries
from physioline.services.desk import CLINICAL_VIEWERS, Desk
from physioline.services.queries import (
    ReferralDetail,
    Scope,
    WorklistCounts,
    WorklistFilter,
    WorklistRow,
)

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 200


class WorklistPanel(QWidget):
    """Worklist table, filters, search and the before-the-call detail pane."""

    #: The selected referral changed (its id, or None).
    selection_changed = Signal(object)
    #: The signed-in clinician claimed this referral for a call.
    claimed = Signal(int)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.ui = Ui_WorklistPanel()
        self.ui.setupUi(self)
        self.detail: ReferralDetail | None = None

        self.model = WorklistModel(
            queries_loader(desk), lambda work, done: run_op(work, on_done=done, parent=self),
            desk.clock,
        )  # fmt: skip
        view = self.ui.tableView
        view.setModel(self.model)
        view.verticalHeader().setVisible(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((200, 200, 42, 108, 90, 70, 48, 120, 150)):
            view.setColumnWidth(column, width)
        view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.loaded.connect(self._after_load)
        self.model.modelReset.connect(lambda: self._show_detail(None))

        for label, scope in (("My worklist", Scope.MINE), ("Unassigned", Scope.UNASSIGNED),
                             ("Whole team", Scope.TEAM)):  # fmt: skip
            self.ui.scopeCombo.addItem(label, scope)
        self.ui.regionCombo.addItem("All regions", None)
        for region, label in REGION_LABELS.items():
            self.ui.regionCombo.addItem(label, region)
        self.ui.statusCombo.addItem("Open (awaiting or in call)", OPEN_STATUSES)
        for status in ReferralStatus:
            self.ui.statusCombo.addItem(STATUS_LABELS[status], (status,))
        self.ui.scopeCombo.currentIndexChanged.connect(self.reload)
        self.ui.regionCombo.currentIndexChanged.connect(self.reload)
        self.ui.statusCombo.currentIndexChanged.connect(self.reload)
        self.ui.overdueCheck.toggled.connect(self.reload)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.ui.searchEdit.textChanged.connect(lambda _t: self._search_timer.start())
        self.ui.searchEdit.installEventFilter(self)

        self.ui.copyPhoneButton.clicked.connect(self.copy_preferred_phone)
        self.ui.claimButton.clicked.connect(self.claim_selected)
        self.ui.claimButton.setEnabled(False)
        self.ui.tableView.doubleClicked.connect(lambda _index: self.claim_selected())
        self.ui.needsLabel.setVisible(False)
        self.ui.splitter.setStretchFactor(0, 3)
        self.ui.splitter.setStretchFactor(1, 2)
        self.ui.splitter.setSizes([1080, 520])

        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(30_000)
        self._clock_timer.timeout.connect(self.model.refresh_times)
        self._clock_timer.start()
        self._pending_select: int | None = None
        self._first_load_started = False
        #: Work held back until the opening window's first paint (None: run at once).
        self._until_painted: list[Callable[[], None]] | None = None
        self._on_counts: Callable[[WorklistCounts], None] | None = None

    # --- filters ------------------------------------------------------------------------------

    def current_filter(self) -> WorklistFilter:
        """The filter the controls describe."""
        scope, clinician_id = self.ui.scopeCombo.currentData(), None
        if isinstance(scope, tuple):  # one clinician's list: (Scope.CLINICIAN, id)
            scope, clinician_id = scope
        return WorklistFilter(
            scope=scope,
            clinician_id=clinician_id,
            statuses=tuple(self.ui.statusCombo.currentData() or ()),
            body_region=self.ui.regionCombo.currentData(),
            overdue_only=self.ui.overdueCheck.isChecked(),
            search=self.ui.searchEdit.text(),
        )

    def set_scope(self, scope: Scope) -> None:
        """Show my worklist, the unassigned referrals or the whole team's.

        Before the first load this only chooses the scope; afterwards it reloads the list.
        """
        combo = self.ui.scopeCombo
        blocker = None if self._first_load_started else QSignalBlocker(combo)
        combo.setCurrentIndex(combo.findData(scope))
        del blocker

    @property
    def sees_clinical_data(self) -> bool:
        """IT accounts see no patients (roles.md): their worklist stays empty, without errors."""
        actor = self.desk.actor
        return actor is not None and actor.role in CLINICAL_VIEWERS

    def open_first_page(self, *, here: bool) -> None:
        """Load the list for the first time (later calls do nothing).

        ``here`` (the window is opening): read the first page now, so the window's first paint
        shows the patients rather than an empty table that fills a moment later; counts follow
        in the background. If that read fails, the background load tries again and reports it.
        Otherwise everything loads in the background.
        """
        if self._first_load_started:
            return
        self._first_load_started = True
        if not here or not self.sees_clinical_data:
            self.reload()
            return
        flt = self.current_filter()
        self.ui.tableView.setColumnHidden(WorklistModel.ASSIGNED, flt.scope == Scope.MINE)
        # Until the list has painted, background reads (counts, the first record) wait: they
        # would share the interpreter with the first paint.
        self._until_painted = []
        when_painted(self.ui.tableView.viewport(), self._painted)
        try:
            self.model.reload(flt, here=True)
        except Exception:
            log.warning("first worklist page not read at start; loading in the background")
            self.model.reload(flt)
        self._after_paint(lambda: self._load_counts(flt))

    def _after_paint(self, work: Callable[[], None]) -> None:
        """Run ``work`` now, or just after the first paint if the window is opening."""
        if self._until_painted is None:
            work()
        else:
            self._until_painted.append(work)

    def _painted(self) -> None:
        waiting, self._until_painted = self._until_painted or [], None
        for work in waiting:
            work()
        if not self.ui.tableView.currentIndex().isValid():
            # The first page came before the window had focus: select the most urgent now.
            self._after_load()

    def reload(self) -> None:
        """Reload the list and its counts from the database (in the background)."""
        if not self.sees_clinical_data:
            self.ui.countsLabel.setText("No patient data for this account")
            self.ui.detailBrowser.setHtml(
                "<p>This account administers PhysioLine and sees no patient records. "
                "Accounts, the audit trail and rotas are in the menus.</p>"
            )
            return
        flt = self.current_filter()
        # On my own worklist every row is mine: give the space to the status instead.
        self.ui.tableView.setColumnHidden(WorklistModel.ASSIGNED, flt.scope == Scope.MINE)
        self.model.reload(flt)
        self._load_counts(flt)

    def _load_counts(self, flt: WorklistFilter) -> None:
        """The header counts for this filter, read in the background."""
        run_op(lambda: queries.load_worklist_counts(self.desk, flt), on_done=self._show_counts,
               parent=self)  # fmt: skip

    def focus_search(self) -> None:
        """Put the cursor in the search box, text selected."""
        self.ui.searchEdit.setFocus()
        self.ui.searchEdit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Escape in the search box clears it and returns to the list."""
        if (
            watched is self.ui.searchEdit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            if event.key() == Qt.Key.Key_Escape:
                self.ui.searchEdit.clear()
                self.ui.tableView.setFocus()
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.ui.tableView.setFocus()
                if self.model.rowCount() and not self.ui.tableView.currentIndex().isValid():
                    self.ui.tableView.selectRow(0)
                return True
        return super().eventFilter(watched, event)

    # --- selection and detail -----------------------------------------------------------------

    def selected_referral_id(self) -> int | None:
        """The referral on the current row."""
        row = self.model.row_at(self.ui.tableView.currentIndex().row())
        return row.referral_id if row else None

    def selected_referral_ids(self) -> list[int]:
        """Every selected referral, in list order (the current row alone if none is selected)."""
        selection = self.ui.tableView.selectionModel()
        rows = sorted({index.row() for index in selection.selectedRows()})
        ids = [r.referral_id for i in rows if (r := self.model.row_at(i)) is not None]
        if not ids and (current := self.selected_referral_id()) is not None:
            ids = [current]
        return ids

    def show_clinician(self, clinician_id: int, name: str) -> None:
        """Show one clinician's list (a team lead looking at a colleague's work)."""
        data = (Scope.CLINICIAN, clinician_id)
        index = self.ui.scopeCombo.findData(data)
        if index < 0:
            self.ui.scopeCombo.addItem(f"{name}'s list", data)
            index = self.ui.scopeCombo.count() - 1
        self.ui.scopeCombo.setCurrentIndex(index)

    def select_next_due(self) -> None:
        """Select the most urgent referral that nobody is on a call with."""
        for i in range(self.model.rowCount()):
            row = self.model.row_at(i)
            if row is not None and row.status == ReferralStatus.AWAITING_CALL:
                self.ui.tableView.selectRow(i)
                self.ui.tableView.setFocus()
                return

    def _after_load(self) -> None:
        if self._pending_select is not None:
            row = self.model.row_of(self._pending_select)
            self._pending_select = None
            if row is not None:
                self.ui.tableView.selectRow(row)
                return
        if self.model.rowCount() and self.ui.tableView.hasFocus():
            self.ui.tableView.selectRow(0)

    def _current_changed(self, current: object, _previous: object) -> None:
        referral_id = self.selected_referral_id()
        self.selection_changed.emit(referral_id)
        if referral_id is None:
            self._show_detail(None)
            return
        # Opening a record writes its audit row (patient.view): a write, on the writers' pool.
        self._after_paint(lambda: run_op(
            lambda: queries.load_referral_detail(self.desk, referral_id),
            on_done=self._detail_loaded, parent=self, write=True))  # fmt: skip

    def _detail_loaded(self, detail: ReferralDetail | None) -> None:
        if detail is not None and detail.referral_id != self.selected_referral_id():
            return  # the selection moved on while this loaded
        self._show_detail(detail)

    # --- actions ------------------------------------------------------------------------------

    def _status(self, text: str) -> None:
        status = getattr(self.window(), "statusBar", None)
        if callable(status):
            status().showMessage(text, 8000)

    def claim_selected(self) -> None:
        """Claim the selected referral for a call (Enter)."""
        referral_id = self.selected_referral_id()
        if referral_id is None:
            return

        from physioline.services import worklist  # the ORM's first user: loads after paint

        def done(_result: object) -> None:
            self.refresh_referrals({referral_id})
            phone = self.detail.preferred_phone if self.detail else None
            dial = f" Dial {phone.number}." if phone else " No phone: write to the patient."
            self._status(f"You are on the call.{dial} Record the result with Ctrl+R.")
            self.claimed.emit(referral_id)

        run_op(lambda: worklist.claim_referral(self.desk, referral_id), on_done=done,
               parent=self, disable=self.ui.claimButton, write=True)  # fmt: skip

    def record_attempt(self) -> None:
        """Ask for the call's result (one letter) and record it (Ctrl+R)."""
        referral_id = self.selected_referral_id()
        row = self.model.row_at(self.ui.tableView.currentIndex().row())
        if referral_id is None or row is None:
            return
        from physioline.gui.attempt_dialog import AttemptDialog

        dialog = AttemptDialog(f"{row.patient_name} · NHS {row.nhs_number_formatted}", self)
        if dialog.exec() != AttemptDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        result, note = dialog.chosen, dialog.note()
        from physioline.services import worklist

        def done(outcome: worklist.AttemptRecorded) -> None:
            self.refresh_referrals({referral_id})
            self._status(outcome.message)

        run_op(lambda: worklist.record_call_attempt(self.desk, referral_id, result, note),
               on_done=done, parent=self, write=True)  # fmt: skip

    def release_selected(self) -> None:
        """Release the claim on the selected referral (yours, or a stale one as team lead)."""
        referral_id = self.selected_referral_id()
        if referral_id is None:
            return
        from physioline.services import worklist

        run_op(lambda: worklist.release_claim(self.desk, referral_id, reason="released by hand"),
               on_done=lambda _r: self.refresh_referrals({referral_id}), parent=self,
               write=True)  # fmt: skip

    def refresh_referrals(self, ids: set[int]) -> None:
        """Reload just these referrals' rows (a colleague's change, or our own)."""
        if not self.sees_clinical_data:
            return
        flt = self.model.filter
        selected = self.selected_referral_id()

        def done(rows: list[WorklistRow]) -> None:
            self.model.apply_changes(rows, ids)
            if selected in ids and selected == self.selected_referral_id():
                self._current_changed(None, None)

        run_op(lambda: queries.load_worklist_rows(self.desk, flt, ids), on_done=done, parent=self)
        self._load_counts(flt)

    def _show_counts(self, counts: WorklistCounts) -> None:
        self.ui.countsLabel.setText(
            f"<b>due today {counts.due_today}</b> · <b>overdue {counts.overdue}</b> · "
            f"done today {counts.done_today}"
        )
        if self._on_counts:
            self._on_counts(counts)

    def copy_preferred_phone(self) -> None:
        """Copy the preferred phone number of the selected patient to the clipboard."""
        if self.detail and self.detail.preferred_phone:
            QGuiApplication.clipboard().setText(self.detail.preferred_phone.number)
            window = self.window()
            status = getattr(window, "statusBar", None)
            if callable(status):
                status().showMessage(f"Copied {self.detail.preferred_phone.number}", 4000)

    def _show_detail(self, detail: ReferralDetail | None) -> None:
        self.detail = detail
        self.ui.copyPhoneButton.setEnabled(bool(detail and detail.preferred_phone))
        self.ui.claimButton.setEnabled(bool(detail and detail.status.is_open))
        if detail is None:
            self.ui.needsLabel.setVisible(False)
            self.ui.detailBrowser.setHtml(
                "<p style='color:#444'>Select a referral to see the GP's text, phone numbers "
                "and communication needs before you dial.</p>"
            )
            return
        needs = detail.communication_needs
        self.ui.needsLabel.setVisible(bool(needs))
        self.ui.needsLabel.setText(
            "<b>" + " · ".join(html.escape(n) for n in needs) + "</b>" if needs else ""
        )
        self.ui.detailBrowser.setHtml(detail_html(detail, self.desk))


def queries_loader(desk: Desk) -> Callable[..., queries.WorklistPage]:
    """The page loader the model calls from a worker thread."""
    return lambda flt, after: queries.load_worklist_page(desk, flt, after)


def region_label(region: str) -> str:
    """The body region as the clinic says it."""
    return REGION_LABELS.get(region, region)


def detail_html(d: ReferralDetail, desk: Desk) -> str:
    """The before-the-call pane as HTML (escaped: referral text is free text)."""
    e = html.escape
    now = desk.clock.now()
    phones = (
        "".join(
            f"<li><b>{e(p.number)}</b> ({e(p.kind)}{', preferred' if p.preferred else ''})"
            f"{' — ' + e(p.note) if p.note else ''}</li>"
            for p in d.phones
        )
        or "<li><b>No phone — write to patient</b></li>"
    )
    attempts = (
        "".join(
            f"<li>{to_london(a.made_at):%a %d %b %H:%M} — {e(a.result.replace('_', ' '))} "
            f"({e(a.made_by)}){': ' + e(a.note) if a.note else ''}</li>"
            for a in d.attempts
        )
        or "<li>No attempts yet</li>"
    )
    earlier = (
        "".join(
            f"<li>{to_london(x.received_at):%d %b %Y} — {e(region_label(x.body_region))}"
            f" — {e(STATUS_LABELS.get(x.status, x.status.value))}</li>"
            for x in d.earlier
        )
        or "<li>None</li>"
    )
    urgency = "<b>URGENT (GP)</b>" if d.gp_urgency == GpUrgency.URGENT else "Routine"
    claimed = (f"<p><b>☎ In call: {e(d.claimed_by or '')} since "
               f"{to_london(d.claimed_at):%H:%M}</b></p>" if d.claimed_at else "")  # fmt: skip
    address = "<br>".join(e(x) for x in d.address.splitlines()) or "<b>No postal address</b>"
    return f"""
<h2 style="margin-bottom:2px">{e(d.title)} {e(d.patient_name)}</h2>
<p style="margin-top:0">Age <b>{d.age}</b> · born {d.date_of_birth:%d %b %Y} ·
{e(d.sex if d.sex != "unknown" else "sex not recorded")} ·
NHS <b>{format_nhs_number(d.nhs_number)}</b></p>
{claimed}
<h3>Phone</h3><ul>{phones}</ul>
<h3>Referral</h3>
<p>{e(region_label(d.body_region))} · {urgency} ·
from {e(d.referrer)} ({e(d.gp_practice or "no practice")}) · received
{to_london(d.received_at):%a %d %b %H:%M} · call due {to_london(d.due_at):%a %d %b %H:%M}
({e(describe_time_left(d.due_at, now))}) · {e(STATUS_LABELS.get(d.status, d.status.value))}</p>
<blockquote>{e(d.reason)}</blockquote>
<h3>Call attempts</h3><ul>{attempts}</ul>
<h3>Earlier referrals</h3><ul>{earlier}</ul>
<h3>Address</h3><p>{address}<br>{e(d.postcode or "")}</p>
"""
