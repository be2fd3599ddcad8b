"""The print queue window: the day's letters, previewed and printed as one job from the keyboard.

Jo in the booking office opens it with Ctrl+P: every letter waiting (advice, appointment, GP,
unable-to-contact), held ones with the reason, large print and communication needs in words.
Enter previews the current letter (QtPdf), Ctrl+P prints the selected letters, Ctrl+Shift+P all
ready ones as one job through the system print dialog, Ctrl+S saves one as PDF. A letter counts
as printed once its job has been handed to the printer (or the file saved); only then is it
marked printed, with the exact bytes sent kept in the database.

Printing rasterises each PDF page with QtPdf at up to 300 dpi onto the printer's page (Qt has no
vector PDF-to-printer path). Tests inject a printer factory returning a PDF-file ``QPrinter``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, time
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QItemSelectionModel,
    QObject,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHeaderView,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from physioline.clock import LONDON
from physioline.core.referral import Role
from physioline.errors import PhysioLineError
from physioline.gui.errors import show_error
from physioline.gui.forms.ui_print_queue import Ui_PrintQueueDialog
from physioline.gui.models.letters import ROW_ROLE, LetterQueueModel
from physioline.gui.ops import run_op
from physioline.services import letters
from physioline.services.desk import Desk
from physioline.services.letters import (
    LetterDocument,
    PrintBatch,
    PrintMethod,
    PrintRecorded,
    QueueRow,
    QueueScope,
)

log = logging.getLogger(__name__)

#: Asks for a printer for a job of ``pages`` pages; None when the user cancels.
PrinterFactory = Callable[[QWidget, str, int], "QPrinter | None"]
#: Asks where to save a PDF (suggested file name); None when the user cancels.
FileChooser = Callable[[QWidget, str], "str | None"]
MAX_RASTER_DPI = 300


class PrintFailed(PhysioLineError):
    """The printer did not take the job; nothing was marked printed."""


def system_printer(parent: QWidget, title: str, pages: int) -> QPrinter | None:
    """The system print dialog, set up for A4 letters; None when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"{title} ({pages} page{'s' if pages != 1 else ''})")
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def choose_save_file(parent: QWidget, suggested: str) -> str | None:
    """The system save dialog for one PDF; None when cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, "Save letter as PDF", suggested, "PDF (*.pdf)")
    return name or None


def _pdf_document(data: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A QtPdf document reading ``data``; its buffer is its child, so it lives exactly as long.

    The document always has a parent (the application by default) and is released with
    :func:`_release`: QtPdf posts deferred work that must not outlive it, so a document is
    never destroyed abruptly by Python's garbage collector.
    """
    owner = parent if parent is not None else QCoreApplication.instance()
    document = QPdfDocument(owner) if owner is not None else QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise PrintFailed("A letter's PDF could not be read for printing; nothing was printed.")
    return document


def _release(document: QPdfDocument) -> None:
    document.close()
    document.deleteLater()


def on_paper(image: QImage) -> QImage:
    """QtPdf renders pages on a transparent background: flatten onto white, as on paper.

    (An image with an alpha channel reaches the printer as a soft mask: bigger, slower jobs.)
    """
    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper


def page_count(pdf: bytes) -> int:
    """Pages in one letter's PDF."""
    document = _pdf_document(pdf)
    try:
        return int(document.pageCount())
    finally:
        _release(document)


def print_documents(printer: QPrinter, documents: Sequence[LetterDocument]) -> int:
    """Send the letters to ``printer`` as one job; return the number of sheets' sides printed.

    Each page is rendered at the printer's resolution (at most 300 dpi) and fills the page. On a
    duplex printer a letter with an odd number of pages gets a blank back, so the next letter
    starts on its own sheet and no patient's letter is printed on the back of another's.

    Raises:
        PrintFailed: the printer refused the job or a page.
    """
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed("The printer did not accept the job; nothing was marked printed.",
                          "Check the printer is on and has paper, then print again.")  # fmt: skip
    dpi = min(printer.resolution(), MAX_RASTER_DPI)
    duplex = printer.duplex() != QPrinter.DuplexMode.DuplexNone
    sides = 0
    try:
        for letter in documents:
            document = _pdf_document(letter.pdf)
            try:
                pages = int(document.pageCount())
                for page in range(pages):
                    if sides and not printer.newPage():
                        raise PrintFailed("The printer stopped taking pages; check it.")
                    target = QRectF(painter.viewport())
                    points = document.pagePointSize(page)
                    size = QSize(
                        round(points.width() * dpi / 72), round(points.height() * dpi / 72)
                    )
                    painter.drawImage(target, on_paper(document.render(page, size)))
                    sides += 1
                if duplex and pages % 2:
                    printer.newPage()  # the blank back of this letter's last sheet
                    sides += 1
            finally:
                _release(document)
    finally:
        painter.end()
    return sides


class PrintQueueDialog(QDialog):
    """The print queue: list, preview, print one or all, save; keyboard first."""

    #: The queue (re)loaded.
    loaded = Signal()
    #: A letter is shown in the preview (letter id).
    previewed = Signal(int)
    #: Letters were marked printed or saved (a ``PrintRecorded``).
    printed = Signal(object)
    #: Something failed (the message shown).
    failed = Signal(str)

    def __init__(
        self,
        desk: Desk,
        parent: QWidget | None = None,
        *,
        printer_factory: PrinterFactory = system_printer,
        file_chooser: FileChooser = choose_save_file,
        resource_problems: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        actor = desk.require(*letters.LETTER_PRINTERS, action="open the print queue")
        self.desk = desk
        self.printer_factory = printer_factory
        self.file_chooser = file_chooser
        self.ui = Ui_PrintQueueDialog()
        self.ui.setupUi(self)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.model = LetterQueueModel(self)
        view = self.ui.tableView
        view.setModel(self.model)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        view.verticalHeader().setVisible(False)

        self.pdf_view = QPdfView(self.ui.previewPanel)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setAccessibleName("Letter preview")
        self.ui.previewLayout.addWidget(self.pdf_view, 1)
        self._pdf: QPdfDocument | None = None
        self.ui.splitter.setSizes([900, 620])
        self.ui.needsLabel.setVisible(False)

        self.ui.scopeCombo.addItem("My letters", QueueScope.MINE.value)
        if actor.role != Role.PHYSIO:
            self.ui.scopeCombo.addItem("Whole team", QueueScope.TEAM.value)
            self.ui.scopeCombo.setCurrentIndex(1)
        self.ui.scopeCombo.currentIndexChanged.connect(self._filter_changed)
        self.ui.printedCheck.toggled.connect(self._filter_changed)

        self.ui.previewButton.clicked.connect(self.preview_current)
        self.ui.printButton.clicked.connect(self.print_selected)
        self.ui.printAllButton.clicked.connect(self.print_all)
        self.ui.saveButton.clicked.connect(self.save_current)
        self.ui.refreshButton.clicked.connect(self.reload)
        self.ui.closeButton.clicked.connect(self.close)
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Return), self.preview_current),
            (QKeySequence(Qt.Key.Key_Enter), self.preview_current),
            (QKeySequence("Ctrl+P"), self.print_selected),
            (QKeySequence("Ctrl+Shift+P"), self.print_all),
            (QKeySequence("Ctrl+S"), self.save_current),
            (QKeySequence(Qt.Key.Key_F5), self.reload),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.activated.connect(slot)
        self._selection = view.selectionModel()
        # Read the current row once the selection has settled (selectRow changes the selection
        # before the current index); a child timer never fires into a destroyed window.
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(0)
        self._settle.timeout.connect(self._selection_changed)
        self._selection.selectionChanged.connect(self._settle.start)
        if resource_problems:
            self._say(
                "Letters cannot be printed until these are fixed in resources/: "
                + "; ".join(resource_problems)
            )
            for button in (self.ui.printButton, self.ui.printAllButton, self.ui.saveButton,
                           self.ui.previewButton):  # fmt: skip
                button.setEnabled(False)
        self._blocked = bool(resource_problems)
        view.setFocus()

    # --- loading ------------------------------------------------------------------------------

    @property
    def scope(self) -> QueueScope:
        """Whose letters are shown."""
        return QueueScope(self.ui.scopeCombo.currentData())

    def _filter_changed(self, *_args: object) -> None:
        self.reload()

    def reload(self) -> None:
        """Load the queue in the background."""
        desk, scope = self.desk, self.scope
        since = None
        if self.ui.printedCheck.isChecked():
            today = desk.clock.now().astimezone(LONDON).date()
            since = datetime.combine(today, time(0, 0), tzinfo=LONDON)

        def load() -> list[QueueRow]:
            return letters.print_queue(desk, scope, include_printed_since=since)

        self._run(load, self._loaded)

    def _loaded(self, rows: list[QueueRow]) -> None:
        current = self.current_row()
        self.model.set_rows(rows)
        ready = sum(1 for r in rows if r.ready and r.print_count == 0)
        held = sum(1 for r in rows if r.held_reason is not None)
        large = sum(1 for r in rows if r.large_print and r.ready)
        self.ui.countsLabel.setText(
            f"<b>{ready}</b> ready to print · <b>{held}</b> held · <b>{large}</b> large print"
        )
        self.ui.countsLabel.setTextFormat(Qt.TextFormat.RichText)
        target = 0
        if current is not None:
            target = next((i for i, r in enumerate(rows) if r.letter_id == current.letter_id), 0)
        if rows:
            self.select_row(target)
        self.loaded.emit()

    def select_row(self, row: int) -> None:
        """Make ``row`` the current and only selected letter.

        (Not ``QTableView.selectRow``: in extended selection it obeys whatever modifier keys
        are held, so Ctrl still down from Ctrl+P would toggle the row instead.)
        """
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self._selection.setCurrentIndex(self.model.index(row, 0), flags)

    # --- selection and preview ----------------------------------------------------------------

    def current_row(self) -> QueueRow | None:
        """The letter under the cursor."""
        index = self.ui.tableView.currentIndex()
        if not index.isValid():
            return None
        row: QueueRow = self.model.data(index, ROW_ROLE)
        return row

    def selected_rows(self) -> list[QueueRow]:
        """The selected letters, in queue order."""
        rows = {i.row() for i in self.ui.tableView.selectionModel().selectedRows()}
        return [self.model.row_at(r) for r in sorted(rows)]

    def _selection_changed(self) -> None:
        row = self.current_row()
        if row is None:
            self.ui.letterLabel.setText("Select a letter and press Enter to preview it.")
            self._show_needs([])
            return
        what = f"{row.kind_label.capitalize() if row.kind_label != 'GP' else 'GP'} letter " \
            f"{row.letter_id} for {row.patient_label} ({row.nhs_number})"  # fmt: skip
        if row.held_reason:
            what += f" — HELD: {row.held_reason}"
        self.ui.letterLabel.setText(what + ". Press Enter to preview.")
        self._show_needs([row])

    def _show_needs(self, rows: Sequence[QueueRow]) -> None:
        """Communication needs in a bordered, bold box above the preview: read before printing."""
        lines = []
        for row in rows:
            for need in row.needs:
                who = f"{row.patient_label}: " if len(rows) > 1 else ""
                lines.append(f"⚠ {who}{need}")
        if not lines:
            self.ui.needsLabel.setVisible(False)
            return
        html = "<b>Communication needs — check before printing</b><br>" + "<br>".join(
            _escape(line) for line in dict.fromkeys(lines)
        )
        self.ui.needsLabel.setText(html)
        self.ui.needsLabel.setVisible(True)

    def preview_current(self) -> None:
        """Preview the current letter (the view is audited)."""
        row = self.current_row()
        if row is None or self._blocked:
            return
        desk, letter_id = self.desk, row.letter_id
        self._say(f"Preparing the preview of letter {letter_id}…")
        self._run(lambda: letters.preview_letter(desk, letter_id), self._show_preview, write=True)

    def _show_preview(self, document: LetterDocument) -> None:
        old = self._pdf
        self._pdf = _pdf_document(document.pdf, self)
        self.pdf_view.setDocument(self._pdf)
        if old is not None:
            _release(old)
        pages = int(self._pdf.pageCount())
        again = " Printed before: printing again is a recorded reprint." \
            if document.printed_before else ""  # fmt: skip
        self._say(f"Previewing letter {document.letter_id} ({pages} page"
                  f"{'s' if pages != 1 else ''}, {document.sha256[:12]}…).{again}")  # fmt: skip
        self.previewed.emit(document.letter_id)

    # --- printing and saving --------------------------------------------------------------------

    def print_selected(self) -> None:
        """Print the selected letters as one job."""
        self._print([r.letter_id for r in self.selected_rows()])

    def print_all(self) -> None:
        """Print every ready, never-printed letter in the list as one job."""
        rows = [r for r in self.model.rows() if r.ready and r.print_count == 0]
        self._show_needs(rows)
        self._print([r.letter_id for r in rows])

    def _print(self, letter_ids: list[int]) -> None:
        if self._blocked:
            return
        if not letter_ids:
            self._say("Nothing to print: no ready letters are selected.")
            return
        desk = self.desk
        self._say(f"Preparing {len(letter_ids)} letter{'s' if len(letter_ids) != 1 else ''}…")
        self._run(
            lambda: letters.prepare_print(desk, letter_ids), self._send_to_printer, write=True
        )

    def _send_to_printer(self, batch: PrintBatch) -> None:
        skipped = "; ".join(f"letter {i}: {why}" for i, why in batch.skipped)
        if not batch.documents:
            self._say(f"Nothing printed. {skipped}")
            return
        pages = sum(page_count(d.pdf) for d in batch.documents)
        count = len(batch.documents)
        title = f"PhysioLine letters: {count} letter{'s' if count != 1 else ''}"
        printer = self.printer_factory(self, title, pages)
        if printer is None:
            self._say("Printing cancelled; nothing was marked printed.")
            return
        try:
            self.setCursor(Qt.CursorShape.BusyCursor)
            print_documents(printer, batch.documents)
        except PhysioLineError as exc:
            self._failed(exc)
            return
        finally:
            self.unsetCursor()
        destination = printer.printerName() or printer.outputFileName()
        self._record(batch.documents, PrintMethod.PRINTER, destination, skipped)

    def save_current(self) -> None:
        """Save the current letter as a PDF file (counts as printed)."""
        row = self.current_row()
        if row is None or self._blocked:
            return
        desk, letter_id = self.desk, row.letter_id
        self._run(lambda: letters.prepare_print(desk, [letter_id]), self._save, write=True)

    def _save(self, batch: PrintBatch) -> None:
        if not batch.documents:
            self._say("Not saved. " + "; ".join(why for _i, why in batch.skipped))
            return
        document = batch.documents[0]
        suggested = f"letter-{document.letter_id}-{document.kind.value}.pdf"
        name = self.file_chooser(self, suggested)
        if name is None:
            self._say("Saving cancelled; nothing was marked printed.")
            return
        try:
            Path(name).write_bytes(document.pdf)
        except OSError as exc:
            self._failed(PrintFailed(f"The letter could not be saved: {exc.strerror}.",
                                     "Choose another folder."))  # fmt: skip
            return
        self._record([document], PrintMethod.SAVED, Path(name).name, "")

    def _record(
        self, documents: Sequence[LetterDocument], method: PrintMethod, where: str, skipped: str
    ) -> None:
        desk, docs = self.desk, list(documents)

        def done(recorded: PrintRecorded) -> None:
            note = f" Left out: {skipped}" if skipped else ""
            self._say(recorded.message + note)
            self.printed.emit(recorded)
            self.reload()

        self._run(lambda: letters.mark_printed(desk, docs, method=method, destination=where),
                  done, write=True)  # fmt: skip

    # --- background work -----------------------------------------------------------------------

    def _run(self, fn: Callable[[], Any], on_done: Callable[[Any], None], *,
             write: bool = False) -> None:  # fmt: skip
        """Run a service call in the background; deliver to this window only while it exists."""

        def done(result: Any) -> None:
            if shiboken6.isValid(self):
                on_done(result)

        def failed(exc: Exception) -> None:
            if shiboken6.isValid(self):
                self._failed(exc)

        run_op(fn, on_done=done, on_error=failed, write=write)

    # --- messages ---------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.ui.statusLabel.setText(text)

    def _failed(self, exc: Exception) -> None:
        message = exc.message if isinstance(exc, PhysioLineError) else "Something went wrong."
        self._say(message)
        self.failed.emit(message)
        show_error(self, exc)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def connect_letters(window: QMainWindow, action: QAction, desk: Desk) -> None:
    """Wire the main window's print-queue action (Ctrl+P) and check the letter wording now.

    A missing advice file or template is reported when the app starts (in the status bar and a
    warning), not when somebody prints. IT staff see no letters, so the action is disabled.
    """
    problems = letters.check_resources()
    if problems:
        log.warning("letter resources: %s problem(s) at start", len(problems))
        text = "Letters cannot be printed until resources/ is fixed:\n\n" + "\n".join(
            f"• {p}" for p in problems
        )
        box = QMessageBox(QMessageBox.Icon.Warning, "Letter wording has problems", text,
                          QMessageBox.StandardButton.Ok, window)  # fmt: skip
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.open()
        window.statusBar().showMessage(f"Letters: {len(problems)} problem(s) in resources/")
        window.setProperty("letter_problems", problems)
    actor = desk.actor
    if actor is None or actor.role not in letters.LETTER_PRINTERS:
        action.setEnabled(False)
        action.setToolTip("Your role does not print letters.")
        return
    holder: dict[str, PrintQueueDialog] = {}

    def open_queue() -> None:
        dialog = holder.get("dialog")
        if dialog is None:
            dialog = PrintQueueDialog(desk, window, resource_problems=problems)
            holder["dialog"] = dialog
        dialog.show()
        if QGuiApplication.platformName() != "offscreen":  # it has no window stacking
            dialog.raise_()
            dialog.activateWindow()
        dialog.reload()

    action.triggered.connect(open_queue)
    action.setEnabled(True)
    window.setProperty("print_queue_holder", holder)
