"""Saving an appointment as an iCalendar file, from the booking panel or the clinic calendar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from physioline.files import write_text_atomic
from physioline.gui.ops import run_op
from physioline.services import booking
from physioline.services.desk import Desk


def save_appointment_ics(
    parent: QWidget,
    desk: Desk,
    appointment_id: int,
    path: Path | None,
    *,
    on_saved: Callable[[Path], None],
    on_error: Callable[[Exception], None],
) -> None:
    """Ask where (unless ``path`` is given), then write the .ics file in the background."""
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Save the appointment as a calendar file",
            str(Path.home() / f"physiotherapy-appointment-{appointment_id}.ics"),
            "Calendar files (*.ics)",
        )  # fmt: skip
        if not chosen:
            return
        path = Path(chosen)
    target = path

    def write() -> Path:
        # Whole or not at all: a mail client attaching it never sees half a file.
        return write_text_atomic(target, booking.appointment_ics(desk, appointment_id))

    run_op(write, on_done=on_saved, on_error=on_error, parent=parent)
