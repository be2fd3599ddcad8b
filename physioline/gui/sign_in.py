"""Signing in: each person with their own name and password; the first start makes an admin."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from physioline.db.uow import Actor
from physioline.errors import PhysioLineError
from physioline.gui.forms.ui_sign_in_dialog import Ui_SignInDialog

#: Checks a user name and password; returns who signed in or raises PhysioLineError.
Verify = Callable[[str, str], Actor]
#: Creates the first administrator: (username, display name, password) -> Actor.
CreateAdmin = Callable[[str, str, str], Actor]


class SignInDialog(QDialog):
    """Asks for a user name and password and checks them before closing."""

    def __init__(
        self,
        where: str,
        verify: Verify,
        *,
        hint: str = "",
        username: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_SignInDialog()
        self.ui.setupUi(self)
        self._verify = verify
        self.actor: Actor | None = None
        self.ui.whereLabel.setText(html.escape(where))
        self.ui.hintLabel.setText(hint)
        self.ui.hintLabel.setVisible(bool(hint))
        for widget in (self.ui.displayNameLabel, self.ui.displayNameEdit, self.ui.repeatLabel,
                       self.ui.repeatEdit):  # fmt: skip
            widget.setVisible(False)
        self.ui.messageLabel.setVisible(False)
        self.ui.buttonBox.accepted.connect(self.try_sign_in)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.usernameEdit.setText(username)
        (self.ui.passwordEdit if username else self.ui.usernameEdit).setFocus()

    def show_message(self, text: str) -> None:
        """Say what went wrong, in the dialog, and keep the typed user name."""
        self.ui.messageLabel.setText(f"<b>✗ {html.escape(text)}</b>")
        self.ui.messageLabel.setVisible(True)

    def try_sign_in(self) -> None:
        """Check the password; close on success, otherwise say why and clear the password."""
        try:
            self.actor = self._verify(self.ui.usernameEdit.text(), self.ui.passwordEdit.text())
        except PhysioLineError as exc:
            self.show_message(f"{exc.message} {exc.hint}".strip())
            self.ui.passwordEdit.clear()
            self.ui.passwordEdit.setFocus()
            return
        self.accept()


class FirstAdminDialog(SignInDialog):
    """A new embedded database has no accounts: create the first administrator."""

    def __init__(self, where: str, create: CreateAdmin, parent: QWidget | None = None) -> None:
        super().__init__(where, lambda _u, _p: _unused(), parent=parent)
        self._create = create
        self.setWindowTitle("PhysioLine: create the first administrator")
        self.ui.hintLabel.setText(
            "This database has no accounts yet. Create the first one: an IT administrator "
            "who then creates everyone else's account. PhysioLine ships no default password."
        )
        self.ui.hintLabel.setVisible(True)
        for widget in (self.ui.displayNameLabel, self.ui.displayNameEdit, self.ui.repeatLabel,
                       self.ui.repeatEdit):  # fmt: skip
            widget.setVisible(True)

    def try_sign_in(self) -> None:
        """Create the account when the two passwords match."""
        if self.ui.passwordEdit.text() != self.ui.repeatEdit.text():
            self.show_message("The two passwords are not the same.")
            return
        try:
            self.actor = self._create(self.ui.usernameEdit.text(),
                                      self.ui.displayNameEdit.text(),
                                      self.ui.passwordEdit.text())  # fmt: skip
        except PhysioLineError as exc:
            self.show_message(f"{exc.message} {exc.hint}".strip())
            return
        self.accept()


def _unused() -> Actor:  # pragma: no cover - FirstAdminDialog overrides try_sign_in
    raise RuntimeError("not used")
