"""Frames for screens that change as the physio types: moved by copying their pixels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QStyle, QStyleOption, QWidget


class OpaqueFrame(QFrame):
    """A style-sheet frame that paints every pixel it covers, so moving it copies, not repaints.

    Qt moves an opaque widget by copying its pixels, but does not count a style-sheet background
    as opaque (and the style sheet switches ``autoFillBackground`` off): the triage form's side
    column repainted its frames, and every list, box and button in them, whenever the red-flag
    panel above changed height (issue #6). This frame draws its style-sheet background itself.
    Its style-sheet rule must paint its whole rectangle: a background, and no rounded corners.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """The style sheet's background and border, then the frame as usual."""
        option = QStyleOption()
        option.initFrom(self)
        painter = QPainter(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        painter.end()
        super().paintEvent(event)


__all__ = ["OpaqueFrame"]
