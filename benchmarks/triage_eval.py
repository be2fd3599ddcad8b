"""Benchmark: one full triage evaluation of the largest protocol, as the form does on each answer.

Times ``validate_answers`` + ``evaluate`` + ``to_json`` on a complete answer set (every item
answered, gated items shown, most red flags triggered) of the protocol with the most items,
RUNS times after a warm-up, and prints the median and 99th percentile in microseconds. Also
prints the time to load and check one protocol file. Deterministic input; no randomness.
Run: ``.venv/bin/python benchmarks/triage_eval.py [RUNS]`` (default 10000).
"""

from __future__ import annotations

import statistics
import sys
import time

from physioline.core.answers import validate_answers
from physioline.core.protocol import TriageProtocol, load_all, load_protocol_bytes
from physioline.core.triage import evaluate


def complete_answers(protocol: TriageProtocol) -> dict[str, object]:
    """Every item answered; bools true so that every show_if opens and rules are exercised."""
    answers: dict[str, object] = {}
    for item in protocol.items:
        if item.type == "bool":
            answers[item.id] = True
        elif item.type == "int":
            answers[item.id] = 52 if item.id == "general.age" else item.maximum
        elif item.type == "choice":
            answers[item.id] = "no" if item.is_ability_question else item.option_ids[-1]
        else:
            answers[item.id] = "Pain since lifting a box; worse on sitting."
    return answers


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(runs: int) -> None:
    protocols = load_all()
    largest = max(protocols.values(), key=lambda p: (len(p.items), len(p.red_flags)))
    raw = complete_answers(largest)
    for _ in range(200):  # warm-up
        evaluate(largest, validate_answers(largest, raw)).to_json()
    samples: list[float] = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        evaluate(largest, validate_answers(largest, raw)).to_json()
        samples.append((time.perf_counter_ns() - started) / 1000)
    result = evaluate(largest, validate_answers(largest, raw))
    loads: list[float] = []
    for _ in range(20):
        started = time.perf_counter_ns()
        load_protocol_bytes(largest.file_bytes, f"{largest.id}.yaml")
        loads.append((time.perf_counter_ns() - started) / 1_000_000)
    print(f"protocol={largest.id} items={len(largest.items)} red_flags={len(largest.red_flags)}")
    print(f"triggered={','.join(result.red_flags)} disposition={result.disposition}")
    print(f"runs={runs}")
    print(f"evaluate_median_us={statistics.median(samples):.1f}")
    print(f"evaluate_p99_us={percentile(samples, 0.99):.1f}")
    print(f"evaluate_max_us={max(samples):.1f}")
    print(f"load_protocol_median_ms={statistics.median(loads):.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
