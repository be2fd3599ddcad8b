"""Scenario 8, letters at five: Jo from the booking office prints the day's letters.

The real main window on the migrated demo database (SQLite and PostgreSQL), from the keyboard:
Ctrl+P opens the print queue of 23 letters of all four kinds, large print ones marked, one held
because the patient has no postal address (with the reason); Jo previews two, prints the rest as
one job (into a PDF-file printer: there is no printer here); each is stored with its hash, marked
printed, and every print is in the audit trail.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

import pypdf
import sqlalchemy as sa
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from physioline.clock import LONDON, FrozenClock
from physioline.core.referral import LetterStatus
from physioline.db.models import AuditEvent, Letter
from physioline.gui.print_queue import PrintQueueDialog
from physioline.services.audit import verify_chain
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user
from tests.e2e.conftest import OpenDesk
from tests.gui.test_print_queue import PdfPrinters


def test_jo_previews_two_and_prints_the_rest_as_one_job(
    qtbot: QtBot, open_desk: OpenDesk, clock: FrozenClock, tmp_path: Path
) -> None:
    clock.set(datetime(2026, 11, 23, 17, 0, tzinfo=LONDON))
    window = open_desk("jo")
    desk = window.desk
    # The print queue is wired just after the worklist first paints.
    qtbot.waitUntil(window.ui.actionPrintQueue.isEnabled, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(PrintQueueDialog)
    assert dialog is not None
    printers = PdfPrinters(tmp_path)
    dialog.printer_factory = printers
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 23, timeout=10_000)

    rows = dialog.model.rows()
    assert {r.kind.value for r in rows} == {"advice", "appointment", "gp", "unable_to_contact"}
    assert any(r.large_print for r in rows)
    (held,) = [r for r in rows if not r.ready]
    assert held.held_reason == "No postal address on the patient's record."
    assert "HELD: No postal address" in dialog.model.data(
        dialog.model.index(rows.index(held), dialog.model.STATUS)
    )

    # Preview two: Enter on the first letter, Down, Enter on the second.
    dialog.select_row(0)
    view = dialog.ui.tableView
    view.setFocus()
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.current_row() == rows[1], timeout=5_000)
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        qtbot.keyClick(view, Qt.Key.Key_Return)

    # Print the rest as one job.
    with qtbot.waitSignal(dialog.printed, timeout=60_000) as printed:
        ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(view, Qt.Key.Key_P, ctrl_shift)
    assert len(printed.args[0].printed) == 22
    ((_title, pages, job),) = printers.jobs
    assert len(pypdf.PdfReader(io.BytesIO(job.read_bytes())).pages) == pages
    qtbot.waitUntil(lambda: dialog.ui.countsLabel.text().startswith("<b>0</b> ready"))

    with desk.db.sessions() as session:
        letters = list(session.scalars(sa.select(Letter).order_by(Letter.id)))
        prints = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "letter.print")
        ).all()
        previews = session.scalars(
            sa.select(AuditEvent.entity_id).where(AuditEvent.action == "letter.preview")
        ).all()
    for letter in letters:
        if letter.id == held.letter_id:
            assert letter.status == LetterStatus.HELD
            continue
        assert letter.status == LetterStatus.PRINTED
        assert letter.pdf is not None
        assert letter.pdf_sha256 == hashlib.sha256(letter.pdf).hexdigest()
        assert letter.print_count == 1
    by_letter = {e.entity_id: e for e in prints}
    assert len(by_letter) == 22
    assert all(by_letter[str(x.id)].details["sha256"] == x.pdf_sha256 for x in letters
               if x.id != held.letter_id)  # fmt: skip
    assert sorted(previews) == sorted(str(r.letter_id) for r in rows[:2])
    sam = Desk(db=desk.db, clock=clock, actor=sign_in_demo_user(desk.db, "sam"))
    assert verify_chain(sam).intact
