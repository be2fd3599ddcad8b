"""The floor for start-up: a bare PySide6 window that imports SQLAlchemy, opens a SQLite file,
selects 50 rows and shows them in a table, measured from process start to the first paint.

Run by benchmarks/startup.py; prints ``startup_s=<seconds>`` like ``physioline --smoke-test``.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlalchemy as sa
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem


def process_age_s() -> float:
    """Seconds since process start, as physioline.gui.app measures it (Linux /proc)."""
    with open("/proc/self/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    with open("/proc/uptime", encoding="ascii") as fh:
        uptime = float(fh.read().split()[0])
    return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")


def main(path: str) -> int:
    app = QApplication(sys.argv[:1])
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT r.id, r.due_at, p.family_name, p.given_name, p.nhs_number, r.body_region, "
            "r.status FROM referral r JOIN patient p ON p.id = r.patient_id "
            "WHERE r.status IN ('awaiting_call', 'in_call') ORDER BY r.due_at, r.id LIMIT 50"
        ).all()
    table = QTableWidget(len(rows), 7)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.setItem(i, j, QTableWidgetItem(str(value)))
    table.resize(1200, 800)

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                print(f"startup_s={process_age_s():.3f}", flush=True)
                QTimer.singleShot(0, app.quit)
            return False

    painted = Painted()
    table.viewport().installEventFilter(painted)
    table.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
