"""Triage form questions: a row per protocol item, answered by keyboard as the patient talks.

Keys on a question: **Y** / **N** for yes-no questions (and "can you…" questions), the option's
number for other choices, digits then Enter for numbers, typing for free text. Enter, Tab and the
arrow keys move on; Backspace clears an answer. Answers are always written out in words beside
the question, so nothing depends on colour.

Each question paints itself (its frame, number, question, answer keys and answer) from text
laid out once per width and per change, rather than as a frame of styled labels: the form
repaints a screenful of questions whenever an answer shows, hides or scrolls them, and every
key must reach the screen well inside one frame (issue #6).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QEvent, QObject, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QIntValidator,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
    QValidator,
)
from PySide6.QtWidgets import (
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


_TAG: Final = re.compile(r"(</?[bi]>)")


def markup_runs(markup: str) -> list[tuple[str, bool, bool]]:
    """``question_html`` markup as runs of (text, bold, italic), entities decoded."""
    runs: list[tuple[str, bool, bool]] = []
    bold = italic = 0
    for piece in _TAG.split(markup):
        if piece in ("<b>", "</b>"):
            bold += 1 if piece == "<b>" else -1
        elif piece in ("<i>", "</i>"):
            italic += 1 if piece == "<i>" else -1
        elif piece:
            runs.append((html.unescape(piece), bold > 0, italic > 0))
    return runs


class PaintedText:
    """A piece of a question's text painted by its row: laid out once per width and per change.

    A label would lay the text out again at every paint and every size question; the form
    repaints a screenful of questions whenever an answer shows, hides or scrolls them.
    """

    def __init__(self, device: QWidget, color: str, *, rich: bool = False,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:  # fmt: skip
        self.color = QColor(color)
        self.rich = rich
        self._device = device
        self._markup = ""
        self._font = QFont()
        self._option = QTextOption(align)
        self._option.setWrapMode(QTextOption.WrapMode.WordWrap)
        self._layout: QTextLayout | None = None
        self._width = -1  # the width the layout's lines are broken for
        self._heights: dict[int, int] = {}  # per width asked (a layout asks two or three)

    def text(self) -> str:
        """The text as given (rich text markup for a question with emphasis)."""
        return self._markup

    def set_text(self, markup: str) -> bool:
        """Show this text; False when it is the text shown already (nothing to do)."""
        if markup == self._markup:
            return False
        self._markup = markup
        self._layout = None
        self._heights.clear()
        return True

    def font(self) -> QFont:
        """The font the text is painted in."""
        return self._font

    def set_font(self, font: QFont) -> None:
        """Paint in this font."""
        if font != self._font:
            self._font = QFont(font)
            self._layout = None
            self._heights.clear()

    def height_for_width(self, width: int) -> int:
        """Height of the text wrapped to ``width`` pixels (0 without text)."""
        if not self._markup:
            return 0
        height = self._heights.get(width)
        if height is None:
            height = self._lay_out(width)
        return height

    def draw(self, painter: QPainter, x: int, y: int, width: int) -> None:
        """Paint the text with its top left at (x, y), wrapped to ``width`` pixels."""
        if not self._markup:
            return
        if self._layout is None or width != self._width:
            self._lay_out(width)
        assert self._layout is not None  # noqa: S101 - just laid out
        painter.setPen(self.color)
        self._layout.draw(painter, QPointF(x, y))

    def _lay_out(self, width: int) -> int:
        layout = self._layout
        if layout is None:
            if self.rich:
                runs = markup_runs(self._markup)
                text = "".join(run for run, _, _ in runs)
            else:
                runs, text = [], self._markup
            layout = QTextLayout(text, self._font, self._device)
            layout.setTextOption(self._option)
            layout.setCacheEnabled(True)  # keep the shaped glyphs for every repaint
            ranges = []
            start = 0
            for run, bold, italic in runs:
                if bold or italic:
                    emphasis = QTextCharFormat()
                    if bold:
                        emphasis.setFontWeight(QFont.Weight.Bold)
                    if italic:
                        emphasis.setFontItalic(True)
                    part = QTextLayout.FormatRange()
                    part.start, part.length, part.format = start, len(run), emphasis
                    ranges.append(part)
                start += len(run)
            if ranges:
                layout.setFormats(ranges)
            self._layout = layout
        layout.beginLayout()
        height = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, height))
            height += line.height()
        layout.endLayout()
        self._width = width
        self._heights[width] = math.ceil(height)
        return self._heights[width]


#: The frame of a question: border (2 px, 3 px when current), then the margins inside it.
_FRAME: Final = 3
_MARGINS: Final = (8, 5, 8, 5)
_SPACING: Final = (10, 2)  # between columns, between the question and its keys
_ANSWER_WIDTH: Final = 150
_FLAG_BAR: Final = 8
_COLOURS: Final = {
    "border": QColor("#d8dde0"),
    "background": QColor("#ffffff"),
    "current_border": QColor("#005eb8"),
    "current_background": QColor("#eef5fc"),
    "flag_bar": QColor("#b10e1e"),
}


class QuestionRow(QWidget):
    """One question of the protocol, with its answer keys and its answer in words.

    The current question has a ▶ marker and a thick border; a question whose answer raises a
    standing red flag says RED FLAG in bold, with a bar at its side. Nothing depends on colour.
    """

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
        self._fonts_for: QFont | None = None
        self._number_width = 44
        self._hfw: dict[int, int] = {}  # height per width, until the text changes
        self._picture: QPixmap | None = None  # the question as last drawn, and what it showed
        self._picture_key: tuple[object, ...] = ()
        self.setObjectName("question")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # it fills all it covers
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setToolTip(item.id)
        self.setAccessibleName(f"Question {number}: {question_plain(item.question)}")
        # Rich text only where the question has emphasis.
        self._rich = question_plain(item.question) != item.question
        self.number_label = PaintedText(self, "#425563", align=Qt.AlignmentFlag.AlignRight)
        self.number_label.set_text(f"{number}.")
        self.text_label = PaintedText(self, "#000000", rich=self._rich)
        self.text_label.set_text(self._question_text())
        self.keys_label = PaintedText(self, "#222222")
        self.answer_label = PaintedText(self, "#000000", align=Qt.AlignmentFlag.AlignRight)
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
        elif item.type is ItemType.TEXT:
            text = QPlainTextEdit(self)
            text.setObjectName("questionTextEdit")
            text.setTabChangesFocus(True)
            text.setMaximumHeight(64)
            text.textChanged.connect(self._text_edited)
            self.editor = text
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
            keys = self._choices([("Y", yes, True), ("N", no, False)])
        elif item.type is ItemType.CHOICE:
            if item.option_ids == ABILITY_OPTIONS:
                choices = [("Y", "Yes, can", "yes"), ("N", "No, cannot", "no")]
            else:
                choices = [(str(n), o.label, o.id) for n, o in enumerate(item.options, start=1)]
            keys = self._choices(choices)
        elif item.type is ItemType.INT:
            keys = (f"Type the number ({item.minimum}–{item.maximum}), then Enter"
                    if not self.read_only else "")  # fmt: skip
            if partial is not None:
                keys = (f"✖ {partial} is not a whole number from {item.minimum} to "
                        f"{item.maximum} yet: keep typing, or Backspace")  # fmt: skip
        else:
            keys = (item.note or "Free text; never used by any rule.") + (
                " Enter moves on; Shift+Enter: new line."
            )
        words = answer_words(item, value, agree=self._agree)
        if item.type is ItemType.TEXT:
            answer = ""  # the text box shows it
        elif words:
            answer = words
        elif item.is_red_flag_screening:
            answer = "— not asked yet"
        else:
            answer = "—"
        changed = self.keys_label.set_text(keys)
        changed = self.answer_label.set_text(answer) or changed
        if changed:
            self.setAccessibleDescription(f"Answer: {answer or 'in the text box'}. {keys}")
            self._text_changed()

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
        self.number_label.set_text(f"▶ {self.number}." if current else f"{self.number}.")
        self.update()  # the number's column has room for the marker: nothing moves

    def set_flagged(self, flagged: bool) -> None:
        """Mark an answer that triggers a standing red flag (⚠ in words, a bar at the side)."""
        if flagged == self._flagged:
            return
        self._flagged = flagged
        self.text_label.set_text(self._question_text())
        self._fonts_for = None  # the whole question in bold while it raises a flag
        self._text_changed()

    def _question_text(self) -> str:
        question = self.item.question
        if self._rich:
            return ("<b>⚠ RED FLAG</b> — " if self._flagged else "") + question_html(question)
        return ("⚠ RED FLAG — " if self._flagged else "") + question

    @property
    def flagged(self) -> bool:
        """This answer triggers a standing red flag."""
        return self._flagged

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        """Becoming the current question."""
        super().focusInEvent(event)
        self.set_current(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        """No longer the current question."""
        super().focusOutEvent(event)
        self.set_current(False)

    # --- size and painting --------------------------------------------------------------------

    def _fonts(self) -> None:
        """Fonts from the row's own (the style sheet's): the question and answer at 12 pt."""
        base = self.font()
        if self._fonts_for == base:
            return
        self._fonts_for = QFont(base)
        large = QFont(base)
        large.setPointSizeF(12)
        question = QFont(large)
        question.setBold(self._flagged)
        answer = QFont(large)
        answer.setBold(True)
        number = QFont(base)
        number.setBold(True)
        self.text_label.set_font(question)
        self.answer_label.set_font(answer)
        self.keys_label.set_font(base)
        self.number_label.set_font(number)
        metrics = QFontMetrics(number)
        self._number_width = max(44, metrics.horizontalAdvance(f"▶ {self.number}.") + 4)
        self._hfw.clear()

    def _columns(self, width: int) -> tuple[int, int, int, int]:
        """x of the question column, its width, x of the answer column, x of the number's."""
        left, _, right, _ = _MARGINS
        number_x = _FRAME + left
        text_x = number_x + self._number_width + _SPACING[0]
        answer_x = width - _FRAME - right - _ANSWER_WIDTH
        return text_x, max(1, answer_x - _SPACING[0] - text_x), answer_x, number_x

    def _editor_size(self, width: int) -> tuple[int, int]:
        editor = self.editor
        if editor is None:
            return 0, 0
        text_x, text_width, _, _ = self._columns(width)
        hint = editor.sizeHint()
        height = min(hint.height(), editor.maximumHeight())
        if isinstance(editor, QLineEdit):
            return min(editor.maximumWidth(), max(hint.width(), 60), text_width), height
        return width - _FRAME - _MARGINS[2] - text_x, height  # under the question and answer

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        """The height follows the width (the question wraps)."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        """The height the question needs at this width (cached until its text changes)."""
        height = self._hfw.get(width)
        if height is not None and self._fonts_for is not None:
            return height
        self.ensurePolished()
        self._fonts()
        text_width = self._columns(width)[1]
        column = self.text_label.height_for_width(text_width)
        keys = self.keys_label.height_for_width(text_width)
        if keys:
            column += _SPACING[1] + keys
        editor_height = self._editor_size(width)[1]
        if editor_height:
            column += _SPACING[1] + editor_height
        content = max(
            column,
            self.number_label.height_for_width(self._number_width),
            self.answer_label.height_for_width(_ANSWER_WIDTH),
        )
        height = content + 2 * _FRAME + _MARGINS[1] + _MARGINS[3]
        self._hfw[width] = height
        return height

    def sizeHint(self) -> QSize:  # noqa: N802
        """A comfortable width; the height at the width the row has (the one a layout uses)."""
        self.ensurePolished()
        self._fonts()
        width = 2 * _FRAME + _MARGINS[0] + self._number_width + 2 * _SPACING[0] + 340
        width += _ANSWER_WIDTH + _MARGINS[2]
        return QSize(width, self.heightForWidth(self.width() if self.width() > 200 else width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """Narrow enough for any window the form allows; as low as the question on one line.

        The real height comes from :meth:`heightForWidth`; a minimum any higher would make the
        questions' scroll area taller than its questions.
        """
        self.ensurePolished()
        self._fonts()
        lines = QFontMetrics(self.text_label.font()).height()
        if self.keys_label.text():
            lines += _SPACING[1] + QFontMetrics(self.keys_label.font()).height()
        editor_height = self._editor_size(self.width())[1]
        if editor_height:
            lines += _SPACING[1] + editor_height
        content = max(lines, QFontMetrics(self.answer_label.font()).height())
        width = 2 * _FRAME + _MARGINS[0] + self._number_width + 2 * _SPACING[0] + 140
        height = content + 2 * _FRAME + _MARGINS[1] + _MARGINS[3]
        return QSize(width + _ANSWER_WIDTH + _MARGINS[2], height)

    def _text_changed(self) -> None:
        """Repaint; lay the form out again only if the question's height changed."""
        width = self.width()
        before = self._hfw.get(width)
        self._hfw.clear()
        if before is None or self.heightForWidth(width) != before:
            self.updateGeometry()
        self._place_editor()  # its keys may have wrapped differently
        self.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """A new font (the style sheet's): lay the text out again."""
        if event.type() == QEvent.Type.FontChange:
            self._fonts_for = None
            self.updateGeometry()
            self.update()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Place the number or text box under the question."""
        super().resizeEvent(event)
        self._place_editor()

    def _place_editor(self) -> None:
        editor = self.editor
        if editor is None:
            return
        self._fonts()
        width = self.width()
        text_x, text_width, _, _ = self._columns(width)
        top = _FRAME + _MARGINS[1] + self.text_label.height_for_width(text_width)
        keys = self.keys_label.height_for_width(text_width)
        top += _SPACING[1] + (keys + _SPACING[1] if keys else 0)
        editor.setGeometry(text_x, top, *self._editor_size(width))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """The question from its picture, which is drawn again only when something on it changed.

        An answer that shows, hides or scrolls questions repaints a screenful of them, almost
        all unchanged: copying a picture costs a fraction of drawing the text again. A hidden
        question keeps its picture (a gate opening again shows the same questions); the form's
        pictures take about as much memory as two screenshots of it.
        """
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self.picture())  # clipped to the region being repainted
        painter.end()

    def picture(self) -> QPixmap:
        """The question as it looks now, drawn again only if something on it changed since.

        The form draws its questions' pictures ahead, while the physio listens: drawn at the
        key that scrolled them into sight, they cost that key a few milliseconds (issue #6).
        """
        self._fonts()
        ratio = self.devicePixelRatioF()
        key = (
            self.width(), self.height(), ratio, self._current, self._flagged, self._fonts_for,
            self.number_label.text(), self.text_label.text(), self.keys_label.text(),
            self.answer_label.text(),
        )  # fmt: skip
        if self._picture is None or key != self._picture_key:
            size = QSize(math.ceil(self.width() * ratio), math.ceil(self.height() * ratio))
            if self._picture is None or self._picture.size() != size:
                self._picture = QPixmap(size)
                self._picture.setDevicePixelRatio(ratio)
            painter = QPainter(self._picture)
            self._draw(painter)
            painter.end()
            self._picture_key = key
        return self._picture

    def _draw(self, painter: QPainter) -> None:
        """The frame, then the number, question, keys and answer, from their laid-out text."""
        width, height = self.width(), self.height()
        current = self._current
        border = 3 if current else 2
        painter.fillRect(0, 0, width, height,
                         _COLOURS["current_border" if current else "border"])  # fmt: skip
        painter.fillRect(border, border, width - 2 * border, height - 2 * border,
                         _COLOURS["current_background" if current else "background"])  # fmt: skip
        if self._flagged:
            painter.fillRect(0, 0, _FLAG_BAR, height, _COLOURS["flag_bar"])
        text_x, text_width, answer_x, number_x = self._columns(width)
        top = _FRAME + _MARGINS[1]
        self.number_label.draw(painter, number_x, top, self._number_width)
        self.text_label.draw(painter, text_x, top, text_width)
        keys_top = top + self.text_label.height_for_width(text_width) + _SPACING[1]
        self.keys_label.draw(painter, text_x, keys_top, text_width)
        self.answer_label.draw(painter, answer_x, top, _ANSWER_WIDTH)

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


__all__ = [
    "PaintedText",
    "QuestionRow",
    "SectionHeading",
    "answer_words",
    "markup_runs",
    "question_html",
    "question_plain",
]
