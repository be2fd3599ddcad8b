"""A background thread that tells the worklist which referrals colleagues just changed."""

from __future__ import annotations

import logging

from PySide6.QtCore import QThread, Signal

from physioline.clock import Clock
from physioline.db.engine import Database
from physioline.services.live import open_change_feed

log = logging.getLogger(__name__)

RETRY_S = 5.0


class LiveUpdates(QThread):
    """Listens for committed referral changes and emits their ids on the GUI thread."""

    changed = Signal(object)  # set[int]
    connection = Signal(bool, str)  # connected?, why not

    def __init__(self, db: Database, clock: Clock) -> None:
        super().__init__()
        self._db = db
        self._clock = clock

    def run(self) -> None:
        """Wait for changes until asked to stop; reconnect after a lost connection."""
        while not self.isInterruptionRequested():
            try:
                feed = open_change_feed(self._db, self._clock.now())
            except Exception as exc:  # the database is unreachable: say so, try again
                log.warning("live updates unavailable: %s", type(exc).__name__)
                self.connection.emit(False, "Live updates paused: the database is unreachable.")
                self._pause(RETRY_S)
                continue
            self.connection.emit(True, "")
            try:
                while not self.isInterruptionRequested():
                    ids = feed.wait(0.5)
                    if ids:
                        self.changed.emit(ids)
            except Exception as exc:
                log.warning("live updates interrupted: %s", type(exc).__name__)
                self.connection.emit(
                    False, "Live updates paused: the database connection was lost."
                )
            finally:
                feed.close()

    def _pause(self, seconds: float) -> None:
        for _ in range(int(seconds * 10)):
            if self.isInterruptionRequested():
                return
            self.msleep(100)

    def stop(self) -> None:
        """Stop listening and wait for the thread to end (within about half a second)."""
        self.requestInterruption()
        self.wait()
