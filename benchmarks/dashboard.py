"""Dashboard figures for a year of a busy service: our KPI queries against hand-written SQL.

Seeds 100,000 referrals with ``physioline demo seed`` (a year of closed ones), completes their
history the way the service would have (a signed disposition for every triaged referral, a first
appointment for about 60,000 of them, some beyond 3 weeks, some cancelled), then times the
dashboard's figures for the last 52 weeks (``kpi.compute_figures``: weekly ratios, dispositions
by week, destinations, calls today) against one hand-written SQL text per figure doing the same
aggregates through the same driver, best of several runs each, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/dashboard.py [--referrals 100000] [--runs 5] [--backend both]

Target (issue 9): within 2x of the hand-written SQL.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def seed(url: str, referrals: int, home: Path, *, migrate: bool) -> None:
    env = {**os.environ, "PHYSIOLINE_HOME": str(home)}
    if migrate:
        subprocess.run(
            [sys.executable, "-m", "physioline", "db", "upgrade", "--database", url],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "physioline",
            "demo",
            "seed",
            "--referrals",
            str(referrals),
            "--database",
            url,
        ],
        check=True,
        env=env,
        stderr=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )


def complete_history(url: str) -> tuple[int, int]:
    """Signed dispositions and first appointments for the seeded year (bulk inserts)."""
    import sqlalchemy as sa

    from physioline.core.referral import AssessmentState, ReferralStatus
    from physioline.db.engine import open_database
    from physioline.db.models import (
        Appointment,
        Assessment,
        Clinic,
        ProtocolVersion,
        Referral,
        Slot,
    )

    rng = random.Random(11)
    db = open_database(url)
    disposition = {
        ReferralStatus.BOOKED: ("routine_f2f", None),
        ReferralStatus.TRIAGED: ("routine_f2f", None),
        ReferralStatus.DISCHARGED_WITH_ADVICE: ("self_management", None),
        ReferralStatus.REFERRED_ON: ("onward_referral", "orthopaedics"),
    }
    with db.sessions() as s:
        if not db.is_sqlite:
            # A bulk history import, as a data migration would do it: row triggers (the audit
            # trail's) off for this session only; the benchmark times the reads, not this load.
            s.execute(sa.text("SET session_replication_role = replica"))
        sha = s.scalar(sa.select(ProtocolVersion.sha256).limit(1))
        clinics = list(s.scalars(sa.select(Clinic.id)))
        done = set(s.scalars(sa.select(Assessment.referral_id)))
        booked_already = set(s.scalars(sa.select(Appointment.referral_id)))
        rows = s.execute(
            sa.select(
                Referral.id,
                Referral.patient_id,
                Referral.status,
                Referral.received_at,
                Referral.closed_at,
                Referral.assigned_to_id,
                Referral.gp_urgency,
            ).where(Referral.status.in_(list(disposition)), Referral.closed_at.is_not(None))
        ).all()
        # The database refuses overlapping slots of one clinician: book on a 30-minute grid and
        # keep clear of every quarter hour an existing slot touches.
        cell = 15 * 60
        taken: set[tuple[int, int]] = set()
        for clinician, starts, ends in s.execute(
            sa.select(Slot.clinician_id, Slot.starts_at, Slot.ends_at)
        ):
            first, last = int(starts.timestamp()) // cell, -(-int(ends.timestamp()) // cell)
            taken.update((clinician, c) for c in range(first, last))
        assessments, slots, bookings = [], [], []
        for rid, pid, status, received, closed, who, urgency in rows:
            who = who or 1
            chosen, destination = disposition[status]
            if chosen == "routine_f2f" and urgency == "urgent":
                chosen = "urgent_f2f"
            if rid not in done:
                assessments.append(
                    {
                        "referral_id": rid,
                        "clinician_id": who,
                        "protocol_id": "lumbar",
                        "protocol_version": "1.1",
                        "protocol_sha256": sha,
                        "answers": {},
                        "red_flags": [],
                        "scores": {},
                        "recommended_disposition": chosen,
                        "chosen_disposition": chosen,
                        "destination": destination,
                        "pathway": None,
                        "notes": "",
                        "state": AssessmentState.SIGNED,
                        "started_at": closed,
                        "updated_at": closed,
                        "signed_at": closed,
                        "version": 1,
                    }
                )
            if status == ReferralStatus.BOOKED and rid not in booked_already:
                start = received + timedelta(days=rng.choice((5, 9, 12, 15, 18, 20, 24, 30)))
                start = start.astimezone(UTC).replace(second=0, microsecond=0)
                start -= timedelta(minutes=start.minute % 30)
                while any((who, int(start.timestamp()) // cell + k) in taken for k in (0, 1)):
                    start += timedelta(minutes=30)
                taken.update((who, int(start.timestamp()) // cell + k) for k in (0, 1))
                slots.append(
                    {
                        "clinic_id": rng.choice(clinics),
                        "clinician_id": who,
                        "starts_at": start,
                        "ends_at": start + timedelta(minutes=30),
                        "appointment_type": "new_patient",
                        "held_for_urgent": False,
                        "state": "booked",
                        "version": 1,
                    }
                )
                status_now = rng.choice(("attended",) * 8 + ("did_not_attend", "cancelled"))
                bookings.append(
                    {
                        "patient_id": pid,
                        "referral_id": rid,
                        "booked_by_id": who,
                        "booked_at": closed,
                        "status": status_now,
                        "cancelled_at": closed if status_now == "cancelled" else None,
                        "version": 1,
                    }
                )
                if status_now == "attended" and rng.random() < 0.4:  # a follow-up
                    start += timedelta(days=14)
                    while any((who, int(start.timestamp()) // cell + k) in taken for k in (0, 1)):
                        start += timedelta(minutes=30)
                    taken.update((who, int(start.timestamp()) // cell + k) for k in (0, 1))
                    slots.append(
                        {
                            **slots[-1],
                            "starts_at": start,
                            "ends_at": start + timedelta(minutes=30),
                            "appointment_type": "follow_up",
                        }
                    )
                    bookings.append({**bookings[-1], "status": "attended"})
        for start in range(0, len(assessments), 10_000):
            s.execute(sa.insert(Assessment), assessments[start : start + 10_000])
        slot_ids: list[int] = []
        for start in range(0, len(slots), 10_000):
            result = s.execute(
                sa.insert(Slot).returning(Slot.id, sort_by_parameter_order=True),
                slots[start : start + 10_000],
            )
            slot_ids += [r[0] for r in result]
        for booking, slot_id in zip(bookings, slot_ids, strict=True):
            booking["slot_id"] = slot_id
        for start in range(0, len(bookings), 10_000):
            s.execute(sa.insert(Appointment), bookings[start : start + 10_000])
        s.commit()
        counts = (
            s.scalar(sa.select(sa.func.count()).select_from(Referral)) or 0,
            s.scalar(sa.select(sa.func.count()).select_from(Appointment)) or 0,
        )
    db.dispose()
    return counts


def _literal(at: datetime, sqlite: bool) -> str:
    utc = at.astimezone(UTC)
    return (
        f"'{utc:%Y-%m-%d %H:%M:%S.%f}'"
        if sqlite
        else f"TIMESTAMPTZ '{utc:%Y-%m-%d %H:%M:%S.%f}+00'"
    )


def hand_written(period: Any, now: datetime, sqlite: bool) -> list[str]:
    """The same aggregates, written by hand: weekly ratios, dispositions, destinations, today."""
    from physioline.core.due import london_date, london_day_bounds

    lit = lambda at: _literal(at, sqlite)  # noqa: E731
    weeks = period.week_starts()
    case = (
        "CASE "
        + " ".join(
            f"WHEN r.received_at < {lit(london_day_bounds(m)[0])} THEN {i - 1}"
            for i, m in enumerate(weeks)
            if i > 0
        )
        + f" ELSE {len(weeks) - 1} END"
    )
    if sqlite:
        secs = "(CAST(strftime('%s', {a}) AS INTEGER) - CAST(strftime('%s', {b}) AS INTEGER))"
    else:
        secs = "EXTRACT(EPOCH FROM ({a} - {b}))"
    cut = min(period.end, now)
    cohort = f"""
      SELECT r.id, {case} AS week, r.status, r.received_at, r.due_at, r.assigned_to_id,
             c.first_at, c.answered_at, a.chosen_disposition AS disposition,
             a.destination, a.signed_at, p.first_at AS appt
      FROM referral r
      LEFT JOIN (SELECT referral_id, min(made_at) AS first_at,
                        min(CASE WHEN result = 'answered' THEN made_at END) AS answered_at
                 FROM call_attempt GROUP BY referral_id) c ON c.referral_id = r.id
      LEFT JOIN (SELECT referral_id, max(signed_at) AS signed_at FROM assessment
                 WHERE state = 'signed' GROUP BY referral_id) n ON n.referral_id = r.id
      LEFT JOIN assessment a ON a.referral_id = r.id AND a.signed_at = n.signed_at
                            AND a.state = 'signed'
      LEFT JOIN (SELECT ap.referral_id, min(s.starts_at) AS first_at
                 FROM appointment ap JOIN slot s ON s.id = ap.slot_id
                 WHERE ap.status <> 'cancelled' GROUP BY ap.referral_id) p
             ON p.referral_id = r.id
      WHERE r.received_at >= {lit(period.start)} AND r.received_at < {lit(period.end)}
        AND r.status <> 'cancelled'"""
    seen = secs.format(a="appt", b="received_at")
    signed = secs.format(a="signed_at", b="received_at")
    f2f = "disposition IN ('urgent_f2f', 'routine_f2f')"
    seen_of = f"{f2f} AND received_at <= {lit(cut - timedelta(days=21))}"
    treated_of = f"received_at <= {lit(cut - timedelta(weeks=18))}"
    weekly = f"""
      SELECT week, count(*),
        sum(CASE WHEN due_at <= {lit(now)} THEN 1 ELSE 0 END),
        sum(CASE WHEN due_at <= {lit(now)} AND first_at <= due_at THEN 1 ELSE 0 END),
        sum(CASE WHEN due_at <= {lit(now)} AND answered_at <= due_at THEN 1 ELSE 0 END),
        sum(CASE WHEN {seen_of} THEN 1 ELSE 0 END),
        sum(CASE WHEN {seen_of} AND {seen} <= {21 * 86400} THEN 1 ELSE 0 END),
        sum(CASE WHEN {treated_of} THEN 1 ELSE 0 END),
        sum(CASE WHEN {treated_of} AND (({f2f} AND {seen} <= {126 * 86400}) OR
            (disposition = 'self_management' AND {signed} <= {126 * 86400})) THEN 1 ELSE 0 END),
        sum(CASE WHEN status = 'unable_to_contact' THEN 1 ELSE 0 END)
      FROM ({cohort}) k GROUP BY week ORDER BY week"""
    dispositions = f"""SELECT week, coalesce(disposition, 'not_triaged'), count(*)
      FROM ({cohort}) k GROUP BY week, coalesce(disposition, 'not_triaged')"""
    destinations = f"""SELECT coalesce(destination, 'none'), count(*) FROM ({cohort}) k
      WHERE disposition IN ('emergency', 'urgent_referral', 'onward_referral')
      GROUP BY coalesce(destination, 'none')"""
    start, end = london_day_bounds(london_date(now))
    today_open = f"""SELECT assigned_to_id,
        sum(CASE WHEN due_at >= {lit(now)} AND due_at < {lit(end)} THEN 1 ELSE 0 END),
        sum(CASE WHEN due_at < {lit(now)} THEN 1 ELSE 0 END)
      FROM referral WHERE status IN ('awaiting_call', 'in_call')
        AND assigned_to_id IS NOT NULL AND due_at < {lit(end)} GROUP BY assigned_to_id"""
    today_done = f"""SELECT made_by_id, count(DISTINCT referral_id) FROM call_attempt
      WHERE made_at >= {lit(start)} AND made_at < {lit(end)} GROUP BY made_by_id"""
    return [weekly, dispositions, destinations, today_open, today_done]


def measure(url: str, runs: int, label: str) -> None:
    from sqlalchemy.orm import Session

    from physioline.clock import SystemClock
    from physioline.core.due import london_date
    from physioline.db.engine import open_database
    from physioline.services import kpi

    db = open_database(url)
    now = SystemClock().now()
    period = kpi.Period.weeks_to(london_date(now), 52)
    sqlite = db.is_sqlite
    statements = hand_written(period, now, sqlite)

    def ours() -> kpi.Figures:
        with Session(db.engine) as session:
            return kpi.compute_figures(session, period, now)

    def raw() -> list[list[Any]]:
        conn = db.engine.raw_connection()
        try:
            out = []
            for sql in statements:
                cur = conn.cursor()
                cur.execute(sql)
                out.append(list(cur.fetchall()))
            return out
        finally:
            conn.close()

    ours()
    raw()  # warm caches
    raw_s, raw_rows = best(raw, runs)
    ours_s, figures = best(ours, runs)
    weekly = {int(r[0]): r for r in raw_rows[0]}
    total_received = sum(int(r[1]) for r in weekly.values())
    assert total_received == figures.total.received, (total_received, figures.total.received)
    assert sum(int(r[3]) for r in weekly.values()) == figures.total.contact_48h.met
    assert sum(int(r[6]) for r in weekly.values()) == figures.total.seen_3_weeks.met
    t = figures.total
    print(
        f"{label}: period={period.label()} received={t.received} "
        f"contact_48h={t.contact_48h.text()} conversation_48h={t.conversation_48h.text()} "
        f"seen_3_weeks={t.seen_3_weeks.text()} treated_18_weeks={t.treated_18_weeks.text()} "
        f"unable_to_contact={t.unable_to_contact.text()}"
    )
    print(
        f"{label}: hand_written_sql_s={raw_s:.3f} physioline_s={ours_s:.3f} "
        f"ratio={ours_s / raw_s:.2f} (target < 2.0)"
    )
    db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sqlite", type=Path, help="reuse this seeded SQLite file")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="physioline-dashboard-"))
    if args.backend in ("sqlite", "both"):
        path = args.sqlite or work / "dashboard.sqlite3"
        url = f"sqlite:///{path}"
        if not path.exists():
            seed(url, args.referrals, work, migrate=False)
        referrals, appointments = complete_history(url)
        print(f"sqlite: {referrals} referrals, {appointments} appointments")
        measure(url, args.runs, "sqlite")
    if args.backend in ("postgresql", "both"):
        from tests.fixtures.postgres import ThrowawayCluster

        cluster = ThrowawayCluster.start(port=56349)
        try:
            seed(cluster.url(), args.referrals, work, migrate=True)
            referrals, appointments = complete_history(cluster.url())
            print(f"postgresql: {referrals} referrals, {appointments} appointments")
            measure(cluster.url(), args.runs, "postgresql")
        finally:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
