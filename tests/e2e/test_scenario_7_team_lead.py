"""Scenario 7, the afternoon: Tom goes home ill; Sam shares his list out across the three physios
on shift by capacity, previews and applies it, and each physio's worklist changes within two
seconds; Priya, a physio, cannot. At 16:30 Sam opens the dashboard, clicks the 48-hour bar to
see the referrals behind it, and exports the month's report as PDF for the commissioner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QSpinBox
from pytestqt.qtbot import QtBot

from physioline.clock import FrozenClock
from physioline.core.referral import OPEN_STATUSES
from physioline.db.engine import Database
from physioline.db.models import Referral, User
from physioline.errors import NotPermitted
from physioline.gui.dashboard import DashboardWindow, ReferralsBehindDialog
from physioline.gui.main_window import MainWindow
from physioline.gui.ops import wait_for_background
from physioline.gui.teamlead import ShareOutDialog, ShiftDialog
from physioline.services import teamlead, worklist
from physioline.services.desk import Desk
from physioline.services.kpi import Measure, Period
from physioline.services.startup import sign_in_demo_user

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def desks(demo_db: Database, clock: FrozenClock) -> Iterator[dict[str, Desk]]:
    clock.set(datetime(2026, 11, 23, 13, 0, tzinfo=LONDON))
    yield {
        name: Desk(db=demo_db, clock=clock, actor=sign_in_demo_user(demo_db, name))
        for name in ("sam", "priya", "marta", "daniel")
    }
    wait_for_background()


def open_window(qtbot: QtBot, desk: Desk) -> MainWindow:
    window = MainWindow(desk)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.worklist.model.loaded, timeout=10_000):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def ids(db: Database, username: str) -> dict[str, int]:
    with db.sessions() as session:
        return dict(session.execute(sa.select(User.username, User.id)).all())


def open_on_list(db: Database, clinician: int) -> set[int]:
    with db.sessions() as session:
        return set(
            session.scalars(
                sa.select(Referral.id).where(
                    Referral.assigned_to_id == clinician, Referral.status.in_(OPEN_STATUSES)
                )
            )
        )


def listed(window: MainWindow) -> set[int]:
    model = window.worklist.model
    return {r.referral_id for i in range(model.rowCount()) if (r := model.row_at(i)) is not None}


def test_scenario_7_the_team_lead_shares_out_a_sick_colleagues_list(
    qtbot: QtBot, demo_db: Database, desks: dict[str, Desk], tmp_path: Path, clock: FrozenClock
) -> None:
    user = ids(demo_db, "")
    tom, three = user["tom"], [user["priya"], user["marta"], user["daniel"]]
    # Each physio has their own list open on their own desk.
    physio_windows = {n: open_window(qtbot, desks[n]) for n in ("priya", "marta", "daniel")}
    sam = open_window(qtbot, desks["sam"])

    # 13:00, Tom goes home: Sam takes him off today's shift and gives the three physios
    # the afternoon's capacity.
    shifts = sam.team_lead.edit_shifts()
    assert isinstance(shifts, ShiftDialog)
    qtbot.waitUntil(lambda: shifts.table.rowCount() > 5, timeout=5000)
    duty = shifts.widget(shifts.row_of("Tom Okafor"), 1)
    assert isinstance(duty, QCheckBox)
    duty.setChecked(False)
    for name in ("Priya Shah", "Marta Kowalczyk", "Daniel Hughes"):
        capacity = shifts.widget(shifts.row_of(name), 4)
        assert isinstance(capacity, QSpinBox)
        capacity.setValue(capacity.value() + 10)
    with qtbot.waitSignal(shifts.saved, timeout=5000):
        qtbot.mouseClick(shifts.save_button, Qt.MouseButton.LeftButton)
    shifts.close()

    # A call Tom left open is never silently taken: Sam releases it first.
    with demo_db.sessions() as session:
        claimed = list(
            session.scalars(
                sa.select(Referral.id).where(
                    Referral.assigned_to_id == tom, Referral.claimed_by_id.is_not(None)
                )
            )
        )
    for rid in claimed:
        worklist.release_claim(desks["sam"], rid, reason="Tom went home ill")
    toms = open_on_list(demo_db, tom)
    assert toms

    # Sam selects Tom's list in the team list (Enter) and shares it out (Ctrl+Shift+S).
    team = sam.team_lead.team
    assert team is not None
    qtbot.waitUntil(lambda: team.item_for(user["priya"]) is not None, timeout=5000)
    sam.worklist.show_clinician(tom, "Tom Okafor")
    qtbot.waitUntil(lambda: listed(sam) == toms, timeout=5000)
    dialogs: list[ShareOutDialog] = []
    original = sam.team_lead.share_out

    def remember() -> ShareOutDialog:
        dialogs.append(original())
        return dialogs[-1]

    sam.ui.actionShareOut.triggered.disconnect()
    sam.ui.actionShareOut.triggered.connect(remember)
    sam.activateWindow()  # offscreen does not hand activation back after a dialog
    qtbot.waitUntil(sam.isActiveWindow, timeout=5000)
    sam.worklist.ui.tableView.setFocus()
    qtbot.keyClick(
        sam.worklist.ui.tableView,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: bool(dialogs), timeout=5000)
    dialog = dialogs[0]
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.team.count() > 0, timeout=5000)
    dialog.plan = None
    dialog.set_clinicians(three)  # the three physios on shift; Sam keeps her own list
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    plan = dialog.plan
    assert plan is not None
    # The preview: everyone of Tom's referrals placed, split by room (capacity - load).
    assert sorted(plan.versions) == sorted(toms)
    assert not plan.preview.left_over
    rooms = {s.clinician_id: s.clinician.room for s in plan.preview.shares}
    given = {s.clinician_id: len(s.referrals) for s in plan.preview.shares}
    assert set(given) == set(three)
    assert sum(given.values()) == len(toms)
    fullness = [s.load_after / s.clinician.capacity for s in plan.preview.shares]
    assert (
        max(fullness) - min(fullness)
        <= max(1 / s.clinician.capacity for s in plan.preview.shares) + 1e-9
    )
    assert max(rooms, key=lambda c: rooms[c]) == max(given, key=lambda c: given[c])

    with qtbot.waitSignal(dialog.applied, timeout=5000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    # Each physio's worklist changes within two seconds.
    for username, window in physio_windows.items():
        share = set(plan.preview.share_of(user[username]).referral_ids)
        qtbot.waitUntil(lambda w=window, s=share: s <= listed(w), timeout=2000)
    qtbot.waitUntil(lambda: not listed(sam), timeout=2000)
    assert open_on_list(demo_db, tom) == set()

    # Priya, signed in as a physio, cannot do this.
    priya_window = physio_windows["priya"]
    assert not priya_window.ui.actionShareOut.isEnabled()
    assert not priya_window.ui.actionReassign.isEnabled()
    with pytest.raises(NotPermitted, match=r"Your role \(physio\) may not share out referrals"):
        teamlead.preview_share_out(desks["priya"], from_clinician_id=user["marta"])
    with pytest.raises(NotPermitted):
        teamlead.reassign(
            desks["priya"], list(open_on_list(demo_db, user["marta"]))[:1], user["priya"]
        )

    # 16:30: the dashboard; the 48-hour bar of this week, clicked through to its referrals.
    clock.set(datetime(2026, 11, 23, 16, 30, tzinfo=LONDON))
    sam.activateWindow()
    qtbot.waitUntil(sam.isActiveWindow, timeout=5000)
    qtbot.keyClick(sam.worklist.ui.tableView, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dashboard = sam.team_lead.dashboard
    assert isinstance(dashboard, DashboardWindow)
    qtbot.waitUntil(lambda: dashboard.figures is not None, timeout=10_000)
    figures = dashboard.figures
    assert figures is not None
    this_week = figures.weeks[-1][1]
    assert dashboard.tiles["contact"].text().count("%") == 1 or this_week.contact_48h.of == 0
    bar = dashboard.contact_chart.chart().series()[0].barSets()[0]  # type: ignore[attr-defined]
    refs = dashboard.contact_chart.refs[bar.label()]
    assert refs[-1].measure == Measure.CONTACT_48H
    with qtbot.waitSignal(dashboard.drilled, timeout=5000) as opened:
        bar.clicked.emit(len(refs) - 2)  # last week's bar: every due time has passed
    behind = opened.args[0]
    assert isinstance(behind, ReferralsBehindDialog)
    last_week = figures.weeks[-2][1].contact_48h
    assert behind.table.rowCount() == last_week.of
    met = sum(behind.table.item(i, 0).text() == "yes" for i in range(behind.table.rowCount()))
    assert met == last_week.met
    behind.close()

    # The month's report as PDF for the commissioner.
    target = tmp_path / "november.pdf"
    saved: list[Path] = []
    dashboard.export("pdf", target, Period(date(2026, 11, 1), date(2026, 11, 30)), saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    assert target.read_bytes().startswith(b"%PDF")
    dashboard.close()
