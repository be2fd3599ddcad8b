"""Team lead's desk: move referrals to a colleague by menu, keyboard or drag-and-drop, share a
list out by capacity, and set who is on triage duty today.

Every change goes through ``services.teamlead`` in the background; the service refuses anything
the role may not do, and a claim in progress until it is released.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from physioline.core.referral import Role
from physioline.gui.ops import run_op
from physioline.services import teamlead
from physioline.services.desk import Desk
from physioline.services.queries import Scope
from physioline.services.teamlead import ShiftRow

#: Drag payload: the ids of the referrals being moved, as JSON.
REFERRAL_IDS_MIME = "application/x-physioline-referral-ids"
CLINICIAN_ROLE = Qt.ItemDataRole.UserRole + 1
#: Marks the "Unassigned" entry of a clinician list (its clinician is None).
UNASSIGNED = -1


def referral_mime(ids: Sequence[int]) -> QMimeData:
    """Drag payload carrying referral ids (and their count as text, for other applications)."""
    data = QMimeData()
    data.setData(REFERRAL_IDS_MIME, json.dumps(list(ids)).encode("ascii"))
    data.setText(f"{len(ids)} referral(s)")
    return data


def ids_from_mime(data: QMimeData) -> list[int]:
    """Referral ids in a drag payload, or none."""
    if not data.hasFormat(REFERRAL_IDS_MIME):
        return []
    try:
        raw = json.loads(bytes(data.data(REFERRAL_IDS_MIME).data()).decode("ascii"))
    except ValueError:
        return []
    return [int(i) for i in raw if isinstance(i, int)]


def _target_text(row: ShiftRow) -> str:
    over = "  OVER CAPACITY" if row.load > row.capacity else ""
    return f"{row.display_name}\n    {row.load} due today of {row.capacity}{over}"


class TeamList(QListWidget):
    """Clinicians on shift (and "Unassigned"): drop referrals on one to move them there.

    Enter or double-click shows that clinician's list in the worklist.
    """

    #: Referral ids were dropped on a clinician (id, or None for unassigned).
    dropped = Signal(object, object)
    #: The team lead asked to see a clinician's list (id, name).
    show_list = Signal(int, str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.rows: list[ShiftRow] = []
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSpacing(4)  # two-line entries (name, then load) read as separate targets
        self.setAccessibleName("Clinicians on shift: drop referrals here to reassign")
        self.setToolTip(
            "Drag referrals from the worklist onto a clinician to move them there. "
            "Enter shows the clinician's list."
        )
        self.itemActivated.connect(self._activated)

    def reload(self) -> None:
        """Reload who is on shift and their load, in the background."""
        run_op(lambda: teamlead.load_shifts(self.desk), on_done=self.show_rows, parent=self)

    def show_rows(self, rows: list[ShiftRow]) -> None:
        """Show the clinicians on duty (and Unassigned first)."""
        item: QListWidgetItem | None = self.currentItem()
        current = None if item is None else item.data(CLINICIAN_ROLE)
        self.rows = [r for r in rows if r.on_duty]
        self.clear()
        item = QListWidgetItem("Unassigned\n    (the whole team sees them)")
        item.setData(CLINICIAN_ROLE, UNASSIGNED)
        self.addItem(item)
        for row in self.rows:
            item = QListWidgetItem(_target_text(row))
            item.setData(CLINICIAN_ROLE, row.clinician_id)
            over = row.load > row.capacity
            item.setToolTip(
                f"{row.display_name}: {row.triage_sessions} session(s), capacity "
                f"{row.capacity}, {row.load} on their list due today"
                + (" — over capacity" if over else "")
            )
            self.addItem(item)
            if row.clinician_id == current:
                self.setCurrentItem(item)

    def item_for(self, clinician_id: int | None) -> QListWidgetItem | None:
        """The list entry of a clinician (None: Unassigned)."""
        wanted = UNASSIGNED if clinician_id is None else clinician_id
        for i in range(self.count()):
            item = self.item(i)
            if item.data(CLINICIAN_ROLE) == wanted:
                return item
        return None

    def _activated(self, item: QListWidgetItem) -> None:
        clinician = item.data(CLINICIAN_ROLE)
        if clinician != UNASSIGNED:
            name = next((r.display_name for r in self.rows if r.clinician_id == clinician), "")
            self.show_list.emit(int(clinician), name)

    # --- drop target ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        """Accept referral drags."""
        if event.mimeData().hasFormat(REFERRAL_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        """Accept only over a clinician (or Unassigned)."""
        item = self.itemAt(event.position().toPoint())
        if item is not None and event.mimeData().hasFormat(REFERRAL_IDS_MIME):
            self.setCurrentItem(item)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        """Dropped on a clinician: ask for the move (the window runs it)."""
        item = self.itemAt(event.position().toPoint())
        ids = ids_from_mime(event.mimeData())
        if item is None or not ids:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        clinician = item.data(CLINICIAN_ROLE)
        self.dropped.emit(ids, None if clinician == UNASSIGNED else int(clinician))


class ReassignDialog(QDialog):
    """Choose where the selected referrals go, and say why (optional)."""

    def __init__(self, count: int, rows: Sequence[ShiftRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reassign referrals")
        layout = QVBoxLayout(self)
        noun = "referral" if count == 1 else "referrals"
        layout.addWidget(QLabel(f"Move <b>{count} {noun}</b> to:"))
        self.targets = QListWidget(self)
        self.targets.setAccessibleName("Move to")
        item = QListWidgetItem("Unassigned\n    (the whole team sees them)")
        item.setData(CLINICIAN_ROLE, UNASSIGNED)
        self.targets.addItem(item)
        for row in rows:
            if row.on_duty:
                item = QListWidgetItem(_target_text(row))
                item.setData(CLINICIAN_ROLE, row.clinician_id)
                self.targets.addItem(item)
        self.targets.setCurrentRow(1 if self.targets.count() > 1 else 0)
        self.targets.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.targets)
        reason_label = QLabel("&Reason (optional, kept in the audit trail):")
        self.reason = QLineEdit(self)
        reason_label.setBuddy(self.reason)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        note = QLabel(
            "Clinicians off shift are not listed: they get no new work. "
            "A referral someone is on a call with is refused until its claim is "
            "released."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Move")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.targets.setFocus()

    def choice(self) -> tuple[int | None, str]:
        """(clinician id or None for unassigned, reason)."""
        item: QListWidgetItem | None = self.targets.currentItem()
        clinician = UNASSIGNED if item is None else item.data(CLINICIAN_ROLE)
        return (None if clinician == UNASSIGNED else int(clinician)), self.reason.text().strip()


class ShareOutDialog(QDialog):
    """Preview a share-out, adjust it referral by referral, and apply it."""

    #: The share-out was applied: the referral ids moved.
    applied = Signal(object)

    def __init__(
        self,
        desk: Desk,
        *,
        from_clinician_id: int | None = None,
        referral_ids: Sequence[int] | None = None,
        source: str = "unassigned referrals",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.from_clinician_id = from_clinician_id
        self.referral_ids = None if referral_ids is None else list(referral_ids)
        self.plan: teamlead.SharePlan | None = None
        self.setWindowTitle("Share out")
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"Share out <b>{source}</b> across the clinicians ticked, by "
                "their capacity and what is already on their list today, most "
                "urgent first."
            )
        )
        self.team = QListWidget(self)
        self.team.setAccessibleName("Clinicians who take a share")
        self.team.setMaximumHeight(130)
        self.team.itemChanged.connect(lambda _item: self.preview())
        layout.addWidget(self.team)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Clinician / referral", "Calls today after share-out"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.setAccessibleName("Share-out preview")
        layout.addWidget(self.tree, 1)
        self.warnings = QLabel(self)
        self.warnings.setWordWrap(True)
        layout.addWidget(self.warnings)
        move_row = QHBoxLayout()
        move_label = QLabel("Move the selected referral &to:")
        self.move_to = QListWidget(self)
        self.move_to.setMaximumHeight(90)
        self.move_to.setAccessibleName("Move the selected referral to")
        move_label.setBuddy(self.move_to)
        self.move_button = QPushButton("Mo&ve", self)
        self.move_button.clicked.connect(self.move_selected)
        move_row.addWidget(move_label)
        move_row.addWidget(self.move_to, 1)
        move_row.addWidget(self.move_button)
        layout.addLayout(move_row)
        reason_row = QFormLayout()
        self.reason = QLineEdit(self)
        reason_row.addRow("&Reason (optional):", self.reason)
        layout.addLayout(reason_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setText("&Apply share-out")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        run_op(lambda: teamlead.load_shifts(desk), on_done=self._show_team, parent=self)

    def _show_team(self, rows: list[ShiftRow]) -> None:
        self.team.blockSignals(True)
        for row in rows:
            if not row.on_duty or row.clinician_id == self.from_clinician_id:
                continue
            item = QListWidgetItem(
                f"{row.display_name} (capacity {row.capacity}, {row.load} due today)"
            )
            item.setData(CLINICIAN_ROLE, row.clinician_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.team.addItem(item)
        self.team.blockSignals(False)
        self.preview()

    def chosen_clinicians(self) -> list[int]:
        """Clinicians ticked to take a share."""
        return [
            int(self.team.item(i).data(CLINICIAN_ROLE))
            for i in range(self.team.count())
            if self.team.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_clinicians(self, clinician_ids: Sequence[int]) -> None:
        """Tick exactly these clinicians (and preview again)."""
        self.team.blockSignals(True)
        for i in range(self.team.count()):
            item = self.team.item(i)
            wanted = item.data(CLINICIAN_ROLE) in clinician_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.team.blockSignals(False)
        self.preview()

    def preview(self) -> None:
        """Ask the service for a fresh preview."""
        chosen = self.chosen_clinicians()
        self.apply_button.setEnabled(False)
        desk, source, ids = self.desk, self.from_clinician_id, self.referral_ids
        run_op(
            lambda: teamlead.preview_share_out(
                desk, referral_ids=ids, from_clinician_id=source, clinician_ids=chosen
            ),
            on_done=self.show_plan,
            parent=self,
        )

    def show_plan(self, plan: teamlead.SharePlan) -> None:
        """Show the preview as it stands."""
        self.plan = plan
        self.tree.clear()
        for share in plan.preview.shares:
            cap = share.clinician.capacity
            node = QTreeWidgetItem(
                [
                    f"{plan.names[share.clinician_id]} (+{len(share.referrals)})",
                    f"{share.load_after} of {cap}"
                    + ("  ⚠ over capacity" if share.over_capacity else ""),
                ]
            )
            node.setData(0, CLINICIAN_ROLE, share.clinician_id)
            for rid in share.referral_ids:
                child = QTreeWidgetItem([plan.labels[rid], ""])
                child.setData(0, Qt.ItemDataRole.UserRole, rid)
                node.addChild(child)
            self.tree.addTopLevelItem(node)
        if plan.preview.left_over:
            node = QTreeWidgetItem([f"Left unassigned ({len(plan.preview.left_over)})", ""])
            node.setData(0, CLINICIAN_ROLE, UNASSIGNED)
            for rid in plan.preview.left_over_ids:
                child = QTreeWidgetItem([plan.labels[rid], ""])
                child.setData(0, Qt.ItemDataRole.UserRole, rid)
                node.addChild(child)
            self.tree.addTopLevelItem(node)
        self.tree.expandAll()
        warnings = plan.warnings()
        self.warnings.setText("<br>".join(f"⚠ {w}" for w in warnings))
        self.move_to.clear()
        item = QListWidgetItem("Leave unassigned")
        item.setData(CLINICIAN_ROLE, UNASSIGNED)
        self.move_to.addItem(item)
        for share in plan.preview.shares:
            item = QListWidgetItem(plan.names[share.clinician_id])
            item.setData(CLINICIAN_ROLE, share.clinician_id)
            self.move_to.addItem(item)
        self.move_to.setCurrentRow(0)
        self.apply_button.setEnabled(bool(plan.versions))

    def move_selected(self) -> None:
        """Move the selected referral in the preview to the chosen clinician."""
        item = self.tree.currentItem()
        target = self.move_to.currentItem()
        if self.plan is None or item is None or target is None:
            return
        rid = item.data(0, Qt.ItemDataRole.UserRole)
        if rid is None:
            return
        clinician = target.data(CLINICIAN_ROLE)
        self.show_plan(
            self.plan.moved(int(rid), None if clinician == UNASSIGNED else int(clinician))
        )

    def apply(self) -> None:
        """Apply the preview as adjusted."""
        plan, reason = self.plan, self.reason.text()
        if plan is None:
            return

        def done(result: teamlead.ShareOutApplied) -> None:
            status = getattr(self.parent(), "statusBar", None)
            if callable(status):
                status().showMessage(result.message, 8000)
            self.applied.emit(set(plan.versions))
            self.accept()

        run_op(
            lambda: teamlead.apply_share_out(self.desk, plan, reason=reason),
            on_done=done,
            on_error=self._failed,
            parent=self,
            disable=self.apply_button,
            write=True,
        )

    def _failed(self, exc: Exception) -> None:
        from physioline.gui.errors import show_error

        show_error(self, exc)
        self.preview()  # a colleague changed something: show the fresh picture


class ShiftDialog(QDialog):
    """Who is on triage duty today, their sessions and capacity (team leads edit)."""

    COLUMNS = (
        "Clinician",
        "On duty",
        "Sessions",
        "Calls per session",
        "Capacity",
        "Due today on their list",
    )

    #: Shifts were saved.
    saved = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.rows: list[ShiftRow] = []
        self.setWindowTitle("Shift and capacity today")
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Who is on triage duty today and how many calls each can make. "
                "Clinicians off duty get no new work. Capacity is sessions × "
                "calls per session unless you change it."
            )
        )
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Shifts today")
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        run_op(lambda: teamlead.load_shifts(desk), on_done=self.show_rows, parent=self)

    def show_rows(self, rows: list[ShiftRow]) -> None:
        """Fill the table with every clinician."""
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            name = QTableWidgetItem(f"{row.display_name} ({row.role.value.replace('_', ' ')})")
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(i, 0, name)
            duty = QCheckBox("on duty", self.table)
            duty.setChecked(row.on_duty)
            self.table.setCellWidget(i, 1, duty)
            sessions = self._spin(row.triage_sessions if row.on_duty else 2, 4)
            per_session = self._spin(row.calls_per_session, teamlead.MAX_CAPACITY)
            capacity = self._spin(
                row.capacity if row.on_duty else 2 * row.calls_per_session, teamlead.MAX_CAPACITY
            )

            def recompute(
                _v: int, s: QSpinBox = sessions, p: QSpinBox = per_session, c: QSpinBox = capacity
            ) -> None:
                c.setValue(s.value() * p.value())

            sessions.valueChanged.connect(recompute)
            per_session.valueChanged.connect(recompute)
            for column, widget in ((2, sessions), (3, per_session), (4, capacity)):
                self.table.setCellWidget(i, column, widget)
            load = QTableWidgetItem(str(row.load))
            load.setFlags(load.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(i, 5, load)

    @staticmethod
    def _spin(value: int, maximum: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, maximum)
        spin.setValue(value)
        return spin

    def widget(self, row: int, column: int) -> QWidget:
        """The editor in a cell (for tests and keyboard users alike)."""
        return self.table.cellWidget(row, column)

    def row_of(self, display_name: str) -> int:
        """The table row of a clinician."""
        return next(i for i, r in enumerate(self.rows) if r.display_name == display_name)

    def changes(self) -> list[tuple[int, bool, int, int, int]]:
        """(clinician, on duty, sessions, calls per session, capacity) for every changed row."""
        out = []
        for i, row in enumerate(self.rows):
            duty = self.widget(i, 1)
            spins = [w for c in (2, 3, 4) if isinstance(w := self.widget(i, c), QSpinBox)]
            if not isinstance(duty, QCheckBox) or len(spins) != 3:
                continue
            sessions, per_session, capacity = (spin.value() for spin in spins)
            now = (duty.isChecked(), sessions, per_session, capacity)
            before = (row.on_duty, row.triage_sessions, row.calls_per_session, row.capacity)
            if (now[0], now[2]) != (before[0], before[2]) or (now[0] and now != before):
                out.append((row.clinician_id, *now))
        return out

    def save(self) -> None:
        """Save every changed row (one transaction each), then reload."""
        changes = self.changes()
        desk = self.desk

        def work() -> list[ShiftRow]:
            for clinician, on_duty, sessions, per_session, capacity in changes:
                teamlead.set_shift(
                    desk,
                    clinician,
                    on_duty=on_duty,
                    triage_sessions=sessions,
                    capacity=capacity,
                    calls_per_session=per_session,
                )
            return teamlead.load_shifts(desk)

        def done(rows: list[ShiftRow]) -> None:
            self.show_rows(rows)
            self.saved.emit()

        run_op(work, on_done=done, parent=self, disable=self.save_button, write=True)


class TeamLeadDesk(QObject):
    """The main window's team lead actions: reassign, share out, shifts, dashboard, report.

    For other roles the actions stay disabled (the services refuse them anyway).
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.desk: Desk = window.desk  # type: ignore[attr-defined]
        self.worklist = window.worklist  # type: ignore[attr-defined]
        ui = window.ui  # type: ignore[attr-defined]
        self.dashboard: QWidget | None = None
        actor = self.desk.actor
        self.is_lead = actor is not None and actor.role == Role.TEAM_LEAD
        actions = (
            ui.actionReassign,
            ui.actionShareOut,
            ui.actionShifts,
            ui.actionDashboard,
            ui.actionReport,
        )
        for action in actions:
            action.setEnabled(self.is_lead)
            if not self.is_lead:
                action.setToolTip("Team leads only")
        self.team: TeamList | None = None
        if not self.is_lead:
            return
        dock = QDockWidget("Team on shift (drop here)", window)
        dock.setObjectName("teamDock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.team = TeamList(self.desk, dock)
        dock.setWidget(self.team)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        # Wide enough to read each clinician's name and load without hovering.
        self.team.setMinimumWidth(230)
        self.team.dropped.connect(self.reassign)
        self.team.show_list.connect(self.worklist.show_clinician)
        self.team.reload()
        self._timer = QTimer(self)
        self._timer.setInterval(30_000)
        self._timer.timeout.connect(self.team.reload)
        self._timer.start()
        ui.actionReassign.triggered.connect(self.reassign_selected)
        ui.actionShareOut.triggered.connect(self.share_out)
        ui.actionShifts.triggered.connect(self.edit_shifts)
        ui.actionDashboard.triggered.connect(self.open_dashboard)
        ui.actionReport.triggered.connect(self.open_report)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def reassign(self, ids: list[int], to_clinician_id: int | None, reason: str = "") -> None:
        """Move referrals (in the background), then refresh the lists."""
        desk = self.desk

        def done(result: teamlead.ReassignResult) -> None:
            self.worklist.refresh_referrals(set(ids))
            if self.team is not None:
                self.team.reload()
            self._status(result.message)

        run_op(
            lambda: teamlead.reassign(desk, ids, to_clinician_id, reason=reason),
            on_done=done,
            parent=self.window,
            write=True,
        )

    def reassign_selected(self) -> None:
        """Ctrl+Shift+A: choose where the selected referrals go."""
        ids = self.worklist.selected_referral_ids()
        if not ids or self.team is None:
            self._status("Select the referrals to reassign first (Ctrl+A selects the list).")
            return
        dialog = ReassignDialog(len(ids), self.team.rows, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen() -> None:
            target, reason = dialog.choice()
            self.reassign(ids, target, reason)

        dialog.accepted.connect(chosen)
        dialog.open()

    def share_out(self) -> ShareOutDialog:
        """Ctrl+Shift+S: share out the clinician's list shown, the selection, or the unassigned."""
        flt = self.worklist.current_filter()
        ids = self.worklist.selected_referral_ids()
        if flt.scope == Scope.CLINICIAN and flt.clinician_id is not None:
            name = self.worklist.ui.scopeCombo.currentText()
            dialog = ShareOutDialog(
                self.desk, from_clinician_id=flt.clinician_id, source=name, parent=self.window
            )
        elif len(ids) > 1:
            dialog = ShareOutDialog(
                self.desk,
                referral_ids=ids,
                source=f"the {len(ids)} selected referrals",
                parent=self.window,
            )
        else:
            dialog = ShareOutDialog(self.desk, parent=self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def applied(moved: set[int]) -> None:
            self.worklist.refresh_referrals(moved)
            if self.team is not None:
                self.team.reload()

        dialog.applied.connect(applied)
        dialog.open()
        return dialog

    def edit_shifts(self) -> ShiftDialog:
        """Who is on duty today and their capacity."""
        dialog = ShiftDialog(self.desk, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.team is not None:
            dialog.saved.connect(self.team.reload)
        dialog.open()
        return dialog

    def open_dashboard(self) -> QWidget:
        """Ctrl+D: the dashboard window (one at a time)."""
        from physioline.gui.dashboard import DashboardWindow

        if self.dashboard is None or not shiboken6.isValid(self.dashboard):
            self.dashboard = DashboardWindow(self.desk, self.window)
            self.dashboard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dashboard.show()
        self.dashboard.activateWindow()
        return self.dashboard

    def open_report(self) -> QDialog:
        """A period's report as CSV or PDF."""
        from physioline.gui.dashboard import ReportDialog

        dialog = ReportDialog(self.desk, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
