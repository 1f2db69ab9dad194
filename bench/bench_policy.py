"""Benchmark `discretion.policy.decide`: decisions per second over a fixed, seeded set of random facts.

The baseline, measured in the same run over the same facts, is a trivial function call, so the
headline figure is a ratio (how many trivial calls one decision costs) that travels between machines.
Run: .venv/bin/python bench/bench_policy.py  (writes bench/results/policy.json)
"""

from __future__ import annotations

import json
import os
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from discretion.policy import (
    Approval,
    Category,
    Channel,
    Consent,
    Document,
    Information,
    Purpose,
    Requester,
    RequestFacts,
    decide,
    default_council_config,
)

SEED = 20240601
N_FACTS = 5_000
ROUNDS = 5
RESULTS = Path(__file__).resolve().parent / "results" / "policy.json"


def random_facts(rng: random.Random) -> RequestFacts:
    def some(codes: Any) -> frozenset[Any]:
        return frozenset(code for code in codes if rng.random() < 0.3)

    return RequestFacts(
        requester=Requester(
            category=rng.choice(list(Category)),
            works_with_child=rng.random() < 0.5,
            identity_verified=rng.random() < 0.5,
            entitlement_verified=rng.random() < 0.5,
        ),
        purpose=rng.choice(list(Purpose)),
        channel=rng.choice([None, *Channel]),
        in_writing=rng.random() < 0.5,
        information=some(Information),
        consent=rng.choice(list(Consent)),
        documents=some(Document),
        claims_legal_right=rng.random() < 0.2,
        in_doubt=rng.random() < 0.2,
        risk_if_informed=rng.random() < 0.2,
        approvals=some(Approval),
    )


def trivial(facts: RequestFacts) -> object:
    return facts.requester


def best_rate(function: Callable[[RequestFacts], object], facts: list[RequestFacts]) -> float:
    """Calls per second: the best of several rounds (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for one in facts:
            function(one)
        best = min(best, time.perf_counter() - start)
    return len(facts) / best


def main() -> int:
    rng = random.Random(SEED)
    facts = [random_facts(rng) for _ in range(N_FACTS)]
    default_council_config()  # load the wording once, outside the timing
    outcomes = Counter(decide(one).outcome.value for one in facts)
    decide_rate = best_rate(decide, facts)
    baseline_rate = best_rate(trivial, facts)
    result = {
        "benchmark": "policy.decide",
        "facts": N_FACTS,
        "seed": SEED,
        "rounds": ROUNDS,
        "decisions_per_second": round(decide_rate),
        "baseline_trivial_calls_per_second": round(baseline_rate),
        "baseline_calls_per_decision": round(baseline_rate / decide_rate, 1),
        "microseconds_per_decision": round(1e6 / decide_rate, 2),
        "outcomes": dict(sorted(outcomes.items())),
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
