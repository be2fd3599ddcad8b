"""Labels for screens that change as the physio types: sized without laying their text out again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

#: Changes after which a label's height for a width may differ (font, style sheet, direction).
_RESIZING: Final = frozenset(
    {QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.LayoutDirectionChange}
)
#: Width a column label asks for before it is laid out (the column's width is set elsewhere).
_COLUMN_MINIMUM_WIDTH: Final = 100
#: Heights measured by any label, for every label that looks the same (font, format, margins,
#: frame), by text and width: a red flag's texts are laid out once a session, not once a call.
_HEIGHTS_SEEN: dict[tuple[object, ...], int] = {}
#: Past this many the heights seen are forgotten and measured again as needed.
_HEIGHTS_SEEN_LIMIT: Final = 4096


class WrappedLabel(QLabel):
    """A word-wrapped label that remembers its height for each width and each recent text.

    QLabel lays its whole text out again for every height-for-width question, and a layout
    asks each label in it two or three times over whenever anything in it changed: one new
    score on the triage form relaid every label beside it (issue #6). The heights of the last
    few texts are kept too: a label on the form goes back and forth between a handful of texts
    (a red flag standing and withdrawn, the recommendation before and after it).
    """

    #: Texts whose heights are remembered (the current one included).
    RECENT_TEXTS: Final = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[int, int] = {}
        self._recent: dict[str, dict[int, int]] = {}  # the heights of the last few texts
        self._steady = False
        self._look: tuple[object, ...] | None = None  # what its height depends on, but text

    def set_steady(self, steady: bool) -> None:
        """Be as tall as the tallest of the recent texts, each at the width it has now.

        A label whose text goes back and forth between a few texts of different lengths then
        keeps one height, and nothing under it moves when its text changes: everything under a
        label that changes height is moved, and what cannot be moved by copying its pixels is
        repainted. The text is shown at the top of the label.
        """
        self._steady = steady
        if steady:
            self.setAlignment(self.alignment() & ~Qt.AlignmentFlag.AlignVertical_Mask
                              | Qt.AlignmentFlag.AlignTop)  # fmt: skip
        self.updateGeometry()

    def setText(self, text: str) -> None:  # noqa: N802
        """Show ``text``; nothing happens when it is shown already."""
        if text != self.text():
            heights = self._recent.pop(text, None)
            if heights is None:
                heights = {}
                if len(self._recent) >= self.RECENT_TEXTS:
                    del self._recent[next(iter(self._recent))]  # the least recently shown
            self._recent[text] = self._heights = heights
            super().setText(text)

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        """The label's height at ``width``, laid out once per text and width."""
        if not self.text():
            return super().heightForWidth(width)  # cleared or empty: Qt's answers differ
        height = self._heights.get(width)
        if height is None:
            seen = (self._looks(), self.text(), width)
            height = _HEIGHTS_SEEN.get(seen)
            if height is None:
                height = super().heightForWidth(width)
                if len(_HEIGHTS_SEEN) >= _HEIGHTS_SEEN_LIMIT:
                    _HEIGHTS_SEEN.clear()
                _HEIGHTS_SEEN[seen] = height
            self._heights[width] = height
        if self._steady:  # the recent texts measured at this width (each was shown at it)
            return max(heights.get(width, 0) for heights in self._recent.values())
        return height

    def measure(self, widths: Iterable[int]) -> None:
        """Lay the text out at these widths now, ahead of the layout's questions."""
        for width in widths:
            self.heightForWidth(width)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Paint the label once per change.

        A label with rich or selectable text lays its new text out while it paints, and that
        layout asks Qt to repaint the whole label again: a second paint pass, a frame later, of
        what was just painted (the recommendation and the red-flag action, on every red-flag
        key). Repaints asked for while the label paints itself wait as posted events; after a
        paint of the whole label they are all done already, so they are dropped.
        """
        super().paintEvent(event)
        if event.rect().contains(self.rect()):
            QCoreApplication.removePostedEvents(self, QEvent.Type.UpdateLater)

    def _looks(self) -> tuple[object, ...]:
        """Everything but the text and width that the label's height depends on.

        The font and what surrounds the text (frame, padding, margins: the style sheet's
        font and box first), the format and the wrapping. Two labels that look the same lay
        the same text out at the same height.
        """
        look = self._look
        if look is None:
            self.ensurePolished()
            inside = self.contentsRect()
            look = self._look = (
                self.font().key(),
                self.logicalDpiY(),  # points to pixels (a screen of another resolution)
                self.width() - inside.width(),
                self.height() - inside.height(),
                self.margin(),
                self.indent(),
                self.textFormat().value,
                self.wordWrap(),
                self.alignment().value,
            )
        return look

    def _forget(self) -> None:
        """The text's look changed: every remembered height may be wrong."""
        self._look = None
        for heights in self._recent.values():
            heights.clear()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Forget the heights when the font or style sheet changes."""
        if event.type() in _RESIZING:
            self._forget()
        super().changeEvent(event)

    def clear(self) -> None:
        """Show nothing."""
        self._heights = {}  # no text: Qt answers (see heightForWidth)
        super().clear()

    def setWordWrap(self, on: bool) -> None:  # noqa: N802
        """Wrap (or not) the text at word boundaries."""
        self._forget()
        super().setWordWrap(on)

    def setTextFormat(self, text_format: Qt.TextFormat) -> None:  # noqa: N802
        """Show the text as plain or rich text."""
        self._forget()
        super().setTextFormat(text_format)

    def setMargin(self, margin: int) -> None:  # noqa: N802
        """Set the margin around the text."""
        self._forget()
        super().setMargin(margin)

    def setIndent(self, indent: int) -> None:  # noqa: N802
        """Set the text's indent."""
        self._forget()
        super().setIndent(indent)

    def setAlignment(self, alignment: Qt.AlignmentFlag) -> None:  # noqa: N802
        """Align the text."""
        self._forget()
        super().setAlignment(alignment)


class ColumnLabel(WrappedLabel):
    """A word-wrapped label in a column whose width is set by other widgets (a side panel).

    It asks for no more width than it has, so a long text never widens the column (which
    would wrap everything beside it again), and a new text is laid out once, at the width it
    is shown at: QLabel's own size hints lay it out at three more widths, and the layouts ask
    for its height at its minimum and preferred widths as well as its real one.
    """

    def _width(self) -> int:
        """The width it has, once laid out in its column."""
        return max(self.width(), _COLUMN_MINIMUM_WIDTH)

    def sizeHint(self) -> QSize:  # noqa: N802
        """The width it has; its height at that width."""
        width = self._width()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """The width it has; one line high (the layout asks for the real height at its width)."""
        self.ensurePolished()
        margins = self.contentsMargins()
        line = self.fontMetrics().height() + 2 * self.margin() + margins.top() + margins.bottom()
        return QSize(self._width(), line)


__all__ = ["ColumnLabel", "WrappedLabel"]
