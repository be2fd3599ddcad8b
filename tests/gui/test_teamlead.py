"""The team lead's desk: a clinician's whole list reassigned by drag-and-drop and by keyboard,
share-out applied from its dialog, shifts edited, the dashboard clicked through."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QListWidget
from pytestqt.qtbot import QtBot

from physioline.core.referral import OPEN_STATUSES
from physioline.db.engine import Database
from physioline.db.models import Referral, User
from physioline.gui.dashboard import DashboardWindow, ReferralsBehindDialog
from physioline.gui.main_window import MainWindow
from physioline.gui.teamlead import CLINICIAN_ROLE, ShareOutDialog, ShiftDialog, TeamList
from physioline.services import teamlead, worklist
from physioline.services.desk import Desk
from physioline.services.kpi import Measure

MakeDesk = Callable[[str], Desk]


def open_window(qtbot: QtBot, desk: Desk) -> MainWindow:
    window = MainWindow(desk)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.worklist.model.loaded, timeout=10_000):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def uid(db: Database, username: str) -> int:
    with db.sessions() as session:
        found = session.scalar(sa.select(User.id).where(User.username == username))
    assert found is not None
    return found


def open_ids(db: Database, clinician: int) -> set[int]:
    with db.sessions() as session:
        return set(
            session.scalars(
                sa.select(Referral.id).where(
                    Referral.assigned_to_id == clinician, Referral.status.in_(OPEN_STATUSES)
                )
            )
        )


def release_claims(desk: Desk, db: Database, clinician: int) -> None:
    with db.sessions() as session:
        claimed = list(
            session.scalars(
                sa.select(Referral.id).where(
                    Referral.assigned_to_id == clinician, Referral.claimed_by_id.is_not(None)
                )
            )
        )
    for rid in claimed:
        worklist.release_claim(desk, rid, reason="went home")


def team_list(window: MainWindow, qtbot: QtBot) -> TeamList:
    team = window.team_lead.team
    assert team is not None
    qtbot.waitUntil(lambda: team.count() > 1, timeout=5000)
    return team


def show_list_of(window: MainWindow, qtbot: QtBot, clinician: int) -> None:
    """Open a clinician's list from the team list with the keyboard (Enter)."""
    team = team_list(window, qtbot)
    item = team.item_for(clinician)
    assert item is not None
    team.setFocus()
    team.setCurrentItem(item)
    with qtbot.waitSignal(window.worklist.model.loaded, timeout=5000):
        qtbot.keyClick(team, Qt.Key.Key_Return)


def test_drag_a_clinicians_whole_list_onto_a_colleague(
    qtbot: QtBot, make_desk: MakeDesk, demo_db: Database
) -> None:
    sam = make_desk("sam")
    tom, marta = uid(demo_db, "tom"), uid(demo_db, "marta")
    release_claims(sam, demo_db, tom)
    toms = open_ids(demo_db, tom)
    window = open_window(qtbot, sam)
    show_list_of(window, qtbot, tom)
    table = window.worklist.ui.tableView
    assert window.worklist.model.rowCount() == len(toms)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    assert set(window.worklist.selected_referral_ids()) == toms
    data = window.worklist.model.mimeData(table.selectionModel().selectedIndexes())
    team = team_list(window, qtbot)
    target = team.item_for(marta)
    assert target is not None
    at = team.visualItemRect(target).center()
    actions, left = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    for event in (
        QDragEnterEvent(at, actions, data, left, none),  # a QPoint up to Qt 6.11
        QDragMoveEvent(at, actions, data, left, none),
        QDropEvent(at.toPointF(), actions, data, left, none),
    ):
        QApplication.sendEvent(team.viewport(), event)
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == 0, timeout=5000)
    assert open_ids(demo_db, tom) == set()
    assert toms <= open_ids(demo_db, marta)
    assert "moved to Marta Kowalczyk" in window.statusBar().currentMessage()


def test_reassign_a_whole_list_from_the_keyboard(
    qtbot: QtBot, make_desk: MakeDesk, demo_db: Database
) -> None:
    sam = make_desk("sam")
    tom, daniel = uid(demo_db, "tom"), uid(demo_db, "daniel")
    release_claims(sam, demo_db, tom)
    toms = open_ids(demo_db, tom)
    window = open_window(qtbot, sam)
    show_list_of(window, qtbot, tom)
    table = window.worklist.ui.tableView
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)

    qtbot.keyClick(
        table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = QApplication.activeModalWidget()
    assert dialog is not None, "the reassign dialog did not open"
    dialog.activateWindow()  # offscreen hands focus to a new dialog only when asked
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    targets = dialog.findChild(QListWidget)
    assert targets is not None
    qtbot.waitUntil(targets.hasFocus, timeout=5000)
    while targets.currentItem().data(CLINICIAN_ROLE) != daniel:
        qtbot.keyClick(targets, Qt.Key.Key_Down)
    qtbot.keyClick(targets, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == 0, timeout=5000)
    assert toms <= open_ids(demo_db, daniel)


def test_a_physio_gets_no_team_lead_actions(qtbot: QtBot, make_desk: MakeDesk) -> None:
    window = open_window(qtbot, make_desk("priya"))
    for action in (
        window.ui.actionReassign,
        window.ui.actionShareOut,
        window.ui.actionShifts,
        window.ui.actionDashboard,
        window.ui.actionReport,
    ):
        assert not action.isEnabled()
    assert window.team_lead.team is None


def test_share_out_dialog_previews_and_applies(
    qtbot: QtBot, make_desk: MakeDesk, demo_db: Database
) -> None:
    sam = make_desk("sam")
    tom = uid(demo_db, "tom")
    three = [uid(demo_db, n) for n in ("priya", "marta", "daniel")]
    for clinician in three:
        teamlead.set_shift(sam, clinician, on_duty=True, capacity=40)
    release_claims(sam, demo_db, tom)
    toms = open_ids(demo_db, tom)
    window = open_window(qtbot, sam)
    show_list_of(window, qtbot, tom)
    dialog = window.team_lead.share_out()
    assert isinstance(dialog, ShareOutDialog)
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.team.count() > 0, timeout=5000)
    dialog.plan = None
    dialog.set_clinicians(three)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert dialog.plan is not None
    assert set(dialog.plan.names) == set(three)
    assert dialog.tree.topLevelItemCount() == 3
    with qtbot.waitSignal(dialog.applied, timeout=5000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == 0, timeout=5000)
    assert set().union(*(open_ids(demo_db, c) for c in three)) >= toms
    assert window.statusBar().currentMessage().startswith("Shared out: ")


def test_shift_dialog_takes_a_clinician_off_duty(
    qtbot: QtBot, make_desk: MakeDesk, demo_db: Database
) -> None:
    sam = make_desk("sam")
    window = open_window(qtbot, sam)
    dialog = window.team_lead.edit_shifts()
    assert isinstance(dialog, ShiftDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 5, timeout=5000)
    row = dialog.row_of("Tom Okafor")
    duty = dialog.widget(row, 1)
    duty.click()  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    rows = {r.display_name: r for r in teamlead.load_shifts(sam)}
    assert not rows["Tom Okafor"].on_duty
    team = team_list(window, qtbot)
    qtbot.waitUntil(lambda: team.item_for(uid(demo_db, "tom")) is None, timeout=5000)


def test_dashboard_figures_click_through_to_their_referrals(
    qtbot: QtBot, make_desk: MakeDesk
) -> None:
    window = open_window(qtbot, make_desk("sam"))
    dashboard = window.team_lead.open_dashboard()
    assert isinstance(dashboard, DashboardWindow)
    qtbot.addWidget(dashboard)
    qtbot.waitUntil(lambda: dashboard.figures is not None, timeout=10_000)
    # The 48-hour bar of the last complete week, clicked through.
    refs = dashboard.contact_chart.refs["48-hour contact"]
    assert all(r.measure == Measure.CONTACT_48H for r in refs)
    series = dashboard.contact_chart.chart().series()[0]
    bar = series.barSets()[0]  # type: ignore[attr-defined]
    with qtbot.waitSignal(dashboard.drilled, timeout=5000) as opened:
        bar.clicked.emit(len(refs) - 2)
    dialog = opened.args[0]
    assert isinstance(dialog, ReferralsBehindDialog)
    assert dialog.table.rowCount() > 0
    assert "48-hour contact" in dialog.summary.text()
    dialog.close()
    with qtbot.waitSignal(dashboard.drilled, timeout=5000) as opened:
        qtbot.mouseClick(dashboard.tiles["seen"], Qt.MouseButton.LeftButton)
    assert opened.args[0].table.rowCount() > 0
    opened.args[0].close()
