"""Booking under contention: many desks booking from one small pool of slots at once.

PostgreSQL: 16 clients, each on its own connection in its own thread, book randomly chosen
slots from a pool of 200 through ``booking.book_slot`` until 2,000 attempts have been made.
SQLite: the same with several processes on one database file. Printed: attempts, successes,
conflicts (every loser must be told "just taken"), double bookings (must be 0), slots booked
once each, bookings and attempts per second, and the floor: the same number of plain
single-row INSERT transactions by the same number of clients.

    .venv/bin/python benchmarks/booking_contention.py [--attempts 2000] [--pool 200]
        [--clients 16] [--processes 4] [--backend both]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from benchmarks.booking_data import booking_actor, build_capacity, triaged_referrals  # noqa: E402
from physioline.clock import FrozenClock  # noqa: E402
from physioline.db import schema  # noqa: E402
from physioline.db.engine import Database, open_database  # noqa: E402
from physioline.db.models import Appointment, Slot  # noqa: E402
from physioline.errors import SlotTaken  # noqa: E402
from physioline.services import booking  # noqa: E402
from physioline.services.desk import Desk  # noqa: E402
from tests.fixtures.postgres import ThrowawayCluster  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 20, tzinfo=ZoneInfo("Europe/London"))


@dataclass
class Tally:
    """What the clients saw."""

    attempts: int = 0
    successes: int = 0
    conflicts: int = 0
    conflicts_not_saying_just_taken: int = 0
    other_errors: Counter[str] = field(default_factory=Counter)
    booked: list[tuple[int, int]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.attempts += other.attempts
        self.successes += other.successes
        self.conflicts += other.conflicts
        self.conflicts_not_saying_just_taken += other.conflicts_not_saying_just_taken
        self.other_errors.update(other.other_errors)
        self.booked += other.booked


def prepare(url: str, pool_size: int, referrals: int) -> tuple[list[int], list[int]]:
    """A migrated database with a rota, a pool of free slots and triaged referrals."""
    clock = FrozenClock(NOW)
    db = open_database(url)
    try:
        schema.upgrade(db)
        build_capacity(db, clock, clinics=2, per_clinic=5, weeks=4)
        booking_actor(db, clock)
        with db.sessions() as session:
            pool = list(session.scalars(
                sa.select(Slot.id).where(Slot.state == "free", Slot.held_for_urgent.is_(False),
                                         Slot.appointment_type == "new_patient",
                                         Slot.starts_at > clock.now())
                .order_by(Slot.id).limit(pool_size)
            ))  # fmt: skip
        assert len(pool) == pool_size, len(pool)
        return pool, triaged_referrals(db, clock, referrals)
    finally:
        db.dispose()


class Referrals:
    """Referrals waiting to be booked, handed out one at a time (thread-safe)."""

    def __init__(self, ids: list[int]) -> None:
        self._ids = list(ids)
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            return self._ids.pop()


class Client:
    """One desk: its own database connection, booking until the shared attempts run out."""

    def __init__(self, db: Database, pool: list[int], referrals: Referrals, seed: int) -> None:
        self.desk = Desk(db=db, clock=FrozenClock(NOW), actor=booking_actor(db, FrozenClock(NOW)))
        self.pool = pool
        self.referrals = referrals
        self.rng = random.Random(seed)
        self.tally = Tally()

    def run(self, take_attempt: object) -> Tally:
        referral = self.referrals.next()
        while take_attempt():  # type: ignore[operator]
            slot_id = self.rng.choice(self.pool)
            self.tally.attempts += 1
            try:
                booking.book_slot(self.desk, referral, slot_id)
            except SlotTaken as exc:
                self.tally.conflicts += 1
                if not exc.message.startswith("Just taken by a colleague"):
                    self.tally.conflicts_not_saying_just_taken += 1
            except Exception as exc:
                self.tally.other_errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
            else:
                self.tally.successes += 1
                self.tally.booked.append((slot_id, referral))
                referral = self.referrals.next()
        return self.tally


def check(url: str, pool: list[int]) -> tuple[int, int]:
    """(double bookings, pool slots booked) as the database has them."""
    db = open_database(url)
    try:
        with db.sessions() as session:
            doubles = session.scalar(
                sa.select(sa.func.count()).select_from(
                    sa.select(Appointment.slot_id)
                    .where(Appointment.status != "cancelled")
                    .group_by(Appointment.slot_id)
                    .having(sa.func.count() > 1)
                    .subquery()
                )
            )
            booked = session.scalar(
                sa.select(sa.func.count()).select_from(Slot)
                .where(Slot.id.in_(pool), Slot.state == "booked")
            )  # fmt: skip
    finally:
        db.dispose()
    return int(doubles or 0), int(booked or 0)


def report(label: str, tally: Tally, seconds: float, floor_seconds: float, clients: int,
           doubles: int, pool: list[int], booked_in_db: int) -> None:  # fmt: skip
    slots_booked = Counter(slot for slot, _ in tally.booked)
    print(f"{label}: {clients} clients, pool of {len(pool)} slots")
    print(f"  attempts={tally.attempts} successes={tally.successes} conflicts={tally.conflicts} "
          f"other_errors={sum(tally.other_errors.values())} double_bookings={doubles}")  # fmt: skip
    print(f"  conflicts not told 'just taken'={tally.conflicts_not_saying_just_taken}; slots "
          f"booked more than once by the clients' count={sum(n > 1 for n in slots_booked.values())}"
          f"; pool slots booked in the database={booked_in_db} (never picked: "
          f"{len(pool) - len(slots_booked)})")  # fmt: skip
    for error, count in tally.other_errors.most_common(5):
        print(f"  error x{count}: {error}")
    print(f"  wall={seconds:.2f} s  bookings/s={tally.successes / seconds:.0f}  "
          f"attempts/s={tally.attempts / seconds:.0f}  floor: {tally.attempts} plain single-row "
          f"inserts in {floor_seconds:.2f} s = {tally.attempts / floor_seconds:.0f}/s "
          f"(attempts take x{seconds / floor_seconds:.1f} the floor)")  # fmt: skip


# --- PostgreSQL: threads, one connection each ---------------------------------------------------


def postgresql(attempts: int, pool_size: int, clients: int) -> None:
    cluster = ThrowawayCluster.start(port=56359)
    try:
        url = cluster.url()
        pool, referrals = prepare(url, pool_size, pool_size + clients + 10)
        lock = threading.Lock()
        left = [attempts]

        def take() -> bool:
            with lock:
                if left[0] <= 0:
                    return False
                left[0] -= 1
                return True

        databases = [open_database(url, pool_size=1) for _ in range(clients)]
        shared = Referrals(referrals)
        desks = [Client(db, pool, shared, seed) for seed, db in enumerate(databases)]
        results: list[Tally] = []
        barrier = threading.Barrier(clients + 1)

        def work(client: Client) -> None:
            barrier.wait()
            results.append(client.run(take))

        threads = [threading.Thread(target=work, args=(c,)) for c in desks]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        for db in databases:
            db.dispose()
        total = Tally()
        for tally in results:
            total.add(tally)
        floor = postgres_floor(url, attempts, clients)
        doubles, booked = check(url, pool)
        report("postgresql", total, seconds, floor, clients, doubles, pool, booked)
    finally:
        cluster.stop()


def postgres_floor(url: str, inserts: int, clients: int) -> float:
    engine = sa.create_engine(url, pool_size=clients, max_overflow=0)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE bench_floor (id serial PRIMARY KEY, x integer)")
    lock = threading.Lock()
    left = [inserts]
    barrier = threading.Barrier(clients + 1)

    def work(n: int) -> None:
        raw = engine.raw_connection()
        barrier.wait()
        try:
            while True:
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                cursor = raw.cursor()
                cursor.execute("INSERT INTO bench_floor (x) VALUES (%s)", (n,))
                cursor.close()
                raw.commit()
        finally:
            raw.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


# --- SQLite: processes on one file -----------------------------------------------------------


def _sqlite_client(url: str, pool: list[int], referrals: list[int], seed: int,
                   counter: object, start: object, out: object) -> None:  # fmt: skip
    db = open_database(url)
    client = Client(db, pool, Referrals(referrals), seed)

    def take() -> bool:
        with counter.get_lock():  # type: ignore[attr-defined]
            if counter.value <= 0:  # type: ignore[attr-defined]
                return False
            counter.value -= 1  # type: ignore[attr-defined]
            return True

    start.wait()  # type: ignore[attr-defined]
    out.put(client.run(take))  # type: ignore[attr-defined]
    db.dispose()


def _sqlite_floor_client(path: str, counter: object, start: object) -> None:
    import sqlite3

    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=30000")
    start.wait()  # type: ignore[attr-defined]
    while True:
        with counter.get_lock():  # type: ignore[attr-defined]
            if counter.value <= 0:  # type: ignore[attr-defined]
                break
            counter.value -= 1  # type: ignore[attr-defined]
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO bench_floor (x) VALUES (1)")
        conn.execute("COMMIT")
    conn.close()


def sqlite(attempts: int, pool_size: int, processes: int) -> None:
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/contention.sqlite3"
        url = f"sqlite:///{path}"
        pool, referrals = prepare(url, pool_size, (pool_size + 1) * processes)
        counter = context.Value("i", attempts)
        start = context.Barrier(processes + 1)
        out = context.Queue()
        # Each process could win every slot: give each enough referrals of its own.
        share = pool_size + 1
        workers = [context.Process(target=_sqlite_client, args=(
            url, pool, referrals[i * share:(i + 1) * share], i, counter, start, out))
            for i in range(processes)]  # fmt: skip
        for worker in workers:
            worker.start()
        start.wait()
        started = time.perf_counter()
        results = [out.get() for _ in workers]
        seconds = time.perf_counter() - started
        for worker in workers:
            worker.join()
        total = Tally()
        for tally in results:
            total.add(tally)
        import sqlite3

        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, x INTEGER)")
        counter = context.Value("i", attempts)
        start = context.Barrier(processes + 1)
        floor_workers = [context.Process(target=_sqlite_floor_client, args=(path, counter, start))
                         for _ in range(processes)]  # fmt: skip
        for worker in floor_workers:
            worker.start()
        start.wait()
        floor_started = time.perf_counter()
        for worker in floor_workers:
            worker.join()
        floor = time.perf_counter() - floor_started
        doubles, booked = check(url, pool)
        report("sqlite", total, seconds, floor, processes, doubles, pool, booked)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--pool", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16, help="PostgreSQL client threads")
    parser.add_argument("--processes", type=int, default=4, help="SQLite client processes")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    if args.backend in ("postgresql", "both"):
        postgresql(args.attempts, args.pool, args.clients)
    if args.backend in ("sqlite", "both"):
        sqlite(args.attempts, args.pool, args.processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
