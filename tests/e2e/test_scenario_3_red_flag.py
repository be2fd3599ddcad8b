"""Scenario 3, a red flag on the phone: Priya claims the call, Tom is told she has it, the lumbar
form opens at the first question, saddle anaesthesia raises rf.cauda_equina with its action word
for word on a panel that cannot be dismissed, she signs off, the GP letter is queued and the
referral leaves her open worklist."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from physioline.clock import FrozenClock
from physioline.core.referral import AssessmentState, LetterStatus, ReferralStatus
from physioline.db.engine import Database
from physioline.db.models import Assessment, Letter, Referral
from physioline.services.queries import Scope
from tests.e2e.conftest import OpenDesk
from tests.fixtures.assessments import born_aged, open_referral, set_patient
from tests.gui.assessment_driver import (
    CTRL,
    activate,
    answer,
    assign_to,
    close_forms_afterwards,  # noqa: F401 - an autouse fixture: forms close after each test
    current_row,
    focused,
    open_form_with_ctrl_o,
    press,
    select_referral,
    when_dialog_opens,
)

ACTION = "Go to A&E now for an emergency MRI; do not wait."


def test_a_red_flag_on_the_phone(
    qtbot: QtBot, open_desk: OpenDesk, demo_db: Database, clock: FrozenClock
) -> None:
    referral_id = open_referral(demo_db, "lumbar")
    assign_to(demo_db, referral_id, "priya")
    set_patient(
        demo_db, referral_id, title="Mrs", family_name="Kowalski", date_of_birth=born_aged(58)
    )
    clock.set(datetime(2026, 11, 23, 9, 12, tzinfo=ZoneInfo("Europe/London")))
    priya = open_desk("priya")
    tom = open_desk("tom")
    with qtbot.waitSignal(tom.worklist.model.loaded, timeout=5000):
        tom.worklist.set_scope(Scope.TEAM)

    # Priya claims the referral with Enter.
    activate(qtbot, priya)
    select_referral(qtbot, priya, referral_id)
    with qtbot.waitSignal(priya.worklist.claimed, timeout=5000):
        qtbot.keyClick(priya.worklist.ui.tableView, Qt.Key.Key_Return)

    # Tom, a second later, cannot start a second call: he is told who is on it and since when.
    activate(qtbot, tom)
    select_referral(qtbot, tom, referral_id)
    told: list[str] = []

    def read_and_close(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        told.append(box.text())
        box.accept()

    when_dialog_opens(qtbot, read_and_close)
    qtbot.keyClick(tom.worklist.ui.tableView, Qt.Key.Key_O, CTRL)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert "Priya Shah is on a call with this patient since 09:12" in told[0]
    assert not tom.assessments.forms

    # Priya opens the lumbar form: it starts at the first question.
    activate(qtbot, priya)
    select_referral(qtbot, priya, referral_id)
    form = open_form_with_ctrl_o(qtbot, priya)
    assert form.protocol.id == "lumbar"
    assert "Kowalski" in form.ui.patientLabel.text()
    assert current_row(form).item.id == "general.age"
    answer(qtbot, form, "general.age", "58")
    answer(qtbot, form, "general.trauma", "1")
    answer(qtbot, form, "general.notes", "")
    for item_id in (
        "general.history_of_cancer",
        "general.unexplained_weight_loss",
        "general.non_mechanical_pain",
        "general.fever_or_unwell",
        "general.infection_risk",
        "general.osteoporosis_or_steroids",
        "lumbar.bilateral_leg_symptoms",
    ):
        answer(qtbot, form, item_id, "n")
    panel = form.red_flag_panel
    assert panel.standing == ()
    answer(qtbot, form, "lumbar.saddle_anaesthesia", "y")

    # The red flag stands with its mandated action word for word; the recommendation follows.
    assert [rule.id for rule in panel.standing] == ["rf.cauda_equina"]
    assert panel.action_texts() == [ACTION]
    assert (form.result.disposition.value, str(form.result.destination)) == (
        "emergency",
        "emergency_department",
    )
    assert "EMERGENCY" in form.ui.recommendationLabel.text()
    # It cannot be dismissed: no button to press, Escape and hiding do nothing.
    assert panel.findChildren(QAbstractButton) == []
    press(qtbot, Qt.Key.Key_Escape)
    panel.hide()
    assert panel.isVisible()

    # The rest of the screen, then the STarT Back questions, all from the keyboard.
    while (row := current_row(form)).item.is_red_flag_screening:
        answer(qtbot, form, row.item.id, "n")
    while focused() is not form.ui.dispositionList:
        row = current_row(form)
        answer(qtbot, form, row.item.id, "1" if row.item.id == "sbt.9" else "n")
    assert form.result.complete
    assert form.chosen_disposition().value == "emergency"
    assert form.chosen_destination() is not None
    assert panel.isVisible()
    assert panel.action_texts() == [ACTION]

    # She reads the action out and signs off.
    press(qtbot, Qt.Key.Key_I, CTRL)
    with qtbot.waitSignal(priya.assessment_signed, timeout=10_000) as signed:
        press(qtbot, Qt.Key.Key_Return, CTRL)
    assert signed.args == [referral_id, "emergency"]
    assert "Emergency care today" in form.ui.signedLabel.text()

    with demo_db.sessions() as session:
        record = session.scalar(sa.select(Assessment).where(Assessment.referral_id == referral_id))
        referral = session.get(Referral, referral_id)
        gp_letter = session.scalar(
            sa.select(Letter).where(Letter.referral_id == referral_id, Letter.kind == "gp")
        )
    assert record is not None
    assert record.state == AssessmentState.SIGNED
    assert record.red_flags == ["rf.cauda_equina"]
    assert (record.chosen_disposition, record.destination) == ("emergency", "emergency_department")
    assert gp_letter is not None
    assert gp_letter.status == LetterStatus.QUEUED
    assert gp_letter.assessment_id == record.id
    assert referral is not None
    assert referral.status == ReferralStatus.TRIAGED  # sent to A&E; off the worklist
    assert referral.claimed_by_id is None
    # The referral leaves her open worklist, on her desk and on Tom's.
    qtbot.waitUntil(lambda: priya.worklist.model.row_of(referral_id) is None, timeout=5000)
    qtbot.waitUntil(lambda: tom.worklist.model.row_of(referral_id) is None, timeout=5000)
