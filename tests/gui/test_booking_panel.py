"""The booking panel and the clinic calendar, driven from the keyboard on the demo database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from physioline.clock import to_london
from physioline.core.due import london_date
from physioline.core.referral import AppointmentStatus, ReferralStatus, SlotState
from physioline.db.models import Appointment, Letter, Referral, Slot
from physioline.gui.booking_panel import BookingPanel, OfferRole
from physioline.gui.clinic_calendar import ClinicCalendarWindow, SlotRole
from physioline.gui.main_window import MainWindow
from physioline.services.booking import SlotOffer
from physioline.services.desk import Desk
from tests.fixtures.booking import signed_for_face_to_face

CTRL = Qt.KeyboardModifier.ControlModifier


def open_window(qtbot: QtBot, desk: Desk) -> MainWindow:
    window = MainWindow(desk)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.worklist.model.loaded, timeout=10_000):
        window.show()
    return window


def panel_after_sign_off(qtbot: QtBot, window: MainWindow, referral_id: int) -> BookingPanel:
    """The assessment signs off for routine face-to-face: the panel opens by itself, loaded."""
    with qtbot.waitSignal(window.bookings.opened, timeout=10_000) as opened:
        window.assessment_signed.emit(referral_id, "routine_f2f")
    panel = opened.args[0]
    assert isinstance(panel, BookingPanel)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=10_000)
    return panel


def shown_offers(panel: BookingPanel) -> list[SlotOffer]:
    return [index.data(OfferRole) for index in panel.offer_rows()]


def test_from_the_assessment_to_a_booked_slot_with_the_keyboard(
    qtbot: QtBot, make_desk: Callable[[str], Desk], tmp_path: Path
) -> None:
    desk = make_desk("priya")
    referral_id = signed_for_face_to_face(desk.db, desk.clock)  # type: ignore[arg-type]
    window = open_window(qtbot, desk)
    panel = panel_after_sign_off(qtbot, window, referral_id)
    view = panel.ui.slotsView
    assert QApplication.focusWidget() is view
    offers = shown_offers(panel)
    assert len(offers) == 20
    assert [o.starts_at for o in offers] == sorted(o.starts_at for o in offers)
    # Grouped by day: each heading names its day and is not a slot.
    first_day = london_date(offers[0].starts_at)
    on_first_day = sum(london_date(o.starts_at) == first_day for o in offers)
    assert panel.model.item(0).text() == f"{first_day:%A} {first_day.day} {first_day:%B} — " \
        f"{on_first_day} slots"  # fmt: skip
    assert panel.model.rowCount() == len({london_date(o.starts_at) for o in offers})
    assert panel.selected_offer() == offers[0]
    assert "Routine: seen by" in panel.ui.windowLabel.text()
    assert "20 slots shown" in panel.ui.messageLabel.text()

    # ↓ ↓ moves over the day headings to the third slot; Enter books it.
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    chosen = panel.selected_offer()
    assert chosen == offers[2]
    with qtbot.waitSignal(panel.booked, timeout=10_000) as booked:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert booked.args[0] == referral_id
    assert panel.ui.messageLabel.text().startswith("<b>Booked: ")
    assert not panel.ui.bookButton.isEnabled()
    with desk.db.sessions() as session:
        appointment = session.get(Appointment, booked.args[1])
        referral = session.get(Referral, referral_id)
        slot = session.get(Slot, chosen.slot_id)
        letter = session.scalar(sa.select(Letter).where(Letter.appointment_id == booked.args[1]))
    assert appointment is not None
    assert (appointment.slot_id, appointment.status) == (chosen.slot_id, AppointmentStatus.BOOKED)
    assert referral is not None
    assert referral.status == ReferralStatus.BOOKED
    assert slot is not None
    assert slot.state == SlotState.BOOKED
    assert letter is not None
    assert letter.kind == "appointment"
    # Enter again books nothing more.
    qtbot.keyClick(view, Qt.Key.Key_Return)
    # The calendar file for the patient's email.
    # Wait for the panel to say the file is saved, not for the file to appear: it is written
    # whole (a temporary file renamed over it), so it is complete once it exists at all.
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "appointment.ics"
    with qtbot.waitSignal(panel.ics_saved, timeout=5000) as saved:
        panel.export_ics(target)
    assert saved.args[0] == target
    text = target.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTART:" in text
    assert text.endswith("END:VCALENDAR\r\n")
    assert [p.name for p in target.parent.iterdir()] == ["appointment.ics"]  # no temporary left
    with desk.db.sessions() as session:
        live = session.scalar(sa.select(sa.func.count()).select_from(Appointment)
                              .where(Appointment.referral_id == referral_id))  # fmt: skip
    assert live == 1


def test_filters_narrow_and_nothing_fits_offers_the_slot_beyond(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    desk = make_desk("priya")
    referral_id = signed_for_face_to_face(desk.db, desk.clock)  # type: ignore[arg-type]
    window = open_window(qtbot, desk)
    panel = panel_after_sign_off(qtbot, window, referral_id)
    # Two clinics near the patient, afternoons and evenings (Space ticks them).
    clinics = panel.ui.clinicList
    first_two = [clinics.item(i).data(Qt.ItemDataRole.UserRole) for i in (0, 1)]
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        clinics.setFocus()
        for row in (0, 1):
            clinics.setCurrentRow(row)
            qtbot.keyClick(clinics, Qt.Key.Key_Space)
        qtbot.keyClick(panel.ui.afternoonCheck, Qt.Key.Key_Space)
        qtbot.keyClick(panel.ui.eveningCheck, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: panel.preferences().day_parts and bool(shown_offers(panel))
                    and all(to_london(o.starts_at).hour >= 12 for o in shown_offers(panel)),
                    timeout=10_000)  # fmt: skip
    offers = shown_offers(panel)
    assert {o.clinic_id for o in offers} <= set(first_two)
    # Sundays only: nothing in the window; said plainly, with the waiting list offered.
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        qtbot.keyClick(panel.ui.sunCheck, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.nothing_fits, timeout=10_000)
    assert "Nothing fits the target window" in panel.ui.messageLabel.text()
    assert "Ctrl+W adds to the waiting list" in panel.ui.messageLabel.text()
    assert shown_offers(panel) == []
    with qtbot.waitSignal(panel.ui.waitingButton.clicked, timeout=5000):
        panel.ui.waitingButton.click()
    qtbot.waitUntil(lambda: "On the waiting list for" in panel.ui.messageLabel.text(),
                    timeout=10_000)  # fmt: skip


def test_other_dispositions_do_not_open_the_panel(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    window = open_window(qtbot, make_desk("priya"))
    window.assessment_signed.emit(123, "self_management")
    window.assessment_signed.emit(124, "emergency")
    assert window.bookings.panels == {}
    # Ctrl+B with nothing selected says what to do.
    window.worklist.ui.tableView.clearSelection()
    window.worklist.ui.tableView.setCurrentIndex(window.worklist.model.index(-1, -1))
    window.bookings.open_selected()
    assert "Select a referral" in window.statusBar().currentMessage()


def test_calendar_for_the_booking_office(
    qtbot: QtBot, make_desk: Callable[[str], Desk], tmp_path: Path
) -> None:
    jo = make_desk("jo")
    window = open_window(qtbot, jo)
    assert window.ui.actionClinicCalendar.isEnabled()
    assert not window.ui.actionGenerateSlots.isEnabled()  # IT and team leads generate
    with qtbot.waitSignal(window.bookings.opened, timeout=10_000) as opened:
        window.ui.actionClinicCalendar.trigger()
    calendar = opened.args[0]
    assert isinstance(calendar, ClinicCalendarWindow)
    with jo.db.sessions() as session:
        booked = session.execute(
            sa.select(Slot.clinic_id, Slot.starts_at, Slot.id, Appointment.id)
            .join(Appointment, Appointment.slot_id == Slot.id)
            .where(Slot.state == "booked", Slot.starts_at > jo.clock.now())
            .order_by(Slot.starts_at).limit(1)
        ).one()  # fmt: skip
    with qtbot.waitSignal(calendar.loaded, timeout=10_000):
        calendar.show_entity("clinic", booked[0], london_date(booked[1]))
    cells = {calendar.ui.calendarTable.item(r, c).data(SlotRole).slot_id:
             calendar.ui.calendarTable.item(r, c)
             for r in range(calendar.ui.calendarTable.rowCount())
             for c in range(calendar.ui.calendarTable.columnCount())
             if calendar.ui.calendarTable.item(r, c) is not None}  # fmt: skip
    assert cells[booked[2]].text().startswith("Booked · new 45 min\n")
    assert "Free" in {item.text().split(" ·")[0] for item in cells.values()}
    free = next(item for item in cells.values() if item.text().startswith("Free")
                and item.data(SlotRole).starts_at > jo.clock.now())  # fmt: skip
    calendar.ui.calendarTable.setCurrentItem(free)
    with qtbot.waitSignal(calendar.loaded, timeout=10_000):
        calendar.block_selected("Clinician at a course")
    table = calendar.ui.calendarTable
    texts = [table.item(r, c).text() for r in range(table.rowCount())
             for c in range(table.columnCount()) if table.item(r, c) is not None]  # fmt: skip
    assert any(t.startswith("Blocked") and "Clinician at a course" in t for t in texts)
    assert calendar.ui.countsLabel.text().endswith("Blocked 1")
    # PgDn moves a week on.
    first = calendar.first_day
    with qtbot.waitSignal(calendar.loaded, timeout=10_000):
        calendar.page(1)
    assert calendar.first_day == first + timedelta(days=7)
