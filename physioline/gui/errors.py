"""The one place the GUI presents errors: what is wrong, what to do, never a traceback."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from physioline.errors import Conflict, NotPermitted, PhysioLineError
from physioline.logs import defect_reference

log = logging.getLogger(__name__)


def error_text(exc: BaseException) -> tuple[str, str]:
    """A title and a message for an error; unexpected ones get a reference and are logged."""
    if isinstance(exc, PhysioLineError):
        title = "Not permitted" if isinstance(exc, NotPermitted) else (
            "Changed by a colleague" if isinstance(exc, Conflict) else "PhysioLine")  # fmt: skip
        return title, f"{exc.message}\n\n{exc.hint}".strip()
    ref = defect_reference()
    log.error("defect %s", ref, exc_info=exc)
    return "Something went wrong", (
        f"Something went wrong (ref {ref}). Nothing was saved from this action.\n\n"
        "Please tell IT the reference; the log has the details."
    )


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show an error in a dialog, with the same wording as the CLI."""
    title, text = error_text(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()
