"""End-to-end scenarios (shared/scenarios.md): the real main window on a migrated demo database,
SQLite and PostgreSQL, driven from the keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from physioline.clock import FrozenClock
from physioline.db.engine import Database
from physioline.gui.main_window import MainWindow
from physioline.gui.ops import wait_for_background
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user

OpenDesk = Callable[[str], MainWindow]


@pytest.fixture
def open_desk(qtbot: QtBot, demo_db: Database, clock: FrozenClock) -> Iterator[OpenDesk]:
    """Open the main window as a demo user, on the frozen clock, and wait for the worklist."""

    def open_as(username: str) -> MainWindow:
        desk = Desk(db=demo_db, clock=clock, actor=sign_in_demo_user(demo_db, username))
        window = MainWindow(desk)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.worklist.model.loaded, timeout=10_000):
            window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        return window

    yield open_as
    wait_for_background()
