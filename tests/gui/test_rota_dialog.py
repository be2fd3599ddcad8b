"""The rota screen: sessions and leave from the keyboard; refusals said plainly, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from physioline.core.due import london_date
from physioline.db.models import RotaException, RotaTemplate, Slot, User
from physioline.gui.main_window import MainWindow
from physioline.gui.rota_dialog import RotaDialog
from physioline.services.desk import Desk
from physioline.services.rota import RotaExceptionRow, RotaSessionRow
from tests.gui.test_booking_panel import open_window

ALT = Qt.KeyboardModifier.AltModifier


def counts(desk: Desk) -> tuple[int, int, int]:
    with desk.db.sessions() as session:
        return (
            session.scalar(sa.select(sa.func.count()).select_from(RotaTemplate)) or 0,
            session.scalar(sa.select(sa.func.count()).select_from(RotaException)) or 0,
            session.scalar(sa.select(sa.func.count()).select_from(Slot)) or 0,
        )


def open_rota(qtbot: QtBot, window: MainWindow) -> RotaDialog:
    """Clinics ▸ Rota, leave and closures; the dialog loaded."""
    assert window.ui.actionRota.isEnabled()
    window.ui.actionRota.trigger()
    dialog = window.findChild(RotaDialog)
    assert isinstance(dialog, RotaDialog)
    qtbot.addWidget(dialog)  # closed with the test: its Enter must not reach the next one
    qtbot.waitUntil(lambda: dialog.overview is not None, timeout=10_000)
    return dialog


def choose(combo: object, text: str) -> None:
    index = combo.findText(text)  # type: ignore[attr-defined]
    assert index >= 0, text
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_a_team_lead_adds_a_session_and_overlaps_are_refused_with_nothing_written(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    sam = make_desk("sam")
    window = open_window(qtbot, sam)
    dialog = open_rota(qtbot, window)
    ui = dialog.ui
    assert ui.sessionsTable.rowCount() == 22
    assert QApplication.focusWidget() is ui.sessionsTable
    assert "22 weekly sessions in force" in ui.messageLabel.text()
    # Show Marta's sessions: the form follows to her.
    choose(ui.filterCombo, "Marta Kowalczyk")
    assert ui.sessionsTable.rowCount() == 2
    assert ui.sessionClinicianCombo.currentText() == "Marta Kowalczyk"
    assert [ui.sessionsTable.item(r, 2).text() for r in range(2)] == ["13:30–17:15",
                                                                       "09:00–12:45"]  # fmt: skip

    # Monday 12:00-15:00 at Lee Green overlaps her Catford afternoon: Enter in the form.
    choose(ui.sessionClinicCombo, "Lee Green Physiotherapy Rooms (LEE)")
    ui.startsEdit.setTime(QTime(12, 0))
    ui.endsEdit.setTime(QTime(15, 0))
    assert ui.slotsLabel.text() == "= 4 slots a week"
    before = counts(sam)
    ui.endsEdit.setFocus()
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        qtbot.keyClick(ui.endsEdit, Qt.Key.Key_Return)
    assert refused.args[0] == (
        "Marta Kowalczyk has overlapping rota sessions on Monday: 13:30–17:15 at Catford "
        "Community Rehab Unit and 12:00–15:00 at Lee Green Physiotherapy Rooms."
    )
    assert ui.messageLabel.text().startswith("<b>Not saved: Marta Kowalczyk has overlapping")
    assert counts(sam) == before

    # An end before the start: said plainly, nothing written.
    choose(ui.weekdayCombo, "Tuesday")
    ui.endsEdit.setTime(QTime(11, 0))
    assert ui.slotsLabel.text() == "Ends before it starts"
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        qtbot.keyClick(ui.endsEdit, Qt.Key.Key_Return)
    assert "ends at 11:00, not after it starts at 12:00" in refused.args[0]
    assert counts(sam) == before

    # Tuesday 12:00-15:00 fits: added with its slots, and selected in the list.
    ui.endsEdit.setTime(QTime(15, 0))
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.keyClick(ui.endsEdit, Qt.Key.Key_Enter)
    assert ui.messageLabel.text().startswith(
        "<b>Saved. Session added: Marta Kowalczyk, Tuesdays 12:00–15:00 at Lee Green "
        "Physiotherapy Rooms.</b> Slots from"
    )
    templates, _, slots = counts(sam)
    assert templates == before[0] + 1
    assert slots > before[2]
    assert ui.sessionsTable.rowCount() == 3
    chosen = ui.sessionsTable.item(ui.sessionsTable.currentRow(), 0).data(Qt.ItemDataRole.UserRole
                                                                          + 1)  # fmt: skip
    assert isinstance(chosen, RotaSessionRow)
    assert (chosen.weekday, chosen.clinic_code) == (1, "LEE")

    # Del on the list ends the selected session, after a question.
    asked: list[str] = []
    dialog.confirm = lambda title, text: asked.append(text) or True  # type: ignore[func-returns-value]
    ui.sessionsTable.setFocus()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.keyClick(ui.sessionsTable, Qt.Key.Key_Delete)
    assert asked[0].startswith("End Marta Kowalczyk, Tuesdays 12:00–15:00 at Lee Green")
    assert "<b>Saved. Session ended: Marta Kowalczyk, Tuesdays" in ui.messageLabel.text()
    assert ui.sessionsTable.rowCount() == 2
    assert counts(sam) == before  # it never ran: gone with its slots


def test_leave_is_recorded_and_removed_from_the_keyboard(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    sam = make_desk("sam")
    dialog = open_rota(qtbot, open_window(qtbot, sam))
    ui = dialog.ui
    qtbot.keyClick(dialog, Qt.Key.Key_L, ALT)  # the second tab
    assert ui.tabs.currentWidget() is ui.exceptionsTab
    assert ui.exceptionsTable.rowCount() == 0
    # Leave shows the clinician, a closure the clinic: never both.
    assert ui.exceptionClinicianCombo.isVisibleTo(dialog)
    assert not ui.exceptionClinicCombo.isVisibleTo(dialog)
    choose(ui.kindCombo, "Closure (a clinic)")
    assert ui.exceptionClinicCombo.isVisibleTo(dialog)
    assert not ui.exceptionClinicianCombo.isVisibleTo(dialog)
    choose(ui.kindCombo, "Leave (a clinician)")

    with sam.db.sessions() as session:
        marta = session.scalar(sa.select(User.id).where(User.username == "marta"))
    monday = date(2026, 11, 30)

    def martas_free_on_monday() -> int:
        with sam.db.sessions() as session:
            return sum(
                london_date(at) == monday
                for at in session.scalars(sa.select(Slot.starts_at).where(
                    Slot.clinician_id == marta, Slot.state == "free"))
            )  # fmt: skip

    free = martas_free_on_monday()
    assert free > 0
    choose(ui.exceptionClinicianCombo, "Marta Kowalczyk")
    ui.firstDayEdit.setDate(QDate(2026, 11, 30))
    assert ui.lastDayEdit.date() == QDate(2026, 11, 30)  # follows the first day forward
    qtbot.keyClicks(ui.noteEdit, "Annual leave")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.keyClick(ui.noteEdit, Qt.Key.Key_Return)
    text = ui.messageLabel.text()
    assert text.startswith("<b>Saved. Leave recorded: Marta Kowalczyk, Mon 30 Nov 2026.</b>")
    assert f"{free} withdrawn" in text
    assert martas_free_on_monday() == 0
    assert ui.exceptionsTable.rowCount() == 1
    assert [ui.exceptionsTable.item(0, c).text() for c in range(5)] == [
        "Leave", "Marta Kowalczyk", "Mon 30 Nov 2026", "whole day", "Annual leave",
    ]  # fmt: skip
    entry = ui.exceptionsTable.item(0, 0).data(Qt.ItemDataRole.UserRole + 1)
    assert isinstance(entry, RotaExceptionRow)

    # Answering "no" removes nothing; "yes" gives the slots back.
    dialog.confirm = lambda _title, _text: False
    ui.exceptionsTable.setFocus()
    qtbot.keyClick(ui.exceptionsTable, Qt.Key.Key_Delete)
    assert ui.exceptionsTable.rowCount() == 1
    dialog.confirm = lambda _title, _text: True
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.keyClick(ui.exceptionsTable, Qt.Key.Key_Delete)
    assert "<b>Saved. Removed: Leave: Marta Kowalczyk, Mon 30 Nov 2026.</b>" in (
        ui.messageLabel.text()
    )
    assert ui.exceptionsTable.rowCount() == 0
    assert martas_free_on_monday() == free


def test_the_booking_office_cannot_open_the_rota_and_is_told_why(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    jo = make_desk("jo")
    window = open_window(qtbot, jo)
    assert not window.ui.actionRota.isEnabled()  # roles.md: team leads and IT edit rotas
    # Opened anyway (say the role changed while the window was open): the service refuses.
    dialog = RotaDialog(jo, window)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        dialog.start()
    assert refused.args[0] == "Your role (admin staff) may not see and change rotas."
    assert "Ask a team lead or system admin." in dialog.ui.messageLabel.text()
    assert not dialog.ui.sessionGroup.isEnabled()
    assert not dialog.ui.generateButton.isEnabled()


def test_every_field_is_reachable_with_tab_in_reading_order(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    window = MainWindow(make_desk("alex"))  # IT keeps rotas too (and sees no worklist)
    qtbot.addWidget(window)
    window.show()
    dialog = open_rota(qtbot, window)
    ui = dialog.ui
    expected: list[QWidget] = [
        ui.filterCombo, ui.sessionsTable, ui.endSessionButton, ui.sessionClinicianCombo,
        ui.sessionClinicCombo, ui.weekdayCombo, ui.startsEdit, ui.endsEdit, ui.typeCombo,
        ui.minutesSpin, ui.heldSpin, ui.validFromEdit, ui.untilCheck,
    ]  # fmt: skip
    ui.filterCombo.setFocus()
    seen: list[QWidget | None] = [QApplication.focusWidget()]
    for _ in range(40):  # Tab also steps through a time's or date's parts (Qt's way)
        if len(seen) == len(expected):
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is not seen[-1]:
            seen.append(QApplication.focusWidget())
    assert [w.objectName() if w else None for w in seen] == [w.objectName() for w in expected]
