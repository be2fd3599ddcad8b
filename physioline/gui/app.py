"""Starting the desktop app: open the database, know who is at the desk, show the main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from physioline.clock import SystemClock
from physioline.db.engine import Database
from physioline.db.uow import Actor
from physioline.errors import NotPermitted, PhysioLineError
from physioline.gui.first_paint import when_painted
from physioline.gui.main_window import MainWindow
from physioline.paths import ui_dir
from physioline.services.startup import DatabaseChoice

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


def _ask_password(username: str, reason: str) -> str | None:
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    text, ok = QInputDialog.getText(
        None, "Database password", f"{reason}\n\nPassword for {username}:",
        QLineEdit.EchoMode.Password,
    )  # fmt: skip
    return text if ok and text else None


DEMO_HINT = (
    "Demo database, every patient fictional. Accounts: priya or tom (physio), sam (team lead), "
    "jo (booking office), alex (IT). Password for all: physioline-demo"
)


class DeskController:
    """Opens the database, signs people in and out, and keeps one main window at a time."""

    def __init__(self, args: argparse.Namespace) -> None:
        from physioline.services import startup
        from physioline.settings import load_settings

        self.args = args
        self.clock = SystemClock()
        self.settings = load_settings()
        self.db: Database | None = None
        self.window: MainWindow | None = None
        self._transport_ok = False
        if args.demo:
            self.db, self.choice = startup.open_demo(self.clock, reset=args.reset)
        else:
            if args.reset:
                raise NotPermitted("--reset only rebuilds the demo database.", "Add --demo.")
            self.choice = startup.choose_database(
                args.database, demo=False, configured=self.settings.database_url
            )
            if self.choice.embedded:
                self.db = startup.connect(self.choice)
                startup.prepare_schema(self.db, self.choice)

    def sign_in(self, *, username: str | None = None) -> MainWindow | None:
        """Ask who is at the desk (or use --as on the demo) and make their main window."""
        from physioline.services import identity, startup
        from physioline.services.desk import Desk

        actor: Actor | None = None
        if username is not None:
            if self.db is None:
                raise NotPermitted("--as works only on the demo database.")
            actor = startup.sign_in_demo_user(self.db, username)
        elif self.choice.embedded:
            from physioline.gui.sign_in import FirstAdminDialog, SignInDialog

            db = self.db
            assert db is not None  # noqa: S101 - embedded databases are opened in __init__
            where = f"Database: {db.describe()}"
            dialog: SignInDialog
            if not identity.has_users(db):
                dialog = FirstAdminDialog(where, lambda u, n, p: identity.create_first_admin(
                    db, self.clock, username=u, display_name=n, password=p))  # fmt: skip
            else:
                dialog = SignInDialog(
                    where, lambda u, p: identity.sign_in(db, self.clock, u, p),
                    hint=DEMO_HINT if self.choice.demo else "",
                )  # fmt: skip
            if not dialog.exec():
                return None
            actor = dialog.actor
        else:
            if not self._transport_accepted():
                return None
            from physioline.gui.sign_in import SignInDialog

            def verify(user: str, password: str) -> Actor:
                db, signed_in = startup.sign_in_shared(self.choice, user, password)
                if self.db is not None:
                    self.db.dispose()
                self.db = db
                return signed_in

            shared = SignInDialog(f"Shared database: {_describe(self.choice)}", verify)
            if not shared.exec():  # rejected (0) or accepted (1)
                return None
            actor = shared.actor
        if actor is None or self.db is None:
            return None
        window = MainWindow(Desk(db=self.db, clock=self.clock, actor=actor),
                            idle_lock_minutes=self.settings.idle_lock_minutes)  # fmt: skip
        window.sign_out_requested.connect(self.switch_user)
        self.window = window
        return window

    def _transport_accepted(self) -> bool:
        """Warn (once) before a remote PostgreSQL connection without TLS; True to go on."""
        from physioline.services.transport import unencrypted_remote

        warning = unencrypted_remote(self.choice.url)
        if warning is None or self._transport_ok or getattr(self.args, "accept_unencrypted", False):
            return True
        from physioline.gui.transport_warning import confirm_unencrypted

        self._transport_ok = confirm_unencrypted(None, warning)
        if self._transport_ok:
            log.warning("unencrypted connection to %s accepted at this desk", warning.host)
        return self._transport_ok

    def switch_user(self) -> None:
        """Sign out (drafts stay saved for their owner) and let someone sign in."""
        from physioline.services import identity

        window = self.window
        if window is None or window.desk.actor is None:
            return
        identity.record_sign_out(window.desk.db, self.clock, window.desk.actor)
        for other in QApplication.topLevelWidgets():
            if other is window or not other.isWindow():
                continue
            close_without_asking = getattr(other, "close_without_asking", None)
            if close_without_asking is not None:
                # A triage form, shown or hidden by the lock: its draft is written first, so
                # there is nothing to ask (a red flag standing would otherwise ask mid-sign-out).
                close_without_asking()
            elif other.isVisible():
                other.close()
        window.close()
        window.deleteLater()
        self.window = None
        new_window = self.sign_in()
        if new_window is None:
            QApplication.quit()
        else:
            new_window.show()

    def shutdown(self) -> None:
        """Close the database connections."""
        if self.db is not None:
            self.db.dispose()


def _describe(choice: DatabaseChoice) -> str:
    url = choice.url
    host = url.host or url.query.get("host") or "local socket"
    return f"{url.database} on {host}"


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
        controller = DeskController(args)
        signed_in = controller.sign_in(username=args.as_user)
    except PhysioLineError as exc:
        return _fail(args, exc)
    if signed_in is None:
        controller.shutdown()
        return EXIT_CANCELLED
    window = signed_in
    if args.smoke_test:

        def report() -> None:
            print(f"startup_s={process_age_s():.3f}", flush=True)
            window.close()
            app.quit()

        when_painted(window.worklist.ui.tableView.viewport(), report,
                     ready=lambda: window.worklist.model.rowCount() > 0)  # fmt: skip
        QTimer.singleShot(60_000, lambda: (print("smoke test: no worklist rows painted in 60 s",
                                                 file=sys.stderr), app.exit(1)))  # fmt: skip
    window.show()
    status = app.exec()
    from physioline.gui.ops import wait_for_background

    wait_for_background()  # work still running must finish before its database closes
    controller.shutdown()
    return status


def _fail(args: argparse.Namespace, exc: PhysioLineError) -> int:
    if args.smoke_test or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        print(f"physioline: {exc}", file=sys.stderr)
    else:
        from physioline.gui.errors import show_error

        show_error(None, exc)
    return exc.exit_status
