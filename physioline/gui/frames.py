"""Frames for screens that change as the physio types: moved by copying their pixels."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QStyle, QStyleOption, QWidget


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


class FittedScrollArea(QScrollArea):
    """A scroll area as tall as its content while there is room, which scrolls when there is not.

    Put it in a column with a stretch below it. When something above it grows, it moves down
    whole, and Qt moves it by copying its pixels; a scroll area filling the rest of the column
    would shrink instead, and a widget that changes size is repainted with everything in it (the
    triage form's decision, list, notes and button under the red-flag panel, issue #6). When the
    column runs short it gives way first (its size policy is Maximum) and scrolls.

    Its content must paint its whole rectangle (an :class:`OpaqueFrame`, say), and whoever
    changes the content's height calls :meth:`fit` after laying it out (it also fits itself
    when Qt lays the content out later).

    The content is as wide whether the scroll bar shows or not: the bar's width is kept free
    beside it. A bar appearing would otherwise make the content narrower, wrap all its text
    again and repaint it (three flags on a 940-pixel window).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # Its viewport (and scroll bar) cover all of it; on a resize only new pixels are painted.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        # The viewport paints the strip kept free for the scroll bar (a scroll area's does not).
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.viewport().setAutoFillBackground(True)
        self._fitted = -1

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802
        """Scroll ``widget``, which paints every pixel it covers."""
        widget.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        super().setWidget(widget)

    def _bar_width(self) -> int:
        """The width kept free for the scroll bar, shown or not."""
        return self.verticalScrollBar().sizeHint().width()

    def content_width(self) -> int:
        """The content's width: the area's, less the scroll bar's whether it shows or not."""
        margins = self.contentsMargins()
        return max(0, self.width() - margins.left() - margins.right() - self._bar_width())

    def content_height(self) -> int:
        """The height the content needs at the width it is shown at."""
        widget = self.widget()
        if widget is None:
            return 0
        width = self.content_width()
        height = widget.heightForWidth(width) if widget.hasHeightForWidth() else -1
        return height if height >= 0 else widget.sizeHint().height()

    def fit(self) -> None:
        """Ask the column again for the content's height, if it changed."""
        height = self.content_height()
        if height != self._fitted:
            self._fitted = height
            self.updateGeometry()

    def fit_content(self) -> None:
        """Size the content for the area as it is now, and lay it out at that size.

        Call it once the column is laid out. Laid out before, at the size it had, the content
        squeezed the rest of itself under a part that grew (the decision under a taller
        recommendation), and a moment later gave it its height back: everything in that rest
        was resized twice and repainted whole.
        """
        QCoreApplication.sendEvent(self, QEvent(QEvent.Type.LayoutRequest))  # Qt sizes it now
        widget = self.widget()
        layout = widget.layout() if widget is not None else None
        if layout is not None:
            layout.activate()  # nothing to do when sizing it laid it out already

    def sizeHint(self) -> QSize:  # noqa: N802
        """The content's own height (a plain scroll area stops at 24 lines), at the least width
        it needs.

        Asking for the content's preferred width instead made the side column wider in the
        middle of a call, when a wider widget in it was first shown (the destination's list on
        a red flag), and a wider side column made every question of the form wrap again.
        """
        margins = self.contentsMargins()
        widget = self.widget()
        width = (
            widget.minimumSizeHint().expandedTo(widget.minimumSize()).width() + self._bar_width()
            if widget is not None
            else super().sizeHint().width()
        )
        height = self.content_height()
        self._fitted = height
        return QSize(width + margins.left() + margins.right(),
                     height + margins.top() + margins.bottom())  # fmt: skip

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """No height of its own: when the column runs short, this gives way, not what is above."""
        return QSize(super().minimumSizeHint().width(), 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Keep the scroll bar's width free beside the content, before the content is sized."""
        widget = self.widget()
        if widget is not None:
            widget.setMaximumWidth(self.content_width())
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        """The content was laid out again (its viewport passes that on): fit it."""
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return handled


__all__ = ["FittedScrollArea", "OpaqueFrame"]
