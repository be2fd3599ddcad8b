"""One helper for background work: run a service call off the GUI thread, deliver on it.

Once the main window is shown the GUI thread runs no SQL: a shared PostgreSQL can stall for
seconds, and a frozen window in the middle of a call is the failure users remember. Writes to
SQLite go through a pool of one thread, so they queue instead of fighting for the file lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Op(QRunnable):
    def __init__(self, fn: Callable[[], object]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:  # worker thread: no widgets, no shared Session
        try:
            result = self.fn()
        except Exception as exc:  # delivered to on_error on the GUI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


_running: set[_Op] = set()
_read_pool: QThreadPool | None = None
_write_pool: QThreadPool | None = None


def _pool(write: bool) -> QThreadPool:
    global _read_pool, _write_pool
    if write:
        if _write_pool is None:
            _write_pool = QThreadPool()
            _write_pool.setMaxThreadCount(1)
        return _write_pool
    if _read_pool is None:
        _read_pool = QThreadPool()
        _read_pool.setMaxThreadCount(2)
    return _read_pool


def run_op(
    fn: Callable[[], Any],
    *,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    parent: QWidget | None = None,
    disable: QAction | QWidget | None = None,
    write: bool = False,
) -> None:
    """Run ``fn`` (which opens its own unit of work) in the background.

    ``on_done(result)`` or ``on_error(exc)`` runs on the GUI thread; without ``on_error`` the
    error is shown with :func:`physioline.gui.errors.show_error`. ``disable`` is disabled while
    the operation runs, so a double press cannot start it twice.
    """
    op = _Op(fn)
    _running.add(op)
    if disable is not None:
        disable.setEnabled(False)

    def finish() -> None:
        _running.discard(op)
        if disable is not None:
            disable.setEnabled(True)

    def done(result: object) -> None:
        finish()
        if on_done is not None:
            on_done(result)

    def failed(exc: object) -> None:
        finish()
        if not isinstance(exc, Exception):  # pragma: no cover - _Op only emits exceptions
            raise TypeError(exc)
        if on_error is not None:
            on_error(exc)
        else:
            from physioline.gui.errors import show_error

            show_error(parent, exc)

    if parent is not None:
        # Deliver through a child of the parent: if the window closes first, the relay dies
        # with it and the result is dropped instead of reaching deleted widgets.
        relay = _Relay(parent, done, failed)
        op.signals.done.connect(relay.deliver_done)
        op.signals.failed.connect(relay.deliver_failed)
        op.signals.done.connect(relay.deleteLater)
        op.signals.failed.connect(relay.deleteLater)
    else:
        op.signals.done.connect(done)
        op.signals.failed.connect(failed)
    _pool(write).start(op)


class _Relay(QObject):
    """Carries one operation's outcome to callbacks while its parent widget lives."""

    def __init__(
        self, parent: QObject, done: Callable[[object], None], failed: Callable[[object], None]
    ) -> None:
        super().__init__(parent)
        self._done = done
        self._failed = failed

    @Slot(object)
    def deliver_done(self, result: object) -> None:
        self._done(result)

    @Slot(object)
    def deliver_failed(self, exc: object) -> None:
        self._failed(exc)


def wait_for_background(timeout_ms: int = 10_000) -> None:
    """Wait for background operations to finish (at exit)."""
    for pool in (_read_pool, _write_pool):
        if pool is not None:
            pool.waitForDone(timeout_ms)
