"""Screenshot of the team lead's dashboard on the demo data (run under Xvfb, see docs).

xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/screenshot_dashboard.py
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication

from physioline.clock import FrozenClock
from physioline.db import schema
from physioline.db.engine import open_database
from physioline.gui.dashboard import DashboardWindow
from physioline.services.demo import build_demo
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user

TARGET = Path(__file__).resolve().parents[1] / "docs" / "screenshots" / "dashboard.png"


def main() -> int:
    """Build the demo at Monday 08:55, look at the dashboard at 16:30 as Sam, save the PNG."""
    app = QApplication(sys.argv)
    clock = FrozenClock(datetime(2026, 11, 23, 8, 55, tzinfo=ZoneInfo("Europe/London")))
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{folder}/demo.sqlite3")
        schema.upgrade(db)
        build_demo(db, clock)
        clock.set(datetime(2026, 11, 23, 16, 30, tzinfo=ZoneInfo("Europe/London")))
        desk = Desk(db=db, clock=clock, actor=sign_in_demo_user(db, "sam"))
        window = DashboardWindow(desk)
        window.resize(1600, 1000)
        window.loaded.connect(lambda: app.processEvents())
        window.loaded.connect(lambda: (window.grab().save(str(TARGET)), app.quit()))
        window.show()
        app.exec()
        db.dispose()
    print(f"saved {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
