"""Run something once a widget has painted for the first time.

Start-up keeps the GUI thread (and the interpreter, which background threads share) for the
first paint of the worklist; work that can wait, such as the side panel's first record or the
header counts, starts just after it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    def __init__(
        self, widget: QWidget, callback: Callable[[], None], ready: Callable[[], bool]
    ) -> None:
        super().__init__(widget)
        self._callback = callback
        self._ready = ready
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """After the first paint (that ``ready`` accepts), call back once and go."""
        if event.type() == QEvent.Type.Paint and self._ready():
            watched.removeEventFilter(self)
            # Queued: the callback runs once this paint has finished.
            QTimer.singleShot(0, self, self._finish)
        return False

    def _finish(self) -> None:
        self._callback()
        self.deleteLater()


def when_painted(
    widget: QWidget, callback: Callable[[], None], *, ready: Callable[[], bool] = lambda: True
) -> None:
    """Call ``callback`` just after ``widget`` first paints (while ``ready()`` is true).

    If the widget is deleted first, nothing is called.
    """
    _FirstPaint(widget, callback, ready)
