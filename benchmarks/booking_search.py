"""Slot search: PhysioLine's search against a hand-written indexed SQL query for the same rows.

12 clinics x 26 weeks of rotas (about 150,000 slots, half booked), on SQLite and PostgreSQL.
For several typical preference sets, the first 20 matching slots: the service call a screen
makes (``booking.find_slots``: its own read-only transaction, the service's rules, the query,
rows built) and the search statement alone (``booking.search_free_slots`` on an open session),
each against the same rows fetched by hand-written SQL through the same driver on an open
connection. Median of interleaved runs.

    .venv/bin/python benchmarks/booking_search.py [--runs 200] [--backend both]

Target (issue 7): the first 20 slots within 2x the hand-written query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.booking_data import booking_actor, build_capacity  # noqa: E402
from physioline.clock import FrozenClock  # noqa: E402
from physioline.core.due import london_date, london_day_bounds  # noqa: E402
from physioline.core.referral import AppointmentType, Sex  # noqa: E402
from physioline.db import schema  # noqa: E402
from physioline.db.engine import Database, open_database  # noqa: E402
from physioline.services import booking  # noqa: E402
from physioline.services.booking import DayPart, SlotPreferences, SlotQuery  # noqa: E402
from physioline.services.desk import Desk  # noqa: E402
from tests.fixtures.postgres import ThrowawayCluster  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 20, tzinfo=ZoneInfo("Europe/London"))

RAW = """
SELECT s.id, s.starts_at, s.ends_at, s.appointment_type, s.held_for_urgent, c.id, c.code, c.name,
       c.step_free_access, u.id, u.display_name, u.sex, s.version
FROM slot s JOIN clinic c ON c.id = s.clinic_id JOIN app_user u ON u.id = s.clinician_id
WHERE s.state = 'free' AND s.appointment_type = 'new_patient'
  AND s.starts_at > {p} AND s.starts_at < {p} AND (NOT s.held_for_urgent OR s.starts_at < {p})
  {extra}
ORDER BY s.starts_at, s.id
LIMIT 20
"""


def cases(clinic_ids: list[int]) -> list[tuple[str, SlotPreferences, str]]:
    """(name, preferences, the same filter written by hand in SQL)."""
    two = clinic_ids[:2]
    three = clinic_ids[3:6]
    return [
        ("no filters", SlotPreferences(), ""),
        ("2 clinics, afternoons+evenings",
         SlotPreferences(clinic_ids=frozenset(two),
                         day_parts=frozenset({DayPart.AFTERNOON, DayPart.EVENING})),
         f"AND s.clinic_id IN ({two[0]}, {two[1]}) AND s.start_minute >= 720 "
         "AND s.start_minute < 1440"),
        ("3 clinics, Tue/Thu, female, step-free",
         SlotPreferences(clinic_ids=frozenset(three), weekdays=frozenset({1, 3}),
                         clinician_sex=Sex.FEMALE, step_free=True),
         f"AND s.clinic_id IN ({', '.join(map(str, three))}) AND s.weekday IN (1, 3) "
         "AND u.sex = 'female' AND c.step_free_access"),
        ("evenings only (none in the rota)",
         SlotPreferences(day_parts=frozenset({DayPart.EVENING})),
         "AND s.start_minute >= 1020 AND s.start_minute < 1440"),
    ]  # fmt: skip


def once(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(db: Database, clock: FrozenClock, runs: int, label: str) -> None:
    import sqlalchemy as sa

    from physioline.db.models import Clinic

    desk = Desk(db=db, clock=clock, actor=booking_actor(db, clock))
    with db.sessions() as session:
        clinic_ids = list(session.scalars(sa.select(Clinic.id).order_by(Clinic.id)))
        slots = session.execute(sa.text("SELECT count(*), sum(CASE WHEN state = 'booked' "
                                        "THEN 1 ELSE 0 END) FROM slot")).one()  # fmt: skip
    print(f"{label}: {slots[0]:,} slots, {slots[1]:,} booked")
    now = clock.now()
    window_ends = now + timedelta(days=21)
    released = london_day_bounds(london_date(now) + timedelta(days=2))[1]
    sqlite = db.is_sqlite
    placeholder = "?" if sqlite else "%s"

    def stamp(at: datetime) -> object:
        return at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else at

    raw_conn = db.engine.raw_connection()
    session = db.sessions()
    session.connection()
    try:
        for name, prefs, extra in cases(clinic_ids):
            query = SlotQuery(AppointmentType.NEW_PATIENT, urgent=False, window_ends=window_ends,
                              preferences=prefs)  # fmt: skip
            sql = RAW.format(p=placeholder, extra=extra)
            params = (stamp(now + timedelta(hours=1)), stamp(window_ends), stamp(released))

            def raw(sql: str = sql, params: tuple[object, ...] = params) -> list[int]:
                cursor = raw_conn.cursor()
                cursor.execute(sql, params)
                rows = cursor.fetchall()
                cursor.close()
                return [r[0] for r in rows]

            def raw_in_transaction(sql: str = sql, params: tuple[object, ...] = params) -> int:
                # What a screen's read costs by hand: a pooled connection, a transaction, the SQL.
                with db.engine.connect() as conn:
                    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
                    cursor.execute(sql, params)
                    count = len(cursor.fetchall())
                    cursor.close()
                    conn.rollback()
                return count

            def statement(query: SlotQuery = query) -> list[int]:
                offers = booking.search_free_slots(session, query, now=now, limit=20)
                return [o.slot_id for o in offers]

            def service(query: SlotQuery = query) -> list[int]:
                return [o.slot_id for o in booking.find_slots(desk, query).offers]

            expected = raw()
            assert statement() == expected, (name, statement(), expected)
            assert service() == expected, (name, service(), expected)
            timings: list[list[float]] = [[], [], [], []]
            for _ in range(runs):  # interleaved, so machine load hits all four alike
                for times, fn in zip(timings, (raw, statement, raw_in_transaction, service),
                                     strict=True):  # fmt: skip
                    times.append(once(fn))
            r, s, rt, v = (statistics.median(t) for t in timings)
            print(f"{label} [{name}]: rows={len(expected)}\n"
                  f"    open connection:  raw_sql_ms={r * 1e3:.2f}  search_ms={s * 1e3:.2f}  "
                  f"ratio={s / r:.2f}\n"
                  f"    own transaction:  raw_sql_ms={rt * 1e3:.2f}  find_slots_ms={v * 1e3:.2f}  "
                  f"ratio={v / rt:.2f}")  # fmt: skip
            if not expected:
                print("    (nothing fits: find_slots also looks past the window for the earliest "
                      "slot, a second scan the hand-written query does not make)")  # fmt: skip
    finally:
        session.close()
        raw_conn.close()


def build(url: str, clock: FrozenClock) -> Database:
    db = open_database(url)
    schema.upgrade(db)
    started = time.perf_counter()
    added = build_capacity(db, clock)
    print(f"built {added:,} slots in {time.perf_counter() - started:.1f} s")
    return db


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    clock = FrozenClock(NOW)
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            db = build(f"sqlite:///{folder}/search.sqlite3", clock)
            measure(db, clock, args.runs, "sqlite")
            db.dispose()
    if args.backend in ("postgresql", "both"):
        cluster = ThrowawayCluster.start(port=56349)
        try:
            db = build(cluster.url(), clock)
            measure(db, clock, args.runs, "postgresql")
            db.dispose()
        finally:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
