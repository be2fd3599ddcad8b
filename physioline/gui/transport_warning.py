"""The warning an administrator must accept before the app talks to a remote server without TLS."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from physioline.services.transport import UnencryptedConnection

ACCEPT_TEXT = "Connect without encryption"


def unencrypted_box(parent: QWidget | None, warning: UnencryptedConnection) -> QMessageBox:
    """The dialog: Cancel is the default; accepting is a deliberate, labelled choice."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unencrypted database connection")
    box.setText(warning.message)
    box.setInformativeText(warning.hint)
    box.addButton(ACCEPT_TEXT, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box


def confirm_unencrypted(parent: QWidget | None, warning: UnencryptedConnection) -> bool:
    """Show the warning; True only if the person chose to connect without encryption."""
    box = unencrypted_box(parent, warning)
    box.exec()
    return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole
