"""The booking office cancels an appointment on the calendar and fills the slot from the list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot

from physioline.clock import FrozenClock
from physioline.core.due import london_date
from physioline.core.referral import CancelInitiator, SlotState
from physioline.db.models import Clinic, Slot, WaitingListEntry
from physioline.gui.clinic_calendar import CancelAppointmentDialog, ClinicCalendarWindow, SlotRole
from physioline.services import booking
from physioline.services.booking import CalendarSlot
from physioline.services.desk import Desk
from tests.fixtures.booking import signed_for_face_to_face
from tests.gui.test_booking_panel import open_window

CTRL = Qt.KeyboardModifier.ControlModifier


def cell_of(calendar: ClinicCalendarWindow, slot_id: int) -> QTableWidgetItem:
    table = calendar.ui.calendarTable
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            if item is not None and item.data(SlotRole).slot_id == slot_id:
                return item
    raise AssertionError(f"slot {slot_id} is not on the calendar")


def test_a_cancelled_slot_is_booked_for_the_longest_waiting_patient(
    qtbot: QtBot, make_desk: Callable[[str], Desk], tmp_path: Path
) -> None:
    priya = make_desk("priya")
    clock = priya.clock
    assert isinstance(clock, FrozenClock)
    with priya.db.sessions() as session:
        slot_id, clinic_id, starts_at, clinic = session.execute(
            sa.select(Slot.id, Slot.clinic_id, Slot.starts_at, Clinic.name)
            .join(Clinic, Clinic.id == Slot.clinic_id)
            .where(Slot.state == "free", Slot.held_for_urgent.is_(False),
                   Slot.appointment_type == "new_patient",
                   Slot.starts_at > clock.now() + timedelta(days=2))
            .order_by(Slot.starts_at).limit(1)
        ).one()  # fmt: skip
    booked = booking.book_slot(priya, signed_for_face_to_face(priya.db, clock), slot_id)
    first = signed_for_face_to_face(priya.db, clock)
    first_entry = booking.add_to_waiting_list(priya, first, clinic_ids=[clinic_id])
    clock.advance(timedelta(minutes=30))
    second_entry = booking.add_to_waiting_list(
        priya, signed_for_face_to_face(priya.db, clock), clinic_ids=[clinic_id]
    )

    jo = make_desk("jo")
    window = open_window(qtbot, jo)
    with qtbot.waitSignal(window.bookings.opened, timeout=10_000) as opened:
        window.ui.actionClinicCalendar.trigger()
    calendar = opened.args[0]
    assert isinstance(calendar, ClinicCalendarWindow)
    qtbot.addWidget(calendar)  # closed with the test: its shortcuts must not reach the next one
    qtbot.waitUntil(lambda: calendar.choices is not None, timeout=10_000)
    calendar.show_entity("clinic", clinic_id, london_date(starts_at), days=1)
    qtbot.waitUntil(lambda: slot_id in {s.slot_id for s in calendar.slots}, timeout=10_000)
    table = calendar.ui.calendarTable
    table.setCurrentItem(cell_of(calendar, slot_id))
    assert calendar.ui.cancelButton.isEnabled()
    assert not calendar.ui.waitingButton.isEnabled()  # a booked slot has nobody to offer

    # Alt+C asks why and who asked (answered here); the freed slot is offered to the list.
    with qtbot.waitSignal(calendar.waiting_loaded, timeout=10_000) as shown:
        calendar.cancel_selected(("Moving away", CancelInitiator.PATIENT, False))
    waiting = shown.args[0]
    assert (waiting.count, waiting.entry_id, waiting.referral_id) == (2, first_entry, first)
    message = calendar.ui.messageLabel.text()
    assert message.startswith("<b>Appointment cancelled; the referral is waiting")
    assert f"2 patients waiting for {clinic}: earliest waiting since " in message
    assert f"Ctrl+W books the freed slot for {waiting.patient_label}." in message
    selected = calendar.selected_slot()
    assert isinstance(selected, CalendarSlot)
    assert (selected.slot_id, selected.state) == (slot_id, SlotState.FREE)  # still selected
    assert cell_of(calendar, slot_id).text().startswith("Free")
    assert f"<b>2 patients waiting for {clinic}" in calendar.ui.detailLabel.text()
    assert calendar.ui.waitingButton.isEnabled()
    assert not calendar.ui.cancelButton.isEnabled()

    # Ctrl+W books it for the patient who waited longest: one action.
    table.setFocus()
    with qtbot.waitSignal(calendar.loaded, timeout=10_000):
        qtbot.keyClick(table, Qt.Key.Key_W, CTRL)
    assert calendar.ui.messageLabel.text().startswith(
        f"<b>Booked from the waiting list for {waiting.patient_label} (referral {first}).</b>"
    )
    now_booked = cell_of(calendar, slot_id)
    assert now_booked.text() == f"Booked · new 45 min\n{waiting.patient_label}"
    with jo.db.sessions() as session:
        entries = dict(session.execute(
            sa.select(WaitingListEntry.id, WaitingListEntry.removed_at)
            .where(WaitingListEntry.id.in_([first_entry, second_entry]))
        ).all())  # fmt: skip
    assert entries[first_entry] is not None
    assert entries[second_entry] is None
    assert booked.appointment_id != now_booked.data(SlotRole).appointment_id

    # The new appointment goes to the patient's email as a calendar file (Ctrl+E).
    table.setCurrentItem(now_booked)
    target = tmp_path / "appointment.ics"
    calendar.export_ics(target)
    qtbot.waitUntil(target.exists, timeout=10_000)  # written whole, then renamed into place
    text = target.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert text.rstrip().endswith("END:VCALENDAR")
    qtbot.waitUntil(lambda: "Calendar file saved:" in calendar.ui.messageLabel.text())


def test_the_cancel_question_needs_who_asked_and_why(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    jo = make_desk("jo")
    with jo.db.sessions() as session:
        starts_at = session.scalar(sa.select(Slot.starts_at).where(Slot.state == "booked")
                                   .order_by(Slot.starts_at.desc()).limit(1))  # fmt: skip
    assert starts_at is not None
    slot = CalendarSlot(1, starts_at, starts_at + timedelta(minutes=45), 1, "LDW", 2, "Tom Okafor",
                        SlotState.BOOKED, booking.AppointmentType.NEW_PATIENT, False, None, 3, 4,
                        "GREEN, P")  # fmt: skip
    dialog = CancelAppointmentDialog(slot, may_block=True, parent=None)
    qtbot.addWidget(dialog)
    ui = dialog.ui
    assert "Cancel <b>GREEN, P</b>'s appointment on <b>" in ui.summaryLabel.text()
    assert not dialog.ok.isEnabled()
    assert ui.hintLabel.text() == "Still needed: who asked and the reason."
    qtbot.keyClicks(ui.reasonEdit, "Clinician off sick")
    assert not dialog.ok.isEnabled()
    assert not ui.blockCheck.isEnabled()  # only the service's own cancellations block
    ui.serviceRadio.setChecked(True)
    assert dialog.ok.isEnabled()
    assert ui.blockCheck.isEnabled()
    ui.blockCheck.setChecked(True)
    assert dialog.answer() == ("Clinician off sick", CancelInitiator.SERVICE, True)
    ui.patientRadio.setChecked(True)
    assert dialog.answer() == ("Clinician off sick", CancelInitiator.PATIENT, False)
    physio = CancelAppointmentDialog(slot, may_block=False, parent=None)
    qtbot.addWidget(physio)
    assert not physio.ui.blockCheck.isVisibleTo(physio)
