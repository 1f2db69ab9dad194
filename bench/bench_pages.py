"""Single-user page times: the person, case and entry pages and person search, as a signed-in
social worker opens them from their own caseload, through the whole middleware stack (Django's
test client, in process: server time without the network). Median and p95 of each, and the
number of queries each page makes. With the production audit configuration on PostgreSQL
(DISCRETION_AUDIT_SEQUENCER=daemon: the page accepts its event; the sequencer is not running, so
integration is not part of the page).

Run: scripts/with-postgres.sh .venv/bin/python bench/bench_pages.py --size medium
Writes bench/results/pages-<engine>-<size>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
os.environ.setdefault("DISCRETION_REQUIRE_2FA", "0")  # signed in with force_login: the pages, not sign-in
os.environ.setdefault("DISCRETION_AUDIT_SEQUENCER", "daemon")
if "DATABASE_URL" not in os.environ:
    os.environ["DISCRETION_VAR"] = tempfile.mkdtemp(prefix="discretion-bench-")
os.environ.setdefault("DISCRETION_AUDIT_CHECKPOINT", str(Path(tempfile.mkdtemp()) / "checkpoint.json"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from discretion import access, seed  # noqa: E402
from discretion.records.models import Entry, Person  # noqa: E402
from discretion.staff.models import Acknowledgement, PolicyVersion, Role, Staff  # noqa: E402

RESULTS = Path(__file__).parent / "results"


def pick_worker() -> Staff:
    """A social worker with a real caseload: of the first hundred, the one with most current cases
    (the same one on every run)."""
    candidates = list(
        Staff.objects.filter(role=Role.PRACTITIONER, responsible_staff__isnull=True).order_by("id")[:100]
    )
    policy = PolicyVersion.current()
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(staff=s, policy=policy) for s in candidates], ignore_conflicts=True
    )
    return max(candidates, key=lambda s: len(access.my_cases(s)))


def time_pages(client: Client, urls: list[str], rounds: int) -> dict[str, object]:
    timings, queries = [], []
    for url in urls[:3]:  # warm caches (templates, connections)
        client.get(url)
    for _ in range(rounds):
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries.append(len(ctx.captured_queries))
    timings.sort()
    return {
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "queries_min": min(queries),
        "queries_max": max(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    results: dict[str, object] = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "engine": connection.vendor,
            "load_average_at_start": os.getloadavg(),
        },
        "size": args.size,
    }
    if not Person.objects.exists():
        t0 = time.perf_counter()
        report = seed.build(args.size, 1)
        results["seed"] = {
            "seconds": round(time.perf_counter() - t0, 1),
            "people": report.children + report.adults,
            "entries": report.entries,
        }
    results["people"] = Person.objects.count()
    results["entries"] = Entry.objects.count()
    worker = pick_worker()
    cases = access.my_cases(worker)[:20]
    client = Client()
    client.force_login(worker)
    entry_ids = [e for c in cases for e in Entry.objects.filter(case=c).values_list("id", flat=True)[:2]]
    names = [c.subject.full_name for c in cases]
    pages = {
        "person": [f"/people/{c.subject.ref}/" for c in cases],
        "case": [f"/cases/{c.ref}/" for c in cases],
        "entry": [f"/entries/{e}/" for e in entry_ids],
        "search": [f"/people/?q={n}" for n in names],
        "my_cases": ["/"],
    }
    results["pages"] = {name: time_pages(client, urls, args.rounds) for name, urls in pages.items()}
    results["targets_ms"] = {"person": 10, "case": 10, "entry": 10, "search": 20}
    results["machine"]["load_average_at_end"] = os.getloadavg()  # type: ignore[index]
    print(json.dumps(results, indent=2), flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"pages-{connection.vendor}-{args.size}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
