"""Recording a call attempt in two keystrokes: Ctrl+R, then the result's letter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QWidget

from physioline.core.contact import AttemptResult
from physioline.gui.forms.ui_attempt_dialog import Ui_AttemptDialog

KEYS = {
    Qt.Key.Key_A: AttemptResult.ANSWERED,
    Qt.Key.Key_N: AttemptResult.NO_ANSWER,
    Qt.Key.Key_V: AttemptResult.VOICEMAIL_LEFT,
    Qt.Key.Key_W: AttemptResult.WRONG_NUMBER,
    Qt.Key.Key_D: AttemptResult.DECLINED,
}


class AttemptDialog(QDialog):
    """Choose the result of a call; a letter key records it at once."""

    def __init__(self, patient: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_AttemptDialog()
        self.ui.setupUi(self)
        self.ui.patientLabel.setText(f"<b>{patient}</b>")
        self.chosen: AttemptResult | None = None
        buttons = {
            self.ui.answeredButton: AttemptResult.ANSWERED,
            self.ui.noAnswerButton: AttemptResult.NO_ANSWER,
            self.ui.voicemailButton: AttemptResult.VOICEMAIL_LEFT,
            self.ui.wrongNumberButton: AttemptResult.WRONG_NUMBER,
            self.ui.declinedButton: AttemptResult.DECLINED,
        }
        for button, result in buttons.items():
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, r=result: self.choose(r))
        self.ui.noAnswerButton.setFocus()

    def note(self) -> str:
        """The optional note typed with the result."""
        return self.ui.noteEdit.text().strip()

    def choose(self, result: AttemptResult) -> None:
        """Record ``result`` and close."""
        self.chosen = result
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """A bare letter chooses the result unless the note box is being typed in."""
        key = Qt.Key(event.key())
        if (
            key in KEYS
            and not self.ui.noteEdit.hasFocus()
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier,)
        ):
            self.choose(KEYS[key])
            return
        super().keyPressEvent(event)
