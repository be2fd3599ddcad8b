"""Clinic calendar: a day or a week of one clinic's or one clinician's slots, booked, free, blocked.

For team leads and the booking office. Each cell says its state in words ("Booked", "Free",
"Blocked") and the patient or the reason; colour and hatching only repeat it. From the keyboard:
arrows move, PgUp/PgDn page by a day or a week, Del blocks the selected free slot, Ins releases
it, Alt+C cancels the selected appointment (asking why and who asked), Ctrl+E saves a booked
appointment as an .ics file. A free slot says how many patients on the waiting list it fits and
who has waited longest; Ctrl+W books it for them (their waiting-list entry closes with it).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QInputDialog,
    QSpinBox,
    QTableWidgetItem,
    QWidget,
)

from physioline.clock import LONDON, to_london
from physioline.core.due import london_date
from physioline.core.referral import AppointmentType, CancelInitiator, SlotState
from physioline.errors import PhysioLineError
from physioline.gui.errors import show_error
from physioline.gui.forms.ui_cancel_appointment_dialog import Ui_CancelAppointmentDialog
from physioline.gui.forms.ui_clinic_calendar import Ui_ClinicCalendar
from physioline.gui.ics_export import save_appointment_ics
from physioline.gui.ops import run_op
from physioline.services import booking, rota
from physioline.services.booking import (
    Booked,
    CalendarChoices,
    CalendarSlot,
    Cancelled,
    WaitingForSlot,
)
from physioline.services.desk import Desk

SlotRole = Qt.ItemDataRole.UserRole + 1
_STATE_WORDS = {SlotState.BOOKED: "Booked", SlotState.FREE: "Free", SlotState.BLOCKED: "Blocked"}
_STATE_BRUSH = {
    SlotState.BOOKED: QBrush(QColor("#cfe0f3")),
    SlotState.FREE: QBrush(QColor("#ffffff")),
    SlotState.BLOCKED: QBrush(QColor("#9a9a9a"), Qt.BrushStyle.BDiagPattern),
}


def cell_text(slot: CalendarSlot, now: datetime) -> str:
    """What a cell says about a slot, in words ("Past" once it has started)."""
    kind = "new" if slot.appointment_type == AppointmentType.NEW_PATIENT else "follow-up"
    minutes = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
    past = "Past · " if slot.starts_at <= now else ""
    first = f"{past}{_STATE_WORDS[slot.state]} · {kind} {minutes} min"
    if slot.state == SlotState.BOOKED:
        return f"{first}\n{slot.patient_label or 'patient'}"
    if slot.state == SlotState.BLOCKED:
        return f"{first}\n{slot.blocked_reason or ''}".strip()
    return f"{first}\nheld for urgent" if slot.held_for_urgent else first


#: What the cancel dialog gives back: reason, who asked, and whether to block the slot.
CancelAnswer = tuple[str, CancelInitiator, bool]


class CancelAppointmentDialog(QDialog):
    """Why an appointment is cancelled and who asked; the slot blocked or offered again."""

    def __init__(self, slot: CalendarSlot, *, may_block: bool, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ui = Ui_CancelAppointmentDialog()
        self.ui.setupUi(self)
        when = f"{to_london(slot.starts_at):%A %d %B %Y at %H:%M}"
        self.ui.summaryLabel.setText(
            f"Cancel <b>{slot.patient_label}</b>'s appointment on <b>{when}</b> at "
            f"{slot.clinic_code} with {slot.clinician_name}?"
        )
        self.may_block = may_block
        self.ui.blockCheck.setVisible(may_block)
        self.ok = self.ui.buttonBox.button(self.ui.buttonBox.StandardButton.Ok)
        self.ok.setText("Cancel the &appointment")
        keep = self.ui.buttonBox.button(self.ui.buttonBox.StandardButton.Cancel)
        keep.setText("&Keep it")
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        for changed in (self.ui.patientRadio.toggled, self.ui.serviceRadio.toggled,
                        self.ui.reasonEdit.textChanged):  # fmt: skip
            changed.connect(lambda *_a: self._check())
        self.ui.serviceRadio.toggled.connect(lambda on: self.ui.blockCheck.setEnabled(on))
        self.ui.blockCheck.setEnabled(False)
        self._check()
        self.ui.patientRadio.setFocus()

    def _check(self) -> None:
        who = self.ui.patientRadio.isChecked() or self.ui.serviceRadio.isChecked()
        reason = bool(self.ui.reasonEdit.text().strip())
        self.ok.setEnabled(who and reason)
        missing = [w for w, ok in (("who asked", who), ("the reason", reason)) if not ok]
        self.ui.hintLabel.setText(
            f"Still needed: {' and '.join(missing)}." if missing else
            "The referral goes back to waiting for a booking; an unprinted appointment letter "
            "is withdrawn; a free slot is offered to the waiting list."
        )  # fmt: skip

    def answer(self) -> CancelAnswer:
        """The reason, who asked, and whether to block the slot."""
        who = CancelInitiator.PATIENT if self.ui.patientRadio.isChecked() else \
            CancelInitiator.SERVICE  # fmt: skip
        block = self.may_block and self.ui.blockCheck.isChecked() \
            and who is CancelInitiator.SERVICE  # fmt: skip
        return self.ui.reasonEdit.text().strip(), who, block


class ClinicCalendarWindow(QWidget):
    """Booked, free and blocked slots per clinic or per clinician, a day or a week at a time."""

    #: The calendar shows fresh data.
    loaded = Signal()
    #: The selected free slot's waiting list arrived (a WaitingForSlot).
    waiting_loaded = Signal(object)
    #: An action finished and its result is on the message line (the message).
    done = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.desk = desk
        self.ui = Ui_ClinicCalendar()
        self.ui.setupUi(self)
        self.choices: CalendarChoices | None = None
        self.slots: tuple[CalendarSlot, ...] = ()
        self.waiting: WaitingForSlot | None = None
        self._generation = 0
        self._waiting_generation = 0
        self.ui.viewCombo.addItem("Clinic", "clinic")
        self.ui.viewCombo.addItem("Clinician", "clinician")
        today = london_date(desk.clock.now())
        self.ui.dateEdit.setDate(QDate(today.year, today.month, today.day))
        self.ui.viewCombo.currentIndexChanged.connect(self._fill_entities)
        self.ui.entityCombo.currentIndexChanged.connect(self.reload)
        self.ui.dateEdit.dateChanged.connect(self.reload)
        self.ui.dayRadio.toggled.connect(self.reload)
        self.ui.previousButton.clicked.connect(lambda: self.page(-1))
        self.ui.nextButton.clicked.connect(lambda: self.page(1))
        self.ui.blockButton.clicked.connect(self.block_selected)
        self.ui.releaseButton.clicked.connect(self.release_selected)
        self.ui.addButton.clicked.connect(self.add_slot)
        self.ui.icsButton.clicked.connect(lambda: self.export_ics())
        self.ui.cancelButton.clicked.connect(lambda: self.cancel_selected())
        self.ui.waitingButton.clicked.connect(self.book_longest_waiting)
        self.ui.closeButton.clicked.connect(self.close)
        table = self.ui.calendarTable
        table.currentCellChanged.connect(lambda *_a: self._show_detail())
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for keys, slot in (("PgUp", lambda: self.page(-1)), ("PgDown", lambda: self.page(1)),
                           ("Del", self.block_selected), ("Ins", self.release_selected),
                           ("Ctrl+E", lambda: self.export_ics()),
                           ("Ctrl+W", self.book_longest_waiting),
                           ("Escape", self.close)):  # fmt: skip
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        keeper = desk.actor is not None and desk.actor.role in rota.SLOT_KEEPERS
        self.keeper = keeper
        for button in (self.ui.addButton, self.ui.blockButton, self.ui.releaseButton):
            button.setEnabled(keeper)
        self.books = desk.actor is not None and desk.actor.role in booking.BOOKERS
        self.ui.cancelButton.setEnabled(False)
        self.ui.waitingButton.setEnabled(False)
        self.setStyleSheet(
            "QTableWidget { font-size: 10pt; gridline-color: #888; }"
            "QTableWidget::item:selected { background: #005eb8; color: #fff; }"
            "QLabel#detailLabel { font-size: 11pt; padding: 4px; }"
            "QLabel#messageLabel { font-size: 11pt; padding: 4px; }"
        )  # fmt: skip
        self.resize(1400, 820)

    def start(self) -> None:
        """Load the clinics and clinicians, then the first calendar."""
        desk = self.desk
        run_op(lambda: booking.calendar_choices(desk), on_done=self._choices,
               parent=self)  # fmt: skip

    def _choices(self, choices: CalendarChoices) -> None:
        self.choices = choices
        self._fill_entities()

    def _fill_entities(self) -> None:
        if self.choices is None:
            return
        combo = self.ui.entityCombo
        combo.blockSignals(True)
        combo.clear()
        entries = (self.choices.clinics if self.ui.viewCombo.currentData() == "clinic"
                   else self.choices.clinicians)  # fmt: skip
        for entity_id, name in entries:
            combo.addItem(name, entity_id)
        combo.blockSignals(False)
        self.reload()

    def show_entity(self, kind: str, entity_id: int, first_day: date, *, days: int = 7) -> None:
        """Show one clinic's ("clinic") or clinician's ("clinician") calendar from a day."""
        self.ui.viewCombo.setCurrentIndex(self.ui.viewCombo.findData(kind))
        self.ui.entityCombo.blockSignals(True)
        self.ui.entityCombo.setCurrentIndex(self.ui.entityCombo.findData(entity_id))
        self.ui.entityCombo.blockSignals(False)
        (self.ui.dayRadio if days == 1 else self.ui.weekRadio).setChecked(True)
        self.ui.dateEdit.blockSignals(True)
        self.ui.dateEdit.setDate(QDate(first_day.year, first_day.month, first_day.day))
        self.ui.dateEdit.blockSignals(False)
        self.reload()

    @property
    def days(self) -> int:
        """Days shown: one or seven."""
        return 1 if self.ui.dayRadio.isChecked() else 7

    @property
    def first_day(self) -> date:
        """The first day shown."""
        shown = self.ui.dateEdit.date()
        return date(shown.year(), shown.month(), shown.day())

    def page(self, step: int) -> None:
        """Move by a day or a week (PgUp / PgDn)."""
        self.ui.dateEdit.setDate(self.ui.dateEdit.date().addDays(step * self.days))

    def reload(self, *_args: object) -> None:
        """Read the slots shown again."""
        entity = self.ui.entityCombo.currentData()
        if entity is None:
            return
        self._generation += 1
        generation = self._generation
        kind = self.ui.viewCombo.currentData()
        desk, first, days = self.desk, self.first_day, self.days

        def work() -> tuple[CalendarSlot, ...]:
            if kind == "clinic":
                return booking.calendar(desk, first_day=first, days=days, clinic_id=int(entity))
            return booking.calendar(desk, first_day=first, days=days, clinician_id=int(entity))

        def done(slots: tuple[CalendarSlot, ...]) -> None:
            if generation == self._generation:
                self._fill(slots)

        run_op(work, on_done=done, on_error=self._failed, parent=self)

    def _fill(self, slots: tuple[CalendarSlot, ...]) -> None:
        kept = self.selected_slot()  # after an action, stay on the slot it changed
        self.slots = slots
        table = self.ui.calendarTable
        clinic_view = self.ui.viewCombo.currentData() == "clinic"
        days = [self.first_day + timedelta(days=n) for n in range(self.days)]
        rows = sorted({(to_london(s.starts_at).time(), s.clinician_name if clinic_view
                        else s.clinic_code) for s in slots})  # fmt: skip
        table.clear()
        table.setColumnCount(len(days))
        table.setRowCount(len(rows))
        table.setHorizontalHeaderLabels([f"{d:%a %d %b}" for d in days])
        table.setVerticalHeaderLabels([f"{at:%H:%M}  {who}" for at, who in rows])
        row_of = {key: index for index, key in enumerate(rows)}
        counts = dict.fromkeys(SlotState, 0)
        now = self.desk.clock.now()
        for slot in slots:
            local = to_london(slot.starts_at)
            key = (local.time(), slot.clinician_name if clinic_view else slot.clinic_code)
            item = QTableWidgetItem(cell_text(slot, now))
            item.setData(SlotRole, slot)
            item.setBackground(_STATE_BRUSH[slot.state])
            item.setForeground(QBrush(QColor("#000000" if slot.starts_at > now else "#555555")))
            table.setItem(row_of[key], (local.date() - days[0]).days, item)
            counts[slot.state] += 1
        self.ui.countsLabel.setText(
            f"Booked {counts[SlotState.BOOKED]} · Free {counts[SlotState.FREE]} · "
            f"Blocked {counts[SlotState.BLOCKED]}"
        )
        cell = (0, 0) if rows else None
        for slot in slots if kept is not None else ():
            if kept is not None and slot.slot_id == kept.slot_id:
                local = to_london(slot.starts_at)
                key = (local.time(), slot.clinician_name if clinic_view else slot.clinic_code)
                cell = (row_of[key], (local.date() - days[0]).days)
        if cell is not None:
            table.setCurrentCell(*cell)
        self._show_detail()
        self.loaded.emit()

    def selected_slot(self) -> CalendarSlot | None:
        """The slot in the current cell, if any."""
        item: QTableWidgetItem | None = self.ui.calendarTable.currentItem()  # None: empty cell
        slot = item.data(SlotRole) if item is not None else None
        return slot if isinstance(slot, CalendarSlot) else None

    def _show_detail(self) -> None:
        slot = self.selected_slot()
        self.waiting = None
        self._waiting_generation += 1
        future = slot is not None and slot.starts_at > self.desk.clock.now()
        self.ui.waitingButton.setEnabled(False)
        self.ui.cancelButton.setEnabled(
            self.books and future and slot is not None and slot.appointment_id is not None
        )
        if slot is None:
            self.ui.detailLabel.setText("No slot in this cell.")
            return
        when = f"{to_london(slot.starts_at):%a %d %b %Y %H:%M}–{to_london(slot.ends_at):%H:%M}"
        text = f"<b>{when}</b> · {slot.clinic_code} · {slot.clinician_name} · " \
               f"{_STATE_WORDS[slot.state]}"  # fmt: skip
        if slot.state == SlotState.BOOKED:
            text += f" for {slot.patient_label} (referral {slot.referral_id}; Ctrl+E: .ics)"
        elif slot.state == SlotState.BLOCKED:
            text += f": {slot.blocked_reason} (Ins releases it)"
        else:
            text += " (Del blocks it" + ("; Ins releases the urgent hold)" if slot.held_for_urgent
                                         else ")")  # fmt: skip
        self.ui.detailLabel.setText(text)
        if self.books and future and slot.state == SlotState.FREE:
            self._load_waiting(slot, text)

    def _load_waiting(self, slot: CalendarSlot, detail: str) -> None:
        """Ask who on the waiting list the selected free slot fits (on the read pool)."""
        generation = self._waiting_generation
        desk, slot_id = self.desk, slot.slot_id

        def done(waiting: WaitingForSlot) -> None:
            if generation != self._waiting_generation:
                return  # the selection moved on
            self.waiting = waiting
            if waiting.count:
                self.ui.detailLabel.setText(
                    f"{detail}<br><b>{waiting.message}</b> Ctrl+W books it for "
                    f"{waiting.patient_label}."
                )
                self.ui.waitingButton.setEnabled(True)
            else:
                self.ui.detailLabel.setText(f"{detail}<br>{waiting.message}")
            self.waiting_loaded.emit(waiting)

        run_op(lambda: booking.waiting_for_slot(desk, slot_id), on_done=done,
               on_error=self._failed, parent=self)  # fmt: skip

    def _say(self, html: str, *, strong: bool = False) -> None:
        self.ui.messageLabel.setText(html)
        self.ui.messageLabel.setStyleSheet(
            "background: #fff8c5; color: #000; border: 2px solid #000;" if strong else ""
        )

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, PhysioLineError):
            self._say(f"<b>{exc.message}</b> {exc.hint}".strip(), strong=True)
            self.done.emit(exc.message)
            return
        show_error(self, exc)

    def _finished(self, html: str, *, strong: bool = False) -> None:
        """Say what an action did (it stays while the calendar reloads), then reload."""
        self._say(html, strong=strong)
        self.done.emit(html)
        self.reload()

    def block_selected(self, reason: str | None = None) -> None:
        """Block the selected free slot, asking why (Del)."""
        slot = self.selected_slot()
        if slot is None or slot.state != SlotState.FREE or not self.ui.blockButton.isEnabled():
            return
        if reason is None:
            reason, ok = QInputDialog.getText(self, "Block slot", "Why is this slot blocked?")
            if not ok:
                return
        desk, why = self.desk, reason
        run_op(lambda: rota.block_slot(desk, slot.slot_id, why),
               on_done=lambda _r: self._finished(f"Slot blocked: {why}"),
               on_error=self._failed, parent=self, write=True)  # fmt: skip

    def release_selected(self) -> None:
        """Free the selected blocked slot, or release its urgent hold (Ins)."""
        slot = self.selected_slot()
        if slot is None or not self.ui.releaseButton.isEnabled():
            return
        desk = self.desk

        def done(message: str) -> None:
            self._finished(message, strong="waiting for" in message)

        run_op(lambda: rota.release_slot(desk, slot.slot_id), on_done=done,
               on_error=self._failed, parent=self, write=True)  # fmt: skip

    def cancel_selected(self, answer: CancelAnswer | None = None) -> None:
        """Cancel the selected appointment, asking why and who asked (Alt+C)."""
        slot = self.selected_slot()
        if slot is None or slot.appointment_id is None or not self.ui.cancelButton.isEnabled():
            return
        if answer is None:
            dialog = CancelAppointmentDialog(slot, may_block=self.keeper, parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            answer = dialog.answer()
        reason, initiator, block = answer
        desk, appointment_id = self.desk, slot.appointment_id

        def done(cancelled: Cancelled) -> None:
            waiting = cancelled.waiting
            text = f"<b>{cancelled.message}</b>"
            if waiting is not None and waiting.count:
                text += f" Ctrl+W books the freed slot for {waiting.patient_label}."
            self._finished(text, strong=waiting is not None and bool(waiting.count))

        run_op(lambda: booking.cancel_appointment(desk, appointment_id, reason=reason,
                                                  initiator=initiator, block_slot=block),
               on_done=done, on_error=self._failed, parent=self, write=True)  # fmt: skip

    def book_longest_waiting(self) -> None:
        """Book the selected free slot for the longest-waiting patient shown (Ctrl+W)."""
        slot, waiting = self.selected_slot(), self.waiting
        if slot is None or waiting is None or waiting.entry_id is None:
            return
        if waiting.slot_id != slot.slot_id or not self.ui.waitingButton.isEnabled():
            return
        desk, slot_id, entry_id = self.desk, slot.slot_id, waiting.entry_id
        who = waiting.patient_label
        self.ui.waitingButton.setEnabled(False)

        def done(booked: Booked) -> None:
            self._finished(
                f"<b>Booked from the waiting list for {who} (referral {booked.referral_id}).</b> "
                f"{booked.message} Their waiting-list entry is closed; ring them with the time."
            )

        def failed(exc: Exception) -> None:
            self._failed(exc)  # "just taken" or "the list changed": show the slot as it is now
            self.reload()

        run_op(lambda: booking.book_from_waiting_list(desk, slot_id, entry_id=entry_id),
               on_done=done, on_error=failed, parent=self, write=True)  # fmt: skip

    def add_slot(self) -> None:
        """Add one free slot outside the rota, at the clinic or with the clinician shown."""
        if self.choices is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle("Add a slot")
        form = QFormLayout(dialog)
        clinic, clinician = QComboBox(dialog), QComboBox(dialog)
        for entity_id, name in self.choices.clinics:
            clinic.addItem(name, entity_id)
        for entity_id, name in self.choices.clinicians:
            clinician.addItem(name, entity_id)
        combo = clinic if self.ui.viewCombo.currentData() == "clinic" else clinician
        combo.setCurrentIndex(combo.findData(self.ui.entityCombo.currentData()))
        start = QDateTimeEdit(dialog)
        start.setDisplayFormat("ddd d MMM yyyy HH:mm")
        first = self.first_day
        start.setDateTime(QDateTime(QDate(first.year, first.month, first.day), QTime(9, 0)))
        kind = QComboBox(dialog)
        kind.addItem("New patient", AppointmentType.NEW_PATIENT)
        kind.addItem("Follow-up", AppointmentType.FOLLOW_UP)
        minutes = QSpinBox(dialog)
        minutes.setRange(5, 240)
        minutes.setValue(45)
        kind.currentIndexChanged.connect(lambda _i: minutes.setValue(
            45 if kind.currentData() == AppointmentType.NEW_PATIENT else 30))  # fmt: skip
        held = QCheckBox("Held for urgent patients", dialog)
        for label, widget in (("&Clinic", clinic), ("C&linician", clinician),
                              ("&Starts (London time)", start), ("&Type", kind),
                              ("&Minutes", minutes), ("", held)):  # fmt: skip
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        wall = start.dateTime().toPython()
        assert isinstance(wall, datetime)  # noqa: S101 - QDateTime converts to datetime
        starts_at = wall.replace(tzinfo=LONDON)
        desk = self.desk
        values = (int(clinic.currentData()), int(clinician.currentData()), kind.currentData(),
                  minutes.value(), held.isChecked())  # fmt: skip
        run_op(lambda: rota.add_slot(desk, clinic_id=values[0], clinician_id=values[1],
                                     starts_at=starts_at, appointment_type=values[2],
                                     minutes=values[3], held_for_urgent=values[4]),
               on_done=lambda _id: self.reload(), on_error=self._failed, parent=self,
               write=True)  # fmt: skip

    def export_ics(self, path: Path | None = None) -> None:
        """Save the selected booked appointment as an .ics calendar file (Ctrl+E)."""
        slot = self.selected_slot()
        if slot is None or slot.appointment_id is None:
            return
        save_appointment_ics(self, self.desk, slot.appointment_id, path,
                             on_saved=lambda p: self._say(f"Calendar file saved: {p}"),
                             on_error=self._failed)  # fmt: skip
