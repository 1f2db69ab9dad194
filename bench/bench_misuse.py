"""Benchmark the misuse detection pass (`discretion.staff.misuse.detect`) over a synthetic audit trail.

A medium council's month: 400 staff over 20 working days, ~500,000 audit events (sign-ins, reads,
searches, refusals, the odd break-glass), with a handful of planted misuse patterns so every signal
fires. Timed: the detection pass itself, and parsing the events' ISO timestamps (which the service
does on the rows it reads). The baseline, measured in the same run over the same events, is one
dictionary increment per event (the least any pass over the trail must do), so the headline figure is
a ratio that travels between machines.
Run: .venv/bin/python bench/bench_misuse.py [--events N]  (writes bench/results/misuse.json)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from discretion.staff import misuse

SEED = 20261125
ROUNDS = 3
RESULTS = Path(__file__).resolve().parent / "results" / "misuse.json"
ROLES = ["practitioner"] * 8 + ["team_manager", "information_governance"]
START = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)  # a Monday in GMT


def synthetic_trail(
    n_events: int, n_staff: int, rng: random.Random
) -> tuple[list[misuse.Event], dict[int, misuse.StaffFacts]]:
    staff = {i: misuse.StaffFacts(i, rng.choice(ROLES)) for i in range(1, n_staff + 1)}
    # Planted: one absent, one ended, a refusal burst, a bulk reader, a shared login, a night owl.
    staff[1] = misuse.StaffFacts(1, "practitioner", absences=((dt.date(2026, 1, 12), dt.date(2026, 1, 16)),))
    staff[2] = misuse.StaffFacts(2, "practitioner", end_on=dt.date(2026, 1, 20))
    days = [
        START.date() + dt.timedelta(days=d) for d in range(28) if (START + dt.timedelta(days=d)).weekday() < 5
    ]
    per_day = n_events // len(days)
    events: list[misuse.Event] = []
    seq = 0
    actions = (
        ["case.read"] * 40
        + ["person.read"] * 30
        + ["entry.read"] * 15
        + ["people.search"] * 8
        + ["caseload.read"] * 4
        + ["access.refused"] * 2
    )
    for day in days:
        base = dt.datetime(day.year, day.month, day.day, 8, tzinfo=dt.UTC)
        stamps = sorted(rng.uniform(0, 10 * 3600) for _ in range(per_day))
        ips = {s: f"10.{s % 200}.{s // 200}.{rng.randint(1, 250)}" for s in staff}
        signed_in: set[int] = set()
        for offset in stamps:
            actor = rng.randint(1, n_staff)
            at = base + dt.timedelta(seconds=offset)
            seq += 1
            action = "auth.sign_in" if actor not in signed_in else rng.choice(actions)
            if rng.random() < 0.0005:
                action = "access.break_glass"
            signed_in.add(actor)
            events.append(
                misuse.Event(
                    seq,
                    at,
                    actor,
                    action,
                    ips[actor],
                    f"s{actor}-{day}",
                    rng.randint(1, 50_000),
                    "case",
                    str(rng.randint(1, 20_000)),
                )
            )
    # The planted patterns, appended then re-sorted into time order.
    t0 = dt.datetime(2026, 1, 14, 10, tzinfo=dt.UTC)
    extra = [
        misuse.Event(0, t0 + dt.timedelta(minutes=m), 3, "access.refused", "10.9.9.9", "x") for m in range(6)
    ]
    extra += [
        misuse.Event(0, t0 + dt.timedelta(seconds=20 * m), 4, "person.read", "10.9.9.8", "y")
        for m in range(150)
    ]
    extra += [misuse.Event(0, t0 + dt.timedelta(minutes=2), 5, "case.read", "198.51.100.7", "z")]
    extra += [
        misuse.Event(0, dt.datetime(2026, 1, 14, 23, 30, tzinfo=dt.UTC), 6, "case.read", "10.9.9.7", "w")
    ]
    merged = sorted(events + extra, key=lambda e: e.at)
    return [
        misuse.Event(
            i + 1, e.at, e.actor_id, e.action, e.ip, e.session, e.person_id, e.object_type, e.object_id
        )
        for i, e in enumerate(merged)
    ], staff


def best_seconds(fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--staff", type=int, default=400)
    args = parser.parse_args()
    rng = random.Random(SEED)
    events, staff = synthetic_trail(args.events, args.staff, rng)
    history = [e for e in events if e.at < dt.datetime(2026, 1, 12, tzinfo=dt.UTC)]
    baseline = misuse.hourly_read_baseline(history)
    thresholds = misuse.Thresholds()
    iso = [e.at.isoformat(timespec="microseconds") for e in events]

    def trivial() -> Counter[int]:
        counts: Counter[int] = Counter()
        for e in events:
            counts[e.actor_id] += 1
        return counts

    findings = misuse.detect(events, staff, thresholds=thresholds, baseline=baseline)
    detect_s = best_seconds(lambda: misuse.detect(events, staff, thresholds=thresholds, baseline=baseline))
    parse_s = best_seconds(lambda: [misuse.parse_at(s) for s in iso])
    baseline_s = best_seconds(trivial)
    result = {
        "benchmark": "staff.misuse.detect",
        "events": len(events),
        "staff": len(staff),
        "seed": SEED,
        "rounds": ROUNDS,
        "detect_seconds": round(detect_s, 3),
        "detect_events_per_second": round(len(events) / detect_s),
        "parse_timestamps_seconds": round(parse_s, 3),
        "baseline_dict_increment_seconds": round(baseline_s, 4),
        "detect_cost_in_baseline_passes": round(detect_s / baseline_s, 1),
        "findings": dict(sorted(Counter(f.kind for f in findings).items())),
        "planted_staff_flagged": sorted({f.staff_id for f in findings if f.staff_id <= 6}),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "implementation": platform.python_implementation(),
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
