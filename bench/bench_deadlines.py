"""Deadline computations per second (FOI, EIR, SAR mix over random dates 2020-2030), against a
baseline of plain `date + timedelta` measured in the same run. Writes bench/results/deadlines.json."""

import json
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from discretion.deadlines import eir_due, foi_calendar, foi_due, nation_calendar, sar_due

RESULTS = Path(__file__).parent / "results" / "deadlines.json"
N = 30_000
ROUNDS = 3


def _dates(n: int) -> list[date]:
    rng = random.Random(2026)
    start, span = date(2020, 1, 1), (date(2030, 12, 31) - date(2020, 1, 1)).days
    return [start + timedelta(days=rng.randrange(span + 1)) for _ in range(n)]


def _best(fn, days: list[date]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        fn(days)
        best = min(best, time.perf_counter() - t0)
    return best


def baseline(days: list[date]) -> None:
    twenty_eight = timedelta(days=28)
    for d in days:
        _ = d + twenty_eight


def foi(days: list[date]) -> None:
    for d in days:
        foi_due(d)


def eir(days: list[date]) -> None:
    for d in days:
        eir_due(d)


def sar(days: list[date]) -> None:
    for d in days:
        sar_due(d)


def mix(days: list[date]) -> None:
    for i, d in enumerate(days):
        kind = i % 3
        if kind == 0:
            foi_due(d)
        elif kind == 1:
            eir_due(d)
        else:
            sar_due(d, nation=("england_wales", "scotland", "northern_ireland")[i % 9 // 3])


def main() -> None:
    days = _dates(N)
    # Warm the per-year calendars first: a cold year costs one `holidays` build, once per process.
    t0 = time.perf_counter()
    for year in range(2020, 2032):
        foi_calendar().holidays_in(year)
        for nation in ("england_wales", "scotland", "northern_ireland"):
            nation_calendar(nation).holidays_in(year)
    warm_seconds = time.perf_counter() - t0
    base = _best(baseline, days)
    figures = {}
    for name, fn in (("foi", foi), ("eir", eir), ("sar", sar), ("mix", mix)):
        seconds = _best(fn, days)
        figures[name] = {
            "per_second": round(N / seconds),
            "microseconds_each": round(seconds / N * 1e6, 2),
            "times_slower_than_baseline": round(seconds / base, 1),
        }
    result = {
        "what": "deadline computations per second over random received dates 2020-2030; mix = FOI, EIR, "
        "SAR (three nations) in turn; baseline = date + timedelta(days=28) in the same run",
        "n": N,
        "rounds_best_of": ROUNDS,
        "baseline_per_second": round(N / base),
        "calendar_warm_up_seconds_2020_2031": round(warm_seconds, 3),
        "results": figures,
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
