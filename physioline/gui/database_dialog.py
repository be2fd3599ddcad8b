"""Choosing this desk's database: the embedded file or a shared PostgreSQL, tested before saving."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QWidget

from physioline.errors import PhysioLineError
from physioline.gui.forms.ui_database_dialog import Ui_DatabaseDialog
from physioline.gui.ops import run_op
from physioline.services import startup
from physioline.settings import DeskSettings, load_settings, save_settings, with_database


class DatabaseDialog(QDialog):
    """File ▸ Database…: where this desk's data lives (takes effect at the next start)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_DatabaseDialog()
        self.ui.setupUi(self)
        self.settings: DeskSettings = load_settings()
        shared = bool(self.settings.database_url)
        self.ui.sharedRadio.setChecked(shared)
        self.ui.embeddedRadio.setChecked(not shared)
        self.ui.urlEdit.setText(self.settings.database_url)
        self.ui.embeddedRadio.toggled.connect(self._mode_changed)
        self.ui.testButton.clicked.connect(self.test_connection)
        self.ui.buttonBox.accepted.connect(self.save)
        self.ui.buttonBox.rejected.connect(self.reject)
        self._mode_changed()

    def _mode_changed(self) -> None:
        shared = self.ui.sharedRadio.isChecked()
        for widget in (self.ui.urlEdit, self.ui.rememberCheck, self.ui.testButton):
            widget.setEnabled(shared)

    def url(self) -> str:
        """The database URL the dialog describes ('' for the embedded database)."""
        return self.ui.urlEdit.text().strip() if self.ui.sharedRadio.isChecked() else ""

    def _ask_password(self, username: str, reason: str) -> str | None:
        text, ok = QInputDialog.getText(self, "Database password",
                                        f"{reason}\n\nPassword for {username}:",
                                        QLineEdit.EchoMode.Password)  # fmt: skip
        return text if ok and text else None

    def test_connection(self) -> None:
        """Try the address now and say plainly whether it works."""
        try:
            choice = startup.choose_database(self.url(), demo=False)
            db = startup.connect(choice, ask_password=self._ask_password,
                                 remember=self.ui.rememberCheck.isChecked)  # fmt: skip
        except PhysioLineError as exc:
            self.ui.resultLabel.setText(f"✗ {exc.message} {exc.hint}".strip())
            return
        self.ui.resultLabel.setText(f"✓ Connected to {db.describe()}.")
        run_op(db.dispose, parent=self)

    def save(self) -> None:
        """Save the choice (no password is ever written) and close."""
        try:
            save_settings(with_database(self.settings, self.url()))
        except PhysioLineError as exc:
            self.ui.resultLabel.setText(f"✗ {exc.message} {exc.hint}".strip())
            return
        self.ui.resultLabel.setText("Saved. PhysioLine opens this database at its next start.")
        self.accept()
