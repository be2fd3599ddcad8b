"""Signing in with a password, the first administrator, and the screen lock that hides
patient data and gives everything back exactly as it was."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from physioline.clock import FrozenClock
from physioline.db.engine import Database
from physioline.gui.main_window import MainWindow
from physioline.gui.sign_in import FirstAdminDialog, SignInDialog
from physioline.services import identity
from physioline.services.demo import DEMO_PASSWORD
from physioline.services.desk import Desk


def test_sign_in_dialog_says_what_is_wrong_and_keeps_the_name(
    qtbot: QtBot, demo_db: Database, clock: FrozenClock
) -> None:
    dialog = SignInDialog("Database: demo", lambda u, p: identity.sign_in(demo_db, clock, u, p))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.usernameEdit, "priya")
    qtbot.keyClicks(dialog.ui.passwordEdit, "wrong password")
    qtbot.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
    assert dialog.actor is None
    assert "not right" in dialog.ui.messageLabel.text()
    assert dialog.ui.usernameEdit.text() == "priya"
    assert dialog.ui.passwordEdit.text() == ""
    qtbot.keyClicks(dialog.ui.passwordEdit, DEMO_PASSWORD)
    qtbot.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None
    assert dialog.actor.username == "priya"


def test_first_start_creates_an_administrator(
    qtbot: QtBot, db: Database, clock: FrozenClock
) -> None:
    dialog = FirstAdminDialog(
        "Database: new",
        lambda u, n, p: identity.create_first_admin(
            db, clock, username=u, display_name=n, password=p
        ),
    )
    qtbot.addWidget(dialog)
    assert dialog.ui.repeatEdit.isVisibleTo(dialog)
    dialog.ui.usernameEdit.setText("it")
    dialog.ui.displayNameEdit.setText("Alex IT")
    dialog.ui.passwordEdit.setText("a long enough password")
    dialog.ui.repeatEdit.setText("a long enough passworx")
    dialog.try_sign_in()
    assert "not the same" in dialog.ui.messageLabel.text()
    dialog.ui.repeatEdit.setText("a long enough password")
    dialog.try_sign_in()
    assert dialog.actor is not None
    assert identity.has_users(db)


def test_lock_hides_patient_data_and_unlock_restores_everything(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    desk = make_desk("priya")
    window = MainWindow(desk)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.worklist.model.loaded, timeout=10_000):
        window.show()
    other = QDialog()  # stands in for a half-filled form in its own window
    qtbot.addWidget(other)
    other.show()
    qtbot.keyClicks(window.worklist.ui.searchEdit, "half typed")
    window.lock()
    assert window.locked
    assert window.lock_screen.isVisible()
    assert not window.worklist.isVisible()
    assert not other.isVisible()
    assert not window.ui.actionRecordAttempt.isEnabled()
    window.lock_screen.password.setText("not my password")
    window.lock_screen.unlock_button.click()
    qtbot.waitUntil(lambda: "not your password" in window.lock_screen.message.text(), timeout=5000)
    assert window.locked
    window.lock_screen.password.setText(DEMO_PASSWORD)
    window.lock_screen.unlock_button.click()
    qtbot.waitUntil(lambda: not window.locked, timeout=5000)
    assert window.worklist.isVisible()
    assert other.isVisible()
    assert window.worklist.ui.searchEdit.text() == "half typed"
    assert window.ui.actionRecordAttempt.isEnabled()


def test_idle_time_locks_the_screen(qtbot: QtBot, make_desk: Callable[[str], Desk]) -> None:
    window = MainWindow(make_desk("priya"), idle_lock_minutes=1)
    qtbot.addWidget(window)
    window.show()
    window.idle_watch.timer.setInterval(50)  # a minute is too long for a test
    window.idle_watch.timer.start()
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert window.lock_screen.isVisible()


def test_ctrl_l_locks(qtbot: QtBot, make_desk: Callable[[str], Desk]) -> None:
    window = MainWindow(make_desk("tom"))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window.worklist.ui.tableView, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
