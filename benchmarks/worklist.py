"""Worklist loading: PhysioLine's view model against a hand-written SQL fetch of the same rows.

For a clinician's worklist and the whole team's (about 20,000 open referrals among 100,000), on
SQLite and PostgreSQL: the time to load every row into ``WorklistModel`` (keyset pages of 500,
as the screen fetches them) against one hand-written query through the same driver returning
the same rows, best of several runs each. Also the peak memory of this process, which holds Qt,
SQLAlchemy and the whole team list.

    .venv/bin/python benchmarks/worklist.py [--referrals 100000] [--sqlite FILE] [--runs 5]

Target (issue 5): model within 1.5x of the raw fetch; peak memory under 300 MiB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RAW_SQL = """
SELECT r.id, r.due_at, p.given_name, p.family_name, p.date_of_birth,
       p.nhs_number, r.body_region, r.gp_urgency, r.status,
       (SELECT count(*) FROM call_attempt c WHERE c.referral_id = r.id),
       a.display_name, cl.display_name, r.claimed_at, p.interpreter_language, r.version
FROM referral r
JOIN patient p ON p.id = r.patient_id
LEFT JOIN app_user a ON a.id = r.assigned_to_id
LEFT JOIN app_user cl ON cl.id = r.claimed_by_id
WHERE r.status IN ('awaiting_call', 'in_call') {extra}
ORDER BY r.due_at, r.id
"""


def best(fn: Callable[[], int], runs: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        count = fn()
        times.append(time.perf_counter() - started)
    return min(times), count


def seed(url: str, referrals: int, home: Path, *, migrate: bool) -> None:
    env = {**os.environ, "PHYSIOLINE_HOME": str(home)}
    if migrate:
        subprocess.run([sys.executable, "-m", "physioline", "db", "upgrade", "--database", url],
                       check=True, env=env, stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run([sys.executable, "-m", "physioline", "demo", "seed", "--referrals",
                    str(referrals), "--database", url], check=True, env=env,
                   stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)  # fmt: skip


def measure(url: str, runs: int, label: str) -> None:
    import sqlalchemy as sa
    from PySide6.QtWidgets import QApplication

    from physioline.clock import SystemClock
    from physioline.db.engine import open_database
    from physioline.db.models import Referral, User
    from physioline.gui.models.worklist import WorklistModel
    from physioline.services import queries
    from physioline.services.desk import Desk
    from physioline.services.startup import sign_in_demo_user

    _app = QApplication.instance() or QApplication([])
    db = open_database(url)
    clock = SystemClock()
    desk = Desk(db=db, clock=clock, actor=sign_in_demo_user(db, "sam"))
    with db.sessions() as session:
        busiest = session.execute(
            sa.select(Referral.assigned_to_id, sa.func.count())
            .where(Referral.status.in_(("awaiting_call", "in_call")))
            .where(Referral.assigned_to_id.is_not(None))
            .group_by(Referral.assigned_to_id).order_by(sa.func.count().desc()).limit(1)
        ).one()  # fmt: skip
        clinician_id = busiest[0]
        name = session.scalar(sa.select(User.username).where(User.id == clinician_id))
    placeholder = "?" if db.is_sqlite else "%s"

    def raw(extra: str, params: tuple[object, ...]) -> int:
        conn = db.engine.raw_connection()
        try:
            cur = conn.cursor()
            cur.execute(RAW_SQL.format(extra=extra), params)
            return len(cur.fetchall())
        finally:
            conn.close()

    def model_load(flt: queries.WorklistFilter) -> int:
        model = WorklistModel(
            lambda f, after: queries.load_worklist_page(desk, f, after),
            lambda work, done: done(work()),  # synchronous: time the work, not the thread hop
            clock,
        )
        model.reload(flt)
        while model.canFetchMore():
            model.fetchMore()
        return model.rowCount()

    cases = [
        (f"clinician ({name})", f"AND r.assigned_to_id = {placeholder}", (clinician_id,),
         queries.WorklistFilter(scope=queries.Scope.CLINICIAN, clinician_id=clinician_id)),
        ("team", "", (), queries.WorklistFilter(scope=queries.Scope.TEAM)),
    ]  # fmt: skip
    for case, extra, params, flt in cases:
        raw(extra, params)  # warm caches
        model_load(flt)
        raw_s, raw_rows = best(lambda e=extra, p=params: raw(e, p), runs)
        model_s, model_rows = best(lambda f=flt: model_load(f), runs)
        assert raw_rows == model_rows, (raw_rows, model_rows)
        first_s, _ = best(lambda f=flt: len(queries.load_worklist_page(desk, f).rows), runs)
        print(
            f"{label} {case}: rows={raw_rows} raw_sql_s={raw_s:.3f} model_s={model_s:.3f} "
            f"ratio={model_s / raw_s:.2f} first_page_s={first_s:.3f}"
        )
    db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sqlite", type=Path, help="reuse this seeded SQLite file")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="physioline-worklist-"))
    if args.backend in ("sqlite", "both"):
        path = args.sqlite or work / "worklist.sqlite3"
        if not path.exists():
            seed(f"sqlite:///{path}", args.referrals, work, migrate=False)
        measure(f"sqlite:///{path}", args.runs, "sqlite")
    if args.backend in ("postgresql", "both"):
        from tests.fixtures.postgres import ThrowawayCluster

        cluster = ThrowawayCluster.start(port=56339)
        try:
            seed(cluster.url(), args.referrals, work, migrate=True)
            measure(cluster.url(), args.runs, "postgresql")
        finally:
            cluster.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_mib={peak:.0f} (this process: Qt, SQLAlchemy and the team list loaded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
