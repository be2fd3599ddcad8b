"""The triage form's fast labels and frames: quicker than Qt's own, and never showing less.

The speed is measured in benchmarks/assessment_form.py; these tests check that what the speed-ups
remember never goes stale (a label's height after its text or font changed) and that the area
under the red-flag panel gives way when the column runs short.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from physioline.gui.frames import FittedScrollArea, OpaqueFrame
from physioline.gui.labels import WrappedLabel

SHORT = "One line."
LONG = "A red flag's mandated action, long enough to wrap over several lines. " * 4
WIDTH = 220


def qt_height(qtbot: QtBot, text: str, point_size: float | None = None, width: int = WIDTH) -> int:
    """Qt's own answer: a plain QLabel's height for ``text`` at ``width``."""
    probe = QLabel(text)
    qtbot.addWidget(probe)
    probe.setWordWrap(True)
    if point_size is not None:
        font = probe.font()
        font.setPointSizeF(point_size)
        probe.setFont(font)
    return probe.heightForWidth(width)


def wrapped(qtbot: QtBot) -> WrappedLabel:
    label = WrappedLabel()
    qtbot.addWidget(label)
    label.setWordWrap(True)
    return label


def test_a_label_going_back_and_forth_between_texts_has_each_texts_height(qtbot: QtBot) -> None:
    label = wrapped(qtbot)
    expected = {text: qt_height(qtbot, text) for text in (SHORT, LONG)}
    assert expected[LONG] > expected[SHORT]
    for text in (SHORT, LONG, SHORT, LONG, SHORT):
        label.setText(text)
        assert label.heightForWidth(WIDTH) == expected[text], text


def test_a_label_lays_every_text_out_again_after_its_font_changes(qtbot: QtBot) -> None:
    label = wrapped(qtbot)
    label.setText(LONG)
    before = label.heightForWidth(WIDTH)
    label.setText(SHORT)
    label.heightForWidth(WIDTH)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    label.setText(LONG)  # remembered from before the change: must not be used
    assert label.heightForWidth(WIDTH) == qt_height(qtbot, LONG, font.pointSizeF()) > before


def test_a_label_remembers_a_few_texts_and_still_measures_the_others(qtbot: QtBot) -> None:
    label = wrapped(qtbot)
    texts = [f"Text number {i}: " + "word " * (5 * i) for i in range(WrappedLabel.RECENT_TEXTS + 4)]
    for text in texts:
        label.setText(text)
        label.heightForWidth(WIDTH)
    for text in reversed(texts):  # the oldest were forgotten: measured again, correctly
        label.setText(text)
        assert label.heightForWidth(WIDTH) == qt_height(qtbot, text), text
    label.clear()
    assert label.text() == ""
    assert label.heightForWidth(WIDTH) == qt_height(qtbot, "")  # as Qt's: no text, no height


def test_a_steady_label_keeps_the_height_of_its_tallest_recent_text(qtbot: QtBot) -> None:
    label = wrapped(qtbot)
    label.set_steady(True)
    assert label.alignment() & Qt.AlignmentFlag.AlignTop  # a shorter text shows at the top
    tall, short = qt_height(qtbot, LONG), qt_height(qtbot, SHORT)
    label.setText(SHORT)
    assert label.heightForWidth(WIDTH) == short  # nothing taller shown yet
    label.setText(LONG)
    assert label.heightForWidth(WIDTH) == tall
    label.setText(SHORT)
    assert label.heightForWidth(WIDTH) == tall  # back to the short text: nothing under it moves
    assert label.heightForWidth(2 * WIDTH) == qt_height(qtbot, SHORT, width=2 * WIDTH)  # only
    # the texts shown at a width count there: at a new width, the one shown now
    for n in range(WrappedLabel.RECENT_TEXTS):  # the long text falls out of the recent ones
        label.setText(f"{SHORT} {n}")
        label.heightForWidth(WIDTH)
    assert label.heightForWidth(WIDTH) == short
    label.set_steady(False)
    label.setText(LONG)
    label.heightForWidth(WIDTH)
    label.setText(SHORT)
    assert label.heightForWidth(WIDTH) == short


def test_labels_that_look_the_same_share_the_heights_they_measured(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    measured: list[str] = []
    qt_measure = QLabel.heightForWidth

    def counted(label: QLabel, width: int) -> int:
        measured.append(label.text())
        return qt_measure(label, width)

    monkeypatch.setattr(QLabel, "heightForWidth", counted)
    text = LONG + " (shared)"  # no other test measured it
    first, second = wrapped(qtbot), wrapped(qtbot)
    first.setText(text)
    height = first.heightForWidth(WIDTH)
    second.setText(text)
    assert second.heightForWidth(WIDTH) == height  # the first one's measure
    assert measured == [text]
    bigger = wrapped(qtbot)  # looks different: measures for itself, at its own font
    font = bigger.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    bigger.setFont(font)
    bigger.setText(text)
    monkeypatch.undo()
    assert bigger.heightForWidth(WIDTH) == qt_height(qtbot, text, font.pointSizeF()) > height
    padded = wrapped(qtbot)  # so does one with a frame and padding round its text
    padded.setStyleSheet("QLabel { border: 3px solid black; padding: 6px; }")
    padded.setText(text)
    probe = QLabel(text)
    qtbot.addWidget(probe)
    probe.setWordWrap(True)
    probe.setStyleSheet("QLabel { border: 3px solid black; padding: 6px; }")
    assert padded.heightForWidth(WIDTH) == probe.heightForWidth(WIDTH) > height


def test_a_label_measured_ahead_answers_the_layout_from_memory(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A red flag's labels are laid out ahead, while the physio listens (issue #6)."""
    label = wrapped(qtbot)
    text = LONG + " (measured ahead)"  # no other test measured it
    label.setText(text)
    label.measure([WIDTH, 2 * WIDTH])
    measured: list[int] = []
    qt_measure = QLabel.heightForWidth

    def counted(label: QLabel, width: int) -> int:
        measured.append(width)
        return qt_measure(label, width)

    monkeypatch.setattr(QLabel, "heightForWidth", counted)
    heights = [label.heightForWidth(WIDTH), label.heightForWidth(2 * WIDTH)]
    assert measured == []
    monkeypatch.undo()
    assert heights == [qt_height(qtbot, text), qt_height(qtbot, text, width=2 * WIDTH)]


class PaintCount(QObject):
    """Counts a widget's paint events."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def paints_for_new_text(qtbot: QtBot, label: QLabel, text: str) -> int:
    """How many times ``label`` paints itself for ``text``, until nothing is left to paint."""
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText("<b>Recommended now:</b> routine")
    label.resize(WIDTH, 120)
    label.show()
    qtbot.waitExposed(label)
    count = PaintCount(label)
    label.setText(text)
    for _ in range(5):  # each pass paints what the one before asked for
        QApplication.processEvents()
    return count.paints


def test_a_label_with_rich_text_paints_a_new_text_once(qtbot: QtBot) -> None:
    text = "<b>EMERGENCY</b> — " + LONG
    plain = QLabel()
    qtbot.addWidget(plain)
    # Qt's own label lays rich text out while it paints and asks for a second paint: the case
    # this test is about (if a Qt release stops doing it, this line says the test lost its point).
    assert paints_for_new_text(qtbot, plain, text) == 2
    label = WrappedLabel()
    qtbot.addWidget(label)
    assert paints_for_new_text(qtbot, label, text) == 1
    label.update()  # a repaint asked for after the paint still happens
    count = PaintCount(label)
    for _ in range(3):
        QApplication.processEvents()
    assert count.paints == 1


def column_with_area(qtbot: QtBot) -> tuple[QWidget, QLabel, FittedScrollArea]:
    """A side column: a growing label, the fitted area (200 px of content), a stretch."""
    column = QWidget()
    qtbot.addWidget(column)
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    above = QLabel("above")
    above.setFixedHeight(50)
    layout.addWidget(above)
    content = OpaqueFrame()
    inner = QVBoxLayout(content)
    inner.setContentsMargins(0, 0, 0, 0)
    inner.setSpacing(0)
    block = QWidget()
    block.setFixedHeight(200)
    inner.addWidget(block)
    area = FittedScrollArea()
    area.setWidget(content)
    layout.addWidget(area)
    layout.addStretch(1)
    column.resize(300, 500)
    column.show()
    qtbot.waitExposed(column)
    return column, above, area


def test_the_area_keeps_its_contents_height_and_moves_down_while_there_is_room(
    qtbot: QtBot,
) -> None:
    column, above, area = column_with_area(qtbot)
    assert (area.y(), area.height()) == (50, 200)
    above.setFixedHeight(250)
    column.layout().activate()  # type: ignore[union-attr]
    assert (area.y(), area.height()) == (250, 200)  # moved whole, not squeezed
    assert area.verticalScrollBar().maximum() == 0


def test_the_area_gives_way_and_scrolls_when_the_column_runs_short(qtbot: QtBot) -> None:
    column, above, area = column_with_area(qtbot)
    content_width = area.widget().width()
    bar = area.verticalScrollBar()
    assert not bar.isVisibleTo(area)
    assert content_width == area.width() - area.verticalScrollBar().sizeHint().width()
    above.setFixedHeight(450)
    column.layout().activate()  # type: ignore[union-attr]
    assert above.height() == 450  # what is above keeps its height
    assert area.height() == 50
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() == 150)
    qtbot.waitUntil(lambda: bar.isVisibleTo(area))
    assert area.widget().width() == content_width  # the bar came beside it: nothing rewraps
    above.setFixedHeight(500)  # no room at all: the area goes, never what is above it
    column.layout().activate()  # type: ignore[union-attr]
    assert above.height() == 500
    assert area.height() == 0


def test_the_area_follows_its_content_growing(qtbot: QtBot) -> None:
    column, _, area = column_with_area(qtbot)  # the column kept: it owns the area
    content = area.widget()
    extra = QWidget()
    extra.setFixedHeight(100)
    content.layout().addWidget(extra)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: area.height() == 300)
    assert area.parentWidget() is column


def test_the_area_never_widens_its_column_when_something_wider_shows_in_it(
    qtbot: QtBot,
) -> None:
    """A wider column would make every question beside it wrap again, mid-call."""
    column, _, area = column_with_area(qtbot)
    area.widget().setMinimumWidth(250)  # what the column's content needs at least
    wide = QLabel("A destination list far wider than the column it sits in, once shown " * 2)
    wide.setMinimumWidth(10)  # it can be narrower; it would like to be wider
    wide.hide()
    area.widget().layout().addWidget(wide)  # type: ignore[union-attr]
    QApplication.processEvents()
    hint = area.sizeHint().width()
    wide.show()
    qtbot.waitUntil(lambda: area.height() > 200)  # laid out with it
    assert wide.sizeHint().width() > column.width()
    assert area.sizeHint().width() == hint == 250 + area.verticalScrollBar().sizeHint().width()


class Squeezable(QWidget):
    """60 px high if it can be, down to 10 px if it must."""

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(100, 60)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, 10)


def test_the_area_lays_its_content_out_once_at_its_new_height(qtbot: QtBot) -> None:
    """A part of the content that grows moves what is under it down; nothing is squeezed.

    Laid out at the old height first, the content squeezed what is under the growing part and
    gave it its height back a moment later: the decision under a taller recommendation was
    resized twice and repainted whole (issue #6).
    """
    column, _, area = column_with_area(qtbot)
    content = area.widget()
    inner = content.layout()
    assert inner is not None
    top = QWidget()
    top.setFixedHeight(40)
    under = Squeezable()
    inner.insertWidget(0, top)
    inner.addWidget(under)
    qtbot.waitUntil(lambda: area.height() == 300)
    before = under.geometry()
    resized: list[tuple[int, int]] = []

    class Resizes(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Resize:
                resized.append(under.size().toTuple())
            return False

    watcher = Resizes(under)
    under.installEventFilter(watcher)
    outer = column.layout()
    assert outer is not None
    for layout in (inner, outer):
        layout.setEnabled(False)  # held, as the triage form holds its layouts on a key
    top.setFixedHeight(80)
    for layout in (inner, outer):
        layout.setEnabled(True)
    area.fit()  # the column asks for the new height first...
    outer.activate()
    area.fit_content()  # ...and the content is laid out at it
    assert area.height() == 340
    assert under.geometry() == before.translated(0, 40)  # moved down whole
    assert resized == []
