"""How long `physioline demo seed` takes, and how big the database gets, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/seed.py --referrals 100000

PostgreSQL runs on a throwaway cluster started for this run (Debian postgresql-15 binaries).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.fixtures.postgres import ThrowawayCluster  # noqa: E402


def seed(url: str, referrals: int, home: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "physioline", "demo", "seed", "--referrals", str(referrals),
         "--database", url],
        check=True, env={**os.environ, "PHYSIOLINE_HOME": str(home)}, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="physioline-seed-"))
    if args.backend in ("sqlite", "both"):
        path = work / "seed.sqlite3"
        seconds = seed(f"sqlite:///{path}", args.referrals, work)
        print(
            f"sqlite: {args.referrals} referrals in {seconds:.1f} s "
            f"({args.referrals / seconds:,.0f}/s); file {path.stat().st_size / 2**20:.1f} MiB"
        )
    if args.backend in ("postgresql", "both"):
        cluster = ThrowawayCluster.start(port=56329)
        try:
            # A shared database is migrated by its schema owner, never by the seeding desk.
            subprocess.run([sys.executable, "-m", "physioline", "db", "upgrade", "--database",
                            cluster.url()], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            seconds = seed(cluster.url(), args.referrals, work)
            import sqlalchemy as sa

            engine = sa.create_engine(cluster.url())
            with engine.connect() as conn:
                size = conn.exec_driver_sql("SELECT pg_database_size('postgres')").scalar_one()
            engine.dispose()
            print(
                f"postgresql: {args.referrals} referrals in {seconds:.1f} s "
                f"({args.referrals / seconds:,.0f}/s); database {size / 2**20:.1f} MiB"
            )
        finally:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
