"""Scenario 2, no answer three times: each attempt in two keystrokes, visible on another desk,
then unable to contact: off the open worklist, with a letter waiting in the print queue."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from physioline.clock import FrozenClock
from physioline.core.referral import LetterStatus, ReferralStatus
from physioline.db.models import Letter, Referral
from physioline.services.queries import Scope
from tests.e2e.conftest import OpenDesk


def press_in_dialog(qtbot: QtBot, key: Qt.Key) -> None:
    QTimer.singleShot(0, lambda: qtbot.keyClick(QApplication.activeModalWidget(), key))


def test_three_failed_calls_lead_to_unable_to_contact(
    qtbot: QtBot, open_desk: OpenDesk, clock: FrozenClock
) -> None:
    clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London")))
    priya = open_desk("priya")
    tom = open_desk("tom")  # another desk, watching the team list
    with qtbot.waitSignal(tom.worklist.model.loaded, timeout=5000):
        tom.worklist.set_scope(Scope.TEAM)
    panel = priya.worklist
    model = panel.model
    target = next(i for i in range(model.rowCount())
                  if model.row_at(i).attempts == 0  # type: ignore[union-attr]
                  and model.row_at(i).status == ReferralStatus.AWAITING_CALL)  # type: ignore[union-attr]  # fmt: skip
    referral_id = model.row_at(target).referral_id  # type: ignore[union-attr]
    for attempt, gap in enumerate((timedelta(hours=3), timedelta(hours=4, minutes=30), None), 1):
        priya.activateWindow()
        qtbot.waitUntil(priya.isActiveWindow, timeout=5000)
        panel.ui.tableView.setFocus()
        row = model.row_of(referral_id)
        assert row is not None
        panel.ui.tableView.selectRow(row)
        press_in_dialog(qtbot, Qt.Key.Key_N)  # "no answer": Ctrl+R, N
        qtbot.keyClick(panel.ui.tableView, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        if gap is not None:
            # The attempt count shows on every desk within two seconds.
            def shows(n: int = attempt) -> bool:
                position = tom.worklist.model.row_of(referral_id)
                found = tom.worklist.model.row_at(position) if position is not None else None
                return found is not None and found.attempts == n

            qtbot.waitUntil(shows, timeout=2000)
            clock.advance(gap)
    qtbot.waitUntil(lambda: model.row_of(referral_id) is None, timeout=5000)
    qtbot.waitUntil(lambda: tom.worklist.model.row_of(referral_id) is None, timeout=2000)
    with priya.desk.db.sessions() as session:
        status = session.scalar(sa.select(Referral.status).where(Referral.id == referral_id))
        letter = session.scalar(sa.select(Letter).where(Letter.referral_id == referral_id))
    assert status == ReferralStatus.UNABLE_TO_CONTACT
    assert letter is not None
    assert letter.kind == "unable_to_contact"
    assert letter.status in (LetterStatus.QUEUED, LetterStatus.HELD)
