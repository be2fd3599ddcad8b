"""Benchmark: the triage form's evaluation and keypress-to-repaint, largest protocol (lumbar).

Evaluation: the engine's result for a complete answer set of the form's own protocol (every item
answered, gated items shown, most red flags triggered), timed as the form calls it, and the same
call timed inside the form on every key below.

Keypress-to-repaint: one answer key (Y or N) sent to a question of the real form, timed from
before the key event until the window has processed it and its repaint is complete: the answer
is evaluated, conditional questions shown or hidden, the red-flag panel and recommendation
updated, the cursor moved on and the screen repainted, in as many event passes as that takes
(the timing stops after the first pass that paints nothing). The keys toggle the questions that
cost most: saddle anaesthesia (a red flag appears and goes), the two axial SpA gates (nine
questions appear and go), a STarT Back item (the score) and a plain screening question.

The draft save is deferred until the repaint is done (the key's frame never waits for it), so
it is timed separately: ``after_paint`` is the time from the finished repaint until the save
has been handed to its worker thread and this script has the interpreter back (in the app the
next key waits for that instead, and is timed), and ``save_thread`` the save itself on that
thread (a demo SQLite file), off the GUI thread but competing for the interpreter with the next
key. Two runs: keys back to back (each right after the last repaint and its deferred work, so
saves overlap the next keys) and keys 200 ms apart (a fast physio; the save finishes between
keys). ``gui_cpu`` is the GUI thread's own CPU time per key, which other programs on a busy
machine do not inflate as much (they still evict its caches: keys after a pause cost more).

A third run, ``call``, answers whole lumbar calls from the keyboard as a physio does: every
question in call order from the first, the cursor moving on by itself, numbers typed digit by
digit, a red flag raised on some calls (saddle anaesthesia, then cancer history) and the axial
SpA gates opened on others; the age typed is the patient's; each call on a new referral, keys
200 ms apart. Its keys are the form's everyday keys, most of them cheap, with the red-flag, gate
and scrolling keys among them as often as a call has them. The first two runs time only the
costliest keys.

The floor, measured in each run among its keys (every fifth, after the same pause): the form's
window repainted whole with nothing changed, timed the same way. It is what repainting the
screen costs on this machine at that moment, so ``median_x_floor`` and ``p99_x_floor`` (a key
as a multiple of the floor's median) say how much a key adds to a plain repaint, comparable
between runs on a machine whose speed varies from minute to minute.

The app leaves what start-up made out of garbage collection (``freeze_start_up_objects``, after
its first paint); so does this script, before it opens a form.

Run: ``.venv/bin/python benchmarks/assessment_form.py [KEYS] [CALLS]`` (defaults 600 and 12),
offscreen.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from triage_eval import complete_answers  # the same complete answer set as that benchmark

from physioline.clock import FrozenClock
from physioline.core.referral import ReferralStatus
from physioline.core.triage import TriageResult
from physioline.core.vocabulary import ABILITY_OPTIONS, ItemType
from physioline.db import schema
from physioline.db.engine import open_database
from physioline.db.models import Referral
from physioline.gui.assessment_questions import QuestionRow
from physioline.gui.assessment_window import AssessmentWindow, DraftSaver
from physioline.gui.memory import freeze_start_up_objects
from physioline.gui.ops import wait_for_background
from physioline.services import assessment
from physioline.services.assessment import AssessmentRecord
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
FRAME_MS = 1000 / 60


class PaintCounter(QObject):
    """Counts paint events (or the window's update requests: one per repaint pass)."""

    def __init__(self, kind: QEvent.Type = QEvent.Type.Paint) -> None:
        super().__init__()
        self.kind = kind
        self.paints = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == self.kind:
            self.paints += 1
        return False


class DeferredStarts:
    """When the form starts its deferred draft save (after the key's paint), and after how many
    repaint passes of the window (a patched ``DraftSaver._start_after_paint``)."""

    def __init__(self, updates: PaintCounter) -> None:
        self.updates = updates
        self.last: tuple[int, int, int] | None = None  # (perf ns, GUI thread CPU ns, passes)

    def hook(self) -> None:
        original = DraftSaver._start_after_paint

        def start(saver: DraftSaver) -> None:
            self.last = (time.perf_counter_ns(), time.thread_time_ns(), self.updates.paints)
            original(saver)

        DraftSaver._start_after_paint = start  # type: ignore[method-assign]


class Timings:
    """Durations in ms of calls made anywhere, on any thread (wraps a function)."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.threads: set[int] = set()
        self.on = False

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter_ns()
            try:
                return fn(*args, **kwargs)
            finally:
                if self.on:
                    self.samples.append((time.perf_counter_ns() - started) / 1_000_000)
                    self.threads.add(threading.get_ident())

        return timed


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


#: Every how many keys the floor is measured, in the same conditions (after the same pause).
FLOOR_EVERY = 5


class Floor:
    """The floor, measured in the same run as the keys: the form's window repainted whole with
    nothing changed (every question in sight, the red-flag panel, the recommendation and the
    decision painted once, no layout), timed as a key is, after the same pause."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def measure(self, app: QApplication, form: AssessmentWindow, updates: PaintCounter) -> None:
        cpu_started = time.thread_time_ns()
        started = time.perf_counter_ns()
        form.update()
        settle(app, updates)
        self.wall.append((time.perf_counter_ns() - started) / 1_000_000)
        self.cpu.append((time.thread_time_ns() - cpu_started) / 1_000_000)

    def results(self, wall: list[float]) -> dict[str, float]:
        """The floor's median and p99, and the keys' median and p99 as multiples of its median."""
        floor = statistics.median(self.wall)
        return {
            "floor_full_repaint_median_ms": floor,
            "floor_full_repaint_p99_ms": percentile(self.wall, 0.99),
            "floor_full_repaint_gui_cpu_median_ms": statistics.median(self.cpu),
            "median_x_floor": statistics.median(wall) / floor,
            "p99_x_floor": percentile(wall, 0.99) / floor,
        }


def settle(app: QApplication, updates: PaintCounter) -> int:
    """Process events until a pass repaints nothing; the number of passes that repainted."""
    passes = 0
    while True:
        before = updates.paints
        app.processEvents()
        if updates.paints == before:
            return passes
        passes += 1


def run(
    app: QApplication,
    form: AssessmentWindow,
    keys: int,
    pace_ms: int,
    evaluations: Timings,
    deferred: DeferredStarts,
) -> dict[str, float]:
    """Send ``keys`` answer keys, ``pace_ms`` apart (0: each right after the last repaint)."""
    counter = PaintCounter()
    updates = deferred.updates
    form.installEventFilter(updates)  # the window only: one update request per repaint pass
    wall: list[float] = []
    cpu: list[float] = []
    after_paint: list[float] = []
    passes: list[int] = []
    painted = 0
    n = 0
    floor = Floor()
    evaluations.on = True
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
        if len(wall) % FLOOR_EVERY == 0:
            floor.measure(app, form, updates)
            if pace_ms:
                QTest.qWait(pace_ms)  # the key after the same pause as the others
        row.installEventFilter(counter)  # on this question only: a filter costs every event
        before = counter.paints
        deferred.last = None
        cpu_started = time.thread_time_ns()
        started = time.perf_counter_ns()
        QTest.keyClick(row, key)
        passes.append(settle(app, updates))  # layout and paint of what changed, to the end
        settled, settled_cpu = time.perf_counter_ns(), time.thread_time_ns()
        while form.saver.scheduled:  # not started yet: let it, to time it
            app.processEvents()
        done = time.perf_counter_ns()
        # The repaint ends where the deferred save begins, if no paint came after it; the rest
        # is the save's start on the GUI thread (and, here in Python, getting the interpreter
        # back from the save's thread: in the app the next key waits for that, and is timed).
        if deferred.last is not None and deferred.last[2] == updates.paints:
            repainted, repainted_cpu = deferred.last[0], deferred.last[1]
        else:
            repainted, repainted_cpu = settled, settled_cpu
        wall.append((repainted - started) / 1_000_000)
        cpu.append((repainted_cpu - cpu_started) / 1_000_000)
        after_paint.append((done - repainted) / 1_000_000)
        painted += counter.paints > before
        row.removeEventFilter(counter)
    evaluations.on = False
    form.removeEventFilter(updates)
    return {
        "keys": len(wall),
        "repainted": painted,
        "repaint_passes_max": max(passes),
        "median_ms": statistics.median(wall),
        "p99_ms": percentile(wall, 0.99),
        "max_ms": max(wall),
        "gui_cpu_median_ms": statistics.median(cpu),
        "gui_cpu_p99_ms": percentile(cpu, 0.99),
        "after_paint_median_ms": statistics.median(after_paint),
        "after_paint_p99_ms": percentile(after_paint, 0.99),
        **floor.results(wall),
    }


#: Per call, the answers that are yes (a red flag, the SpA gates), in turn.
CALL_YES: tuple[frozenset[str], ...] = (
    frozenset({"lumbar.saddle_anaesthesia"}),
    frozenset({"lumbar.onset_before_45", "lumbar.duration_over_3_months"}),
    frozenset({"general.history_of_cancer"}),
    frozenset(),
)


def call_keys(row: QuestionRow, yes: frozenset[str], age: int) -> list[Qt.Key]:
    """The keys a physio presses to answer this question and move on (the age the patient
    gives is the one on record)."""
    item = row.item
    if item.type is ItemType.BOOL:
        return [Qt.Key.Key_Y if item.id in yes else Qt.Key.Key_N]
    if item.type is ItemType.CHOICE:
        return [Qt.Key.Key_N if item.option_ids == ABILITY_OPTIONS else Qt.Key.Key_1]
    if item.type is ItemType.INT:
        assert item.minimum is not None
        assert item.maximum is not None
        value = age if item.id == "general.age" else (item.minimum + item.maximum) // 2
        return [Qt.Key(ord(digit)) for digit in str(value)] + [Qt.Key.Key_Return]
    return [Qt.Key.Key_O, Qt.Key.Key_K, Qt.Key.Key_Return]  # a few words of free text


def run_calls(
    app: QApplication, open_form: Callable[[], AssessmentWindow], calls: int, pace_ms: int,
    deferred: DeferredStarts,
) -> dict[str, float]:  # fmt: skip
    """Whole calls answered from the keyboard: each key timed as in :func:`run`."""
    updates = deferred.updates
    wall: list[float] = []
    cpu: list[float] = []
    floor = Floor()
    for call in range(calls):
        form = open_form()
        form.installEventFilter(updates)
        yes = CALL_YES[call % len(CALL_YES)]
        while True:
            focus = QApplication.focusWidget()
            row = next((r for r in form.rows if focus in (r, r.editor)), None)
            if row is None:
                break  # the last question answered: the cursor is on the decision
            for key in call_keys(row, yes, form.record.patient.age_on_record):
                QTest.qWait(pace_ms)
                if len(wall) % FLOOR_EVERY == 0:
                    floor.measure(app, form, updates)
                    QTest.qWait(pace_ms)
                target: QWidget | None = QApplication.focusWidget()
                assert target is not None
                deferred.last = None
                cpu_started = time.thread_time_ns()
                started = time.perf_counter_ns()
                QTest.keyClick(target, key)
                settle(app, updates)
                settled, settled_cpu = time.perf_counter_ns(), time.thread_time_ns()
                if deferred.last is not None and deferred.last[2] == updates.paints:
                    settled, settled_cpu = deferred.last[0], deferred.last[1]
                wall.append((settled - started) / 1_000_000)
                cpu.append((settled_cpu - cpu_started) / 1_000_000)
        assert form.result.complete, "the call left red-flag questions unanswered"
        form.removeEventFilter(updates)
        form.saver.finish()
        form.close_without_asking()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return {
        "calls": calls,
        "keys": len(wall),
        "median_ms": statistics.median(wall),
        "p99_ms": percentile(wall, 0.99),
        "max_ms": max(wall),
        "gui_cpu_median_ms": statistics.median(cpu),
        "gui_cpu_p99_ms": percentile(cpu, 0.99),
        **floor.results(wall),
    }


def evaluate_complete(record: AssessmentRecord, runs: int) -> list[float]:
    """The form's evaluation call on a complete answer set, ``runs`` times (ms each)."""
    answers: Mapping[str, object] = complete_answers(record.protocol)
    result: TriageResult | None = None
    for _ in range(200):  # warm-up
        result = record.evaluate(answers)
    assert result is not None
    assert len(result.visible_items) == len(record.protocol.items)  # every question asked
    samples = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        record.evaluate(answers)
        samples.append((time.perf_counter_ns() - started) / 1_000_000)
    return samples


def report(name: str, samples: list[float]) -> None:
    print(f"{name}_median_ms={statistics.median(samples):.3f}")
    print(f"{name}_p99_ms={percentile(samples, 0.99):.3f}")


def main(keys: int, calls: int) -> None:
    # Time the engine as the form calls it, and the draft save where it runs (its worker).
    evaluations, saves = Timings(), Timings()
    AssessmentRecord.evaluate = evaluations.wrap(AssessmentRecord.evaluate)  # type: ignore[method-assign]
    assessment.save_draft = saves.wrap(assessment.save_draft)
    app = QApplication(sys.argv[:1])
    clock = FrozenClock(datetime(2026, 11, 23, 9, 12, tzinfo=ZoneInfo("Europe/London")))
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{folder}/demo.sqlite3")
        schema.upgrade(db)
        build_demo(db, clock)
        desk = Desk(db=db, clock=clock, actor=sign_in_demo_user(db, "priya"))
        with db.sessions() as session:
            referral_ids = session.scalars(
                sa.select(Referral.id)
                .where(Referral.status == ReferralStatus.AWAITING_CALL)
                .where(Referral.body_region == "lumbar")
                .order_by(Referral.id)
                .limit(calls + 1)
            ).all()
        assert len(referral_ids) > calls, "the demo has too few lumbar referrals awaiting a call"
        referral_id, call_referrals = referral_ids[0], list(referral_ids[1:])
        record = assessment.start_assessment(desk, referral_id)
        deferred = DeferredStarts(PaintCounter(QEvent.Type.UpdateRequest))
        deferred.hook()  # before the form connects its timer to the method
        freeze_start_up_objects()  # as the app does once it has started
        form = AssessmentWindow(desk, record)
        form.resize(1500, 940)
        form.show()
        form.activateWindow()
        app.processEvents()
        run(app, form, 50, 0, Timings(), deferred)  # warm-up
        print(f"protocol={record.protocol.id} items={len(record.protocol.items)}")
        print(f"frame_ms={FRAME_MS:.1f}")
        report("evaluate_complete", evaluate_complete(record, 5000))
        # Answers as fast as keys can be pressed: every key's draft save overlaps the next.
        saves.on = True
        for name, pace in (("back_to_back", 0), ("paced_200ms", 200)):
            result = run(app, form, keys if pace == 0 else keys // 2, pace, evaluations,
                         deferred)  # fmt: skip
            for key, value in result.items():
                print(f"{name}_{key}={value:.2f}" if isinstance(value, float) else
                      f"{name}_{key}={value}")  # fmt: skip

        def open_call() -> AssessmentWindow:
            started = assessment.start_assessment(desk, call_referrals.pop(0))
            window = AssessmentWindow(desk, started)
            window.resize(1500, 940)
            window.show()
            window.activateWindow()
            app.processEvents()
            window.start_at_first_question()
            app.processEvents()
            return window

        result = run_calls(app, open_call, calls, 200, deferred)
        for key, value in result.items():
            print(f"call_{key}={value:.2f}" if isinstance(value, float) else f"call_{key}={value}")
        wait_for_background()
        app.processEvents()
        saves.on = False
        report("evaluate_in_form", evaluations.samples)
        report("save_thread", saves.samples)
        gui_thread = threading.get_ident() in saves.threads
        print(f"save_thread_saves={len(saves.samples)}")
        print(f"save_thread_on_gui_thread={'yes' if gui_thread else 'no'}")
        print(f"draft_version_after={form.saver.version}")
        print(
            "note=keypress-to-repaint ends when the key's last repaint pass is done; the draft "
            "save starts after it (after_paint: GUI-thread time to hand it over) and runs on "
            "its own thread (save_thread), "
            + ("NOT off the GUI thread" if gui_thread else "off the GUI thread")
        )
        form.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 600,
         int(sys.argv[2]) if len(sys.argv) > 2 else 12)  # fmt: skip
