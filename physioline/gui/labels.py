"""Labels for screens that change as the physio types: sized without laying their text out again."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget

#: Events after which a label's height for a width may differ (font, style, margins).
_RESIZING: Final = frozenset(
    {
        QEvent.Type.FontChange,
        QEvent.Type.StyleChange,
        QEvent.Type.Polish,
        QEvent.Type.ContentsRectChange,
        QEvent.Type.LayoutDirectionChange,
    }
)


class WrappedLabel(QLabel):
    """A word-wrapped label that remembers its height for each width until its text changes.

    QLabel lays its whole text out again for every height-for-width question, and a layout
    asks each label in it two or three times over whenever anything in it changed: one new
    score on the triage form relaid every label beside it (issue #6).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[int, int] = {}

    def setText(self, text: str) -> None:  # noqa: N802
        """Show ``text``; nothing happens when it is shown already."""
        if text != self.text():
            self._heights.clear()
            super().setText(text)

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        """The label's height at ``width``, laid out once per text and width."""
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def event(self, event: QEvent) -> bool:
        """Forget the heights when the font, style or margins change."""
        if event.type() in _RESIZING:
            self._heights.clear()
        return super().event(event)

    def clear(self) -> None:
        """Show nothing."""
        self._heights.clear()
        super().clear()

    def setWordWrap(self, on: bool) -> None:  # noqa: N802
        """Wrap (or not) the text at word boundaries."""
        self._heights.clear()
        super().setWordWrap(on)

    def setTextFormat(self, text_format: Qt.TextFormat) -> None:  # noqa: N802
        """Show the text as plain or rich text."""
        self._heights.clear()
        super().setTextFormat(text_format)

    def setMargin(self, margin: int) -> None:  # noqa: N802
        """Set the margin around the text."""
        self._heights.clear()
        super().setMargin(margin)

    def setIndent(self, indent: int) -> None:  # noqa: N802
        """Set the text's indent."""
        self._heights.clear()
        super().setIndent(indent)


__all__ = ["WrappedLabel"]
