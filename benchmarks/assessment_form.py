"""Benchmark: the triage form's keypress-to-repaint for the largest protocol (lumbar).

Each sample is one answer key (Y or N) sent to a question of the real form, timed from before
the key event until the window has processed it and repainted: the answer is evaluated by the
engine, conditional questions shown or hidden, the red-flag panel and recommendation updated,
the cursor moved on, the draft save queued (it runs in the background, on a demo SQLite file,
competing for the interpreter as it does on a desk). The keys toggle the questions that cost
most: saddle anaesthesia (a red flag appears and goes), the two axial SpA gates (nine questions
appear and go), a STarT Back item (the score) and a plain screening question.

Two runs: keys back to back (each right after the last repaint, so every draft save in the
background competes with the next key for the interpreter) and keys 200 ms apart (a fast physio;
the save finishes between keys). ``gui_cpu`` is the GUI thread's own CPU time per key, which
other programs on a busy machine do not inflate.

Run: ``.venv/bin/python benchmarks/assessment_form.py [KEYS]`` (default 600), offscreen.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import statistics
import sys
import tempfile
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from physioline.clock import FrozenClock
from physioline.core.referral import ReferralStatus
from physioline.db import schema
from physioline.db.engine import open_database
from physioline.db.models import Referral
from physioline.gui.assessment_window import AssessmentWindow
from physioline.gui.ops import wait_for_background
from physioline.services import assessment
from physioline.services.demo import build_demo
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user

TOGGLED = (
    "lumbar.saddle_anaesthesia",
    "lumbar.onset_before_45",
    "lumbar.duration_over_3_months",
    "sbt.5",
    "general.history_of_cancer",
)


class PaintCounter(QObject):
    """Counts paint events anywhere in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(app: QApplication, form: AssessmentWindow, keys: int, pace_ms: int) -> dict[str, float]:
    """Send ``keys`` answer keys, ``pace_ms`` apart (0: each right after the last repaint)."""
    counter = PaintCounter()
    wall: list[float] = []
    cpu: list[float] = []
    painted = 0
    n = 0
    while len(wall) < keys:
        row = form.rows_by_id[TOGGLED[n % len(TOGGLED)]]
        key = Qt.Key.Key_Y if (n // len(TOGGLED)) % 2 == 0 else Qt.Key.Key_N
        n += 1
        if row.isHidden():
            continue
        row.setFocus()
        app.processEvents()
        if pace_ms:
            QTest.qWait(pace_ms)  # the patient answers; the draft save runs meanwhile
        row.installEventFilter(counter)  # on this question only: a filter costs every event
        before = counter.paints
        cpu_started = time.thread_time_ns()
        started = time.perf_counter_ns()
        QTest.keyClick(row, key)
        app.processEvents()  # the update request: layout and paint of what changed
        wall.append((time.perf_counter_ns() - started) / 1_000_000)
        cpu.append((time.thread_time_ns() - cpu_started) / 1_000_000)
        painted += counter.paints > before
        row.removeEventFilter(counter)
    return {
        "keys": len(wall),
        "repainted": painted,
        "median_ms": statistics.median(wall),
        "p99_ms": percentile(wall, 0.99),
        "max_ms": max(wall),
        "gui_cpu_median_ms": statistics.median(cpu),
        "gui_cpu_p99_ms": percentile(cpu, 0.99),
    }


def main(keys: int) -> None:
    app = QApplication(sys.argv[:1])
    clock = FrozenClock(datetime(2026, 11, 23, 9, 12, tzinfo=ZoneInfo("Europe/London")))
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{folder}/demo.sqlite3")
        schema.upgrade(db)
        build_demo(db, clock)
        desk = Desk(db=db, clock=clock, actor=sign_in_demo_user(db, "priya"))
        with db.sessions() as session:
            referral_id = session.scalars(
                sa.select(Referral.id)
                .where(Referral.status == ReferralStatus.AWAITING_CALL)
                .where(Referral.body_region == "lumbar")
                .limit(1)
            ).one()
        record = assessment.start_assessment(desk, referral_id)
        form = AssessmentWindow(desk, record)
        form.resize(1500, 940)
        form.show()
        form.activateWindow()
        app.processEvents()
        run(app, form, 50, 0)  # warm-up
        print(f"protocol={record.protocol.id} items={len(record.protocol.items)}")
        # Answers as fast as keys can be pressed: every key's draft save competes with the next.
        for name, pace in (("back_to_back", 0), ("paced_200ms", 200)):
            result = run(app, form, keys if pace == 0 else keys // 2, pace)
            for key, value in result.items():
                print(f"{name}_{key}={value:.2f}" if isinstance(value, float) else
                      f"{name}_{key}={value}")  # fmt: skip
        wait_for_background()
        app.processEvents()
        print(f"draft_version_after={form.saver.version}")
        form.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 600)
