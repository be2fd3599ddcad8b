"""The main window on the demo database: the worklist a physio sees at 08:55 on a Monday."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from physioline.core.referral import ReferralStatus
from physioline.gui import main_window
from physioline.gui.main_window import MainWindow
from physioline.gui.memory import freeze_start_up_objects
from physioline.gui.models.worklist import ROW_ROLE, WorklistModel
from physioline.services.desk import Desk
from physioline.services.queries import Scope


def open_window(qtbot: QtBot, desk: Desk) -> MainWindow:
    window = MainWindow(desk)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.worklist.model.loaded, timeout=10_000):
        window.show()
    return window


def test_opens_on_my_worklist_most_urgent_first(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    window = open_window(qtbot, make_desk("priya"))
    model = window.worklist.model
    assert window.worklist.current_filter().scope == Scope.MINE
    assert model.rowCount() > 0
    rows = [model.row_at(i) for i in range(model.rowCount())]
    assert all(r is not None and r.assigned_to == "Priya Shah" for r in rows)
    dues = [r.due_at for r in rows if r is not None]
    assert dues == sorted(dues)
    assert all(r is not None and r.status.is_open for r in rows)
    status_text = " ".join(label.text() for label in (window.user_label, window.database_label))
    assert "Priya Shah" in status_text
    assert "physio" in status_text
    assert "SQLite" in status_text or "PostgreSQL" in status_text
    qtbot.waitUntil(lambda: "due today" in window.worklist.ui.countsLabel.text(), timeout=5000)


def test_overdue_rows_are_marked_by_text_not_only_colour(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    window = open_window(qtbot, make_desk("sam"))  # a team lead sees the whole team
    model = window.worklist.model
    now = window.desk.clock.now()
    overdue = [i for i in range(model.rowCount()) if (r := model.row_at(i)) and r.due_at < now]
    assert overdue, "the demo has overdue referrals"
    text = model.index(overdue[0], WorklistModel.DUE).data()
    assert text.startswith("⚠ OVERDUE")
    assert model.index(overdue[0], WorklistModel.DUE).data(Qt.ItemDataRole.BackgroundRole)


def test_search_narrows_and_escape_clears(qtbot: QtBot, make_desk: Callable[[str], Desk]) -> None:
    window = open_window(qtbot, make_desk("sam"))
    model = window.worklist.model
    everyone = model.rowCount()
    target = model.row_at(5)
    assert target is not None
    fragment = target.family_name[:4]
    with qtbot.waitSignal(model.loaded, timeout=5000):
        qtbot.keyClicks(window.worklist.ui.searchEdit, fragment)
    assert 0 < model.rowCount() < everyone
    for i in range(model.rowCount()):
        row = model.index(i, 0).data(ROW_ROLE)
        assert fragment.lower() in (row.patient_name.lower())
    with qtbot.waitSignal(model.loaded, timeout=5000):
        qtbot.keyClick(window.worklist.ui.searchEdit, Qt.Key.Key_Escape)
    assert window.worklist.ui.searchEdit.text() == ""
    assert model.rowCount() == everyone


def test_search_by_nhs_number_with_spaces(qtbot: QtBot, make_desk: Callable[[str], Desk]) -> None:
    window = open_window(qtbot, make_desk("sam"))
    model = window.worklist.model
    target = model.row_at(3)
    assert target is not None
    with qtbot.waitSignal(model.loaded, timeout=5000):
        qtbot.keyClicks(window.worklist.ui.searchEdit, target.nhs_number_formatted)
    assert [model.row_at(i).referral_id for i in range(model.rowCount())] == [target.referral_id]  # type: ignore[union-attr]


def test_selecting_a_row_shows_what_to_know_before_dialling(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    window = open_window(qtbot, make_desk("sam"))
    panel = window.worklist
    panel.ui.tableView.setFocus()
    panel.select_next_due()
    row = panel.model.row_at(panel.ui.tableView.currentIndex().row())
    assert row is not None
    assert row.status == ReferralStatus.AWAITING_CALL
    qtbot.waitUntil(lambda: panel.detail is not None, timeout=5000)
    assert panel.detail is not None
    html = panel.ui.detailBrowser.toPlainText()
    assert panel.detail.reason[:30] in html
    assert f"Age {row.age}" in html
    if panel.detail.preferred_phone:
        panel.copy_preferred_phone()
        from PySide6.QtGui import QGuiApplication

        assert QGuiApplication.clipboard().text() == panel.detail.preferred_phone.number
    else:
        assert "No phone — write to patient" in html


def test_worklist_model_passes_the_qt_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, make_desk: Callable[[str], Desk]
) -> None:
    window = open_window(qtbot, make_desk("sam"))
    qtmodeltester.check(window.worklist.model)


def test_after_its_first_rows_the_window_readies_the_orm_and_freezes_start_up_objects(
    qtbot: QtBot, make_desk: Callable[[str], Desk], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What start-up made is left out of garbage collection once it has painted (issue #6)."""
    done: list[str] = []
    monkeypatch.setattr(main_window, "prepare_orm", lambda: done.append("orm"))
    monkeypatch.setattr(main_window, "freeze_start_up_objects", lambda: done.append("freeze"))
    open_window(qtbot, make_desk("priya"))
    qtbot.waitUntil(lambda: done == ["orm", "freeze"], timeout=5000)


def test_start_up_objects_are_frozen_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen: list[int] = []
    monkeypatch.setattr(gc, "get_freeze_count", lambda: len(frozen))
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
    freeze_start_up_objects()
    freeze_start_up_objects()  # signed in again as someone else: nothing new to freeze
    assert frozen == [1]
