"""The screen lock: hides patient data after idle time or Ctrl+L until the same person's password.

Every other PhysioLine window (an assessment in progress, the print queue) is hidden with it
and comes back exactly as it was; a colleague may sign in instead, and the first person's
draft stays saved for them.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class IdleWatch(QObject):
    """Emits ``idle`` after a period with no key press, click, mouse move or wheel."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(minutes * 60_000)
        self.timer.timeout.connect(self.idle)
        self.timer.start()

    def watch_input(self) -> None:
        """Start restarting the countdown on input: an application-wide event filter, which
        every event then passes through, so the desk installs it after its first paint."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Any input restarts the countdown."""
        if event.type() in _INPUT_EVENTS:
            self.timer.start()
        return False

    def stop(self) -> None:
        """Stop watching (the window is closing)."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class LockScreen(QWidget):
    """Covers the main window; only the signed-in person's password opens it."""

    unlock_requested = Signal(str)
    switch_user_requested = Signal()

    def __init__(self, display_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.title = QLabel(
            "<h1>PhysioLine is locked</h1>"
            "<p>Patient information is hidden while you are away.</p>"
            f"<p>Signed in: <b>{html.escape(display_name)}</b></p>"
        )
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Your password, then Enter")
        self.password.setAccessibleName("Password to unlock")
        self.password.setMaximumWidth(360)
        self.message = QLabel("")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton("&Unlock")
        self.switch_button = QPushButton("Sign in as &someone else")
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.switch_button)
        buttons.addStretch()
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.password)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch()
        self.password.returnPressed.connect(self._unlock)
        self.unlock_button.clicked.connect(self._unlock)
        self.switch_button.clicked.connect(self.switch_user_requested)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Keep covering the whole window when it is resized."""
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._window.rect())
        return False

    def show_locked(self) -> None:
        """Cover the window and wait for the password."""
        self.setGeometry(self._window.rect())
        self.message.setText("")
        self.password.clear()
        self.show()
        self.raise_()
        self.password.setFocus()

    def refuse(self) -> None:
        """The password was wrong: say so and try again."""
        self.message.setText("<b>✗ That is not your password.</b> Try again.")
        self.password.clear()
        self.password.setFocus()

    def _unlock(self) -> None:
        self.unlock_requested.emit(self.password.text())
