"""Rota screen: clinicians' weekly sessions and their leave, training and clinic closures.

For team leads and IT (roles.md), from Clinics ▸ Rota, leave and closures. Two tabs list what is
in force; the form under each list adds a session or records an exception, and Del ends or
removes the selected row after a question. Every change is one service call that also brings the
slots already on offer into line; the line under the tabs says what was done in words, or why
nothing was (overlapping sessions, an end before a start, a role that may not): the service
writes nothing then. Keyboard: Alt+W / Alt+L switch tabs, Enter in a form adds, Del on a list
ends or removes, Esc closes. Not modal: the calendar can stay open beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from functools import partial

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from physioline.core.due import WEEKDAY_NAMES
from physioline.core.referral import AppointmentType, RotaExceptionKind
from physioline.errors import PhysioLineError
from physioline.gui.errors import error_text
from physioline.gui.forms.ui_rota_dialog import Ui_RotaDialog
from physioline.gui.ops import run_op
from physioline.services import rota
from physioline.services.desk import Desk
from physioline.services.rota import RotaChange, RotaExceptionRow, RotaOverview, RotaSessionRow

RowRole = Qt.ItemDataRole.UserRole + 1
SESSION_COLUMNS = ("Clinician", "Day", "Times", "Clinic", "Type", "Slots", "Held", "From", "Until")
EXCEPTION_COLUMNS = ("What", "Who or where", "Days", "Hours", "Note")
_KINDS = (
    (RotaExceptionKind.LEAVE, "Leave (a clinician)"),
    (RotaExceptionKind.TRAINING, "Training (a clinician)"),
    (RotaExceptionKind.CLOSURE, "Closure (a clinic)"),
)
_STRONG = "background: #fff8c5; color: #000; border: 2px solid #000; padding: 4px;"
_PLAIN = "border: 1px solid #666; padding: 4px;"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit_value: QDate) -> date:
    return date(edit_value.year(), edit_value.month(), edit_value.day())


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


def _kind_word(kind: AppointmentType) -> str:
    return "new patient" if kind is AppointmentType.NEW_PATIENT else "follow-up"


class RotaDialog(QDialog):
    """Weekly sessions and exceptions, listed and changed; one change per service call."""

    #: Fresh rota data is on screen.
    loaded = Signal()
    #: A change was saved (its RotaChange); the screen reloads after it.
    changed = Signal(object)
    #: A change was refused or failed (its message is on screen).
    refused = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.ui = Ui_RotaDialog()
        self.ui.setupUi(self)
        self.overview: RotaOverview | None = None
        self._select_after: tuple[str, int] | None = None
        self._busy = False
        #: Asks a yes/no question before ending or removing (title, text); tests replace it.
        self.confirm: Callable[[str, str], bool] = self._ask

        for table, columns in ((self.ui.sessionsTable, SESSION_COLUMNS),
                               (self.ui.exceptionsTable, EXCEPTION_COLUMNS)):  # fmt: skip
            table.setColumnCount(len(columns))
            table.setHorizontalHeaderLabels(list(columns))
            table.verticalHeader().hide()
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
        for day, name in enumerate(WEEKDAY_NAMES):
            self.ui.weekdayCombo.addItem(name, day)
        self.ui.typeCombo.addItem("New patient", AppointmentType.NEW_PATIENT)
        self.ui.typeCombo.addItem("Follow-up", AppointmentType.FOLLOW_UP)
        for kind, label in _KINDS:
            self.ui.kindCombo.addItem(label, kind)
        today = _qdate(self._today())
        for edit in (self.ui.validFromEdit, self.ui.validUntilEdit, self.ui.firstDayEdit,
                     self.ui.lastDayEdit):  # fmt: skip
            edit.setDate(today)
            edit.setMinimumDate(today)
        self.ui.validUntilEdit.setDate(today.addDays(7 * 12))

        self.ui.filterCombo.currentIndexChanged.connect(self._filter_changed)
        self.ui.typeCombo.currentIndexChanged.connect(self._type_changed)
        for widget in (self.ui.startsEdit, self.ui.endsEdit):
            widget.timeChanged.connect(lambda _t: self._show_slot_count())
        self.ui.minutesSpin.valueChanged.connect(lambda _v: self._show_slot_count())
        self.ui.untilCheck.toggled.connect(self.ui.validUntilEdit.setEnabled)
        self.ui.kindCombo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.ui.partDayCheck.toggled.connect(lambda _on: self._kind_changed())
        self.ui.firstDayEdit.dateChanged.connect(self._first_day_changed)
        self.ui.addSessionButton.clicked.connect(self.add_session)
        self.ui.endSessionButton.clicked.connect(self.end_selected_session)
        self.ui.addExceptionButton.clicked.connect(self.add_exception)
        self.ui.removeExceptionButton.clicked.connect(self.remove_selected_exception)
        self.ui.generateButton.clicked.connect(self.regenerate)
        self.ui.closeButton.clicked.connect(self.close)
        self.ui.sessionsTable.itemSelectionChanged.connect(self._selection_changed)
        self.ui.exceptionsTable.itemSelectionChanged.connect(self._selection_changed)
        deletes = ((self.ui.sessionsTable, self.end_selected_session),
                   (self.ui.exceptionsTable, self.remove_selected_exception))  # fmt: skip
        for table, action in deletes:
            delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), table)
            delete.setContext(Qt.ShortcutContext.WidgetShortcut)
            delete.activated.connect(action)
        # Enter adds from the form that has the focus, and nowhere else (not on a list).
        for group, button in ((self.ui.sessionGroup, self.ui.addSessionButton),
                              (self.ui.exceptionGroup, self.ui.addExceptionButton)):  # fmt: skip
            for keys in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                enter = QShortcut(QKeySequence(keys), group)
                enter.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                enter.activated.connect(partial(self._press, button))
        # A line edit keeps Return for itself (no shortcut fires): it says so by returnPressed.
        self.ui.noteEdit.returnPressed.connect(partial(self._press, self.ui.addExceptionButton))
        self.ui.untilCheck.setChecked(False)
        self.ui.validUntilEdit.setEnabled(False)
        self._kind_changed()
        self._show_slot_count()
        self._set_enabled(False)
        self.setStyleSheet(
            "QLabel#messageLabel { font-size: 11pt; }"
            "QTableWidget { font-size: 10.5pt; }"
            "QTableWidget::item:selected { background: #005eb8; color: #fff; }"
            "QPushButton#addSessionButton, QPushButton#addExceptionButton { font-weight: bold; }"
        )  # fmt: skip
        self.resize(1180, 780)

    # --- loading ------------------------------------------------------------------------------

    def _today(self) -> date:
        from physioline.core.due import london_date

        return london_date(self.desk.clock.now())

    def start(self) -> None:
        """Load the rota (the signed-in role must manage rotas)."""
        self._say("Loading the rota…")
        desk = self.desk
        run_op(lambda: rota.rota_overview(desk), on_done=self._loaded, on_error=self._failed,
               parent=self)  # fmt: skip

    def reload(self) -> None:
        """Read the rota again, keeping the message on screen."""
        desk = self.desk
        run_op(lambda: rota.rota_overview(desk), on_done=lambda o: self._loaded(o, quiet=True),
               on_error=self._failed, parent=self)  # fmt: skip

    def _loaded(self, overview: RotaOverview, *, quiet: bool = False) -> None:
        first_load = self.overview is None
        self.overview = overview
        if first_load:
            self._fill_choices(overview)
        self._fill_sessions()
        self._fill_exceptions()
        self._set_enabled(True)
        if not quiet:
            self._say(
                f"{len(overview.sessions)} weekly sessions in force and "
                f"{len(overview.exceptions)} leave, training or closure entries to come. "
                "Add below; Del ends or removes the selected row."
            )
        if first_load:
            self.ui.sessionsTable.setFocus()
        self.loaded.emit()

    def _fill_choices(self, overview: RotaOverview) -> None:
        combos = (self.ui.sessionClinicianCombo, self.ui.exceptionClinicianCombo)
        for combo in combos:
            combo.clear()
            for clinician_id, name in overview.clinicians:
                combo.addItem(name, clinician_id)
        for combo in (self.ui.sessionClinicCombo, self.ui.exceptionClinicCombo):
            combo.clear()
            for clinic_id, code, name in overview.clinics:
                combo.addItem(f"{name} ({code})", clinic_id)
        self.ui.filterCombo.blockSignals(True)
        self.ui.filterCombo.clear()
        self.ui.filterCombo.addItem("All clinicians", None)
        for clinician_id, name in overview.clinicians:
            self.ui.filterCombo.addItem(name, clinician_id)
        self.ui.filterCombo.blockSignals(False)

    def _fill_sessions(self) -> None:
        overview = self.overview
        if overview is None:
            return
        only = self.ui.filterCombo.currentData()
        rows = [s for s in overview.sessions if only is None or s.clinician_id == only]
        table = self.ui.sessionsTable
        previous = self._selected(table)
        table.setRowCount(len(rows))
        for row, session in enumerate(rows):
            until = f"{session.valid_until:%a %d %b %Y}" if session.valid_until else "no end date"
            starts = "in force" if session.valid_from <= overview.today else \
                f"{session.valid_from:%a %d %b %Y}"  # fmt: skip
            cells = (
                session.clinician_name, WEEKDAY_NAMES[session.weekday],
                f"{session.starts:%H:%M}–{session.ends:%H:%M}",
                f"{session.clinic_name} ({session.clinic_code})",
                f"{_kind_word(session.appointment_type)}, {session.slot_minutes} min",
                str(session.slot_count),
                f"{session.held_for_urgent} held" if session.held_for_urgent else "none",
                starts, until,
            )  # fmt: skip
            self._set_row(table, row, cells, session)
        shown = "all clinicians" if only is None else self.ui.filterCombo.currentText()
        self.ui.sessionCountLabel.setText(f"{len(rows)} sessions ({shown})")
        self._reselect(table, "session", previous)

    def _fill_exceptions(self) -> None:
        overview = self.overview
        if overview is None:
            return
        table = self.ui.exceptionsTable
        previous = self._selected(table)
        table.setRowCount(len(overview.exceptions))
        for row, entry in enumerate(overview.exceptions):
            first, last = entry.first_day, entry.last_day
            days = f"{first:%a %d %b %Y}" if first == last else \
                f"{first:%a %d %b %Y} – {last:%a %d %b %Y}"  # fmt: skip
            hours = "whole day" + ("s" if first != last else "") if entry.whole_days else \
                f"{entry.period.rsplit(' ', 1)[-1]}"  # fmt: skip
            cells = (entry.kind.value.capitalize(), entry.who, days, hours, entry.note)
            self._set_row(table, row, cells, entry)
        self._reselect(table, "exception", previous)

    @staticmethod
    def _set_row(table: QTableWidget, row: int, cells: tuple[str, ...], data: object) -> None:
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(RowRole, data)
            table.setItem(row, column, item)

    @staticmethod
    def _row_data(table: QTableWidget, row: int) -> object | None:
        item: QTableWidgetItem | None = table.item(row, 0)  # None past the end
        return item.data(RowRole) if item is not None else None

    def _selected(self, table: QTableWidget) -> object | None:
        return self._row_data(table, table.currentRow())

    def _reselect(self, table: QTableWidget, kind: str, previous: object | None) -> None:
        """Select the row just added, else the one selected before, else the first."""
        wanted: int | None = None
        if self._select_after is not None and self._select_after[0] == kind:
            wanted = self._select_after[1]
            self._select_after = None
        elif isinstance(previous, RotaSessionRow):
            wanted = previous.template_id
        elif isinstance(previous, RotaExceptionRow):
            wanted = previous.exception_id
        chosen = 0 if table.rowCount() else -1
        for row in range(table.rowCount()):
            data = self._row_data(table, row)
            key = data.template_id if isinstance(data, RotaSessionRow) else \
                data.exception_id if isinstance(data, RotaExceptionRow) else None  # fmt: skip
            if key == wanted:
                chosen = row
                break
        table.setCurrentCell(chosen, 0)
        item = table.item(chosen, 0) if chosen >= 0 else None
        if item is not None:
            table.scrollToItem(item)
        self._selection_changed()

    # --- form behaviour -----------------------------------------------------------------------

    def _filter_changed(self, _index: int) -> None:
        clinician = self.ui.filterCombo.currentData()
        if clinician is not None:  # adding for the clinician shown is the likely next step
            self.ui.sessionClinicianCombo.setCurrentIndex(
                self.ui.sessionClinicianCombo.findData(clinician)
            )
        self._fill_sessions()

    def _type_changed(self, _index: int) -> None:
        new = self.ui.typeCombo.currentData() == AppointmentType.NEW_PATIENT
        self.ui.minutesSpin.setValue(45 if new else 30)
        self.ui.heldSpin.setEnabled(new)
        if not new:
            self.ui.heldSpin.setValue(0)
        self._show_slot_count()

    def _show_slot_count(self) -> None:
        starts, ends = self.ui.startsEdit.time(), self.ui.endsEdit.time()
        minutes = starts.secsTo(ends) // 60
        if minutes <= 0:
            self.ui.slotsLabel.setText("Ends before it starts")
            return
        count = minutes // max(1, self.ui.minutesSpin.value())
        self.ui.slotsLabel.setText(f"= {count} slot{'s' if count != 1 else ''} a week")

    def _kind_changed(self) -> None:
        # Only the field that applies is shown: leave and training follow the clinician to
        # every clinic; a closure is of a clinic, whoever works there.
        closure = self.ui.kindCombo.currentData() == RotaExceptionKind.CLOSURE
        for widget in (self.ui.exceptionClinicianLabel, self.ui.exceptionClinicianCombo):
            widget.setVisible(not closure)
        for widget in (self.ui.exceptionClinicLabel, self.ui.exceptionClinicCombo):
            widget.setVisible(closure)
        part = self.ui.partDayCheck.isChecked()
        for hours in (self.ui.partStartsEdit, self.ui.partUntilLabel, self.ui.partEndsEdit):
            hours.setEnabled(part)

    def _first_day_changed(self, day: QDate) -> None:
        if self.ui.lastDayEdit.date() < day:
            self.ui.lastDayEdit.setDate(day)

    def _selection_changed(self) -> None:
        ready = self.overview is not None and not self._busy
        self.ui.endSessionButton.setEnabled(
            ready and isinstance(self._selected(self.ui.sessionsTable), RotaSessionRow)
        )
        self.ui.removeExceptionButton.setEnabled(
            ready and isinstance(self._selected(self.ui.exceptionsTable), RotaExceptionRow)
        )

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.ui.sessionGroup, self.ui.exceptionGroup, self.ui.generateButton,
                       self.ui.weeksSpin):  # fmt: skip
            widget.setEnabled(enabled)
        self._selection_changed()

    def _say(self, html: str, *, strong: bool = False) -> None:
        self.ui.messageLabel.setText(html)
        self.ui.messageLabel.setStyleSheet(_STRONG if strong else _PLAIN)

    # --- changes ------------------------------------------------------------------------------

    def _press(self, button: QPushButton) -> None:
        """Enter in a form: press its button, only while this window is on screen."""
        if self.isVisible() and button.isEnabled():
            button.click()

    def _run(self, what: str, work: Callable[[], RotaChange | rota.GenerationReport],
             button: QPushButton, select: str | None = None) -> None:  # fmt: skip
        """Run one change in the background; say what it did, or why nothing was written."""
        if self._busy or self.overview is None:
            return
        self._busy = True
        self._say(f"{what}…")
        self._set_enabled(False)

        def done(result: RotaChange | rota.GenerationReport) -> None:
            self._busy = False
            self._set_enabled(True)
            if isinstance(result, RotaChange):
                text = f"<b>Saved. {result.done}</b> {result.report.message}"
                rebook = bool(result.report.to_rebook)
                if select is not None:
                    self._select_after = (select, result.row_id)
            else:
                text = f"<b>{result.message}</b>"
                rebook = bool(result.to_rebook)
            self._say(text, strong=rebook)  # booked appointments to rebook need reading
            self.changed.emit(result)
            self.reload()

        def failed(exc: Exception) -> None:
            self._busy = False
            self._set_enabled(True)
            self._failed(exc)
            button.setFocus()

        run_op(work, on_done=done, on_error=failed, parent=self, write=True)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, PhysioLineError):
            text = f"<b>Not saved: {exc.message}</b> {exc.hint}".strip()
        else:
            _title, message = error_text(exc)  # logs the defect with its reference
            text = f"<b>{message.splitlines()[0]}</b>"
        self._say(text, strong=True)
        self.refused.emit(exc.message if isinstance(exc, PhysioLineError) else text)

    def add_session(self) -> None:
        """Add the weekly session in the form, with its slots (Enter in the form)."""
        ui = self.ui
        if ui.sessionClinicianCombo.currentData() is None or ui.sessionClinicCombo.currentData() \
                is None:  # fmt: skip
            return
        desk = self.desk
        values = {
            "clinician_id": int(ui.sessionClinicianCombo.currentData()),
            "clinic_id": int(ui.sessionClinicCombo.currentData()),
            "weekday": int(ui.weekdayCombo.currentData()),
            "starts": _time(ui.startsEdit.time()),
            "ends": _time(ui.endsEdit.time()),
            "appointment_type": ui.typeCombo.currentData(),
            "slot_minutes": ui.minutesSpin.value(),
            "held_for_urgent": ui.heldSpin.value() if ui.heldSpin.isEnabled() else 0,
            "valid_from": _date(ui.validFromEdit.date()),
            "valid_until": _date(ui.validUntilEdit.date()) if ui.untilCheck.isChecked() else None,
        }
        self._run("Adding the session and its slots",
                  lambda: rota.add_rota_session(desk, **values),
                  ui.addSessionButton, select="session")  # fmt: skip

    def end_selected_session(self) -> None:
        """End the selected session from today, after a question (Del on the list)."""
        session = self._selected(self.ui.sessionsTable)
        if not isinstance(session, RotaSessionRow) or self._busy:
            return
        if not self.confirm(
            "End this session?",
            f"End {session.describe()} from today?\n\nIts free slots are withdrawn now. Booked "
            "appointments stay booked and are listed for rebooking.",
        ):
            return
        desk, template_id = self.desk, session.template_id
        self._run("Ending the session", lambda: rota.end_rota_session(desk, template_id),
                  self.ui.endSessionButton)  # fmt: skip

    def add_exception(self) -> None:
        """Record the leave, training or closure in the form (Enter in the form)."""
        ui = self.ui
        kind = ui.kindCombo.currentData()
        closure = kind == RotaExceptionKind.CLOSURE
        part = ui.partDayCheck.isChecked()
        desk = self.desk
        clinician = None if closure else ui.exceptionClinicianCombo.currentData()
        clinic = ui.exceptionClinicCombo.currentData() if closure else None
        values = {
            "kind": kind,
            "first_day": _date(ui.firstDayEdit.date()),
            "last_day": _date(ui.lastDayEdit.date()),
            "clinician_id": None if clinician is None else int(clinician),
            "clinic_id": None if clinic is None else int(clinic),
            "starts": _time(ui.partStartsEdit.time()) if part else None,
            "ends": _time(ui.partEndsEdit.time()) if part else None,
            "note": ui.noteEdit.text(),
        }
        self._run("Recording it and withdrawing its free slots",
                  lambda: rota.add_rota_exception(desk, **values),
                  ui.addExceptionButton, select="exception")  # fmt: skip

    def remove_selected_exception(self) -> None:
        """Remove the selected exception and give its slots back, after a question (Del)."""
        entry = self._selected(self.ui.exceptionsTable)
        if not isinstance(entry, RotaExceptionRow) or self._busy:
            return
        if not self.confirm(
            "Remove this entry?",
            f"Remove {entry.describe()}?\n\nThe rota's slots in that time are offered again.",
        ):
            return
        desk, exception_id = self.desk, entry.exception_id
        self._run("Removing it and giving its slots back",
                  lambda: rota.remove_rota_exception(desk, exception_id),
                  self.ui.removeExceptionButton)  # fmt: skip

    def regenerate(self) -> None:
        """Bring the slots of the coming weeks into line with the rota."""
        desk, weeks = self.desk, self.ui.weeksSpin.value()
        self._run(f"Generating slots for {weeks} weeks",
                  lambda: rota.generate_slots_for(desk, weeks=weeks),
                  self.ui.generateButton)  # fmt: skip

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes


def open_rota_dialog(window: QWidget, desk: Desk) -> RotaDialog:
    """Show the rota screen (one per main window), loading it the first time."""
    existing = window.findChild(RotaDialog)
    if existing is None:
        existing = RotaDialog(desk, window)
        existing.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        existing.start()
    existing.show()
    if QApplication.platformName() != "offscreen":  # offscreen cannot raise
        existing.raise_()
    existing.activateWindow()
    return existing
