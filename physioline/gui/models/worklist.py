"""The worklist table: referrals due their call, most urgent first, loaded in keyset pages.

A ``QAbstractTableModel`` over small frozen ``WorklistRow``s from ``services.queries``, never ORM
objects. Pages load in the background (``canFetchMore``/``fetchMore``); a changed referral
updates its own row so the selection and scroll position survive a colleague's claim.
Overdue and due-soon rows are marked by text and icon as well as colour: colour alone fails
colour-blind users.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from physioline.clock import Clock, to_london
from physioline.core.due import DueStatus, describe_time_left, due_status
from physioline.core.referral import GpUrgency, ReferralStatus
from physioline.services.queries import WorklistFilter, WorklistPage, WorklistRow

Index = QModelIndex | QPersistentModelIndex
PageLoader = Callable[[WorklistFilter, tuple[datetime, int] | None], WorklistPage]
#: Runs a loader in the background: (work, on_done) -> None.
Runner = Callable[[Callable[[], WorklistPage], Callable[[WorklistPage], None]], None]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

REGION_LABELS = {
    "lumbar": "Lumbar", "thoracic": "Thoracic", "cervical": "Cervical",
    "shoulder": "Shoulder", "elbow": "Elbow", "wrist_hand": "Wrist/hand", "hip": "Hip",
    "knee": "Knee", "foot_ankle": "Foot/ankle",
}  # fmt: skip
STATUS_LABELS = {
    ReferralStatus.AWAITING_CALL: "Awaiting call",
    ReferralStatus.IN_CALL: "In call",
    ReferralStatus.TRIAGED: "Triaged",
    ReferralStatus.BOOKED: "Booked",
    ReferralStatus.REFERRED_ON: "Referred on",
    ReferralStatus.DISCHARGED_WITH_ADVICE: "Advice given",
    ReferralStatus.UNABLE_TO_CONTACT: "Unable to contact",
    ReferralStatus.CANCELLED: "Cancelled",
}
_OVERDUE_BG = QColor("#f8d7da")
_SOON_BG = QColor("#fff3cd")
_OVERDUE_BRUSH = QBrush(_OVERDUE_BG)
_SOON_BRUSH = QBrush(_SOON_BG)
_BLACK = QBrush(QColor("#000000"))
_BOLD = QFont()
_BOLD.setBold(True)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# Roles as plain ints: data() is called for every role of every visible cell.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)


class _RowView(NamedTuple):
    """One row as shown at one moment."""

    row: WorklistRow
    texts: tuple[str, ...]
    state: DueStatus
    background: QBrush | None
    foreground: QBrush | None


class WorklistModel(QAbstractTableModel):
    """Referrals on a worklist, for a ``QTableView``."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "Due", "Patient", "Age", "NHS number", "Region", "GP", "Tries",
        "Assigned to", "Status",
    )  # fmt: skip
    DUE, PATIENT, AGE, NHS, REGION, URGENCY, ATTEMPTS, ASSIGNED, STATUS = range(9)

    #: The first page of a (re)load is in: the view can select and paint.
    loaded = Signal()

    def __init__(self, load_page: PageLoader, run: Runner, clock: Clock) -> None:
        super().__init__()
        self._load_page = load_page
        self._run = run
        self._clock = clock
        self._rows: list[WorklistRow] = []
        self._filter = WorklistFilter()
        self._next_key: tuple[datetime, int] | None = None
        self._loading = False
        self._loaded_once = False
        self._generation = 0
        #: Each shown row's texts and marking, by referral id (see ``_view``).
        self._views: dict[int, _RowView] = {}

    # --- loading ------------------------------------------------------------------------------

    @property
    def filter(self) -> WorklistFilter:
        """The filter the rows were loaded with."""
        return self._filter

    @property
    def has_loaded(self) -> bool:
        """Whether a first page has arrived since the model was made."""
        return self._loaded_once

    def reload(self, flt: WorklistFilter | None = None, *, here: bool = False) -> None:
        """Load the first page again (with a new filter, if given), in the background.

        ``here``: read it on this thread instead, now; only as the window first opens (the GUI
        thread runs no SQL once a window is on screen, see gui.ops). An error is raised then.
        """
        if flt is not None:
            self._filter = flt
        self._generation += 1
        generation = self._generation
        self._loading = True
        flt_now = self._filter

        def apply(page: WorklistPage) -> None:
            if generation != self._generation:
                return  # a newer reload superseded this one
            self.beginResetModel()
            self._views.clear()
            self._rows = list(page.rows)
            self._next_key = page.next_key
            self._loading = False
            self._loaded_once = True
            self.endResetModel()
            self.loaded.emit()

        if here:
            try:
                page = self._load_page(flt_now, None)
            except BaseException:
                self._loading = False
                raise
            apply(page)
            return
        self._run(lambda: self._load_page(flt_now, None), apply)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        """More pages exist and none is loading."""
        return not parent.isValid() and self._next_key is not None and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        """Load the next keyset page in the background and append it."""
        if parent.isValid() or self._next_key is None or self._loading:
            return
        self._loading = True
        key, flt, generation = self._next_key, self._filter, self._generation

        def apply(page: WorklistPage) -> None:
            if generation != self._generation:
                return
            self._loading = False
            if page.rows:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
                self._rows.extend(page.rows)
                self.endInsertRows()
            self._next_key = page.next_key

        self._run(lambda: self._load_page(flt, key), apply)

    def apply_changes(self, rows: list[WorklistRow], changed_ids: set[int]) -> None:
        """Show colleagues' changes row by row: update, drop or insert in due order.

        A changed referral the filter no longer shows leaves the list; one it now shows is
        inserted where it belongs if that part of the list is loaded (otherwise a later page
        brings it). Other rows, the selection and the scroll position are untouched.
        """
        fresh = {row.referral_id: row for row in rows}
        for referral_id in sorted(changed_ids):
            position = self.row_of(referral_id)
            row = fresh.get(referral_id)
            if position is not None and row is not None:
                self._rows[position] = row
                self.dataChanged.emit(
                    self.index(position, 0), self.index(position, len(self.COLUMNS) - 1)
                )
            elif position is not None:
                self.remove_referral(referral_id)
            elif row is not None:
                self._insert_in_order(row)

    def _insert_in_order(self, row: WorklistRow) -> None:
        key = (row.due_at, row.referral_id)
        if self._next_key is not None and key > self._next_key:
            return  # beyond what is loaded: fetchMore will bring it in order
        position = len(self._rows)
        for i, existing in enumerate(self._rows):
            if (existing.due_at, existing.referral_id) > key:
                position = i
                break
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self.endInsertRows()

    def replace_row(self, row: WorklistRow) -> None:
        """Show a referral's new state in place (a colleague claimed, called or reassigned)."""
        for i, existing in enumerate(self._rows):
            if existing.referral_id == row.referral_id:
                self._rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))
                return

    def remove_referral(self, referral_id: int) -> None:
        """Take a referral off the list (it left this worklist's filter)."""
        for i, existing in enumerate(self._rows):
            if existing.referral_id == referral_id:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
                return

    def row_at(self, row: int) -> WorklistRow | None:
        """The referral shown on a row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, referral_id: int) -> int | None:
        """The row showing a referral, if loaded."""
        for i, existing in enumerate(self._rows):
            if existing.referral_id == referral_id:
                return i
        return None

    def refresh_times(self) -> None:
        """Repaint the due column (time left changes every minute)."""
        self._views.clear()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.DUE), self.index(len(self._rows) - 1, self.DUE)
            )

    # --- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows loaded so far."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """The fixed columns."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows can be selected and dragged (onto a clinician, by a team lead)."""
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        """Dragged rows carry their referral ids."""
        from physioline.gui.teamlead import REFERRAL_IDS_MIME

        return [REFERRAL_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        """The referral ids of the dragged rows, in list order."""
        from physioline.gui.teamlead import referral_mime

        rows = sorted({index.row() for index in indexes if index.isValid()})
        return referral_mime([r.referral_id for i in rows if (r := self.row_at(i)) is not None])

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        """Reassigning moves referrals."""
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Format one cell: a look-up in the row's view, made once per row and minute."""
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column, role = index.column(), int(role)
        if role == _DISPLAY:
            return self._view(row).texts[column]
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == ROW_ROLE:
            return row
        if role == _BACKGROUND:
            return self._view(row).background
        if role == _FOREGROUND:
            return self._view(row).foreground
        if role == _FONT and column == self.DUE:
            return _BOLD if self._view(row).state == DueStatus.OVERDUE else None
        if role == _TOOLTIP and column == self.ATTEMPTS:
            return f"{row.attempts} call attempt(s) so far"
        if role == _TOOLTIP and column == self.DUE:
            return f"Call due {_fmt(row.due_at)}"
        if role == _ALIGNMENT and column in (self.AGE, self.ATTEMPTS):
            return _RIGHT
        return None

    def _view(self, row: WorklistRow) -> _RowView:
        """How a row looks now: its texts and its due-time marking (cached until the minute's
        refresh, or until the row is replaced)."""
        cached = self._views.get(row.referral_id)
        if cached is not None and cached.row is row:
            return cached
        state = due_status(row.due_at, self._clock.now())
        marked = row.status != ReferralStatus.IN_CALL
        background = None
        if marked and state == DueStatus.OVERDUE:
            background = _OVERDUE_BRUSH
        elif marked and state == DueStatus.DUE_SOON:
            background = _SOON_BRUSH
        foreground = _BLACK if state in (DueStatus.OVERDUE, DueStatus.DUE_SOON) else None
        texts = tuple(self._display(row, column) for column in range(len(self.COLUMNS)))
        view = _RowView(row, texts, state, background, foreground)
        self._views[row.referral_id] = view
        return view

    def _display(self, row: WorklistRow, column: int) -> str:
        now = self._clock.now()
        if column == self.DUE:
            state = due_status(row.due_at, now)
            text = describe_time_left(row.due_at, now)
            if state == DueStatus.OVERDUE:
                return f"⚠ OVERDUE {text.removeprefix('overdue by ')}"
            if state == DueStatus.DUE_SOON:
                return f"◔ Due soon: {text.removesuffix(' left')}"
            return f"{to_london(row.due_at):%a %H:%M} ({text.removesuffix(' left')})"
        if column == self.PATIENT:
            return row.patient_name + (f"  [Interpreter: {row.interpreter_language}]"
                                       if row.interpreter_language else "")  # fmt: skip
        if column == self.AGE:
            return str(row.age)
        if column == self.NHS:
            return row.nhs_number_formatted
        if column == self.REGION:
            return REGION_LABELS.get(row.body_region, row.body_region)
        if column == self.URGENCY:
            return "URGENT" if row.gp_urgency == GpUrgency.URGENT else "Routine"
        if column == self.ATTEMPTS:
            return str(row.attempts) if row.attempts else "–"
        if column == self.ASSIGNED:
            return row.assigned_to or "Unassigned"
        if column == self.STATUS:
            if row.status == ReferralStatus.IN_CALL and row.claimed_by:
                since = f" since {to_london(row.claimed_at):%H:%M}" if row.claimed_at else ""
                return f"☎ In call: {row.claimed_by}{since}"
            return STATUS_LABELS.get(row.status, row.status.value)
        return ""

    def _sort_value(self, row: WorklistRow, column: int) -> Any:
        values: dict[int, Any] = {
            self.DUE: row.due_at, self.PATIENT: row.patient_name.lower(), self.AGE: row.age,
            self.NHS: row.nhs_number, self.REGION: row.body_region,
            self.URGENCY: row.gp_urgency.value, self.ATTEMPTS: row.attempts,
            self.ASSIGNED: row.assigned_to or "", self.STATUS: row.status.value,
        }  # fmt: skip
        return values.get(column)


def _fmt(at: datetime) -> str:
    return f"{to_london(at):%a %d %b %H:%M}"
