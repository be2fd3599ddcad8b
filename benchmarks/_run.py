"""Helpers for benchmarks: run a child process and measure its wall time and peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class ChildRun:
    """One child process: what it printed, how long it took and its peak resident memory."""

    stdout: str
    wall_s: float
    peak_mib: float
    status: int
    #: From spawning the child until its first line of output reached this process: a
    #: microsecond clock, where a child's own view of its age (/proc) counts in 10 ms ticks.
    first_line_s: float


def run_child(argv: list[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run ``argv`` to completion; peak memory comes from the kernel's rusage of that child."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})  # fmt: skip
    assert proc.stdout is not None
    first = proc.stdout.readline()
    first_line = time.perf_counter() - started
    out = (first + proc.stdout.read()).decode()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    return ChildRun(out, wall, usage.ru_maxrss / 1024, proc.returncode, first_line)


def value(out: str, key: str) -> float:
    """The number after ``key=`` in a child's output."""
    for line in out.splitlines():
        if line.startswith(f"{key}="):
            return float(line.split("=", 1)[1])
    raise ValueError(f"no {key}= in output: {out!r}")


def median(values: list[float]) -> float:
    return statistics.median(values)
