"""Screenshots of the triage form: mid-call with a red flag, and the downgrade dialog (Xvfb).

xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/screenshot_assessment.py

Both calls are driven with key presses, as a physio would, on a fresh demo database.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from physioline.clock import FrozenClock
from physioline.core.referral import ReferralStatus
from physioline.db import schema
from physioline.db.engine import Database, open_database
from physioline.db.models import Patient, Referral
from physioline.gui.assessment_questions import QuestionRow
from physioline.gui.assessment_window import AssessmentWindow, DowngradeDialog
from physioline.gui.ops import wait_for_background
from physioline.paths import ui_dir
from physioline.services import assessment
from physioline.services.demo import build_demo
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user

SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CTRL = Qt.KeyboardModifier.ControlModifier


def settle(app: QApplication, form: AssessmentWindow | None = None) -> None:
    """Let background saves finish and the window repaint."""
    for _ in range(200):
        app.processEvents()
        if form is None or not form.saver.busy:
            break
        time.sleep(0.01)
    wait_for_background()
    for _ in range(5):
        app.processEvents()


def referral_of(db: Database, region: str, **patient: object) -> int:
    with db.sessions() as session:
        referral = session.scalars(
            sa.select(Referral)
            .where(Referral.status == ReferralStatus.AWAITING_CALL, Referral.body_region == region)
            .order_by(Referral.due_at)
            .limit(1)
        ).one()
        person = session.get(Patient, referral.patient_id)
        if person is None:  # pragma: no cover - foreign key
            raise SystemExit("demo referral without a patient")
        for key, value in patient.items():
            setattr(person, key, value)
        session.commit()
        return referral.id


def key(
    widget: QWidget | None,
    name: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    QTest.keyClick(widget or focus(), name, modifier)
    QApplication.processEvents()  # as between a physio's keys: layouts and paints done


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    if widget is None:
        raise SystemExit("nothing has the keyboard focus")
    return widget


def current_row(form: AssessmentWindow) -> QuestionRow | None:
    focus = QApplication.focusWidget()
    return next((r for r in form.rows if focus is r or focus is r.editor), None)


def open_form(app: QApplication, desk: Desk, referral_id: int) -> AssessmentWindow:
    form = AssessmentWindow(desk, assessment.start_assessment(desk, referral_id))
    form.resize(1560, 960)
    form.move(20, 20)
    form.show()
    form.activateWindow()
    form.start_at_first_question()
    settle(app)
    return form


def red_flag_mid_call(app: QApplication, desk: Desk, db: Database) -> None:
    rid = referral_of(
        db,
        "lumbar",
        title="Mrs",
        given_name="Anna",
        family_name="Kowalski",
        date_of_birth=date(1968, 3, 3),
        interpreter_language=None,
    )
    form = open_form(app, desk, rid)
    QTest.keyClicks(focus(), "58")
    key(None, Qt.Key.Key_Return)
    key(None, Qt.Key.Key_1)  # no injury
    QTest.keyClicks(focus(), "Low back pain 3 weeks; numb when wiping")
    key(None, Qt.Key.Key_Return)
    key(None, Qt.Key.Key_I, CTRL)
    for _ in range(7):
        key(None, Qt.Key.Key_N)
    key(None, Qt.Key.Key_Y)  # saddle anaesthesia
    settle(app, form)
    form.grab().save(str(SHOTS / "assessment_red_flag.png"))
    print(f"saved {SHOTS / 'assessment_red_flag.png'}")
    discard(app, form)


def downgrade(app: QApplication, desk: Desk, db: Database) -> None:
    rid = referral_of(
        db,
        "knee",
        title="Mr",
        given_name="David",
        family_name="Green",
        date_of_birth=date(1969, 1, 15),
    )
    form = open_form(app, desk, rid)
    QTest.keyClicks(focus(), "57")
    key(None, Qt.Key.Key_Return)
    key(None, Qt.Key.Key_2)  # minor injury: a twist
    key(None, Qt.Key.Key_Return)  # no notes
    key(None, Qt.Key.Key_I, CTRL)
    while (row := current_row(form)) is not None:
        if row.item.id in (
            "knee.acute_injury_last_7_days",
            "knee.can_weight_bear",
            "knee.can_bend_90",
        ):
            key(None, Qt.Key.Key_Y)  # injured 3 days ago; can walk and bend: age alone flags
        elif row.item.id == "smsk.1":
            QTest.keyClicks(focus(), "4")
            key(None, Qt.Key.Key_Return)
        else:
            key(None, Qt.Key.Key_N)
    key(None, Qt.Key.Key_5)  # routine face-to-face, less severe than recommended
    settle(app, form)
    result = form.result
    dialog = DowngradeDialog(
        result.disposition, result.destination, form.chosen_disposition(), result.triggered, form
    )
    form.place_over_questions(dialog)  # as sign-off places it
    dialog.show()
    QTest.keyClicks(
        dialog.ui.reasonEdit,
        "X-ray yesterday at the urgent treatment centre showed "
        "no fracture; walking with a limp, bends to 90 degrees.",
    )
    settle(app)
    # The dialog over the form it came from, red-flag panel still standing beside it.
    QGuiApplication.primaryScreen().grabWindow(0).save(str(SHOTS / "assessment_downgrade.png"))
    print(f"saved {SHOTS / 'assessment_downgrade.png'}")
    dialog.reject()
    discard(app, form)


def discard(app: QApplication, form: AssessmentWindow) -> None:
    """Close a form without the "a red flag stands" question: a screenshot, not a call."""
    settle(app, form)
    form.close_without_asking()
    settle(app)


def main() -> int:
    """Build the demo at 08:55, take the two calls at 09:12 as Priya, save the PNGs."""
    app = QApplication(sys.argv)
    app.setStyleSheet((ui_dir() / "style.qss").read_text(encoding="utf-8"))
    clock = FrozenClock(datetime(2026, 11, 23, 8, 55, tzinfo=ZoneInfo("Europe/London")))
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{folder}/demo.sqlite3")
        schema.upgrade(db)
        build_demo(db, clock)
        clock.set(datetime(2026, 11, 23, 9, 12, tzinfo=ZoneInfo("Europe/London")))
        desk = Desk(db=db, clock=clock, actor=sign_in_demo_user(db, "priya"))
        red_flag_mid_call(app, desk, db)
        downgrade(app, desk, db)
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
