"""The main window: the worklist, the menus with every shortcut, and who/where in the status bar."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu, QWidget

from physioline import __version__
from physioline.core.referral import Role
from physioline.gui.forms.ui_main_window import Ui_MainWindow
from physioline.gui.live import LiveUpdates
from physioline.gui.lock import IdleWatch, LockScreen
from physioline.gui.memory import freeze_start_up_objects
from physioline.gui.ops import run_op
from physioline.gui.worklist_panel import WorklistPanel
from physioline.services import identity
from physioline.services.desk import (
    AUDIT_READERS,
    BOOKERS,
    CALENDAR_VIEWERS,
    CALLERS,
    ROTA_EDITORS,
    Desk,
    prepare_orm,
)
from physioline.services.queries import Scope

if TYPE_CHECKING:  # the areas load on first use or just after the first paint
    from physioline.gui.assessment_window import AssessmentLauncher
    from physioline.gui.booking_panel import BookingLauncher
    from physioline.gui.teamlead import TeamLeadDesk

_LIVE_THREADS: set[LiveUpdates] = set()


def _stop_live(thread: LiveUpdates, *_args: object) -> None:
    if shiboken6.isValid(thread):
        thread.stop()
    _LIVE_THREADS.discard(thread)


class MainWindow(QMainWindow):
    """PhysioLine's main window, opening on the signed-in clinician's worklist."""

    #: An assessment was signed: (referral id, chosen disposition id). The booking area
    #: listens for face-to-face dispositions; the worklist refreshes the referral.
    assessment_signed = Signal(int, str)
    #: The person at the desk signs out (or a colleague signs in instead at the lock screen).
    sign_out_requested = Signal()

    def __init__(
        self, desk: Desk, parent: QWidget | None = None, *, idle_lock_minutes: int = 10
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.idle_lock_minutes = idle_lock_minutes
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        actor = desk.actor
        if actor is None:
            raise ValueError("the main window needs a signed-in user")
        self.setWindowTitle(f"PhysioLine — {actor.display_name}")
        #: The signed-in role: which areas' actions are enabled.
        self.role = actor.role

        self.worklist = WorklistPanel(desk, self)
        self.ui.centralLayout.addWidget(self.worklist)
        if actor.role.value in ("physio",):
            self.worklist.set_scope(Scope.MINE)
        else:
            self.worklist.set_scope(Scope.TEAM)

        self.user_label = QLabel(
            f"Signed in: <b>{actor.display_name}</b> ({actor.role.value.replace('_', ' ')})"
        )
        self.database_label = QLabel(desk.db.describe())
        self.connection_label = QLabel("Connecting…")
        for label in (self.user_label, self.database_label, self.connection_label):
            label.setTextFormat(Qt.TextFormat.RichText)
            self.statusBar().addPermanentWidget(label)

        self.ui.actionQuit.triggered.connect(self.close)
        self.ui.actionRefresh.triggered.connect(self.worklist.reload)
        self.ui.actionSearch.triggered.connect(self.worklist.focus_search)
        self.ui.actionNextDue.triggered.connect(self.worklist.select_next_due)
        self.ui.actionCopyPhone.triggered.connect(self.worklist.copy_preferred_phone)
        self.ui.actionAbout.triggered.connect(self._about)
        self.ui.actionShortcuts.triggered.connect(self._shortcuts)
        self.ui.actionDatabaseSettings.triggered.connect(self._database_settings)
        self.ui.actionClaim.triggered.connect(self.worklist.claim_selected)
        self.ui.actionClaim.setShortcut(QKeySequence(Qt.Key.Key_Return))
        self.ui.actionClaim.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.worklist.ui.tableView.addAction(self.ui.actionClaim)
        self.ui.actionRecordAttempt.triggered.connect(self.worklist.record_attempt)
        self.ui.actionReleaseClaim.triggered.connect(self.worklist.release_selected)
        self.assessment_signed.connect(lambda rid, _d: self.worklist.refresh_referrals({rid}))
        self._connect_assessment()
        self._connect_booking()
        self._connect_letters()
        self._connect_team_lead()
        self._connect_audit()
        self._connect_rota()
        self._connect_security()
        self.after_first_paint(self._after_start_up)
        self.live = LiveUpdates(desk.db, desk.clock)
        self.live.changed.connect(self.worklist.refresh_referrals)
        self.live.connection.connect(self._live_state)
        self.live.start()
        # If the window is deleted without being closed, the thread must still stop first.
        _LIVE_THREADS.add(self.live)
        self.destroyed.connect(partial(_stop_live, self.live))
        self.worklist.model.loaded.connect(self._connected)
        if not self.worklist.sees_clinical_data:
            self._connected()
        # Shown at once (the desk): the first page is read as the window opens (showEvent), so
        # the first paint shows patients. Not shown yet (tests): it loads in the background.
        QTimer.singleShot(0, self, lambda: self.worklist.open_first_page(here=False))
        self.worklist.ui.tableView.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """The first time: read the first worklist page before the first paint."""
        self.worklist.open_first_page(here=True)
        super().showEvent(event)

    @staticmethod
    def _after_start_up() -> None:
        prepare_orm()  # start-up ran on Core alone: the ORM is ready before the first claim
        freeze_start_up_objects()  # what start-up made stays out of garbage collection

    # --- areas: each area's actions are wired in its own method -------------------------------

    def after_first_paint(self, work: Callable[[], object]) -> None:
        """Run start-up work once the worklist has painted its first rows (or at once, for IT)."""
        # The window is the timers' context: if it closes first, the work is dropped.
        if not self.worklist.sees_clinical_data:
            QTimer.singleShot(0, self, work)
            return
        self.worklist.model.loaded.connect(
            lambda: QTimer.singleShot(200, self, work), Qt.ConnectionType.SingleShotConnection
        )

    def _connect_assessment(self) -> None:
        """Assessment: the protocol form for the claimed referral (Ctrl+O).

        The form's module loads on first use, or just after the worklist first paints, when
        the protocol files are checked so that a broken one is reported at start, not mid-call.
        """
        self.ui.actionOpenAssessment.setEnabled(self.role in CALLERS)
        self.ui.actionOpenAssessment.triggered.connect(lambda: self.assessments.open_selected())
        self.after_first_paint(lambda: self.assessments.check_protocols())

    @cached_property
    def assessments(self) -> AssessmentLauncher:
        """The assessment area, loaded on first use."""
        from physioline.gui.assessment_window import AssessmentLauncher

        launcher = AssessmentLauncher(self.desk, self, self.worklist.selected_referral_id)
        launcher.signed.connect(self.assessment_signed)
        return launcher

    def _connect_booking(self) -> None:
        """Booking: slot search and booking (Ctrl+B), clinic calendar (Ctrl+K), slot generation.

        After a face-to-face sign-off the booking panel opens by itself (scenario 4). The
        booking module loads on first use, or just after the worklist first paints.
        """
        self.ui.actionBookAppointment.setEnabled(self.role in BOOKERS)
        self.ui.actionClinicCalendar.setEnabled(self.role in CALENDAR_VIEWERS)
        self.ui.actionGenerateSlots.setEnabled(self.role in ROTA_EDITORS)
        self.ui.actionBookAppointment.triggered.connect(lambda: self.bookings.open_selected())
        self.ui.actionClinicCalendar.triggered.connect(lambda: self.bookings.open_calendar())
        self.ui.actionGenerateSlots.triggered.connect(lambda: self.bookings.generate_slots())
        self.assessment_signed.connect(
            lambda referral_id, disposition: self.bookings.after_assessment(
                referral_id, disposition
            )
        )
        self.after_first_paint(lambda: self.bookings)

    @cached_property
    def bookings(self) -> BookingLauncher:
        """The booking area, loaded on first use."""
        from physioline.gui.booking_panel import BookingLauncher

        launcher = BookingLauncher(self.desk, self, self.worklist.selected_referral_id)
        launcher.booked.connect(lambda rid, _appointment: self.worklist.refresh_referrals({rid}))
        return launcher

    def _connect_letters(self) -> None:
        """Letters: the print queue (Ctrl+P); the letter wording is checked at start.

        ReportLab and the letter files load just after the worklist first paints, so the
        physio's list is on screen first.
        """
        self.ui.actionPrintQueue.setEnabled(False)

        def connect() -> None:
            from physioline.gui.print_queue import connect_letters

            self.ui.actionPrintQueue.setEnabled(True)
            connect_letters(self, self.ui.actionPrintQueue, self.desk)

        self.after_first_paint(connect)

    def _connect_team_lead(self) -> None:
        """Team leads: reassign (menu, Ctrl+Shift+A, drag onto the team list), share out,
        shifts, dashboard (Ctrl+D) and reports; other roles see them disabled.

        A team lead's first screen includes the team dock, so it loads now for them; other
        roles only see the actions disabled.
        """
        if self.role is Role.TEAM_LEAD:
            _ = self.team_lead
            return
        ui = self.ui
        for action in (ui.actionReassign, ui.actionShareOut, ui.actionShifts, ui.actionDashboard,
                       ui.actionReport):  # fmt: skip
            action.setEnabled(False)
            action.setToolTip("Team leads only")

    @cached_property
    def team_lead(self) -> TeamLeadDesk:
        """The team lead area, loaded on first use."""
        from physioline.gui.teamlead import TeamLeadDesk

        return TeamLeadDesk(self)

    def _connect_audit(self) -> None:
        """Audit trail viewer: team leads (their team's actions) and IT (everything).

        The viewer's module loads when it is first opened, not at start-up.
        """
        self.ui.actionAuditViewer.setEnabled(self.role in AUDIT_READERS)
        self.ui.actionAuditViewer.triggered.connect(self._open_audit_viewer)

    def _open_audit_viewer(self) -> None:
        from physioline.gui.audit_viewer import AuditViewer

        self.audit_viewer = AuditViewer(self.desk, self)
        self.audit_viewer.show()

    def _connect_rota(self) -> None:
        """Rota, leave and closures (Clinics menu): team leads and IT; disabled for others.

        The rota screen's module loads when the menu item is first used, not at start-up.
        """
        self.ui.actionRota.setEnabled(self.role in ROTA_EDITORS)
        self.ui.actionRota.triggered.connect(self._open_rota)

    def _open_rota(self) -> None:
        from physioline.gui.rota_dialog import open_rota_dialog

        open_rota_dialog(self, self.desk)

    def _connect_security(self) -> None:
        """Security: screen lock (Ctrl+L, or after idle minutes) and sign-out."""
        self.locked = False
        self._hidden_windows: list[QWidget] = []
        self._action_states: dict[QAction, bool] = {}
        self.ui.actionLockScreen.triggered.connect(self.lock)
        self.ui.actionSignOut.triggered.connect(self.sign_out_requested)
        self.idle_watch = IdleWatch(self.idle_lock_minutes, self)
        self.idle_watch.idle.connect(self.lock)
        self.after_first_paint(self.idle_watch.watch_input)

    @cached_property
    def lock_screen(self) -> LockScreen:
        """The lock screen, built the first time the desk locks."""
        actor = self.desk.actor
        assert actor is not None  # noqa: S101 - checked in __init__
        screen = LockScreen(actor.display_name, self)
        screen.unlock_requested.connect(self._try_unlock)
        screen.switch_user_requested.connect(self.sign_out_requested)
        return screen

    def lock(self) -> None:
        """Hide every patient detail, in this window and every other, until unlocked."""
        if self.locked:
            return
        self.locked = True
        self._hidden_windows = [
            w for w in QApplication.topLevelWidgets()
            if w is not self and w.isVisible() and not isinstance(w, QMenu)
        ]  # fmt: skip
        for window in self._hidden_windows:
            window.hide()
        self._action_states = {a: a.isEnabled() for a in self.findChildren(QAction)}
        for action in self._action_states:
            action.setEnabled(False)
        self.ui.centralwidget.hide()
        self.statusBar().hide()
        self.menuBar().setEnabled(False)
        self.lock_screen.show_locked()
        actor = self.desk.actor
        if actor is not None:
            run_op(lambda: identity.record_lock(self.desk.db, self.desk.clock, actor), parent=self,
                   write=True)  # fmt: skip

    def _try_unlock(self, password: str) -> None:
        actor = self.desk.actor
        if actor is None or not password:
            self.lock_screen.refuse()
            return

        def done(ok: bool) -> None:
            if ok:
                self.unlock()
            else:
                self.lock_screen.refuse()

        run_op(lambda: identity.check_password(self.desk.db, self.desk.clock, actor, password),
               on_done=done, parent=self, write=True)  # fmt: skip

    def unlock(self) -> None:
        """Show everything again exactly as it was."""
        if not self.locked:
            return
        self.locked = False
        self.lock_screen.hide()
        self.ui.centralwidget.show()
        self.statusBar().show()
        self.menuBar().setEnabled(True)
        for action, enabled in self._action_states.items():
            action.setEnabled(enabled)
        for window in self._hidden_windows:
            window.show()
        self._hidden_windows = []
        self.worklist.ui.tableView.setFocus()

    def _connected(self) -> None:
        self.connection_label.setText("● Connected")

    def _live_state(self, connected: bool, why: str) -> None:
        self.connection_label.setText("● Connected" if connected else f"○ {why}")

    def _database_settings(self) -> None:
        from physioline.gui.database_dialog import DatabaseDialog

        DatabaseDialog(self).exec()

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "About PhysioLine",
            f"<b>PhysioLine {__version__}</b><br>Telephone triage for NHS community MSK "
            "physiotherapy.<br>Database: " + self.desk.db.describe(),
        )

    def _shortcuts(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        lines = []
        for action in self.findChildren(type(self.ui.actionQuit)):
            if action.shortcut().toString():
                lines.append(f"<tr><td><b>{action.shortcut().toString()}</b></td>"
                             f"<td>{action.text().replace('&', '')}</td></tr>")  # fmt: skip
        QMessageBox.information(self, "Keyboard shortcuts", "<table>" + "".join(lines) + "</table>")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Let background work finish before the database closes."""
        from physioline.gui.ops import wait_for_background

        self.live.stop()
        self.idle_watch.stop()
        wait_for_background(5_000)
        super().closeEvent(event)
