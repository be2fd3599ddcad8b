"""Driving the triage form from the keyboard alone, as a physio does on a call (test helper)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from physioline.db.engine import Database
from physioline.db.models import Referral, User
from physioline.gui.assessment_questions import QuestionRow
from physioline.gui.assessment_window import AssessmentWindow
from physioline.gui.main_window import MainWindow
from physioline.services.desk import Desk

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def close_forms_afterwards() -> Iterator[None]:
    """No triage form outlives its test (it would stay a visible window for the next ones)."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, AssessmentWindow) and shiboken6.isValid(widget):
            widget.close_without_asking()


def assign_to(db: Database, referral_id: int, username: str) -> None:
    """Put the referral on ``username``'s own worklist."""
    with db.sessions() as session:
        user_id = session.scalar(sa.select(User.id).where(User.username == username))
        referral = session.get(Referral, referral_id)
        assert referral is not None
        referral.assigned_to_id = user_id
        session.commit()


def open_main_window(qtbot: QtBot, desk: Desk) -> MainWindow:
    window = MainWindow(desk)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.worklist.model.loaded, timeout=10_000):
        window.show()
    activate(qtbot, window)
    return window


def activate(qtbot: QtBot, widget: QWidget) -> None:
    """Offscreen, activation is not handed back after a dialog or another window: ask for it."""
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=5000)


def select_referral(qtbot: QtBot, window: MainWindow, referral_id: int) -> None:
    panel = window.worklist
    qtbot.waitUntil(lambda: panel.model.row_of(referral_id) is not None, timeout=5000)
    row = panel.model.row_of(referral_id)
    assert row is not None
    panel.ui.tableView.setFocus()
    panel.ui.tableView.selectRow(row)
    assert panel.selected_referral_id() == referral_id


def open_form_with_ctrl_o(qtbot: QtBot, window: MainWindow) -> AssessmentWindow:
    """Ctrl+O on the worklist opens (and claims) the selected referral's form."""
    with qtbot.waitSignal(window.assessments.opened, timeout=10_000) as opened:
        qtbot.keyClick(window.worklist.ui.tableView, Qt.Key.Key_O, CTRL)
    form = opened.args[0]
    assert isinstance(form, AssessmentWindow)
    # Not qtbot.addWidget: the form deletes itself on close and dies with the main window.
    activate(qtbot, form)
    return form


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def current_row(form: AssessmentWindow) -> QuestionRow:
    """The question the cursor is on."""
    widget = focused()
    for row in form.rows:
        if widget is row or widget is row.editor:
            return row
    raise AssertionError(f"the cursor is not on a question but on {widget.objectName()!r}")


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """Press a key wherever the keyboard focus is."""
    qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def answer(qtbot: QtBot, form: AssessmentWindow, item_id: str, keys: str) -> None:
    """Answer the current question, which must be ``item_id``, by typing ``keys``."""
    row = current_row(form)
    assert row.item.id == item_id, f"expected to be on {item_id}, but on {row.item.id}"
    if row.editor is not None:
        type_text(qtbot, keys)
        press(qtbot, Qt.Key.Key_Return)
    else:
        press(qtbot, Qt.Key(ord(keys.upper())))


def when_dialog_opens(qtbot: QtBot, act: object) -> None:
    """Run ``act(dialog)`` on the modal dialog about to open (it runs inside exec())."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, run)
            return
        try:
            act(dialog)  # type: ignore[operator]
        except BaseException:
            dialog.close()  # never leave a test waiting on a dialog nobody will answer
            raise

    QTimer.singleShot(0, run)
