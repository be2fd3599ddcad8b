"""The print queue window, driven from the keyboard, printing into a PDF-file QPrinter.

No printer exists here: the test injects a printer factory whose QPrinter writes a PDF file,
then reads that file back (page count, metadata, and each page compared with the stored letter's
own page) and checks every letter was marked printed only after the job was handed over.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
import sqlalchemy as sa
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from physioline.core.referral import LetterStatus
from physioline.db.models import AuditEvent, Letter
from physioline.gui.print_queue import PrintQueueDialog, on_paper, page_count
from physioline.services.desk import Desk


class PdfPrinters:
    """A printer factory for tests: every job goes to a PDF file; the calls are kept."""

    def __init__(self, folder: Path, *, cancel: bool = False) -> None:
        self.folder = folder
        self.cancel = cancel
        self.jobs: list[tuple[str, int, Path]] = []

    def __call__(self, _parent: QWidget, title: str, pages: int) -> QPrinter | None:
        if self.cancel:
            return None
        path = self.folder / f"job-{len(self.jobs) + 1}.pdf"
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setResolution(100)  # fast; the app renders at the printer's dpi up to 300
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(title)
        self.jobs.append((title, pages, path))
        return printer


def thumbnail(pdf: bytes, page: int) -> QImage:
    document = QPdfDocument(QCoreApplication.instance())
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    image = on_paper(document.render(page, QSize(60, 85)))
    document.close()
    document.deleteLater()
    return image.convertToFormat(QImage.Format.Format_Grayscale8)


def difference(a: QImage, b: QImage) -> float:
    """Mean absolute grey-level difference of two same-sized thumbnails (0-255)."""
    pixels_a, pixels_b = bytes(a.constBits()), bytes(b.constBits())
    return sum(abs(x - y) for x, y in zip(pixels_a, pixels_b, strict=True)) / len(pixels_a)


def open_queue(qtbot: QtBot, desk: Desk, printers: PdfPrinters, **kw: object) -> PrintQueueDialog:
    dialog = PrintQueueDialog(desk, printer_factory=printers, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.reload()
    return dialog


def test_print_all_goes_as_one_job_and_marks_every_letter_printed(
    qtbot: QtBot, make_desk: Callable[[str], Desk], tmp_path: Path
) -> None:
    desk = make_desk("jo")
    printers = PdfPrinters(tmp_path)
    dialog = open_queue(qtbot, desk, printers)
    rows = dialog.model.rows()
    assert len(rows) == 23
    assert "22</b> ready to print" in dialog.ui.countsLabel.text()
    held = [i for i, r in enumerate(rows) if not r.ready]
    index = dialog.model.index(held[0], dialog.model.STATUS)
    assert dialog.model.data(index) == "HELD: No postal address on the patient's record."

    with qtbot.waitSignal(dialog.printed, timeout=60_000) as printed:
        ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(dialog.ui.tableView, Qt.Key.Key_P, ctrl_shift)
    assert len(printed.args[0].printed) == 22
    ((title, pages, path),) = printers.jobs
    assert title == "PhysioLine letters: 22 letters"

    with desk.db.sessions() as session:
        ids = [r.letter_id for r in rows if r.ready]
        stored = {
            letter.id: letter
            for letter in session.scalars(sa.select(Letter).where(Letter.id.in_(ids)))
        }
        audited = session.scalars(
            sa.select(AuditEvent.entity_id).where(AuditEvent.action == "letter.print")
        ).all()
    assert all(letter.status == LetterStatus.PRINTED for letter in stored.values())
    assert sorted(str(a) for a in audited) == sorted(str(i) for i in ids)

    # Read the job back: one page per letter page, in queue order, each the stored letter's page.
    job = path.read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(job))
    assert reader.metadata is not None
    assert reader.metadata.title == title
    letter_pages = [(i, p) for i in ids for p in range(page_count(stored[i].pdf or b""))]
    assert len(reader.pages) == len(letter_pages) == pages
    # Each sampled printed page looks most like the stored letter page it should be.
    originals = [thumbnail(stored[i].pdf or b"", p) for i, p in letter_pages]
    for number in (0, 1, len(letter_pages) // 2, len(letter_pages) - 1):
        printed_page = thumbnail(job, number)
        distances = [difference(printed_page, original) for original in originals]
        assert distances.index(min(distances)) == number

    qtbot.waitUntil(lambda: not [r for r in dialog.model.rows() if r.ready and not r.print_count])


def test_enter_previews_and_needs_are_shown_before_printing(
    qtbot: QtBot, make_desk: Callable[[str], Desk], tmp_path: Path
) -> None:
    dialog = open_queue(qtbot, make_desk("jo"), PdfPrinters(tmp_path))
    rows = dialog.model.rows()
    large = next(i for i, r in enumerate(rows) if r.large_print)
    dialog.ui.tableView.setFocus()
    dialog.select_row(large)
    qtbot.waitUntil(lambda: dialog.ui.needsLabel.isVisibleTo(dialog), timeout=5_000)
    assert "Large print: send letters in 16 point or larger" in dialog.ui.needsLabel.text()
    with qtbot.waitSignal(dialog.previewed, timeout=10_000) as shown:
        qtbot.keyClick(dialog.ui.tableView, Qt.Key.Key_Return)
    assert shown.args == [rows[large].letter_id]
    assert dialog.pdf_view.document().pageCount() >= 1
    assert "Previewing letter" in dialog.ui.statusLabel.text()
    with make_desk("jo").db.sessions() as session:
        viewed = session.scalars(
            sa.select(AuditEvent.entity_id).where(AuditEvent.action == "letter.preview")
        ).all()
    assert viewed == [str(rows[large].letter_id)]


def test_cancelled_print_marks_nothing_and_save_counts_as_printed(
    qtbot: QtBot, make_desk: Callable[[str], Desk], tmp_path: Path
) -> None:
    desk = make_desk("priya")
    saved = tmp_path / "saved.pdf"
    dialog = open_queue(qtbot, desk, PdfPrinters(tmp_path, cancel=True),
                        file_chooser=lambda _p, _name: str(saved))  # fmt: skip
    assert dialog.ui.scopeCombo.count() == 1  # a physio's own letters only
    rows = dialog.model.rows()
    assert rows
    assert {r.created_by for r in rows} == {"Priya Shah"}
    dialog.select_row(0)
    qtbot.keyClick(dialog.ui.tableView, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "cancelled" in dialog.ui.statusLabel.text(), timeout=10_000)
    with desk.db.sessions() as session:
        assert session.get(Letter, rows[0].letter_id).status == LetterStatus.QUEUED  # type: ignore[union-attr]

    with qtbot.waitSignal(dialog.printed, timeout=10_000):
        qtbot.keyClick(dialog.ui.tableView, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with desk.db.sessions() as session:
        letter = session.get(Letter, rows[0].letter_id)
        assert letter is not None
        about_it = (AuditEvent.entity == "letter", AuditEvent.entity_id == str(letter.id))
        actions = session.scalars(sa.select(AuditEvent.action).where(*about_it)).all()
    assert letter.status == LetterStatus.PRINTED
    assert letter.pdf == saved.read_bytes()
    assert "letter.save" in actions


@pytest.mark.parametrize("username", ["jo", "alex"])
def test_ctrl_p_in_the_main_window_opens_the_queue_for_letter_printers_only(
    qtbot: QtBot, make_desk: Callable[[str], Desk], username: str
) -> None:
    from physioline.gui.main_window import MainWindow

    window = MainWindow(make_desk(username))
    qtbot.addWidget(window)
    window.show()
    # The print queue is wired just after the worklist first paints (ReportLab loads then).
    qtbot.waitUntil(lambda: window.ui.actionPrintQueue.toolTip() != ""
                    and (username == "alex") != window.ui.actionPrintQueue.isEnabled(),
                    timeout=10_000)  # fmt: skip
    if username == "alex":
        qtbot.waitUntil(lambda: "does not print" in window.ui.actionPrintQueue.toolTip(),
                        timeout=10_000)  # fmt: skip
        assert not window.ui.actionPrintQueue.isEnabled()
        return
    assert window.ui.actionPrintQueue.isEnabled()
    window.ui.actionPrintQueue.trigger()
    dialog = window.findChild(PrintQueueDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 23, timeout=10_000)
    dialog.close()
