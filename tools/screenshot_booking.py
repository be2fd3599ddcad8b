"""Screenshots of the booking panel and the clinic calendar on the demo data (run under Xvfb).

xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/screenshot_booking.py

Scenario 4: Mr Green's lumbar call is signed off for routine face-to-face physiotherapy at
09:20 on Monday; the panel opens, Priya ticks the two clinics nearest his postcode and
afternoons and evenings, and moves to the Thursday 17:30 slot. Then the booking office's week
at that clinic, with the booking and a blocked slot.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from physioline.clock import FrozenClock, to_london  # noqa: E402
from physioline.core.due import london_date  # noqa: E402
from physioline.db import schema  # noqa: E402
from physioline.db.engine import open_database  # noqa: E402
from physioline.db.models import Patient, Referral  # noqa: E402
from physioline.gui.booking_panel import BookingPanel  # noqa: E402
from physioline.gui.clinic_calendar import ClinicCalendarWindow  # noqa: E402
from physioline.paths import ui_dir  # noqa: E402
from physioline.services import booking, rota  # noqa: E402
from physioline.services.demo import build_demo  # noqa: E402
from physioline.services.desk import Desk  # noqa: E402
from physioline.services.startup import sign_in_demo_user  # noqa: E402
from tests.fixtures.booking import signed_for_face_to_face  # noqa: E402

SHOTS = ROOT / "docs" / "screenshots"
LONDON = ZoneInfo("Europe/London")


def wait(app: QApplication, ms: int = 400) -> None:
    """Let queued work and painting finish."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def wait_for(app: QApplication, ready: object, seconds: float = 20) -> None:
    for _ in range(int(seconds * 10)):
        if ready():  # type: ignore[operator]
            return
        wait(app, 100)
    raise TimeoutError("the window did not load")


def grab(widget: QWidget, name: str) -> None:
    widget.grab().save(str(SHOTS / name))
    print(f"saved {SHOTS / name}")


def main() -> int:
    app = QApplication(sys.argv)
    app.setStyleSheet((ui_dir() / "style.qss").read_text(encoding="utf-8"))
    clock = FrozenClock(datetime(2026, 11, 23, 8, 55, tzinfo=LONDON))
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{folder}/demo.sqlite3")
        schema.upgrade(db)
        build_demo(db, clock)
        clock.set(datetime(2026, 11, 23, 9, 20, tzinfo=LONDON))
        referral_id = signed_for_face_to_face(db, clock)
        with db.sessions() as session:
            patient = session.scalar(
                sa.select(Patient).join(Referral).where(Referral.id == referral_id)
            )
            if patient is None:
                raise SystemExit("the demo referral has no patient")
            patient.title, patient.given_name, patient.family_name = "Mr", "Michael", "Green"
            patient.postcode = "SE13 5LT"
            session.commit()
        priya = Desk(db=db, clock=clock, actor=sign_in_demo_user(db, "priya"))

        panel = BookingPanel(priya, referral_id)
        panel.resize(1440, 860)
        panel.show()
        panel.start()
        wait_for(app, lambda: panel.result is not None)
        clinics = panel.ui.clinicList
        for row in (0, 1):
            clinics.item(row).setCheckState(Qt.CheckState.Checked)
        panel.ui.afternoonCheck.setChecked(True)
        panel.ui.eveningCheck.setChecked(True)
        wait(app, 600)
        wait_for(app, lambda: panel.result is not None and panel.result.query.preferences
                 .day_parts)  # fmt: skip
        for index in panel.offer_rows():
            offer = index.data(Qt.ItemDataRole.UserRole + 1)
            local = to_london(offer.starts_at)
            if local.weekday() == 3 and local.hour >= 17:  # Thursday evening
                panel.ui.slotsView.setCurrentIndex(index)
                break
        panel.ui.slotsView.setFocus()
        wait(app)
        grab(panel, "booking_panel.png")
        chosen = panel.selected_offer()
        if chosen is None:
            raise SystemExit("no slot was chosen")

        booking.book_slot(priya, referral_id, chosen.slot_id)
        sam = Desk(db=db, clock=clock, actor=sign_in_demo_user(db, "sam"))
        monday = london_date(chosen.starts_at)
        monday = monday.fromordinal(monday.toordinal() - monday.weekday())
        week = booking.calendar(sam, first_day=monday, days=7, clinic_id=chosen.clinic_id)
        free = [s for s in week if s.state == "free" and s.starts_at > clock.now()
                and not s.held_for_urgent]  # fmt: skip
        rota.block_slot(sam, free[2].slot_id, "Room needed for a staff meeting")
        calendar = ClinicCalendarWindow(sam)
        calendar.resize(1500, 900)
        calendar.show()
        calendar.start()
        wait_for(app, lambda: calendar.choices is not None)
        calendar.show_entity("clinic", chosen.clinic_id, monday)
        wait_for(app, lambda: any(s.slot_id == chosen.slot_id for s in calendar.slots))
        table = calendar.ui.calendarTable
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                if item is not None and item.data(Qt.ItemDataRole.UserRole + 1).slot_id == \
                        chosen.slot_id:  # fmt: skip
                    table.setCurrentCell(r, c)
        table.setFocus()
        wait(app)
        grab(calendar, "clinic_calendar.png")
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
