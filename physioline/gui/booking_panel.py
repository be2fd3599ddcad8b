"""The booking panel: offer the patient a choice of times and clinics and book one, on the call.

Opens by itself after an assessment signs off for face-to-face physiotherapy (or with Ctrl+B on
the worklist), already listing the earliest free new-patient slots within the target window
across every clinic, grouped by day. Keyboard first: the list has the focus, ↑ ↓ choose a slot,
Enter books it; Alt+C, Alt+D, Alt+T, Alt+L, Alt+F, Alt+I reach the filters and Alt+S the list
again. Every state is said in words (held, after the window, no step-free access, just taken);
colour only repeats it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QPalette,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QInputDialog,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from physioline.clock import to_london
from physioline.core.referral import CancelInitiator, Sex
from physioline.errors import PhysioLineError, SlotTaken
from physioline.gui.errors import show_error
from physioline.gui.forms.ui_booking_panel import Ui_BookingPanel
from physioline.gui.ics_export import save_appointment_ics
from physioline.gui.ops import run_op
from physioline.services import booking, rota
from physioline.services.booking import (
    Booked,
    BookingContext,
    ClinicChoice,
    DayPart,
    SlotOffer,
    SlotPreferences,
    SlotSearchResult,
)
from physioline.services.desk import Desk

log = logging.getLogger(__name__)

FACE_TO_FACE = ("urgent_f2f", "routine_f2f")
SEARCH_DELAY_MS = 150
COLUMNS = ("Time", "Clinic", "Distance", "Clinician", "Notes")
OfferRole = Qt.ItemDataRole.UserRole + 1
_HEADER_BACKGROUND = QColor("#e8edf3")
_AFTER_BACKGROUND = QColor("#fdf1d6")


def day_name(at: datetime) -> str:
    """'Thursday 3 December', as said on the phone (London day)."""
    local = to_london(at)
    return f"{local:%A} {local.day} {local:%B}"


def _day_heading(day: datetime, count: int, *, after_window: bool) -> str:
    label = day_name(day)
    if after_window:
        return f"AFTER THE TARGET WINDOW — {label}"
    return f"{label} — {count} slot{'s' if count != 1 else ''}"


def _distance(choice: ClinicChoice | None) -> str:
    if choice is None:
        return ""
    bits = []
    if choice.distance_km is not None:
        # Distances run between district centroids: the patient's own district reads as such.
        km = choice.distance_km
        bits.append("same district" if km < 0.05 else f"{km:.1f} km")
    if choice.serves_patient_district:
        bits.append("local")
    return " · ".join(bits)


def _notes(offer: SlotOffer, *, after_window: bool) -> str:
    bits = []
    if after_window:
        bits.append("after the window")
    if offer.held_for_urgent:
        bits.append("held for urgent")
    if not offer.step_free:
        bits.append("no step-free access")
    bits.append(f"{offer.minutes} min")
    return " · ".join(bits)


def fill_slots(
    model: QStandardItemModel,
    result: SlotSearchResult,
    context: BookingContext,
    *,
    append: bool = False,
) -> None:
    """Put a search result into the model: one heading row per day, one row per slot."""
    if not append:
        model.removeRows(0, model.rowCount())
    offers = list(result.offers)
    after_window = False
    if not offers and result.beyond_window is not None:
        offers = [result.beyond_window]
        after_window = True
    by_day: dict[str, list[SlotOffer]] = {}
    for offer in offers:
        by_day.setdefault(f"{to_london(offer.starts_at):%Y-%m-%d}", []).append(offer)
    bold = QFont()
    bold.setBold(True)
    text = QGuiApplication.palette().color(QPalette.ColorRole.Text)
    for key, day_offers in by_day.items():
        heading = _find_heading(model, key) if append else None
        if heading is None:
            heading = QStandardItem()
            heading.setData(key, Qt.ItemDataRole.UserRole)
            heading.setFlags(Qt.ItemFlag.NoItemFlags)  # arrows skip it; it is not a slot
            heading.setFont(bold)
            heading.setForeground(QBrush(text))
            heading.setBackground(_AFTER_BACKGROUND if after_window else _HEADER_BACKGROUND)
            model.appendRow(heading)
        for offer in day_offers:
            choice = context.clinic(offer.clinic_id)
            sex = "" if offer.clinician_sex in (Sex.UNKNOWN, Sex.OTHER) else \
                f" ({offer.clinician_sex.value})"  # fmt: skip
            cells = (
                f"{to_london(offer.starts_at):%H:%M}–{to_london(offer.ends_at):%H:%M}",
                offer.clinic_name,
                _distance(choice),
                offer.clinician_name + sex,
                _notes(offer, after_window=after_window),
            )
            row = []
            for value in cells:
                item = QStandardItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setData(offer, OfferRole)
                row.append(item)
            heading.appendRow(row)
        count = heading.rowCount()
        heading.setText(_day_heading(day_offers[0].starts_at, count, after_window=after_window))


def _find_heading(model: QStandardItemModel, key: str) -> QStandardItem | None:
    for row in range(model.rowCount()):
        item: QStandardItem | None = model.item(row)  # None past the end, whatever the stubs say
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == key:
            return item
    return None


class BookingPanel(QWidget):
    """Slots grouped by day, the patient's filters, and one key to book."""

    #: The referral's context arrived (patient, window, clinics).
    context_loaded = Signal()
    #: A search result is on screen.
    loaded = Signal()
    #: An appointment was booked: (referral id, appointment id).
    booked = Signal(int, int)
    #: The appointment's calendar file is written, whole (its path).
    ics_saved = Signal(object)

    def __init__(self, desk: Desk, referral_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.desk = desk
        self.referral_id = referral_id
        self.ui = Ui_BookingPanel()
        self.ui.setupUi(self)
        self.context: BookingContext | None = None
        self.result: SlotSearchResult | None = None
        self.last_booked: Booked | None = None
        self._generation = 0
        self._select_after: datetime | None = None

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        view = self.ui.slotsView
        view.setModel(self.model)
        view.setExpandsOnDoubleClick(False)
        header = view.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        view.setIndentation(14)
        for column, width in enumerate((125, 260, 165, 205)):
            view.setColumnWidth(column, width)
        view.activated.connect(self._activated)
        view.selectionModel().currentChanged.connect(lambda *_a: self._show_selected())
        self.ui.splitter.setSizes([330, 950])

        self.day_checks: tuple[QCheckBox, ...] = (
            self.ui.monCheck, self.ui.tueCheck, self.ui.wedCheck, self.ui.thuCheck,
            self.ui.friCheck, self.ui.satCheck, self.ui.sunCheck,
        )  # fmt: skip
        self.part_checks: dict[DayPart, QCheckBox] = {
            DayPart.MORNING: self.ui.morningCheck,
            DayPart.AFTERNOON: self.ui.afternoonCheck,
            DayPart.EVENING: self.ui.eveningCheck,
        }
        self.ui.sexCombo.addItem("Any clinician", None)
        self.ui.sexCombo.addItem("Female clinician", Sex.FEMALE)
        self.ui.sexCombo.addItem("Male clinician", Sex.MALE)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search)
        for box in (*self.day_checks, *self.part_checks.values(), self.ui.stepFreeCheck,
                    self.ui.interpreterCheck):  # fmt: skip
            box.toggled.connect(self._filters_changed)
        self.ui.sexCombo.currentIndexChanged.connect(self._filters_changed)
        self.ui.clinicList.itemChanged.connect(self._filters_changed)

        self.ui.bookButton.clicked.connect(self.book_selected)
        self.ui.moreButton.clicked.connect(self.show_more)
        self.ui.waitingButton.clicked.connect(self.add_to_waiting_list)
        self.ui.icsButton.clicked.connect(lambda: self.export_ics())
        self.ui.closeButton.clicked.connect(self.close)
        for keys, slot in (("Ctrl+M", self.show_more), ("Ctrl+W", self.add_to_waiting_list),
                           ("Ctrl+E", lambda: self.export_ics()),
                           ("Escape", self.close)):  # fmt: skip
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        for button in (self.ui.bookButton, self.ui.moreButton, self.ui.waitingButton,
                       self.ui.icsButton):  # fmt: skip
            button.setEnabled(False)
        self.setStyleSheet(
            "QLabel#patientLabel { font-size: 13pt; }"
            "QLabel#needsLabel { font-size: 12pt; font-weight: bold; background: #fff8c5;"
            " color: #000; border: 2px solid #000; padding: 4px; }"
            "QLabel#windowLabel { font-size: 11.5pt; }"
            "QLabel#rebookLabel { font-size: 11pt; font-weight: bold; border: 2px dashed #000;"
            " padding: 4px; }"
            "QLabel#messageLabel { font-size: 11pt; padding: 4px; }"
            "QLabel#selectedLabel { font-size: 13pt; padding: 4px 2px; }"
            "QPushButton#bookButton { font-weight: bold; background: #005eb8; color: #fff;"
            " padding: 6px 16px; }"
            "QPushButton#bookButton:disabled { background: #c8c8c8; color: #555; }"
            "QTreeView { font-size: 11pt; selection-background-color: #005eb8;"
            " selection-color: #fff; }"
            "QTreeView::item { padding: 3px; }"
        )  # fmt: skip
        self.ui.needsLabel.hide()
        self.setWindowTitle("Book an appointment")

    # --- loading ------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the referral, then search with the patient's recorded needs as filters."""
        desk, referral_id = self.desk, self.referral_id
        run_op(lambda: booking.booking_context(desk, referral_id), on_done=self._context,
               on_error=self._failed, parent=self)  # fmt: skip

    def _context(self, context: BookingContext) -> None:
        self.context = context
        self.setWindowTitle(f"Book an appointment — {context.patient_name}")
        district = f" · {context.district}" if context.district else ""
        self.ui.patientLabel.setText(
            f"<b>{context.patient_name}</b> · NHS {context.nhs_number}{district} · "
            f"referral {context.referral_id}"
        )
        needs = []
        if context.interpreter_language:
            needs.append(f"Interpreter: {context.interpreter_language}")
        if not context.has_postal_address:
            needs.append("No postal address: the appointment letter will be held")
        self.ui.needsLabel.setText(" · ".join(needs))
        self.ui.needsLabel.setVisible(bool(needs))
        self.ui.windowLabel.setText(f"<b>{context.window_text}</b> · new patient, 45 minutes")
        if context.live_appointment is not None:
            self.ui.rebookLabel.setText(
                f"Already booked: {context.live_appointment.describe()}. Booking another slot "
                "REBOOKS it: you will be asked why and who asked."
            )
            self.ui.rebookLabel.show()
            self.ui.icsButton.setEnabled(True)
        language = context.interpreter_language
        self.ui.interpreterCheck.setText(
            f"&Interpreter needed: clinician speaks {language}" if language
            else "&Interpreter needed (none recorded)"
        )  # fmt: skip
        self.ui.interpreterCheck.setEnabled(bool(language))
        self.ui.clinicList.blockSignals(True)
        self.ui.clinicList.clear()
        for choice in context.clinics:
            item = QListWidgetItem(choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice.clinic_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            tip = choice.travel_notes + ("" if choice.step_free else " No step-free access.")
            item.setToolTip(tip.strip())
            self.ui.clinicList.addItem(item)
        self.ui.clinicList.setCurrentRow(0)
        self.ui.clinicList.blockSignals(False)
        self.ui.interpreterCheck.blockSignals(True)
        self.ui.interpreterCheck.setChecked(bool(language))
        self.ui.interpreterCheck.blockSignals(False)
        self.context_loaded.emit()
        self.search(focus_list=True)

    def preferences(self) -> SlotPreferences:
        """The filters as ticked on screen."""
        clinics = frozenset(
            int(self.ui.clinicList.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.ui.clinicList.count())
            if self.ui.clinicList.item(i).checkState() == Qt.CheckState.Checked
        )
        language = self.context.interpreter_language if self.context else None
        return SlotPreferences(
            clinic_ids=clinics,
            weekdays=frozenset(d for d, box in enumerate(self.day_checks) if box.isChecked()),
            day_parts=frozenset(p for p, box in self.part_checks.items() if box.isChecked()),
            clinician_sex=self.ui.sexCombo.currentData(),
            step_free=self.ui.stepFreeCheck.isChecked(),
            language=language if self.ui.interpreterCheck.isChecked() else None,
        )

    def _filters_changed(self, *_args: object) -> None:
        if self.context is not None:
            self._search_timer.start()

    def search(self, *, focus_list: bool = False) -> None:
        """Search again from the start with the filters on screen."""
        self._search_timer.stop()
        if self.context is None:
            return
        self._generation += 1
        generation = self._generation
        desk, query = self.desk, self.context.query(self.preferences())
        if self.last_booked is None:
            self._say("Searching…")

        def done(result: SlotSearchResult) -> None:
            if generation != self._generation or self.context is None:
                return  # a newer search is on its way
            self.result = result
            fill_slots(self.model, result, self.context)
            self._show_model()
            self._after_fill(focus_list)

        run_op(lambda: booking.find_slots(desk, query), on_done=done, on_error=self._failed,
               parent=self)  # fmt: skip

    def show_more(self) -> None:
        """The next page of slots after the last one shown (Ctrl+M)."""
        if self.context is None or self.result is None or self.result.next_key is None:
            return
        desk, query, after = self.desk, self.result.query, self.result.next_key
        generation = self._generation

        def done(result: SlotSearchResult) -> None:
            if generation != self._generation or self.context is None:
                return
            self.result = result
            fill_slots(self.model, result, self.context, append=True)
            self._show_model()
            self._update_message()
            self.ui.moreButton.setEnabled(result.next_key is not None)
            self.loaded.emit()

        run_op(lambda: booking.find_slots(desk, query, after=after), on_done=done,
               on_error=self._failed, parent=self)  # fmt: skip

    def _after_fill(self, focus_list: bool) -> None:
        result = self.result
        assert result is not None  # noqa: S101 - set by the caller
        self.ui.moreButton.setEnabled(result.next_key is not None)
        self.ui.waitingButton.setEnabled(self.last_booked is None)
        if self.last_booked is None:
            self._update_message()
        self._select_first(self._select_after)
        self._select_after = None
        self.ui.bookButton.setEnabled(self.selected_offer() is not None
                                      and self.last_booked is None)  # fmt: skip
        if focus_list:
            self.ui.slotsView.setFocus()
        self.loaded.emit()

    def _update_message(self) -> None:
        if self.result is None:
            return
        text = self.result.message
        if self.result.nothing_fits:
            hint = " Ctrl+W adds to the waiting list."
            if self.result.beyond_window is not None:
                hint = " Enter books the slot shown after the window;" + hint
            self._say(f"<b>{text}</b>{hint}", strong=True)
        else:
            self._say(text + (" Ctrl+M shows more." if self.result.next_key else ""))

    def _say(self, html: str, *, strong: bool = False) -> None:
        self.ui.messageLabel.setText(html)
        self.ui.messageLabel.setStyleSheet(
            "background: #fff8c5; color: #000; border: 2px solid #000;" if strong else ""
        )

    def _show_model(self) -> None:
        """Day headings span the row; every day stays open."""
        root = QModelIndex()
        for row in range(self.model.rowCount()):
            self.ui.slotsView.setFirstColumnSpanned(row, root, True)
        self.ui.slotsView.expandAll()

    def _show_selected(self) -> None:
        offer = self.selected_offer()
        if self.last_booked is not None:
            return
        if offer is None:
            self.ui.selectedLabel.setText("")
            return
        after = ""
        window_ends = self.context.window_ends if self.context else None
        if window_ends is not None and offer.starts_at >= window_ends:
            after = " — <b>after the target window</b>"
        self.ui.selectedLabel.setText(
            f"Chosen: <b>{day_name(offer.starts_at)} at {to_london(offer.starts_at):%H:%M}</b>, "
            f"{offer.clinic_name}, with {offer.clinician_name}{after}. "
            "Read it to the patient; <b>Enter books it</b>."
        )

    def offer_rows(self) -> list[QModelIndex]:
        """Index (column 0) of every slot row, in screen order."""
        rows = []
        for day in range(self.model.rowCount()):
            heading = self.model.index(day, 0)
            for child in range(self.model.rowCount(heading)):
                rows.append(self.model.index(child, 0, heading))
        return rows

    def _select_first(self, at_or_after: datetime | None) -> None:
        rows = self.offer_rows()
        if not rows:
            self.ui.slotsView.setCurrentIndex(QModelIndex())
            return
        chosen = rows[0]
        if at_or_after is not None:
            for index in rows:
                offer = index.data(OfferRole)
                if isinstance(offer, SlotOffer) and offer.starts_at >= at_or_after:
                    chosen = index
                    break
        self.ui.slotsView.setCurrentIndex(chosen)
        self.ui.slotsView.scrollTo(chosen)

    def selected_offer(self) -> SlotOffer | None:
        """The slot on the current row, if any."""
        offer = self.ui.slotsView.currentIndex().data(OfferRole)
        return offer if isinstance(offer, SlotOffer) else None

    # --- booking ------------------------------------------------------------------------------

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(index.data(OfferRole), SlotOffer):
            self.book_selected()

    def book_selected(self) -> None:
        """Book the selected slot for this patient (Enter): one key, no confirmation box."""
        offer = self.selected_offer()
        context = self.context
        if offer is None or context is None or self.last_booked is not None:
            return
        desk, referral_id = self.desk, self.referral_id
        live = context.live_appointment
        if live is not None:
            reason, initiator = self._ask_rebook_reason()
            if not reason or initiator is None:
                return
            work: Callable[[], Booked] = lambda: booking.rebook_appointment(  # noqa: E731
                desk, live.appointment_id, offer.slot_id, reason=reason, initiator=initiator
            )
        else:
            work = lambda: booking.book_slot(desk, referral_id, offer.slot_id)  # noqa: E731
        self._say(f"Booking {offer.describe()}…")
        self.ui.bookButton.setEnabled(False)
        run_op(work, on_done=self._booked,
               on_error=lambda exc: self._book_failed(exc, offer), parent=self,
               write=True)  # fmt: skip

    def _ask_rebook_reason(self) -> tuple[str, CancelInitiator | None]:
        who, ok = QInputDialog.getItem(self, "Rebook", "Who asked for the change?",
                                       ["The patient", "The service"], 0, False)  # fmt: skip
        if not ok:
            return "", None
        reason, ok = QInputDialog.getText(self, "Rebook", "Why is the appointment changing?")
        if not ok or not reason.strip():
            return "", None
        initiator = CancelInitiator.PATIENT if who == "The patient" else CancelInitiator.SERVICE
        return reason.strip(), initiator

    def _booked(self, booked: Booked) -> None:
        self.last_booked = booked
        when = f"{day_name(booked.starts_at)} at {to_london(booked.starts_at):%H:%M}"
        self.ui.selectedLabel.setText(
            f"Booked: <b>{when}</b>, {booked.clinic_name}, with {booked.clinician_name}."
        )
        self._say(f"<b>{booked.message}</b> Ctrl+E saves it as a calendar file; Esc closes.",
                  strong=True)  # fmt: skip
        self.ui.bookButton.setEnabled(False)
        self.ui.waitingButton.setEnabled(False)
        self.ui.icsButton.setEnabled(True)
        self.ui.rebookLabel.hide()
        log.info("booking panel: referral %s booked appointment %s", booked.referral_id,
                 booked.appointment_id)  # fmt: skip
        self.booked.emit(booked.referral_id, booked.appointment_id)

    def _book_failed(self, exc: Exception, offer: SlotOffer) -> None:
        if isinstance(exc, SlotTaken):
            # Scenario 5: say so where the physio is looking, then offer the next nearest.
            self._say(f"<b>{exc.message}</b> {exc.hint}", strong=True)
            self._select_after = offer.starts_at
            self._refresh_after_taken()
            return
        self._failed(exc)
        self.ui.bookButton.setEnabled(self.selected_offer() is not None)

    def _refresh_after_taken(self) -> None:
        if self.context is None:
            return
        self._generation += 1
        generation = self._generation
        desk, query = self.desk, self.context.query(self.preferences())
        message = self.ui.messageLabel.text()

        def done(result: SlotSearchResult) -> None:
            if generation != self._generation or self.context is None:
                return
            self.result = result
            fill_slots(self.model, result, self.context)
            self._show_model()
            self._after_fill(True)
            self._say(message, strong=True)  # keep "just taken" on screen

        run_op(lambda: booking.find_slots(desk, query), on_done=done, on_error=self._failed,
               parent=self)  # fmt: skip

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, PhysioLineError):
            self._say(f"<b>{exc.message}</b> {exc.hint}".strip(), strong=True)
            return
        show_error(self, exc)

    # --- waiting list and calendar file -------------------------------------------------------

    def waiting_list_clinics(self) -> list[ClinicChoice]:
        """The ticked clinics, else those serving the patient's district, else the nearest."""
        context = self.context
        if context is None:
            return []
        ticked = self.preferences().clinic_ids
        if ticked:
            return [c for c in context.clinics if c.clinic_id in ticked]
        local = [c for c in context.clinics if c.serves_patient_district]
        return local or list(context.clinics[:1])

    def add_to_waiting_list(self) -> None:
        """Nothing suits: put the patient on the waiting list for the clinics (Ctrl+W)."""
        if self.context is None or self.last_booked is not None:
            return
        clinics = self.waiting_list_clinics()
        desk, referral_id, prefs = self.desk, self.referral_id, self.preferences()
        names = ", ".join(c.name for c in clinics)

        def done(_entry: int) -> None:
            self._say(f"<b>On the waiting list for {names}.</b> The booking office offers the "
                      "first slot that fits; the referral stays open for booking.",
                      strong=True)  # fmt: skip
            self.ui.waitingButton.setEnabled(False)

        run_op(lambda: booking.add_to_waiting_list(desk, referral_id,
                                                   clinic_ids=[c.clinic_id for c in clinics],
                                                   preferences=prefs),
               on_done=done, on_error=self._failed, parent=self, write=True)  # fmt: skip

    def export_ics(self, path: Path | None = None) -> None:
        """Save the booked appointment as an .ics calendar file (Ctrl+E)."""
        appointment_id = None
        if self.last_booked is not None:
            appointment_id = self.last_booked.appointment_id
        elif self.context is not None and self.context.live_appointment is not None:
            appointment_id = self.context.live_appointment.appointment_id
        if appointment_id is None:
            return

        def saved(written: Path) -> None:
            self._say(f"Calendar file saved: {written}")
            self.ics_saved.emit(written)

        save_appointment_ics(self, self.desk, appointment_id, path, on_saved=saved,
                             on_error=self._failed)  # fmt: skip


class BookingLauncher(QObject):
    """Opens the booking panel (Ctrl+B, or by itself after a face-to-face sign-off)."""

    #: An appointment was booked: (referral id, appointment id).
    booked = Signal(int, int)
    #: A booking panel opened (for tests and the main window).
    opened = Signal(object)

    def __init__(self, desk: Desk, window: QMainWindow, selected: Callable[[], int | None]) -> None:
        super().__init__(window)
        self.desk = desk
        self.window = window
        self.selected = selected
        self.panels: dict[int, BookingPanel] = {}
        self.calendar: QWidget | None = None

    @staticmethod
    def can_book(desk: Desk) -> bool:
        """The signed-in role books appointments."""
        return desk.actor is not None and desk.actor.role in booking.BOOKERS

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10_000)

    def open_selected(self) -> None:
        """Book for the referral selected on the worklist (Ctrl+B)."""
        referral_id = self.selected()
        if referral_id is None:
            self._status("Select a referral on the worklist first, then press Ctrl+B.")
            return
        self.open_referral(referral_id)

    def after_assessment(self, referral_id: int, disposition: str) -> None:
        """An assessment was signed: open the panel by itself for face-to-face physiotherapy."""
        if disposition in FACE_TO_FACE and self.can_book(self.desk):
            self.open_referral(referral_id)

    def open_referral(self, referral_id: int) -> BookingPanel:
        """Show the booking panel for this referral (one per referral)."""
        panel = self.panels.get(referral_id)
        if panel is None:
            panel = BookingPanel(self.desk, referral_id, self.window)
            panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.panels[referral_id] = panel
            panel.booked.connect(self.booked)
            panel.booked.connect(lambda _r, _a: self._status("Appointment booked."))
            panel.destroyed.connect(lambda _o=None, rid=referral_id: self.panels.pop(rid, None))
            panel.resize(1280, 780)
            panel.start()
        panel.show()
        if QGuiApplication.platformName() != "offscreen":  # offscreen cannot raise
            panel.raise_()
        panel.activateWindow()
        self.opened.emit(panel)
        return panel

    def open_calendar(self) -> None:
        """The clinic and clinician calendar (Ctrl+K)."""
        from physioline.gui.clinic_calendar import ClinicCalendarWindow

        if self.calendar is None:
            window = ClinicCalendarWindow(self.desk, self.window)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda _o=None: setattr(self, "calendar", None))
            window.start()
            self.calendar = window
        self.calendar.show()
        self.calendar.activateWindow()
        self.opened.emit(self.calendar)

    def generate_slots(self) -> None:
        """Bring the slots into line with the rota for the coming weeks (Clinics menu)."""
        weeks, ok = QInputDialog.getInt(
            self.window, "Generate slots",
            "Generate slots from the rota for how many weeks ahead?\n"
            "Booked and blocked slots are never changed.", 12, 1, rota.MAX_HORIZON_WEEKS,
        )  # fmt: skip
        if not ok:
            return
        desk = self.desk
        self._status("Generating slots…")

        def done(report: rota.GenerationReport) -> None:
            self._status("Slots generated.")
            box = QMessageBox(QMessageBox.Icon.Information, "Slots generated", report.message,
                              QMessageBox.StandardButton.Ok, self.window)  # fmt: skip
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

        run_op(lambda: rota.generate_slots_for(desk, weeks=weeks), on_done=done,
               parent=self.window, write=True)  # fmt: skip
