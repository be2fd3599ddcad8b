"""The triage form driven from the keyboard alone: a whole call, red flags, downgrade, refusals."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDockWidget,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QWidget,
)
from pytestqt.qtbot import QtBot

from physioline.core.protocol import load_protocol
from physioline.core.referral import AssessmentState, LetterStatus, ReferralStatus
from physioline.db.engine import Database
from physioline.db.models import Assessment, AuditEvent, Letter, Referral
from physioline.gui.assessment_panel import RedFlagPanel
from physioline.gui.assessment_questions import QuestionRow, question_html
from physioline.gui.assessment_window import AssessmentWindow, DowngradeDialog
from physioline.paths import ui_dir
from physioline.services.desk import Desk
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
    open_main_window,
    press,
    select_referral,
    type_text,
    when_dialog_opens,
)

REPO = Path(__file__).resolve().parents[2]
CAUDA_EQUINA_ACTION = "Go to A&E now for an emergency MRI; do not wait."


def start_call(
    qtbot: QtBot,
    make_desk: Callable[[str], Desk],
    demo_db: Database,
    region: str,
    **patient: object,
) -> AssessmentWindow:
    """Priya selects a referral of ``region`` on her worklist and presses Ctrl+O."""
    rid = open_referral(demo_db, region)
    assign_to(demo_db, rid, "priya")
    if patient:
        set_patient(demo_db, rid, **patient)
    window = open_main_window(qtbot, make_desk("priya"))
    select_referral(qtbot, window, rid)
    form = open_form_with_ctrl_o(qtbot, window)
    assert form.record.referral_id == rid
    return form


def stored(demo_db: Database, form: AssessmentWindow) -> Assessment:
    with demo_db.sessions() as session:
        found = session.get(Assessment, form.record.assessment_id)
        assert found is not None
        return found


def test_a_whole_lumbar_call_from_the_keyboard_alone(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    """Scenario 4's call: no red flags, STarT Back total 5, psychosocial 2 → routine_f2f."""
    form = start_call(qtbot, make_desk, demo_db, "lumbar", date_of_birth=born_aged(48))
    main = form.parentWidget()
    assert current_row(form).item.id == "general.age"  # the form opens at the first question
    answer(qtbot, form, "general.age", "48")
    answer(qtbot, form, "general.trauma", "1")  # none
    answer(qtbot, form, "general.notes", "Lifting at work; worse sitting")
    for item_id in (
        "general.history_of_cancer",
        "general.unexplained_weight_loss",
        "general.non_mechanical_pain",
        "general.fever_or_unwell",
        "general.infection_risk",
        "general.osteoporosis_or_steroids",
        "lumbar.bilateral_leg_symptoms",
        "lumbar.saddle_anaesthesia",
        "lumbar.bladder_dysfunction",
        "lumbar.bowel_dysfunction",
        "lumbar.sexual_dysfunction",
        "lumbar.progressive_leg_weakness",
        "lumbar.one_leg_numbness_or_weakness",
        "lumbar.onset_before_45",
        "lumbar.duration_over_3_months",  # both gates no: the nine criteria stay hidden
    ):
        answer(qtbot, form, item_id, "n")
    assert form.result.complete
    for n, key in zip(range(1, 9), "yyynyynn", strict=True):
        answer(qtbot, form, f"sbt.{n}", key)
    answer(qtbot, form, "sbt.9", "2")  # slightly
    assert "total 5, psychosocial 2 → MEDIUM RISK" in form.ui.scoreLabel.text()
    assert focused() is form.ui.dispositionList  # after the last question: the decision
    assert form.chosen_disposition().value == "routine_f2f"  # the recommendation preselected
    assert form.red_flag_panel.standing == ()
    press(qtbot, Qt.Key.Key_I, CTRL)  # identity confirmed
    press(qtbot, Qt.Key.Key_Return)  # on to the notes
    type_text(qtbot, "Routine physio; works mornings.")
    with qtbot.waitSignal(main.assessment_signed, timeout=10_000) as signed:  # type: ignore[union-attr]
        press(qtbot, Qt.Key.Key_Return, CTRL)
    assert signed.args == [form.record.referral_id, "routine_f2f"]
    record = stored(demo_db, form)
    assert record.state == AssessmentState.SIGNED
    assert record.chosen_disposition == record.recommended_disposition == "routine_f2f"
    assert record.answers["general.notes"] == "Lifting at work; worse sitting"
    assert record.notes == "Routine physio; works mornings."
    assert record.scores == {"start_back": {"total": 5, "psychosocial": 2, "risk": "medium"}}
    with demo_db.sessions() as session:
        referral = session.get(Referral, form.record.referral_id)
        kinds = session.scalars(
            sa.select(Letter.kind).where(Letter.assessment_id == record.id)
        ).all()
    assert referral is not None
    assert referral.status == ReferralStatus.TRIAGED
    assert sorted(kinds) == ["advice", "gp"]
    assert "What happens next" in form.ui.signedLabel.text()
    assert "Ctrl+B" in form.ui.signedLabel.text()
    assert not form.ui.decisionFrame.isVisible()
    # The signed record no longer changes from the keyboard.
    form.rows_by_id["sbt.1"].setFocus()
    press(qtbot, Qt.Key.Key_N)
    assert form.rows_by_id["sbt.1"].value is True


def test_every_change_saves_the_draft(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_call(qtbot, make_desk, demo_db, "lumbar", date_of_birth=born_aged(70))
    answer(qtbot, form, "general.age", "70")
    answer(qtbot, form, "general.trauma", "2")  # minor: with age 70, rf.vertebral_fracture
    qtbot.waitUntil(lambda: not form.saver.busy, timeout=5000)
    record = stored(demo_db, form)
    assert record.answers == {"general.age": 70, "general.trauma": "minor"}
    assert record.red_flags == ["rf.vertebral_fracture"]
    assert record.recommended_disposition == "urgent_referral"
    form.rows_by_id["general.trauma"].setFocus()
    press(qtbot, Qt.Key.Key_Backspace)  # cleared: the flag goes
    qtbot.waitUntil(lambda: not form.saver.busy, timeout=5000)
    assert stored(demo_db, form).answers == {"general.age": 70}
    assert form.red_flag_panel.standing == ()


def test_several_red_flags_on_a_short_window_show_every_action_whole(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    """Four flags standing on the smallest window (640 px): no flag's text is squeezed, clipped
    or overlapped (H1). The recommendation and the decision scroll below the panel first;
    then the window grows, keeping them in sight too, and may not be made shorter while the
    flags stand."""
    form = start_call(qtbot, make_desk, demo_db, "lumbar")
    form.resize(form.minimumWidth(), form.minimumHeight())
    assert form.height() == 640
    for item_id in ("general.history_of_cancer", "lumbar.saddle_anaesthesia",
                    "lumbar.progressive_leg_weakness"):  # fmt: skip
        form.rows_by_id[item_id].setFocus()
        press(qtbot, Qt.Key.Key_Y)
    panel = form.red_flag_panel
    assert len(panel.standing) == 4
    qtbot.waitUntil(lambda: panel.height() >= panel.heightForWidth(panel.width()))
    assert form.minimumHeight() == form.height() > 640
    labels = [label for label in panel.findChildren(QLabel) if label.isVisibleTo(panel)]
    assert len(panel.action_texts()) == 4
    for label in labels:
        needed = label.heightForWidth(label.width()) if label.wordWrap() else 0
        assert label.height() >= needed, label.text()
    tops = sorted((label.y(), label.y() + label.height()) for label in labels)
    for (_, bottom), (top, _) in itertools.pairwise(tops):
        assert top >= bottom, "red-flag texts overlap"
    assert panel.geometry().bottom() <= form.ui.sideColumn.height()
    # Ctrl+D still reaches the decision, scrolled into view below the panel.
    form.focus_decision()
    decision = form.ui.dispositionList
    viewport = form.below_red_flags.viewport()
    shown = decision.rect().translated(decision.mapTo(viewport, decision.rect().topLeft()))
    assert viewport.height() >= 240  # the recommendation and the top of the decision
    assert shown.intersects(viewport.rect())  # in view, as much of it as fits
    # Every flag withdrawn: the window may be made small again.
    for item_id in ("general.history_of_cancer", "lumbar.saddle_anaesthesia",
                    "lumbar.progressive_leg_weakness"):  # fmt: skip
        form.rows_by_id[item_id].setFocus()
        press(qtbot, Qt.Key.Key_N)
    assert panel.standing == ()
    assert form.minimumHeight() == 640


@pytest.fixture
def app_style(qapp: QApplication) -> Iterator[None]:
    """The app's own style sheet, as the desk runs it (its fonts and padding size the form)."""
    before = qapp.styleSheet()
    qapp.setStyleSheet((ui_dir() / "style.qss").read_text(encoding="utf-8"))
    yield
    qapp.setStyleSheet(before)


@pytest.mark.usefixtures("app_style")
def test_a_red_flag_shows_its_action_word_for_word_and_cannot_be_dismissed(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    """Scenario 3: saddle anaesthesia → rf.cauda_equina, emergency / emergency_department."""
    form = start_call(qtbot, make_desk, demo_db, "lumbar")
    panel = form.red_flag_panel
    assert panel.isVisible()
    assert panel.standing == ()
    form.window().resize(1560, 960)  # room for the side column to widen, were it allowed to
    QApplication.processEvents()
    widths = form.ui.sideColumn.width(), form.ui.formContainer.width()
    form.rows_by_id["lumbar.saddle_anaesthesia"].setFocus()
    press(qtbot, Qt.Key.Key_Y)
    assert [rule.id for rule in panel.standing] == ["rf.cauda_equina"]
    assert panel.action_texts() == [CAUDA_EQUINA_ACTION]
    assert "RED FLAG STANDING: 1" in panel.title_label.text()
    assert form.result.disposition.value == "emergency"
    assert form.result.destination is not None
    assert form.result.destination.value == "emergency_department"
    assert "EMERGENCY" in form.ui.recommendationLabel.text()
    assert form.rows_by_id["lumbar.saddle_anaesthesia"].flagged  # marked on the question too
    # Not dismissible: no button of any kind, not in a splitter or dock, outside the scroll area.
    assert panel.findChildren(QAbstractButton) == []
    parent: QWidget | None = panel.parentWidget()
    while parent is not None:
        assert not isinstance(parent, QSplitter | QDockWidget | QScrollArea)
        parent = parent.parentWidget()
    panel.hide()
    panel.setVisible(False)
    assert not panel.close()
    press(qtbot, Qt.Key.Key_Escape)
    form.ui.formScroll.verticalScrollBar().setValue(
        form.ui.formScroll.verticalScrollBar().maximum()
    )
    assert panel.isVisible()
    assert panel.action_texts() == [CAUDA_EQUINA_ACTION]
    # Choosing a lesser disposition never removes the flag from the panel.
    form.ui.dispositionList.setFocus()
    press(qtbot, Qt.Key.Key_5)
    assert form.chosen_disposition().value == "routine_f2f"
    assert "LESS SEVERE" in form.ui.downgradeLabel.text()
    assert [rule.id for rule in panel.standing] == ["rf.cauda_equina"]
    # The flag's destination line and the downgrade warning appeared without widening the
    # side column: that would have made every question wrap again, mid-call.
    qtbot.wait(100)  # every layout request passed up to the window and done
    assert (form.ui.sideColumn.width(), form.ui.formContainer.width()) == widths
    # Only changing the answer takes it away.
    form.rows_by_id["lumbar.saddle_anaesthesia"].setFocus()
    press(qtbot, Qt.Key.Key_N)
    assert panel.standing == ()
    panel.hide()
    assert not panel.isVisible()  # with no flag standing, nothing is protected


def test_sign_off_is_refused_while_the_screen_is_incomplete_naming_the_questions(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_call(qtbot, make_desk, demo_db, "lumbar", date_of_birth=born_aged(50))
    answer(qtbot, form, "general.age", "50")
    answer(qtbot, form, "general.trauma", "1")
    press(qtbot, Qt.Key.Key_I, CTRL)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    message = form.ui.messageLabel.text()
    assert form.ui.messageLabel.isVisible()
    assert "Cannot sign off: 15 red-flag questions unanswered" in message
    assert "Q4 general.history_of_cancer" in message
    assert "lumbar.duration_over_3_months" in message
    assert current_row(form).item.id == "general.history_of_cancer"  # taken to the first one
    qtbot.waitUntil(lambda: not form.saver.busy, timeout=5000)
    assert stored(demo_db, form).state == AssessmentState.DRAFT
    with demo_db.sessions() as session:
        actions = session.scalars(
            sa.select(AuditEvent.action).where(
                AuditEvent.entity_id == str(form.record.assessment_id)
            )
        ).all()
    assert "assessment.sign_off" not in actions


def test_a_downgrade_needs_a_reason(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    """Scenario 6: knee injury 3 days ago, aged 57 → rf.knee_fracture; routine_f2f chosen."""
    form = start_call(qtbot, make_desk, demo_db, "knee", date_of_birth=born_aged(57))
    answer(qtbot, form, "general.age", "57")
    answer(qtbot, form, "general.trauma", "2")  # minor: a twist
    while (row := current_row(form)).item.id != "knee.acute_injury_last_7_days":
        answer(qtbot, form, row.item.id, "n" if row.editor is None else "")
    answer(qtbot, form, "knee.acute_injury_last_7_days", "y")  # gated questions appear
    answer(qtbot, form, "knee.can_weight_bear", "y")
    answer(qtbot, form, "knee.can_bend_90", "y")
    answer(qtbot, form, "knee.bony_tenderness", "n")
    while (row := current_row(form)).item.is_red_flag_screening:
        answer(qtbot, form, row.item.id, "n")
    assert form.result.complete
    assert form.result.red_flags == ("rf.knee_fracture",)
    assert form.chosen_disposition().value == "emergency"
    assert form.red_flag_panel.action_texts() == ["X-ray today"]
    press(qtbot, Qt.Key.Key_D, CTRL)
    press(qtbot, Qt.Key.Key_5)  # routine face-to-face
    press(qtbot, Qt.Key.Key_I, CTRL)
    # First attempt: the dialog asks for a reason; going back (Esc) signs nothing.
    seen: list[DowngradeDialog] = []

    def go_back(dialog: QWidget) -> None:
        assert isinstance(dialog, DowngradeDialog)
        seen.append(dialog)
        assert not dialog.ok_button.isEnabled()  # nothing can be signed without a reason
        qtbot.keyClick(dialog.ui.reasonEdit, Qt.Key.Key_Return, CTRL)  # refused: no reason
        assert "A reason is required" in dialog.ui.hintLabel.text()
        qtbot.keyClick(dialog.ui.reasonEdit, Qt.Key.Key_Escape)

    when_dialog_opens(qtbot, go_back)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert seen
    assert "EMERGENCY" in seen[0].ui.summaryLabel.text()
    assert "rf.knee_fracture" in seen[0].ui.summaryLabel.text()
    assert "needs your written reason" in form.ui.messageLabel.text()
    assert stored(demo_db, form).state == AssessmentState.DRAFT
    # Second attempt: the reason typed, Ctrl+Enter signs off.
    activate(qtbot, form)
    reason = "X-ray yesterday showed no fracture."

    def give_reason(dialog: QWidget) -> None:
        assert isinstance(dialog, DowngradeDialog)
        qtbot.keyClicks(dialog.ui.reasonEdit, reason)
        assert dialog.ok_button.isEnabled()
        qtbot.keyClick(dialog.ui.reasonEdit, Qt.Key.Key_Return, CTRL)

    when_dialog_opens(qtbot, give_reason)
    with qtbot.waitSignal(form.signed, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return, CTRL)
    record = stored(demo_db, form)
    assert record.state == AssessmentState.SIGNED
    assert (record.recommended_disposition, record.chosen_disposition) == (
        "emergency",
        "routine_f2f",
    )
    assert record.downgrade_reason == reason
    assert record.red_flags == ["rf.knee_fracture"]
    assert reason in form.ui.signedLabel.text()
    assert [rule.id for rule in form.red_flag_panel.standing] == ["rf.knee_fracture"]


def test_questions_read_as_plain_text_with_bold_not_asterisks(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_call(qtbot, make_desk, demo_db, "lumbar")
    both = form.rows_by_id["lumbar.bilateral_leg_symptoms"].text_label.text()
    assert "<b>both</b>" in both
    assert "*" not in both
    trauma = form.rows_by_id["general.trauma"].text_label.text()
    assert "<i>minor</i>" in trauma
    assert "<b>not</b>" in trauma
    assert "*" not in trauma
    assert question_html("<script> & **x**") == "&lt;script&gt; &amp; <b>x</b>"


def test_gated_questions_appear_and_disappear_as_answers_change(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_call(qtbot, make_desk, demo_db, "lumbar")
    criteria = form.rows_by_id["lumbar.onset_before_35"]
    assert criteria.isHidden()
    # Tab and Shift+Tab move between questions too, skipping hidden ones.
    form.rows_by_id["lumbar.one_leg_numbness_or_weakness"].setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert current_row(form).item.id == "lumbar.onset_before_45"
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    assert current_row(form).item.id == "sbt.1"
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert current_row(form).item.id == "lumbar.duration_over_3_months"
    form.rows_by_id["lumbar.onset_before_45"].setFocus()
    press(qtbot, Qt.Key.Key_Y)
    assert current_row(form).item.id == "lumbar.duration_over_3_months"
    press(qtbot, Qt.Key.Key_Y)
    assert not criteria.isHidden()
    assert current_row(form).item.id == "lumbar.onset_before_35"  # the next question asked
    form.rows_by_id["lumbar.duration_over_3_months"].setFocus()
    press(qtbot, Qt.Key.Key_N)
    assert criteria.isHidden()


def test_the_call_timer_runs(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_call(qtbot, make_desk, demo_db, "lumbar")
    assert form.ui.callTimerLabel.text() == "☎ On call 00:00"
    qtbot.waitUntil(lambda: form.ui.callTimerLabel.text() == "☎ On call 00:01", timeout=3000)


def test_the_header_shows_who_is_on_the_call_and_checks_the_age(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_call(
        qtbot,
        make_desk,
        demo_db,
        "lumbar",
        date_of_birth=born_aged(62),
        address="12 Rye Lane\nLondon",
        postcode="SE15 4ST",
    )
    patient = form.record.patient
    header = form.ui.patientLabel.text()
    assert patient.name in header
    assert f"{patient.nhs_number[:3]} {patient.nhs_number[3:6]} {patient.nhs_number[6:]}" in header
    assert "<b>62</b> years" in header
    assert "12 Rye Lane" in form.ui.identityLabel.text()
    assert "Ctrl+I" in form.ui.identityLabel.text()
    assert not form.ui.ageCheckLabel.isVisible()
    answer(qtbot, form, "general.age", "57")
    assert form.ui.ageCheckLabel.isVisible()
    assert "record says 62" in form.ui.ageCheckLabel.text()
    press(qtbot, Qt.Key.Key_I, CTRL)
    assert "Identity confirmed" in form.ui.identityLabel.text()


def test_sign_off_needs_the_identity_confirmed(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_call(qtbot, make_desk, demo_db, "lumbar")
    for item_id, value in (
        ("general.age", form.record.patient.age_on_record),
        ("general.trauma", "none"),
    ):
        form.rows_by_id[item_id].set_value(value)
    for row in form.rows:
        if row.item.is_red_flag_screening and not row.isHidden() and row.value is None:
            row.set_value(False)
    assert form.result.complete
    form.ui.dispositionList.setFocus()
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert "confirm the patient's identity first" in form.ui.messageLabel.text()
    assert stored(demo_db, form).state == AssessmentState.DRAFT


def test_reopening_resumes_the_draft_at_the_first_unanswered_question(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_call(qtbot, make_desk, demo_db, "lumbar", date_of_birth=born_aged(40))
    answer(qtbot, form, "general.age", "40")
    answer(qtbot, form, "general.trauma", "1")
    qtbot.waitUntil(lambda: not form.saver.busy, timeout=5000)
    main = form.parentWidget()
    form.close()
    qtbot.waitUntil(lambda: not main.assessments.forms, timeout=5000)  # type: ignore[union-attr]
    activate(qtbot, main)  # type: ignore[arg-type]
    again = open_form_with_ctrl_o(qtbot, main)  # type: ignore[arg-type]
    assert again.record.resumed
    assert again.rows_by_id["general.age"].value == 40
    assert again.rows_by_id["general.trauma"].value == "none"
    assert current_row(again).item.id == "general.history_of_cancer"


def test_letters_are_held_without_a_postal_address(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_call(qtbot, make_desk, demo_db, "lumbar", address="", postcode=None)
    form.rows_by_id["general.age"].set_value(form.record.patient.age_on_record)
    form.rows_by_id["general.trauma"].set_value("none")
    for row in form.rows:
        if row.item.is_red_flag_screening and not row.isHidden() and row.value is None:
            row.set_value(False)
    press(qtbot, Qt.Key.Key_I, CTRL)
    with qtbot.waitSignal(form.signed, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return, CTRL)
    assert "advice letter HELD (No postal address" in form.ui.signedLabel.text()
    with demo_db.sessions() as session:
        statuses = dict(
            session.execute(
                sa.select(Letter.kind, Letter.status).where(
                    Letter.assessment_id == form.record.assessment_id
                )
            ).all()
        )
    assert statuses == {"advice": LetterStatus.HELD, "gp": LetterStatus.QUEUED}


def test_a_broken_protocol_is_reported_at_start_and_starts_no_call(
    qtbot: QtBot,
    make_desk: Callable[[str], Desk],
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "data"
    shutil.copytree(REPO / "protocols", root / "protocols")
    for folder in ("resources", "ui"):
        (root / folder).symlink_to(REPO / folder)
    lumbar = root / "protocols" / "lumbar.yaml"
    lumbar.write_text(
        lumbar.read_text(encoding="utf-8").replace(
            'action: "Go to A&E now for an emergency MRI; do not wait."', 'action: ""', 1
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("PHYSIOLINE_DATA_ROOT", str(root))
    rid = open_referral(demo_db, "lumbar")
    assign_to(demo_db, rid, "priya")
    window = open_main_window(qtbot, make_desk("priya"))
    # At start, before any call: the problem is reported with the file and line.
    qtbot.waitUntil(lambda: bool(window.assessments.problems), timeout=10_000)
    assert any("lumbar.yaml:263:" in p and "action" in p for p in window.assessments.problems)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5000)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert "lumbar.yaml:" in box.text()
    assert "Calls cannot start on a protocol that fails the check" in box.text()
    box.accept()
    # Opening the lumbar call refuses, says why, and claims nothing.
    activate(qtbot, window)
    select_referral(qtbot, window, rid)
    told: list[str] = []

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        told.append(dialog.text())
        dialog.accept()

    when_dialog_opens(qtbot, read)
    qtbot.keyClick(window.worklist.ui.tableView, Qt.Key.Key_O, CTRL)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert "lumbar protocol fails the protocol check, so no call was started" in told[0]
    assert not window.assessments.forms
    with demo_db.sessions() as session:
        referral = session.get(Referral, rid)
    assert referral is not None
    assert referral.claimed_by_id is None
    assert referral.status == ReferralStatus.AWAITING_CALL


def test_leaving_a_call_with_a_red_flag_standing_asks_first(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    form = start_call(qtbot, make_desk, demo_db, "lumbar")
    main = form.parentWidget()
    assessment_id, referral_id = form.record.assessment_id, form.record.referral_id
    form.rows_by_id["lumbar.bladder_dysfunction"].setFocus()
    press(qtbot, Qt.Key.Key_Y)
    questions: list[str] = []

    def answer_with(button: QMessageBox.StandardButton) -> Callable[[QWidget], None]:
        def act(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            questions.append(box.text())
            box.button(button).click()

        return act

    when_dialog_opens(qtbot, answer_with(QMessageBox.StandardButton.No))
    press(qtbot, Qt.Key.Key_W, CTRL)
    assert "rf.cauda_equina" in questions[0]
    assert "the referral stays claimed by you" in questions[0]
    assert form.isVisible()  # No: the call carries on
    activate(qtbot, form)
    when_dialog_opens(qtbot, answer_with(QMessageBox.StandardButton.Yes))
    press(qtbot, Qt.Key.Key_W, CTRL)
    qtbot.waitUntil(lambda: not main.assessments.forms, timeout=5000)  # type: ignore[union-attr]
    with demo_db.sessions() as session:
        saved = session.get(Assessment, assessment_id)
        referral = session.get(Referral, referral_id)
    assert saved is not None
    assert saved.red_flags == ["rf.cauda_equina"]  # the draft was saved before closing
    assert referral is not None
    assert referral.status == ReferralStatus.IN_CALL


def test_the_screen_lock_hides_a_half_filled_form_and_gives_it_back_unchanged(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    """Scenario 9: Priya leaves mid-form; the lock hides it; her password brings it back."""
    from physioline.services.demo import DEMO_PASSWORD

    form = start_call(qtbot, make_desk, demo_db, "lumbar", date_of_birth=born_aged(52))
    main = form.parentWidget()
    answer(qtbot, form, "general.age", "52")
    answer(qtbot, form, "general.trauma", "1")
    before = dict(form.answers)
    assert before["general.age"] == 52
    main.lock()  # type: ignore[union-attr]
    assert not form.isVisible()
    assert main.lock_screen.isVisible()  # type: ignore[union-attr]
    main.lock_screen.password.setText(DEMO_PASSWORD)  # type: ignore[union-attr]
    main.lock_screen.unlock_button.click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not main.locked, timeout=10_000)  # type: ignore[union-attr]
    assert form.isVisible()
    assert dict(form.answers) == before
    assert stored(demo_db, form).answers.get("general.age") == 52


def test_questions_are_drawn_ahead_so_scrolling_and_gates_draw_none(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """While the physio listens, the form draws every question's picture, those behind a gate
    too: the keys that scroll to them or open the gate only copy pictures (issue #6)."""
    form = start_call(qtbot, make_desk, demo_db, "lumbar")
    qtbot.waitUntil(lambda: not form._draw_ahead.isActive(), timeout=5000)
    drawn: list[str] = []
    draw = QuestionRow._draw

    def counted(row: QuestionRow, painter: QPainter) -> None:
        drawn.append(row.item.id)
        draw(row, painter)

    monkeypatch.setattr(QuestionRow, "_draw", counted)
    bar = form.ui.formScroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(50)
    assert drawn == []
    gated = [row for row in form.rows if row.isHidden()]
    assert gated, "lumbar has questions behind a gate"
    form.rows_by_id["lumbar.duration_over_3_months"].set_value(True)
    form.rows_by_id["lumbar.onset_before_45"].set_value(True)  # the gate opens
    qtbot.wait(50)  # laid out and painted
    shown = {row.item.id for row in gated if not row.isHidden()}
    assert shown
    for row in form.rows:
        row.repaint()  # every question in sight, whatever was painted in the wait
    # Only the two questions answered were drawn again, as they must be.
    assert set(drawn) <= {"lumbar.duration_over_3_months", "lumbar.onset_before_45"}


def test_red_flag_labels_are_made_ahead_so_a_raised_flag_builds_and_measures_none(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """While the physio listens, the panel makes and lays out every red flag's labels: the
    key that raises one only shows them (issue #6). What shows is the same either way."""
    form = start_call(qtbot, make_desk, demo_db, "lumbar")
    qtbot.waitUntil(lambda: not form._draw_ahead.isActive(), timeout=5000)
    panel = form.red_flag_panel
    labels = set(panel.findChildren(QLabel))
    assert len(labels) == 2 + 3 * len(form.protocol.red_flags)  # title, note, each flag's three
    measured: list[str] = []
    qt_measure = QLabel.heightForWidth

    def counted(label: QLabel, width: int) -> int:
        if label.parentWidget() is panel:
            measured.append(label.text())
        return qt_measure(label, width)

    monkeypatch.setattr(QLabel, "heightForWidth", counted)
    form.rows_by_id["lumbar.saddle_anaesthesia"].set_value(True)
    qtbot.wait(50)  # laid out and painted
    form.rows_by_id["general.history_of_cancer"].set_value(True)
    qtbot.wait(50)
    monkeypatch.undo()
    standing = [rule.id for rule in panel.standing]
    assert standing[0] == "rf.cauda_equina"
    assert "rf.spinal_malignancy" in standing
    assert set(panel.findChildren(QLabel)) == labels
    assert [text for text in measured if "STANDING" not in text and "word for word" not in text
            ] == []  # fmt: skip
    assert panel.action_texts() == [rule.action for rule in panel.standing]
    shown = [label for label in panel.findChildren(QLabel) if label.isVisibleTo(panel)]
    assert len(shown) == 2 + 3 * len(standing)
    for label in shown:  # each whole: as tall as its text needs at its width
        assert label.height() >= qt_measure(label, label.width()), label.text()


def test_the_red_flag_panel_lists_flags_in_the_engines_order_however_they_were_made(
    qtbot: QtBot,
) -> None:
    """A flag standing when the form opens (a resumed draft) is made before the others; the
    panel still lists every standing flag in the order the engine gives (by id)."""
    rules = {rule.id: rule for rule in load_protocol("lumbar").red_flags}
    panel = RedFlagPanel(rules.values())
    qtbot.addWidget(panel)
    cauda, malignancy, trauma = (
        rules["rf.cauda_equina"], rules["rf.spinal_malignancy"], rules["rf.major_trauma"]
    )  # fmt: skip
    panel.show_flags((malignancy,))  # made on demand, before any other
    panel.show()
    qtbot.waitExposed(panel)
    while not panel.prepared:
        panel.prepare_next()
    panel.show_flags((cauda, malignancy))
    assert panel.action_texts() == [cauda.action, malignancy.action]
    panel.show_flags((cauda, trauma, malignancy))  # in any order given: shown in that order
    assert panel.action_texts() == [cauda.action, trauma.action, malignancy.action]
    shown = [label for label in panel.findChildren(QLabel) if label.isVisibleTo(panel)]
    assert [label.text() for label in sorted(shown, key=lambda label: label.y())][2::3] == [
        f"⚠ {rule.title} ({rule.id})" for rule in (cauda, trauma, malignancy)
    ]
    other = replace(cauda, action="Not this protocol's action.")  # a flag it was not made for
    panel.show_flags((other,))
    assert panel.action_texts() == ["Not this protocol's action."]
    panel.show_flags(())
    assert panel.action_texts() == []
    assert panel.title_label.text() == "No red flag so far"


@pytest.mark.usefixtures("app_style")
def test_every_question_shows_whole_at_any_window_width(
    qtbot: QtBot, make_desk: Callable[[str], Desk], demo_db: Database
) -> None:
    """No question is clipped or stretched: each is as tall as its text needs at its width.

    A question used to keep the height it had at the width it asked for before it was first
    laid out: at a narrower one its last line (the answer keys) was cut off.
    """
    form = start_call(qtbot, make_desk, demo_db, "lumbar")
    for size in ((1100, 640), (1560, 960), (1100, 640)):
        form.resize(*size)
        qtbot.wait(50)  # laid out
        rows = [row for row in form.rows if not row.isHidden()]
        assert rows[0].width() < 600 if size[0] == 1100 else rows[0].width() > 900
        wrong = [row.number for row in rows if row.height() != row.heightForWidth(row.width())]
        assert wrong == [], f"clipped or stretched at {size}"
        for above, below in itertools.pairwise(rows):
            assert below.y() >= above.y() + above.height(), "questions overlap"
