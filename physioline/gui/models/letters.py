"""The print queue table: letters waiting to print, held ones with the reason, needs spelled out.

A ``QAbstractTableModel`` over the small frozen ``QueueRow``s of ``services.letters``. A held
letter says "HELD" and why in words, large print says "LARGE PRINT", and communication needs
are written out: nothing is carried by colour alone.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from physioline.clock import to_london
from physioline.core.referral import LetterStatus
from physioline.services.letters import QueueRow

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


def status_text(row: QueueRow) -> str:
    """'Ready', 'HELD: <why>' or 'Printed (2×)' — words, not colours."""
    if row.held_reason is not None:
        return f"HELD: {row.held_reason}"
    if row.status == LetterStatus.PRINTED:
        return f"Printed ({row.print_count}×)"
    return "Ready"


class LetterQueueModel(QAbstractTableModel):
    """Letters in the print queue, for a ``QTableView``."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "Letter", "Patient", "Status", "Print", "NHS number", "Queued by", "Queued",
        "Communication needs",
    )  # fmt: skip
    KIND, PATIENT, STATUS, PRINT, NHS, CREATED_BY, CREATED_AT, NEEDS = range(8)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[QueueRow] = []

    def set_rows(self, rows: list[QueueRow]) -> None:
        """Replace the rows (a reload of the queue)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[QueueRow]:
        """Every row, in queue order."""
        return list(self._rows)

    def row_at(self, row: int) -> QueueRow:
        """The letter shown on row ``row``."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Number of letters (no children: a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Number of columns."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Formatted cells; ``SORT_ROLE`` raw values; ``ROW_ROLE`` the row itself."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, column, tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == SORT_ROLE:
            return row.created_at if column == self.CREATED_AT else self._text(row, column)
        if role == Qt.ItemDataRole.FontRole and (
            (column == self.STATUS and not row.ready) or (column == self.PRINT and row.large_print)
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, row: QueueRow, column: int, *, tooltip: bool = False) -> str:
        if column == self.KIND:
            return row.kind_label.capitalize() if row.kind_label != "GP" else "GP"
        if column == self.PATIENT:
            return row.patient_label
        if column == self.NHS:
            return row.nhs_number
        if column == self.CREATED_BY:
            return row.created_by
        if column == self.CREATED_AT:
            return f"{to_london(row.created_at):%a %d %b %H:%M}"
        if column == self.PRINT:
            return "LARGE PRINT" if row.large_print else "standard"
        if column == self.STATUS:
            return status_text(row)
        needs = [n for n in row.needs if not n.startswith("Large print")]
        return ("\n" if tooltip else "; ").join(needs)
