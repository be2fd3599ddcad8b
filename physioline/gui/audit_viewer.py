"""Audit trail viewer: who did what to which record and when, filtered, exported, verified.

Team leads see their team's actions, system administrators everything (``services.audit``
decides; the menu only hides what the role cannot open). Rows show identifiers, never patient
details; an export is itself audited.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QHeaderView, QWidget

from physioline.clock import to_london
from physioline.core.referral import Role
from physioline.gui.forms.ui_audit_viewer import Ui_AuditViewer
from physioline.gui.ops import run_op
from physioline.services.audit import (
    AuditFilter,
    AuditRow,
    ChainReport,
    export_audit_csv,
    search_audit,
    verify_chain,
)
from physioline.services.desk import Desk

#: Roles that may open the viewer (roles.md: audit viewer and audit verify).
COLUMNS = ("When", "User", "Role", "Action", "Record", "Patient id", "Details")
Index = QModelIndex | QPersistentModelIndex


class AuditModel(QAbstractTableModel):
    """The rows of one search, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        """Show a new search's rows."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Number of audit rows shown."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Number of columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """One cell, formatted (times in Europe/London)."""
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):  # fmt: skip
            return None
        r = self.rows[index.row()]
        record = f"{r.entity} {r.entity_id}" if r.entity_id else r.entity
        values = (
            f"{to_london(r.occurred_at):%d %b %Y %H:%M:%S}",
            r.actor,
            r.role.replace("_", " "),
            r.action,
            record,
            "" if r.patient_id is None else str(r.patient_id),
            r.details if r.details != "{}" else "",
        )
        return values[index.column()]


class AuditViewer(QDialog):
    """Filter the audit trail by patient, user, action and dates; export CSV; verify."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.ui = Ui_AuditViewer()
        self.ui.setupUi(self)
        self.model = AuditModel(self)
        self.ui.tableView.setModel(self.model)
        header = self.ui.tableView.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.ui.tableView.verticalHeader().setVisible(False)
        today = QDate.currentDate()
        self.ui.fromDate.setDate(today.addDays(-7))
        self.ui.toDate.setDate(today)
        self.ui.datesCheck.toggled.connect(self.ui.fromDate.setEnabled)
        self.ui.datesCheck.toggled.connect(self.ui.toDate.setEnabled)
        self.ui.searchButton.clicked.connect(self.search)
        self.ui.exportButton.clicked.connect(self.export)
        self.ui.verifyButton.clicked.connect(self.verify)
        for edit in (self.ui.patientEdit, self.ui.userEdit, self.ui.actionEdit):
            edit.returnPressed.connect(self.search)
        self.ui.buttonBox.rejected.connect(self.reject)
        is_it = desk.actor is not None and desk.actor.role == Role.SYSTEM_ADMIN
        scope = "everyone's actions" if is_it else "your team's actions"
        self.setWindowTitle(f"Audit trail — {scope}")
        self.search()

    def current_filter(self) -> AuditFilter:
        """The filter the fields describe."""
        dated = self.ui.datesCheck.isChecked()
        return AuditFilter(
            patient=self.ui.patientEdit.text(),
            user=self.ui.userEdit.text(),
            action=self.ui.actionEdit.text(),
            first_day=self.ui.fromDate.date().toPython() if dated else None,  # type: ignore[arg-type]
            last_day=self.ui.toDate.date().toPython() if dated else None,  # type: ignore[arg-type]
        )

    def _say(self, text: str) -> None:
        self.ui.statusLabel.setText(text)

    def search(self) -> None:
        """Run the search in the background and show the newest rows."""
        flt = self.current_filter()
        self._say("Searching…")

        def shown(rows: list[AuditRow]) -> None:
            self.model.set_rows(rows)
            self._say(f"{len(rows)} row(s), newest first." if rows else "No audit rows match.")

        run_op(lambda: search_audit(self.desk, flt), on_done=shown, parent=self,
               disable=self.ui.searchButton)  # fmt: skip

    def export(self, path: str | None = None) -> None:
        """Export every matching row to a CSV file (readable by its owner only)."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export audit rows", "audit.csv", "CSV files (*.csv)"
            )
        if not path:
            return
        flt = self.current_filter()
        target = Path(path)

        def write() -> int:
            fd = os.open(target, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                return export_audit_csv(self.desk, flt, out)

        run_op(write, on_done=lambda n: self._say(f"Exported {n} row(s) to {target.name}."),
               parent=self, disable=self.ui.exportButton, write=True)  # fmt: skip

    def verify(self) -> None:
        """Check the whole hash chain and say whether it is intact."""
        self._say("Checking every audit row…")

        def said(report: ChainReport) -> None:
            if report.intact:
                self._say(f"The audit chain is intact: {report.rows} rows.")
            else:
                first = report.problems[0].message
                self._say(f"The audit chain is BROKEN ({len(report.problems)} problem(s)): {first}")

        run_op(lambda: verify_chain(self.desk), on_done=said, parent=self,
               disable=self.ui.verifyButton)  # fmt: skip
