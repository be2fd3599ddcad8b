"""The triage form: a whole call from the keyboard, red flags beside it, a safe recorded decision.

The form is generated from the assessment's own protocol (the stored bytes it was started on):
sections in call order, conditional questions appearing as answers are given. Every answer is
evaluated at once by the same engine as sign-off, so the red-flag panel, the recommendation and
the STarT score are always current, and the draft is saved in the background after every change.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Final

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QElapsedTimer,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QShortcut,
    QShowEvent,
    QStaticText,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLayout,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from physioline.clock import to_london
from physioline.core.conditions import AnswerValue
from physioline.core.nhs_number import format_nhs_number
from physioline.core.protocol import RedFlagRule
from physioline.core.triage import TriageResult
from physioline.core.vocabulary import (
    DISPOSITIONS_MOST_SEVERE_FIRST,
    TOOL_SECTION_ID,
    Destination,
    Disposition,
    YellowFlagTool,
)
from physioline.errors import PhysioLineError
from physioline.gui.assessment_panel import RedFlagPanel
from physioline.gui.assessment_questions import QuestionRow, SectionHeading, question_plain
from physioline.gui.errors import show_error
from physioline.gui.forms.ui_assessment_window import Ui_AssessmentWindow
from physioline.gui.forms.ui_downgrade_dialog import Ui_DowngradeDialog
from physioline.gui.frames import FittedScrollArea, OpaqueFrame
from physioline.gui.ops import run_op, wait_for_background
from physioline.paths import ui_dir
from physioline.services import assessment
from physioline.services.assessment import (
    DESTINATION_LABELS,
    DISPOSITION_LABELS,
    AssessmentRecord,
    DraftSaved,
    SignedOff,
    SignOffDecision,
    SignOffRefused,
)
from physioline.services.desk import Desk

log = logging.getLogger(__name__)

KEYS_LEGEND: Final = (
    "<b>Y</b>/<b>N</b> answer · <b>1–9</b> choose · number + <b>Enter</b> · <b>Enter</b>/<b>↓</b> "
    "next · <b>↑</b> back · <b>Backspace</b> clear · <b>Ctrl+U</b> unanswered · <b>Ctrl+I</b> "
    "identity · <b>Ctrl+D</b> decision · <b>Ctrl+Enter</b> sign off"
)
RISK_WORDS: Final = {"low": "LOW", "medium": "MEDIUM", "high": "HIGH"}


def _stylesheet() -> str:
    path = ui_dir() / "assessment.qss"
    return path.read_text(encoding="utf-8") if path.exists() else ""


class DraftSaver(QObject):
    """Saves the draft after every change, one save at a time, always with the latest version.

    A change is saved once the form has repainted: the save is started by a zero-delay timer,
    which runs after the key's layout and paint, so the key's screen update never waits for it
    (the save itself runs off the GUI thread). Changes made before it starts, or while a save is
    running, are coalesced into the next save, so fast typing never sends a stale version and the
    last answers are always the ones saved. :meth:`flush` starts a waiting save at once (closing,
    locking); :meth:`finish` waits until every change is written (signing out).
    """

    saved = Signal(object)
    failed = Signal(object)

    def __init__(self, desk: Desk, record: AssessmentRecord, window: QWidget) -> None:
        super().__init__(window)
        self.desk = desk
        self.assessment_id = record.assessment_id
        self.version = record.version
        self.window = window
        self.stopped = False
        self._in_flight = False
        self._pending: dict[str, AnswerValue] | None = None
        self._when_idle: list[Callable[[], None]] = []
        self._after_paint = QTimer(self)
        self._after_paint.setSingleShot(True)
        self._after_paint.setInterval(0)
        self._after_paint.timeout.connect(self._start_after_paint)

    @property
    def busy(self) -> bool:
        """A save is running or waiting to run."""
        return self._in_flight or self._pending is not None

    @property
    def running(self) -> bool:
        """A save is being written now."""
        return self._in_flight

    @property
    def scheduled(self) -> bool:
        """A save waits for the form to repaint before it starts."""
        return self._after_paint.isActive()

    def save(self, answers: dict[str, AnswerValue]) -> None:
        """Save these answers once the form has repainted (and the save before has finished)."""
        if self.stopped:
            return
        self._pending = dict(answers)
        if not self._in_flight:
            self._after_paint.start()

    def flush(self) -> None:
        """Start a waiting save now rather than after the next repaint."""
        self._after_paint.stop()
        self._next()

    def finish(self, timeout_ms: int = 10_000) -> bool:
        """Write every change before returning (signing out): True when nothing is left unsaved.

        Blocks the GUI thread until the saves are written, at most ``timeout_ms``.
        """
        deadline = QDeadlineTimer(timeout_ms)
        while self.busy and not self.stopped and not deadline.hasExpired():
            self.flush()  # the latest answers, unless a save is running
            wait_for_background(max(1, deadline.remainingTime()))
            # Deliver the finished save's result (its new version) to this saver.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)
        return not self.busy

    def drop_pending(self) -> None:
        """Forget a save not yet started (sign-off carries the answers itself)."""
        self._after_paint.stop()
        self._pending = None

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once every change is saved (at once if it is)."""
        self.flush()
        if self._in_flight:
            self._when_idle.append(callback)
        else:
            callback()

    def _start_after_paint(self) -> None:
        self._next()

    def _next(self) -> None:
        if self._in_flight:
            return
        if self._pending is None:
            callbacks, self._when_idle = self._when_idle, []
            for callback in callbacks:
                callback()
            return
        if self.stopped:
            self._pending = None
            return
        answers, self._pending = self._pending, None
        self._in_flight = True
        desk, assessment_id, version = self.desk, self.assessment_id, self.version
        run_op(
            lambda: assessment.save_draft(desk, assessment_id, version, answers),
            on_done=self._done,
            on_error=self._failed,
            parent=self.window,
            write=True,
        )

    def _done(self, saved: DraftSaved) -> None:
        self._in_flight = False
        self.version = saved.version
        self.saved.emit(saved)
        if self._pending is not None:
            self._after_paint.start()  # changes made meanwhile: saved after the next repaint
        else:
            self._next()  # nothing to save: whoever waits for the saves goes on

    def _failed(self, exc: Exception) -> None:
        self._in_flight = False
        self._pending = None
        self.stopped = True
        self._when_idle = []
        self.failed.emit(exc)


class DowngradeDialog(QDialog):
    """Asks why a less severe disposition than recommended was chosen (spec section 10)."""

    def __init__(
        self,
        recommended: Disposition,
        destination: Destination | None,
        chosen: Disposition,
        red_flags: tuple[RedFlagRule, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_DowngradeDialog()
        self.ui.setupUi(self)
        self.setStyleSheet(
            "QDialog#DowngradeDialog { background: #fffdf0; border: 3px solid #000; } "
            "QLabel#headlineLabel { font-size: 14pt; } QLabel { font-size: 11.5pt; } "
            "QPlainTextEdit { font-size: 12pt; border: 2px solid #425563; } "
            "QPlainTextEdit:focus { border: 3px solid #005eb8; }"
        )
        self.ui.headlineLabel.setText(
            "⚠ <b>You chose a LESS SEVERE disposition than recommended.</b><br>"
            "Write your reason to sign off."
        )
        where = f" → {html.escape(DESTINATION_LABELS[destination])}" if destination else ""
        flags = "".join(
            f"<li>⚠ {html.escape(rule.title)} ({html.escape(rule.id)}): "
            f"{html.escape(rule.action)}</li>"
            for rule in red_flags
        )
        self.ui.summaryLabel.setText(
            f"<table cellspacing='4'><tr><td>Recommended:</td><td><b>{_upper(recommended)}</b> — "
            f"{html.escape(DISPOSITION_LABELS[recommended])}{where}</td></tr>"
            f"<tr><td>You chose:</td><td><b>{_upper(chosen)}</b> — "
            f"{html.escape(DISPOSITION_LABELS[chosen])}</td></tr></table>"
            + (
                f"<p>Red flags standing (they stay on the record):</p><ul>{flags}</ul>"
                * bool(flags)
            )
            + "<p>The reason is stored with the assessment, written to the audit trail and "
            "printed on the GP letter.</p>"
        )
        self.ui.hintLabel.setText(
            "<b>Ctrl+Enter</b> signs off with this reason · <b>Esc</b> goes back without signing"
        )
        self.ok_button = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Sign off with this reason")
        self.ok_button.setEnabled(False)
        cancel = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Go back (Esc)")
        self.ui.buttonBox.accepted.connect(self._accept_if_reason)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.reasonEdit.textChanged.connect(
            lambda: self.ok_button.setEnabled(bool(self.reason()))
        )
        self.ui.reasonEdit.installEventFilter(self)
        self.ui.reasonEdit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Ctrl+Enter in the reason signs off with it."""
        if (
            watched is self.ui.reasonEdit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._accept_if_reason()
            return True
        return super().eventFilter(watched, event)

    def reason(self) -> str:
        """The reason typed, trimmed."""
        return self.ui.reasonEdit.toPlainText().strip()

    def _accept_if_reason(self) -> None:
        if self.reason():
            self.accept()
        else:
            self.ui.hintLabel.setText(
                "<b>✖ A reason is required</b> to sign off a less severe disposition. "
                "Esc goes back."
            )
            self.ui.reasonEdit.setFocus()


class DecisionEntries(QStyledItemDelegate):
    """Paints the decision list's entries from text laid out once: the selected one white on blue.

    The style's own drawing laid every entry's text out again, twice, at every repaint, and the
    list repaints whenever the recommendation changes (issue #6). The entries say ● for the
    choice and RECOMMENDED in words, so the colours carry no meaning of their own.
    """

    #: Inside each entry, left and right: the style sheet's ``::item`` padding and the style's
    #: text margin, so the text sits where the style put it.
    PADDING: Final = 6
    SELECTED: Final = (QColor("#005eb8"), QColor("#ffffff"))  # background, text

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._texts: dict[tuple[str, int, str], QStaticText] = {}
        self._hints: dict[str, QSize] = {}

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:  # fmt: skip
        """One entry: its background, then its text (elided to the width, as the style does)."""
        rect = option.rect
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        background, ink = self.SELECTED if selected else (palette.base(), palette.text().color())
        painter.fillRect(rect, background)
        width = rect.width() - 2 * self.PADDING
        text = self._text(str(index.data()), width, option.font)
        painter.setPen(ink)
        top = rect.y() + (rect.height() - round(text.size().height())) // 2
        painter.drawStaticText(rect.x() + self.PADDING, top, text)

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """The style's size for an entry, asked once per font (the entries are one line each)."""
        key = option.font.key()
        hint = self._hints.get(key)
        if hint is None:
            hint = self._hints[key] = super().sizeHint(option, index)
        return QSize(hint)

    def _text(self, text: str, width: int, font: QFont) -> QStaticText:
        key = (text, width, font.key())
        static = self._texts.get(key)
        if static is None:
            if len(self._texts) > 64:  # entries change wording with the recommendation
                self._texts.clear()
            elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, width)
            static = QStaticText(elided)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(font=font)
            self._texts[key] = static
        return static


#: The smallest window the form is laid out for (taller while red flags need it).
MINIMUM_WIDTH: Final = 1100
MINIMUM_HEIGHT: Final = 640
#: Under standing red flags, at least this much of the recommendation and decision stays in
#: sight (the window grows for it): the recommendation and the first decisions.
BELOW_RED_FLAGS_AT_LEAST: Final = 240


def _upper(disposition: Disposition) -> str:
    return disposition.value.replace("_", " ").upper()


class AssessmentWindow(QWidget):
    """One triage call: header, questions, red-flag panel, recommendation and decision."""

    #: Signed off: (referral id, chosen disposition id).
    signed = Signal(int, str)

    def __init__(self, desk: Desk, record: AssessmentRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.desk = desk
        self.record = record
        self.protocol = record.protocol
        self.ui = Ui_AssessmentWindow()
        self.ui.setupUi(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setStyleSheet(_stylesheet())
        self.setMinimumSize(MINIMUM_WIDTH, MINIMUM_HEIGHT)
        self.answers: dict[str, AnswerValue] = dict(record.answers)
        self.result: TriageResult = record.evaluate(self.answers)
        self.identity_confirmed = False
        self.signed_off: SignedOff | None = None
        self._chosen_by_hand = False
        self._destination_by_hand = False
        self._updating = False
        self._signing = False
        self._closing = False
        self._quiet = False
        self._reason_text = ""
        self._choice_shown: tuple[object, ...] = ()
        self._close_after_signing = False
        self._signed_lines: list[str] = []
        self.downgrade_dialog: DowngradeDialog | None = None

        self.red_flag_panel = RedFlagPanel(self.protocol.red_flags, self.ui.sideColumn)
        self.ui.sideLayout.insertWidget(0, self.red_flag_panel)
        self.below_red_flags, self._below_layout = self._scroll_below_red_flags()
        self.rows: list[QuestionRow] = []
        self.rows_by_id: dict[str, QuestionRow] = {}
        self._build_form()
        # Every layout holding a widget an answer can show, hide or relabel, innermost first
        # (see _layouts_held).
        ui = self.ui
        panel = self.red_flag_panel.layout()
        assert panel is not None  # noqa: S101 - the panel makes its layout
        self._held_layouts: tuple[QLayout, ...] = (
            panel, ui.recommendationLayout, ui.decisionLayout, self._below_layout, ui.headerLayout,
            ui.formLayout, ui.sideLayout, ui.outerLayout,
        )  # fmt: skip
        self._build_decision()
        self._build_header()
        self.saver = DraftSaver(desk, record, self)
        self.saver.saved.connect(self._draft_saved)
        self.saver.failed.connect(self._draft_failed)
        self._shortcuts()
        self.ui.messageLabel.setVisible(False)
        self.ui.keysLabel.setText(KEYS_LEGEND)
        self.ui.statusLabel.setFixedHeight(self.ui.statusLabel.fontMetrics().height() + 8)
        self._refresh(initial=True)
        if record.signed:
            self._show_signed()
        else:
            self._status("Draft saved" if record.resumed else "New call: the draft is saved after "
                         "every answer")  # fmt: skip
        self.setWindowTitle(
            f"Triage call — {record.patient.name} — {self.protocol.title}"
            + (" (signed)" if record.signed else "")
        )

    # --- building -----------------------------------------------------------------------------

    def _scroll_below_red_flags(self) -> tuple[FittedScrollArea, QVBoxLayout]:
        """Put everything under the red-flag panel in a scroll area of its own.

        With several flags standing on a short window the side column does not fit. The
        recommendation and the decision then scroll, and the red-flag panel keeps the height
        its texts need: every standing flag's mandated action shows whole, never squeezed
        into overlapping or clipped lines (hazard H1, control C1.9). While there is room the
        area is as tall as what it holds, so a flag appearing moves it down unchanged.
        """
        ui = self.ui
        below = OpaqueFrame()  # moved by copying its pixels when the panel above changes height
        below.setObjectName("belowRedFlagsContent")
        layout = QVBoxLayout(below)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(ui.sideLayout.spacing())
        for frame in (ui.recommendationFrame, ui.decisionFrame, ui.signedFrame):
            ui.sideLayout.removeWidget(frame)
            layout.addWidget(frame)
        scroll = FittedScrollArea(ui.sideColumn)
        scroll.setObjectName("belowRedFlags")
        scroll.setWidget(below)
        # Under it the column's stretch (sideSpacer): it shrinks first as the panel grows, then
        # this area does (Maximum policy, no minimum of its own), never the panel.
        ui.sideLayout.insertWidget(ui.sideLayout.indexOf(ui.sideSpacer), scroll)
        return scroll, layout

    def _build_form(self) -> None:
        layout = self.ui.formLayout
        container = self.ui.formContainer
        number = 0
        agree = self.protocol.yellow_flag_tool is YellowFlagTool.START_BACK
        for section in self.protocol.sections:
            guidance = section.guidance
            if not section.item_ids:
                guidance = (guidance or "") + " The decision is on the right (Ctrl+D)."
            layout.addWidget(SectionHeading(section.title, guidance, container))
            for item_id in section.item_ids:
                item = self.protocol.item(item_id)
                number += 1
                row = QuestionRow(item, number, agree_wording=agree and section.id ==
                                  TOOL_SECTION_ID, parent=container)  # fmt: skip
                row.set_value(self.answers.get(item.id), emit=False)
                row.answered.connect(self._answered)
                row.next_requested.connect(self._next_question)
                row.previous_requested.connect(self._previous_question)
                layout.addWidget(row)
                self.rows.append(row)
                self.rows_by_id[item.id] = row
        layout.addStretch(1)
        previous: QWidget | None = None
        for row in self.rows:
            focus = row.editor or row
            if previous is not None:
                QWidget.setTabOrder(previous, focus)
            previous = focus
        if previous is not None:
            QWidget.setTabOrder(previous, self.ui.dispositionList)
        QWidget.setTabOrder(self.ui.dispositionList, self.ui.destinationCombo)
        QWidget.setTabOrder(self.ui.destinationCombo, self.ui.notesEdit)
        QWidget.setTabOrder(self.ui.notesEdit, self.ui.signOffButton)

    def _build_decision(self) -> None:
        ui = self.ui
        for number, disposition in enumerate(DISPOSITIONS_MOST_SEVERE_FIRST, start=1):
            entry = QListWidgetItem(f"{number}  {DISPOSITION_LABELS[disposition]}")
            entry.setData(Qt.ItemDataRole.UserRole, disposition.value)
            ui.dispositionList.addItem(entry)
        height = sum(ui.dispositionList.sizeHintForRow(i) for i in range(6))
        ui.dispositionList.setFixedHeight(height + 2 * ui.dispositionList.frameWidth() + 4)
        ui.dispositionList.setUniformItemSizes(True)  # one line each: no size asked per entry
        ui.dispositionList.setItemDelegate(DecisionEntries(ui.dispositionList))
        ui.dispositionList.currentRowChanged.connect(self._disposition_changed)
        ui.dispositionList.installEventFilter(self)
        ui.destinationCombo.addItem("— choose where the patient is sent —", None)
        for destination, label in DESTINATION_LABELS.items():
            ui.destinationCombo.addItem(label, destination.value)
        ui.destinationCombo.activated.connect(self._destination_chosen)
        # The destination's line keeps its place while hidden: a recommendation moving in or
        # out of physiotherapy then changes no size in the decision panel, which is moved by
        # copying its pixels when the red-flag panel above it grows, instead of repainted.
        for widget in (ui.destinationLabel, ui.destinationCombo):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
        # For the same reason the recommendation keeps the height of the tallest of its recent
        # texts: a red flag adding or taking away its destination line then moves nothing under
        # it (the decision, notes and Sign-off button stay where the physio's eyes are). The
        # score and the screen's completeness change height once a call, when complete.
        ui.recommendationLabel.set_steady(True)
        ui.notesEdit.setPlainText(self.record.notes)
        ui.signOffButton.setAutoDefault(True)
        ui.signOffButton.clicked.connect(self.sign_off)
        ui.addendumButton.setAutoDefault(True)
        ui.addendumButton.clicked.connect(self.add_addendum)
        ui.signedFrame.setVisible(False)

    def _build_header(self) -> None:
        patient = self.record.patient
        needs = (
            f" · <b>Interpreter: {html.escape(patient.interpreter_language)}</b>"
            if patient.interpreter_language
            else ""
        )
        self.ui.patientLabel.setText(
            f"<b>{html.escape(patient.name)}</b> · NHS <b>{format_nhs_number(patient.nhs_number)}"
            f"</b> · born {patient.date_of_birth:%d %b %Y} · <b>{patient.age_on_record}</b> "
            f"years{needs}"
        )
        self.ui.protocolLabel.setText(
            f"{html.escape(self.protocol.title)} · protocol {self.protocol.id} "
            f"{self.protocol.version} ({self.protocol.sha256[:8]})"
        )
        self._show_identity()
        self._call_clock = QElapsedTimer()
        self._call_clock.start()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._tick()
        if not self.record.signed:
            self._timer.start()
        # The questions' pictures and the red flags' labels, made one at a time while nothing
        # else is waiting.
        self._undrawn: list[QuestionRow] = list(self.rows)
        self._draw_ahead = QTimer(self)
        self._draw_ahead.setInterval(0)
        self._draw_ahead.timeout.connect(self._work_ahead)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Shown: make what the keys to come need, ahead of them (see :meth:`_work_ahead`)."""
        super().showEvent(event)
        if self._undrawn or not self.red_flag_panel.prepared:
            self._draw_ahead.start()

    def _work_ahead(self) -> None:
        """One step of what the keys to come need (under a millisecond: no key waits longer).

        The questions' pictures first (the keys that scroll to them), then the red-flag
        panel's labels for every flag of the protocol.
        """
        if not self.isVisible():
            self._draw_ahead.stop()  # showing the form starts it again
        elif self._undrawn:
            self._draw_next_question()
        elif not self.red_flag_panel.prepared:
            self.red_flag_panel.prepare_next()
        else:
            self._draw_ahead.stop()

    def _draw_next_question(self) -> None:
        """One question's picture.

        A question hidden behind a gate is drawn at the size it will have when the gate opens
        (its width is every question's), so the nine questions an answer can show are ready.
        """
        width = next((r.width() for r in self.rows if not r.isHidden()), 0)
        if width <= 0:
            return  # not laid out yet: at the next turn
        row = self._undrawn.pop(0)
        if row.isHidden():
            row.resize(width, row.heightForWidth(width))  # a hidden widget is not laid out
        row.picture()

    def _shortcuts(self) -> None:
        bindings: list[tuple[str, Callable[[], None]]] = [
            ("Ctrl+Return", self._ctrl_enter),
            ("Ctrl+Enter", self._ctrl_enter),
            ("Ctrl+I", self.confirm_identity),
            ("Ctrl+D", self.focus_decision),
            ("Ctrl+U", self.focus_first_unanswered),
            ("Ctrl+W", self._close_form),
        ]
        for keys, slot in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    # --- answering ----------------------------------------------------------------------------

    def first_question(self) -> QuestionRow | None:
        """The first question asked (where a new call starts)."""
        return next((r for r in self.rows if not r.isHidden()), None)

    def start_at_first_question(self) -> None:
        """Put the cursor on the first question (or the first unanswered one on resuming)."""
        target = self.first_question()
        if self.record.resumed:
            unanswered = self._first_unanswered_row()
            target = unanswered or target
        if self.record.signed:
            self.ui.signedLabel.setFocus()
        elif target is not None:
            self._focus_row(target)

    def _answered(self, item_id: str, value: object) -> None:
        if self.record.signed or self.signed_off is not None:
            return
        if value is None:
            self.answers.pop(item_id, None)
        else:
            assert isinstance(value, bool | int | str)  # noqa: S101 - rows give answer values
            self.answers[item_id] = value
        self._refresh()
        self.saver.save(self.answers)
        self._status("Saving…")

    def _refresh(self, *, initial: bool = False) -> None:
        """Re-evaluate and update everything that depends on the answers."""
        try:
            self.result = self.record.evaluate(self.answers)
        except PhysioLineError as exc:  # a defect: the rows only give valid answers
            self._refuse(str(exc))
            return
        result = self.result
        visible = result.visible_items
        with self._layouts_held():
            for row in self.rows:
                hidden = row.item.id not in visible
                if row.isHidden() != hidden:
                    row.setHidden(hidden)
            self.red_flag_panel.show_flags(result.triggered)
            self._mark_flagged_answers()
            self._show_recommendation()
            if not self._chosen_by_hand:
                self._select_disposition(result.disposition)
            self._show_choice()
            self._show_age_check()
            if not initial and self.ui.messageLabel.isVisible() and result.complete:
                self.ui.messageLabel.setVisible(False)
        # Shown or hidden once the side column has moved: it keeps its place either way, and a
        # widget hidden inside the area under the red-flag panel as that area moves made Qt
        # repaint the whole area instead of copying it.
        self._show_destination()
        self._keep_red_flags_whole()

    def _keep_red_flags_whole(self) -> None:
        """Make the window taller when the standing flags need more than the side column has.

        Everything under the red-flag panel gives way first (it scrolls, down to nothing); when
        that is not enough, the window grows by what the panel lacks, and may not be made
        shorter while the flags stand: no mandated action is ever squeezed into clipped or
        overlapping lines (hazard H1, control C1.9). It grows enough to keep the recommendation
        and the top of the decision in sight under the panel as well (Ctrl+D scrolls to the
        rest). Four flags need about 900 px. With every flag withdrawn the window may be made
        small again.
        """
        panel = self.red_flag_panel
        if not panel.standing:
            if self.minimumHeight() != MINIMUM_HEIGHT:
                self.setMinimumHeight(MINIMUM_HEIGHT)
            return
        below = self.below_red_flags
        lacking = panel.heightForWidth(panel.width()) - panel.height()
        lacking += max(0, min(below.content_height(), BELOW_RED_FLAGS_AT_LEAST) - below.height())
        if lacking > 0:
            taller = self.height() + lacking
            self.setMinimumHeight(max(self.minimumHeight(), taller))
            self.resize(self.width(), taller)
            self.ui.outerLayout.activate()  # laid out at the new height now, not at the next paint

    @contextmanager
    def _layouts_held(self) -> Iterator[None]:
        """Show and hide questions and labels with one relayout for all of them, before the paint.

        Qt lays out every ancestor of a widget at once each time one is shown: nine gated
        questions appearing were nine relayouts of the whole form. Held, the layouts are only
        marked dirty; then each is laid out once, innermost first, so that the first paint is
        already the final one (left to layout requests, a red flag took two passes, and a frame
        showed the side column half laid out). The area under the red-flag panel is laid out
        last, at the height the column gives it.
        """
        layouts = self._held_layouts
        for layout in layouts:
            layout.setEnabled(False)
        try:
            yield
        finally:
            for layout in layouts:
                layout.setEnabled(True)
            for layout in layouts:
                if layout is self._below_layout:  # the column first asks for its new height
                    self.below_red_flags.fit()
                else:
                    layout.activate()  # nothing to do for a layout nothing changed in
            self.below_red_flags.fit_content()  # then it is laid out at that height, once

    def _mark_flagged_answers(self) -> None:
        raised_by = self.result.raised_by
        for row in self.rows:
            row.set_flagged(row.item.id in raised_by)

    def _show_recommendation(self) -> None:
        result = self.result
        where = (
            f"<br>→ {html.escape(DESTINATION_LABELS[result.destination])}"
            if result.destination is not None
            else ""
        )
        pathway = (
            "<br>Pathway: psychologically informed (high yellow-flag risk)"
            if result.pathway is not None
            else ""
        )
        flagged = " (⚠ red flag)" if result.triggered else ""
        self.ui.recommendationLabel.setText(
            f"Recommended now{flagged}:<br><span style='font-size:16pt'><b>"
            f"{_upper(result.disposition)}</b></span> — "
            f"{html.escape(DISPOSITION_LABELS[result.disposition])}{where}{pathway}"
        )
        score = result.score
        tool = self.protocol.yellow_flag_tool.display_name
        if score.complete and score.risk is not None:
            parts = [f"total {score.total}", *(f"{n} {v}" for n, v in score.subscales)]
            self.ui.scoreLabel.setText(
                f"{tool}: {', '.join(parts)} → {RISK_WORDS[score.risk.value]} RISK"
            )
        else:
            asked = len(self.protocol.tool_items) - len(score.missing)
            self.ui.scoreLabel.setText(
                f"{tool}: {asked} of {len(self.protocol.tool_items)} answered (no risk group "
                "until all are; the patient may decline)"
            )
        if result.unanswered:
            count = len(result.unanswered)
            self.ui.completenessLabel.setText(
                f"✖ Red-flag screen: {count} question{'s' if count != 1 else ''} STILL TO ASK "
                "(Ctrl+U goes to the first)"
            )
        else:
            self.ui.completenessLabel.setText("✔ Red-flag screen complete")

    def _show_age_check(self) -> None:
        warning = assessment.check_age(self.answers, self.record.patient)
        self.ui.ageCheckLabel.setVisible(warning is not None)
        if warning is not None:
            self.ui.ageCheckLabel.setText(f"⚠ {warning}")

    def _show_identity(self) -> None:
        patient = self.record.patient
        if self.identity_confirmed:
            self.ui.identityLabel.setText(
                "☑ Identity confirmed: name, date of birth and first line of address"
            )
            return
        address = html.escape(patient.address_first_line) or "<i>no address on record</i>"
        self.ui.identityLabel.setText(
            f"☐ <b>Confirm identity</b>: name, date of birth and first line of address "
            f"(<b>{address}</b>), then press <b>Ctrl+I</b>"
        )

    def _tick(self) -> None:
        seconds = self._call_clock.elapsed() // 1000
        self.ui.callTimerLabel.setText(f"☎ On call {seconds // 60:02d}:{seconds % 60:02d}")

    # --- moving around ------------------------------------------------------------------------

    def _focus_row(self, row: QuestionRow) -> None:
        (row.editor or row).setFocus(Qt.FocusReason.OtherFocusReason)
        self._keep_in_sight(row)

    def _keep_in_sight(self, row: QuestionRow) -> None:
        """Scroll only when the question nears an edge, then by a screenful's third at once.

        The next questions stay in sight, and most answers scroll nothing (a scroll repaints
        every question on screen).
        """
        self.ui.formLayout.activate()  # rows just shown or hidden: their places, once
        scroll = self.ui.formScroll
        bar = scroll.verticalScrollBar()
        top = row.mapTo(self.ui.formContainer, QPoint(0, 0)).y()
        height = scroll.viewport().height()
        visible_top = bar.value()
        near = min(160, height // 4)
        if top < visible_top + 20 or top + row.height() > visible_top + height - near:
            bar.setValue(max(0, top - height // 3))

    def _next_question(self, row: QuestionRow) -> None:
        index = self.rows.index(row)
        for following in self.rows[index + 1 :]:
            if not following.isHidden():
                self._focus_row(following)
                return
        self.focus_decision()

    def _previous_question(self, row: QuestionRow) -> None:
        index = self.rows.index(row)
        for earlier in reversed(self.rows[:index]):
            if not earlier.isHidden():
                self._focus_row(earlier)
                return

    def _first_unanswered_row(self) -> QuestionRow | None:
        if not self.result.unanswered:
            return None
        return self.rows_by_id[min(self.result.unanswered, key=self._row_index)]

    def _row_index(self, item_id: str) -> int:
        return self.rows.index(self.rows_by_id[item_id])

    def focus_first_unanswered(self) -> None:
        """Go to the first red-flag question still to ask (Ctrl+U)."""
        row = self._first_unanswered_row()
        if row is not None:
            self._focus_row(row)

    def focus_decision(self) -> None:
        """Go to the decision (Ctrl+D)."""
        target = (
            self.ui.addendumEdit
            if self.record.signed or self.signed_off is not None
            else self.ui.dispositionList
        )
        target.setFocus()
        self.below_red_flags.ensureWidgetVisible(target, 0, 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """1–6 choose a disposition in the decision list; Enter moves on."""
        if (
            watched is self.ui.dispositionList
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            == Qt.KeyboardModifier.NoModifier
        ):
            key = event.key()
            index = key - int(Qt.Key.Key_1)
            if 0 <= index < len(DISPOSITIONS_MOST_SEVERE_FIRST):
                self.ui.dispositionList.setCurrentRow(index)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                target = (
                    self.ui.destinationCombo
                    if self.ui.destinationCombo.isVisible()
                    else self.ui.notesEdit
                )
                target.setFocus()
                return True
        return super().eventFilter(watched, event)

    # --- decision -----------------------------------------------------------------------------

    def chosen_disposition(self) -> Disposition:
        """The disposition selected in the decision area."""
        row = self.ui.dispositionList.currentRow()
        if row < 0:
            return self.result.disposition
        return Disposition(self.ui.dispositionList.item(row).data(Qt.ItemDataRole.UserRole))

    def chosen_destination(self) -> Destination | None:
        """The destination selected (None when none is chosen)."""
        value = self.ui.destinationCombo.currentData()
        return Destination(value) if value else None

    def _select_disposition(self, disposition: Disposition) -> None:
        row = DISPOSITIONS_MOST_SEVERE_FIRST.index(disposition)
        if self.ui.dispositionList.currentRow() == row:
            return
        self._updating = True
        try:
            self.ui.dispositionList.setCurrentRow(row)
        finally:
            self._updating = False

    def _disposition_changed(self, _row: int) -> None:
        if not self._updating:
            self._chosen_by_hand = True
        self._show_choice()
        if not self._updating:  # chosen by the answers: _refresh shows it after the layouts
            self._show_destination()

    def _destination_chosen(self, _index: int) -> None:
        self._destination_by_hand = True
        self._show_choice()

    def _show_choice(self) -> None:
        recommended = self.result.disposition
        chosen = self.chosen_disposition()
        shown = (recommended, chosen, self.result.destination, self._destination_by_hand)
        if shown == self._choice_shown:
            return  # unchanged: relabelling the list would repaint it for nothing
        self._choice_shown = shown
        for i, disposition in enumerate(DISPOSITIONS_MOST_SEVERE_FIRST):
            entry = self.ui.dispositionList.item(i)
            mark = "   ◀ RECOMMENDED" if disposition is recommended else ""
            chosen_mark = "●" if disposition is chosen else "○"  # the choice, without colour
            entry.setText(f"{chosen_mark} {i + 1}  {DISPOSITION_LABELS[disposition]}{mark}")
        # Lay the relabelled entries out now: left to the list's own timer, they were painted
        # in a second frame after the rest of the answer.
        self.ui.dispositionList.doItemsLayout()
        downgrade = chosen.is_less_severe_than(recommended)
        self.ui.downgradeLabel.setVisible(downgrade)
        if downgrade:
            self.ui.downgradeLabel.setText(
                f"⚠ LESS SEVERE than recommended ({DISPOSITION_LABELS[recommended]}). "
                "Signing off will ask for your written reason."
            )

    def _show_destination(self) -> None:
        """The destination line, for a disposition that sends the patient elsewhere."""
        chosen = self.chosen_disposition()
        needs_destination = not chosen.stays_in_physiotherapy
        self.ui.destinationLabel.setVisible(needs_destination)
        self.ui.destinationCombo.setVisible(needs_destination)
        if needs_destination and not self._destination_by_hand:
            wanted = self.result.destination if chosen is self.result.disposition else None
            index = 0 if wanted is None else self.ui.destinationCombo.findData(wanted.value)
            self.ui.destinationCombo.setCurrentIndex(index)

    # --- identity -----------------------------------------------------------------------------

    def confirm_identity(self) -> None:
        """The physio confirmed name, date of birth and address with the patient (Ctrl+I)."""
        if self.identity_confirmed or self.record.signed:
            return
        self.identity_confirmed = True
        self._show_identity()
        desk, assessment_id = self.desk, self.record.assessment_id
        run_op(lambda: assessment.confirm_identity(desk, assessment_id), parent=self, write=True)

    # --- sign-off -----------------------------------------------------------------------------

    def _ctrl_enter(self) -> None:
        if self.record.signed or self.signed_off is not None:
            self.add_addendum()
        else:
            self.sign_off()

    def _refuse(self, text: str) -> None:
        self.ui.messageLabel.setText(f"✖ {html.escape(text, quote=False)}")
        self.ui.messageLabel.setVisible(True)
        self.below_red_flags.ensureWidgetVisible(self.ui.messageLabel, 0, 0)
        self._status("Not signed off: see the decision panel.")

    def unanswered_description(self) -> str:
        """The unanswered red-flag questions as "Q7 (…), Q9 (…)" in form order."""
        ordered = sorted(self.result.unanswered, key=self._row_index)
        parts = []
        for item_id in ordered:
            row = self.rows_by_id[item_id]
            text = question_plain(row.item.question)
            short = text if len(text) <= 60 else text[:57].rstrip() + "…"
            parts.append(f"Q{row.number} {item_id} ({short})")
        return "; ".join(parts)

    def sign_off(self) -> None:
        """Sign off the call (Ctrl+Enter), if everything sign-off needs is there."""
        if self.record.signed or self.signed_off is not None or self._signing:
            return
        if self.saver.stopped:
            self._refuse("The draft could not be saved; close this form and open it again.")
            return
        result = self.result
        if not result.complete:
            count = len(result.unanswered)
            self._refuse(
                f"Cannot sign off: {count} red-flag question{'s' if count != 1 else ''} "
                f"unanswered: {self.unanswered_description()}."
            )
            self.focus_first_unanswered()
            return
        if not self.identity_confirmed:
            self._refuse(
                "Cannot sign off: confirm the patient's identity first (name, date of birth, "
                "first line of address), then press Ctrl+I."
            )
            return
        chosen = self.chosen_disposition()
        destination = None if chosen.stays_in_physiotherapy else self.chosen_destination()
        if not chosen.stays_in_physiotherapy and destination is None:
            self._refuse("Cannot sign off: choose where the patient is being sent (destination).")
            self.ui.destinationCombo.setFocus()
            return
        warning = assessment.check_age(self.answers, self.record.patient)
        if warning is not None:
            answer = QMessageBox.question(
                self, "Check the patient", f"{warning}\n\nSign off anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )  # fmt: skip
            self.activateWindow()
            if answer != QMessageBox.StandardButton.Yes:
                return
        reason = ""
        if chosen.is_less_severe_than(result.disposition):
            dialog = DowngradeDialog(
                result.disposition, result.destination, chosen, result.triggered, self
            )
            self.downgrade_dialog = dialog
            self.place_over_questions(dialog)
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            reason = dialog.reason()
            self.downgrade_dialog = None
            self.activateWindow()
            if not accepted or not reason:
                self._refuse(
                    "Not signed off: a less severe disposition than recommended needs your "
                    "written reason."
                )
                return
        self._reason_text = reason
        decision = SignOffDecision(
            chosen=chosen,
            destination=destination,
            reason=reason,
            notes=self.ui.notesEdit.toPlainText(),
            identity_confirmed=True,
        )
        self._signing = True
        self.ui.signOffButton.setEnabled(False)
        self._status("Signing off…")
        answers = dict(self.answers)
        self.saver.drop_pending()
        self.saver.when_idle(lambda: self._send_sign_off(answers, decision))

    def place_over_questions(self, dialog: QDialog) -> None:
        """Put a dialog over the questions, so the red-flag panel stays readable beside it."""
        area = self.ui.formScroll
        corner = area.mapToGlobal(QPoint(0, 0))
        size = dialog.sizeHint().expandedTo(dialog.size())
        dialog.move(
            corner.x() + max(0, (area.width() - size.width()) // 2),
            corner.y() + max(0, (area.height() - size.height()) // 3),
        )

    def _send_sign_off(self, answers: dict[str, AnswerValue], decision: SignOffDecision) -> None:
        desk, assessment_id, version = self.desk, self.record.assessment_id, self.saver.version
        run_op(
            lambda: assessment.sign_off(desk, assessment_id, version, answers, decision),
            on_done=self._signed,
            on_error=self._sign_off_failed,
            parent=self,
            write=True,
        )

    def _sign_off_failed(self, exc: Exception) -> None:
        self._signing = False
        if self._close_after_signing:
            self.show()  # not signed: the physio must see why before leaving the call
            self._close_after_signing = False
        self.ui.signOffButton.setEnabled(True)
        if isinstance(exc, SignOffRefused):
            self._refuse(exc.message)
            return
        self._status("Not signed off.")
        show_error(self, exc)

    def _signed(self, done: SignedOff) -> None:
        self._signing = False
        self.signed_off = done
        self._timer.stop()
        self._show_signed()
        self.signed.emit(done.referral_id, done.chosen.value)
        if self._close_after_signing:
            self._close_now()

    def _show_signed(self) -> None:
        record, done = self.record, self.signed_off
        for row in self.rows:
            row.set_read_only(True)
        self.ui.notesEdit.setReadOnly(True)
        self.ui.decisionFrame.setVisible(False)
        self.ui.messageLabel.setVisible(False)
        self.ui.signedFrame.setVisible(True)
        signed_at: datetime | None
        if done is not None:
            signed_at = done.signed_at
            clinician = self.desk.actor.display_name if self.desk.actor else ""
            recommended, chosen = done.recommended, done.chosen
            destination = done.destination
            reason = self._reason_text if done.downgraded else None
            next_step = done.next_step
        else:
            signed_at, clinician = record.signed_at, record.clinician
            recommended = record.recommended_disposition or self.result.disposition
            chosen = record.chosen_disposition or recommended
            destination, reason = record.destination, record.downgrade_reason
            next_step = ""
        when = f"{to_london(signed_at):%a %d %b %Y %H:%M}" if signed_at else ""
        where = f" → {html.escape(DESTINATION_LABELS[destination])}" if destination else ""
        lines = [
            f"<p style='font-size:14pt'><b>✔ SIGNED OFF</b> {when} by {html.escape(clinician)}</p>",
            f"<p>Recommended: <b>{_upper(recommended)}</b>; chosen: <b>{_upper(chosen)}</b> — "
            f"{html.escape(DISPOSITION_LABELS[chosen])}{where}</p>",
        ]
        if reason:
            lines.append(f"<p>⚠ Less severe than recommended. Reason: <b>{html.escape(reason)}"
                         "</b></p>")  # fmt: skip
        flags = self.result.red_flags if done is not None else record.red_flags
        if flags:
            lines.append(f"<p>Red flags on the record: {html.escape(', '.join(flags))}</p>")
        if next_step:
            lines.append(f"<p style='font-size:12.5pt'><b>What happens next:</b> "
                         f"{html.escape(next_step)}</p>")  # fmt: skip
        for addendum in record.addenda:
            lines.append(
                f"<p>Addendum {to_london(addendum.written_at):%d %b %Y %H:%M} by "
                f"{html.escape(addendum.author)}: {html.escape(addendum.text)}</p>"
            )
        self._signed_lines = lines
        self.ui.signedLabel.setText("".join(lines))
        self.ui.callTimerLabel.setText("☎ Call ended" if done is not None else "Signed record")
        self._status("Signed off. An addendum corrects it; Ctrl+W closes the form.")  # fmt: skip
        self.ui.addendumEdit.setFocus()

    def add_addendum(self) -> None:
        """Add the addendum typed below the signed record (Ctrl+Enter)."""
        text = self.ui.addendumEdit.toPlainText().strip()
        if not text:
            self._status("Type the addendum first.")
            self.ui.addendumEdit.setFocus()
            return
        desk, assessment_id = self.desk, self.record.assessment_id

        def done(added: assessment.Addendum) -> None:
            self.ui.addendumEdit.clear()
            self._signed_lines.append(
                f"<p>Addendum {to_london(added.written_at):%d %b %Y %H:%M} by "
                f"{html.escape(added.author)}: {html.escape(added.text)}</p>"
            )
            self.ui.signedLabel.setText("".join(self._signed_lines))
            self._status("Addendum added.")

        run_op(lambda: assessment.add_addendum(desk, assessment_id, text), on_done=done,
               parent=self, disable=self.ui.addendumButton, write=True)  # fmt: skip

    # --- saving -------------------------------------------------------------------------------

    def _draft_saved(self, saved: DraftSaved) -> None:
        if not self.saver.busy and self.signed_off is None:
            self._status(f"Draft saved {to_london(saved.saved_at):%H:%M:%S}")

    def _draft_failed(self, exc: Exception) -> None:
        self._status(f"✖ NOT SAVED: {exc}")
        if self._quiet:
            log.error("assessment %s: draft not saved while closing: %s",
                      self.record.assessment_id, exc)  # fmt: skip
            return
        show_error(self, exc)

    def _status(self, text: str) -> None:
        """One line on the save state; fixed in size, so changing it relays nothing."""
        metrics = self.ui.statusLabel.fontMetrics()
        width = self.ui.statusLabel.maximumWidth()
        self.ui.statusLabel.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
        self.ui.statusLabel.setToolTip(text)

    # --- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Leaving a call: confirm if a red flag stands unsigned; finish saving first."""
        if self._closing:
            super().closeEvent(event)
            return
        unsigned = not self.record.signed and self.signed_off is None
        if unsigned and self.red_flag_panel.standing and not self.saver.stopped:
            flags = ", ".join(rule.id for rule in self.red_flag_panel.standing)
            answer = QMessageBox.question(
                self, "A red flag stands",
                f"A red flag stands ({flags}) and the call is not signed off. The draft is saved "
                "and the referral stays claimed by you.\n\nClose the form anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if self._signing:
            # The sign-off is being written: close once it has, so its result is shown to
            # the main window (booking, worklist) rather than lost with this form.
            event.ignore()
            self.hide()
            self._close_after_signing = True
            return
        if self.saver.busy:
            # Hide now, close when the last save has been written.
            event.ignore()
            self.hide()
            self.saver.when_idle(self._close_now)
            return
        self._closing = True
        super().closeEvent(event)

    def _close_form(self) -> None:
        self.close()

    def close_without_asking(self, timeout_ms: int = 10_000) -> None:
        """Close without the red-flag question (signing out, shutting down).

        Every change is written to the draft first (waiting up to ``timeout_ms``), so there is
        nothing to ask: the draft holds the answers and the referral stays claimed.
        """
        self._quiet = True  # no dialog from here on: a failed save is logged
        if not self.saver.finish(timeout_ms):
            log.error("assessment %s closed with its last changes unsaved (save failed or "
                      "timed out)", self.record.assessment_id)  # fmt: skip
        self._closing = True
        self.close()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        """Hidden (the screen lock, closing): a save waiting for the repaint starts now."""
        self.saver.flush()
        super().hideEvent(event)

    def _close_now(self) -> None:
        self._closing = True
        self.close()


class AssessmentLauncher(QObject):
    """Opens the form for the referral selected on the worklist (Ctrl+O), claiming it if needed."""

    #: An assessment was signed off: (referral id, chosen disposition id).
    signed = Signal(int, str)
    #: A form opened (for tests and the main window).
    opened = Signal(object)

    def __init__(self, desk: Desk, window: QMainWindow, selected: Callable[[], int | None]) -> None:
        super().__init__(window)
        self.desk = desk
        self.window = window
        self.selected = selected
        self.forms: dict[int, AssessmentWindow] = {}
        self.problems: tuple[str, ...] = ()

    def check_protocols(self) -> None:
        """Check every protocol file now, at start, and report problems before any call."""
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.window):
            return  # the window closed before its start-up work ran
        run_op(assessment.check_protocols_at_start, on_done=self._protocols_checked,
               parent=self.window)  # fmt: skip

    def _protocols_checked(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        if not problems:
            return
        log.error("protocol check at start: %d problem(s)", len(problems))
        shown = "\n".join(problems[:8]) + (f"\n… and {len(problems) - 8} more"
                                            if len(problems) > 8 else "")  # fmt: skip
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Protocol files have problems",
            "Calls cannot start on a protocol that fails the check. These problems were found:"
            f"\n\n{shown}\n\nAsk IT or the clinical safety officer to fix them "
            "(`physioline protocols check`). Calls on the other regions work as usual.",
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def open_selected(self) -> None:
        """Start or resume the call of the selected referral, or show its signed record."""
        referral_id = self.selected()
        if referral_id is None:
            self._status("Select a referral on the worklist first, then press Ctrl+O.")
            return
        self.open_referral(referral_id)

    def open_referral(self, referral_id: int) -> None:
        """Open the form for this referral (claiming it if nobody has it)."""
        form = self.forms.get(referral_id)
        if form is not None:
            form.show()
            if QGuiApplication.platformName() != "offscreen":  # offscreen cannot raise
                form.raise_()
            form.activateWindow()
            return
        desk = self.desk
        self._status("Opening the assessment…")
        run_op(lambda: assessment.start_assessment(desk, referral_id), on_done=self._show,
               parent=self.window, write=True)  # fmt: skip

    def _show(self, record: AssessmentRecord) -> None:
        refresh = getattr(self.window, "worklist", None)
        if refresh is not None:
            refresh.refresh_referrals({record.referral_id})
        form = AssessmentWindow(self.desk, record, self.window)
        self.forms[record.referral_id] = form
        form.signed.connect(self.signed)
        form.destroyed.connect(lambda _o=None, rid=record.referral_id: self.forms.pop(rid, None))
        form.show()
        form.activateWindow()
        form.start_at_first_question()
        state = "signed record" if record.signed else ("resumed" if record.resumed else "started")
        self._status(f"Assessment {state}: {record.protocol.title}.")
        self.opened.emit(form)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)


__all__ = ["AssessmentLauncher", "AssessmentWindow", "DowngradeDialog", "DraftSaver"]
