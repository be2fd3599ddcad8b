"""Triage form questions: a row per protocol item, answered by keyboard as the patient talks.

Keys on a question: **Y** / **N** for yes-no questions (and "can you…" questions), the option's
number for other choices, digits then Enter for numbers, typing for free text. Enter, Tab and the
arrow keys move on; Backspace clears an answer. Answers are always written out in words beside
the question, so nothing depends on colour.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QIntValidator, QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from physioline.core.conditions import AnswerValue
from physioline.core.protocol import ProtocolItem
from physioline.core.vocabulary import ABILITY_OPTIONS, ItemType

_BOLD: Final = re.compile(r"\*\*(.+?)\*\*")
_ITALIC: Final = re.compile(r"(?<![*\w])\*(?!\*)(.+?)(?<!\*)\*(?![*\w])")

#: Keys that move between questions without answering.
NEXT_KEYS: Final = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down)
PREVIOUS_KEYS: Final = (Qt.Key.Key_Up,)
CLEAR_KEYS: Final = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)


def question_html(text: str) -> str:
    """A question as readable rich text: the spec's ``**bold**`` and ``*italic*`` rendered.

    The text is escaped first, so nothing in a protocol file can inject markup.
    """
    escaped = html.escape(text, quote=False)
    return _ITALIC.sub(r"<i>\1</i>", _BOLD.sub(r"<b>\1</b>", escaped))


def question_plain(text: str) -> str:
    """A question without its emphasis marks (for messages and lists)."""
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))


def answer_words(item: ProtocolItem, value: AnswerValue | None, *, agree: bool = False) -> str:
    """An answer in words, as the row shows it: "YES", "NO", "57", "Minor (…)"."""
    if value is None:
        return ""
    if item.type is ItemType.BOOL:
        if agree:
            return "AGREE" if value else "DISAGREE"
        return "YES" if value else "NO"
    if item.type is ItemType.CHOICE:
        if item.option_ids == ABILITY_OPTIONS:
            return "YES, CAN" if value == "yes" else "NO, CANNOT"
        for option in item.options:
            if option.id == value:
                return option.label
    return str(value)


class QuestionRow(QFrame):
    """One question of the protocol, with its answer keys and its answer in words."""

    #: The answer changed: (item id, value or None for unanswered).
    answered = Signal(str, object)
    #: Move to the next question (after an answer, Enter, Tab or Down).
    next_requested = Signal(object)
    #: Move to the previous question (Up).
    previous_requested = Signal(object)

    def __init__(
        self, item: ProtocolItem, number: int, *, agree_wording: bool, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.item = item
        self.number = number
        self.value: AnswerValue | None = None
        self.read_only = False
        self._agree = agree_wording and item.type is ItemType.BOOL
        self._current = False
        self._flagged = False
        self.setObjectName("question")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 5, 8, 5)
        layout.setHorizontalSpacing(10)
        layout.setVerticalSpacing(2)
        self.number_label = QLabel(f"{number}.", self)
        self.number_label.setObjectName("questionNumber")
        self.number_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        # Fixed in size, with room for the ▶ marker: marking the current question relays nothing.
        self.number_label.ensurePolished()
        metrics = self.number_label.fontMetrics()
        self.number_label.setFixedSize(
            max(44, metrics.horizontalAdvance(f"▶ {number}.") + 4), metrics.height()
        )
        # Rich text only where the question has emphasis: plain labels lay out and paint faster.
        self._rich = question_plain(item.question) != item.question
        self.text_label = QLabel(self._question_text(), self)
        self.text_label.setObjectName("questionText")
        self.text_label.setTextFormat(
            Qt.TextFormat.RichText if self._rich else Qt.TextFormat.PlainText
        )
        self.text_label.setWordWrap(True)
        self.text_label.setToolTip(item.id)
        self.keys_label = QLabel(self)
        self.keys_label.setObjectName("questionKeys")
        self.keys_label.setTextFormat(Qt.TextFormat.PlainText)
        self.keys_label.setWordWrap(True)
        self.answer_label = QLabel(self)
        self.answer_label.setObjectName("questionAnswer")
        self.answer_label.setMinimumWidth(150)
        self.answer_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.answer_label.setWordWrap(True)
        layout.addWidget(self.number_label, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text_label, 0, 1)
        layout.addWidget(self.answer_label, 0, 2, 2, 1)
        layout.addWidget(self.keys_label, 1, 1)
        layout.setColumnStretch(1, 1)
        self.editor: QLineEdit | QPlainTextEdit | None = None
        if item.type is ItemType.INT:
            edit = QLineEdit(self)
            edit.setObjectName("questionNumberEdit")
            edit.setMaximumWidth(110)
            assert item.minimum is not None  # noqa: S101 - the loader requires a range
            assert item.maximum is not None  # noqa: S101
            edit.setValidator(QIntValidator(item.minimum, item.maximum, edit))
            edit.textEdited.connect(self._number_edited)
            self.editor = edit
            layout.addWidget(edit, 2, 1, Qt.AlignmentFlag.AlignLeft)
        elif item.type is ItemType.TEXT:
            text = QPlainTextEdit(self)
            text.setObjectName("questionTextEdit")
            text.setTabChangesFocus(True)
            text.setMaximumHeight(64)
            text.textChanged.connect(self._text_edited)
            self.editor = text
            layout.addWidget(text, 2, 1, 1, 2)
        if self.editor is not None:
            self.setFocusProxy(self.editor)
            self.editor.installEventFilter(self)
        self._show_answer()

    # --- answers ------------------------------------------------------------------------------

    def set_value(self, value: AnswerValue | None, *, emit: bool = True) -> None:
        """Show ``value`` as this question's answer (None: unanswered)."""
        self.value = value
        if isinstance(self.editor, QLineEdit):
            text = "" if value is None else str(value)
            if self.editor.text() != text and not (emit and self.editor.hasFocus()):
                self.editor.setText(text)
        elif isinstance(self.editor, QPlainTextEdit):
            text = value if isinstance(value, str) else ""
            if self.editor.toPlainText() != text:
                self.editor.blockSignals(True)
                self.editor.setPlainText(text)
                self.editor.blockSignals(False)
        self._show_answer()
        if emit:
            self.answered.emit(self.item.id, value)

    def set_read_only(self, read_only: bool) -> None:
        """A signed assessment: answers are shown, keys no longer change them."""
        self.read_only = read_only
        if isinstance(self.editor, QLineEdit | QPlainTextEdit):
            self.editor.setReadOnly(read_only)
        self._show_answer()

    def _number_edited(self, text: str) -> None:
        editor = self.editor
        assert isinstance(editor, QLineEdit)  # noqa: S101 - int rows have a line edit
        state = editor.validator().validate(text, 0)
        acceptable = isinstance(state, tuple) and state[0] == QValidator.State.Acceptable
        if text == "":
            self.set_value(None)
        elif acceptable:
            self.set_value(int(text))
        else:  # part of a number (a "5" on the way to "57"): not an answer yet
            self.set_value(None)
            self._show_answer(partial=text)

    def _text_edited(self) -> None:
        editor = self.editor
        assert isinstance(editor, QPlainTextEdit)  # noqa: S101 - text rows have a text edit
        text = editor.toPlainText()
        self.set_value(text if text.strip() else None)

    def _show_answer(self, partial: str | None = None) -> None:
        item, value = self.item, self.value
        if item.type is ItemType.BOOL:
            yes, no = ("Agree", "Disagree") if self._agree else ("Yes", "No")
            self.keys_label.setText(self._choices([("Y", yes, True), ("N", no, False)]))
        elif item.type is ItemType.CHOICE:
            if item.option_ids == ABILITY_OPTIONS:
                keys = [("Y", "Yes, can", "yes"), ("N", "No, cannot", "no")]
            else:
                keys = [(str(n), o.label, o.id) for n, o in enumerate(item.options, start=1)]
            self.keys_label.setText(self._choices(keys))
        elif item.type is ItemType.INT:
            self.keys_label.setText(
                f"Type the number ({item.minimum}–{item.maximum}), then Enter"
                if not self.read_only else ""
            )  # fmt: skip
            if partial is not None:
                self.keys_label.setText(
                    f"✖ {partial} is not a whole number from {item.minimum} to {item.maximum} "
                    "yet: keep typing, or Backspace"
                )
        else:
            note = item.note or "Free text; never used by any rule."
            self.keys_label.setText(note + " Enter moves on; Shift+Enter: new line.")
        words = answer_words(item, value, agree=self._agree)
        if item.type is ItemType.TEXT:
            self.answer_label.setText("")  # the text box shows it
        elif words:
            self.answer_label.setText(words)
        elif item.is_red_flag_screening:
            self.answer_label.setText("— not asked yet")
        else:
            self.answer_label.setText("—")

    def _choices(self, keys: Sequence[tuple[str, str, object]]) -> str:
        """The answer keys, the chosen one marked ● and in capitals (no colour needed)."""
        parts = []
        for key, label, value in keys:
            chosen = self.value is not None and self.value == value
            parts.append(f"● [{key}] {label.upper()}" if chosen else f"○ [{key}] {label}")
        return "     ".join(parts)

    # --- the current question -----------------------------------------------------------------

    def set_current(self, current: bool) -> None:
        """Mark this as the question being asked (a ▶ marker and a thick border)."""
        if current == self._current:
            return
        self._current = current
        self.number_label.setText(f"▶ {self.number}." if current else f"{self.number}.")
        self._repolish("current", current)

    def set_flagged(self, flagged: bool) -> None:
        """Mark an answer that triggers a standing red flag (⚠ in words, a bar at the side)."""
        if flagged == self._flagged:
            return
        self._flagged = flagged
        self.text_label.setText(self._question_text())
        self._repolish("flagged", flagged)
        # The whole question in bold while it raises a flag (ui/assessment.qss).
        self.text_label.setProperty("flagged", "true" if flagged else "false")
        self.text_label.style().unpolish(self.text_label)
        self.text_label.style().polish(self.text_label)

    def _question_text(self) -> str:
        question = self.item.question
        if self._rich:
            return ("<b>⚠ RED FLAG</b> — " if self._flagged else "") + question_html(question)
        return ("⚠ RED FLAG — " if self._flagged else "") + question

    @property
    def flagged(self) -> bool:
        """This answer triggers a standing red flag."""
        return self._flagged

    def _repolish(self, name: str, value: bool) -> None:
        self.setProperty(name, "true" if value else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        """Becoming the current question."""
        super().focusInEvent(event)
        self.set_current(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        """No longer the current question."""
        super().focusOutEvent(event)
        self.set_current(False)

    # --- keys ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Answer keys for yes-no and choice questions; moving on for every question."""
        if self._handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter, arrows and focus on the number or text box of this question."""
        if watched is self.editor:
            if event.type() == QEvent.Type.FocusIn:
                self.set_current(True)
            elif event.type() == QEvent.Type.FocusOut:
                self.set_current(False)
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._editor_key(event)
        return super().eventFilter(watched, event)

    def _editor_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)  # fmt: skip
        if isinstance(self.editor, QPlainTextEdit):
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
                self.next_requested.emit(self)
                return True
            return False
        if plain and key in NEXT_KEYS:
            self.next_requested.emit(self)
            return True
        if plain and key in PREVIOUS_KEYS:
            self.previous_requested.emit(self)
            return True
        return False

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers != Qt.KeyboardModifier.NoModifier:
            return False
        if key in NEXT_KEYS:
            self.next_requested.emit(self)
            return True
        if key in PREVIOUS_KEYS:
            self.previous_requested.emit(self)
            return True
        if self.read_only:
            return False
        if key in CLEAR_KEYS:
            self.set_value(None)
            return True
        value = self._value_for_key(Qt.Key(key))
        if value is None:
            return False
        self.set_value(value)
        self.next_requested.emit(self)
        return True

    def _value_for_key(self, key: Qt.Key) -> AnswerValue | None:
        item = self.item
        if item.type is ItemType.BOOL:
            return {Qt.Key.Key_Y: True, Qt.Key.Key_N: False}.get(key)
        if item.type is ItemType.CHOICE:
            if item.option_ids == ABILITY_OPTIONS:
                return {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no"}.get(key)
            index = int(key) - int(Qt.Key.Key_1)
            if 0 <= index < len(item.options) and index < 9:
                return item.options[index].id
        return None


class SectionHeading(QWidget):
    """A section of the call (presenting complaint, red-flag screen, yellow flags, plan)."""

    def __init__(self, title: str, guidance: str | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 6, 0, 2)
        self.title_label = QLabel(html.escape(title), self)
        self.title_label.setObjectName("sectionTitle")
        layout.addWidget(self.title_label, 0, 0)
        if guidance:
            self.guidance_label = QLabel(question_html(guidance), self)
            self.guidance_label.setObjectName("sectionGuidance")
            self.guidance_label.setWordWrap(True)
            layout.addWidget(self.guidance_label, 1, 0)


__all__ = ["QuestionRow", "SectionHeading", "answer_words", "question_html", "question_plain"]
