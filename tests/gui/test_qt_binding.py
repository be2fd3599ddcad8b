"""The Qt binding must not corrupt Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every call of a Qt method that
returns nothing (``update``, ``setText``, ``setHidden``…). ``None`` is not immortal before Python
3.12, so after a few thousand such calls the interpreter aborts with "none_dealloc": a triage
desk would crash mid-shift. pyproject.toml keeps that release out; this test keeps it out.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot


def test_void_qt_calls_leave_the_reference_count_of_none_alone(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    label = QLabel(widget)
    before = sys.getrefcount(None)
    for i in range(500):
        widget.update()
        label.setText(str(i))
        label.setHidden(i % 2 == 0)
    after = sys.getrefcount(None)
    # Other code may take or drop a few references meanwhile; 1,500 calls leaking one each
    # would move the count by about 1,500.
    assert abs(after - before) < 100, f"None lost {before - after} references in 1,500 calls"
