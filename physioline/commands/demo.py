"""`physioline demo …`: build demo and benchmark data sets."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from physioline.commands.common import add_database_options


def register(sub: Any) -> None:
    """Add the ``demo`` subcommands."""
    demo = sub.add_parser("demo", help="demo and benchmark data")
    demo_sub = demo.add_subparsers(dest="demo_command", metavar="ACTION", required=True)
    seed = demo_sub.add_parser(
        "seed",
        help="add large volumes of fake referrals (for benchmarks); builds the demo service "
        "first on an empty database",
    )
    add_database_options(seed, subcommand=True)
    seed.add_argument("--referrals", type=int, required=True, metavar="N",
                      help="how many referrals (each with a new fake patient) to add")  # fmt: skip
    seed.add_argument("--open", type=int, default=None, metavar="N",
                      help="how many of them are open (default: a fifth)")  # fmt: skip
    seed.set_defaults(handler=_seed)


class ProgressBar:
    """A one-line progress bar on stderr."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        elapsed = time.perf_counter() - self.started
        rate = done / elapsed if elapsed else 0.0
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {done:,}/{total:,} ({rate:,.0f}/s)")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _seed(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from physioline.clock import SystemClock
    from physioline.commands.common import open_for_command
    from physioline.db.models import User
    from physioline.errors import InvalidInput
    from physioline.services import demo

    if args.referrals < 1:
        raise InvalidInput("--referrals must be at least 1.")
    clock = SystemClock()
    started = time.perf_counter()
    db = open_for_command(args)
    try:
        with db.sessions() as session:
            empty = not session.scalar(sa.select(sa.func.count()).select_from(User))
        if empty:
            demo.build_demo(db, clock, referrals=0)
        count = demo.seed_referrals(db, clock, args.referrals, open_count=args.open,
                                    progress=ProgressBar("Seeding referrals"))  # fmt: skip
        # Fresh statistics after a bulk load, as autovacuum or PRAGMA optimize would make them,
        # so the planner reads the worklist through its partial indexes.
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()

    finally:
        db.dispose()
    print(f"seeded {count} referrals into {db.describe()} in {time.perf_counter() - started:.1f} s")
    return 0
