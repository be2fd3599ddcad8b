"""The triage form's draft: saved after each answer's repaint, and no change is ever lost.

The save of an answer is started once the form has repainted (so the key's frame never waits
for it) and runs off the GUI thread; answers given meanwhile are saved by the next save. Closing,
locking and signing out never leave a change unsaved.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from physioline.clock import FrozenClock
from physioline.db.engine import Database
from physioline.db.models import Assessment
from physioline.gui.assessment_window import AssessmentWindow, DraftSaver
from physioline.gui.main_window import MainWindow
from physioline.services import assessment
from physioline.services.assessment import DraftSaved
from physioline.services.desk import Desk
from tests.fixtures.assessments import open_referral
from tests.gui.assessment_driver import (
    CTRL,
    activate,
    assign_to,
    close_forms_afterwards,  # noqa: F401 - an autouse fixture: forms close after each test
    open_form_with_ctrl_o,
    open_main_window,
    press,
    select_referral,
)

SCREEN = (  # the first red-flag screening questions, in form order
    "general.history_of_cancer",
    "general.unexplained_weight_loss",
    "general.non_mechanical_pain",
    "general.fever_or_unwell",
    "general.infection_risk",
)


def start_lumbar_call(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> AssessmentWindow:
    """Priya opens a lumbar referral's form with Ctrl+O, the cursor on the first screening."""
    rid = open_referral(demo_db, "lumbar")
    assign_to(demo_db, rid, "priya")
    window = open_main_window(qtbot, make_desk("priya"))
    select_referral(qtbot, window, rid)
    form = open_form_with_ctrl_o(qtbot, window)
    form.rows_by_id[SCREEN[0]].setFocus()
    return form


def saved_answers(demo_db: Database, assessment_id: int) -> Mapping[str, object]:
    with demo_db.sessions() as session:
        found = session.get(Assessment, assessment_id)
        assert found is not None
        return dict(found.answers)


def stored_answers(demo_db: Database, form: AssessmentWindow) -> Mapping[str, object]:
    return saved_answers(demo_db, form.record.assessment_id)


class DialogWatch:
    """Records (and dismisses) any modal dialog that opens while it watches."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._check)
        self.timer.start()

    def _check(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            self.seen.append(dialog.windowTitle())
            dialog.close()

    def stop(self) -> None:
        self.timer.stop()


class SlowSaves:
    """Every draft save takes ``delay`` seconds on its thread, and is counted."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.saved: list[Mapping[str, object]] = []
        self.original = assessment.save_draft
        self.threads: set[int] = set()

    def __call__(
        self, desk: Desk, assessment_id: int, version: int, answers: Mapping[str, object]
    ) -> DraftSaved:
        self.threads.add(threading.get_ident())
        time.sleep(self.delay)
        done = self.original(desk, assessment_id, version, answers)
        self.saved.append(dict(answers))
        return done


@pytest.fixture
def slow_saves(monkeypatch: pytest.MonkeyPatch) -> SlowSaves:
    saves = SlowSaves(0.15)
    monkeypatch.setattr(assessment, "save_draft", saves)
    return saves


class Order(QObject):
    """The order in which the window repaints and the draft save starts."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[str] = []

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.UpdateRequest:
            self.log.append("paint")
        return False


def test_an_answer_is_saved_after_its_repaint_off_the_gui_thread(
    qtbot: QtBot,
    make_desk: Callable[[str], Desk],
    demo_db: Database,
    monkeypatch: pytest.MonkeyPatch,
    slow_saves: SlowSaves,
) -> None:
    order = Order()
    started = DraftSaver._start_after_paint

    def start(saver: DraftSaver) -> None:
        order.log.append("save")
        started(saver)

    monkeypatch.setattr(DraftSaver, "_start_after_paint", start)  # before the form connects it
    form = start_lumbar_call(qtbot, make_desk, demo_db)
    qtbot.waitUntil(lambda: not form.saver.busy, timeout=5000)
    form.installEventFilter(order)
    order.log.clear()
    press(qtbot, Qt.Key.Key_N)
    assert form.saver.scheduled  # the key is handled; its save has not started yet
    qtbot.waitUntil(lambda: "save" in order.log, timeout=5000)
    assert order.log.index("paint") < order.log.index("save")
    qtbot.waitUntil(lambda: not form.saver.busy, timeout=5000)
    assert stored_answers(demo_db, form) == {SCREEN[0]: False}
    assert threading.get_ident() not in slow_saves.threads
    form.removeEventFilter(order)


def test_answers_given_while_a_save_runs_are_all_saved_by_the_next_one(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database, slow_saves: SlowSaves
) -> None:
    form = start_lumbar_call(qtbot, make_desk, demo_db)
    for _ in SCREEN:
        press(qtbot, Qt.Key.Key_N)  # as fast as keys go: each save takes 150 ms
        qtbot.wait(20)
    qtbot.waitUntil(lambda: not form.saver.busy, timeout=10_000)
    expected = dict.fromkeys(SCREEN, False)
    assert dict(form.answers) == expected
    assert stored_answers(demo_db, form) == expected
    assert slow_saves.saved[-1] == expected  # the last save carried every answer
    assert len(slow_saves.saved) < len(SCREEN)  # coalesced, never a stale version
    assert form.saver.version == form.record.version + len(slow_saves.saved)


def test_closing_right_after_an_answer_saves_it_before_the_form_goes(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database, slow_saves: SlowSaves
) -> None:
    form = start_lumbar_call(qtbot, make_desk, demo_db)
    main = form.parentWidget()
    assert isinstance(main, MainWindow)
    assessment_id = form.record.assessment_id
    press(qtbot, Qt.Key.Key_N)
    press(qtbot, Qt.Key.Key_N)
    press(qtbot, Qt.Key.Key_W, CTRL)  # no red flag: nothing to ask
    assert not form.isVisible()
    qtbot.waitUntil(lambda: not main.assessments.forms, timeout=10_000)  # closed once saved
    assert saved_answers(demo_db, assessment_id) == {SCREEN[0]: False, SCREEN[1]: False}


def test_the_screen_lock_starts_a_waiting_save_at_once(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_lumbar_call(qtbot, make_desk, demo_db)
    main = form.parentWidget()
    assert isinstance(main, MainWindow)
    qtbot.waitUntil(lambda: not form.saver.busy, timeout=5000)
    press(qtbot, Qt.Key.Key_N)
    assert form.saver.scheduled
    main.lock()
    assert not form.isVisible()
    assert not form.saver.scheduled  # started when the lock hid the form, not left waiting
    qtbot.waitUntil(lambda: not form.saver.busy, timeout=5000)
    assert stored_answers(demo_db, form) == {SCREEN[0]: False}


def test_closing_without_asking_writes_every_change_first(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database, slow_saves: SlowSaves
) -> None:
    form = start_lumbar_call(qtbot, make_desk, demo_db)
    assessment_id = form.record.assessment_id
    form.rows_by_id["lumbar.saddle_anaesthesia"].setFocus()
    press(qtbot, Qt.Key.Key_Y)  # a red flag stands: close() would ask
    press(qtbot, Qt.Key.Key_N)
    press(qtbot, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: form.saver.running, timeout=5000)  # a save running, one waiting
    assert form.saver.busy
    watch = DialogWatch()
    form.close_without_asking()  # returns once everything is written
    watch.stop()
    assert watch.seen == []  # nothing was asked
    assert form.isHidden()
    with demo_db.sessions() as session:
        saved = session.get(Assessment, assessment_id)
        assert saved is not None
        assert saved.answers == {
            "lumbar.saddle_anaesthesia": True,
            "lumbar.bladder_dysfunction": False,
            "lumbar.bowel_dysfunction": False,
        }
        assert saved.red_flags == ["rf.cauda_equina"]


@pytest.mark.parametrize("how", ["menu", "lock screen"])
def test_signing_in_as_someone_else_closes_a_red_flag_form_without_asking(
    how: str,
    qtbot: QtBot,
    make_desk: Callable[[str], Desk],
    demo_db: Database,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    slow_saves: SlowSaves,
) -> None:
    """Priya has a red flag standing on an unsigned call and Tom signs in at her desk."""
    from physioline.gui import app

    rid = open_referral(demo_db, "lumbar")
    assign_to(demo_db, rid, "priya")
    main = MainWindow(make_desk("priya"))  # deleted by the sign-out, as in the app
    with qtbot.waitSignal(main.worklist.model.loaded, timeout=10_000):
        main.show()
    activate(qtbot, main)
    select_referral(qtbot, main, rid)
    form = open_form_with_ctrl_o(qtbot, main)
    assessment_id = form.record.assessment_id
    form.rows_by_id["lumbar.saddle_anaesthesia"].setFocus()
    press(qtbot, Qt.Key.Key_Y)  # rf.cauda_equina stands: closing the form would ask
    qtbot.waitUntil(lambda: form.saver.running, timeout=5000)
    press(qtbot, Qt.Key.Key_N)  # while that save is written: this one waits for it
    assert form.red_flag_panel.standing
    controller = app.DeskController.__new__(app.DeskController)  # the desk, without a database
    controller.clock, controller.window = clock, main
    signed_in: list[MainWindow] = []

    def tom_signs_in(*, username: str | None = None) -> MainWindow:
        window = MainWindow(make_desk("tom"))
        qtbot.addWidget(window)
        signed_in.append(window)
        return window

    monkeypatch.setattr(controller, "sign_in", tom_signs_in)
    main.sign_out_requested.connect(controller.switch_user)
    watch = DialogWatch()
    if how == "menu":
        main.ui.actionSignOut.trigger()
    else:
        main.lock()
        assert not form.isVisible()
        main.lock_screen.switch_button.click()
    watch.stop()
    assert watch.seen == []  # no "a red flag stands" question in the middle of signing out
    assert [w.desk.actor.username for w in signed_in if w.desk.actor] == ["tom"]
    qtbot.waitUntil(lambda: not shiboken6.isValid(form), timeout=5000)  # the form closed
    assert saved_answers(demo_db, assessment_id) == {
        "lumbar.saddle_anaesthesia": True,
        "lumbar.bladder_dysfunction": False,
    }
