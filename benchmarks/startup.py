"""Start-up benchmark: PhysioLine's first painted worklist against a bare Qt + SQLAlchemy floor.

Both are measured in this run, alternately, from process start to the first paint of a table
with rows (`physioline --demo --smoke-test` and benchmarks/startup_floor.py on the same demo
database). Each prints a line at its first paint; the time is taken here, from spawning the
process to that line arriving, on a microsecond clock (a process's own /proc age counts in
10 ms ticks, too coarse for a ratio of two half-second figures). Also: peak memory of the app,
and `physioline --version` against `python -c pass`.

    .venv/bin/python benchmarks/startup.py [--runs 11]

The package's bytecode is compiled first, as ``pip install`` does for an installed app: with
PYTHONDONTWRITEBYTECODE set (as on these machines) a source checkout would otherwise compile
every module from source on every start, which no installed desk does.

Targets (issue 4): start-up within 1.5x the floor; peak memory under 200 MiB; --version within
2x of `python -c pass`.
"""

from __future__ import annotations

import argparse
import compileall
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _run import median, run_child, value

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    import physioline

    compileall.compile_dir(Path(physioline.__file__).parent, quiet=1)
    home = Path(tempfile.mkdtemp(prefix="physioline-bench-"))
    env = {"PHYSIOLINE_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    app = [sys.executable, "-m", "physioline", "--demo", "--smoke-test", "--as", "priya"]
    first = run_child(app, env)  # builds the demo database; not timed
    if first.status != 0:
        print("the app's smoke test failed", file=sys.stderr)
        return 1
    demo_db = home / "data" / "physioline-demo.sqlite3"
    floor_cmd = [sys.executable, str(HERE / "startup_floor.py"), str(demo_db)]

    app_s, floor_s, app_mib, floor_mib = [], [], [], []
    for _ in range(args.runs):
        f = run_child(floor_cmd, env)
        value(f.stdout, "startup_s")  # the floor painted (its line is its first)
        floor_s.append(f.first_line_s)
        floor_mib.append(f.peak_mib)
        a = run_child(app, env)
        value(a.stdout, "startup_s")
        app_s.append(a.first_line_s)
        app_mib.append(a.peak_mib)

    script = Path(sys.executable).with_name("physioline")  # the installed console script
    version_cmd = [str(script)] if script.exists() else [sys.executable, "-m", "physioline"]
    version_s, pass_s = [], []
    for _ in range(args.runs):
        version_s.append(run_child([*version_cmd, "--version"]).wall_s)
        pass_s.append(run_child([sys.executable, "-c", "pass"]).wall_s)

    print(f"runs={args.runs} (medians; {os.cpu_count()} cores)")
    print(
        f"floor_startup_s={median(floor_s):.3f}  app_startup_s={median(app_s):.3f}  "
        f"ratio={median(app_s) / median(floor_s):.2f}  (target <= 1.5)"
    )
    # Best of the runs too: other work on the machine only ever adds to a run's time.
    print(
        f"best_floor_s={min(floor_s):.3f}  best_app_s={min(app_s):.3f}  "
        f"best_ratio={min(app_s) / min(floor_s):.2f}"
    )
    print(
        f"floor_peak_mib={median(floor_mib):.0f}  app_peak_mib={max(app_mib):.0f}  (target < 200)"
    )
    print(
        f"python_pass_s={median(pass_s):.3f}  version_s={median(version_s):.3f}  "
        f"ratio={median(version_s) / median(pass_s):.2f}  (target <= 2.0)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
