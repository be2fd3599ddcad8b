"""Starting the desktop app: open the database, know who is at the desk, show the main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QListWidgetItem

from physioline.clock import SystemClock
from physioline.errors import DatabaseUnavailable, NotPermitted, PhysioLineError
from physioline.gui.errors import error_text, show_error
from physioline.gui.forms.ui_choose_user_dialog import Ui_ChooseUserDialog
from physioline.gui.main_window import MainWindow
from physioline.paths import ui_dir
from physioline.services.startup import UserChoice

log = logging.getLogger(__name__)

EXIT_CANCELLED = 0


def process_age_s() -> float:
    """Seconds since this process started (Linux /proc), else since PhysioLine was imported."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED_AT


_IMPORTED_AT = time.perf_counter()


class ChooseUserDialog(QDialog):
    """The demo's "who are you?" list (a real service signs each person in)."""

    def __init__(self, users: list[UserChoice]) -> None:
        super().__init__()
        self.ui = Ui_ChooseUserDialog()
        self.ui.setupUi(self)
        for user in users:
            role = user.role.value.replace("_", " ")
            item = QListWidgetItem(f"{user.display_name} — {role} · {user.profession}")
            item.setData(Qt.ItemDataRole.UserRole, user.username)
            self.ui.userList.addItem(item)
        self.ui.userList.setCurrentRow(0)
        self.ui.userList.itemActivated.connect(lambda _i: self.accept())
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.userList.setFocus()

    def username(self) -> str | None:
        """The chosen demo username."""
        items = self.ui.userList.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else None


class FirstPaint(QObject):
    """Notices the first paint of the worklist with rows in it."""

    def __init__(self, window: MainWindow, callback: Callable[[], None]) -> None:
        super().__init__()
        self.window = window
        self.callback = callback
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """After a paint of a viewport showing rows, call back once."""
        if (
            not self.done
            and event.type() == QEvent.Type.Paint
            and self.window.worklist.model.rowCount() > 0
        ):
            self.done = True
            QTimer.singleShot(0, self.callback)
        return False


def _ask_password(username: str, reason: str) -> str | None:
    text, ok = QInputDialog.getText(
        None, "Database password", f"{reason}\n\nPassword for {username}:",
        QLineEdit.EchoMode.Password,
    )  # fmt: skip
    return text if ok and text else None


def run_app(args: argparse.Namespace) -> int:
    """Run the desktop app; return the exit status."""
    if args.smoke_test and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("PhysioLine")
    app.setOrganizationName("PhysioLine")
    style = ui_dir() / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    try:
        window = _open_main_window(args)
    except PhysioLineError as exc:
        return _fail(args, exc)
    if window is None:
        return EXIT_CANCELLED
    if args.smoke_test:

        def report() -> None:
            print(f"startup_s={process_age_s():.3f}", flush=True)
            window.close()
            app.quit()

        painter = FirstPaint(window, report)
        window.worklist.ui.tableView.viewport().installEventFilter(painter)
        QTimer.singleShot(60_000, lambda: (print("smoke test: no worklist rows painted in 60 s",
                                                 file=sys.stderr), app.exit(1)))  # fmt: skip
    window.show()
    status = app.exec()
    window.desk.db.dispose()
    return status


def _fail(args: argparse.Namespace, exc: PhysioLineError) -> int:
    if args.smoke_test or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        print(f"physioline: {exc}", file=sys.stderr)
    else:
        show_error(None, exc)
    return exc.exit_status


def _open_main_window(args: argparse.Namespace) -> MainWindow | None:
    from physioline.services import startup
    from physioline.services.desk import Desk
    from physioline.settings import load_settings

    clock = SystemClock()
    if args.demo:
        db, choice = startup.open_demo(clock, reset=args.reset)
    else:
        if args.reset:
            raise NotPermitted("--reset only rebuilds the demo database.", "Add --demo.")
        choice = startup.choose_database(args.database, demo=False,
                                         configured=load_settings().database_url)  # fmt: skip
        db = startup.connect(choice, ask_password=_ask_password)
        startup.prepare_schema(db, choice)
    try:
        username = args.as_user
        if username is None:
            if not choice.demo:
                raise NotPermitted(
                    "Personal sign-in is not part of this version yet, so the desktop app opens "
                    "only the demo database.",
                    "Start it with --demo; headless commands work on any database.",
                )
            dialog = ChooseUserDialog(startup.demo_users(db))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                db.dispose()
                return None
            username = dialog.username()
        actor = startup.sign_in_demo_user(db, username or "")
    except BaseException:
        db.dispose()
        raise
    return MainWindow(Desk(db=db, clock=clock, actor=actor))


__all__ = ["DatabaseUnavailable", "error_text", "run_app"]
