"""Driving the worklist from the keyboard: claim with Enter, record attempts with Ctrl+R + letter,
and colleagues' changes arriving live on another desk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from physioline.core.referral import LetterStatus, ReferralStatus
from physioline.db.models import Letter, Referral
from physioline.gui.main_window import MainWindow
from physioline.services import worklist
from physioline.services.desk import Desk
from physioline.services.queries import Scope


def open_window(qtbot: QtBot, desk: Desk) -> MainWindow:
    window = MainWindow(desk)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.worklist.model.loaded, timeout=10_000):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def select_unattempted(window: MainWindow) -> int:
    panel = window.worklist
    for i in range(panel.model.rowCount()):
        row = panel.model.row_at(i)
        if row and row.status == ReferralStatus.AWAITING_CALL and row.attempts == 0:
            panel.ui.tableView.setFocus()
            panel.ui.tableView.selectRow(i)
            return row.referral_id
    raise AssertionError("no unattempted referral on the list")


def answer_dialog_with(qtbot: QtBot, key: Qt.Key) -> None:
    """Press ``key`` in the modal dialog that is about to open."""

    def press() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, "the attempt dialog did not open"
        qtbot.keyClick(dialog, key)

    QTimer.singleShot(0, press)


def row_status(window: MainWindow, referral_id: int) -> ReferralStatus | None:
    position = window.worklist.model.row_of(referral_id)
    row = window.worklist.model.row_at(position) if position is not None else None
    return row.status if row else None


def test_enter_claims_and_the_row_says_who_is_on_the_call(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    window = open_window(qtbot, make_desk("priya"))
    referral_id = select_unattempted(window)
    qtbot.keyClick(window.worklist.ui.tableView, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: row_status(window, referral_id) == ReferralStatus.IN_CALL, timeout=5000)
    position = window.worklist.model.row_of(referral_id)
    assert position is not None
    status_text = window.worklist.model.index(position, 8).data()
    assert status_text.startswith("☎ In call: Priya Shah since 08:55")


def test_three_attempts_from_the_keyboard_lead_to_unable_to_contact(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    desk = make_desk("priya")
    desk.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London")))  # type: ignore[attr-defined]
    window = open_window(qtbot, desk)
    referral_id = select_unattempted(window)
    for step, key in enumerate((Qt.Key.Key_N, Qt.Key.Key_V, Qt.Key.Key_N)):
        window.activateWindow()  # offscreen does not hand activation back after a dialog
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        answer_dialog_with(qtbot, key)
        qtbot.keyClick(
            window.worklist.ui.tableView, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
        )
        if step < 2:
            qtbot.waitUntil(
                lambda n=step + 1: (
                    (p := window.worklist.model.row_of(referral_id)) is not None
                    and window.worklist.model.row_at(p).attempts == n  # type: ignore[union-attr]
                ),
                timeout=5000,
            )
            desk.clock.advance(timedelta(hours=3, minutes=45))  # type: ignore[attr-defined]
    # Unable to contact: the referral leaves the open worklist and a letter waits.
    qtbot.waitUntil(lambda: window.worklist.model.row_of(referral_id) is None, timeout=5000)
    assert "Unable to contact" in window.statusBar().currentMessage()
    with desk.db.sessions() as session:
        status = session.scalar(sa.select(Referral.status).where(Referral.id == referral_id))
        letter = session.scalar(sa.select(Letter).where(Letter.referral_id == referral_id))
    assert status == ReferralStatus.UNABLE_TO_CONTACT
    assert letter is not None
    assert letter.status in (LetterStatus.QUEUED, LetterStatus.HELD)


def test_filters_cut_rows_in_sql(qtbot: QtBot, make_desk: Callable[[str], Desk]) -> None:
    window = open_window(qtbot, make_desk("sam"))
    panel = window.worklist
    with qtbot.waitSignal(panel.model.loaded, timeout=5000):
        panel.ui.regionCombo.setCurrentIndex(panel.ui.regionCombo.findData("knee"))
    assert panel.model.rowCount() > 0
    assert {panel.model.row_at(i).body_region for i in range(panel.model.rowCount())} == {"knee"}  # type: ignore[union-attr]
    with qtbot.waitSignal(panel.model.loaded, timeout=5000):
        panel.ui.overdueCheck.setChecked(True)
    now = window.desk.clock.now()
    assert all(panel.model.row_at(i).due_at < now for i in range(panel.model.rowCount()))  # type: ignore[union-attr]
    with qtbot.waitSignal(panel.model.loaded, timeout=5000):
        panel.set_scope(Scope.UNASSIGNED)
    assert all(panel.model.row_at(i).assigned_to is None for i in range(panel.model.rowCount()))  # type: ignore[union-attr]


def test_a_colleagues_claim_shows_on_another_desk_within_two_seconds(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    sam = open_window(qtbot, make_desk("sam"))
    model = sam.worklist.model
    sam.worklist.ui.tableView.selectRow(3)
    selected_before = sam.worklist.selected_referral_id()
    target = next(
        model.row_at(i) for i in range(model.rowCount())
        if model.row_at(i).status == ReferralStatus.AWAITING_CALL  # type: ignore[union-attr]
        and model.row_at(i).referral_id != selected_before  # type: ignore[union-attr]
    )  # fmt: skip
    assert target is not None
    priya = make_desk("priya")  # another desk, its own connections
    worklist.claim_referral(priya, target.referral_id)
    qtbot.waitUntil(
        lambda: row_status(sam, target.referral_id) == ReferralStatus.IN_CALL, timeout=2000
    )
    assert sam.worklist.selected_referral_id() == selected_before  # selection stayed put
