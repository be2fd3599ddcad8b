"""Scenarios 4 and 5: a booking during the call, and the slot just taken by a colleague.

4. Mr Green (lumbar), no red flags, STarT Back total 5 with psychosocial 2: medium risk,
   routine face-to-face. Priya signs off; the booking panel opens by itself with the earliest
   new-patient slots in the routine window across the clinics, by day. He works mornings: she
   ticks the two clinics nearest his postcode and afternoons and evenings; he picks Thursday
   evening at the second clinic; Enter books it. The appointment and advice letters are queued
   and the appointment shows on the clinic's calendar.
5. Tom offers the same slot to his patient and presses Enter a moment after Priya: he is told it
   was just taken by a colleague, sees the next nearest slots, and nothing of his is written.
"""

from __future__ import annotations

import sqlalchemy as sa
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from physioline.clock import FrozenClock, to_london
from physioline.core.due import london_date
from physioline.core.referral import LetterStatus, ReferralStatus, SlotState
from physioline.db.engine import Database
from physioline.db.models import Appointment, Clinic, Letter, Referral, Slot
from physioline.gui.booking_panel import BookingPanel
from physioline.gui.clinic_calendar import ClinicCalendarWindow, SlotRole
from physioline.gui.main_window import MainWindow
from physioline.services.booking import DayPart, SlotOffer
from tests.e2e.conftest import OpenDesk
from tests.fixtures.assessments import born_aged, open_referral, set_patient
from tests.fixtures.booking import signed_for_face_to_face
from tests.gui.assessment_driver import (
    CTRL,
    activate,
    answer,
    assign_to,
    current_row,
    focused,
    open_form_with_ctrl_o,
    press,
    select_referral,
)

ALT = Qt.KeyboardModifier.AltModifier
AGREE = {"sbt.1", "sbt.2", "sbt.3", "sbt.5", "sbt.6"}  # total 5, psychosocial (5-9) 2


def _wait_loaded(qtbot: QtBot, panel: BookingPanel) -> None:
    qtbot.waitUntil(lambda: panel.result is not None, timeout=10_000)


def _thursday_evening_at(panel: BookingPanel, clinic_id: int) -> bool:
    offer = panel.selected_offer()
    if offer is None:
        return False
    local = to_london(offer.starts_at)
    return offer.clinic_id == clinic_id and local.weekday() == 3 and local.hour >= 17


def _sign_off_mr_green(qtbot: QtBot, priya: MainWindow, referral_id: int) -> BookingPanel:
    """Priya's call with Mr Green from Ctrl+O to sign-off, all from the keyboard."""
    activate(qtbot, priya)
    select_referral(qtbot, priya, referral_id)
    form = open_form_with_ctrl_o(qtbot, priya)
    answer(qtbot, form, "general.age", "45")
    answer(qtbot, form, "general.trauma", "1")
    answer(qtbot, form, "general.notes", "")
    while (row := current_row(form)).item.is_red_flag_screening:
        answer(qtbot, form, row.item.id, "n")
    while focused() is not form.ui.dispositionList:
        item_id = current_row(form).item.id
        answer(qtbot, form, item_id, "2" if item_id == "sbt.9" else "y" if item_id in AGREE
               else "n")  # fmt: skip
    assert form.result.complete
    assert form.chosen_disposition().value == "routine_f2f"
    press(qtbot, Qt.Key.Key_I, CTRL)  # identity confirmed
    with qtbot.waitSignal(priya.bookings.opened, timeout=10_000) as opened, \
            qtbot.waitSignal(priya.assessment_signed, timeout=10_000) as signed:  # fmt: skip
        press(qtbot, Qt.Key.Key_Return, CTRL)
    assert signed.args == [referral_id, "routine_f2f"]
    panel = opened.args[0]
    assert isinstance(panel, BookingPanel)
    return panel


def test_scenario_4_a_booking_during_the_call(
    qtbot: QtBot, open_desk: OpenDesk, demo_db: Database, clock: FrozenClock
) -> None:
    referral_id = open_referral(demo_db, "lumbar")
    assign_to(demo_db, referral_id, "priya")
    set_patient(demo_db, referral_id, title="Mr", given_name="Michael", family_name="Green",
                date_of_birth=born_aged(45), postcode="SE6 4JX")  # fmt: skip
    priya = open_desk("priya")
    panel = _sign_off_mr_green(qtbot, priya, referral_id)

    # It opened by itself with the earliest new-patient slots in the routine window, by day.
    _wait_loaded(qtbot, panel)
    activate(qtbot, panel)
    assert panel.context is not None
    assert not panel.context.urgent
    assert panel.ui.windowLabel.text().startswith("<b>Routine: seen by ")
    offers = [i.data(Qt.ItemDataRole.UserRole + 1) for i in panel.offer_rows()]
    assert len(offers) == 20
    assert [o.starts_at for o in offers] == sorted(o.starts_at for o in offers)
    assert all(o.starts_at < panel.context.window_ends for o in offers)

    # The two clinics nearest SE6 (Alt+C, Space, Down, Space), afternoons and evenings.
    nearest = [c.clinic_id for c in panel.context.clinics[:2]]
    with demo_db.sessions() as session:
        codes = [session.scalar(sa.select(Clinic.code).where(Clinic.id == c)) for c in nearest]
    assert codes == ["CFD", "LDW"]
    qtbot.keyClick(panel.ui.slotsView, Qt.Key.Key_C, ALT)
    assert focused() is panel.ui.clinicList
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_T, ALT)
    assert focused() is panel.ui.morningCheck
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)
    assert panel.preferences().clinic_ids == frozenset(nearest)
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.query.preferences
                    == panel.preferences(), timeout=10_000)  # fmt: skip
    press(qtbot, Qt.Key.Key_S, ALT)
    assert focused() is panel.ui.slotsView
    shown: list[SlotOffer] = [i.data(Qt.ItemDataRole.UserRole + 1) for i in panel.offer_rows()]
    assert shown
    assert {o.clinic_id for o in shown} <= set(nearest)
    assert panel.preferences().day_parts == {DayPart.AFTERNOON, DayPart.EVENING}, (
        panel.preferences()
    )
    assert all(to_london(o.starts_at).hour >= 12 for o in shown)

    # He picks Thursday evening at the second clinic; one key books it.
    for _ in range(len(shown)):
        if _thursday_evening_at(panel, nearest[1]):
            break
        press(qtbot, Qt.Key.Key_Down)
    chosen = panel.selected_offer()
    assert chosen is not None
    assert _thursday_evening_at(panel, nearest[1])
    assert "Enter books it" in panel.ui.selectedLabel.text()
    with qtbot.waitSignal(panel.booked, timeout=10_000) as booked:
        press(qtbot, Qt.Key.Key_Return)
    appointment_id = booked.args[1]
    assert "Booked: " in panel.ui.messageLabel.text()

    with demo_db.sessions() as session:
        referral = session.get(Referral, referral_id)
        slot = session.get(Slot, chosen.slot_id)
        letters = dict(session.execute(
            sa.select(Letter.kind, Letter.status).where(Letter.referral_id == referral_id)
        ).all())  # fmt: skip
        appointment = session.get(Appointment, appointment_id)
    assert referral is not None
    assert referral.status == ReferralStatus.BOOKED
    assert slot is not None
    assert slot.state == SlotState.BOOKED
    assert appointment is not None
    assert appointment.slot_id == chosen.slot_id
    assert letters["appointment"] == LetterStatus.QUEUED
    assert letters["advice"] == LetterStatus.QUEUED

    # The appointment shows on the clinic's calendar (the booking office, Ctrl+K).
    jo = open_desk("jo")
    with qtbot.waitSignal(jo.bookings.opened, timeout=10_000) as opened:
        qtbot.keyClick(jo.worklist.ui.tableView, Qt.Key.Key_K, CTRL)
    calendar = opened.args[0]
    assert isinstance(calendar, ClinicCalendarWindow)
    qtbot.waitUntil(lambda: calendar.choices is not None, timeout=10_000)
    day = london_date(chosen.starts_at)
    with qtbot.waitSignal(calendar.loaded, timeout=10_000):
        calendar.show_entity("clinic", nearest[1], day, days=1)
    table = calendar.ui.calendarTable
    cells = [table.item(r, 0) for r in range(table.rowCount()) if table.item(r, 0) is not None]
    mine = [c for c in cells if c.data(SlotRole).slot_id == chosen.slot_id]
    assert len(mine) == 1
    assert mine[0].text().startswith("Booked · new 45 min\nGREEN, M")


def test_scenario_5_the_slot_just_taken(
    qtbot: QtBot, open_desk: OpenDesk, demo_db: Database, clock: FrozenClock
) -> None:
    hers = signed_for_face_to_face(demo_db, clock, username="priya")
    his = signed_for_face_to_face(demo_db, clock, username="tom")
    priya, tom = open_desk("priya"), open_desk("tom")
    panels: list[BookingPanel] = []
    for window, referral_id in ((priya, hers), (tom, his)):
        with qtbot.waitSignal(window.bookings.opened, timeout=10_000) as opened:
            window.assessment_signed.emit(referral_id, "routine_f2f")
        panels.append(opened.args[0])
    for panel in panels:
        _wait_loaded(qtbot, panel)
    her_panel, his_panel = panels
    # Both desks are offering the same (earliest) slot.
    offer = her_panel.selected_offer()
    assert offer is not None
    assert his_panel.selected_offer() == offer
    with demo_db.sessions() as session:
        written_before = (
            session.scalar(sa.select(sa.func.count()).select_from(Appointment)),
            session.scalar(sa.select(sa.func.count()).select_from(Letter)),
        )

    # Priya presses Enter first; Tom a moment later.
    activate(qtbot, her_panel)
    with qtbot.waitSignal(her_panel.booked, timeout=10_000):
        qtbot.keyClick(her_panel.ui.slotsView, Qt.Key.Key_Return)
    activate(qtbot, his_panel)
    with qtbot.waitSignal(his_panel.loaded, timeout=10_000):
        qtbot.keyClick(his_panel.ui.slotsView, Qt.Key.Key_Return)

    message = his_panel.ui.messageLabel.text()
    assert "Just taken by a colleague" in message
    assert "Nothing was saved" in message
    assert "next nearest slots" in message
    nearest = his_panel.selected_offer()
    assert nearest is not None
    assert nearest.slot_id != offer.slot_id
    assert nearest.starts_at >= offer.starts_at
    assert offer.slot_id not in {i.data(Qt.ItemDataRole.UserRole + 1).slot_id
                                 for i in his_panel.offer_rows()}  # fmt: skip
    assert his_panel.ui.bookButton.isEnabled()  # he can offer the next one at once
    with demo_db.sessions() as session:
        his_status = session.scalar(sa.select(Referral.status).where(Referral.id == his))
        written_after = (
            session.scalar(sa.select(sa.func.count()).select_from(Appointment)),
            session.scalar(sa.select(sa.func.count()).select_from(Letter)),
        )
        live = session.scalar(sa.select(sa.func.count()).select_from(Appointment).where(
            Appointment.slot_id == offer.slot_id))  # fmt: skip
    assert his_status == ReferralStatus.TRIAGED
    assert written_after == (written_before[0] + 1, written_before[1] + 1)  # Priya's only
    assert live == 1
